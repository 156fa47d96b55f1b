"""Saving an experiment and copying its runs as one step, as the user sees it.

An experiment file finds its runs beside itself (``NAME.results.csv``). Written first,
a save that then failed or died while copying the runs there left the new file without
its runs (they were still in the old table, where the reopened file does not look).
So the file is written to a temporary beside it first (a full disk says so before any
run is copied), the runs are copied, and only then is the temporary renamed onto the
file: that rename is the commit. A failure or a crash before it leaves the file as it
was; the runs are copied, never moved, so the table they came from keeps them.

A crash inside the copy can leave its record (``NAME.results.csv.spec.json``) without
the table; ``clear_torn_copy`` removes such a record of this very experiment before the
next save there, which would otherwise refuse the name as taken.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.atomic import atomic_write
from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.resultsfile import read_record
from workbench.evaluation.experiment.spec import ExperimentFileError, ExperimentSpec
from workbench.evaluation.experiment.store import same_experiment, spec_sidecar


@contextlib.contextmanager
def committed_last(path: str | os.PathLike[str], data: Any) -> Iterator[None]:
    """Write the experiment ``data`` as JSON to a temporary beside ``path``, run the
    block (the copy of its runs), then rename the temporary onto ``path``. When the
    block raises, ``path`` is untouched and the temporary removed. An ``OSError`` of
    the file itself becomes a ``WorkbenchError`` that names it."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(target) as handle:   # as spec.write_json_atomic writes it
            json.dump(data, handle, indent=2)
            handle.write("\n")
            handle.flush()   # a full disk is met here, before any run is copied
            yield
    except WorkbenchError:
        raise
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot save the experiment: {exc}") from exc


def clear_torn_copy(target: str | os.PathLike[str], spec: ExperimentSpec) -> bool:
    """Remove the record of ``spec``'s runs at ``target`` when no table stands beside
    it: what a save killed between the record and the table leaves. Such a record
    holds no run; anything else (a table, another experiment's record, a record that
    cannot be read) is left for ``store.check_carry_target`` to name. Whether one was
    removed."""
    table = Path(target)
    sidecar = spec_sidecar(table)
    if os.path.lexists(table) or sidecar.is_symlink() or not sidecar.is_file():
        return False
    try:
        recorded = read_record(sidecar, ExperimentFileError, "an experiment record")
    except ExperimentFileError:
        return False
    if not same_experiment(recorded, spec):
        return False
    with contextlib.suppress(FileNotFoundError):
        sidecar.unlink()
    return True
