"""Deleting a result frees it; closing the Watch window lets go of the model it showed.

A learner who moves on to MNIST leaves the Explorer open for an afternoon of runs; a
result the window still held after *Delete result* (through a popup menu left alive,
the Result menu's entries, the last run's note of the entry current when it began,
or the Watch window closed long ago) kept its model and predictions, tens of MB
each, for good.
"""

from __future__ import annotations

import gc
import weakref

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMenu

MLP = {"epochs": 2, "hidden_layers": (4,), "solver": "sgd"}


def _settle() -> None:
    """What Qt deletes later (a popup, a page) is deleted; then the cycles collected."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _refs(tab, row: int = 0) -> dict[str, weakref.ref]:
    entry = tab.evaluations[row]
    return {"result": weakref.ref(entry), "model": weakref.ref(entry.model)}


def _alive(refs: dict[str, weakref.ref]) -> list[str]:
    _settle()
    return [name for name, ref in refs.items() if ref() is not None]


def _choose(menu: QMenu, text: str) -> None:
    next(a for a in menu.actions() if a.text().replace("&", "") == text).trigger()


def test_delete_result_from_the_popup_frees_the_result_and_its_model(
        qtbot, explorer, monkeypatch):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    run_classifier(qtbot, explorer, "mlp", MLP)
    run_classifier(qtbot, explorer, "mlp", MLP)
    first = _refs(tab, 0)
    view = tab.results_list
    # The user right-clicks the first entry, looks at the menu and closes it (Escape),
    # then right-clicks it again and chooses Delete result. (The menu's exec is
    # replaced on the menu itself: PySide keeps a class's methods out of reach.)
    choices = [None, "Delete result"]
    build = explorer.results.build_menu

    def popup(row: int) -> QMenu:
        menu, choice = build(row), choices.pop(0)
        menu.exec = lambda where: choice and _choose(menu, choice)
        return menu

    monkeypatch.setattr(explorer.results, "build_menu", popup)
    explorer.results.show_menu(view.visualItemRect(view.item(0)).center())
    explorer.results.show_menu(view.visualItemRect(view.item(0)).center())
    assert choices == []
    assert len(tab.evaluations) == 1
    assert _alive(first) == []


def test_delete_result_from_the_result_menu_frees_it(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    run_classifier(qtbot, explorer, "mlp", MLP)
    refs = _refs(tab)
    menu = explorer.result_menu
    menu.aboutToShow.emit()   # the menu bar's Result menu, opened on the entry
    _choose(menu, "Delete result")
    menu.aboutToHide.emit()
    assert tab.evaluations == []
    qtbot.waitUntil(lambda: not _alive(refs), timeout=10_000)


def test_deleting_the_entry_current_before_the_last_run_frees_it(qtbot, explorer):
    """A run remembers the entry current when it started, to make it current again
    should the run keep no result; the run that did keep one must not hold it."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    run_classifier(qtbot, explorer, "mlp", MLP)
    refs = _refs(tab)
    run_classifier(qtbot, explorer, "mlp", MLP)   # started with the first one current
    tab.remove_result(0)
    assert _alive(refs) == []


def test_a_closed_watch_window_lets_go_of_the_model(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("mlp", MLP)
    watch = tab.watch_weights()
    run_classifier(qtbot, explorer, "mlp", MLP)
    refs = _refs(tab)
    assert watch.model is tab.evaluations[0].model   # shown while the window is open
    watch.close()
    tab.remove_result(0)
    assert _alive(refs) == []
    assert watch.dataset is None   # nor the data: another file may be open by now


def test_a_run_that_ends_after_its_watch_window_closed_is_not_kept_by_it(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("mlp", MLP)
    tab.watch_weights().close()
    run_classifier(qtbot, explorer, "mlp", MLP)
    refs = _refs(tab)
    tab.remove_result(0)
    assert _alive(refs) == []
    # Opened again, it waits for the next run, as it did before.
    view = tab.watch_weights()
    assert view.model is None and view.empty_label.isVisibleTo(view)


def test_the_memory_a_run_and_a_deletion_free_is_given_back(qtbot, explorer, monkeypatch):
    from workbench.gui import freed_memory

    given: list[int] = []
    monkeypatch.setattr(freed_memory, "give_back_freed_memory",
                        lambda: given.append(len(explorer.classify.evaluations)))
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "mlp", MLP)
    qtbot.waitUntil(lambda: 1 in given, timeout=10_000)   # once the run has ended
    given.clear()
    explorer.classify.remove_result(0)
    qtbot.waitUntil(lambda: 0 in given, timeout=10_000)   # once it is deleted
