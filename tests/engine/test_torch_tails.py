"""Every function of ``workbench.engine.functional`` against torch in float64, in the tails.

A property sweep (hypothesis): inputs span [-745, 745] (where e^x goes from the smallest
subnormal to overflow) with subnormals, signed zeros, +-inf and deliberate ties; values
and gradients must agree with torch's to 1e-12 relative or 1e-300 absolute. Where an
output is a sum of terms (reductions, products, losses) the absolute tolerance is
1e-12 times the sum of the terms' magnitudes, the rounding any summation order has: two
correct implementations may not agree more closely than that on a cancelling sum.
Elements where torch gives NaN (it defines no value there) are not compared; everywhere
else ours must not be NaN either.

torch is not a dependency of Workbench: without it the sweeps skip, and the same checks
run on a fixed seeded corpus of such inputs against torch's results stored in
``tests/fixtures/torch/tails/`` (``torch_reference``); the exact values pinned down in the
tails are also checked in ``test_tail_values.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch_reference import reference, torch_available

from workbench.engine import functional as F
from workbench.engine.tensor import Tensor

if torch_available():
    import torch

    tf = torch.nn.functional
# The hypothesis sweeps draw new inputs and so need torch itself; the same checks run
# everywhere on a fixed seeded corpus against stored torch results (the *_stored tests).
needs_torch = pytest.mark.skipif(not torch_available(),
                                 reason="the hypothesis sweep needs torch (the *_stored "
                                        "tests check the same against stored results)")
INF = float("inf")
RTOL, ATOL = 1e-12, 1e-300
# Few values, so that ties (equal arguments, tied extremes) come up often.
TIES = [-745.0, -40.0, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 40.0, 745.0]
# Deterministic (CI reproduces any failure); WORKBENCH_SWEEP_EXAMPLES=1000 sweeps deeper.
SWEEP = settings(max_examples=int(os.environ.get("WORKBENCH_SWEEP_EXAMPLES", "20")),
                 deadline=None, derandomize=True, database=None)

finite = st.floats(-745.0, 745.0, allow_subnormal=True)
values = st.one_of(finite, st.sampled_from(TIES), st.sampled_from([INF, -INF]))
finite_values = st.one_of(finite, st.sampled_from(TIES))
gradients = st.floats(-4.0, 4.0)


def arrays(elements: Any = values, max_side: int = 5) -> Any:
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=max_side),
                      elements=elements)


def assert_agrees(ours: Any, theirs: Any, what: str, scale: Any = 0.0) -> None:
    """``ours`` equals torch's ``theirs`` to RTOL relative, or ATOL + RTOL * ``scale``
    absolute; NaN in torch's result is skipped, anywhere else it is a failure."""
    ours = np.broadcast_to(np.asarray(ours, dtype=np.float64), np.shape(theirs))
    theirs = np.asarray(theirs, dtype=np.float64)
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), theirs.shape)
    defined = ~np.isnan(theirs)
    o, t, s = ours[defined], theirs[defined], scale[defined]
    assert not np.isnan(o).any(), f"{what}: NaN where torch has {t[np.isnan(o)]}"
    inf = np.isinf(t)
    assert np.array_equal(o[inf], t[inf]), f"{what}: {o[inf]} where torch has {t[inf]}"
    err = np.abs(o[~inf] - t[~inf])
    bound = ATOL + RTOL * (np.abs(t[~inf]) + s[~inf])
    bad = err > bound
    assert not bad.any(), (f"{what}: ours {o[~inf][bad]} torch {t[~inf][bad]} "
                           f"(error {err[bad]}, bound {bound[bad]})")


