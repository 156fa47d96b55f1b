"""Optimizers: hand-computed steps, and PyTorch's optimizers through stored torch results."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import optim


class Param:
    """The only thing an optimizer needs: ``.data`` and ``.grad`` arrays."""

    def __init__(self, values):
        self.data = np.array(values, dtype=np.float64)
        self.grad = None


def test_sgd_step_is_minus_lr_times_grad():
    p = Param([1.0, -2.0])
    p.grad = np.array([0.5, 1.0])
    optim.SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, -2.1])


def test_momentum_follows_the_taught_rule():
    p = Param([1.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    v, theta = 0.0, 1.0
    for g in (1.0, 2.0, -1.0):
        p.grad = np.array([g])
        opt.step()
        v = 0.9 * v - 0.1 * g
        theta = theta + v
        np.testing.assert_allclose(p.data, [theta])


def test_nesterov_looks_ahead_along_the_velocity():
    p = Param([1.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.5, nesterov=True)
    v, theta = 0.0, 1.0
    for g in (1.0, 3.0):
        p.grad = np.array([g])
        opt.step()
        v_new = 0.5 * v - 0.1 * g
        theta = theta - 0.5 * v + 1.5 * v_new
        v = v_new
        np.testing.assert_allclose(p.data, [theta])


def test_adagrad_divides_by_root_of_summed_squares():
    p = Param([0.0])
    opt = optim.Adagrad([p], lr=1.0, eps=0.0 + 1e-12)
    p.grad = np.array([2.0])
    opt.step()
    np.testing.assert_allclose(p.data, [-1.0])
    p.grad = np.array([1.0])
    opt.step()
    np.testing.assert_allclose(p.data, [-1.0 - 1.0 / np.sqrt(5.0)])


def test_rmsprop_uses_a_running_average_of_squares():
    p = Param([0.0])
    opt = optim.RMSprop([p], lr=0.1, alpha=0.9, eps=1e-12)
    p.grad = np.array([2.0])
    opt.step()
    np.testing.assert_allclose(p.data, [-0.1 * 2.0 / np.sqrt(0.1 * 4.0)])


def test_adam_first_step_is_lr_times_sign():
    p = Param([1.0, 1.0])
    p.grad = np.array([3.0, -0.2])
    optim.Adam([p], lr=0.01, eps=1e-12).step()
    np.testing.assert_allclose(p.data, [0.99, 1.01])


def test_weight_decay_and_l1_are_added_to_the_gradient():
    p = Param([2.0, -2.0])
    p.grad = np.zeros(2)
    optim.SGD([p], lr=0.1, weight_decay=0.5, l1=0.25).step()
    # grad = 0.5 * theta + 0.25 * sign(theta) = [1.25, -1.25]
    np.testing.assert_allclose(p.data, [1.875, -1.875])


def test_parameters_without_gradient_are_left_alone_and_zero_grad_clears():
    a, b = Param([1.0]), Param([1.0])
    a.grad = np.array([1.0])
    opt = optim.Adam([a, b], lr=0.1)
    opt.step()
    assert b.data[0] == 1.0 and a.data[0] != 1.0
    opt.zero_grad()
    assert a.grad is None


def test_updates_are_in_place_and_keep_float32():
    p = Param([1.0, 2.0])
    p.data = p.data.astype(np.float32)
    before = p.data
    p.grad = np.ones(2, dtype=np.float32)
    for opt in (optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True), optim.Adagrad([p]),
                optim.RMSprop([p]), optim.Adam([p])):
        opt.step()
        assert p.data is before and p.data.dtype == np.float32


@pytest.mark.parametrize("bad", [
    lambda p: optim.SGD(p, lr=0.0),
    lambda p: optim.SGD(p, lr=float("nan")),
    lambda p: optim.SGD(p, lr=0.1, momentum=1.0),
    lambda p: optim.SGD(p, lr=0.1, nesterov=True),
    lambda p: optim.Adam(p, betas=(0.9, 1.0)),
    lambda p: optim.SGD(p, weight_decay=-1.0),
    lambda p: optim.SGD([], lr=0.1),
    lambda p: optim.make_optimizer("lbfgs", p),
])
def test_bad_settings_are_refused_with_a_message(bad):
    with pytest.raises(ParameterError):
        bad([Param([1.0])])


def test_schedules_compute_the_documented_rates():
    opt = optim.SGD([Param([1.0])], lr=1.0)
    step = optim.StepDecay(opt, step_size=2, gamma=0.5)
    assert [step.step() for _ in range(5)] == [1.0, 0.5, 0.5, 0.25, 0.25]
    assert opt.lr == 0.25
    assert optim.ExponentialDecay(opt, gamma=0.9).lr_at(2) == pytest.approx(0.81)
    assert optim.InverseTimeDecay(opt, decay=0.5).lr_at(4) == pytest.approx(1.0 / 3.0)
    assert optim.make_schedule("none", opt) is None
    assert isinstance(optim.make_schedule("step", opt, step_size=3), optim.StepDecay)


def test_make_optimizer_names():
    p = [Param([1.0])]
    assert optim.make_optimizer("momentum", p).momentum == 0.9
    nesterov = optim.make_optimizer("nesterov", p, lr=0.5)
    assert nesterov.nesterov and nesterov.lr == 0.5
    assert isinstance(optim.make_optimizer("Adam", p), optim.Adam)


# -- against PyTorch ------------------------------------------------------------------

def _least_squares(seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(20, 5))
    b = rng.normal(size=20)
    return a, b, rng.normal(size=5)


def _gradient(a, b, w):
    return a.T @ (a @ w - b) / len(b)


CASES = [
    ("SGD", dict(lr=0.05), dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9), dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True),
     dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.1),
     dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1), dict(lr=0.1)),
    ("RMSprop", dict(lr=0.01), dict(lr=0.01)),
    ("Adam", dict(lr=0.05, weight_decay=0.01), dict(lr=0.05, weight_decay=0.01)),
]


@pytest.mark.parametrize(("name", "ours", "theirs"), CASES)
def test_matches_torch_optim(name, ours, theirs):
    a, b, w0 = _least_squares()

    def torch_results():
        import torch

        tw = torch.tensor(w0.copy(), dtype=torch.float64, requires_grad=True)
        topt = getattr(torch.optim, name)([tw], **theirs)
        for _ in range(25):
            tw.grad = torch.from_numpy(_gradient(a, b, tw.detach().numpy()))
            topt.step()
        return {"weights_after_25_steps": tw}

    settings = "_".join(f"{key}{value}" for key, value in sorted(theirs.items()))
    expected = reference(f"optim_{name}_{settings}", torch_results)
    p = Param(w0)
    opt = getattr(optim, name)([p], **ours)
    for _ in range(25):
        p.grad = _gradient(a, b, p.data)
        opt.step()
    np.testing.assert_allclose(p.data, expected["weights_after_25_steps"], rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize(("kind", "ours", "theirs"), [
    ("step", lambda o: optim.StepDecay(o, step_size=2, gamma=0.3),
     lambda t, o: t.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.3)),
    ("exponential", lambda o: optim.ExponentialDecay(o, gamma=0.8),
     lambda t, o: t.optim.lr_scheduler.ExponentialLR(o, gamma=0.8)),
])
def test_schedules_match_torch(kind, ours, theirs):
    def torch_results():
        import torch

        tw = torch.zeros(1, requires_grad=True)
        topt = torch.optim.SGD([tw], lr=0.5)
        tschedule = theirs(torch, topt)
        rates = []
        for _ in range(6):
            topt.step()
            tschedule.step()
            rates.append(topt.param_groups[0]["lr"])
        return {"rates": np.array(rates)}

    expected = reference(f"schedule_{kind}", torch_results)["rates"]
    opt = optim.SGD([Param([1.0])], lr=0.5)
    schedule = ours(opt)
    for step in range(6):
        schedule.step()
        assert opt.lr == pytest.approx(expected[step], rel=1e-12)
