"""The generated property sheet: editors per kind, inline validation, values out."""

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from workbench.core.params import Param
from workbench.gui.widgets.param_sheet import ParamSheet

PARAMS = (
    Param.integer(1, "neighbours", low=1, high=100, name="k"),
    Param.number(0.3, "learning rate", low=0.0, low_open=True, name="rate"),
    Param.boolean(True, "scale inputs", name="normalize"),
    Param.choice("euclidean", ("euclidean", "manhattan"), "metric", name="distance"),
    Param.integers((8,), "layer sizes", name="hidden"),
    Param.integer(None, "random seed", nullable=True, group="advanced", name="seed"),
    Param.text("", "a label", name="name"),
)


def test_sheet_builds_one_editor_per_kind(qtbot):
    sheet = ParamSheet(PARAMS, {"k": 5})
    qtbot.addWidget(sheet)
    # Numbers are typed as text, as on the command line, so a refusal can be explained.
    assert isinstance(sheet.editor("k"), QLineEdit) and sheet.editor("k").text() == "5"
    assert isinstance(sheet.editor("rate"), QLineEdit)
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
        sheet.editor("k").setText("7")
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


def test_out_of_range_number_is_refused_next_to_the_field_not_changed(qtbot):
    sheet = ParamSheet(PARAMS, {"k": 3})
    qtbot.addWidget(sheet)
    sheet.show()
    sheet.editor("k").setText("-5")
    # The value is not silently turned into 5 (or clamped): it is refused, and the
    # message says what is allowed, in the command line's words.
    assert sheet.values()["k"] == 3
    assert not sheet.is_valid()
    assert sheet.errors()["k"] == ("parameter 'k': -5 is not allowed "
                                   "(expected a whole number in [1, 100])")
    shown = sheet.findChildren(QLabel)
    beside = [w.text() for w in shown if w.isVisible() and "not allowed" in w.text()]
    assert beside == ["-5 is not allowed (expected a whole number in [1, 100])"]
    assert "b00020" in sheet.editor("k").styleSheet()
    sheet.editor("k").setText("4")
    assert sheet.is_valid() and sheet.values()["k"] == 4
    assert sheet.editor("k").styleSheet() == ""
    assert not [w for w in sheet.findChildren(QLabel) if w.isVisible() and
                "not allowed" in w.text()]


def test_text_in_a_number_field_is_refused_with_the_reason(qtbot):
    sheet = ParamSheet(PARAMS, {})
    qtbot.addWidget(sheet)
    sheet.editor("rate").setText("abc")
    assert sheet.errors()["rate"] == ("parameter 'rate': cannot read 'abc' "
                                      "(expected a number in (0, inf])")
    assert sheet.values()["rate"] == 0.3
    sheet.editor("rate").setText("0")
    assert "0.0 is not allowed" in sheet.errors()["rate"]


def test_columns_spread_the_fields_side_by_side(qtbot):
    one = ParamSheet(PARAMS, {})
    two = ParamSheet(PARAMS, {}, columns=2)
    for sheet in (one, two):
        qtbot.addWidget(sheet)
        sheet.show()
    qtbot.waitExposed(two)
    assert two.sizeHint().height() < one.sizeHint().height()
    # k and rate are the first two fields: side by side in two columns, one above the
    # other in one.
    k, rate = two.editor("k"), two.editor("rate")
    assert k.mapTo(two, k.rect().topLeft()).y() == rate.mapTo(two, rate.rect().topLeft()).y()
    assert rate.mapTo(two, rate.rect().topLeft()).x() > k.mapTo(two, k.rect().topLeft()).x()
    assert two.values() == one.values()


def test_a_sheet_without_labels_shows_only_its_editors(qtbot):
    # The Explorer's Test options name each field by the radio button beside it.
    sheet = ParamSheet(PARAMS[:1], {}, labels=False)
    qtbot.addWidget(sheet)
    sheet.show()
    shown = [label.text() for label in sheet.findChildren(QLabel) if label.isVisible()]
    assert shown == []
    sheet.editor("k").setText("0")
    assert "k" in sheet.errors()
    assert [label.text() for label in sheet.findChildren(QLabel) if label.isVisible()] == [
        "0 is not allowed (expected a whole number in [1, 100])"]


