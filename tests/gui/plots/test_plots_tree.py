"""The decision tree's window: every node drawn, fitted to the window on open, zoomed by
the wheel, and the whole tree saved as a picture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.sklearn_adapter import DecisionTree
from workbench.core.errors import WorkbenchError
from workbench.data.catalog import load_bundled
from workbench.gui.plots.tree_view import MOST_FIT, TreeView


@pytest.fixture(scope="module")
def weather_tree():
    return DecisionTree(pruning="none").fit(load_bundled("weather.nominal"))


def _open(qtbot, model, width=900, height=600) -> TreeView:
    view = TreeView.of(model, "DecisionTree")
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def _wheel(view: TreeView, notches: int) -> None:
    canvas = view.canvas
    centre = QPointF(canvas.viewport().rect().center())
    event = QWheelEvent(centre, QPointF(canvas.viewport().mapToGlobal(centre.toPoint())),
                        QPoint(0, 0), QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    canvas.wheelEvent(event)


def test_every_node_and_branch_is_drawn_in_weka_s_shapes(qtbot, weather_tree):
    view = _open(qtbot, weather_tree)
    assert view.windowTitle() == "Tree: DecisionTree"
    items = view.canvas.scene().items()
    texts = {item.text() for item in items if isinstance(item, QGraphicsSimpleTextItem)}
    tree = weather_tree.decision_tree()
    assert {"outlook", "humidity", "windy", "temperature", "yes (4.0)", "no (3.0)",
            "= overcast", "!= overcast", "= TRUE", "= FALSE", "<= 0.8"} - texts == {"<= 0.8"}
    ovals = [i for i in items if isinstance(i, QGraphicsEllipseItem)]
    assert len(ovals) == len(tree.nodes) - tree.leaf_count   # the splits
    # Hovering names a node whose text is too small to read.
    assert {o.toolTip() for o in ovals} == {"split on outlook", "split on humidity",
                                           "split on windy", "split on temperature"}
    boxes = [i for i in items if isinstance(i, QGraphicsRectItem) and i.pen().style()
             != Qt.PenStyle.NoPen]
    assert len(boxes) == tree.leaf_count
    assert view.summary.text().startswith("7 leaves, 13 nodes, depth 4.")
    assert view.suggested_stem == "weather.symbolic-tree"   # Save image...'s proposal


def test_it_opens_fitted_to_the_window_and_the_wheel_zooms(qtbot):
    # A tree too wide for the window at its own size.
    model = DecisionTree(pruning="none").fit(load_bundled("diabetes"))
    view = _open(qtbot, model)
    canvas = view.canvas
    fitted = canvas.zoom()
    assert fitted < 1
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert shown.contains(canvas.sceneRect().adjusted(1, 1, -1, -1))   # all of it
    _wheel(view, 2)
    assert canvas.zoom() == pytest.approx(fitted * 1.25 ** 2)
    view.resize(700, 500)   # zoomed by hand: a resize keeps the zoom
    qtbot.waitUntil(lambda: canvas.viewport().width() < 700)
    assert canvas.zoom() == pytest.approx(fitted * 1.25 ** 2)
    view.actual_button.click()
    assert canvas.zoom() == 1 and view.zoom_label.text() == "100%"
    view.fit_button.click()
    assert canvas.zoom() < fitted   # fitted to the smaller window


def test_a_small_tree_is_not_blown_up_past_its_size(qtbot):
    model = DecisionTree(max_depth=1).fit(load_bundled("iris"))
    view = _open(qtbot, model, 1600, 1000)
    assert view.canvas.zoom() == MOST_FIT


def test_save_image_writes_the_whole_tree(qtbot, weather_tree, tmp_path):
    view = _open(qtbot, weather_tree, 300, 250)   # only part of it in view when zoomed
    _wheel(view, 5)
    job = view.save_image(tmp_path / "tree.png")
    assert job is not None and view.save_button.text() == "Stop saving"
    qtbot.waitUntil(lambda: view.saving is None, timeout=30_000)
    image = QImage(str(tmp_path / "tree.png"))
    scene = view.canvas.sceneRect()
    assert (image.width(), image.height()) == (round(scene.width() * 2),
                                               round(scene.height() * 2))
    assert view.status.text() == f"Saved the picture to {tmp_path / 'tree.png'}"
    assert view.save_button.text() == "Save image..."
    assert view.save_image(tmp_path / "tree.svg") is None
    svg = (tmp_path / "tree.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "temperature" in svg
    with pytest.raises(WorkbenchError, match=r"expected \.png or \.svg"):
        view.save_image(tmp_path / "tree.jpg")
    with pytest.raises(WorkbenchError, match="does not exist"):
        view.save_image(tmp_path / "missing" / "tree.png")


def test_a_model_without_a_tree_is_refused_in_words():
    model = KNearestNeighbours().fit(load_bundled("iris"))
    with pytest.raises(WorkbenchError, match="IBk is not a decision tree"):
        TreeView.of(model, "IBk")


def test_stop_saving_leaves_no_file(qtbot, weather_tree, tmp_path, monkeypatch):
    import threading

    from workbench.gui.plots import tree_view

    release = threading.Event()
    real = tree_view.write_png

    def held(image, path, cancel=None):
        assert release.wait(30)   # the PNG is "still being written" until Stop
        return real(image, path, cancel)

    monkeypatch.setattr(tree_view, "write_png", held)
    view = _open(qtbot, weather_tree)
    view.save_image(tmp_path / "tree.png")
    view.save_button.click()   # now "Stop saving"
    release.set()
    qtbot.waitUntil(lambda: view.saving is None, timeout=30_000)
    assert view.status.text() == "Stopped saving the picture"
    assert list(tmp_path.iterdir()) == []   # neither the picture nor a temporary file
    assert view.save_button.text() == "Save image..."
