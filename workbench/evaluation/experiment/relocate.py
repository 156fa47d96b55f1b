"""An experiment saved into another folder: its relative dataset paths follow the files.

A dataset path in an experiment file is read from the file's own folder, so writing
``mine.arff`` unchanged into another folder names a file that is not there, and the
saved experiment cannot be opened. ``relocated`` gives the spec as it must be written
in the new folder: every relative path rewritten to name the same file, relative to the
new folder when the two share a folder other than the file system's root (a project
folder, the home folder: the pair can move together), absolute otherwise (another drive,
``/tmp``); bundled names and absolute paths stay as the user wrote them. A file's name
never changes, so the label the results table keys its rows by (``dataset_label``, the
file's stem) is the same before and after: the rows stay valid, only the experiment
record beside them names the datasets anew (``store.carry_results``).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from workbench.data.catalog import bundled_names
from workbench.evaluation.experiment.spec import ExperimentSpec


def relocated(spec: ExperimentSpec, folder: str | os.PathLike[str]) -> ExperimentSpec:
    """``spec`` as an experiment file in ``folder`` must list it: the same datasets,
    experiment and runs, with ``base_dir`` the new folder as the system finds it (links
    followed, then ``..``: a file saved at ``link/../x/exp.json`` is read from the
    link's real parent). Unchanged (the very object) when ``folder`` is the spec's own
    folder."""
    if _same_folder(spec.base_dir, os.fspath(folder)):
        return spec
    refs = tuple(relocated_ref(ref, spec.base_dir, os.fspath(folder))
                 for ref in spec.datasets)
    return dataclasses.replace(spec, datasets=refs, base_dir=os.path.realpath(folder))


def relocated_ref(ref: str, old: str, new: str) -> str:
    """``ref`` (read from folder ``old``) as written in folder ``new``: see the module.
    Relative paths are written with ``/`` (``Path.as_posix``), which every system
    reads, so an experiment file saved on Windows opens elsewhere too."""
    if ref in bundled_names() or os.path.isabs(ref):
        return ref
    # The folder as the system walks it (links, then ``..``), the file's own name kept:
    # the name is the label the results' rows go by, even when the file is a link.
    spelled = os.path.join(old, ref)
    location = os.path.join(os.path.realpath(os.path.dirname(spelled)),
                            os.path.basename(spelled))
    # First the path as the user spelled it, made relative to the folder as named
    # (a linked data folder inside a project stays so, and moves with the project);
    # then the file's real place from the new folder's real place. Either is kept only
    # if it reaches the very file (``..`` after a link leaves the link's target).
    for target, start in ((os.path.abspath(spelled), os.path.abspath(new)),
                          (os.path.abspath(spelled), os.path.realpath(new)),
                          (location, os.path.realpath(new))):
        relative = _relative(target, start)
        if (relative is not None and relative not in bundled_names()
                and _same_file(os.path.join(new, relative), location)):
            return Path(relative).as_posix()
    # A bundled name would be read as the bundled dataset; nothing shared but the
    # root (another drive, ``/tmp``), or no relative path reaching it: absolute then.
    return location


def _relative(target: str, start: str) -> str | None:
    """``target`` relative to ``start``; None when the two share only the file
    system's root (or lie on different drives)."""
    try:
        shared = os.path.commonpath([target, start])
        relative = os.path.relpath(target, start)
    except ValueError:   # another drive (Windows): no relative path exists
        return None
    return None if shared == Path(shared).anchor else relative


def _same_folder(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _same_file(candidate: str, location: str) -> bool:
    """Whether ``candidate`` reaches the file at ``location``: links resolved one part
    after the other, as the system walks a path (a folder not made yet is taken as
    spelled)."""
    return (os.path.normcase(os.path.realpath(candidate))
            == os.path.normcase(os.path.realpath(location)))
