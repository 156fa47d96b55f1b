"""An open DynamicsViewer window follows the network while it trains (a live viewer
node), and ends on the dynamics the node outputs; here for the default mlp, which trains
digits by full-batch L-BFGS and records one step per iteration."""

from __future__ import annotations

from flow_editor_helpers import run_to_end

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.gui.flow_editor.files import templates
from workbench.gui.plots.dynamics import DynamicsView


def test_an_open_dynamics_viewer_follows_lbfgs_training(make_editor, qtbot):
    editor = make_editor()
    editor.open_template(next(p for p in templates() if p.name.startswith("mlp-digits")))
    # The template's SGD settings back to the defaults: "auto" then picks L-BFGS.
    defaults = MultilayerPerceptron()
    editor.flow.set_params("mlp", record_dynamics=1, **{
        name: getattr(defaults, name)
        for name in ("epochs", "optimizer", "learning_rate", "batch_size")})
    editor.flow.add_node("DynamicsViewer", node_id="dynamics")
    editor.flow.connect("mlp", "batchClassifier", "dynamics", "batchClassifier")
    window = editor.open_viewer("dynamics")
    assert window.content is None
    result = run_to_end(qtbot, editor, timeout=120_000)
    assert result.ok, {n: str(s) for n, s in result.states.items()}

    # The view the training reports opened (not one built afterwards) now shows the
    # node's final dynamics: one record per L-BFGS iteration of the final model.
    view = window.content
    assert isinstance(view, DynamicsView) and view.objectName() == "viewer_live_dynamics"
    assert window.live is None and not view.timer.isActive()
    chart = editor.runner.outputs["dynamics"]["chart"]
    model = chart.classifier
    assert model.solver_ == "lbfgs" and view.data is chart.dynamics
    assert view.data.step_unit == "iteration"
    assert view.data.records == model.history_.epochs >= 20
    assert view.redraws >= 1
