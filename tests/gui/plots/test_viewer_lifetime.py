"""A viewer is deleted when its last reference goes, never later by the cycle collector.

The order-dependent segfault of the GUI suite: every viewer's export bar held the viewer
and its ``table`` method, a reference cycle, so a viewer dropped by its opener stayed
alive (its C++ widgets too) until Python's cycle collector next ran. That could be inside
a pyqtgraph Python override (``LabelItem.resizeEvent``) called by Qt while it laid out
that same viewer: the collector deleted the widget tree under the running layout, and
``QGraphicsGridLayout::setGeometry`` went on with freed legend entries.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

from PySide6.QtWidgets import QApplication

from workbench.gui.plots import export
from workbench.gui.plots.errors import ClassifierErrorsView
from workbench.gui.viewers import ViewContext, viewers_for

ROOT = Path(__file__).resolve().parents[3]


def test_a_dropped_viewer_is_freed_at_once_not_by_the_cycle_collector(qtbot, mlp_cv):
    context = ViewContext(mlp_cv.dataset)
    entries = viewers_for(mlp_cv, context)
    assert "Visualize classifier errors" in [e.title for e in entries]
    gc.disable()
    try:
        for entry in entries:
            widget = entry.open(mlp_cv, context)
            QApplication.processEvents()
            gone = weakref.ref(widget)
            del widget
            assert gone() is None, f"{entry.title}: kept alive by a reference cycle"
    finally:
        gc.enable()


def test_the_export_bar_still_saves_its_viewer_held_weakly(qtbot, mlp_cv, tmp_path,
                                                            monkeypatch):
    view = ClassifierErrorsView(mlp_cv)
    qtbot.addWidget(view)
    bar = view.findChild(export.ExportBar)
    chosen = iter([str(tmp_path / "errors.png"), str(tmp_path / "errors.csv")])
    monkeypatch.setattr(export.QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (next(chosen), ""))
    bar.image_button.click()
    bar.data_button.click()
    assert (tmp_path / "errors.png").stat().st_size > 0
    rows = (tmp_path / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("instance,") and len(rows) == 1 + len(mlp_cv.results.actual)


# Run in a child process: before the fix this crashed the interpreter (SIGSEGV), which
# would take the whole test session down with it instead of failing one test.
_COLLECT_DURING_LAYOUT = """
import gc, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
import pyqtgraph as pg
from workbench.classifiers.knn import KNearestNeighbours
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, evaluate
from workbench.gui.viewers import ViewContext, viewers_for

iris = load_dataset(os.path.join({datasets!r}, "iris.arff"), class_index=-1)
evaluation = evaluate(KNearestNeighbours(k=3), iris, TestOption.cross_validation(folds=3))
context = ViewContext(iris)
original = pg.LabelItem.resizeEvent

def resize_then_collect(self, event):
    original(self, event)
    gc.collect()

# The collector is made to run where it happened to run in the crashing suite: in a
# legend label's resizeEvent, while Qt lays the label's plot out.
pg.LabelItem.resizeEvent = resize_then_collect
gc.disable()
# Open every viewer and drop it, as the viewer-registry test does; their first layout
# is still posted when the event loop next runs.
for entry in viewers_for(evaluation, context):
    widget = entry.open(evaluation, context)
del widget
app.processEvents()
print("laid out")
"""


def test_the_collector_running_during_a_layout_pass_deletes_nothing_in_use():
    datasets = str(ROOT / "workbench" / "resources" / "datasets")
    script = textwrap.dedent(_COLLECT_DURING_LAYOUT).format(datasets=datasets)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=240,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0 and "laid out" in done.stdout, \
        f"exit status {done.returncode}\n{done.stderr[-3000:]}"
