"""Freed memory handed back to the system: glibc is asked (``malloc_trim``), elsewhere
nothing is done and nothing fails."""

from __future__ import annotations

import platform
import sys

from workbench.core import memory_return


def test_glibc_is_asked_and_nothing_else_fails():
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert memory_return.give_back_freed_memory() is glibc


def test_without_a_trim_to_call_it_does_nothing(monkeypatch):
    monkeypatch.setattr(memory_return, "_trim", lambda: None)
    assert memory_return.give_back_freed_memory() is False
