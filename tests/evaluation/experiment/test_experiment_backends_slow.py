"""The issue's full experiment on every backend (slow: run with ``-m slow``).

3 classifiers x 3 bundled datasets x 10 repetitions of 10-fold CV = 900 runs; the tables
must be identical apart from the timing columns. Wall times are printed (``-s``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.evaluation.experiment import (
    DaskBackend,
    LocalBackend,
    ProcessBackend,
    load_spec,
    read_results,
    run_experiment,
)
from workbench.evaluation.experiment.runs import TIME_COLUMNS

EXAMPLE = (Path(__file__).resolve().parents[3] / "workbench" / "resources" / "experiments"
           / "three-learners.experiment.json")


@pytest.mark.slow
def test_full_experiment_identical_on_every_backend(tmp_path: Path) -> None:
    spec = load_spec(EXAMPLE)
    assert spec.total_runs == 900
    tables = {}
    for backend in (LocalBackend(), ProcessBackend(2), DaskBackend(n_workers=2)):
        out = tmp_path / f"{backend.name}.csv"
        start = time.perf_counter()
        summary = run_experiment(spec, out, backend)
        print(f"{backend.name}: {summary.executed} runs in "
              f"{time.perf_counter() - start:.1f} s")
        assert summary.executed == 900
        tables[backend.name] = read_results(out).drop(columns=list(TIME_COLUMNS))
    assert len(tables["local"]) == 900
    assert tables["local"].equals(tables["processes"])
    assert tables["local"].equals(tables["dask"])
