"""File > Open bundled dataset: every shipped dataset by name, wherever Workbench is
installed (the files come from the package, not from a checkout)."""

from __future__ import annotations

from workbench.data.catalog import BUNDLED, bundled_path


def test_the_menu_lists_every_bundled_dataset(explorer):
    texts = [action.text() for action in explorer.bundled_menu.actions()]
    assert [text.split()[0] for text in texts] == [entry.name for entry in BUNDLED]


def test_choosing_one_opens_the_packaged_file(qtbot, explorer):
    iris = next(a for a in explorer.bundled_menu.actions() if a.text().startswith("iris "))
    iris.trigger()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert explorer.dataset is not None and explorer.dataset.num_instances == 150
    assert explorer.path == str(bundled_path("iris"))


def test_a_missing_bundled_file_is_reported_not_raised(explorer, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATASETS", str(tmp_path))
    assert not explorer.open_bundled("iris")
    assert explorer.status.activity.text().startswith("Error: bundled dataset 'iris'")
