"""CNN accuracy on the bundled MNIST test set, 8 000 train / 2 000 test (slow: -m slow).

Measured on the shared 2-core CPU machine (one BLAS thread, seed 1): defaults (LeNet,
Adam, 8 epochs, batch 64, dropout 0.5) 98.80 % in 21-29 s; with augmentation (shifts of
2 pixels, rotations of 10 degrees, 10 epochs) 99.20 % in 31 s.

One seed is one draw: the first round's code gave 98.95 % for seed 1, yet over seeds
1-15 its mean was 98.85 % (sd 0.18) and today's is 98.81 % (sd 0.18), a paired
difference of -0.04 points (standard error 0.04, under one image); augmented, over seeds
1-10, 99.04 % then and 99.01 % now (-0.03, standard error 0.07). The convolutions
since then only reorder float32 sums (a few seeded steps agree to 1e-7), which sends
each seed down another path. scripts/cnn_mnist_seeds.py measures the mean over seeds.
"""

import time

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.cnn import ConvolutionalNetwork

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mnist():
    data = load("mnist-test.arff")
    return data.select_rows(slice(0, 8000)), data.select_rows(slice(8000, None))


def run(mnist, **settings) -> tuple[float, float]:
    train, test = mnist
    start = time.perf_counter()
    model = ConvolutionalNetwork(device="cpu", **settings).fit(train)
    accuracy = float(np.mean(model.predict(test) == test.class_values))
    elapsed = time.perf_counter() - start
    print(f"CNN {settings or 'defaults'}: accuracy {accuracy:.2%} in {elapsed:.0f} s")
    return accuracy, elapsed


def test_lenet_defaults_reach_98_percent(mnist):
    accuracy, _ = run(mnist)
    assert accuracy >= 0.98


def test_augmented_lenet_reaches_98_5_percent(mnist):
    accuracy, _ = run(mnist, epochs=10, shift_pixels=2, rotate_degrees=10)
    assert accuracy >= 0.985
