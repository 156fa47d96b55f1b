"""Network learners refuse, before building anything, a network that cannot fit in the
memory free; k-NN and Discretize bound their work by the rows; and training and
filtering run under the memory ceiling, where a ``MemoryError`` becomes our error
naming the step.

The probe's commands (``rnn --layers 100000``, ``cnn conv(100000,3)``, ``mlp -H
20000,20000``, ``dbn --hidden-layers 100000,...``) grew to gigabytes before failing. Here
the free memory is pinned to 1 GiB, and the test also counts every array the
initialisers really make: a refusal must come before any large one.
"""

from __future__ import annotations

import resource

import numpy as np
import pytest

from workbench.classifiers import training_memory
from workbench.cli import main
from workbench.core import memory_ceiling
from workbench.core.memory_ceiling import NotEnoughMemoryError, limited_memory, memory_for
from workbench.data.catalog import resolve_data_path
from workbench.data.io import load_dataset
from workbench.engine import init as initializers

MB = 2**20
GB = 2**30


@pytest.fixture
def one_gib_free(monkeypatch):
    """1 GiB free, no swap; returns the sizes of the arrays really initialised."""
    monkeypatch.setattr(training_memory, "available_memory", lambda: GB)
    monkeypatch.setattr(training_memory, "swap_room", lambda: 0)
    made: list[int] = []
    finish = initializers._finish

    def counted(values, dtype, device):
        made.append(int(values.size))
        return finish(values, dtype, device)

    monkeypatch.setattr(initializers, "_finish", counted)
    return made


