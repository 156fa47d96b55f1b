"""Opening another flow while a run is still stopping: the old run's late words
("run stopped") must not land in the log and status of the flow shown next."""

from __future__ import annotations

from workbench.gui.flow_editor.files import templates


def test_a_run_stopping_late_does_not_speak_over_the_next_flow(make_editor, qtbot,
                                                               monkeypatch):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-digits")))
    editor.flow.set_params("mlp", epochs=400)
    old_runner = editor.runner
    assert editor.run_all()
    qtbot.wait(300)   # the run is under way
    assert old_runner.running
    # The worker is between two checks: set_flow's wait gives up before it stops.
    monkeypatch.setattr(old_runner, "wait", lambda timeout=None: False)
    editor.open_template(next(p for p in templates() if p.name.startswith("cross-valid")))
    shown = editor.status.activity.text()
    log_before = editor.log.text()
    monkeypatch.undo()
    assert old_runner.wait(60)
    qtbot.wait(200)   # the old job's queued signals are delivered now
    assert editor.log.text() == log_before
    assert editor.status.activity.text() == shown
    assert "stopped" not in editor.status.activity.text().lower()


def _deferred_deletes_done(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent

    qtbot.wait(50)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _mlp_digits():
    return next(p for p in templates() if p.name.startswith("mlp-digits"))


def test_each_flow_shown_lets_the_previous_runner_and_scene_go(make_editor, qtbot):
    # Every flow opened kept the previous runner (its cache of datasets and trained
    # models) and scene alive, children of the window, for as long as it was open.
    from flow_editor_helpers import run_to_end

    from workbench.gui.flow_editor.run import FlowRunner
    from workbench.gui.flow_editor.scene import FlowScene

    editor = make_editor()
    editor.open_template(_mlp_digits())
    editor.flow.set_params("mlp", epochs=2)
    assert run_to_end(qtbot, editor, timeout=120_000).ok
    ran = editor.runner
    assert ran.executor.cached_nodes()   # datasets and models the run keeps for the next
    for _ in range(3):
        editor.open_template(_mlp_digits())
    _deferred_deletes_done(qtbot)
    assert editor.findChildren(FlowRunner) == [editor.runner]
    assert editor.findChildren(FlowScene) == [editor.scene]
    assert editor.view.scene() is editor.scene
    # The flow shown works as before: it runs, its actions follow.
    assert run_to_end(qtbot, editor, timeout=120_000).ok
    assert editor.run_action.isEnabled() and not editor.stop_action.isEnabled()


def test_opening_a_flow_during_a_run_does_not_wait_for_it(make_editor, qtbot,
                                                         monkeypatch):
    # set_flow joined the old worker (Job.wait: "never in a slot"), freezing the window
    # up to 10 s; the old runner, muted, now goes when its stopped run has ended.
    from workbench.gui.flow_editor.run import FlowRunner
    from workbench.gui.workers import Job

    editor = make_editor()
    editor.open_template(_mlp_digits())
    editor.flow.set_params("mlp", epochs=100_000)
    old_runner = editor.runner
    assert editor.run_all()
    qtbot.waitUntil(lambda: editor.flow.node("mlp").state.status.name == "RUNNING",
                    timeout=60_000)
    editor.watch_training("mlp")

    def refuse(*_args, **_kwargs):
        raise AssertionError("Job.wait called on the GUI thread")

    monkeypatch.setattr(Job, "wait", refuse)
    editor.open_template(_mlp_digits())
    assert editor.runner is not old_runner and not editor.runner.running
    assert editor.run_action.isEnabled() and not editor.stop_action.isEnabled()
    assert editor.watches.watches == {} and editor.viewers == {}
    # The old run, stopped, ends on its own; then its runner is deleted.
    qtbot.waitUntil(lambda: old_runner.job is None, timeout=60_000)
    for _ in range(3):   # its deletion was posted from inside waitUntil's event loop
        _deferred_deletes_done(qtbot)
    assert editor.findChildren(FlowRunner) == [editor.runner]