def run_both(ours_fn: Callable[..., Any], torch_fn: Callable[..., Any],
             inputs: list[np.ndarray], gy: float, what: str, scale: Any = 0.0,
             grad_scales: Any = None, stored: str | None = None) -> None:
    """Forward and backward (gradient ``gy`` everywhere) of both; compare all of it.
    With ``stored`` (a fixture name) torch's side comes from its stored results."""

    def torch_results() -> dict[str, np.ndarray]:
        theirs = [torch.tensor(a, requires_grad=True) for a in inputs]
        with np.errstate(all="ignore"):
            ty = torch_fn(*theirs)
        ty.backward(torch.full(ty.shape, gy, dtype=torch.float64))
        return {"value": ty.detach().numpy(),
                **{f"grad{i}": t.grad.numpy() if t.grad is not None else np.zeros(t.shape)
                   for i, t in enumerate(theirs)}}

    if stored is None:
        theirs = torch_results()
    else:
        name = stored + "_" + "".join(c if c.isalnum() else "_" for c in what)
        theirs = reference(f"tails/{name}", torch_results)
    mine = [Tensor(a.copy(), requires_grad=True) for a in inputs]
    with np.errstate(all="ignore"):
        y = ours_fn(*mine)
        assert_agrees(y.data, theirs["value"], f"{what} value", scale)
        y.backward(np.full(y.shape, gy))
    for i, m in enumerate(mine):
        g = grad_scales[i] if grad_scales is not None else 0.0
        mg = m.grad if m.grad is not None else np.zeros(m.shape)
        assert_agrees(mg, theirs[f"grad{i}"], f"{what} gradient {i}", g)


# --- the fixed corpus: seeded NumPy draws of the same kinds of values as the sweeps ----

CORPUS_CASES = 3


def corpus_rng(*key: Any) -> np.random.Generator:
    """One generator per test, parameters and case, independent of the order tests run."""
    return np.random.default_rng([ord(c) for c in repr(key)])


def corpus_values(rng: np.random.Generator, shape: Any, finite_only: bool = False
                  ) -> np.ndarray:
    """The tails the sweeps draw: the whole finite range, subnormals, signed zeros,
    infinities and many repeated values (ties)."""
    n = int(np.prod(shape))
    kinds = rng.integers(0, 4 if finite_only else 5, size=n)
    wide = rng.uniform(-745.0, 745.0, size=n)
    ties = rng.choice(TIES, size=n)
    tiny = rng.choice([5e-324, -5e-324, 1e-310, -2.2e-308, 1e-300], size=n)
    small = rng.normal(size=n) * rng.choice([1.0, 10.0], size=n)
    inf = rng.choice([INF, -INF], size=n)
    out = np.choose(kinds, [wide, ties, tiny, small, inf]) if not finite_only else \
        np.choose(kinds, [wide, ties, tiny, small])
    return out.reshape(shape)


def corpus_shape(rng: np.random.Generator, max_side: int = 5) -> tuple[int, int]:
    return int(rng.integers(1, max_side + 1)), int(rng.integers(1, max_side + 1))


def corpus_gradient(rng: np.random.Generator) -> float:
    return float(rng.uniform(-4.0, 4.0))


def corpus_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a = corpus_values(rng, corpus_shape(rng))
    b = corpus_values(rng, a.shape)
    return a, np.where(rng.random(a.shape) < 0.4, a, b)


UNARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "abs": (F.abs, lambda x: torch.abs(x)),
    "neg": (F.neg, lambda x: torch.neg(x)),
    "exp": (F.exp, lambda x: torch.exp(x)),
    "log": (F.log, lambda x: torch.log(x)),
    "sqrt": (F.sqrt, lambda x: torch.sqrt(x)),
    "square": (F.square, lambda x: torch.square(x)),
    "relu": (F.relu, lambda x: tf.relu(x)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda x: tf.leaky_relu(x, 0.1)),
    "elu": (F.elu, lambda x: tf.elu(x)),
    "elu_alpha": (lambda x: F.elu(x, 0.3), lambda x: tf.elu(x, 0.3)),
    "sigmoid": (F.sigmoid, lambda x: torch.sigmoid(x)),
    "tanh": (F.tanh, lambda x: torch.tanh(x)),
    "softplus": (F.softplus, lambda x: tf.softplus(x)),
    "softplus_beta": (lambda x: F.softplus(x, 2.0, 10.0), lambda x: tf.softplus(x, 2.0, 10.0)),
    "clip": (lambda x: F.clip(x, -3.0, 40.0), lambda x: torch.clamp(x, -3.0, 40.0)),
    **{f"pow_{c}": ((lambda x, c=c: F.pow(x, c)), (lambda x, c=c: x ** c))
       for c in (0, 1, 2, 3, 0.5, -1, -2, 1.5)},
}


# Both libraries take tanh's and sigmoid's derivatives from the output, as 1 - y^2 and
# y (1 - y); near |y| = 1 one ulp of y (their tanh and exp may round differently) moves
# those by 2 eps absolute, which no formula of y can avoid.
FROM_OUTPUT = {"tanh", "sigmoid"}
EPS = float(np.finfo(np.float64).eps)


