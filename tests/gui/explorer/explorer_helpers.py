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
