"""A built-in package that cannot be imported, or registers nothing, is a reported
problem: it is never taken for "a layer not built yet" and skipped in silence."""

from __future__ import annotations

import sys
import types

from workbench.core.registry import BUILTIN_PACKAGES, DERIVED_PACKAGES, KINDS, Registry


def test_a_missing_built_in_package_is_a_problem_not_a_silent_skip():
    registry = Registry()
    assert not registry.register_module("workbench.no_such_layer")
    [problem] = registry.problems
    assert "workbench.no_such_layer" in problem and "could not be imported" in problem


def test_a_built_in_module_without_register_is_a_problem(monkeypatch):
    monkeypatch.setitem(sys.modules, "workbench_fake_layer", types.ModuleType("fake"))
    registry = Registry()
    assert not registry.register_module("workbench_fake_layer")
    assert any("has no register(registry)" in p for p in registry.problems)


def test_every_kind_is_registered_by_some_built_in():
    registry = Registry()
    for package in (*BUILTIN_PACKAGES, *DERIVED_PACKAGES):
        assert registry.register_module(package), registry.problems
    assert set(registry.kinds()) == set(KINDS)  # no kind that nobody registers
