"""Where a new top-level window opens: on its parent's screen, whole, title bar visible.

A window sized for a large monitor opens half off a laptop's screen, its title bar out of
reach. The Explorer's plot windows (Visualize All, an enlarged scatter plot) open here.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QSize, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

TITLE_BAR = 40  # pixels a window manager's title bar may take above a new window
# Room left around a new window on its screen: its frame, title bar and a little more.
FRAME = QSize(40, TITLE_BAR + 40)
# Room a main window leaves on a screen too small for its usual first size: the title
# bar and the side frames. Less than ``FRAME``, so that a 1280x800 screen keeps the
# 760 px tall Explorer and Knowledge Flow it has always had.
MAIN_FRAME = QSize(40, TITLE_BAR)


def screen_room(anchor: QWidget | None) -> QSize | None:
    """The largest size a new window may take on the screen ``anchor`` is on (else the
    primary screen): the screen's free area less ``FRAME``; None without a screen.

    A window's frame is not known until the window manager has framed it, so room is
    left for it; every window that sizes itself to the screen asks here."""
    screen = (anchor.screen() if anchor is not None else None) \
        or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    return screen.availableGeometry().size() - FRAME


def place_window(window: QWidget, anchor: QWidget | None, width: int, height: int) -> None:
    """Size a new top-level window to fit the screen ``anchor`` is on, and centre it there
    (``move`` places the frame's corner, which keeps the title bar on screen)."""
    screen = anchor.screen() if anchor is not None else QGuiApplication.primaryScreen()
    room = screen_room(anchor)
    if screen is None or room is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    width = max(200, min(width, room.width()))
    height = max(150, min(height, room.height()))
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2,
                area.y() + (area.height() - height - TITLE_BAR) // 2)


def launch_screen() -> QScreen | None:
    """The screen a new main window opens on: the one under the pointer, where window
    managers put a window the user just launched, else the primary screen. (A laptop
    at 200 % beside a large primary monitor is the screen that must be fitted.)"""
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def main_room() -> QSize | None:
    """The most a main window may take on its launch screen (``room_on``)."""
    return room_on(launch_screen())


def room_on(screen: QScreen | None) -> QSize | None:
    """The most a main window may take on ``screen``: its free area less
    ``MAIN_FRAME``. None without a screen, and on Qt's offscreen platform, whose
    800x800 "screen" is no user's: ``--screenshot`` renders and tests keep the sizes
    the layouts were checked at."""
    if screen is None or QGuiApplication.platformName() == "offscreen":
        return None
    return screen.availableGeometry().size() - MAIN_FRAME


def first_size(base: tuple[int, int], most: tuple[int, int],
               share: float = 0.85, screen: QScreen | None = None) -> tuple[int, int]:
    """A main window's size on first opening: ``share`` of ``screen`` (else of its
    launch screen), never below ``base`` (the size its layout was checked at, which
    fits a 1280x800 screen) nor above ``most`` (beyond it a form only spreads thin). A
    larger screen thus shows a long parameter sheet whole instead of scrolling it.

    A screen too small for ``base`` (a 1920x1080 laptop at 200 % scaling is 960x540
    logical pixels) gets its whole free area less ``MAIN_FRAME`` (``main_room``), so
    the window opens on it, title bar included; where ``base`` fits, nothing changes."""
    room_screen = screen
    screen = screen or launch_screen()
    if screen is None:
        return base
    area = screen.availableGeometry()
    width = max(base[0], min(most[0], round(area.width() * share)))
    height = max(base[1], min(most[1], round(area.height() * share)))
    room = main_room() if room_screen is None else room_on(room_screen)
    if room is None:
        return width, height
    return min(width, room.width()), min(height, room.height())


def restored_size_suits(size: QSize, least: tuple[int, int], area: QSize | None) -> bool:
    """Whether a main window restored at ``size`` suits a screen whose free area is
    ``area`` (None: any size fits): whole on it with its title bar (``MAIN_FRAME``'s
    height, as ``first_size`` leaves), and not smaller than ``least``, the first size
    that screen would get. Compared with the whole free height, an Explorer closed at
    200 % came back at 150 % 694 px tall on a 720 px screen, its status bar pushed off
    the bottom by the title bar. The width is the area's: a window the user stretched
    across the screen is kept (the side frames are a few pixels, and Qt's restore
    keeps them on the screen)."""
    if size.width() < least[0] or size.height() < least[1]:
        return False
    return area is None or (size.width() <= area.width()
                            and size.height() <= area.height() - MAIN_FRAME.height())


def restore_main_geometry(window: QWidget, saved: QByteArray | bytes | None, base: tuple[int, int],
                          most: tuple[int, int]) -> bool:
    """Give a main window the geometry it was closed with (``saveGeometry``'s bytes, or
    None) where that suits the screen it opens on now, else its first size
    (``first_size``); True when the saved geometry was kept.

    Qt refuses a geometry saved on a screen of another width (``restoreGeometry`` says
    False and leaves the window at Qt's own default, 765x623 on a 1920x1080 screen for
    an Explorer closed on a 1280x800 one, cramped and saved so again), and a window
    closed on a large monitor may not fit the laptop it is reopened on. A restored
    window smaller than ``base`` (the size its layout was checked at) is not kept either
    and gets the first size; one between ``base`` and the first size is the user's own
    choice and is kept. A maximized window is kept as it is.
    """
    if saved is not None and window.restoreGeometry(saved):
        if window.windowState() & (Qt.WindowState.WindowMaximized
                                   | Qt.WindowState.WindowFullScreen):
            return True
        screen = QGuiApplication.screenAt(window.geometry().center()) or launch_screen()
        if screen is None:
            return True
        offscreen = QGuiApplication.platformName() == "offscreen"
        area = None if offscreen else screen.availableGeometry()
        # A size the user chose is kept down to ``base`` (what the layout was checked at,
        # as far as the screen has room for it); below that it is a size nobody chose
        # (Qt's default, saved by an older version) and the screen's first size is given.
        least = first_size(base, base, screen=screen)
        if restored_size_suits(window.size(), least, None if area is None else area.size()):
            return True
        # Kept where it was, as far as the first size lets it stay whole on the screen.
        least = first_size(base, most, screen=screen)
        window.resize(*least)
        if area is not None:
            corner = window.pos()
            window.move(QPoint(
                max(area.left(), min(corner.x(), area.right() + 1 - least[0])),
                max(area.top(), min(corner.y(), area.bottom() + 1 - least[1] - TITLE_BAR))))
        return False
    window.resize(*first_size(base, most))
    return False


# The size a viewer window (a confusion matrix, curves, the weights window: the Explorer's
# result list and the Knowledge Flow's viewer nodes alike) opens at when its content asks
# for less: the DynamicsViewer's four plots and heat map show every epoch and whole
# titles from about 1100x700 (at 720x520 they ran past the window's edge), a 10-class
# confusion matrix shows all its cells and its instance list (at 640x480 its headers were
# cut to "redicted" and rows 8 and 9 scrolled away), and it fits a 1280x800 screen.
VIEWER_SIZE = QSize(1100, 720)


def viewer_room(anchor: QWidget | None) -> QSize:
    """The most a viewer window may take on ``anchor``'s screen (``screen_room``);
    ``VIEWER_SIZE`` without a screen."""
    room = screen_room(anchor)
    return VIEWER_SIZE if room is None else room


def viewer_window_size(hint: QSize, anchor: QWidget | None) -> QSize:
    """The one sizing rule of viewer windows: ``VIEWER_SIZE``, grown to the content's
    size ``hint`` where that asks for more (a 26-class confusion matrix), never larger
    than the free area of ``anchor``'s screen."""
    return hint.expandedTo(VIEWER_SIZE).boundedTo(viewer_room(anchor))
