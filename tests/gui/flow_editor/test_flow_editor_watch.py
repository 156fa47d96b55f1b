"""A classifier node's *Watch training...*: the Explorer's Watch window, fed by the flow.

The entry opens the same window as the Explorer's *Watch weights*; opened before a run,
the run records the node's training dynamics and the window follows the model in
training, then shows the model the node kept. A learner with nothing to watch (ZeroR)
gets the entry disabled, saying why, as the Explorer's button does.
"""

from __future__ import annotations

from flow_editor_helpers import run_to_end

from workbench.gui.flow_editor.files import templates
from workbench.gui.plots.weights import WeightsView

# The Explorer's Watch button says this for ZeroR too.
NOTHING_TO_WATCH = "The chosen classifier has no learned weights to watch"


def _entry(editor, node_id):
    """The node menu's Watch entry, or None."""
    found = [a for a in editor.node_menu(node_id).actions() if a.text() == "Watch training..."]
    assert len(found) <= 1
    return found[0] if found else None


def _mlp_template(make_editor, epochs: int):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-digits")))
    editor.flow.set_params("mlp", epochs=epochs)
    return editor


def _held_after_first_model(monkeypatch):
    """Hold the worker after the first report carrying a model until the returned event
    is set: the window is seen following a run still going, however fast it trains."""
    import threading

    from workbench.gui.workers import Job

    release = threading.Event()
    report = Job._report

    def held(self, event):
        report(self, event)
        if "model" in event.values:
            release.wait(60)

    monkeypatch.setattr(Job, "_report", held)
    return release


def test_watch_from_the_mlp_node_menu_follows_the_run_and_ends_on_the_kept_model(
        make_editor, qtbot, monkeypatch):
    editor = _mlp_template(make_editor, epochs=20)
    release = _held_after_first_model(monkeypatch)
    entry = _entry(editor, "mlp")
    assert entry is not None and entry.isEnabled()
    assert "follow them while the classifier trains" in entry.toolTip()
    entry.trigger()
    view = editor.findChild(WeightsView, "watch_mlp")
    assert view is not None and view.isVisible()
    assert view.windowTitle() == "Watch MLP: waiting for training"
    assert view.model is None and view.empty_label.isVisibleTo(view)
    assert editor.run_all()
    # Live: the tiles of the model in training, under the training line.
    qtbot.waitUntil(lambda: view.refreshes >= 1 and "Hidden units" in view.pages,
                    timeout=60_000)
    assert editor.runner.running, "the run ended before the window could follow it"
    assert view.live_label.isVisible() and "epoch" in view.live_label.text()
    assert "Dynamics" in view.pages
    release.set()
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=120_000)

    kept = editor.runner.outputs["mlp"]["batchClassifier"].final.classifier
    assert view.model is kept
    assert view.live_label.text() == "Finished: showing the model the run kept"
    # Watched, the run recorded the dynamics for the Dynamics tab; the node's own
    # parameters, which a saved flow and `workbench run` read, stay as set, and the kept
    # model records no more.
    assert kept.record_dynamics == 0 and kept.dynamics_.records > 0
    assert editor.flow.node("mlp").params.get("record_dynamics", 0) == 0
    assert "Dynamics" in view.pages


def test_watch_opened_while_the_flow_runs_follows_the_model_in_training(make_editor,
                                                                         qtbot):
    editor = _mlp_template(make_editor, epochs=100_000)
    assert editor.run_all()
    qtbot.waitUntil(lambda: editor.watches.watches == {} and editor.runner.running
                    and editor.flow.node("mlp").state.status.name == "RUNNING",
                    timeout=60_000)
    view = editor.watch_training("mlp")
    qtbot.waitUntil(lambda: view.model is not None and "Hidden units" in view.pages,
                    timeout=60_000)
    assert view.live_label.isVisible()
    editor.stop()
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=60_000)
    assert not view.timer.isActive()


def test_zeror_gets_the_entry_disabled_saying_why_and_a_loader_none(make_editor):
    editor = make_editor()
    editor.flow.add_node("classifier:zeror", node_id="zeror")
    editor.flow.add_node("ArffLoader", node_id="loader")
    entry = _entry(editor, "zeror")
    assert entry is not None and not entry.isEnabled()
    assert entry.toolTip() == NOTHING_TO_WATCH
    assert _entry(editor, "loader") is None


def test_a_run_without_the_window_records_nothing(make_editor, qtbot):
    editor = _mlp_template(make_editor, epochs=2)
    result = run_to_end(qtbot, editor, timeout=120_000)
    assert result.ok
    kept = editor.runner.outputs["mlp"]["batchClassifier"].final.classifier
    assert kept.record_dynamics == 0 and kept.dynamics_ is None



def test_opened_after_a_run_it_shows_the_kept_model_and_its_title_follows_a_rename(
        make_editor, qtbot):
    from flow_editor_helpers import run_to_end

    editor = _mlp_template(make_editor, epochs=3)
    assert run_to_end(qtbot, editor).ok
    view = editor.watch_training("mlp")
    kept = editor.runner.outputs["mlp"]["batchClassifier"].final
    assert view.model is kept.classifier and not view.empty_label.isVisibleTo(view)
    assert view.dataset is kept.train
    assert editor.rename_node("mlp", "MLP (wide)")
    assert view.windowTitle().startswith("Watch MLP (wide): ")
    editor.undo_stack.undo()
    assert view.windowTitle().startswith("Watch MLP: ")


def test_a_new_run_does_not_pair_its_model_with_the_last_runs_data(make_editor, qtbot):
    editor = _mlp_template(make_editor, epochs=3)
    view = editor.watch_training("mlp")
    view.dataset = object()   # what the last run left
    editor.watches.run_started()
    assert view.dataset is None
