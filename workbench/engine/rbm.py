"""Restricted Boltzmann machines trained by contrastive divergence, outside autodiff.

The energy of a Bernoulli-Bernoulli RBM is ``E(v, h) = -b'v - c'h - h'Wv`` with ``W``
shaped ``(n_hidden, n_visible)``, so ``P(h=1|v) = sigmoid(c + W v)`` and
``P(v=1|h) = sigmoid(b + W'h)``. The Gaussian-Bernoulli variant has real-valued visible
units of unit variance (standardise the data first): ``E = ||v - b||^2 / 2 - c'h - h'Wv``
and ``v | h ~ N(b + W'h, 1)``.

CD-k follows Hinton's practical guide: hidden states are sampled while the chain runs,
the visible reconstruction uses probabilities (means) rather than samples, and the last
hidden layer uses probabilities, which lowers the variance of the update
``<v h>_data - <v h>_model``. Persistent CD keeps the chain's hidden samples from one
mini-batch to the next, as scikit-learn's BernoulliRBM does.

Everything is plain array code on the device's array module: a minibatch never leaves
the device and the epoch's reconstruction error is pulled to the host once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.core.progress import CancelToken, check
from workbench.engine import init
from workbench.engine.backend import (
    default_dtype,
    get_xp,
    seed_rng,
    to_device,
    to_host,
)
from workbench.engine.blas import add_product

VISIBLE_KINDS = ("bernoulli", "gaussian")


class RBM:
    """A restricted Boltzmann machine with Bernoulli hidden units.

    ``visible`` is "bernoulli" for data in [0, 1] (pixels, binary features) or "gaussian"
    for standardised real values. ``rng`` seeds the initial weights (small normal,
    std ``init_std``); sampling during training uses the generator given to
    ``fit_epoch``. Learned arrays: ``weight`` (n_hidden, n_visible), ``visible_bias``,
    ``hidden_bias``, all on ``device``.
    """

    def __init__(self, n_visible: int, n_hidden: int, visible: str = "bernoulli", *,
                 init_std: float = 0.01, rng: init.RngLike = None, device: str = "cpu",
                 dtype: Any = None) -> None:
        if int(n_visible) < 1 or int(n_hidden) < 1:
            raise ParameterError(
                f"an RBM needs at least one visible and one hidden unit, "
                f"got {n_visible} visible and {n_hidden} hidden")
        if visible not in VISIBLE_KINDS:
            raise ParameterError(
                f"unknown visible unit type {visible!r} (expected one of "
                f"{', '.join(VISIBLE_KINDS)})")
        self.n_visible = int(n_visible)
        self.n_hidden = int(n_hidden)
        self.visible = visible
        self.device = device
        self.dtype = np.dtype(dtype or default_dtype())
        self.xp = get_xp(device)
        shape = (self.n_hidden, self.n_visible)
        self.weight = init.small_normal(shape, rng, std=init_std, dtype=self.dtype, device=device)
        self.visible_bias = init.zeros((self.n_visible,), dtype=self.dtype, device=device)
        self.hidden_bias = init.zeros((self.n_hidden,), dtype=self.dtype, device=device)
        self._velocity: dict[str, Any] = {}
        self._decay_term: Any = None
        self._chain: Any = None

    @property
    def weight(self) -> Any:
        """The weights, (n_hidden, n_visible): a view of ``weight_t``, which holds them
        as (n_visible, n_hidden) because two of CD's three forward GEMMs read them that
        way round and a BLAS reads a contiguous operand faster than a transposed one."""
        return self.weight_t.T

    @weight.setter
    def weight(self, value: Any) -> None:
        self.weight_t = self.xp.ascontiguousarray(value.T)

    def __getstate__(self) -> dict[str, Any]:
        """Picklable state, for a fitted DBN inside a scikit-learn workflow (joblib,
        copy): the array module is kept by name. Our model files never use pickle."""
        return {**self.__dict__, "xp": self.xp.__name__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        name = state["xp"]
        if name not in ("numpy", "cupy"):
            raise ValueError(f"unknown array module {name!r} (expected numpy or cupy)")
        self.xp = get_xp("cpu" if name == "numpy" else "gpu")
        if "weight" in state:   # pickled before the weights were held (visible, hidden)
            state = dict(state)
            state["weight_t"] = self.xp.ascontiguousarray(state.pop("weight").T)
            velocity = dict(state.get("_velocity", {}))
            if "weight" in velocity:
                velocity["weight_t"] = self.xp.ascontiguousarray(velocity.pop("weight").T)
            state["_velocity"] = velocity
        self.__dict__.update({"_decay_term": None, **state})
        self.xp = get_xp("cpu" if name == "numpy" else "gpu")

    # -- conditional distributions -------------------------------------------------

    def hidden_probabilities(self, v: Any) -> Any:
        """P(h=1 | v) for each row of ``v``: what each hidden unit sees in the input."""
        out = self.xp.empty_like(v, shape=(v.shape[0], self.n_hidden), dtype=self.dtype)
        return self._hidden_into(v, out)

    def visible_means(self, h: Any) -> Any:
        """E[v | h]: sigmoid for Bernoulli visibles, the linear mean for Gaussian ones."""
        out = self.xp.empty_like(h, shape=(h.shape[0], self.n_visible), dtype=self.dtype)
        return self._visible_into(h, out)

    def _sample_bernoulli(self, p: Any, rng: Any) -> Any:
        return (rng.random(p.shape, dtype=self.dtype) < p).astype(self.dtype)

    def _sample_visible(self, mean: Any, rng: Any) -> Any:
        if self.visible == "bernoulli":
            return self._sample_bernoulli(mean, rng)
        return mean + rng.standard_normal(mean.shape, dtype=self.dtype)

    # -- learning --------------------------------------------------------------------

    def fit_epoch(self, data: Any, batch_size: int = 100, lr: float = 0.1, k: int = 1,
                  persistent: bool = False, rng: Any = None, momentum: float = 0.0,
                  weight_decay: float = 0.0, *, shuffle: bool = True,
                  cancel: CancelToken | None = None,
                  on_batch: Callable[[int, int], None] | None = None) -> float:
        """One pass over ``data`` by CD-k (or persistent CD); returns the reconstruction error.

        The error is the mean squared difference between each input and its one-step
        reconstruction (visible means after sampling the hidden units), averaged over the
        epoch. ``lr`` is per example (the gradient is a batch mean); ``momentum`` and
        ``weight_decay`` (L2 on the weights, not the biases) follow Hinton's guide.
        ``rng`` is a device generator from ``backend.seed_rng`` or a seed. ``data`` may
        be a host array, but a caller looping over epochs on a GPU should move it once
        with ``backend.to_device`` (a device array is used where it lies, not copied).
        ``on_batch(batch, batches)`` is called after each batch (1-based), for progress:
        an epoch of 500 units on MNIST takes tens of seconds.
        """
        _check_settings(batch_size, lr, k, momentum, weight_decay)
        xp = self.xp
        data = to_device(data, self.device)
        if data.ndim != 2 or data.shape[1] != self.n_visible:
            raise ParameterError(
                f"the RBM has {self.n_visible} visible units but the data has shape "
                f"{tuple(data.shape)}")
        data = data.astype(self.dtype, copy=False)
        rng = _device_rng(rng, xp)
        n = data.shape[0]
        order = _permutation(rng, n, xp) if shuffle else None
        total_error = xp.zeros((), dtype=self.dtype)
        workspaces: dict[int, _Workspace] = {}
        for start in range(0, n, batch_size):
            check(cancel)
            stop = min(start + batch_size, n)
            m = stop - start
            space = workspaces.get(m)
            if space is None:
                space = workspaces[m] = _Workspace(m, self.n_hidden, self.n_visible,
                                                   data, self.dtype, xp)
            if order is not None:
                xp.take(data, order[start:stop], axis=0, out=space.v0)
            else:
                space.v0[...] = data[start:stop]
            total_error += self._cd_step(space, rng, lr, k, persistent, momentum,
                                         weight_decay)
            if on_batch is not None:
                on_batch(start // batch_size + 1, -(-n // batch_size))
        return float(to_host(total_error)) / (n * self.n_visible)

    def _cd_step(self, space: _Workspace, rng: Any, lr: float, k: int, persistent: bool,
                 momentum: float, weight_decay: float) -> Any:
        """One CD-k update from the mini-batch in ``space.v0``, written into ``space``.

        Every intermediate lands in the workspace's preallocated arrays, so a step makes
        no temporaries of batch size: on a CPU the five GEMMs are most of the work, and
        what is left is a few passes over memory that is already in cache.
        """
        xp = self.xp
        m = space.v0.shape[0]
        v0, h0 = space.v0, space.h0
        self._hidden_into(v0, h0)
        h_sample = self._sample_into(h0, rng, space.h_sample)
        reconstruction = self._visible_into(h_sample, space.v_neg)
        xp.subtract(reconstruction, v0, out=space.difference)
        difference = space.difference.ravel()
        error = xp.dot(difference, difference)
        if persistent:
            if self._chain is None or self._chain.shape[0] < m:
                self._chain = h_sample.copy()
            h_sample = self._chain[:m]
            self._visible_into(h_sample, space.v_neg)
        v_neg, h_neg = space.v_neg, space.h_neg
        for step in range(k):
            if step > 0:
                self._visible_into(h_sample, v_neg)
            self._hidden_into(v_neg, h_neg)
            if step < k - 1 or persistent:
                h_sample = self._sample_into(h_neg, rng, space.h_sample)
        if persistent:
            self._chain[:m] = h_sample
        scale = lr / m
        # One GEMM for both phases, in weight_t's layout: [v0; v_neg]' [h0; -h_neg] =
        # v0'h0 - v_neg'h_neg, and one column sum of the same stack for the hidden
        # biases; the step size is applied to the stack, four times smaller than W.
        h0 *= scale
        xp.multiply(h_neg, -scale, out=h_neg)
        grad_c = space.hidden.sum(axis=0)
        grad_b = (v0.sum(axis=0) - v_neg.sum(axis=0)) * scale
        self._update_weights(space, lr * weight_decay, momentum)
        self._apply("hidden_bias", grad_c, momentum)
        self._apply("visible_bias", grad_b, momentum)
        return error

    def _update_weights(self, space: _Workspace, decay: float, momentum: float) -> None:
        """``W += G - decay W`` (or through the velocity with momentum), the gradient
        ``G = visible' hidden`` added by the GEMM that computes it: a separate 1.5 MB
        gradient array (784 x 500) is written out of the core's cache and read back,
        which measured ~1 % of a CD-1 epoch."""
        weight_t = self.weight_t
        if not momentum:
            add_product(weight_t, space.visible.T, space.hidden, beta=1.0 - decay)
            return
        velocity = self._velocity.get("weight_t")
        if velocity is None:
            velocity = self._velocity["weight_t"] = self.xp.zeros_like(weight_t)
        add_product(velocity, space.visible.T, space.hidden, beta=momentum)
        if decay:
            if self._decay_term is None:   # scratch for decay * W, made once
                self._decay_term = self.xp.empty_like(weight_t)
            velocity -= self.xp.multiply(weight_t, decay, out=self._decay_term)
        weight_t += velocity

    def _hidden_into(self, v: Any, out: Any) -> Any:
        """P(h=1 | v) written into ``out`` (the workspace form of hidden_probabilities)."""
        self.xp.matmul(v, self.weight_t, out=out)
        return _sigmoid_(out, self.xp, self.hidden_bias)

    def _visible_into(self, h: Any, out: Any) -> Any:
        """E[v | h] written into ``out`` (the workspace form of visible_means)."""
        self.xp.matmul(h, self.weight_t.T, out=out)
        if self.visible == "bernoulli":
            return _sigmoid_(out, self.xp, self.visible_bias)
        out += self.visible_bias
        return out

    def _sample_into(self, p: Any, rng: Any, out: Any) -> Any:
        """Bernoulli samples of probabilities ``p`` as 0/1 in ``out``, which may not be ``p``.

        The comparison writes its booleans straight into the float array holding the
        uniforms, so sampling is two passes and no allocation.
        """
        rng.random(out.shape, dtype=self.dtype, out=out)
        return self.xp.less(out, p, out=out)

    def _apply(self, name: str, step: Any, momentum: float) -> None:
        target = getattr(self, name)
        if momentum:
            velocity = self._velocity.get(name)
            if velocity is None:
                velocity = self._velocity[name] = self.xp.zeros_like(target)
            velocity *= momentum
            velocity += step
            step = velocity
        target += step

    def reset_chain(self) -> None:
        """Forget the persistent chain, e.g. before training on different data."""
        self._chain = None

    def finish_training(self) -> None:
        """Forget what only training uses: the momentum's velocities, the weight-decay
        scratch and the persistent chain. Together they are twice the weights and more,
        and a trained RBM is kept as long as its model (a DBN in the Explorer's result
        list); training it again afterwards starts its momentum from rest."""
        self._velocity = {}
        self._decay_term = None
        self._chain = None

    # -- inference and generation ------------------------------------------------------

    def transform(self, v: Any) -> Any:
        """Hidden means P(h=1|v): the features a DBN feeds to the next layer."""
        v = to_device(v, self.device).astype(self.dtype, copy=False)
        return self.hidden_probabilities(v)

    def free_energy(self, v: Any) -> Any:
        """F(v) = -log sum_h exp(-E(v, h)), one value per row (lower means more likely)."""
        xp = self.xp
        v = to_device(v, self.device).astype(self.dtype, copy=False)
        softplus = xp.logaddexp(0, xp.matmul(v, self.weight_t) + self.hidden_bias).sum(axis=1)
        if self.visible == "bernoulli":
            return -xp.matmul(v, self.visible_bias) - softplus
        return 0.5 * ((v - self.visible_bias) ** 2).sum(axis=1) - softplus

    def reconstruction_error(self, v: Any) -> float:
        """Mean squared error of the mean-field reconstruction v -> P(h|v) -> E[v|h]."""
        v = to_device(v, self.device).astype(self.dtype, copy=False)
        reconstruction = self.visible_means(self.hidden_probabilities(v))
        return float(to_host(((reconstruction - v) ** 2).mean()))

    def gibbs(self, v: Any, steps: int = 1, rng: Any = None) -> Any:
        """Run ``steps`` Gibbs sweeps v -> h -> v from ``v``; returns the last visible means.

        Hidden and visible states are sampled along the way; the means of the final
        visible layer are returned because they are what a person wants to look at.
        """
        if int(steps) < 1:
            raise ParameterError(f"Gibbs sampling needs at least one step, got {steps}")
        rng = _device_rng(rng, self.xp)
        v = to_device(v, self.device).astype(self.dtype, copy=False)
        mean = v
        for step in range(int(steps)):
            h = self._sample_bernoulli(self.hidden_probabilities(v), rng)
            mean = self.visible_means(h)
            if step < steps - 1:
                v = self._sample_visible(mean, rng)
        return mean

    def sample(self, n: int, steps: int = 1000, rng: Any = None) -> Any:
        """Generate ``n`` samples by running Gibbs chains from random visible states."""
        rng = _device_rng(rng, self.xp)
        shape = (int(n), self.n_visible)
        if self.visible == "bernoulli":
            start = (rng.random(shape, dtype=self.dtype) < 0.5).astype(self.dtype)
        else:
            start = rng.standard_normal(shape, dtype=self.dtype) + self.visible_bias
        return self.gibbs(start, steps, rng)

    # -- state ---------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """Constructor settings, the JSON half of a saved RBM."""
        return {"n_visible": self.n_visible, "n_hidden": self.n_hidden, "visible": self.visible}

    def state_dict(self) -> dict[str, np.ndarray]:
        """Learned arrays copied to the host, the ``.npz`` half of a saved RBM."""
        return {"weight": to_host(self.weight), "visible_bias": to_host(self.visible_bias),
                "hidden_bias": to_host(self.hidden_bias)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Replace the learned arrays; shapes must match this RBM's."""
        expected = {"weight": (self.n_hidden, self.n_visible),
                    "visible_bias": (self.n_visible,), "hidden_bias": (self.n_hidden,)}
        if set(state) != set(expected):
            raise ParameterError(
                f"an RBM state needs exactly {sorted(expected)}, got {sorted(state)}")
        for name, shape in expected.items():
            if tuple(state[name].shape) != shape:
                raise ParameterError(
                    f"RBM array {name!r} has shape {tuple(state[name].shape)}, expected {shape}")
            setattr(self, name, to_device(np.asarray(state[name], dtype=self.dtype), self.device))
        self._velocity.clear()
        self._chain = None


