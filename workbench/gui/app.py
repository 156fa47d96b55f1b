"""Starting the GUI: the QApplication and the launcher chooser (Explorer, Knowledge Flow,
Experimenter), as WEKA's GUI Chooser.

The tools' windows are imported when the chooser opens, not when this module is: the
command line's ``workbench explorer`` never pays for the Knowledge Flow or the
Experimenter.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench import __version__
from workbench.core.errors import WorkbenchError
from workbench.gui.collector import collect_on_gui_thread
from workbench.gui.display_check import display_problem, windows_can_show
from workbench.gui.qt_messages import quiet_platform_limits
from workbench.gui.screenshot import ensure_offscreen_if_headless
from workbench.gui.way_back import add_way_back, show_in_front
from workbench.gui.widgets.window_list import keep_while_open


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, created if needed (offscreen when there is no display).

    Raises ``WorkbenchError`` saying what to install, or that no display answers, when
    Qt's X11 platform could not start.
    """
    app = QApplication.instance()
    if app is None:
        ensure_offscreen_if_headless()
        # Asked before Qt loads its platform plugin: a missing libxcb-cursor0 or a DISPLAY
        # nobody answers would otherwise abort the process (exit 134) with Qt's words.
        problem = display_problem()
        if problem is not None:
            raise WorkbenchError(problem)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("Workbench")
        app.setOrganizationName("Workbench")
        quiet_platform_limits()
        # a worker must never free Qt objects; start-up is frozen (collector.py)
        collect_on_gui_thread(freeze_start=True)
    # instance() is typed QCoreApplication; Workbench only ever makes a QApplication
    return app  # type: ignore[return-value]


def can_start_qt() -> bool:
    """Whether a window can be shown (``display_check.windows_can_show``, the answer the
    plain ``workbench`` uses too)."""
    return windows_can_show()


def available_tools() -> list[tuple[str, str, Callable[[], QWidget]]]:
    """(title, description, window factory) for each tool the chooser offers."""
    from workbench.gui.experimenter import Experimenter
    from workbench.gui.explorer import ExplorerWindow
    from workbench.gui.flow_editor import FlowEditor

    return [
        ("Explorer", "Open a dataset, preprocess it, classify it, look at the results.",
         ExplorerWindow),
        ("Knowledge Flow", "Wire loaders, filters, classifiers and viewers into a flow.",
         FlowEditor),
        ("Experimenter", "Compare classifiers over datasets with repeated runs.",
         Experimenter),
    ]


class Launcher(QWidget):
    """The small first window: one button per tool.

    Closing it hides it and leaves the tools it opened open, as WEKA's GUI Chooser does;
    the process ends when the last window closes, and each tool's Window menu shows the
    chooser again (``way_back.py``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workbench GUI Chooser")
        self.windows: list[QWidget] = []
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        title = QLabel("Workbench")
        font = QFont(title.font())
        font.setPointSize(font.pointSize() * 2)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        subtitle = QLabel(f"machine-learning workbench {__version__}")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        for name, description, factory in available_tools():
            button = QPushButton(name)
            button.setMinimumHeight(40)
            button.setToolTip(description)
            button.clicked.connect(lambda _=False, f=factory: self.open_tool(f))
            self.buttons[name] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.resize(320, 260)

    def open_tool(self, factory: Callable[[], QWidget]) -> QWidget:
        """Open a tool window; its Window menu brings this chooser back once closed (the
        tools outlive the chooser, as in WEKA: ``way_back.py``)."""
        window = factory()
        add_way_back(window, self.bring_back)
        window.show()
        return keep_while_open(self.windows, window)

    def bring_back(self) -> None:
        """Window > Workbench GUI Chooser: this window again, in front."""
        show_in_front(self)


def run_launcher(screenshot: str | None = None) -> int:
    """Show the chooser and run the event loop (or save a PNG of it and return)."""
    app = application()
    launcher = Launcher()
    if screenshot:
        from workbench.gui.screenshot import dispose
        from workbench.gui.screenshot import screenshot as take

        take(launcher, screenshot)
        dispose(launcher)
        print(f"wrote {screenshot}")   # as the window commands' --screenshot say
        return 0
    launcher.show()
    return app.exec()