def test_an_unset_value_reads_as_its_help_calls_it(qtbot):
    # "auto" where the learner then chooses for itself, "none" where None means without;
    # the help says which, and the field shows the same word.
    chosen = Param.integer(None, "passes; auto: about 1000 updates", low=1, nullable=True,
                           name="epochs")
    without = Param.integer(None, "deepest level; none grows fully", low=1, nullable=True,
                            name="depth")
    sheet = ParamSheet((chosen, without), {})
    qtbot.addWidget(sheet)
    assert sheet.editor("epochs").text() == "auto"
    assert sheet.editor("depth").text() == "none"
    assert chosen.describe_range().endswith("or auto")
    assert without.describe_range().endswith("or none")
    assert sheet.values() == {"epochs": None, "depth": None}


def _field_lefts(sheet, names) -> set[int]:
    """The x at which each named editor starts, in the sheet's coordinates."""
    return {sheet.editor(name).mapTo(sheet, sheet.editor(name).rect().topLeft()).x()
            for name in names}


@pytest.mark.parametrize("columns", [1, 3])  # the flow's dialog, the Explorer's sheet
def test_the_advanced_fields_line_up_with_the_basic_ones(qtbot, columns):
    # Each section is a form of its own: the MLP's advanced fields started 6 px left of
    # the basic ones (x=450 against 456 in the flow's dialog), since "Layer
    # activations" is narrower than "Validation percent"; in the Explorer's three
    # columns they were 20 px right, 23 px left and 34 px right of them.
    from workbench.classifiers.mlp import MultilayerPerceptron

    params = MultilayerPerceptron.params
    sheet = ParamSheet(params, {}, columns=columns)
    qtbot.addWidget(sheet)
    sheet.resize(1050, 900)
    sheet.show()
    sheet.advanced_toggle.setChecked(True)
    qtbot.waitExposed(sheet)
    basic = _field_lefts(sheet, [p.name for p in params if p.group != "advanced"])
    advanced = _field_lefts(sheet, [p.name for p in params if p.group == "advanced"])
    assert len(basic) == columns
    assert advanced == basic


def test_the_size_hint_is_current_when_error_lines_changed_fires(qtbot):
    # A window re-fits its room to the sheet on this signal: the hint it read once the
    # line had gone was the taller one of the line still there, so the sheet stayed tall.
    sheet = ParamSheet(PARAMS, {}, columns=2)
    qtbot.addWidget(sheet)
    sheet.resize(700, 400)
    sheet.show()
    qtbot.waitExposed(sheet)
    natural = sheet.sizeHint().height()
    heard: list[int] = []
    sheet.error_lines_changed.connect(lambda: heard.append(sheet.sizeHint().height()))
    sheet.editor("k").setText("-5")
    sheet.editor("k").setText("5")
    assert len(heard) == 2
    assert heard[0] > natural
    assert heard[1] == natural


def test_a_refused_value_names_its_field_and_keeps_a_line_of_room(qtbot):
    sheet = ParamSheet(PARAMS, {})
    qtbot.addWidget(sheet)
    sheet.show()
    refused: list[str] = []
    sheet.refusal_shown.connect(refused.append)
    sheet.editor("rate").setText("abc")
    assert refused == ["rate"]
    assert sheet.error_line("rate").isVisible()
    assert "cannot read 'abc'" in sheet.error_line("rate").text()
    assert sheet.error_line_room() >= sheet.error_line("rate").fontMetrics().height()
    # check boxes and choices are never refused: no room kept for a line
    only_choices = ParamSheet(PARAMS[2:4], {})
    qtbot.addWidget(only_choices)
    assert only_choices.error_line_room() == 0


def test_a_section_holding_a_value_that_matters_is_never_folded_away(qtbot):
    """A section opens unfolded when a value in it is not the default, and unfolds when
    one of its fields is refused: folded, the value that explains a failing run (a
    loader's encoding) was hidden (walkthrough 11c, item 5)."""
    shown = ParamSheet(PARAMS, {"seed": 7})
    folded = ParamSheet(PARAMS, {"k": 5, "seed": None})
    for sheet in (shown, folded):
        qtbot.addWidget(sheet)
        sheet.show()
    assert shown.advanced_toggle.isChecked() and shown.editor("seed").isVisible()
    assert not folded.advanced_toggle.isChecked() and not folded.editor("seed").isVisible()
    folded.set_values({"seed": "-"})   # set from outside (a loaded model, a file)
    assert "seed" in folded.errors()
    assert folded.advanced_toggle.isChecked() and folded.editor("seed").isVisible()
