"""What every tour module shares: its arguments, the QApplication, screenshots, checks.

A tour module (see ``scripts/gui_tour.py`` for the calling convention) does::

    from _common import Tour

    tour = Tour("explorer")            # parses --size and --out, starts Qt
    window = ExplorerWindow()
    tour.show(window)                  # resized to the screen, shown, settled
    tour.check(window.start.isEnabled() is False, "Start disabled with no data")
    tour.shot(window, "preprocess")    # -> OUT/tour-1280x800-explorer-preprocess.png
    sys.exit(tour.finish())

Screenshots are ``QWidget.grab()`` of the window (or dialog) a user looks at, so they
have the real platform's fonts and sizes; ``shot_screen`` grabs the whole X screen when
a popup or a second window matters.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

DOCS_SIZE = "1280x800"  # the size of the pictures the README shows


class Tour:
    """One module's run at one screen size: where pictures go and which checks failed."""

    def __init__(self, module: str, argv: list[str] | None = None) -> None:
        parser = argparse.ArgumentParser()
        parser.add_argument("--size", default="1280x800")
        parser.add_argument("--out", default="docs/images")
        args = parser.parse_args(argv)
        self.module = module
        self.size_text = args.size.lower()
        self.width, self.height = (int(v) for v in self.size_text.split("x"))
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.failures: list[str] = []
        self.saved: list[Path] = []
        app = QApplication.instance() or QApplication([sys.argv[0]])
        self.app: QApplication = app  # type: ignore[assignment]

    # -- waiting -------------------------------------------------------------------------
    def wait(self, condition: Callable[[], bool], timeout: float = 60.0,
             what: str = "") -> bool:
        """Process events until ``condition()`` holds; a timeout is recorded as a failure."""
        deadline = time.monotonic() + timeout
        while True:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if condition():
                return True
            if time.monotonic() > deadline:
                self.check(False, f"timed out after {timeout:g} s waiting for {what or 'it'}")
                return False
            QThread.msleep(20)

    def settle(self, seconds: float = 0.3) -> None:
        """Let layouts, timers and live plots redraw before a grab."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            QThread.msleep(10)

    # -- windows and pictures ----------------------------------------------------------
    def show(self, window: QWidget, fraction: float = 1.0) -> QWidget:
        """Show ``window`` at the screen's size (or a fraction of it) and let it settle."""
        window.resize(int(self.width * fraction), int(self.height * fraction))
        window.move(0, 0)
        window.show()
        window.raise_()
        window.activateWindow()
        self.settle(0.5)
        return window

    def path(self, what: str) -> Path:
        return self.out / f"tour-{self.size_text}-{self.module}-{what}.png"

    def shot(self, widget: QWidget, what: str, docs_name: str | None = None) -> Path:
        """Save ``widget`` as the user sees it now.

        ``docs_name`` (e.g. ``explorer-classify.png``) also saves the 1280x800 picture
        under that name, for the README, so its pictures come from the tour too.
        """
        self.settle()
        target = self.path(what)
        pixmap = widget.grab()
        if not pixmap.save(str(target), "PNG"):
            self.check(False, f"could not save {target}")
        self.saved.append(target)
        print(f"saved {target}", flush=True)
        if docs_name and self.size_text == DOCS_SIZE:
            copy = self.out / docs_name
            if not pixmap.save(str(copy), "PNG"):
                self.check(False, f"could not save {copy}")
            print(f"saved {copy}", flush=True)
        return target

    def shot_screen(self, what: str) -> Path:
        """Save the whole X screen (popups, several windows)."""
        self.settle()
        target = self.path(what)
        screen = QGuiApplication.primaryScreen()
        if not screen.grabWindow(0).save(str(target), "PNG"):
            self.check(False, f"could not save {target}")
        self.saved.append(target)
        print(f"saved {target}", flush=True)
        return target

    # -- checks --------------------------------------------------------------------------
    def check(self, condition: bool, what: str) -> bool:
        """Record an expectation; failures are printed and make the module exit 1."""
        if not condition:
            self.failures.append(what)
            print(f"FAIL: {self.module} at {self.size_text}: {what}", flush=True)
        return condition

    def finish(self) -> int:
        """The module's exit status: 0 when every check held."""
        print(f"{self.module} at {self.size_text}: {len(self.saved)} screenshots, "
              f"{len(self.failures)} failed checks", flush=True)
        return 1 if self.failures else 0


def trigger(menu: QMenu, text: str) -> None:
    """Click a menu entry by its text (its access-key mark left out), as a user would
    after a right-click."""
    from workbench.gui.widgets.access_keys import plain_text

    for action in menu.actions():
        if plain_text(action.text()) == text:
            if not action.isEnabled():
                raise RuntimeError(f"menu entry '{text}' is disabled")
            action.trigger()
            return
    raise RuntimeError(f"no menu entry '{text}'")
