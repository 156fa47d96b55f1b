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
