"""Helpers shared by the Explorer tests (imported by name: pytest puts this folder on
sys.path, as the flow tests do with ``flow_helpers``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATASETS = ROOT / "workbench" / "resources" / "datasets"


def dataset_path(name: str) -> str:
    """A bundled dataset's path, else one of tests/fixtures/datasets."""
    path = DATASETS / name
    if not path.exists():
        path = ROOT / "tests" / "fixtures" / "datasets" / name
    if not path.exists():
        raise FileNotFoundError(f"dataset {name} is neither bundled nor a test fixture")
    return str(path)


def open_and_wait(qtbot, window, path: str) -> None:
    window.open_file(path)
    qtbot.waitUntil(lambda: window.load_job is None, timeout=30_000)


def run_classifier(qtbot, explorer, name: str, values: dict | None = None) -> None:
    """Choose ``name`` (with ``values``) on the Classify tab, Start, and wait until the
    run has added exactly one result."""
    explorer.classify.choose(name, values)
    count = len(explorer.classify.evaluations)
    assert explorer.classify.start()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=60_000)
    assert len(explorer.classify.evaluations) == count + 1, explorer.log.text()


def settle_classify(qtbot, tab) -> None:
    """Let the Classify sheet's zero-delay fitting and the layouts finish: the splitter,
    the sheet's scroll range and the tab's minimum width must hold still over several
    event-loop turns in a row (one check after a fixed wait was not enough on a loaded
    machine)."""
    from settling import settle

    settle(qtbot, lambda: (tab.config_splitter.sizes(),
                           tab.sheet_scroll.verticalScrollBar().maximum(),
                           tab.minimumSizeHint().width()))


def hold(monkeypatch, module, name: str):
    """Replace ``module.name`` with a version that waits inside, until the test sets the
    returned ``release``, after setting ``entered``: work held at a known point in its
    worker, to check what the window does meanwhile, with no timing."""
    import threading

    release, entered = threading.Event(), threading.Event()
    real = getattr(module, name)

    def held(*args, **kwargs):
        entered.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return release, entered
