"""A viewer window opens big enough for its content, and never bigger than the screen:
at 720x520 the DynamicsViewer's plots ran past its edge and hid the last epochs."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from workbench.gui.flow_editor import viewers
from workbench.gui.widgets.placement import FRAME


class _Wide(QWidget):
    def sizeHint(self) -> QSize:
        return QSize(1500, 500)


def test_a_viewer_window_opens_at_a_size_that_fits_a_laptop_screen(qtbot, monkeypatch):
    laptop = QSize(1280, 800) - FRAME
    monkeypatch.setattr(viewers, "available_size", lambda widget: laptop)
    window = viewers.ViewerWindow("Dynamics")
    qtbot.addWidget(window)
    assert window.width() >= 1100 and window.height() >= 700
    assert window.width() <= laptop.width() and window.height() <= laptop.height()


def test_a_window_grows_to_its_first_content_within_the_screen(qtbot, monkeypatch):
    laptop = QSize(1280, 800) - FRAME
    monkeypatch.setattr(viewers, "available_size", lambda widget: laptop)
    window = viewers.ViewerWindow("Wide")
    qtbot.addWidget(window)
    window._set_content(_Wide())
    assert window.width() == laptop.width() and window.height() >= 700
    window.resize(900, 600)  # the user's size is kept when the flow re-runs
    window._set_content(_Wide())
    assert window.size() == QSize(900, 600)


def test_on_a_small_screen_the_window_stays_on_it(qtbot, monkeypatch):
    small = QSize(1024, 600) - FRAME
    monkeypatch.setattr(viewers, "available_size", lambda widget: small)
    window = viewers.ViewerWindow("Dynamics")
    qtbot.addWidget(window)
    assert window.width() <= small.width() and window.height() <= small.height()
