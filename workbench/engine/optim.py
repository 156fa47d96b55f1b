"""Optimizers and learning-rate schedules: they update parameters, nothing else.

An optimizer holds a list of parameters (anything with ``.data`` and ``.grad`` arrays)
and, on ``step()``, changes each ``.data`` in place with array operations on the array's
own module (NumPy or CuPy), so a GPU run never copies a weight to the host. Per-parameter
state (velocity, squared-gradient averages) lives beside the weights on the same device,
and scratch buffers are allocated once so a step allocates nothing per batch.

Momentum is written as the tutorials teach it, ``v <- mu v - eps grad; theta <- theta + v``;
with a constant learning rate this is exactly PyTorch's ``SGD(momentum=mu)``. Adagrad,
RMSprop and Adam follow PyTorch's formulas and default constants so results can be
compared number for number. Weight decay adds ``wd * theta`` (L2) and ``l1`` adds
``l1 * sign(theta)`` to the gradient before the update.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module


class Optimizer:
    """Base class: regularises each gradient, then hands it to ``_update``.

    Parameters without a gradient (``grad is None``, e.g. frozen or unused in this batch)
    are skipped. ``lr`` may be changed between steps; schedules do exactly that.
    """

    def __init__(self, params: Iterable[Any], lr: float, *, weight_decay: float = 0.0,
                 l1: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ParameterError("the optimizer was given no parameters to update")
        _positive("learning rate", lr)
        _non_negative("weight decay", weight_decay)
        _non_negative("L1 penalty", l1)
        self.lr = float(lr)
        self.initial_lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.l1 = float(l1)
        self.iterations = 0
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def zero_grad(self) -> None:
        """Forget the gradients, so the next backward pass starts from nothing."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        self.iterations += 1
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad is None:
                continue
            xp = array_module(p.data)
            if not state:
                state["buf"] = xp.empty_like(p.data)
            self._update(p, self._regularised(p, xp), state, xp)

    def _regularised(self, p: Any, xp: Any) -> Any:
        grad = p.grad
        if self.weight_decay:
            grad = grad + self.weight_decay * p.data
        if self.l1:
            grad = grad + self.l1 * xp.sign(p.data)
        return grad

    def _update(self, p: Any, grad: Any, state: dict[str, Any], xp: Any) -> None:
        raise NotImplementedError

    def config(self) -> dict[str, Any]:
        """The constructor's settings (not the state), for reports and saved runs."""
        return {"type": type(self).__name__, "lr": self.initial_lr,
                "weight_decay": self.weight_decay, "l1": self.l1}


class SGD(Optimizer):
    """Stochastic gradient descent, with optional classical or Nesterov momentum.

    ``momentum`` is mu in ``v <- mu v - lr grad; theta <- theta + v``. With
    ``nesterov=True`` the step looks ahead along the velocity (Sutskever et al. 2013, in
    Bengio's rearranged form): ``theta <- theta + mu v_new - lr grad``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, *, weight_decay: float = 0.0, l1: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay=weight_decay, l1=l1)
        if not 0.0 <= momentum < 1.0:
            raise ParameterError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and momentum == 0.0:
            raise ParameterError("Nesterov momentum needs a momentum above 0")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _update(self, p: Any, grad: Any, state: dict[str, Any], xp: Any) -> None:
        step = state["buf"]
        xp.multiply(grad, self.lr, out=step)
        if self.momentum == 0.0:
            p.data -= step
            return
        v = state.get("velocity")
        if v is None:
            v = state["velocity"] = xp.zeros_like(p.data)
        v *= self.momentum
        v -= step
        if self.nesterov:
            p.data -= step
            xp.multiply(v, self.momentum, out=step)
            p.data += step
        else:
            p.data += v

    def config(self) -> dict[str, Any]:
        return {**super().config(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adagrad(Optimizer):
    """Adagrad: each weight's step shrinks with the sum of its squared gradients."""

    def __init__(self, params: Iterable[Any], lr: float = 0.01, eps: float = 1e-10, *,
                 weight_decay: float = 0.0, l1: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay=weight_decay, l1=l1)
        _positive("eps", eps)
        self.eps = float(eps)

    def _update(self, p: Any, grad: Any, state: dict[str, Any], xp: Any) -> None:
        total = state.get("sum")
        if total is None:
            total = state["sum"] = xp.zeros_like(p.data)
        buf = state["buf"]
        xp.multiply(grad, grad, out=buf)
        total += buf
        xp.sqrt(total, out=buf)
        buf += self.eps
        xp.divide(grad, buf, out=buf)
        buf *= self.lr
        p.data -= buf

    def config(self) -> dict[str, Any]:
        return {**super().config(), "eps": self.eps}


class RMSprop(Optimizer):
    """RMSprop: divides the step by a running root-mean-square of recent gradients.

    ``alpha`` is the decay of the running average (PyTorch's name and default, 0.99;
    Hinton's lecture used 0.9).
    """

    def __init__(self, params: Iterable[Any], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8, *, weight_decay: float = 0.0, l1: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay=weight_decay, l1=l1)
        if not 0.0 <= alpha < 1.0:
            raise ParameterError(f"RMSprop alpha must be in [0, 1), got {alpha}")
        _positive("eps", eps)
        self.alpha = float(alpha)
        self.eps = float(eps)

    def _update(self, p: Any, grad: Any, state: dict[str, Any], xp: Any) -> None:
        avg = state.get("square_avg")
        if avg is None:
            avg = state["square_avg"] = xp.zeros_like(p.data)
        buf = state["buf"]
        avg *= self.alpha
        xp.multiply(grad, grad, out=buf)
        buf *= 1.0 - self.alpha
        avg += buf
        xp.sqrt(avg, out=buf)
        buf += self.eps
        xp.divide(grad, buf, out=buf)
        buf *= self.lr
        p.data -= buf

    def config(self) -> dict[str, Any]:
        return {**super().config(), "alpha": self.alpha, "eps": self.eps}


