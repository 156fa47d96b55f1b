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
