"""Elementwise arithmetic, matmul, where/maximum, shape ops: values and gradients."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.engine import functional as F
from workbench.engine.backend import to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter, Tensor, make_result


def test_gradcheck_catches_a_wrong_backward(rng) -> None:
    def broken(x: Tensor) -> Tensor:
        return make_result(x.data ** 2, (x,), lambda gy: (gy * x.data,))  # misses the 2

    with pytest.raises(AssertionError, match="worst is input 0"):
        gradcheck(broken, [rng.normal(size=(3,))])


def test_elementwise_binary_ops_gradcheck(rng) -> None:
    a, b = rng.normal(size=(3, 4)), rng.uniform(0.5, 2.0, size=(3, 4))
    gradcheck(F.add, [a, b])
    gradcheck(F.sub, [a, b])
    gradcheck(F.mul, [a, b])
    gradcheck(F.div, [a, b])
    gradcheck(lambda x, y: F.pow(x, y), [b, a])
    gradcheck(lambda x: F.pow(x, 3), [a])
    gradcheck(lambda x: x ** 0.5, [b])
    gradcheck(F.square, [a])
    gradcheck(F.neg, [a])


def test_maximum_minimum_where_gradcheck(rng) -> None:
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    gradcheck(F.maximum, [a, b])
    gradcheck(F.minimum, [a, b])
    mask = rng.random((3, 4)) > 0.5
    gradcheck(lambda x, y: F.where(mask, x, y), [a, b[0]])


@pytest.mark.parametrize(("sa", "sb"), [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)),
                                        ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)),
                                        ((4,), (4,))])
def test_matmul_shapes_gradcheck(rng, sa, sb) -> None:
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    np.testing.assert_allclose(F.matmul(a, b).data, a @ b)
    gradcheck(F.matmul, [a, b])


def test_matmul_float32_matches_numpy(xp) -> None:
    r = np.random.default_rng(0)
    a = r.normal(size=(5, 3)).astype(np.float32)
    b = r.normal(size=(3, 2)).astype(np.float32)
    y = Tensor(xp.asarray(a)) @ Tensor(xp.asarray(b))
    np.testing.assert_allclose(to_host(y.data), a @ b, rtol=1e-6)


def test_shape_ops_gradcheck(rng) -> None:
    x = rng.normal(size=(2, 3, 4))
    gradcheck(lambda a: F.reshape(a, (6, 4)), [x])
    gradcheck(lambda a: F.flatten(a), [x])
    gradcheck(lambda a: F.transpose(a, (2, 0, 1)), [x])
    gradcheck(lambda a: F.swapaxes(a, 0, 2), [x])
    gradcheck(lambda a: F.expand_dims(a, 1), [x])
    gradcheck(lambda a: F.squeeze(F.expand_dims(a, 0), 0), [x])
    gradcheck(lambda a: F.broadcast_to(a[:, :1], (2, 3, 4)), [x])
    gradcheck(lambda a: F.pad(a, [(0, 0), (1, 2), (2, 0)]), [x])


def test_concat_stack_split_gradcheck(rng) -> None:
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 5))
    gradcheck(lambda x, y: F.concat([x, y], axis=1), [a, b])
    gradcheck(lambda x, y: F.stack([x, y[:, :3]], axis=1), [a, b])
    gradcheck(lambda x: F.concat(F.split(x, [1, 4], axis=1)[::-1], axis=1), [b])
    parts = F.split(Tensor(b), 5, axis=1)
    assert len(parts) == 5 and parts[0].shape == (2, 1)


def test_concat_with_a_constant_part() -> None:
    p = Parameter(np.ones((1, 2)))
    y = F.concat([p, np.zeros((1, 3))], axis=1)
    y.sum().backward()
    np.testing.assert_array_equal(p.grad, [[1.0, 1.0]])


def test_astype_casts_the_gradient_back() -> None:
    p = Parameter(np.ones(3, dtype=np.float32))
    y = F.astype(p, np.float64)
    assert y.dtype == np.float64
    (y * 2.0).sum().backward()
    assert p.grad.dtype == np.float32


def test_ufunc_on_a_tensor_raises_instead_of_making_object_arrays() -> None:
    with pytest.raises(TypeError):
        np.exp(Tensor(np.ones(2)))



@st.composite
def broadcastable_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together: leading axes dropped or sizes set to 1."""
    full = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))

    def shrink() -> tuple[int, ...]:
        kept = full[draw(st.integers(0, len(full) - 1)):]
        return tuple(1 if draw(st.booleans()) else n for n in kept)

    return shrink(), shrink()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(broadcastable_shapes())
def test_broadcasting_gradients_for_random_shapes(shapes) -> None:
    sa, sb = shapes
    r = np.random.default_rng(0)
    a, b = r.normal(size=sa), r.uniform(0.5, 2.0, size=sb)
    gradcheck(lambda x, y: x * y + x / y - y, [a, b])
