"""The Dask backend on a local cluster started by the test, on loopback only."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import small_definition

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import (
    DaskBackend,
    LocalBackend,
    read_results,
    run_experiment,
    spec_from_dict,
)
from workbench.evaluation.experiment.runs import TIME_COLUMNS

pytest.importorskip("distributed")


@pytest.mark.timeout(240)
def test_local_dask_cluster_gives_the_same_table_as_in_process(tmp_path: Path) -> None:
    spec = spec_from_dict(small_definition(datasets=["iris", "weather.numeric"],
                                           classifiers=["zeror", "naive-bayes"]))
    run_experiment(spec, tmp_path / "local.csv", LocalBackend())
    summary = run_experiment(spec, tmp_path / "dask.csv", DaskBackend(n_workers=2))
    assert summary.executed == spec.total_runs == 24
    local = read_results(tmp_path / "local.csv").drop(columns=list(TIME_COLUMNS))
    dask = read_results(tmp_path / "dask.csv").drop(columns=list(TIME_COLUMNS))
    assert dask.equals(local)


@pytest.mark.timeout(60)
def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    spec = spec_from_dict(small_definition(datasets=["weather.numeric"],
                                           classifiers=["zeror"], repetitions=1))
    backend = DaskBackend("tcp://127.0.0.1:9", timeout=2)
    with pytest.raises(WorkbenchError, match="cannot reach the Dask scheduler"):
        run_experiment(spec, tmp_path / "results.csv", backend)


@pytest.mark.timeout(180)
def test_joins_a_running_cluster_by_scheduler_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    spec = spec_from_dict(small_definition(datasets=["weather.numeric"],
                                           classifiers=["zeror", "naive-bayes"],
                                           repetitions=1))
    run_experiment(spec, tmp_path / "local.csv", LocalBackend())
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        summary = run_experiment(spec, tmp_path / "dask.csv",
                                 DaskBackend(cluster.scheduler_address))
    assert summary.executed == 6
    local = read_results(tmp_path / "local.csv").drop(columns=list(TIME_COLUMNS))
    dask = read_results(tmp_path / "dask.csv").drop(columns=list(TIME_COLUMNS))
    assert dask.equals(local)
