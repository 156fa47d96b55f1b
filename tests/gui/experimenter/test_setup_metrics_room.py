"""The Setup tab at the Experimenter's first size (1000x720, as on a 1280x800 screen)
shows every measure of the Metrics list: it was cut to 110 px, f_measure in half and
auc and correlation scrolled away, while the lists above had room to spare."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QScrollArea

from workbench.core.resources import bundled_experiment_path


def test_every_metric_is_in_sight_and_the_tab_does_not_scroll(qtbot, window, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    window.resize(1000, 720)
    window.show()
    qtbot.waitExposed(window)
    setup = window.setup
    assert setup.open_bundled(bundled_experiment_path("three-learners"))
    metrics = setup.metrics
    qtbot.waitUntil(lambda: metrics.visualItemRect(metrics.item(0)).height() > 0)
    last = metrics.visualItemRect(metrics.item(metrics.count() - 1))
    assert last.bottom() < metrics.viewport().height()   # correlation whole, nothing cut
    assert metrics.verticalScrollBar().maximum() == 0
    body = setup.findChild(QScrollArea, "scrolling_body")
    assert body.verticalScrollBar().maximum() == 0        # the lists above gave the room
    # and they still show a few datasets and classifiers before scrolling
    assert setup.datasets.viewport().height() >= 100
    assert setup.classifiers.viewport().height() >= 100


def test_the_metric_rows_do_not_touch(qtbot, window):
    """Each check box is as tall as its text: at 2x scaling the boxes touched row to
    row (walkthrough 13, D4), so the rows keep a gap, and every one is still whole."""
    window.show()
    qtbot.waitExposed(window)
    metrics = window.setup.metrics
    qtbot.waitUntil(lambda: metrics.visualItemRect(metrics.item(0)).height() > 0)
    rects = [metrics.visualItemRect(metrics.item(i)) for i in range(metrics.count())]
    assert all(below.top() - above.bottom() - 1 >= 2 for above, below in pairwise(rects))
    assert metrics.maximumHeight() >= rects[-1].bottom() + 1 + 2 * metrics.frameWidth()
