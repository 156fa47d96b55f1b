"""A damaged settings value never stops a window (walkthrough 13a, D8 and D9): it is
ignored and dropped with one warning, and the recent lists are read only as far as
their menus go."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from explorer_helpers import dataset_path, open_and_wait

from workbench.core.errors import WorkbenchWarning


def _copy_of_iris(tmp_path) -> Path:
    path = tmp_path / "iris_copy.csv"
    from workbench.data.io import load_dataset, save_dataset

    save_dataset(load_dataset(dataset_path("iris.arff")), path)
    return path


def _options_key(path: Path) -> str:
    return "load_options/" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()


@pytest.mark.parametrize("damage", [
    "[" * 100_000,                                   # RecursionError in json.loads
    json.dumps({"skip_lines": 10**18, "encoding": "hex"}),   # OverflowError in a spin box
    json.dumps({"skip_lines": 1, "file": {"size": "big"}}),
    "x" * 1_000_000,
])
def test_damaged_reading_options_are_dropped_and_the_file_opens(qtbot, explorer, settings,
                                                                tmp_path, damage):
    path = _copy_of_iris(tmp_path)
    settings.setValue(_options_key(path), damage)
    with pytest.warns(WorkbenchWarning, match="ignored the reading options kept for"):
        open_and_wait(qtbot, explorer, str(path))
    assert explorer.dataset is not None and explorer.dataset.num_instances == 150
    assert explorer.options_dialog is None          # opened with the defaults, unasked
    assert settings.value(_options_key(path)) is None   # dropped: said once only


def test_a_kept_skip_lines_beyond_the_dialogs_range_is_refused():
    from workbench.gui.explorer.load_options import MAX_SKIP_LINES, LoadOptions

    assert LoadOptions.checked({"skip_lines": MAX_SKIP_LINES})[1] == []
    assert LoadOptions.checked({"skip_lines": MAX_SKIP_LINES + 1})[1] == ["skip_lines"]
    assert LoadOptions.from_json(json.dumps({"skip_lines": 10**18})) == LoadOptions()
    assert LoadOptions.from_json("[" * 100_000) == LoadOptions()


def test_a_recent_list_is_read_as_far_as_the_menu_goes(qtbot, settings, monkeypatch):
    from workbench.gui.explorer import window as window_module
    from workbench.gui.explorer.files import MAX_RECENT, recent_files

    settings.setValue("recent_files", [f"/tmp/{i}.arff" for i in range(20_000)])
    with pytest.warns(WorkbenchWarning, match="20000 entries"):
        assert recent_files(settings) == [f"/tmp/{i}.arff" for i in range(MAX_RECENT)]
    assert len(settings.value("recent_files")) == MAX_RECENT   # the rest dropped
    settings.setValue("recent_files", ["/tmp/a.arff", "A" * 5_000_000, "/tmp/b.arff"])
    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    with pytest.warns(WorkbenchWarning, match="not paths"):
        window = window_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(window)
    assert [a.text() for a in window.recent_menu.actions()] == ["/tmp/a.arff",
                                                                "/tmp/b.arff"]


def test_a_damaged_last_folder_is_not_offered(settings):
    from workbench.gui.settings_values import folder_setting

    settings.setValue("last_dir", "/" + "d" * 100_000)
    with pytest.warns(WorkbenchWarning, match="remembered folder"):
        assert folder_setting(settings, "last_dir") == ""
    assert settings.value("last_dir") is None
    settings.setValue("last_dir", "/dev/zero")       # not a folder: not used, kept
    assert folder_setting(settings, "last_dir") == ""


def test_the_flow_editors_recent_list_is_read_as_far_as_its_menu_goes(settings, tmp_path):
    from workbench.gui.flow_editor.files import MAX_RECENT, recent_flows

    flows = []
    for i in range(MAX_RECENT + 2):
        flows.append(tmp_path / f"{i}.kflow.json")
        flows[-1].write_text("{}")
    settings.setValue("recent_flows", [str(p) for p in flows] * 5_000)
    with pytest.warns(WorkbenchWarning, match="recent flows"):
        assert recent_flows(settings) == [str(p) for p in flows[:MAX_RECENT]]


def test_a_recent_entry_holding_a_nul_is_dropped_and_the_explorer_opens(
        qtbot, settings, monkeypatch):
    """Review: the Explorer raised ValueError ('embedded null byte') from its constructor
    on every start once a recent entry held a NUL (Open recent's bundled-name check
    asks the file system about each entry)."""
    from workbench.gui.explorer import window as window_module

    settings.setValue("recent_files", ["/tmp/a\x00b.arff", "/tmp/x.arff"])
    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    with pytest.warns(WorkbenchWarning, match="NUL"):
        window = window_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(window)
    assert [a.text() for a in window.recent_menu.actions()] == ["/tmp/x.arff"]
