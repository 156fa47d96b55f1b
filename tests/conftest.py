"""Fixtures for every test folder."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture
def script_module(monkeypatch) -> Callable[..., ModuleType]:
    """Load one of the repository's scripts (``benchmarks/io_arff.py``) as a module,
    with its folder on the path (benchmarks import their ``_common``) and ``argv`` as
    its command line, so a test runs it as a user would, only smaller."""
    def load(relative: str, *argv: str) -> ModuleType:
        path = REPOSITORY / relative
        monkeypatch.syspath_prepend(str(path.parent))
        monkeypatch.setattr("sys.argv", [str(path), *argv])
        spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load
