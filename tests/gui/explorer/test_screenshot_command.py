"""``workbench explorer DATA --screenshot PNG`` writes the picture and nothing else:
the window closes at once after the shot, with the parameter sheet's fit still queued,
and the offscreen platform's "does not support" notices are no news to a user."""

from __future__ import annotations

import os
import subprocess
import sys

from workbench.gui.qt_messages import is_platform_limit


def test_the_screenshot_command_prints_no_traceback_and_no_qt_noise(tmp_path):
    picture = tmp_path / "explorer.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "WORKBENCH_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "workbench", "explorer", "iris",
                           "--screenshot", str(picture)],
                          capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr
    assert picture.stat().st_size > 0
    assert "Traceback" not in done.stderr and "already deleted" not in done.stderr
    assert "does not support" not in done.stderr
    assert done.stderr.strip() == ""


def test_only_the_platforms_own_limits_are_dropped():
    assert is_platform_limit("This plugin does not support propagateSizeHints()")
    assert is_platform_limit("This plugin does not support grabbing the keyboard")
    assert not is_platform_limit("QPainter::begin: Paint device returned engine == 0")
    assert not is_platform_limit("Traceback: This plugin does not support x")


def test_other_messages_reach_the_handler_that_was_there_before():
    """pytest-qt's capture or a user's handler keeps every message but the platform's
    own notices (the handler is chained, not replaced)."""
    from workbench.gui.qt_messages import _passing_on_to

    seen = []
    handle = _passing_on_to(lambda kind, context, message: seen.append(message))
    handle(None, None, "This plugin does not support propagateSizeHints()")
    handle(None, None, "QFont::setPointSize: Point size <= 0 (-1)")
    assert seen == ["QFont::setPointSize: Point size <= 0 (-1)"]
