"""File > New gives the defaults a new Experimenter window starts with, as WEKA's New
does, after asking about unsaved changes."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QMessageBox


def _opened(tmp_path: Path) -> Path:
    path = tmp_path / "exp.experiment.json"
    path.write_text(json.dumps({
        "datasets": ["iris"], "classifiers": ["zeror"],
        "resampling": {"method": "cross_validation", "folds": 2}, "repetitions": 2,
        "seed": 3, "metrics": ["rmse", "accuracy"]}))
    return path


def test_new_gives_a_new_windows_defaults(window, qtbot, tmp_path):
    from workbench.gui.experimenter import Experimenter

    fresh = Experimenter()
    qtbot.addWidget(fresh)
    # An opened experiment: 2 x 2-fold, seed 3, rmse before accuracy, a split's 80 %.
    assert window.open_spec(_opened(tmp_path)) is not None
    window.setup.percent.setValue(80.0)
    window.setup.seed.setValue(4)
    window.setup.workers.setValue(3)
    asked = []
    window.setup.ask_save_changes = lambda: (asked.append(1),
                                             QMessageBox.StandardButton.Cancel)[1]
    assert not window.setup.new()   # unsaved changes: Cancel keeps everything
    assert asked and window.setup.seed.value() == 4
    window.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert window.setup.new()
    assert window.setup.spec_dict() == fresh.setup.spec_dict()
    assert window.setup.spec_dict()["metrics"] == ["accuracy", "kappa", "rmse"]
    assert window.setup.percent.value() == fresh.setup.percent.value() == 66.0
    assert window.setup.summary.text() == fresh.setup.summary.text()
    assert not window.setup.modified
    assert window.setup.workers.value() == 3   # where runs go is no part of an experiment
