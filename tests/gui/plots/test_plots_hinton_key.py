"""The Hinton diagram's key: the walkthrough found red and blue squares with nothing
saying which colour is which, or that a square's area is the weight's size (the CNN
filters and RBM units said "red +, blue -"; the MLP's Hinton diagram said nothing)."""

from __future__ import annotations

import numpy as np

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.gui.plots.diagrams import NEGATIVE, POSITIVE, HintonView
from workbench.gui.plots.weights import WeightsView


def _pixels(widget) -> np.ndarray:
    image = widget.grab().toImage()
    return np.array([[image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
                     for y in range(image.height())])


def _has(pixels: np.ndarray, colour: tuple[int, int, int]) -> bool:
    return bool((np.abs(pixels - np.array(colour)).sum(axis=2) < 6).any())


def test_the_hinton_diagram_says_what_its_colours_and_sizes_mean(qtbot):
    weight = np.array([[0.5, -0.8], [0.1, 0.0]])
    view = HintonView(weight, ["unit 0", "unit 1"], ["a", "b"], title="dense layer 1")
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    key = view.key
    assert key.isVisible() and key.geometry().top() >= view.plot.geometry().bottom()
    assert key.text() == ("red: positive weight, blue: negative weight; area = size of "
                          "the weight (largest 0.8)")
    # The key draws the diagram's own colours, and all its words fit at this width.
    pixels = _pixels(key)
    assert _has(pixels, POSITIVE) and _has(pixels, NEGATIVE)
    assert key.sizeHint().width() <= key.width()
    view.set_weight(weight * 3)
    assert "largest 2.4" in key.text()


def test_the_watch_weights_hinton_page_has_the_key(qtbot, iris):
    model = MultilayerPerceptron(epochs=5, seed=1).fit(iris)
    view = WeightsView(model)
    qtbot.addWidget(view)
    hinton = view.pages["Hidden units"].hinton
    assert hinton is not None
    limit = float(np.abs(hinton.weight).max())
    assert hinton.key.text().endswith(f"(largest {limit:.3g})")
