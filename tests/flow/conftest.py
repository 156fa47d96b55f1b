"""Fixtures for the flow tests (helpers live in ``flow_helpers``)."""

from __future__ import annotations

import pytest
from flow_helpers import make_registry

from workbench.core.registry import Registry, default_registry


@pytest.fixture
def registry() -> Registry:
    return make_registry()


@pytest.fixture(scope="session")
def app_registry() -> Registry:
    return default_registry()


@pytest.fixture(autouse=True)
def _private_workbench_home(tmp_path_factory, monkeypatch):
    """Flow runs remember the files they wrote (``flow.writes.WriteRecord``) and write
    bundled templates' results into a per-user folder: keep both out of the real home."""
    home = tmp_path_factory.mktemp("workbench-home")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(home / "output"))
