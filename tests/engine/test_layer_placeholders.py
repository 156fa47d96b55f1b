"""Layers built on placeholders (``init.placeholders``), as a model file's network is:
nothing drawn, nothing allocated, the build bounded by what the file stores, and the
stored arrays adopted in the placeholders' places."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np
import pytest

from workbench.core.errors import ParameterError
from workbench.engine import init
from workbench.engine import layers as L
from workbench.engine.backend import to_host
from workbench.engine.tensor import Tensor


def test_layers_built_on_placeholders_allocate_and_draw_nothing():
    rng = np.random.default_rng(5)
    before = rng.bit_generator.state
    tracemalloc.start()
    try:
        with init.placeholders(arrays=10, numbers=10 ** 12):
            dense = L.Dense(100_000, 100_000, rng=rng)        # 40 GB if it were real
            lstm = L.LSTM(5000, 5000, rng=rng)                # its forget bias is written
            norm = L.BatchNorm(100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000
    assert rng.bit_generator.state == before
    assert dense.weight.shape == (100_000, 100_000) and dense.weight.data.strides == (0, 0)
    assert lstm.recurrent_weight.shape == (20_000, 5000)
    assert norm.running_var.shape == (100_000,)


@pytest.mark.parametrize("arrays, numbers, message", [
    (1, 10 ** 6, "makes more arrays than the 1 arrays"),
    (5, 99, r"makes an array of shape \(10, 10\) \(100 numbers\), more than the 5 arrays "
            r"of 99 numbers"),
])
def test_a_placeholder_build_asking_for_more_than_its_budget_is_refused(arrays, numbers,
                                                                         message):
    with init.placeholders(arrays=arrays, numbers=numbers), \
            pytest.raises(ParameterError, match=message):
        L.Dense(10, 10)


def test_a_placeholder_build_of_too_many_layers_is_refused():
    with init.placeholders(arrays=0, numbers=0, modules=3), \
            pytest.raises(ParameterError, match="more than"):
        L.Sequential(L.ReLU(), L.ReLU(), L.ReLU())


def test_placeholders_in_one_thread_leave_another_thread_s_layers_real():
    inside, done = threading.Event(), threading.Event()
    built = {}

    def elsewhere():
        inside.wait()
        built["dense"] = L.Dense(3, 2, rng=0)
        done.set()

    worker = threading.Thread(target=elsewhere)
    worker.start()
    with init.placeholders(arrays=2, numbers=6):
        inside.set()
        done.wait(10)
    worker.join()
    weight = built["dense"].weight.data
    assert weight.strides != (0, 0) and np.any(to_host(weight) != 0)


def test_adopted_arrays_make_the_same_network_as_loading_them():
    real = L.Sequential(L.Dense(4, 3, rng=1), L.BatchNorm(3), L.Tanh(), L.Dense(3, 2, rng=2))
    real.train(True)
    real(Tensor(np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)))
    real.train(False)  # running statistics moved away from 0 and 1
    state = real.state_dict()
    with init.placeholders(arrays=len(state), numbers=sum(a.size for a in state.values())):
        again = L.build_module(L.module_spec(real))
    again.adopt_state_dict(state)
    again.train(False)
    x = Tensor(np.ones((2, 4), dtype=np.float32))
    np.testing.assert_array_equal(to_host(again(x).data), to_host(real(x).data))
    assert all(p.data.strides != (0,) * p.data.ndim for p in again.parameters())
    state["1.running_var"] = np.ones(4, dtype=np.float32)
    with pytest.raises(ParameterError, match=r"'1\.running_var' has shape \(4,\)"):
        again.adopt_state_dict(state)
