"""Batch normalisation and conv1d reach the Explorer's parameter sheets from the
declarations: the MLP's batch_norm box, the CNN architecture line's ``bn`` and the
RNN's convolution over the steps."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox

from workbench.core.errors import WorkbenchError


def test_mlp_sheet_offers_batch_norm_and_the_classifier_gets_it(qtbot, explorer):
    explorer.classify.choose("mlp")
    sheet = explorer.classify.sheet
    box = sheet.editor("batch_norm")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    assert not box.isVisibleTo(sheet)  # an advanced setting: folded away until asked for
    sheet.advanced_toggle.setChecked(True)
    assert box.isVisibleTo(sheet)
    box.setChecked(True)
    classifier = explorer.classify.configured_classifier()
    assert classifier.batch_norm is True


def test_cnn_sheet_takes_an_architecture_with_bn(qtbot, explorer):
    explorer.classify.choose("cnn")
    sheet = explorer.classify.sheet
    line = sheet.editor("architecture")
    assert "bn (batch norm)" in line.toolTip()
    line.setText("conv(8,3)-bn-pool(2)-dense(16)-bn")
    line.editingFinished.emit()
    assert sheet.is_valid(), sheet.errors()
    classifier = explorer.classify.configured_classifier()
    assert classifier.architecture == "conv(8,3)-bn-pool(2)-dense(16)-bn"
    line.setText("conv(8,3)-bn(2)")
    line.editingFinished.emit()
    with pytest.raises(WorkbenchError, match=r"bn takes 0 argument\(s\), got 1"):
        explorer.classify.configured_classifier()


def test_rnn_sheet_offers_the_convolution_over_the_steps(qtbot, explorer):
    explorer.classify.choose("rnn", {"conv_filters": 16, "conv_kernel": 5})
    sheet = explorer.classify.sheet
    assert sheet.editor("conv_filters") is not None and "n-grams" in \
        sheet.editor("conv_filters").toolTip()
    classifier = explorer.classify.configured_classifier()
    assert (classifier.conv_filters, classifier.conv_kernel) == (16, 5)
    sheet.set_values({"conv_kernel": 4})
    with pytest.raises(WorkbenchError, match="conv_kernel must be odd"):
        explorer.classify.configured_classifier()
