"""Each value of a choice says what it does, on its own item of the drop-down: the MLP's
Activation listed eight names and explained none (walkthrough 11b, item 4)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QComboBox

from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.rnn import RecurrentNetwork
from workbench.core.params import Param
from workbench.gui.widgets.param_sheet import ParamSheet


def _plain(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def _combo(sheet: ParamSheet, name: str) -> QComboBox:
    combo = sheet.findChild(QComboBox, f"param_{name}")
    assert combo is not None
    return combo


@pytest.mark.parametrize("learner, name", [(MultilayerPerceptron, "activation"),
                                           (ConvolutionalNetwork, "activation"),
                                           (RecurrentNetwork, "cell")])
def test_every_item_of_the_drop_down_says_what_it_does(qtbot, learner, name):
    param = learner.param(name)
    sheet = ParamSheet(learner.params, {})
    qtbot.addWidget(sheet)
    combo = _combo(sheet, name)
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == list(param.choices)
    for index, choice in enumerate(items):
        tip = _plain(combo.itemData(index, Qt.ItemDataRole.ToolTipRole))
        assert tip == f"{choice}: {param.help_per_choice[choice]}"
    # The field's own tooltip: the parameter's help, then a line per choice.
    lines = _plain(combo.toolTip()).splitlines()
    assert lines[0] == param.help
    assert [line.split(":")[0] for line in lines[1:] if line] == items


def test_relu_and_sigmoid_say_where_they_saturate_and_when_to_choose_them(qtbot):
    sheet = ParamSheet(MultilayerPerceptron.params, {})
    qtbot.addWidget(sheet)
    combo = _combo(sheet, "activation")
    tips = {combo.itemText(i): _plain(combo.itemData(i, Qt.ItemDataRole.ToolTipRole))
            for i in range(combo.count())}
    assert "max(0, x)" in tips["relu"] and "deep networks" in tips["relu"]
    assert "dies" in tips["relu"]
    assert "(0, 1)" in tips["sigmoid"] and "vanish" in tips["sigmoid"]
    assert "(-1, 1)" in tips["tanh"]


def test_a_nullable_choice_keeps_its_help_on_the_right_items(qtbot):
    param = Param.choice(None, ("a", "b"), "Pick one", nullable=True, name="pick",
                         help_per_choice={"b": "the second <letter> & more"})
    sheet = ParamSheet([param], {})
    qtbot.addWidget(sheet)
    combo = _combo(sheet, "pick")
    assert combo.itemData(0, Qt.ItemDataRole.ToolTipRole) is None  # (none)
    assert combo.itemData(1, Qt.ItemDataRole.ToolTipRole) is None  # a: no help given
    assert _plain(combo.itemData(2, Qt.ItemDataRole.ToolTipRole)) == \
        "b: the second <letter> & more"


def test_a_choice_without_help_per_choice_keeps_its_tooltip(qtbot):
    param = Param.choice("a", ("a", "b"), "Pick one", name="pick")
    sheet = ParamSheet([param], {})
    qtbot.addWidget(sheet)
    combo = _combo(sheet, "pick")
    assert combo.toolTip() == "Pick one\n(one of a, b)"
    assert combo.itemData(0, Qt.ItemDataRole.ToolTipRole) is None
