"""A small experiment the Experimenter tests set up: two datasets, two classifiers."""

from typing import Any


def small_experiment(win: Any, repetitions: int = 1, folds: int = 2) -> None:
    """iris and weather.nominal, ZeroR and IBk -K 3, ``repetitions`` x ``folds``."""
    win.setup.add_dataset("iris")
    win.setup.add_dataset("weather.nominal")
    win.setup.add_classifier("zeror")
    win.setup.add_classifier("knn", {"k": 3})
    win.setup.repetitions.setValue(repetitions)
    win.setup.folds.setValue(folds)
