"""A theme switched while the windows are open (the desktop going dark at sunset, or
a test's ``QApplication.setPalette``) recolours what the windows colour themselves: the
error lines, the hints, an invalid field, the recovery bar and the result list's pale
selection are worked out again for the new palette, not left in the light theme's
colours on a dark window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QWidget

from tests.gui.widgets.test_colours import _dark
from workbench.core.params import Param
from workbench.core.registry import default_registry
from workbench.gui.explorer.preprocess import PreprocessTab
from workbench.gui.explorer.result_list import ResultList
from workbench.gui.flow_editor.recovery_bar import RecoveryBar
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.widgets.colours import (
    MIN_CONTRAST,
    contrast_ratio,
    invalid_field_colours,
    notice_colours,
)
from workbench.gui.widgets.param_sheet import ParamSheet

Role = QPalette.ColorRole


@pytest.fixture
def light_then_dark(qapp):
    """Start under the default (light) palette; calling the fixture's value switches
    to the dark one as a desktop would, its change events delivered. Put back after."""
    before = QPalette(qapp.palette())
    if qapp.palette().color(Role.Window).lightnessF() < 0.5:
        pytest.skip("this desktop's default palette is dark already")

    def switch() -> QPalette:
        qapp.setPalette(_dark())
        qapp.processEvents()   # Qt posts the application's palette change
        return qapp.palette()
    yield switch
    qapp.setPalette(before)
    qapp.processEvents()


def _drawn(widget: QWidget, role: Role) -> QColor:
    """The colour a widget draws ``role`` with, its style sheet applied."""
    widget.ensurePolished()
    return widget.palette().color(role)


def _unreadable(what: str, fore: QColor, back: QColor) -> list[str]:
    """[] when ``fore`` reads on ``back``; else what fails, for one message naming all."""
    ratio = contrast_ratio(fore, back)
    return [] if ratio >= MIN_CONTRAST else [
        f"{what}: {fore.name()} on {back.name()} is {ratio:.2f}"]


def test_colours_chosen_under_a_light_theme_follow_a_switch_to_a_dark_one(
        qtbot, light_then_dark):
    sheet = ParamSheet((Param.integer(10, "epochs", low=1, name="epochs"),), {})
    curves = LearningCurveView()
    bar = RecoveryBar()
    preprocess = PreprocessTab(default_registry())
    results, elsewhere = ResultList(), QLineEdit()   # the focus is elsewhere
    beside = QWidget()
    row = QHBoxLayout(beside)
    row.addWidget(results)
    row.addWidget(elsewhere)
    for widget in (sheet, curves, bar, preprocess, beside):
        qtbot.addWidget(widget)
        widget.show()
    field = sheet.editor("epochs")
    assert isinstance(field, QLineEdit)
    field.setText("-5")
    preprocess.show_message("cannot remove every attribute")
    results.results_list.addItems(["12:00:01 - MLP", "12:00:09 - IBk"])
    results.results_list.setCurrentRow(1)
    beside.activateWindow()
    qtbot.waitUntil(beside.isActiveWindow)
    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus)

    dark = light_then_dark()
    assert not results.results_list.hasFocus()
    window = dark.color(Role.Window)

    (line,) = [w for w in sheet.findChildren(QLabel) if "not allowed" in w.text()]
    yellow = bar.grab().toImage().pixelColor(bar.width() // 2, 2)
    view: QListWidget = results.results_list
    drawn = view.palette()
    # Unfocused, the selected entry is the pale shade of the dark theme's selection
    # over its dark list (the light theme's is near white), in the list's text colour.
    pale, entry_text = drawn.color(Role.Highlight), drawn.color(Role.HighlightedText)
    failures = [
        *_unreadable("the sheet's error line", _drawn(line, Role.WindowText), window),
        *_unreadable("the invalid field's text", _drawn(field, Role.Text),
                     _drawn(field, Role.Base)),
        *_unreadable("the learning curves' hint", _drawn(curves.acc_note, Role.WindowText),
                     window),
        *_unreadable("Preprocess's error line",
                     _drawn(preprocess.message, Role.WindowText), window),
        *_unreadable("the recovery bar", _drawn(bar.text, Role.WindowText), yellow),
        *_unreadable("the unfocused selected entry", entry_text, pale),
        # The pale row among the dark list's rows, read with the list's own text colour.
        *_unreadable("the list's text on its pale selection", drawn.color(Role.Text), pale),
    ]
    # Those two set their text and background together, so they read either way; but
    # a light yellow bar and a near-white field glare on a dark window.
    failures += [f"{what} kept the light theme's {shown.name()}" for what, shown, wanted in (
        ("the recovery bar", yellow, notice_colours(dark)[1]),
        ("the invalid field", _drawn(field, Role.Base), invalid_field_colours(dark)[1]))
        if shown.name() != wanted.name()]
    assert not failures, "; ".join(failures)


def test_the_experimenters_colours_follow_a_switch_to_a_dark_theme(
        qtbot, light_then_dark, tmp_path, monkeypatch):
    """The Setup tab's error line and results note, the Analyse tab's error line and a
    broken dataset's red entry are worked out again for the dark palette."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    from PySide6.QtWidgets import QMessageBox

    from workbench.gui.experimenter import Experimenter
    from workbench.gui.experimenter.datasets import STATE

    win = Experimenter()
    win.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    setup = win.setup
    setup.show_error("cannot read the results file")
    setup.execution.results_note.setText("beside the experiment")
    win.analyse.show_message("no results to analyse", error=True)
    setup.datasets.add("broken.arff", str(tmp_path / "broken.arff"), added=False)
    qtbot.waitUntil(lambda: not setup.datasets.checking())
    item = setup.datasets.item(0)
    assert item.data(STATE) not in ("checking", "ok")   # the file is missing: red

    dark = light_then_dark()
    window, base = dark.color(Role.Window), dark.color(Role.Base)
    failures = [
        *_unreadable("Setup's error line", _drawn(setup.message, Role.WindowText), window),
        *_unreadable("the results note", _drawn(setup.execution.results_note,
                                                Role.WindowText), window),
        *_unreadable("Analyse's error line", _drawn(win.analyse.message, Role.WindowText),
                     window),
        *_unreadable("a broken dataset", item.foreground().color(), base),
    ]
    setup.checker.wait(20)
    assert not failures, "; ".join(failures)
