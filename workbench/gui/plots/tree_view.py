"""The picture of a decision tree: WEKA's "Visualize tree" for the result list.

Splits are ovals naming the attribute tested, leaves are boxes with ``class
(weight/errors)``, and each branch carries its test (``= sunny``, ``<= 2.45``) just
above the node it leads to, as in WEKA's TreeVisualizer. The nodes and their order come
from the model (``classifiers/tree_structure.py``, the same that writes the tree's
text), their places from ``gui/tree_layout.py``. The picture opens fitted to the window
(never enlarged past ``MOST_FIT``: a three-node tree blown up to fill a screen reads
worse than at its own size); the wheel zooms about the pointer, dragging moves it, and
"Fit to window" and "Actual size" go back. "Save image..." writes the whole tree, not
the part in view, as PNG or SVG.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.classifiers.tree_structure import Tree, TreeNode, model_tree
from workbench.core.atomic import atomic_path
from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, check
from workbench.core.resources import user_output_root
from workbench.gui.tree_layout import Box, TreeLayout, lay_out, node_text
from workbench.gui.widgets.file_names import free_name
from workbench.gui.widgets.literal import plain_label, tooltip_text, warn
from workbench.gui.workers import Job

SPLIT_FILL = QColor(232, 240, 250)
LEAF_FILL = QColor(255, 249, 222)
OUTLINE = QColor(60, 60, 60)
EDGE = QColor(120, 120, 120)
LABEL_FILL = QColor(255, 255, 255)
MOST_FIT = 1.5          # fitting to the window enlarges at most this much
ZOOM_RANGE = (0.02, 8.0)
ZOOM_STEP = 1.25
# The saved PNG is drawn at twice the picture's own size (crisp when printed or put in a
# slide), shrunk to stay within this many pixels a side (Qt's raster images stop at
# 32767; a 2000-leaf tree is wider) and this many in all (encoding a 170-leaf tree's
# 32 million took 5 s).
MOST_PNG_SIDE = 16000
MOST_PNG_PIXELS = 12_000_000


class TreeCanvas(QGraphicsView):
    """The drawn tree: wheel zooms about the pointer, dragging moves the picture."""

    zoomed = Signal(float)   # the new scale, after any change of it

    def __init__(self, tree: Tree, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QBrush(QColor(255, 255, 255)))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        # Moved by dragging (and the arrow keys), as WEKA's tree is: scroll bars that
        # come and go as the zoom changes resize the view under a fit, which then
        # centres on a stale width and cuts the tree's edge.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Fitted to the window until the user zooms: a resize then fits it again.
        self.following_window = True
        self.layout_ = self._draw()

    # Drawing --------------------------------------------------------------------------
    def _draw(self) -> TreeLayout:
        font = QFont(self.font())
        metrics = QFontMetricsF(font)
        line = metrics.height()
        node_height = line + 10

        def node_width(node: TreeNode) -> float:
            text = metrics.horizontalAdvance(node_text(node))
            # An oval needs more room than a box around the same words.
            return text + 16 if node.is_leaf else text * 1.15 + line * 1.4

        def label_width(test: str) -> float:
            return metrics.horizontalAdvance(test) + 8 if test else 0.0

        layout = lay_out(self.tree, node_width, label_width, node_height, line + 2,
                         line * 1.6)
        scene = self.scene()
        scene.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        edges = QPainterPath()
        tests = [""] * len(self.tree.nodes)   # the branch leading to each node
        for index, node in enumerate(self.tree.nodes):
            box = layout.nodes[index]
            for branch in node.branches:
                # To the top of the branch's label, which stands on the node it leads to.
                label = layout.labels[branch.child]
                top = label.y if label is not None else layout.nodes[branch.child].y
                edges.moveTo(box.centre_x, box.bottom)
                edges.lineTo(layout.nodes[branch.child].centre_x, top)
                tests[branch.child] = branch.test
        path = QGraphicsPathItem(edges)
        path.setPen(QPen(EDGE, 1.2))
        scene.addItem(path)
        for index, node in enumerate(self.tree.nodes):
            self._node(scene, node, layout.nodes[index], font)
            label = layout.labels[index]
            if label is not None:
                self._label(scene, tests[index], label, font)
        return layout

    @staticmethod
    def _node(scene: QGraphicsScene, node: TreeNode, box: Box, font: QFont) -> None:
        rect = QRectF(box.x, box.y, box.width, box.height)
        shape: QGraphicsItem
        if node.is_leaf:
            shape = QGraphicsRectItem(rect)
            shape.setBrush(QBrush(LEAF_FILL))
            shape.setPen(QPen(OUTLINE, 1))
            shape.setToolTip(tooltip_text(
                f"leaf: {node.leaf} (class, then the training weight reaching it / how "
                f"much of it is of another class)"))
        else:
            shape = QGraphicsEllipseItem(rect)
            shape.setBrush(QBrush(SPLIT_FILL))
            shape.setPen(QPen(OUTLINE, 1))
            shape.setToolTip(tooltip_text(f"split on {node.attribute}"))
        scene.addItem(shape)
        _centred_text(scene, node_text(node), rect, font)

    @staticmethod
    def _label(scene: QGraphicsScene, test: str, box: Box, font: QFont) -> None:
        rect = QRectF(box.x, box.y, box.width, box.height)
        back = QGraphicsRectItem(rect)
        back.setBrush(QBrush(LABEL_FILL))
        back.setPen(QPen(Qt.PenStyle.NoPen))
        scene.addItem(back)
        _centred_text(scene, test, rect, font)

    # Zoom -----------------------------------------------------------------------------
    def zoom(self) -> float:
        """The scale the picture is drawn at (1: its own size)."""
        return float(self.transform().m11())

    def fit_to_window(self) -> None:
        """The whole tree in view, enlarged at most ``MOST_FIT`` times."""
        self.following_window = True
        self.resetTransform()
        rect = self.sceneRect()
        room = self.viewport().size()
        if rect.width() <= 0 or rect.height() <= 0 or room.width() <= 2:
            return
        scale = min((room.width() - 2) / rect.width(), (room.height() - 2) / rect.height(),
                    MOST_FIT)
        self.scale(max(scale, ZOOM_RANGE[0]), max(scale, ZOOM_RANGE[0]))
        self.centerOn(rect.center())
        self.zoomed.emit(self.zoom())

    def actual_size(self) -> None:
        self.following_window = False
        self.resetTransform()
        self.centerOn(QPointF(self.sceneRect().center().x(), 0))
        self.zoomed.emit(self.zoom())

    def zoom_by(self, factor: float) -> None:
        """Zoom by ``factor`` about the pointer (within ``ZOOM_RANGE``)."""
        current = self.zoom()
        target = min(max(current * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        if target != current:
            self.following_window = False
            self.scale(target / current, target / current)
            self.zoomed.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.following_window:
            self.fit_to_window()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.following_window:
            self.fit_to_window()

    # Saving ---------------------------------------------------------------------------
    def picture(self) -> QImage:
        """The whole tree drawn into an image: twice its own size where that stays
        within ``MOST_PNG_PIXELS`` and ``MOST_PNG_SIDE``, smaller where it would not."""
        rect = self.sceneRect()
        width, height = max(rect.width(), 1.0), max(rect.height(), 1.0)
        scale = min(2.0, math.sqrt(MOST_PNG_PIXELS / (width * height)),
                    MOST_PNG_SIDE / max(width, height))
        size = QSize(max(1, round(width * scale)), max(1, round(height * scale)))
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        painter.setRenderHints(self.renderHints())
        self.scene().render(painter, QRectF(0, 0, size.width(), size.height()), rect)
        painter.end()
        return image

    def write_svg(self, path: Path) -> Path:
        """The whole tree as an SVG drawing (vectors: any size prints sharp)."""
        rect = self.sceneRect()
        with atomic_path(path) as temp:
            generator = QSvgGenerator()
            generator.setFileName(temp)
            generator.setSize(QSize(round(rect.width()), round(rect.height())))
            generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
            generator.setTitle(self.window().windowTitle() or "Decision tree")
            painter = QPainter()
            if not painter.begin(generator):
                raise WorkbenchError(f"{path}: could not start the SVG file")
            try:
                self.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
            finally:
                painter.end()
        return path


def image_target(path: str | Path) -> Path:
    """``path`` checked as where a picture can go: a .png or .svg name in a folder
    that exists."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise WorkbenchError(f"{target}: cannot save an image as '{suffix or 'no ending'}' "
                             f"(expected .png or .svg)")
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target}: the folder {target.parent} does not exist")
    return target


