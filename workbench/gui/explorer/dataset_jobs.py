"""The Preprocess work that replaces the Explorer's dataset, run in a worker: Apply (a
filter) and the Remove button, one at a time in the window's ``filter_job`` slot, so
the two never race for the dataset.

A result is put in place only while the window still shows the dataset the work
started from. Meanwhile the user may open another file or press OK in Edit..., and a
result arriving after that went over the newer data without a word, with an undo step
named for the wrong change (the opened file undone as "removed attributes: ...").
Such a result is now dropped, and the status bar and the log say so.

Open and Edit... are not refused while the work runs, as WEKA's Preprocess panel
refuses them ("busy with other IO"): the newest thing the user asked for wins, and a
large file's Apply never holds up opening another. Undo waits, as before: it would
take back a step the work's result is about to follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.data.dataset import Dataset
from workbench.filters.relation_name import filter_command, filtered_relation
from workbench.gui.workers import Job, Work

if TYPE_CHECKING:
    from workbench.gui.explorer.window import ExplorerWindow


def apply_filter(window: ExplorerWindow, component: Any) -> None:
    """Fit ``component`` to the window's dataset and apply it, in a worker."""
    if window.dataset is None or window.filter_job is not None:
        return
    data = window.dataset
    if data.class_index is None:  # supervised filters need WEKA's default class
        data = data.with_class(window.preprocess.colour_index())

    def work(_progress: Any, _cancel: Any) -> Dataset:
        # The relation is renamed as WEKA's filters and `workbench filter` do
        # (iris-weka.filters.unsupervised.attribute.Normalize-S1.0-T0.0), so the
        # header shows what was done and Save writes that name.
        filtered = component.fit_transform(data)
        return filtered.with_relation(filtered_relation(filtered.relation, component))

    title = window.preprocess.filter_title(component)  # as the filter chooser names it
    window.note(f"Applying {title}...")
    _start(window, work, "filter", title,
           lambda dataset: _filtered(window, dataset, title, component))


def remove_attributes(window: ExplorerWindow, chosen: list[int], what: str) -> None:
    """The Remove button's work: the dataset less the ``chosen`` attributes."""
    if window.dataset is None:
        return
    if window.filter_job is not None:
        window.preprocess.show_message("a filter is still running: Remove once it is done")
        return
    data = window.dataset
    tab = window.preprocess

    def work(_progress: Any, _cancel: Any) -> Dataset:
        return tab.without_attributes(data, chosen)

    _start(window, work, "remove", "Remove",
           lambda dataset: window.replace_dataset(dataset, what))


def _start(window: ExplorerWindow, work: Work, name: str, title: str,
           use: Callable[[Dataset], None]) -> None:
    """Run ``work`` in the filter's slot; ``use`` its dataset if the window still shows
    the one it started from."""
    started_from = window.dataset
    job = Job(work, name, window)

    def finished(dataset: Dataset) -> None:
        if window.dataset is not started_from:
            window.note(f"{title} finished on data that has since been replaced: its "
                        f"result was dropped, and the data shown now is kept")
            return
        use(dataset)

    def refused(message: str, details: str) -> None:
        window.preprocess.show_message(message)
        window.note(f"Error: {title}: {message}" + (f"\n{details}" if details else ""))

    job.finished.connect(finished)
    job.failed.connect(refused)
    job.done.connect(lambda: _done(window, job))
    window.filter_job = job
    window.update_actions()
    job.start()


def _filtered(window: ExplorerWindow, dataset: Dataset, title: str, component: Any) -> None:
    """A filter's result, undoable, and its full command in the log, as WEKA's log
    gives it: the relation name holds only the latest step's, and a session is
    reproduced from the log."""
    window.replace_dataset(dataset, f"applied {title}")
    window.log.log(f"Command: {filter_command(component)}")
    for difference in component.weka_differences():   # dates left alone, ...
        window.note(f"{title}: {difference}")


def _done(window: ExplorerWindow, job: Job) -> None:
    # The job is the window's child and its work holds the dataset it filtered:
    # kept, every Apply pinned another copy whatever the undo stack let go (61 MB
    # a step on MNIST's test set). Qt deletes it once its signals are delivered.
    job.deleteLater()
    if window.filter_job is job:
        window.filter_job = None
    window.update_actions()
