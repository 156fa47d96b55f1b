"""The accuracy note of a run whose validation share reads "auto" says what auto did,
instead of "Set Validation fraction above 0" while the field reads auto (a default DBN
on 2000 labelled instances: auto holds out 20 % only below that)."""

from __future__ import annotations

from workbench.classifiers.dbn import DeepBeliefNetwork
from workbench.core.progress import ProgressEvent
from workbench.gui.explorer.classifier_output import ClassifierOutput


def _epoch(output: ClassifierOutput, **values: float) -> None:
    output.on_progress(ProgressEvent(0.5, "fine-tuning", {"epoch": 1, "loss": 0.5, **values}))
    output.curve.stop_live()


def test_auto_that_held_nothing_out_is_named_as_such(qtbot):
    output = ClassifierOutput()
    qtbot.addWidget(output)
    output.show()
    output.show_running("DBN", DeepBeliefNetwork())
    _epoch(output)
    note = output.curve.acc_note
    assert note.isVisibleTo(output)
    assert "Validation fraction is auto, which held out no data for this run" in note.text()
    assert "0.2 from 100 to 2000 labelled instances" in note.text()
    assert "Set Validation fraction above 0" not in note.text()


def test_auto_that_held_data_out_shows_accuracy_and_no_note(qtbot):
    output = ClassifierOutput()
    qtbot.addWidget(output)
    output.show()
    output.show_running("DBN", DeepBeliefNetwork())
    _epoch(output, val_loss=0.6, val_accuracy=0.8)
    assert not output.curve.acc_note.isVisibleTo(output)


def test_a_value_of_zero_still_asks_for_a_share_above_zero(qtbot):
    output = ClassifierOutput()
    qtbot.addWidget(output)
    output.show()
    output.show_running("DBN", DeepBeliefNetwork(validation_fraction=0.0))
    _epoch(output)
    assert "Set Validation fraction above 0" in output.curve.acc_note.text()
