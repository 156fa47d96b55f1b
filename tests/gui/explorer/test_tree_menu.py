""""Visualize tree" in the result list's menu: enabled for a result whose model is one
decision tree (alone, in a FilteredClassifier, or loaded from a file), disabled for any
other, and its window goes with the Explorer."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtWidgets import QGraphicsEllipseItem

from workbench.gui.plots.tree_view import TreeView
from workbench.gui.widgets.access_keys import plain_text


def _entries(explorer, row):
    return {plain_text(a.text()): a for a in explorer.results.build_menu(row).actions()
            if a.text()}


def test_visualize_tree_is_offered_for_trees_only_and_opens_the_tree(qtbot, explorer,
                                                                       tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("weather.nominal.arff"))
    run_classifier(qtbot, explorer, "decision-tree", {"pruning": "none"})
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "filtered", {"filters": "",
                                                 "classifier": "decision-tree"})
    run_classifier(qtbot, explorer, "filtered", {"filters": "", "classifier": "knn"})
    enabled = [_entries(explorer, row)["Visualize tree"].isEnabled() for row in range(4)]
    assert enabled == [True, False, True, False]
    # No result picked: the entry is there, disabled, so the menu keeps its shape.
    assert not _entries(explorer, -1)["Visualize tree"].isEnabled()

    _entries(explorer, 0)["Visualize tree"].trigger()
    view = explorer.results.windows[-1]
    assert isinstance(view, TreeView) and view.isVisible()
    assert view.windowTitle().startswith("Tree: ")
    ovals = [i for i in view.canvas.scene().items() if isinstance(i, QGraphicsEllipseItem)]
    assert len(ovals) == 6   # the splits of weather's fully grown tree

    # A decision tree saved and loaded again: its entry draws the same tree.
    saved = tmp_path / "tree.model"
    explorer.results.save_model(explorer.classify.evaluations[0], str(saved))
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    explorer.results.load_model(str(saved))
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=30_000)
    loaded = _entries(explorer, 4)["Visualize tree"]
    assert loaded.isEnabled()
    loaded.trigger()
    again = explorer.results.windows[-1]
    assert isinstance(again, TreeView) and again is not view
    assert again.canvas.tree == view.canvas.tree

    assert explorer.close()   # the tree windows go with the Explorer
    qtbot.waitUntil(lambda: not explorer.results.windows, timeout=10_000)
