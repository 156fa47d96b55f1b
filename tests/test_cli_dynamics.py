"""``workbench classify ... --dynamics CSV``: the final model's training dynamics on disk."""

from __future__ import annotations

import csv
import re

from workbench.cli import main


def _rows(path):
    with path.open() as handle:
        return list(csv.DictReader(handle))


def test_dynamics_flag_records_every_ten_steps_and_writes_the_csv(tmp_path, capsys):
    out = tmp_path / "iris.csv"
    assert main(["classify", "-t", "iris", "-no-cv", "mlp", "--solver", "sgd", "-N", "3",
                 "-H", "5,4", "--batch-size", "10", "--dynamics", str(out)]) == 0
    assert "Correctly Classified Instances" in capsys.readouterr().out
    rows = _rows(out)
    assert list(rows[0]) == ["step", "epoch", "layer", "metric", "value"]
    # 150 rows in batches of 10 for 3 epochs = 45 steps, recorded at 1, 11, 21, 31, 41
    # and the last.
    assert sorted({int(r["step"]) for r in rows}) == [1, 11, 21, 31, 41, 45]
    assert [r["layer"] for r in rows[:1]] == ["1 Dense 4-5 sigmoid"]
    assert {r["layer"] for r in rows} == {"1 Dense 4-5 sigmoid", "2 Dense 5-4 sigmoid",
                                          "3 Dense 4-3 sigmoid"}
    histograms = _rows(tmp_path / "iris.histograms.csv")
    assert {r["kind"] for r in histograms} == {"activation", "weight"}


def test_the_learners_own_step_count_wins_and_a_late_flag_works(tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert main(["classify", "-t", "iris", "-no-cv", "mlp", "--solver", "sgd", "-N", "2",
                 "-H", "3", "--batch-size", "50", "--record-dynamics", "2",
                 "--dynamics", str(out)]) == 0
    capsys.readouterr()
    assert sorted({int(r["step"]) for r in _rows(out)}) == [1, 3, 5, 6]


def test_dynamics_is_refused_where_nothing_is_recorded(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["classify", "-t", "iris", "-no-cv", "--dynamics", str(out), "IBk"]) == 2
    assert "records no training dynamics" in capsys.readouterr().err
    assert not out.exists()


def test_the_default_mlp_records_its_lbfgs_iterations(tmp_path, capsys):
    out = tmp_path / "lbfgs.csv"
    # On iris the default mlp trains by full-batch L-BFGS: a step is one iteration, each
    # of the first 20 recorded, then every 10th, and the last (the report's count: the
    # Watch window called iteration 41 of 46 "the last iteration").
    assert main(["classify", "-t", "iris", "-no-cv", "--dynamics", str(out), "mlp"]) == 0
    report = capsys.readouterr().out
    iterations = re.search(r"trained by L-BFGS on all rows at once, (\d+) iterations", report)
    assert iterations is not None
    rows = _rows(out)
    steps = sorted({int(r["step"]) for r in rows})
    assert steps[:20] == list(range(1, 21)) and len(steps) > 20
    assert steps[-1] == int(iterations.group(1)) and (steps[-1] - 1) % 10 != 0
    assert all((b - 1) % 10 == 0 for b in steps[20:-1])
    assert {float(r["epoch"]) for r in rows} == {float(s) for s in steps}
    layers = sorted({r["layer"] for r in rows})
    assert len(layers) == 2 and layers[0].startswith("1 Dense 4-")
    for metric in ("grad_norm", "update_ratio"):
        values = [float(r["value"]) for r in rows if r["metric"] == metric]
        assert len(values) == 2 * len(steps) and all(0 < v < float("inf") for v in values)
    assert (tmp_path / "lbfgs.histograms.csv").exists()


def test_cross_validation_records_only_the_final_model(tmp_path, capsys, monkeypatch):
    from workbench.classifiers.mlp import MultilayerPerceptron

    fits = []
    original = MultilayerPerceptron.fit

    def spy(self, dataset, *args, **kwargs):
        fits.append((self.record_dynamics, dataset.num_instances))
        return original(self, dataset, *args, **kwargs)

    monkeypatch.setattr(MultilayerPerceptron, "fit", spy)
    out = tmp_path / "cv.csv"
    assert main(["classify", "-t", "iris", "-x", "3", "mlp", "--solver", "sgd", "-N", "3",
                 "-H", "5", "--batch-size", "10", "--dynamics", str(out)]) == 0
    report = capsys.readouterr().out
    assert "Stratified cross-validation" in report and "--record-dynamics 10" in report
    assert sorted(fits) == [(0, 100), (0, 100), (0, 100), (10, 150)]
    # The file holds the full-data model's steps: 150 rows in batches of 10, 3 epochs.
    assert sorted({int(r["step"]) for r in _rows(out)}) == [1, 11, 21, 31, 41, 45]
