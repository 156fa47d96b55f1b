"""Before Qt starts: a missing xcb library or a silent display is a one-line refusal, exit 2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.gui import display_check


def _free_display() -> str:
    number = 99
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    return f":{number}"


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    env.update(changes)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")
@pytest.mark.parametrize("command", [[], ["explorer"]])
def test_a_display_nobody_answers_is_exit_2_with_one_line(command):
    display = _free_display()
    done = subprocess.run([sys.executable, "-m", "workbench.cli", *command],
                          env=_env(DISPLAY=display), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"workbench: error: no X display answers at "
                                   f"DISPLAY={display} (is an X server running there, and "
                                   f"may this user connect to it?)")
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr


def test_a_missing_xcb_library_names_the_package_to_install(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(display_check, "missing_xcb_libraries",
                        lambda: ["libxcb-cursor.so.0"])
    assert display_check.display_problem() == (
        "Qt's X11 platform needs libxcb-cursor.so.0, which is not installed: install it "
        "with 'sudo apt install libxcb-cursor0'")


def test_offscreen_and_other_platforms_skip_the_check(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":4711")
    monkeypatch.setattr(display_check, "missing_xcb_libraries", lambda: ["libxcb1.so.1"])
    for platform in ("offscreen", "minimal", "wayland"):
        monkeypatch.setenv("QT_QPA_PLATFORM", platform)
        assert display_check.display_problem() is None


def test_package_names_follow_debian_naming():
    assert display_check.debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert display_check.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert display_check.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"


@pytest.mark.parametrize(("env", "shows"), [
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
    ({"QT_QPA_PLATFORM": "minimal"}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, True),
    ({"QT_QPA_PLATFORM": "eglfs"}, True),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({}, False)])
def test_the_chooser_and_the_window_commands_ask_one_question(monkeypatch, env, shows):
    from workbench import cli
    from workbench.gui import app

    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert display_check.windows_can_show() is shows
    assert cli._display_available() is shows and app.can_start_qt() is shows


def test_a_window_command_offscreen_without_screenshot_is_refused(monkeypatch, capsys):
    from workbench.cli import main

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["explorer"]) == 2
    assert "no display to open a window on" in capsys.readouterr().err


# A server image or slim container has no libGL: importing Qt's GUI modules raises
# ImportError naming the shared object. Simulated by a finder that refuses them, in a
# child process so that this one's Qt stays loaded.
_NO_LIBGL = """
import sys
class NoLibGL:
    def find_spec(self, name, path=None, target=None):
        if name in ("PySide6.QtGui", "PySide6.QtWidgets"):
            raise ImportError("libGL.so.1: cannot open shared object file: "
                              "No such file or directory")
sys.meta_path.insert(0, NoLibGL())
from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["explorer", "iris"], ["flow"], ["experimenter"], []])
def test_without_qts_gui_libraries_a_window_command_names_the_package_in_one_line(
        command, tmp_path):
    screenshot = ["--screenshot", str(tmp_path / "shot.png")]
    done = subprocess.run([sys.executable, "-c", _NO_LIBGL, *command, *screenshot],
                          env=_env(QT_QPA_PLATFORM="offscreen"), capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "workbench: error: the GUI cannot start: Qt needs libGL.so.1, which is not "
        "installed: install it with 'sudo apt install libgl1' (the command line works "
        "without it)")
    assert not (tmp_path / "shot.png").exists()


def test_debian_package_names_are_lower_case():
    assert display_check.debian_package("libGL.so.1") == "libgl1"
    assert display_check.debian_package("libEGL.so.1") == "libegl1"
    assert display_check.debian_package("libfontconfig.so.1") == "libfontconfig1"
