"""Every bundled template opens, runs and shows its viewers; the command line opens the
editor and saves a screenshot."""

from __future__ import annotations

import pytest
from flow_editor_helpers import run_to_end
from PySide6.QtWidgets import QPlainTextEdit

from workbench import cli
from workbench.flow import Status
from workbench.gui.flow_editor.files import templates
from workbench.gui.plots import (
    ConfusionMatrixView,
    LearningCurveView,
    ThresholdCurveView,
    WeightsView,
)

# Viewer nodes that host the Explorer's viewers (gui/plots), not a drawing of their own.
SHARED_VIEWERS = {"ModelPerformanceChart": ThresholdCurveView,
                  "ConfusionMatrixViewer": ConfusionMatrixView,
                  "LearningCurveViewer": LearningCurveView, "WeightViewer": WeightsView}
# The lessons' long trainings run in full headless (test_cli_run and the lesson tests,
# through the template_run fixture, check their numbers); here a network of more epochs
# trains for GUI_EPOCHS, which every node, progress bar and viewer handles alike:
# overfitting's 3 x 200 epochs alone were a fifth of this file's time.
GUI_EPOCHS = 5


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_template_opens_runs_and_shows_viewers(make_editor, qtbot, path, tmp_path):
    editor = make_editor()
    assert editor.open_template(path)
    assert editor.runner.output_dir == tmp_path / "out"  # never beside the template
    assert editor.is_template and editor.flow.title in editor.windowTitle()
    assert len(editor.scene.nodes) == len(editor.flow) > 0
    assert len(editor.scene.links) == len(editor.flow.links)
    for node in editor.flow:
        if int(node.params.get("epochs", 0)) > GUI_EPOCHS:
            editor.flow.set_params(node.id, epochs=GUI_EPOCHS)
    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    qtbot.waitUntil(lambda: all(i.state.status is Status.DONE
                                for i in editor.scene.nodes.values()))
    viewers = [n for n in editor.flow if n.node_type.viewer]
    assert viewers
    for node in viewers:
        window = editor.open_viewer(node.id)
        assert window.content is not None, node.title
        assert window.placeholder.isHidden()
        if isinstance(window.content, QPlainTextEdit):
            assert window.content.toPlainText().strip()
        if node.type_name in SHARED_VIEWERS:
            assert isinstance(window.content, SHARED_VIEWERS[node.type_name]), node.title
    # Saving a template asks for a new name instead of overwriting it.
    assert editor.flow.path == path
    editor.save_as = lambda: False
    assert not editor.save()


def test_viewer_refreshes_when_the_flow_re_runs(make_editor, qtbot):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("cross-")))
    run_to_end(qtbot, editor)
    viewer = editor.open_viewer("report")
    assert "Scheme:       IBk -K 1 " in viewer.content.toPlainText()
    editor.flow.set_params("classifier", k=5)
    run_to_end(qtbot, editor)
    assert "Scheme:       IBk -K 5 " in viewer.content.toPlainText()


def test_flow_command_saves_a_screenshot_after_running(tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    monkeypatch.chdir(tmp_path)
    path = next(p for p in templates() if p.name.startswith("cross-"))
    picture = tmp_path / "flow.png"
    assert cli.main(["flow", str(path), "--run", "--screenshot", str(picture),
                     "--size", "900x600"]) == 0
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "autosave") == ["flow.png"]


def test_templates_folder_is_never_written_to(make_editor, qtbot, tmp_path, monkeypatch):
    from workbench.gui.flow_editor.files import templates_dir

    before = sorted(p.name for p in templates_dir().iterdir())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "output"))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    editor = make_editor()
    editor.output_dir = None
    saver = next(p for p in templates() if p.name.startswith("learn-"))
    editor.open_file(saver)  # opened as a file, it is still a bundled template
    assert editor.is_template and editor.runner.output_dir is None
    assert run_to_end(qtbot, editor).ok
    assert sorted(p.name for p in templates_dir().iterdir()) == before
    # Not the current folder: the user's output folder, and the log says where.
    written = tmp_path / "output" / "learn-and-save-model" / "iris-ibk.model"
    assert written.is_file() and not any(p.suffix == ".model" for p in tmp_path.iterdir())
    assert str(written) in editor.log.toPlainText()


def test_flow_command_refuses_a_missing_file(tmp_path, capsys):
    assert cli.main(["flow", str(tmp_path / "none.kflow.json"), "--screenshot",
                     str(tmp_path / "x.png")]) == 2
    assert "none.kflow.json" in capsys.readouterr().err


def test_stop_cancels_a_long_run_without_blocking(make_editor, qtbot):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-")))
    editor.flow.set_params("mlp", epochs=100_000)
    assert editor.run_all()
    assert not editor.run_action.isEnabled() and editor.stop_action.isEnabled()
    qtbot.waitUntil(lambda: editor.scene.nodes["mlp"].state.status is Status.RUNNING,
                    timeout=30_000)
    with qtbot.waitSignal(editor.runner.stopped, timeout=30_000):
        editor.stop()
    qtbot.waitUntil(lambda: not editor.runner.running)
    qtbot.waitUntil(lambda: editor.scene.nodes["mlp"].state.status is Status.CANCELLED)
    assert editor.scene.nodes["report"].state.status is Status.CANCELLED
    assert "run stopped" in editor.log.text() and editor.run_action.isEnabled()


def test_opening_a_template_names_it_instead_of_its_installed_path(make_editor):
    editor = make_editor()
    path = next(p for p in templates() if p.name.startswith("overfitting."))
    assert editor.open_template(path)
    shown = editor.status.activity.text()
    assert "'overfitting'" in shown and "Save asks for a name" in shown
    assert str(path.parent) not in shown
