"""The RNN's batch_norm reaches the Explorer's parameter sheet from its declaration."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox


def test_rnn_sheet_offers_batch_norm_and_the_classifier_gets_it(qtbot, explorer):
    explorer.classify.choose("rnn", {"conv_filters": 8})
    sheet = explorer.classify.sheet
    box = sheet.editor("batch_norm")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    assert "last state before the output layer" in box.toolTip()
    box.setChecked(True)
    classifier = explorer.classify.configured_classifier()
    assert classifier.batch_norm is True and classifier.conv_filters == 8
