"""Where runs are computed: this process, local worker processes (joblib), or Dask.

Every backend does one thing: take independent runs and hand back ``(run, row)`` pairs as
runs finish, in any order. They all call the same ``execute_run`` on the same ``Run``
records, which is why the results table is identical whichever one computed it. A
backend checks the cancel token between results and stops sending new work once it is
set; what finished before is already in the table. Runs arrive as an iterator and are
taken from it only as workers become free, so an experiment of any size never sits in
memory whole.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any, Protocol

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken, check
from workbench.evaluation.experiment import runs as runs_module
from workbench.evaluation.experiment.runs import Run, RunFailed

BACKENDS: tuple[str, ...] = ("local", "processes", "dask")


class Backend(Protocol):
    name: str

    def execute(self, runs: Iterable[Run], cancel: CancelToken | None = None
                ) -> Iterator[tuple[Run, dict[str, Any]]]:
        """Compute ``runs``, yielding each with its row as soon as it is finished."""
        ...


def _execute(run: Run) -> dict[str, Any]:
    """One run's row; a refusal or failure comes back as ``RunFailed``, naming the run,
    from whichever worker computed it."""
    try:
        # Looked up at call time so a test can replace ``execute_run`` in-process.
        return runs_module.execute_run(run)
    except (RunFailed, Cancelled):   # a stop is a stop, not a failed run
        raise
    except WorkbenchError as exc:
        raise RunFailed(run.dataset, run.classifier, run.repetition, run.fold,
                        str(exc)) from None


class LocalBackend:
    """Runs one after another in this process: no start-up cost, simplest to debug."""

    name = "local"

    def execute(self, runs: Iterable[Run], cancel: CancelToken | None = None
                ) -> Iterator[tuple[Run, dict[str, Any]]]:
        for run in runs:
            check(cancel)
            yield run, _execute(run)


class ProcessBackend:
    """Runs spread over local worker processes with joblib (loky), one thread each."""

    name = "processes"

    def __init__(self, n_jobs: int | None = None) -> None:
        self.n_jobs = n_jobs or max(1, min(os.cpu_count() or 1, 8))

    def execute(self, runs: Iterable[Run], cancel: CancelToken | None = None
                ) -> Iterator[tuple[Run, dict[str, Any]]]:
        from joblib import Parallel, delayed

        check(cancel)
        batches = group_runs(runs)
        first = next(batches, None)
        if first is None:
            return
        parallel = Parallel(n_jobs=self.n_jobs, backend="loky",
                            return_as="generator_unordered", inner_max_num_threads=1)
        pending: dict[int, list[Run]] = {}

        def tasks() -> Iterator[Any]:
            # joblib draws from this only a few tasks ahead of the workers
            for index, batch in enumerate(itertools.chain([first], batches)):
                pending[index] = batch
                yield delayed(_tagged)(index, batch)

        tagged = parallel(tasks())
        try:
            for index, rows in tagged:
                yield from zip(pending.pop(index), rows, strict=True)
                check(cancel)
        finally:
            close = getattr(tagged, "close", None)
            if close is not None:
                with warnings.catch_warnings():
                    # joblib warns that the abandoned runs were wasted; that is the point.
                    warnings.simplefilter("ignore", UserWarning)
                    close()  # abandons the runs not yet started


def _tagged(index: int, batch: list[Run]) -> tuple[int, list[dict[str, Any]]]:
    return index, execute_batch(batch)


def execute_batch(batch: list[Run]) -> list[dict[str, Any]]:
    """The rows of several runs computed in one task (one repetition's folds)."""
    return [_execute(run) for run in batch]


def group_runs(runs: Iterable[Run]) -> Iterator[list[Run]]:
    """Runs grouped by dataset, classifier and repetition: one task per repetition.

    A run takes milliseconds on small data, far less than a task's round trip through a
    process pool or a Dask scheduler; sending a repetition's folds together keeps the
    workers busy, and each worker draws that repetition's folds only once. Runs come in
    the experiment's order, where a repetition's folds are neighbours, so the groups are
    made as the runs arrive.
    """
    for _, group in itertools.groupby(runs, key=lambda r: (r.dataset, r.classifier,
                                                          r.repetition)):
        yield list(group)


class DaskBackend:
    """Runs as tasks on a Dask distributed cluster.

    With ``scheduler`` (``tcp://host:8786``) it joins that cluster; the workers there must
    have Workbench installed and see the datasets (bundled names always resolve; paths
    must exist on the workers). Without one it starts a local cluster on loopback only,
    for this experiment, and stops it afterwards.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 timeout: float = 60.0) -> None:
        self.scheduler = scheduler
        self.n_workers = n_workers or max(1, min(os.cpu_count() or 1, 8))
        self.timeout = timeout

    def execute(self, runs: Iterable[Run], cancel: CancelToken | None = None
                ) -> Iterator[tuple[Run, dict[str, Any]]]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise WorkbenchError("the dask backend needs 'dask[distributed]' installed"
                                 ) from exc
        check(cancel)
        batches = group_runs(runs)
        first = next(batches, None)
        if first is None:
            return
        with ExitStack() as stack:
            if self.scheduler:
                try:
                    client = stack.enter_context(Client(self.scheduler,
                                                        timeout=self.timeout))
                except (OSError, TimeoutError) as exc:
                    raise WorkbenchError(f"cannot reach the Dask scheduler at "
                                         f"{self.scheduler}: {exc}") from exc
            else:
                cluster = stack.enter_context(LocalCluster(
                    n_workers=self.n_workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None, silence_logs=40))
                client = stack.enter_context(Client(cluster, timeout=self.timeout))
            window = 4 * self.n_workers  # tasks in flight; the rest are not made yet
            queue = itertools.chain([first], batches)
            pending: dict[Any, tuple[Any, list[Run]]] = {}

            def submit(batch: list[Run]) -> Any:
                future = client.submit(execute_batch, batch, pure=False)
                pending[future.key] = (future, batch)
                return future

            completed = as_completed([submit(b) for b in itertools.islice(queue, window)])
            try:
                for future in completed:
                    _, batch = pending.pop(future.key)
                    rows = future.result()
                    yield from zip(batch, rows, strict=True)
                    check(cancel)
                    following = next(queue, None)
                    if following is not None:
                        completed.add(submit(following))
            finally:
                client.cancel([f for f, _ in pending.values() if not f.done()])


def make_backend(name: str, *, scheduler: str | None = None,
                 workers: int | None = None) -> Backend:
    """The backend called ``name`` (one of ``BACKENDS``)."""
    if name == "local":
        if scheduler:
            raise WorkbenchError("--scheduler only applies to the dask backend")
        return LocalBackend()
    if name == "processes":
        if scheduler:
            raise WorkbenchError("--scheduler only applies to the dask backend")
        return ProcessBackend(workers)
    if name == "dask":
        return DaskBackend(scheduler, workers)
    raise WorkbenchError(f"unknown backend '{name}' (expected one of "
                         f"{', '.join(BACKENDS)})")