def check_elementwise(name: str, x: np.ndarray, gy: float, stored: str | None = None) -> None:
    ours, theirs = UNARY[name]
    grad_scale = [2 * EPS / RTOL * abs(gy)] if name in FROM_OUTPUT else None
    run_both(ours, theirs, [x], gy, name, grad_scales=grad_scale, stored=stored)


@needs_torch
@pytest.mark.parametrize("name", list(UNARY))
@SWEEP
@given(x=arrays(), gy=gradients)
@example(x=np.array([[7.0]]), gy=1.0)  # tanh: torch's and NumPy's differ by an ulp
def test_elementwise_tails(name: str, x: np.ndarray, gy: float) -> None:
    check_elementwise(name, x, gy)


@pytest.mark.parametrize("name", list(UNARY))
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_elementwise_tails_stored(name: str, case: int) -> None:
    rng = corpus_rng("elementwise", name, case)
    x = np.array([[7.0]]) if case == 0 else corpus_values(rng, corpus_shape(rng))
    check_elementwise(name, x, 1.0 if case == 0 else corpus_gradient(rng),
                      f"elementwise_{case}")


BINARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "add": (F.add, lambda a, b: torch.add(a, b)),
    "sub": (F.sub, lambda a, b: torch.sub(a, b)),
    "mul": (F.mul, lambda a, b: torch.mul(a, b)),
    "div": (F.div, lambda a, b: torch.div(a, b)),
    "pow": (F.pow, lambda a, b: torch.pow(a, b)),
    "maximum": (F.maximum, lambda a, b: torch.maximum(a, b)),
    "minimum": (F.minimum, lambda a, b: torch.minimum(a, b)),
    "where": (lambda a, b: F.where(a.data > b.data, a, b),
              lambda a, b: torch.where(a > b, a, b)),
}