def write_png(image: QImage, path: Path, cancel: CancelToken | None = None) -> Path:
    """Encode ``image`` as PNG into ``path`` atomically (seconds for a wide tree, so
    the view runs it on a worker); a Stop meanwhile leaves no file behind."""
    with atomic_path(path) as temp:
        writer = QImageWriter(temp, QByteArray(b"png"))
        if not writer.write(image):
            raise WorkbenchError(f"{path}: could not write the PNG image "
                                 f"({writer.errorString()})")
        check(cancel)
    return path


def _centred_text(scene: QGraphicsScene, text: str, rect: QRectF, font: QFont) -> None:
    item = QGraphicsSimpleTextItem(text)
    item.setFont(font)
    bounds = item.boundingRect()
    item.setPos(rect.center().x() - bounds.width() / 2,
                rect.center().y() - bounds.height() / 2)
    scene.addItem(item)


class TreeView(QWidget):
    """The tree of one model in a window of its own, with its size, zoom buttons and
    Save image."""

    def __init__(self, tree: Tree, name: str, relation: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Tree: {name}")
        # Save image... proposes "<relation>-tree.png" in the output folder, as Save
        # model... does, rather than wherever the program was started from.
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_"
                       for c in relation)[:80]
        self.suggested_stem = f"{safe}-tree" if safe.strip("._") else "tree"
        self.saving: Job | None = None   # the PNG being written, if any
        self.canvas = TreeCanvas(tree)
        leaves = tree.leaf_count
        self.summary = QLabel(
            f"{leaves} {'leaf' if leaves == 1 else 'leaves'}, {len(tree.nodes)} "
            f"{'node' if len(tree.nodes) == 1 else 'nodes'}, "
            f"depth {tree.depth}. Wheel: zoom; drag: move.")
        self.zoom_label = QLabel()
        self.fit_button = QPushButton("Fit to window")
        self.actual_button = QPushButton("Actual size")
        self.save_button = QPushButton("Save image...")
        self.fit_button.setToolTip("The whole tree in the window (Ctrl+0)")
        self.actual_button.setToolTip("The tree at the size of its text (Ctrl+1)")
        self.save_button.setToolTip("The whole tree, not only the part in view, as PNG "
                                    "or SVG")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.zoom_label)
        top.addWidget(self.fit_button)
        top.addWidget(self.actual_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        self.status = plain_label("")   # what Save image... did
        layout.addWidget(self.status)
        self.fit_button.clicked.connect(self.canvas.fit_to_window)
        self.actual_button.clicked.connect(self.canvas.actual_size)
        self.save_button.clicked.connect(self._save_clicked)
        for keys, slot in (("Ctrl+0", self.canvas.fit_to_window),
                           ("Ctrl+1", self.canvas.actual_size),
                           (QKeySequence.StandardKey.ZoomIn,
                            partial(self.canvas.zoom_by, ZOOM_STEP)),
                           (QKeySequence.StandardKey.ZoomOut,
                            partial(self.canvas.zoom_by, 1 / ZOOM_STEP))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.canvas.zoomed.connect(self._show_zoom)
        self._show_zoom()

    @classmethod
    def of(cls, model: Any, name: str) -> TreeView:
        """The window for ``model``'s tree (inside a FilteredClassifier too)."""
        tree = model_tree(model)
        if tree is None:
            raise WorkbenchError(f"{name} is not a decision tree, or has not been "
                                 f"trained")
        header = getattr(model, "header_", None)
        return cls(tree, name, header.relation if header is not None else "")

    def sizeHint(self) -> QSize:
        """Room for the tree at its own size where the screen allows (the window's
        size rule bounds it)."""
        rect = self.canvas.sceneRect()
        return QSize(int(rect.width()) + 40, int(rect.height()) + 90)

    def _show_zoom(self, *_args: object) -> None:
        self.zoom_label.setText(f"{self.canvas.zoom():.0%}")

    def save_image(self, path: str | Path) -> Job | None:
        """Save the whole tree to ``path``: an SVG at once, a PNG drawn here and
        encoded on a worker (the returned job; Save image... turns into Stop saving
        while it runs)."""
        target = image_target(path)
        if target.suffix.lower() == ".svg":
            self.canvas.write_svg(target)
            self.status.setText(f"Saved the picture to {target}")
            return None
        if self.saving is not None:
            raise WorkbenchError("a picture is being saved already: wait for it first")
        image = self.canvas.picture()
        job = self.saving = Job(lambda progress, cancel: write_png(image, target, cancel),
                                "save-tree-picture")
        # Bound methods, not lambdas: Qt drops them if the window is closed meanwhile.
        job.finished.connect(self._png_saved)
        job.failed.connect(self._png_failed)
        job.cancelled.connect(self._png_stopped)
        job.done.connect(self._saved)
        self.status.setText(f"Saving the picture to {target}...")
        self.save_button.setText("Stop saving")
        job.start()
        return job

    def _png_saved(self, saved: Path) -> None:
        self.status.setText(f"Saved the picture to {saved}")

    def _png_failed(self, message: str, _details: str) -> None:
        self.status.setText("")
        warn(self, "Could not save", message)

    def _png_stopped(self) -> None:
        self.status.setText("Stopped saving the picture")

    def _saved(self) -> None:
        self.saving = None
        self.save_button.setText("Save image...")

    def _save_clicked(self) -> None:
        if self.saving is not None:
            self.saving.stop()
            return
        suggested = free_name(user_output_root(), self.suggested_stem, ".png")
        path, _ = QFileDialog.getSaveFileName(self, "Save image", str(suggested),
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".png"
        try:
            self.save_image(path)
        except (OSError, WorkbenchError) as error:
            warn(self, "Could not save", str(error))
