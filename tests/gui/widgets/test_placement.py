"""A main window's first size: as laid out where the screen has room, the screen's free
area on a scaled laptop screen (1920x1080 at 200 % is 960x540 logical pixels), where
the Explorer opened at 1100x760 with Apply and the status bar off the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.gui.widgets import placement
from workbench.gui.widgets.short_screen import MIN_SCROLL_HEIGHT, scrolling_body

LAPTOP_2X = QSize(920, 500)   # 960x540 less the title bar and the side frames


def test_a_small_screen_clamps_the_first_size_to_its_room(monkeypatch):
    monkeypatch.setattr(placement, "main_room", lambda: LAPTOP_2X, raising=False)
    assert placement.first_size((1100, 760), (1400, 900)) == (920, 500)


def test_a_screen_with_room_keeps_the_sizes_the_layouts_were_checked_at(monkeypatch):
    # 1280x800 with no panel: the 760 px tall window it always had still fits.
    monkeypatch.setattr(placement, "main_room", lambda: QSize(1240, 760), raising=False)
    assert placement.first_size((1100, 760), (1400, 900)) == (1100, 760)
    assert placement.first_size((1200, 760), (1920, 1200)) == (1200, 760)
    assert placement.first_size((1000, 720), (1000, 720)) == (1000, 720)


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self.area = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self.area


class _TwoScreens:
    """A large primary monitor, and a laptop at 200 % under the pointer."""
    primary, laptop = _Screen(2560, 1400), _Screen(960, 540)

    @staticmethod
    def primaryScreen():
        return _TwoScreens.primary

    @staticmethod
    def screenAt(_point):
        return _TwoScreens.laptop

    @staticmethod
    def platformName() -> str:
        return "xcb"


def test_the_window_fits_the_screen_under_the_pointer_not_the_primary(monkeypatch):
    monkeypatch.setattr(placement, "QGuiApplication", _TwoScreens)
    assert placement.first_size((1100, 760), (1400, 900)) == (920, 500)


def test_offscreen_renders_keep_their_size():
    # The offscreen platform's 800x800 "screen" is no user's: --screenshot keeps 1100x760.
    assert placement.main_room() is None
    assert placement.first_size((1100, 760), (1400, 900)) == (1100, 760)


class _Tall(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(scrolling_body(self))
        self.rows = [QLabel(f"row {i}") for i in range(40)]
        for row in self.rows:
            row.setMinimumHeight(20)
            layout.addWidget(row)


def test_a_scrolling_body_scrolls_instead_of_squeezing_its_rows(qtbot):
    panel = _Tall()
    qtbot.addWidget(panel)
    assert panel.minimumSizeHint().height() <= MIN_SCROLL_HEIGHT
    panel.resize(300, 200)
    panel.show()
    qtbot.waitExposed(panel)
    assert all(row.height() >= 20 for row in panel.rows)     # nothing squeezed or overlaid
    area = panel.findChild(QWidget, "scrolling_body")
    assert area.verticalScrollBar().maximum() > 0
    panel.resize(300, 2000)                                  # tall enough: no scroll bar
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0)