class _Workspace:
    """The arrays one CD step of ``m`` rows writes into, allocated once per epoch.

    ``visible`` stacks the data rows over their reconstruction and ``hidden`` the data's
    hidden probabilities over the negated model ones, so the weight gradient of both
    phases is one GEMM over the stacked arrays with no concatenation.
    """

    def __init__(self, m: int, n_hidden: int, n_visible: int, data: Any, dtype: Any,
                 xp: Any) -> None:
        # Made like ``data`` so that under strict transfers every step's arrays stay
        # strict and a hidden host conversion inside the step still raises.
        def empty(*shape: int) -> Any:
            return xp.empty_like(data, shape=shape, dtype=dtype)

        self.visible = empty(2 * m, n_visible)
        self.hidden = empty(2 * m, n_hidden)
        self.v0, self.v_neg = self.visible[:m], self.visible[m:]
        self.h0, self.h_neg = self.hidden[:m], self.hidden[m:]
        self.h_sample = empty(m, n_hidden)
        self.difference = empty(m, n_visible)


def _sigmoid_(x: Any, xp: Any, bias: Any = None) -> Any:
    """Logistic function 1 / (1 + exp(-(x + bias))), overwriting the temporary ``x``.

    Four in-place passes with SIMD ``exp`` run twice as fast as ``scipy.special.expit``
    on float32; exp overflowing to inf for very negative x correctly gives 0. A bias is
    added in the same pass that negates (``-bias - x``), so it costs no pass of its own.
    The last pass divides 1 by x rather than calling ``reciprocal``, which NumPy 2.4 does
    not vectorise for float32 (9.5 against 4.9 us over 32 768 values on an AVX2 EPYC).
    """
    with np.errstate(over="ignore"):
        if bias is None:
            xp.negative(x, out=x)
        else:
            xp.subtract(-bias, x, out=x)
        xp.exp(x, out=x)
        x += 1.0
        xp.divide(1.0, x, out=x)
    return x


