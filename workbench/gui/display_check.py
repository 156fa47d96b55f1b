"""Whether Qt's X11 (xcb) platform can start here, asked before the QApplication exists.

Without it, Qt aborts the process (exit 134) with "could not load the Qt platform plugin
xcb", a message that names neither the missing library nor the unreachable display. Two
questions answer it first, without Qt: are the plugin's libraries installed (``ldd`` on
the plugin lists the ones "not found", which become the Debian/Ubuntu package to
install), and does an X server answer at ``$DISPLAY`` (``xcb_connect`` from libxcb,
given a few seconds). No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

CONNECT_TIMEOUT_S = 5.0


def windows_can_show() -> bool:
    """Whether a window opened now would be seen by a person: the one answer the plain
    ``workbench`` (chooser or help) and the window commands share.

    Qt's offscreen and minimal platforms draw nowhere (the tests set offscreen): no. A
    platform with a screen of its own (eglfs, linuxfb, vnc), macOS and Windows: yes.
    Otherwise (xcb, wayland, or Qt's own choice) only with a DISPLAY or WAYLAND_DISPLAY.
    Whether that display really answers is ``display_problem``'s question.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform in ("offscreen", "minimal"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    if platform and not platform.startswith(("xcb", "wayland")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def display_problem() -> str | None:
    """Why a window cannot open here (one line saying what to do), or None if it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux"):
        return None
    if platform and not platform.startswith("xcb"):
        return None  # offscreen (the tests), wayland, minimal...: not ours to check
    display = os.environ.get("DISPLAY", "")
    if not display:
        if os.environ.get("WAYLAND_DISPLAY") and not platform:
            return None  # Qt chooses its Wayland platform
        return ("no display to open a window on: DISPLAY is not set (log in to a "
                "desktop, use 'ssh -X', or use --screenshot PATH to draw offscreen)")
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(debian_package(name) for name in missing)
        return (f"Qt's X11 platform needs {', '.join(missing)}, which is not installed: "
                f"install it with 'sudo apt install {packages}'")
    if not x_server_answers(display):
        return (f"no X display answers at DISPLAY={display} (is an X server running "
                f"there, and may this user connect to it?)")
    return None


def qt_import_problem() -> str | None:
    """Why Qt's GUI modules cannot be loaded here (one line saying what to install), or
    None if they can.

    Qt's GUI library links libGL, libEGL and fontconfig, which a desktop has and a server
    image or a slim container does not: importing ``PySide6.QtWidgets`` there raises an
    ImportError naming the shared object. The command line works without them, so only
    the window commands ask, and before they import any window module.
    """
    try:
        _import_qt_widgets()
    except ImportError as error:
        text = str(error)
        found = re.search(r"(lib[\w.+-]+?\.so(?:\.\d+)*)", text)
        if found is None:
            return f"the GUI cannot start: Qt could not be loaded ({text})"
        library = found.group(1)
        return (f"the GUI cannot start: Qt needs {library}, which is not installed: "
                f"install it with 'sudo apt install {debian_package(library)}' "
                f"(the command line works without it)")
    return None


def _import_qt_widgets() -> None:
    import importlib

    importlib.import_module("PySide6.QtWidgets")


def qxcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def missing_xcb_libraries() -> list[str]:
    """Shared libraries the xcb plugin needs that the loader cannot find (sonames)."""
    plugin = qxcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is not None and ldd is not None:
        try:
            out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                 timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            return sorted(set(re.findall(r"^\s*(\S+)\s*=>\s*not found", out, re.M)))
    # No ldd or no plugin file: ask for the library Qt 6.5+ needs and systems lack most.
    return [] if ctypes.util.find_library("xcb-cursor") else ["libxcb-cursor.so.0"]


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package shipping a library: libxcb-cursor.so.0 -> libxcb-cursor0,
    libxkbcommon-x11.so.0 -> libxkbcommon-x11-0 (a dash where the name ends in a digit)."""
    match = re.match(r"^(lib.+?)\.so\.(\d+)", soname)
    if match is None:
        return soname
    base, version = match.groups()
    # Debian's package names are lower case: libGL.so.1 -> libgl1, libEGL.so.1 -> libegl1
    return f"{base}{'-' if base[-1].isdigit() else ''}{version}".lower()


def x_server_answers(display: str, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    """Whether libxcb can connect to ``display`` within ``timeout`` seconds."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return False
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    answer: list[bool] = []

    def connect() -> None:
        connection = xcb.xcb_connect(display.encode(), None)
        answer.append(bool(connection) and xcb.xcb_connection_has_error(connection) == 0)
        if connection:
            xcb.xcb_disconnect(connection)

    # A remote display that never answers would hang the connect: give it a few seconds.
    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(answer) and answer[0]
