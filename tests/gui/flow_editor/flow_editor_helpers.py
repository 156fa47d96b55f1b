"""Helpers shared by the flow editor tests."""

from __future__ import annotations


def run_to_end(qtbot, editor, nodes=None, timeout=60_000):
    """Start a run through the editor and wait until its worker is done."""
    with qtbot.waitSignal(editor.runner.done, timeout=timeout):
        assert editor.runner.start(nodes) if nodes else editor.run_all()
    return editor.runner.result