@pytest.mark.parametrize(("argv", "words"), [
    (["-t", "sentiment", "-x", "2", "rnn", "--epochs", "1", "--layers", "100000"],
     "rnn: 100000 lstm layer(s) of 128 units"),
    (["-t", "sentiment", "-x", "2", "rnn", "--epochs", "1", "--hidden-size", "1000000"],
     "rnn: 1 lstm layer(s) of 1000000 units"),
    (["-t", "digits", "-x", "2", "cnn", "--epochs", "1", "--architecture",
      "conv(100000,3)"], "cnn: the architecture 'conv(100000,3)' on 1x8x8 images"),
    (["-t", "iris", "-x", "2", "mlp", "-N", "1", "-H", "20000,20000"],
     "mlp: a network with hidden layers of 20000, 20000 units on 4 inputs"),
    (["-t", "iris", "-x", "2", "dbn", "--finetune-epochs", "1", "--hidden-layers",
      "100000,100000,100000"], "dbn: hidden layers of 100000, 100000, 100000 units"),
])
def test_a_network_too_large_for_the_free_memory_is_refused_before_it_is_built(
        capsys, one_gib_free, argv, words):
    assert main(["classify", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: error: {words}")
    assert "more than the 1.0 GiB of memory free" in err
    assert "Traceback" not in err
    assert max(one_gib_free, default=0) < 1_000_000   # nothing large was made


def test_a_network_that_fits_trains_as_before(capsys, one_gib_free):
    assert main(["classify", "-t", "iris", "-x", "2", "mlp", "-N", "2", "-H", "8"]) == 0
    assert "Correctly Classified Instances" in capsys.readouterr().out


def _data(name):
    data = load_dataset(resolve_data_path(name))
    return data if data.class_index is not None else data.with_class(-1)


@pytest.mark.parametrize(("learner", "data", "params"), [
    ("mlp", "iris", {"epochs": 1, "hidden_layers": "7,5"}),
    ("rnn", "sentiment", {"epochs": 1, "layers": 3, "hidden_size": 8, "cell": "gru",
                          "bidirectional": True, "conv_filters": 4}),
    ("rnn", "sentiment", {"epochs": 1, "layers": 2, "hidden_size": 8}),
    ("cnn", "digits", {"epochs": 1, "architecture": "conv(4,3)-pool(2)-dense(16)"}),
    ("dbn", "iris", {"finetune_epochs": 1, "hidden_layers": [6, 5]}),
])
def test_the_estimate_counts_the_parameters_the_network_has(monkeypatch, learner, data,
                                                            params):
    """The refusal's sizes are the network's: the parameters counted before building
    equal those of the network built."""
    import importlib

    from workbench.core.registry import default_registry

    seen = []
    check = training_memory.check_fits

    def spy(name, footprint, what, free=None):
        seen.append(footprint)
        return check(name, footprint, what, free)

    monkeypatch.setattr(importlib.import_module(f"workbench.classifiers.{learner}"),
                        "check_fits", spy)
    model = default_registry().get("classifier", learner).create(**params)
    model.fit(_data(data))
    built = sum(int(p.data.size) for p in model.network_.parameters())
    assert [f.parameters for f in seen] == [built]


def test_the_refusal_states_the_sizes():
    footprint = training_memory.TrainingFootprint(10**9, 10**6, 4, extra_bytes=GB)
    with pytest.raises(training_memory.NetworkTooLargeError) as refused:
        training_memory.check_fits("mlp", footprint, "a wide network", free=GB)
    text = str(refused.value)
    assert text.startswith("mlp: a wide network would need about 15.9 GiB to train")
    assert "1 billion parameters (14.9 GiB with their gradients and optimizer state)" in text
    assert "11 MiB of activations per batch, 1.0 GiB besides" in text
    assert "more than the 1.0 GiB of memory free" in text


def _iris():
    return _data("iris")


def test_knn_with_k_past_the_rows_is_the_rows_and_allocates_nothing_per_k():
    from workbench.classifiers.knn import KNearestNeighbours as IBk

    data = _iris()
    with limited_memory(256 * MB):   # the old code asked for 16 GiB here
        huge = IBk(k=2**31 - 1, select_k=True).fit(data)
        rows = IBk(k=data.num_instances, select_k=True).fit(data)
        plain = IBk(k=2**31 - 1).fit(data)
    assert huge.k_ == rows.k_
    assert plain.k_ == data.num_instances
    assert np.array_equal(huge.predict_proba(data), rows.predict_proba(data))


def test_discretize_with_more_bins_than_rows_allocates_nothing_per_bin():
    from workbench.filters.discretize import Discretize

    data = _iris()
    with limited_memory(256 * MB):   # the old code asked for 16 GiB here
        for method in ("equal-width", "equal-frequency"):
            out = Discretize(bins=2**31 - 1, method=method).fit_transform(data)
            labels = out.attributes[0].values
            assert 1 < len(labels) <= data.num_instances


def _old_equal_width(values, bins):
    known = values[~np.isnan(values)]
    low, high = float(known.min()), float(known.max())
    return low + (high - low) / bins * np.arange(1, bins)


def test_equal_width_beyond_the_rows_keeps_wekas_partition_of_the_training_values():
    from workbench.filters.discretize import equal_width_cuts

    rng = np.random.default_rng(3)
    for bins in (5000, 12345, 10**6):
        values = np.round(rng.normal(size=30), 2)
        old = np.searchsorted(_old_equal_width(values, bins), values, side="left")
        new = np.searchsorted(equal_width_cuts(values, bins), values, side="left")
        # the same values share a bin, and the bins keep their order
        assert np.array_equal(np.unique(old, return_inverse=True)[1],
                              np.unique(new, return_inverse=True)[1])


def test_equal_width_keeps_all_of_wekas_cuts_for_ordinary_bin_counts():
    """More bins than values is ordinary on small data (the default 10 on 5 rows):
    WEKA's empty bins stay, so a test value and the header's labels are WEKA's."""
    from workbench.filters.discretize import WEKA_BINS_KEPT, equal_width_cuts

    values = np.array([1.0, 2.0, 3.0, 9.0, 10.0])
    for bins in (10, 97, WEKA_BINS_KEPT):
        assert np.array_equal(equal_width_cuts(values, bins), _old_equal_width(values, bins))


def _weka_equal_frequency(values, weights, bins):
    """WEKA's loop as it is written (Discretize.calculateCutPointsByEqualFrequencyBinning):
    over the sorted instances one by one, a cut possible only where the value changes."""
    known = ~np.isnan(values)
    order = np.argsort(values[known], kind="stable")
    v, w = values[known][order], weights[known][order]
    total = float(w.sum())
    target, cuts = total / bins, []
    counter = last = 0.0
    last_index = -1
    for i in range(v.size - 1):
        counter += w[i]
        total -= w[i]
        if v[i] < v[i + 1]:
            if counter >= target:
                if target - last < counter - target and last_index != -1:
                    cuts.append((v[last_index] + v[last_index + 1]) / 2)
                    counter -= last
                    last, last_index = counter, i
                else:
                    cuts.append((v[i] + v[i + 1]) / 2)
                    counter = last = 0.0
                    last_index = -1
                if len(cuts) == bins - 1:
                    break
                target = (total + counter) / (bins - len(cuts))
            else:
                last_index, last = i, counter
    if len(cuts) < bins - 1 and last_index != -1:
        cuts.append((v[last_index] + v[last_index + 1]) / 2)
    return np.asarray(cuts, dtype=np.float64)


def test_equal_frequency_gives_the_cuts_of_wekas_loop_over_every_instance():
    """Ours walks the distinct values once (so -B 2147483647 costs one step a value);
    WEKA's walks the instances: the same cuts, ties and weights included."""
    from workbench.filters.discretize import equal_frequency_cuts

    rng = np.random.default_rng(5)
    for bins in (2, 3, 5, 10, 40, 41, 97, 500, 4096, 2**31 - 1):
        values = np.round(rng.normal(size=40), 1)
        weights = rng.uniform(0.2, 3.0, size=40)
        for w in (np.ones(40), weights):
            assert np.array_equal(equal_frequency_cuts(values, w, bins),
                                  _weka_equal_frequency(values, w, bins)), bins


def test_training_runs_under_the_ceiling_and_running_out_names_the_step(
        capsys, monkeypatch):
    from workbench.classifiers.zeror import ZeroR

    limits = []

    def fit(self, data, progress, cancel):
        limits.append(resource.getrlimit(resource.RLIMIT_DATA)[0])
        raise MemoryError("Unable to allocate 16.0 GiB for an array")

    monkeypatch.setattr(memory_ceiling, "BUDGET", 4 * GB)
    monkeypatch.setattr(ZeroR, "_fit", fit)
    before = resource.getrlimit(resource.RLIMIT_DATA)
    assert main(["classify", "-t", "iris", "-x", "2", "zeror"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: training and testing zeror: not enough "
                          "memory: it asked for more, more than the 4.0 GiB free "
                          "(Unable to allocate 16.0 GiB for an array)")
    assert limits and limits[0] != resource.RLIM_INFINITY
    assert resource.getrlimit(resource.RLIMIT_DATA) == before


def test_a_filter_runs_under_the_ceiling_and_running_out_names_it(
        capsys, monkeypatch, tmp_path):
    from workbench.filters.discretize import Discretize

    def fit(self, data):
        raise MemoryError("Unable to allocate 16.0 GiB for an array")

    monkeypatch.setattr(memory_ceiling, "BUDGET", 4 * GB)
    monkeypatch.setattr(Discretize, "_fit", fit)
    out = tmp_path / "out.arff"
    assert main(["filter", "discretize", "-i", "iris", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: filter discretize: not enough memory")
    assert not out.exists()


def test_memory_for_turns_a_memory_error_into_ours():
    refused = pytest.raises(NotEnoughMemoryError, match=r"^training x: not enough memory")
    with refused, memory_for("training x"):
        raise MemoryError()
