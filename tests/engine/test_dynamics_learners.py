"""``record_dynamics`` on the network learners: off by default, on when asked, on every
kind of network (dense, convolutional, recurrent, a DBN's fine-tuning), and the mlp under
full-batch L-BFGS too."""

from __future__ import annotations

import numpy as np

from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.dbn import DeepBeliefNetwork
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.rnn import RecurrentNetwork
from workbench.data.catalog import bundled_path
from workbench.data.io import load_dataset
from workbench.engine import backend
from workbench.engine.dynamics import TrainingDynamics


def _digits(rows: int = 200):
    data = load_dataset(bundled_path("digits"), class_index=-1)
    return data.select_rows(np.arange(rows))


def test_nothing_is_recorded_unless_asked():
    model = MultilayerPerceptron(solver="sgd", epochs=1, hidden_layers="4").fit(_digits(50))
    assert model.record_dynamics == 0 and model.dynamics_ is None


def test_mlp_records_each_dense_layer_after_its_activation():
    model = MultilayerPerceptron(solver="sgd", epochs=2, hidden_layers="8,6",
                                 layer_activations="relu,tanh", batch_size=20,
                                 record_dynamics=5).fit(_digits())
    dynamics = model.dynamics_
    assert isinstance(dynamics, TrainingDynamics)
    assert dynamics.layer_names == ["1 Dense 64-8 relu", "2 Dense 8-6 tanh",
                                    "3 Dense 6-10 sigmoid"]
    # 10 batches an epoch, 2 epochs: every 5th step and the last
    assert dynamics.steps.tolist() == [1, 6, 11, 16, 20]
    assert dynamics.step_unit == "batch"
    assert np.all(np.isfinite(dynamics.grad_norm)) and np.all(dynamics.grad_norm > 0)
    assert np.isfinite(dynamics.dead[:, 0]).all() and np.isnan(dynamics.dead[:, 1:]).all()
    assert np.isnan(dynamics.saturated[:, 0]).all() and np.isfinite(dynamics.saturated[:, 1:]).all()


def test_the_default_lbfgs_mlp_records_each_iteration_and_trains_the_same():
    iris = load_dataset(bundled_path("iris"), class_index=-1)
    model = MultilayerPerceptron(record_dynamics=1).fit(iris)
    plain = MultilayerPerceptron().fit(iris)
    dynamics = model.dynamics_
    assert model.solver_ == "lbfgs" and isinstance(dynamics, TrainingDynamics)
    assert dynamics.step_unit == "iteration"
    assert dynamics.records == model.history_.epochs >= 20  # one record per iteration
    assert dynamics.steps.tolist() == list(range(1, dynamics.records + 1))
    assert len(dynamics.layer_names) == 2 and dynamics.layer_names[0].startswith("1 Dense 4-")
    assert np.isfinite(dynamics.grad_norm).all() and np.all(dynamics.grad_norm > 0)
    assert np.all(dynamics.update_ratio > 0) and np.isfinite(dynamics.saturated).all()
    # Recording reads the weights and never writes them: the same seed, the same net.
    for recorded, unrecorded in zip(model.network_.parameters(), plain.network_.parameters(),
                                    strict=True):
        np.testing.assert_array_equal(backend.to_host(recorded.data),
                                      backend.to_host(unrecorded.data))
    assert model.history_.loss == plain.history_.loss


def test_lbfgs_records_every_nth_iteration_after_the_first_twenty():
    model = MultilayerPerceptron(hidden_layers="4", record_dynamics=10).fit(_digits(300))
    steps = model.dynamics_.steps.tolist()
    assert model.solver_ == "lbfgs" and model.history_.epochs > 31
    assert steps[:21] == list(range(1, 22)) and steps[21:23] == [31, 41]
    assert steps[-1] == model.history_.epochs   # and the last, wherever L-BFGS stopped


def test_cnn_records_its_convolutions_with_dead_units_per_channel():
    model = ConvolutionalNetwork(architecture="conv(4,3)-pool(2)-dense(8)", epochs=1,
                                 batch_size=50, record_dynamics=2, dropout=0.0,
                                 image_shape="1,8,8").fit(_digits())
    dynamics = model.dynamics_
    assert dynamics.layer_names[0] == "1 Conv2D 1-4 3x3 relu"
    assert dynamics.layer_names[-1].startswith("3 Dense 8-10")
    dead = dynamics.dead[:, 0]
    assert np.all((dead >= 0) & (dead <= 1)) and np.all(dead * 4 == np.round(dead * 4))


def test_rnn_records_its_recurrent_and_output_layers():
    model = RecurrentNetwork(cell="simple", hidden_size=6, epochs=1, batch_size=50,
                             record_dynamics=1).fit(_digits())
    dynamics = model.dynamics_
    assert dynamics.layer_names == ["1 SimpleRNN 8-6 tanh", "2 Dense 6-10"]
    assert dynamics.records == 4 and np.isfinite(dynamics.saturated[:, 0]).all()


def test_dbn_records_its_fine_tuning():
    model = DeepBeliefNetwork(hidden_layers=(8,), pretrain_epochs=(1,), finetune_epochs=1,
                              batch_size=50, record_dynamics=1).fit(_digits())
    dynamics = model.dynamics_
    assert dynamics.records == 4 and len(dynamics.layer_names) == 2
