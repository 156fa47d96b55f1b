"""An MLP whose mini-batch training is stuck at chance says so, and why.

ReLU units at WEKA's learning rate 0.3 on 784 pixel inputs drive the sigmoid outputs
into their flat tails within the first epoch (mnist-test: 11.1 % on a 90 % split, worse
than ZeroR), and the report, the progress line and the curves said nothing. The data
here are MNIST-like: 784 pixels of 0 or 255, a class-specific stroke pattern.
"""

from __future__ import annotations

import numpy as np
import pytest
from classifier_helpers import make_dataset

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.evaluation import TestOption, evaluate


@pytest.fixture(scope="module")
def pixels():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 300)
    strokes = rng.random((10, 784)) < 0.12
    X = np.where(strokes[y] & (rng.random((300, 784)) < 0.8), 255.0, 0.0)
    return make_dataset(X, y, tuple(str(i) for i in range(10)), relation="pixels")


def test_relu_at_the_default_rate_is_reported_stuck_with_its_cause(pixels):
    messages: list[str] = []
    model = MultilayerPerceptron(activation="relu", epochs=2)
    model.fit(pixels, progress=lambda event: messages.append(event.message))
    assert max(model.history_.accuracy) < 0.16  # the collapse itself is unchanged
    warning = model.warning_
    assert "stuck at chance" in warning and "after epoch 1" in warning
    assert "output units saturated" in warning and "e.g. to 0.03" in warning
    # Every progress line after the first epoch says it, not only that epoch's report.
    first_end = next(i for i, m in enumerate(messages) if m.startswith("epoch 1/2, loss"))
    assert all("lower the learning rate, e.g. 0.03" in m for m in messages[first_end:])
    assert not any("stuck" in m for m in messages[:first_end])


def test_the_report_carries_the_cause(pixels):
    run = evaluate(MultilayerPerceptron(activation="relu", epochs=1), pixels,
                   TestOption.split(90.0, 1))
    assert run.warnings[-1] == run.model.warning_ and "saturated" in run.warnings[-1]
    assert "saturated" in run.report().split("=== Warnings ===")[1]


@pytest.mark.parametrize("settings", [{"activation": "sigmoid"},
                                      {"activation": "relu", "learning_rate": 0.03}])
def test_a_network_that_learns_says_nothing(pixels, settings):
    model = MultilayerPerceptron(epochs=2, **settings).fit(pixels)
    assert model.history_.accuracy[-1] > 0.3 and model.warning_ == ""


def test_a_saved_model_keeps_its_warning(pixels, tmp_path):
    from workbench.classifiers.modelfile import load_model

    model = MultilayerPerceptron(activation="relu", epochs=1).fit(pixels)
    model.save(tmp_path / "stuck.model")
    assert load_model(tmp_path / "stuck.model").warning_ == model.warning_ != ""


@pytest.mark.parametrize("warning", ["stuck\n=== Summary ===\nCorrectly Classified 150",
                                     "\x1b[2Jcleared", "x" * 5000])
def test_a_model_files_warning_is_one_line_of_text(tmp_path, warning):
    """Review: the warning is the file's own text, printed under the report's Warnings;
    a crafted one faked report lines (newlines) or cleared the terminal (escapes)."""
    import json
    import zipfile

    from workbench.classifiers.modelfile import ModelFileError, load_model
    from workbench.data.catalog import load_bundled

    path = tmp_path / "mlp.model"
    MultilayerPerceptron(epochs=1, hidden_layers="2").fit(load_bundled("iris")).save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    meta = json.loads(members["model.json"])
    meta["state"]["warning"] = warning
    members["model.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match="training warning is not one line"):
        load_model(path)
