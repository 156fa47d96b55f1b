"""A window's settings file is looked at before Qt reads it (``gui/settings_file.py``):
one too large (200 MB held the Explorer's start for seconds and 0.9 GB) or not a
regular file (a FIFO would hold it for ever) is set aside, kept, and the window starts
with the defaults, saying so once in its log and status bar."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from workbench.core.errors import WorkbenchWarning

pytestmark = pytest.mark.skipif(sys.platform in ("darwin", "win32"),
                                reason="the settings are a file on Linux and Unix only")

HOSTILE_BYTES = 200 * 1024 * 1024
SANE_BYTES = 4 * 1024 * 1024   # what a settings file may be (settings_file.py)


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    """This test's own settings folder, and every QSettings the windows make checked:
    it fails the test, instead of reading, a file too large or not a regular file."""
    folder = tmp_path / "config"
    (folder / "Workbench").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))

    class Checked(QSettings):
        def __init__(self, *args):
            if len(args) == 2 and all(isinstance(a, str) for a in args):   # (org, app)
                path = folder / args[0] / f"{args[1]}.conf"
            else:
                path = Path(args[0])
            try:
                info = os.stat(path)
            except FileNotFoundError:
                pass
            else:
                assert stat.S_ISREG(info.st_mode), f"QSettings was made on {path}, no file"
                assert info.st_size <= SANE_BYTES, \
                    f"QSettings was made on {path}, {info.st_size} bytes"
            # by its path: Qt keeps the folder of its first (org, app) settings for good
            super().__init__(str(path), QSettings.Format.IniFormat)

    from workbench.gui.explorer import window as explorer_window
    from workbench.gui.flow_editor import files as flow_files

    monkeypatch.setattr(explorer_window, "QSettings", Checked)
    monkeypatch.setattr(flow_files, "QSettings", Checked)
    try:
        from workbench.gui import settings_file
    except ImportError:   # before settings_file.py: the windows made their own
        pass
    else:
        monkeypatch.setattr(settings_file, "QSettings", Checked)
    return folder / "Workbench"


def _hostile(path: Path) -> None:
    """200 MB of settings file, sparse: cheap to make, as costly to read as any."""
    with open(path, "wb") as handle:
        handle.write(b"[General]\nrecent_files=")
        handle.truncate(HOSTILE_BYTES)


def _explorer(qtbot):
    from workbench.gui.explorer.window import ExplorerWindow

    window = ExplorerWindow()
    qtbot.addWidget(window)
    return window, window.log.toPlainText(), window.status.activity.text()


def _flow_editor(qtbot):
    from workbench.gui.flow_editor import FlowEditor

    window = FlowEditor()
    qtbot.addWidget(window)
    text = window.log.toPlainText(), window.status.activity.text()
    window.runner.stop()
    return window, *text


@pytest.mark.parametrize(("name", "make"), [("Explorer", _explorer),
                                            ("KnowledgeFlow", _flow_editor)])
def test_an_oversized_settings_file_is_set_aside_before_qt_reads_it(qtbot, config, name,
                                                                    make):
    path = config / f"{name}.conf"
    _hostile(path)
    window, log, status = make(qtbot)
    aside = config / f"{name}.conf.too-large"
    assert aside.stat().st_size == HOSTILE_BYTES          # kept whole, under a new name
    assert aside.read_bytes()[:10] == b"[General]\n"
    assert not path.exists() or path.stat().st_size < SANE_BYTES
    said = [line for line in log.splitlines() if "set it aside" in line]
    assert len(said) == 1 and str(path) in said[0] and str(aside) in said[0]
    assert "200 MiB" in said[0] and "4 MiB" in said[0]
    assert status.startswith("Warning: the settings file could not be used; started with "
                             "the defaults: see the ")
    window.settings.setValue("folds", 7)                  # the new file works
    window.settings.sync()
    assert "folds=7" in path.read_text()


def test_a_settings_file_that_is_no_regular_file_is_set_aside(config):
    from workbench.gui.explorer.window import explorer_settings

    path = config / "Explorer.conf"
    os.mkfifo(path)      # Qt would wait for a writer for ever
    with pytest.warns(WorkbenchWarning, match="is not a regular file"):
        settings = explorer_settings()
    assert stat.S_ISFIFO(os.lstat(config / "Explorer.conf.not-a-file").st_mode)
    assert settings.value("folds") is None
    link = config / "KnowledgeFlow.conf"
    link.symlink_to("/dev/zero")   # Qt would read without end
    from workbench.gui.flow_editor.files import editor_settings

    with pytest.warns(WorkbenchWarning, match="is not a regular file"):
        editor_settings()
    assert os.readlink(config / "KnowledgeFlow.conf.not-a-file") == "/dev/zero"


def test_a_file_set_aside_before_is_never_replaced(config):
    from workbench.gui.explorer.window import explorer_settings

    (config / "Explorer.conf.too-large").write_text("the first one")
    _hostile(config / "Explorer.conf")
    with pytest.warns(WorkbenchWarning, match=r"Explorer\.conf\.too-large\.2"):
        explorer_settings()
    assert (config / "Explorer.conf.too-large").read_text() == "the first one"
    assert (config / "Explorer.conf.too-large.2").stat().st_size == HOSTILE_BYTES


def test_a_file_that_cannot_be_set_aside_is_left_alone_and_not_read(config, monkeypatch):
    from workbench.gui import settings_file
    from workbench.gui.explorer.window import explorer_settings

    path = config / "Explorer.conf"
    _hostile(path)

    def refused(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings_file.os, "replace", refused)
    with pytest.warns(WorkbenchWarning, match="could not be set aside.*does not keep"):
        settings = explorer_settings()
    assert path.stat().st_size == HOSTILE_BYTES
    assert Path(settings.fileName()) != path


def test_a_settings_file_of_a_sane_size_is_read(config):
    from workbench.gui.explorer.window import explorer_settings

    path = config / "Explorer.conf"
    path.write_text("[General]\nfolds=5\n" + "; a comment\n" * (SANE_BYTES // 12 - 10))
    assert path.stat().st_size <= SANE_BYTES
    assert int(explorer_settings().value("folds")) == 5
    assert path.exists() and not (config / "Explorer.conf.too-large").exists()


def test_the_file_checked_is_the_one_qt_uses(tmp_path):
    """In a process of its own: Qt keeps the settings folder it first found."""
    code = ("from PySide6.QtCore import QSettings\n"
            "from workbench.gui.settings_file import settings_file\n"
            "for app in ('Explorer', 'KnowledgeFlow'):\n"
            "    print(settings_file(app), QSettings('Workbench', app).fileName())\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(tmp_path / "Workbench" / "Explorer.conf")] * 2 + \
        [str(tmp_path / "Workbench" / "KnowledgeFlow.conf")] * 2
