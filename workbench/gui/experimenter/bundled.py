"""The Setup tab's *Open bundled* menu: the experiments shipped with Workbench.

The Explorer lists its bundled datasets under File > Open bundled dataset and the flow
editor its templates under File > Templates; the Experimenter, which has WEKA's
Open/Save/New buttons besides its File menu, lists its bundled experiments on a button
beside *Open...* and under File > Open bundled, so a lesson's "open
optimisers.experiment.json in the Experimenter" needs no path typed into a file dialog.
Each entry says what the experiment compares, read from the file itself, so the menu
cannot disagree with what opens.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QWidget

from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.resources import bundled_experiments
from workbench.evaluation.experiment.spec import ExperimentSpec, load_spec


def bundled_name(path: str | os.PathLike[str]) -> str:
    """``optimisers`` for ``.../optimisers.experiment.json``: the name the command line
    takes (``workbench experimenter optimisers``)."""
    return Path(path).name.removesuffix(".json").removesuffix(".experiment")


def describe(spec: ExperimentSpec) -> str:
    """What an experiment compares, in a menu entry's few words: "6 classifiers on
    digits, 3 × 66 % split"."""
    data = ", ".join(spec.dataset_label(ref) for ref in spec.datasets)
    if spec.resampling.method == "cross_validation":
        how = f"{spec.resampling.folds}-fold cross-validation"
    else:
        how = f"{spec.resampling.percent:g} % split"
        if not spec.resampling.randomize:
            how += " (order preserved)"
    return (f"{counted(len(spec.classifiers), 'classifier')} on {data}, "
            f"{spec.repetitions} × {how}")


def entry_text(path: Path) -> str:
    """The menu entry of one bundled experiment: its name, then what it compares."""
    try:
        return f"{bundled_name(path)}  ({describe(load_spec(path))})"
    except WorkbenchError:  # a broken file still opens, and then says what is wrong
        return bundled_name(path)


def bundled_menu(parent: QWidget, open_path: Callable[[Path], object]) -> QMenu:
    """A menu with one entry per bundled experiment; choosing one calls ``open_path``
    with its file."""
    menu = QMenu(parent)
    for path in bundled_experiments():
        action = menu.addAction(entry_text(path))
        action.setToolTip(str(path))
        action.triggered.connect(lambda _=False, p=path: open_path(p))
    return menu
