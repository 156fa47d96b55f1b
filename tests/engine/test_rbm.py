"""RBM: exact formulas on tiny machines, learning on digits, agreement with scikit-learn."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.neural_network import BernoulliRBM

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine.backend import to_host
from workbench.engine.rbm import RBM


@pytest.fixture(scope="module")
def binary_digits():
    x = load_digits().data
    return (x > 7).astype(np.float32)


def _log_partition_and_marginal(rbm, v):
    """Brute force over every hidden configuration of a tiny RBM."""
    w = to_host(rbm.weight).astype(np.float64)
    b = to_host(rbm.visible_bias).astype(np.float64)
    c = to_host(rbm.hidden_bias).astype(np.float64)
    terms = []
    for h in itertools.product([0.0, 1.0], repeat=rbm.n_hidden):
        h = np.array(h)
        terms.append(b @ v + c @ h + h @ w @ v)
    return np.log(np.sum(np.exp(terms)))


def test_free_energy_is_minus_log_sum_over_hidden_states():
    rbm = RBM(4, 3, rng=0, init_std=0.5, dtype=np.float64)
    rbm.visible_bias[...] = [0.1, -0.2, 0.3, 0.0]
    rbm.hidden_bias[...] = [0.5, -0.5, 0.2]
    v = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0]])
    fe = to_host(rbm.free_energy(v))
    for row, value in zip(v, fe, strict=True):
        assert value == pytest.approx(-_log_partition_and_marginal(rbm, row), rel=1e-10)


def test_free_energy_matches_sklearn_on_the_same_weights(binary_digits):
    rbm = RBM(64, 16, rng=0, init_std=0.3, dtype=np.float64)
    sk = BernoulliRBM(n_components=16)
    sk.components_ = to_host(rbm.weight)
    sk.intercept_hidden_ = to_host(rbm.hidden_bias) + 0.1
    sk.intercept_visible_ = to_host(rbm.visible_bias) - 0.2
    rbm.hidden_bias += 0.1
    rbm.visible_bias -= 0.2
    x = binary_digits[:50].astype(np.float64)
    np.testing.assert_allclose(to_host(rbm.free_energy(x)), sk._free_energy(x), rtol=1e-10)
    np.testing.assert_allclose(to_host(rbm.transform(x)), sk.transform(x), rtol=1e-10)


@pytest.mark.parametrize(("momentum", "weight_decay"),
                         [(0.0, 0.0), (0.0, 0.05), (0.5, 0.0), (0.5, 0.05)])
def test_cd1_update_matches_the_hand_computed_rule(momentum, weight_decay):
    """Two CD-1 steps, so that momentum carries a velocity from the first to the second
    and weight decay shrinks weights that the first step already moved."""
    rbm = RBM(3, 2, rng=1, init_std=0.5, dtype=np.float64)
    w = to_host(rbm.weight).copy()
    b, c = np.zeros(3), np.zeros(2)
    rows = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])

    class FixedUniform:
        """A generator whose uniforms are 0.5, making the sampling deterministic."""

        def random(self, shape, dtype=None, out=None):
            if out is None:
                return np.full(shape, 0.5, dtype=dtype)
            out[...] = 0.5
            return out

    rbm.fit_epoch(rows, batch_size=1, lr=0.1, k=1, rng=FixedUniform(), shuffle=False,
                  momentum=momentum, weight_decay=weight_decay)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    velocity = [np.zeros_like(w), np.zeros(3), np.zeros(2)]
    for v in rows:
        h0 = sig(w @ v + c)
        hs = (h0 > 0.5).astype(float)
        v1 = sig(hs @ w + b)
        h1 = sig(w @ v1 + c)
        steps = [0.1 * (np.outer(h0, v) - np.outer(h1, v1)) - 0.1 * weight_decay * w,
                 0.1 * (v - v1), 0.1 * (h0 - h1)]
        for i, step in enumerate(steps):
            velocity[i] = momentum * velocity[i] + step
        w, b, c = w + velocity[0], b + velocity[1], c + velocity[2]
    np.testing.assert_allclose(to_host(rbm.weight), w, rtol=1e-12)
    np.testing.assert_allclose(to_host(rbm.visible_bias), b, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(to_host(rbm.hidden_bias), c, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("persistent", [False, True])
def test_training_lowers_reconstruction_error_and_free_energy(binary_digits, persistent):
    rbm = RBM(64, 32, rng=0)
    rng = np.random.default_rng(0)
    before = rbm.reconstruction_error(binary_digits)
    errors = [rbm.fit_epoch(binary_digits, batch_size=20, lr=0.05, persistent=persistent,
                            rng=rng, momentum=0.5) for _ in range(5)]
    assert errors[-1] < errors[0]
    assert rbm.reconstruction_error(binary_digits) < 0.6 * before
    noise = (np.random.default_rng(1).random(binary_digits.shape) < 0.3).astype(np.float32)
    assert to_host(rbm.free_energy(binary_digits)).mean() < \
        to_host(rbm.free_energy(noise)).mean()


def test_same_seed_same_model(binary_digits):
    """The same seeds give the same weights, bit for bit; another seed for the start or
    for the Gibbs sampling gives others (an ignored seed, or an epoch that learns
    nothing, fails)."""
    def train(init_seed=3, sampling_seed=7):
        rbm = RBM(64, 8, rng=init_seed)
        rbm.fit_epoch(binary_digits[:200], batch_size=10, lr=0.1, k=2, rng=sampling_seed)
        return to_host(rbm.weight)

    np.testing.assert_array_equal(train(), train())
    assert not np.array_equal(train(), train(init_seed=4))
    assert not np.array_equal(train(), train(sampling_seed=8))


def _pseudo_likelihood(components, hidden_bias, visible_bias, x):
    sk = BernoulliRBM(n_components=components.shape[0], random_state=0)
    sk.components_, sk.intercept_hidden_, sk.intercept_visible_ = (
        components.astype(np.float64), hidden_bias.astype(np.float64),
        visible_bias.astype(np.float64))
    return np.mean([sk.set_params(random_state=s).score_samples(x).mean() for s in range(5)])


def test_pcd_behaves_like_sklearn_bernoulli_rbm(binary_digits):
    """Equal settings (PCD-1, lr, batch size, epochs): similar pseudo-likelihood."""
    x = binary_digits.astype(np.float64)
    sk = BernoulliRBM(n_components=32, learning_rate=0.05, batch_size=10, n_iter=10,
                      random_state=0).fit(x)
    sk_pl = _pseudo_likelihood(sk.components_, sk.intercept_hidden_, sk.intercept_visible_, x)
    rbm = RBM(64, 32, rng=0, dtype=np.float64)
    start_pl = _pseudo_likelihood(to_host(rbm.weight), to_host(rbm.hidden_bias),
                                  to_host(rbm.visible_bias), x)
    rng = np.random.default_rng(0)
    for _ in range(10):
        rbm.fit_epoch(x, batch_size=10, lr=0.05, persistent=True, rng=rng)
    ours_pl = _pseudo_likelihood(to_host(rbm.weight), to_host(rbm.hidden_bias),
                                 to_host(rbm.visible_bias), x)
    assert ours_pl > start_pl + 10  # both learn a lot from about -44 nats
    assert abs(ours_pl - sk_pl) < 0.15 * abs(sk_pl)


def test_gaussian_visible_units_learn_real_data():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 10)) * 2
    x = (centres[rng.integers(0, 3, 600)] + 0.3 * rng.normal(size=(600, 10))).astype(np.float32)
    x = (x - x.mean(0)) / x.std(0)
    rbm = RBM(10, 16, visible="gaussian", rng=0)
    before = rbm.reconstruction_error(x)
    for _ in range(10):
        rbm.fit_epoch(x, batch_size=20, lr=0.01, rng=rng, momentum=0.5)
    assert rbm.reconstruction_error(x) < 0.5 * before
    v = np.array([[0.0] * 10], dtype=np.float32)
    # F(v) = |v - b|^2 / 2 - sum softplus(c + W v)
    expected = 0.5 * (to_host(rbm.visible_bias) ** 2).sum() - np.logaddexp(
        0, to_host(rbm.hidden_bias)).sum()
    assert to_host(rbm.free_energy(v))[0] == pytest.approx(expected, rel=1e-5)


def test_gibbs_and_sampling_return_visible_means_in_range(binary_digits):
    rbm = RBM(64, 16, rng=0)
    rbm.fit_epoch(binary_digits, batch_size=20, lr=0.1, rng=0)
    out = to_host(rbm.gibbs(binary_digits[:5], steps=3, rng=1))
    assert out.shape == (5, 64) and (out >= 0).all() and (out <= 1).all()
    samples = to_host(rbm.sample(4, steps=10, rng=2))
    assert samples.shape == (4, 64)


def test_bad_settings_are_refused():
    with pytest.raises(ParameterError, match="visible unit"):
        RBM(4, 2, visible="poisson")
    rbm = RBM(4, 2)
    with pytest.raises(ParameterError, match="4 visible units"):
        rbm.fit_epoch(np.zeros((3, 5), dtype=np.float32))
    with pytest.raises(ParameterError, match="k of at least 1"):
        rbm.fit_epoch(np.zeros((3, 4), dtype=np.float32), k=0)


def test_state_round_trip():
    rbm = RBM(5, 3, rng=0)
    copy = RBM(**rbm.config())
    copy.load_state_dict(rbm.state_dict())
    np.testing.assert_array_equal(to_host(copy.weight), to_host(rbm.weight))
    with pytest.raises(ParameterError, match="shape"):
        copy.load_state_dict({**rbm.state_dict(), "weight": np.zeros((2, 2))})


def test_fit_epoch_makes_no_hidden_host_transfers(binary_digits):
    """Under strict transfers any float()/item() on a device value inside the loop raises."""
    with backend.strict_transfers():
        rbm = RBM(64, 8, rng=0)
        error = rbm.fit_epoch(binary_digits[:100], batch_size=10, k=2, persistent=True,
                              rng=0, momentum=0.5, weight_decay=1e-4)
    assert 0 < error < 1


def test_results_and_step_arrays_stay_strict(binary_digits, monkeypatch):
    """The RBM's own buffers are made like its input, so strict mode still sees them:
    a host conversion slipped into a CD step raises."""
    with backend.strict_transfers():
        rbm = RBM(64, 8, rng=0)
        v = backend.to_device(binary_digits[:20])
        assert isinstance(rbm.transform(v), backend.StrictArray)
        assert isinstance(rbm.visible_means(rbm.transform(v)), backend.StrictArray)
        hidden_into = RBM._hidden_into

        def converting(self, v, out):
            result = hidden_into(self, v, out)
            float(result.mean())
            return result

        monkeypatch.setattr(RBM, "_hidden_into", converting)
        with pytest.raises(backend.ImplicitTransferError):
            rbm.fit_epoch(binary_digits[:20], batch_size=10, rng=0)


@pytest.mark.gpu
def test_rbm_trains_on_the_gpu(binary_digits):
    cupy = pytest.importorskip("cupy")
    if not cupy.is_available():
        pytest.skip("no GPU")
    rbm = RBM(64, 16, rng=0, device="gpu")
    data = backend.to_device(binary_digits, "gpu")
    errors = [rbm.fit_epoch(data, batch_size=20, lr=0.05, persistent=True,
                            rng=np.random.default_rng(0)) for _ in range(3)]
    assert errors[-1] < errors[0]
    assert isinstance(rbm.transform(data), cupy.ndarray)


def test_an_rbm_pickled_before_the_weights_layout_change_still_loads(binary_digits):
    """joblib'd DBNs from before the weights were held (visible, hidden) keep working:
    their state names ``weight`` (hidden, visible) and a momentum velocity for it."""
    rbm = RBM(64, 8, rng=0)
    rbm.fit_epoch(binary_digits[:40], batch_size=10, rng=0, momentum=0.5)
    state = copy.deepcopy(rbm.__getstate__())   # arrays of its own, as unpickled
    old = {k: v for k, v in state.items() if k != "weight_t"}
    old["weight"] = np.ascontiguousarray(state["weight_t"].T)
    old["_velocity"] = {**state["_velocity"],
                        "weight": np.ascontiguousarray(state["_velocity"]["weight_t"].T)}
    del old["_velocity"]["weight_t"], old["_decay_term"]
    loaded = RBM.__new__(RBM)
    loaded.__setstate__(old)
    np.testing.assert_array_equal(loaded.weight, rbm.weight)
    for model in (rbm, loaded):   # both go on training the same way
        model.fit_epoch(binary_digits[:40], batch_size=10, rng=1, momentum=0.5,
                        weight_decay=1e-3)
    np.testing.assert_allclose(loaded.weight, rbm.weight, rtol=1e-6)