class Adam(Optimizer):
    """Adam (Kingma and Ba): momentum on the gradient and on its square, bias-corrected."""

    def __init__(self, params: Iterable[Any], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, *,
                 weight_decay: float = 0.0, l1: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay=weight_decay, l1=l1)
        beta1, beta2 = (float(b) for b in betas)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ParameterError(f"Adam {name} must be in [0, 1), got {beta}")
        _positive("eps", eps)
        self.betas = (beta1, beta2)
        self.eps = float(eps)

    def _update(self, p: Any, grad: Any, state: dict[str, Any], xp: Any) -> None:
        beta1, beta2 = self.betas
        if "m" not in state:
            state["m"] = xp.zeros_like(p.data)
            state["v"] = xp.zeros_like(p.data)
            state["t"] = 0
        state["t"] += 1
        t = state["t"]
        m, v, buf = state["m"], state["v"], state["buf"]
        m *= beta1
        xp.multiply(grad, 1.0 - beta1, out=buf)
        m += buf
        v *= beta2
        xp.multiply(grad, grad, out=buf)
        buf *= 1.0 - beta2
        v += buf
        correction1 = 1.0 - beta1**t
        correction2 = 1.0 - beta2**t
        xp.sqrt(v, out=buf)
        buf /= math.sqrt(correction2)
        buf += self.eps
        xp.divide(m, buf, out=buf)
        buf *= self.lr / correction1
        p.data -= buf

    def config(self) -> dict[str, Any]:
        return {**super().config(), "betas": list(self.betas), "eps": self.eps}


class LRSchedule:
    """Sets ``optimizer.lr`` from the initial rate and a step count.

    The training loop calls ``step()`` once per epoch; a caller that wants per-batch
    decay calls it per batch instead. ``lr_at(n)`` is the rate after n steps.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.initial_lr
        self.steps = 0

    def lr_at(self, steps: int) -> float:
        raise NotImplementedError

    def step(self) -> float:
        """Advance one step and return the new learning rate."""
        self.steps += 1
        self.optimizer.lr = self.lr_at(self.steps)
        return self.optimizer.lr


class StepDecay(LRSchedule):
    """Multiply the rate by ``gamma`` every ``step_size`` steps (PyTorch's StepLR)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        if int(step_size) < 1:
            raise ParameterError(f"the decay step size must be at least 1, got {step_size}")
        _positive("decay factor gamma", gamma)
        self.step_size = int(step_size)
        self.gamma = float(gamma)

    def lr_at(self, steps: int) -> float:
        return self.base_lr * self.gamma ** (steps // self.step_size)


class ExponentialDecay(LRSchedule):
    """Multiply the rate by ``gamma`` at every step (PyTorch's ExponentialLR)."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        _positive("decay factor gamma", gamma)
        self.gamma = float(gamma)

    def lr_at(self, steps: int) -> float:
        return self.base_lr * self.gamma**steps


class InverseTimeDecay(LRSchedule):
    """The 1/t decay of stochastic approximation: ``lr0 / (1 + decay * t)``."""

    def __init__(self, optimizer: Optimizer, decay: float) -> None:
        super().__init__(optimizer)
        _non_negative("decay", decay)
        self.decay = float(decay)

    def lr_at(self, steps: int) -> float:
        return self.base_lr / (1.0 + self.decay * steps)


OPTIMIZERS: dict[str, Any] = {
    "sgd": SGD,
    "momentum": lambda params, **kw: SGD(params, **{"momentum": 0.9, **kw}),
    "nesterov": lambda params, **kw: SGD(params, **{"momentum": 0.9, **kw, "nesterov": True}),
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}

SCHEDULES: dict[str, Any] = {
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "inverse_time": InverseTimeDecay,
}


def make_optimizer(name: str, params: Iterable[Any], **settings: Any) -> Optimizer:
    """Build an optimizer from the name a user picks ("sgd", "momentum", "adam", ...)."""
    try:
        factory = OPTIMIZERS[name.lower()]
    except KeyError:
        known = ", ".join(OPTIMIZERS)
        raise ParameterError(f"unknown optimizer {name!r} (expected one of {known})") from None
    return factory(params, **settings)


def make_schedule(name: str | None, optimizer: Optimizer, **settings: Any) -> LRSchedule | None:
    """Build a schedule by name ("step", "exponential", "inverse_time"); "none": no decay."""
    if name is None or name.lower() == "none":
        return None
    try:
        factory = SCHEDULES[name.lower()]
    except KeyError:
        known = ", ".join(SCHEDULES)
        raise ParameterError(f"unknown schedule {name!r} (expected one of {known})") from None
    return factory(optimizer, **settings)


def _positive(what: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ParameterError(f"the {what} must be a positive number, got {value!r}")


def _non_negative(what: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise ParameterError(f"the {what} must be zero or positive, got {value!r}")
