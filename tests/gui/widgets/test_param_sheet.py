"""The generated property sheet: editors per kind, inline validation, values out."""

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from workbench.core.params import Param
from workbench.gui.widgets.param_sheet import ParamSheet

PARAMS = (
    Param.int("k", 1, "neighbours", low=1, high=100),
    Param.float("rate", 0.3, "learning rate", low=0.0, low_open=True),
    Param.bool("normalize", True, "scale inputs"),
    Param.choice("distance", "euclidean", ("euclidean", "manhattan"), "metric"),
    Param.ints("hidden", (8,), "layer sizes"),
    Param.int("seed", None, "random seed", nullable=True, group="advanced"),
    Param.str("name", "", "a label"),
)


def test_sheet_builds_one_editor_per_kind(qtbot):
    sheet = ParamSheet(PARAMS, {"k": 5})
    qtbot.addWidget(sheet)
    assert isinstance(sheet.editor("k"), QSpinBox)
    assert sheet.editor("k").maximum() == 100
    assert isinstance(sheet.editor("rate"), QDoubleSpinBox)
    assert isinstance(sheet.editor("normalize"), QCheckBox)
    assert isinstance(sheet.editor("distance"), QComboBox)
    assert isinstance(sheet.editor("hidden"), QLineEdit)
    assert isinstance(sheet.editor("seed"), QLineEdit)
    assert "neighbours" in sheet.editor("k").toolTip()
    assert sheet.values() == {"k": 5, "rate": 0.3, "normalize": True, "distance": "euclidean",
                              "hidden": (8,), "seed": None, "name": ""}


def test_edits_change_values_and_emit(qtbot):
    sheet = ParamSheet(PARAMS, {})
    qtbot.addWidget(sheet)
    with qtbot.waitSignal(sheet.changed):
        sheet.editor("k").setValue(7)
    sheet.editor("distance").setCurrentText("manhattan")
    sheet.editor("hidden").setText("16, 4")
    sheet.editor("seed").setText("42")
    sheet.editor("normalize").setChecked(False)
    values = sheet.values()
    assert values["k"] == 7 and values["distance"] == "manhattan"
    assert values["hidden"] == (16, 4) and values["seed"] == 42 and values["normalize"] is False
    assert sheet.is_valid()


def test_bad_text_shows_inline_message_and_keeps_last_valid(qtbot):
    sheet = ParamSheet(PARAMS, {"hidden": (3,)})
    qtbot.addWidget(sheet)
    sheet.editor("hidden").setText("3,x")
    assert "hidden" in sheet.errors()
    assert "cannot read" in sheet.errors()["hidden"]
    assert sheet.values()["hidden"] == (3,)
    assert not sheet.is_valid()
    sheet.editor("hidden").setText("5")
    assert sheet.is_valid() and sheet.values()["hidden"] == (5,)


def test_set_values_and_reset(qtbot):
    sheet = ParamSheet(PARAMS)
    qtbot.addWidget(sheet)
    sheet.set_values({"k": 9, "seed": 3, "unknown": 1})
    assert sheet.values()["k"] == 9 and sheet.values()["seed"] == 3
    sheet.reset()
    assert sheet.values()["k"] == 1 and sheet.values()["seed"] is None


def test_every_registered_component_gets_a_sheet(qtbot):
    from workbench.core.registry import default_registry

    registry = default_registry()
    for kind in ("classifier", "filter"):
        for info in registry.list(kind):
            sheet = ParamSheet(info.params, {})
            qtbot.addWidget(sheet)
            defaults = {p.name: p.default for p in info.params}
            assert sheet.values() == defaults, info.name