def _device_rng(rng: Any, xp: Any) -> Any:
    """A generator on the RBM's device from a seed, a device generator or a NumPy one
    (which then only seeds a device generator, so a GPU run never samples on the host)."""
    if rng is None or isinstance(rng, int | np.integer):
        return seed_rng(None if rng is None else int(rng), xp)
    if isinstance(rng, np.random.Generator) and xp is not np:
        return seed_rng(int(rng.integers(2**63 - 1)), xp)
    return rng


def _permutation(rng: Any, n: int, xp: Any) -> Any:
    """A random order of ``n`` rows drawn on the device."""
    if hasattr(rng, "permutation"):
        return rng.permutation(n)
    return xp.argsort(rng.random(n))


def _check_settings(batch_size: int, lr: float, k: int, momentum: float,
                    weight_decay: float) -> None:
    if int(batch_size) < 1:
        raise ParameterError(f"the batch size must be at least 1, got {batch_size}")
    if not lr > 0:
        raise ParameterError(f"the learning rate must be positive, got {lr}")
    if int(k) < 1:
        raise ParameterError(f"CD-k needs k of at least 1, got {k}")
    if not 0 <= momentum < 1:
        raise ParameterError(f"momentum must be in [0, 1), got {momentum}")
    if weight_decay < 0:
        raise ParameterError(f"weight decay must be zero or positive, got {weight_decay}")