@st.composite
def pairs(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays of one shape, the second sharing some of the first's values (ties)."""
    a = draw(arrays())
    b = draw(hnp.arrays(np.float64, a.shape, elements=values))
    same = draw(hnp.arrays(np.bool_, a.shape))
    return a, np.where(same, a, b)


@needs_torch
@pytest.mark.parametrize("name", list(BINARY))
@SWEEP
@given(ab=pairs(), gy=gradients)
def test_binary_tails_and_ties(name: str, ab: tuple[np.ndarray, np.ndarray],
                               gy: float) -> None:
    ours, theirs = BINARY[name]
    run_both(ours, theirs, list(ab), gy, name)


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_binary_tails_and_ties_stored(name: str, case: int) -> None:
    rng = corpus_rng("binary", name, case)
    ab = corpus_pair(rng)
    ours, theirs = BINARY[name]
    run_both(ours, theirs, list(ab), corpus_gradient(rng), name, stored=f"binary_{case}")


def _magnitude(x: np.ndarray, dim: Any, keepdim: bool) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.abs(x).sum(axis=dim, keepdims=keepdim)


@needs_torch
@pytest.mark.parametrize("dim", [0, 1, None])
@pytest.mark.parametrize("keepdim", [False, True])
@SWEEP
@given(x=arrays(), gy=gradients)
def test_reductions_with_ties(dim: Any, keepdim: bool, x: np.ndarray, gy: float) -> None:
    check_reductions(dim, keepdim, x, gy)


@pytest.mark.parametrize("dim", [0, 1, None])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_reductions_with_ties_stored(dim: Any, keepdim: bool, case: int) -> None:
    rng = corpus_rng("reductions", dim, keepdim, case)
    check_reductions(dim, keepdim, corpus_values(rng, corpus_shape(rng)),
                     corpus_gradient(rng), f"reduction_{dim}_{keepdim}_{case}")


def check_reductions(dim: Any, keepdim: bool, x: np.ndarray, gy: float,
                     stored: str | None = None) -> None:
    tdim = dim if dim is not None else (0, 1)
    n = x.size if dim is None else x.shape[dim]
    run_both(lambda a: F.sum(a, dim, keepdim), lambda a: torch.sum(a, tdim, keepdim),
             [x], gy, "sum", _magnitude(x, dim, keepdim), stored=stored)
    run_both(lambda a: F.mean(a, dim=dim, keepdim=keepdim),
             lambda a: torch.mean(a, tdim, keepdim), [x], gy, "mean",
             _magnitude(x, dim, keepdim) / n, stored=stored)
    run_both(lambda a: F.max(a, axis=dim, keepdims=keepdim),
             lambda a: torch.amax(a, tdim, keepdim), [x], gy, "max", stored=stored)
    run_both(lambda a: a.min(dim, keepdim), lambda a: torch.amin(a, tdim, keepdim),
             [x], gy, "min", stored=stored)
    if dim is None:  # the full reductions torch.max(x) / torch.min(x) split ties too
        run_both(F.max, lambda a: torch.max(a), [x], gy, "full max", stored=stored)
        run_both(F.min, lambda a: torch.min(a), [x], gy, "full min", stored=stored)


@needs_torch
@pytest.mark.parametrize("dim", [0, 1, -1])
@SWEEP
@given(x=arrays(), gy=gradients)
def test_softmax_family_tails(dim: int, x: np.ndarray, gy: float) -> None:
    check_softmax_family(dim, x, gy)


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_softmax_family_tails_stored(dim: int, case: int) -> None:
    rng = corpus_rng("softmax", dim, case)
    check_softmax_family(dim, corpus_values(rng, corpus_shape(rng)), corpus_gradient(rng),
                         f"softmax_{dim}_{case}")


def check_softmax_family(dim: int, x: np.ndarray, gy: float, stored: str | None = None
                         ) -> None:
    n = x.shape[dim]
    with np.errstate(all="ignore"):
        peak = np.abs(x).max(axis=dim, keepdims=True)
        shifted = x - x.max(axis=dim, keepdims=True)
        y = np.exp(shifted) / np.exp(shifted).sum(axis=dim, keepdims=True)
    # logsumexp adds log(sum) to the max (they cancel when the result is near 0);
    # log_softmax subtracts both from x; the softmax gradient y (gy - sum(gy y)) cancels
    # to 0 for an even gy: rounding of those sizes is the absolute tolerance.
    run_both(lambda a: F.logsumexp(a, dim, True), lambda a: torch.logsumexp(a, dim, True),
             [x], gy, "logsumexp", peak + np.log(n), stored=stored)
    run_both(lambda a: F.softmax(a, dim=dim), lambda a: tf.softmax(a, dim), [x], gy,
             "softmax", 0.0, [y * abs(gy) * n], stored=stored)
    run_both(lambda a: F.log_softmax(a, axis=dim), lambda a: tf.log_softmax(a, dim), [x],
             gy, "log_softmax", np.abs(x) + peak + np.log(n), [abs(gy) * n], stored=stored)


@st.composite
def classification(draw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    logits = draw(arrays(finite_values))
    target = draw(hnp.arrays(np.int64, logits.shape[:1],
                             elements=st.integers(0, logits.shape[1] - 1)))
    weight = draw(hnp.arrays(np.float64, logits.shape[1:], elements=st.floats(0.25, 4.0)))
    return logits, target, weight


@needs_torch
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@SWEEP
@given(case=classification(), gy=gradients)
def test_cross_entropy_and_nll_tails(reduction: str, case: Any, gy: float) -> None:
    check_cross_entropy_and_nll(reduction, case, gy)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_cross_entropy_and_nll_tails_stored(reduction: str, case: int) -> None:
    rng = corpus_rng("cross_entropy", reduction, case)
    x = corpus_values(rng, corpus_shape(rng), finite_only=True)
    t = rng.integers(0, x.shape[1], size=x.shape[0])
    w = rng.uniform(0.25, 4.0, size=x.shape[1])
    check_cross_entropy_and_nll(reduction, (x, t, w), corpus_gradient(rng),
                                f"cross_entropy_{reduction}_{case}")


def check_cross_entropy_and_nll(reduction: str, case: Any, gy: float,
                                stored: str | None = None) -> None:
    x, t, w = case
    spread = (np.abs(x) + np.abs(x).max(axis=1, keepdims=True) + np.log(x.shape[1])) \
        .max(axis=1) * w[t]
    scale = spread if reduction == "none" else spread.sum() / (
        w[t].sum() if reduction == "mean" else 1.0)
    run_both(lambda a: F.cross_entropy(a, t, weight=w, reduction=reduction),
             lambda a: tf.cross_entropy(a, torch.tensor(t), weight=torch.tensor(w),
                                        reduction=reduction),
             [x], gy, "cross_entropy", scale, [abs(gy) * w.max() * 2], stored=stored)
    run_both(lambda a: F.nll_loss(a, t, weight=w, reduction=reduction),
             lambda a: tf.nll_loss(a, torch.tensor(t), weight=torch.tensor(w),
                                   reduction=reduction),
             [x], gy, "nll_loss", scale, stored=stored)


@st.composite
def probabilities(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    p = draw(arrays(st.one_of(st.floats(0.0, 1.0, allow_subnormal=True),
                              st.sampled_from([0.0, 1.0, 0.5, 1e-300, 1 - 2**-53]))))
    t = draw(hnp.arrays(np.float64, p.shape, elements=st.one_of(
        st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0, 1 - 1e-10]))))
    return p, t


@needs_torch
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@SWEEP
@given(case=probabilities(), gy=gradients)
def test_binary_cross_entropy_tails(reduction: str, case: Any, gy: float) -> None:
    check_binary_cross_entropy(reduction, case, gy)


def corpus_targets(rng: np.random.Generator, shape: Any) -> np.ndarray:
    return np.where(rng.random(shape) < 0.5, rng.uniform(0.0, 1.0, size=shape),
                    rng.choice([0.0, 1.0, 1 - 1e-10], size=shape))


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_binary_cross_entropy_tails_stored(reduction: str, case: int) -> None:
    rng = corpus_rng("binary_cross_entropy", reduction, case)
    shape = corpus_shape(rng)
    p = np.where(rng.random(shape) < 0.5, rng.uniform(0.0, 1.0, size=shape),
                 rng.choice([0.0, 1.0, 0.5, 1e-300, 1 - 2**-53, 5e-324], size=shape))
    check_binary_cross_entropy(reduction, (p, corpus_targets(rng, shape)),
                               corpus_gradient(rng), f"bce_{reduction}_{case}")


def check_binary_cross_entropy(reduction: str, case: Any, gy: float,
                               stored: str | None = None) -> None:
    p, t = case
    terms = 101.0 * np.ones_like(p)  # each log is clamped at -100
    scale = terms if reduction == "none" else terms.sum() / (p.size if reduction == "mean"
                                                             else 1.0)
    run_both(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
             lambda a, b: tf.binary_cross_entropy(a, b, reduction=reduction),
             [p, t], gy, "binary_cross_entropy", scale, stored=stored)


@st.composite
def logits_and_targets(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    x = draw(arrays())
    t = draw(hnp.arrays(np.float64, x.shape, elements=st.one_of(
        st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0, 1 - 1e-10]))))
    return x, t


