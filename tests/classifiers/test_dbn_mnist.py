"""DBN accuracy on the bundled MNIST test set, 8 000 train / 2 000 test (slow: -m slow).

Measured on the shared 2-core CPU machine (one BLAS thread): defaults (784-500-500-10,
CD-1, 8 pre-training epochs per RBM, 15 fine-tuning epochs of SGD with momentum 0.9,
batch 32) 97.55 % in 46-64 s (by load); the same network without pre-training 96.65 %
in 55 s; persistent CD instead of CD-1 96.20 % in 93 s.
"""

import time

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.dbn import DeepBeliefNetwork

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mnist():
    data = load("mnist-test.arff")
    return data.select_rows(slice(0, 8000)), data.select_rows(slice(8000, None))


def run(mnist, **settings) -> tuple[float, float, DeepBeliefNetwork]:
    train, test = mnist
    start = time.perf_counter()
    model = DeepBeliefNetwork(device="cpu", **settings).fit(train)
    accuracy = float(np.mean(model.predict(test) == test.class_values))
    elapsed = time.perf_counter() - start
    print(f"DBN {settings or 'defaults'}: accuracy {accuracy:.2%} in {elapsed:.0f} s")
    return accuracy, elapsed, model


def test_dbn_defaults_reach_96_percent(mnist):
    accuracy, _, model = run(mnist)
    assert accuracy >= 0.96
    assert model.input_geometry == (1, 28, 28)
    assert [len(e) for e in model.pretrain_errors_] == [8, 8]


def test_persistent_cd_also_learns_mnist(mnist):
    accuracy, _, _ = run(mnist, persistent=True)
    assert accuracy >= 0.955
