"""Colours the windows choose themselves stay readable under a dark desktop palette as
under the default light one: error lines, hints, an invalid field's text on its
background, and the recovery bar (WCAG contrast ratio of at least 4.5)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from workbench.core.params import Param
from workbench.gui.experimenter.execution_box import ExecutionBox
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.widgets.param_sheet import ParamSheet

Role = QPalette.ColorRole
MIN_CONTRAST = 4.5   # WCAG AA, normal text


def contrast_ratio(one: QColor, other: QColor) -> float:
    """WCAG 2 contrast ratio, written out here so the test does not trust the app's."""
    def luminance(colour: QColor) -> float:
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                    for c in (colour.redF(), colour.greenF(), colour.blueF())]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _dark() -> QPalette:
    """The palette a dark KDE/GNOME Qt theme gives (the walkthrough's darkrun.py)."""
    palette = QPalette()
    dark, base, text = QColor(45, 45, 45), QColor(30, 30, 30), QColor(230, 230, 230)
    for role, colour in [(Role.Window, dark), (Role.WindowText, text), (Role.Base, base),
                         (Role.AlternateBase, dark), (Role.Text, text), (Role.Button, dark),
                         (Role.ButtonText, text), (Role.Highlight, QColor(42, 130, 218)),
                         (Role.HighlightedText, QColor(0, 0, 0)),
                         (Role.PlaceholderText, QColor(140, 140, 140))]:
        palette.setColor(role, colour)
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    """Each test runs under the default palette and under a dark one, put back after."""
    before = QPalette(qapp.palette())
    if request.param == "dark":
        qapp.setPalette(_dark())
    yield qapp.palette()
    qapp.setPalette(before)


def _shown_colour(widget: QWidget, role: Role) -> QColor:
    """The colour a widget draws with after its style sheet is applied."""
    widget.ensurePolished()
    return widget.palette().color(role)


def _readable(fore: QColor, back: QColor) -> None:
    ratio = contrast_ratio(fore, back)
    assert ratio >= MIN_CONTRAST, f"{fore.name()} on {back.name()}: {ratio:.2f}"


def test_an_invalid_field_and_its_error_line_read(qtbot, palette):
    sheet = ParamSheet((Param.integer(10, "epochs", low=1, name="epochs"),), {})
    qtbot.addWidget(sheet)
    sheet.show()
    field = sheet.editor("epochs")
    field.setText("-5")
    assert not sheet.is_valid()
    _readable(_shown_colour(field, Role.Text), _shown_colour(field, Role.Base))
    (line,) = [w for w in sheet.findChildren(QLabel) if "not allowed" in w.text()]
    _readable(_shown_colour(line, Role.WindowText), palette.color(Role.Window))


def test_the_hints_read(qtbot, palette):
    view = LearningCurveView()
    box = ExecutionBox()
    for widget in (view, box):
        qtbot.addWidget(widget)
    for note in (view.acc_note, box.results_note):
        _readable(_shown_colour(note, Role.WindowText), palette.color(Role.Window))


def test_the_recovery_bar_reads(qtbot, palette):
    from workbench.gui.flow_editor.recovery_bar import RecoveryBar

    bar = RecoveryBar()
    qtbot.addWidget(bar)
    bar.show()
    image = bar.grab().toImage()
    back = image.pixelColor(bar.width() // 2, 2)   # inside its border: the bar's yellow
    _readable(_shown_colour(bar.text, Role.WindowText), back)


def test_the_default_light_palette_keeps_the_dark_red(qtbot, qapp):
    """On a light window the error red is the one the app always had."""
    if qapp.palette().color(Role.Window).lightnessF() < 0.5:
        pytest.skip("this desktop's default palette is dark")
    sheet = ParamSheet((Param.integer(10, "epochs", low=1, name="epochs"),), {})
    qtbot.addWidget(sheet)
    sheet.editor("epochs").setText("0")
    (line,) = [w for w in sheet.findChildren(QLabel) if "not allowed" in w.text()]
    assert _shown_colour(line, Role.WindowText).name() == "#b00020"