@needs_torch
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@SWEEP
@given(case=logits_and_targets(), gy=gradients)
def test_binary_cross_entropy_with_logits_tails(reduction: str, case: Any, gy: float) -> None:
    check_binary_cross_entropy_with_logits(reduction, case, gy)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_binary_cross_entropy_with_logits_tails_stored(reduction: str, case: int) -> None:
    rng = corpus_rng("binary_cross_entropy_with_logits", reduction, case)
    x = corpus_values(rng, corpus_shape(rng))
    check_binary_cross_entropy_with_logits(reduction, (x, corpus_targets(rng, x.shape)),
                                           corpus_gradient(rng), f"bcel_{reduction}_{case}")


def check_binary_cross_entropy_with_logits(reduction: str, case: Any, gy: float,
                                           stored: str | None = None) -> None:
    x, t = case
    # torch adds (1 - t) x to -log sigmoid(x) = -x + log1p(e^x) for x < 0: the x's cancel,
    # leaving its result off by up to eps |x| (1.3 % at x = -30, t = 0, where ours is
    # exact); that rounding is the tolerance here.
    with np.errstate(all="ignore"):
        terms = np.abs(x) + 1.0
    scale = terms if reduction == "none" else terms.sum() / (x.size if reduction == "mean"
                                                             else 1.0)
    run_both(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction),
             lambda a, b: tf.binary_cross_entropy_with_logits(a, b, reduction=reduction),
             [x, t], gy, "binary_cross_entropy_with_logits", scale, [0.0, 0.0],
             stored=stored)


