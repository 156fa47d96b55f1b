"""A watched node (the editor's Watch window is open) records its training dynamics; a
run nobody watches, as ``workbench run`` does, records nothing and keeps its cache."""

from __future__ import annotations

from flow_helpers import cv_flow

from workbench.flow import Executor

MLP = {"type": "classifier:mlp", "params": {"hidden_layers": "3", "epochs": 2,
                                            "optimizer": "sgd", "batch_size": 10}}


def _kept(result, node_id="mlp"):
    return result.outputs[node_id]["batchClassifier"].final.classifier


def test_a_watched_node_records_and_is_not_taken_from_an_unwatched_cache(app_registry):
    flow = cv_flow(app_registry, {"mlp": MLP, "zeror": {"type": "classifier:zeror"}},
                   folds=2)
    executor = Executor()
    plain = executor.run(flow)
    assert plain.ok and _kept(plain).dynamics_ is None

    watched = executor.run(flow, watched={"mlp", "zeror"})
    assert watched.ok
    # Trained again, recording (every 10 steps, as the Explorer's Watch window asks);
    # ZeroR records nothing, so its cached result serves the watched run too.
    assert "mlp" in watched.computed and "zeror" not in watched.computed
    model = _kept(watched)
    assert model.dynamics_.records > 0
    assert all(f.classifier.dynamics_ is not None
               for f in watched.outputs["mlp"]["batchClassifier"].folds)
    # Trained, each model goes back to recording nothing, as configured: only the
    # watched run recorded, not the model saved or trained again later.
    assert model.record_dynamics == 0
    assert all(f.classifier.record_dynamics == 0
               for f in watched.outputs["mlp"]["batchClassifier"].folds)
    # The report's scheme is the node's as configured: recording is no option of it.
    assert "record" not in watched.outputs["mlp"]["batchClassifier"].options

    again = executor.run(flow, watched={"mlp"})
    assert "mlp" not in again.computed  # the recorded result is cached under its own key


def test_a_node_asked_to_record_keeps_its_own_interval_when_watched(app_registry):
    asked = {"type": "classifier:mlp", "params": {**MLP["params"], "record_dynamics": 3}}
    flow = cv_flow(app_registry, {"mlp": asked}, folds=2)
    executor = Executor()
    executor.run(flow)
    watched = executor.run(flow, watched={"mlp"})
    assert "mlp" not in watched.computed   # same training, same cached result
    assert _kept(watched).record_dynamics == 3


def test_a_model_saved_from_a_watched_run_is_saved_as_configured(app_registry, tmp_path):
    """A ModelSaver downstream of a watched node writes the model as the node is
    configured: reloaded elsewhere, it does not record every 10 steps."""
    from workbench.classifiers.modelfile import load_model

    flow = cv_flow(app_registry, {"mlp": MLP}, folds=2)
    flow.add_node("ModelSaver", node_id="saver",
                  params={"file": str(tmp_path / "mlp.model")})
    flow.connect("mlp", "batchClassifier", "saver", "batchClassifier")
    result = Executor().run(flow, watched={"mlp"}, allow_outside_writes=True)
    assert result.ok
    assert _kept(result).dynamics_.records > 0   # the run itself recorded
    for fold in (1, 2):   # one model per fold, as WEKA's SerializedModelSaver
        assert load_model(tmp_path / f"mlp_fold_{fold}.model").record_dynamics == 0


def test_one_node_id_as_a_string_is_refused(app_registry):
    # "mlp" would be taken for the ids m, l and p: nothing watched, and nothing said.
    import pytest

    flow = cv_flow(app_registry, {"mlp": MLP}, folds=2)
    with pytest.raises(TypeError, match="collection of node ids"):
        Executor().run(flow, watched="mlp")


def test_each_fit_of_a_node_says_which_one_its_epochs_belong_to(app_registry):
    """A node trains each fold, each with an epoch counter from 1: its reports name the
    fit, so a counter starting again is explained (walkthrough 8). As WEKA's Knowledge
    Flow, no fit on the full data follows the folds."""
    flow = cv_flow(app_registry, {"mlp": MLP}, folds=2)
    messages = []
    result = Executor().run(flow, lambda event: messages.append(event.message or ""))
    assert result.ok
    epochs = [m for m in messages if "epoch" in m]
    assert any("fold 1 of 2: " in m for m in epochs)
    assert any("fold 2 of 2: " in m for m in epochs)
    assert not any("full data" in m for m in messages)
