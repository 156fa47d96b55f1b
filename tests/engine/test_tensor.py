"""Tensor and the autodiff walk: recording, accumulation, freeing, depth, dtypes."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from workbench.engine import functional as F
from workbench.engine.backend import to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter, Tensor, is_grad_enabled, no_grad


def host(a) -> np.ndarray:
    return to_host(a.data if isinstance(a, Tensor) else a)


def test_python_numbers_and_float_lists_become_float32() -> None:
    assert Tensor(2.5).dtype == np.float32
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(3).dtype == np.float32


def test_arrays_keep_their_dtype_so_float64_is_asked_for_by_passing_it() -> None:
    assert Tensor(np.zeros(2)).dtype == np.float64
    assert Tensor(np.zeros(2, dtype=np.int64)).dtype == np.int64
    assert Tensor([1, 2]).dtype.kind == "i"
    assert Tensor(np.zeros(2), dtype=np.float32).dtype == np.float32


def test_constants_never_upcast_float32(xp) -> None:
    x = Tensor(xp.ones((2, 3), dtype=xp.float32), requires_grad=True)
    for y in (x + 1.5, 2.0 * x, x / np.float64(3.0), x - np.ones(3), np.ones(3) - x,
              x ** 2, 2 ** x, x @ np.ones((3, 2)), F.where(host(x) > 0, x, 0.0)):
        assert y.dtype == np.float32, y
    y = (x * np.float64(2.0)).sum()
    y.backward()
    assert x.grad.dtype == np.float32


def test_raw_float64_batches_take_the_layer_dtype() -> None:
    w = Parameter(np.ones((2, 3), dtype=np.float32))
    assert F.linear(np.ones((4, 3)), w).dtype == np.float32
    k = Parameter(np.ones((1, 1, 2, 2), dtype=np.float32))
    assert F.conv2d(np.ones((1, 1, 3, 3)), k).dtype == np.float32


def test_integer_tensors_with_float_constants_promote_instead_of_truncating() -> None:
    y = Tensor(np.array([1, 2])) * 0.5
    np.testing.assert_array_equal(y.data, [0.5, 1.0])


def test_operators_with_scalars_on_both_sides(xp) -> None:
    a = Tensor(xp.asarray([1.0, 2.0, 4.0]), requires_grad=True)
    y = (3.0 - a) * 2.0 + 1.0 / a - a / 4.0 + (-a) + a ** 2
    expected = (3 - np.array([1, 2, 4.0])) * 2 + 1 / np.array([1, 2, 4.0]) \
        - np.array([1, 2, 4.0]) / 4 - np.array([1, 2, 4.0]) + np.array([1, 2, 4.0]) ** 2
    np.testing.assert_allclose(host(y), expected)
    y.sum().backward()
    a_ = np.array([1, 2, 4.0])
    np.testing.assert_allclose(host(a.grad), -2 - 1 / a_ ** 2 - 0.25 - 1 + 2 * a_)


def test_gradients_accumulate_over_multiple_uses() -> None:
    a = Parameter(np.array([3.0]))
    y = a * a + a  # a used three times
    y.backward()
    np.testing.assert_allclose(a.grad, [7.0])
    (a * 2.0).backward()  # a second backward adds to .grad
    np.testing.assert_allclose(a.grad, [9.0])


@pytest.mark.parametrize("order", ["short-path-first", "long-path-first"])
def test_a_node_runs_backward_only_after_all_its_gradient_arrived(order) -> None:
    # c feeds r directly and through a; whichever parent order the op lists, c must
    # wait for a's contribution (d r / d x = 2 * (1 + 3) = 8).
    x = Parameter(np.array([1.0]))
    c = x * 2.0
    a = c * 3.0
    r = c + a if order == "short-path-first" else a + c
    r.backward()
    np.testing.assert_array_equal(x.grad, [8.0])


def test_gradcheck_on_a_graph_with_shared_subexpressions(rng) -> None:
    def fn(x: Tensor) -> Tensor:
        h = F.tanh(x)
        states = [h]
        for _ in range(3):
            h = F.tanh(h * 0.5 + states[0] * h + x)
            states.append(h)
        return F.stack(states[::-1], axis=0) + states[1]

    gradcheck(fn, [rng.normal(size=(2, 3))])


def test_broadcast_gradients_are_summed_back_to_input_shape(rng) -> None:
    gradcheck(lambda a, b: a * b + b, [rng.normal(size=(4, 3)), rng.normal(size=(3,))])
    gradcheck(lambda a, b: a / b - a, [rng.normal(size=(2, 1, 3)),
                                        rng.uniform(1, 2, size=(4, 1))])
    gradcheck(lambda a, b: a - b, [rng.normal(size=(1,)), rng.normal(size=(2, 5))])


def test_leaf_gradients_are_owned_not_aliased() -> None:
    a = Parameter(np.ones(3))
    b = Parameter(np.ones(3))
    (a + b).sum().backward()
    assert a.grad is not b.grad
    a.grad += 1.0  # an optimizer may modify a gradient in place
    np.testing.assert_array_equal(b.grad, np.ones(3))
    g = np.full(2, 5.0)
    c = Parameter(np.ones(2))
    (c + 0.0).backward(g)
    assert c.grad is not g


def test_graph_is_freed_after_backward() -> None:
    a = Parameter(np.ones(3))
    h = a * 2.0
    probe = weakref.ref(h)
    loss = (h * h).sum()
    del h
    gc.collect()
    assert probe() is not None  # the graph keeps the intermediate alive until backward
    loss.backward()
    gc.collect()
    assert probe() is None
    with pytest.raises(RuntimeError, match="already freed"):
        loss.backward()


def test_no_grad_records_nothing() -> None:
    a = Parameter(np.ones(3))
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = F.tanh(a * 2.0).sum()
    assert is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        y.backward()


def test_grad_mode_is_per_thread() -> None:
    import threading

    a = Parameter(np.ones(2))
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    def predict() -> None:
        with no_grad():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=predict)
    worker.start()
    inside.wait(5)
    seen.append((a * 2.0).requires_grad)  # this thread still records
    release.set()
    worker.join()
    assert seen == [True]


def test_nothing_is_recorded_when_no_input_needs_a_gradient() -> None:
    y = F.relu(Tensor(np.ones(3))) * 2.0
    assert not y.requires_grad and y._node is None


def test_deep_chain_backward_has_no_recursion_limit() -> None:
    a = Parameter(np.array([1.0]))
    y = a
    for _ in range(10_000):
        y = y * 1.0001 + 0.0
    y.backward()
    np.testing.assert_allclose(a.grad, [1.0001 ** 10_000], rtol=1e-9)
    del y  # freeing a long chain must not overflow the stack either
    gc.collect()


def test_backward_needs_an_explicit_gradient_for_non_scalars() -> None:
    a = Parameter(np.ones(3))
    with pytest.raises(RuntimeError, match="shape"):
        (a * 2.0).backward()
    (a * 2.0).backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(a.grad, [2.0, 4.0, 6.0])


def test_detach_and_zero_grad() -> None:
    a = Parameter(np.ones(2))
    d = (a * 3.0).detach()
    assert not d.requires_grad and d.is_leaf
    y = (d * a).sum()
    y.backward()
    np.testing.assert_array_equal(a.grad, [3.0, 3.0])
    a.zero_grad()
    assert a.grad is None


def test_parameter_always_requires_grad() -> None:
    p = Parameter(np.zeros(2, dtype=np.float32))
    assert p.requires_grad and p.is_leaf and isinstance(p, Tensor)


def test_properties(xp) -> None:
    t = Tensor(xp.zeros((2, 3, 4), dtype=xp.float32))
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.dtype == np.float32
    assert t.T.shape == (4, 3, 2)
    assert t.transpose(1, 0, 2).shape == (3, 2, 4)
    assert t.reshape(6, 4).shape == (6, 4) and t.reshape((-1,)).shape == (24,)


def test_reductions_and_unary_methods_gradcheck(rng) -> None:
    x = rng.uniform(0.5, 2.0, size=(3, 4))
    gradcheck(lambda a: a.sum(axis=1), [x])
    gradcheck(lambda a: a.sum(axis=(0, 1), keepdims=True), [x])
    gradcheck(lambda a: a.mean(axis=0), [x])
    gradcheck(lambda a: a.mean(), [x])
    gradcheck(lambda a: a.max(axis=1), [x])
    gradcheck(lambda a: a.max(axis=0, keepdims=True), [x])
    gradcheck(lambda a: a.max(), [x])
    gradcheck(lambda a: a.min(axis=1), [x])
    gradcheck(lambda a: a.exp() + a.log() + a.sqrt() + a.abs(), [x])
    gradcheck(lambda a: (a - 1.2).abs(), [x])
    gradcheck(lambda a: a.clip(0.8, 1.5), [x])
    gradcheck(lambda a: a.T @ a, [x])


def test_max_and_min_split_a_tie_evenly_as_torch_does() -> None:
    a = Parameter(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]))
    a.max(axis=1).sum().backward()
    np.testing.assert_array_equal(a.grad, [[0, 0.5, 0.5], [0.5, 0.5, 0]])
    b = Parameter(np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 0.0]]))
    b.min(dim=1, keepdim=True).sum().backward()
    np.testing.assert_array_equal(b.grad, [[1 / 3, 1 / 3, 1 / 3], [0, 0, 1]])


def test_getitem_basic_and_integer_array_indexing(rng) -> None:
    x = rng.normal(size=(5, 4))
    gradcheck(lambda a: a[1:4, ::2], [x])
    gradcheck(lambda a: a[2], [x])
    gradcheck(lambda a: a[None, ..., 1], [x])
    gradcheck(lambda a: a[np.array([0, 3, 3, 1])], [x])
    gradcheck(lambda a: a[np.array([0, 2, 2]), np.array([1, 1, 1])], [x])
    gradcheck(lambda a: a[x > 0], [x])
    gradcheck(lambda a: a[[1, 1, 4], 2:], [x])


def test_integer_array_index_backward_adds_repeats() -> None:
    a = Parameter(np.zeros(3))
    a[np.array([0, 2, 2, 2])].sum().backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0, 3.0])


def test_tensor_index_key_is_accepted() -> None:
    a = Parameter(np.arange(4.0))
    y = a[Tensor(np.array([3, 0]))]
    np.testing.assert_array_equal(y.data, [3.0, 0.0])


def test_seeded_runs_are_bit_identical() -> None:
    """The same dropout seed gives the same gradient, bit for bit; another seed another
    one (a seed that were ignored, drawing from a fixed or a global stream, fails)."""
    def run(seed: int) -> np.ndarray:
        r = np.random.default_rng(3)
        w = Parameter(r.normal(size=(5, 4)).astype(np.float32))
        x = r.normal(size=(8, 4)).astype(np.float32)
        loss = F.cross_entropy(F.dropout(F.linear(x, w), 0.5, True, seed), np.arange(8) % 5)
        loss.backward()
        return w.grad

    np.testing.assert_array_equal(run(9), run(9))
    assert not np.array_equal(run(9), run(10))


def test_comparisons_give_constant_masks() -> None:
    a = Tensor(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(a > 0, [True, False])
    np.testing.assert_array_equal(a <= 0, [False, True])