@needs_torch
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@SWEEP
@given(ab=pairs(), gy=gradients)
def test_mse_loss_tails(reduction: str, ab: Any, gy: float) -> None:
    check_mse_loss(reduction, ab, gy)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_mse_loss_tails_stored(reduction: str, case: int) -> None:
    rng = corpus_rng("mse_loss", reduction, case)
    check_mse_loss(reduction, corpus_pair(rng), corpus_gradient(rng),
                   f"mse_{reduction}_{case}")


def check_mse_loss(reduction: str, ab: Any, gy: float, stored: str | None = None) -> None:
    x, t = ab
    with np.errstate(all="ignore"):
        terms = (x - t) ** 2
    scale = 0.0 if reduction == "none" else terms.sum() / (x.size if reduction == "mean"
                                                           else 1.0)
    run_both(lambda a, b: F.mse_loss(a, b, reduction=reduction),
             lambda a, b: tf.mse_loss(a, b, reduction=reduction), [x, t], gy, "mse_loss",
             scale, stored=stored)


@st.composite
def products(draw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = draw(arrays(finite_values))
    k = draw(st.integers(1, 5))
    w = draw(hnp.arrays(np.float64, (k, a.shape[1]), elements=finite_values))
    b = draw(hnp.arrays(np.float64, (k,), elements=finite_values))
    return a, w, b


@needs_torch
@SWEEP
@given(case=products(), gy=gradients)
def test_matmul_and_linear(case: Any, gy: float) -> None:
    check_matmul_and_linear(case, gy)


@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_matmul_and_linear_stored(case: int) -> None:
    rng = corpus_rng("matmul", case)
    x = corpus_values(rng, corpus_shape(rng), finite_only=True)
    k = int(rng.integers(1, 6))
    w = corpus_values(rng, (k, x.shape[1]), finite_only=True)
    b = corpus_values(rng, (k,), finite_only=True)
    check_matmul_and_linear((x, w, b), corpus_gradient(rng), f"matmul_{case}")


def check_matmul_and_linear(case: Any, gy: float, stored: str | None = None) -> None:
    x, w, b = case
    with np.errstate(all="ignore"):
        scale = np.abs(x) @ np.abs(w).T + np.abs(b)
        gscale = [np.full(x.shape, abs(gy) * np.abs(w).sum(0)),
                  np.full(w.shape, abs(gy) * np.abs(x).sum(0)), abs(gy) * x.shape[0]]
    run_both(lambda a, v, c: F.linear(a, v, c), lambda a, v, c: tf.linear(a, v, c),
             [x, w, b], gy, "linear", scale, gscale, stored=stored)
    run_both(lambda a, v: a @ v.T, lambda a, v: a @ v.T, [x, w], gy, "matmul", scale,
             gscale[:2], stored=stored)


@st.composite
def images(draw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N, C, H, W) with tails and ties, and a 3x3 kernel bank with its bias."""
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(3, 6)),
             draw(st.integers(3, 6)))
    x = draw(hnp.arrays(np.float64, shape, elements=finite_values))
    w = draw(hnp.arrays(np.float64, (2, shape[1], 3, 3), elements=finite_values))
    b = draw(hnp.arrays(np.float64, (2,), elements=finite_values))
    return x, w, b


@needs_torch
@SWEEP
@given(case=images(), gy=gradients, padding=st.integers(0, 1), stride=st.integers(1, 2))
@example(case=(np.zeros((1, 1, 3, 4)),  # cancelling products: FMA rounding, not 0
               np.array([[0, 0, 0, 0, 0, 0, 0, 0, -73.0],
                         [0, 0, 0, 0, 0, 0, 0, 0, 73.0]]).reshape(2, 1, 3, 3),
               np.zeros(2)), gy=1.8383256125648444, padding=1, stride=2)
def test_convolution_and_pooling_tails(case: Any, gy: float, padding: int,
                                       stride: int) -> None:
    check_convolution_and_pooling(case, gy, padding, stride)


@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_convolution_and_pooling_tails_stored(case: int) -> None:
    rng = corpus_rng("convolution", case)
    if case == 0:  # the sweep's example: cancelling products
        images = (np.zeros((1, 1, 3, 4)),
                  np.array([[0, 0, 0, 0, 0, 0, 0, 0, -73.0],
                            [0, 0, 0, 0, 0, 0, 0, 0, 73.0]]).reshape(2, 1, 3, 3),
                  np.zeros(2))
        check_convolution_and_pooling(images, 1.8383256125648444, 1, 2, "convolution_0")
        return
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(3, 7)),
             int(rng.integers(3, 7)))
    images = (corpus_values(rng, shape, finite_only=True),
              corpus_values(rng, (2, shape[1], 3, 3), finite_only=True),
              corpus_values(rng, (2,), finite_only=True))
    check_convolution_and_pooling(images, corpus_gradient(rng), int(rng.integers(0, 2)),
                                  int(rng.integers(1, 3)), f"convolution_{case}")


def check_convolution_and_pooling(case: Any, gy: float, padding: int, stride: int,
                                  stored: str | None = None) -> None:
    x, w, b = case
    # The sizes of the sums (for the tolerances): sums of magnitudes, no cancellation.
    with np.errstate(all="ignore"):
        windows = F.conv2d(np.abs(x), np.abs(w), None, stride=stride,
                           padding=padding).data + np.abs(b)[:, None, None]
        pooled = F.avg_pool2d(np.abs(x), 3, stride, padding).data
    gx = np.full(x.shape, abs(gy) * np.abs(w).sum())  # each sums at most every weight
    gw = np.full(w.shape, abs(gy) * np.abs(x).sum())
    gb = abs(gy) * windows[0, 0].size * x.shape[0]
    run_both(lambda a, v, c: F.conv2d(a, v, c, stride=stride, padding=padding),
             lambda a, v, c: tf.conv2d(a, v, c, stride, padding), [x, w, b], gy, "conv2d",
             windows, [gx, gw, gb], stored=stored)
    run_both(lambda a: F.max_pool2d(a, 3, stride, padding),
             lambda a: tf.max_pool2d(a, 3, stride, padding), [x], gy, "max_pool2d",
             stored=stored)
    run_both(lambda a: F.avg_pool2d(a, 3, stride, padding),
             lambda a: tf.avg_pool2d(a, 3, stride, padding), [x], gy, "avg_pool2d",
             pooled, [np.full(x.shape, abs(gy) * 9)], stored=stored)


@needs_torch
@SWEEP
@given(x=arrays(), gy=gradients)
def test_embedding_and_shape_functions_move_values_exactly(x: np.ndarray, gy: float) -> None:
    check_embedding_and_shape_functions(x, gy)


@pytest.mark.parametrize("case", range(CORPUS_CASES))
def test_embedding_and_shape_functions_move_values_exactly_stored(case: int) -> None:
    rng = corpus_rng("embedding", case)
    check_embedding_and_shape_functions(corpus_values(rng, corpus_shape(rng)),
                                        corpus_gradient(rng), f"shape_{case}")


def check_embedding_and_shape_functions(x: np.ndarray, gy: float,
                                        stored: str | None = None) -> None:
    idx = np.array([0, x.shape[0] - 1, 0])
    run_both(lambda a: F.embedding(idx, a), lambda a: tf.embedding(torch.tensor(idx), a),
             [x], gy, "embedding", stored=stored)
    run_both(lambda a: F.cat([a, a * 2.0], dim=1), lambda a: torch.cat([a, a * 2.0], 1),
             [x], gy, "cat", stored=stored)
    run_both(lambda a: F.stack([a, a], dim=0), lambda a: torch.stack([a, a], 0), [x], gy,
             "stack", stored=stored)
    run_both(lambda a: F.squeeze(F.unsqueeze(a, dim=1), dim=1),
             lambda a: a.unsqueeze(1).squeeze(1), [x], gy, "unsqueeze/squeeze", stored=stored)
    run_both(lambda a: F.transpose(F.reshape(a, (-1,))[None], None),
             lambda a: a.reshape(-1)[None].T, [x], gy, "reshape/transpose", stored=stored)
    run_both(lambda a: F.getitem(a, (slice(None), np.array([0, 0]))),
             lambda a: a[:, [0, 0]], [x], gy, "integer indexing", stored=stored)
    run_both(lambda a: F.dropout(a, 0.5, training=False), lambda a: tf.dropout(a, 0.5, False),
             [x], gy, "dropout (evaluation)", stored=stored)

    def heaviside() -> dict[str, Any]:
        zero = torch.tensor(0.0, dtype=torch.float64)
        return {"step": torch.heaviside(torch.tensor(x), zero).numpy()}

    theirs = heaviside() if stored is None else reference(f"tails/{stored}_step", heaviside)
    np.testing.assert_array_equal(F.step(x).data, theirs["step"])
