"""Where the files shipped inside the package live: datasets, flow templates, experiments.

They are package data (``workbench/resources``), found through ``importlib.resources``
rather than paths relative to a source tree, so a wheel installed anywhere has them just
as a checkout does. Our wheel is never zipped, so the traversable is a real folder.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from workbench.core.errors import WorkbenchError, printable


def resource_dir(kind: str) -> Path:
    """The folder of one kind of bundled file: ``datasets``, ``flows`` or ``experiments``."""
    return Path(str(files("workbench.resources") / kind))


def bundled_flow_path(name: str) -> Path | None:
    """The flow template called ``name`` (``cross-validation``), or None if there is none.

    ``workbench run NAME`` uses it when NAME is not a file, as the flow editor's template
    menu lists the same folder.
    """
    path = resource_dir("flows") / f"{name}.kflow.json"
    return path if path.is_file() else None


def bundled_experiment_path(name: str) -> Path | None:
    """The bundled experiment called ``name`` (``optimisers``, also with ``.experiment``
    or ``.experiment.json``), or None; ``workbench experiment run NAME`` uses it when NAME
    is not a file, as ``workbench run`` finds templates."""
    stem = name.removesuffix(".json").removesuffix(".experiment")
    if not stem or Path(stem).name != stem:
        return None
    path = resource_dir("experiments") / f"{stem}.experiment.json"
    return path if path.is_file() else None


def bundled_experiments() -> list[Path]:
    """The bundled experiments, by name: what the Experimenter's *Open bundled* menu
    lists and what ``workbench experiment run NAME`` and ``workbench experimenter NAME``
    find."""
    return sorted(resource_dir("experiments").glob("*.experiment.json"))


def experiment_spec_path(ref: str) -> Path:
    """The experiment file ``ref`` names: the file itself when there is one, else the
    bundled experiment of that name (``optimisers``), so every command that opens an
    experiment takes both, as those that open a dataset or a flow do. ``WorkbenchError``
    when it is neither."""
    path = Path(ref)
    if path.exists():
        return path
    bundled = bundled_experiment_path(ref) if path.name == ref else None
    if bundled is None:
        names = ", ".join(p.name.removesuffix(".experiment.json")
                          for p in bundled_experiments())
        raise WorkbenchError(f"{printable(ref)}: no such file, nor a bundled experiment of "
                             f"that name "
                             f"(bundled: {names})")
    return bundled


def user_output_root() -> Path:
    """Where runs of bundled templates and experiments write (``WORKBENCH_OUTPUT``
    overrides): never inside the installed package, which may be read-only and whose
    contents test_packaging checks."""
    override = os.environ.get("WORKBENCH_OUTPUT")
    return Path(override) if override else Path.home() / "workbench-output"


def is_bundled(path: str | os.PathLike[str], kind: str) -> bool:
    """True for a file inside the package's folder of ``kind`` (symbolic links
    resolved)."""
    try:
        return Path(path).resolve().is_relative_to(resource_dir(kind).resolve())
    except (OSError, ValueError):
        return False


def default_results_path(spec_path: str | os.PathLike[str]) -> Path:
    """Where an experiment's results go when the user names no file: beside the spec,
    ``NAME.results.csv``; for a bundled spec, in ``user_output_root()`` instead."""
    path = Path(spec_path)
    name = path.name.removesuffix(".json").removesuffix(".experiment")
    if is_bundled(path, "experiments"):
        return user_output_root() / f"{name}.results.csv"
    return path.with_name(f"{name}.results.csv")
