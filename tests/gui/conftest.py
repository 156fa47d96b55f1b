"""GUI tests run offscreen: no display, same widgets; the cycle collector runs on the
GUI thread while they do, as in the application (``gui/collector.py``)."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="module", autouse=True)
def _collect_on_gui_thread(qapp):
    from workbench.gui.collector import collect_anywhere, collect_on_gui_thread

    collect_on_gui_thread()
    yield
    collect_anywhere()
