"""The model text of a network after early stopping names the epoch whose weights it
keeps and gives that epoch's figures (walkthrough F9: "trained 5 epochs, final loss
0.0507, training accuracy 98.48%, best validation epoch 2" gave epoch 5's figures for
a model holding epoch 2's weights)."""

from __future__ import annotations

from workbench.classifiers.network import history_lines
from workbench.engine.training import History


def _history(**kw) -> History:
    return History(loss=[0.6, 0.3, 0.2, 0.1, 0.0507], accuracy=[0.6, 0.85, 0.9, 0.95, 0.9848],
                   val_loss=[0.55, 0.41, 0.45, 0.5, 0.6],
                   val_accuracy=[0.7, 0.81, 0.8, 0.79, 0.78], best_epoch=2, **kw)


def test_restored_weights_are_named_with_their_epochs_figures():
    [line] = history_lines(_history(stopped_early=True, restored_best=True))
    assert line == ("trained 5 epochs; the model keeps epoch 2's weights, "
                    "the best on the validation data: loss 0.3000, training accuracy "
                    "85.00%, validation loss 0.4100, validation accuracy 81.00%; last "
                    "epoch (5): loss 0.0507, training accuracy 98.48%, validation loss "
                    "0.6000, validation accuracy 78.00%")


def test_weights_of_the_last_epoch_say_so():
    [line] = history_lines(_history())
    assert line == ("trained 5 epochs, final loss 0.0507, training accuracy 98.48%, "
                    "best validation epoch 2 (the weights are the last epoch's)")


def test_without_validation_the_line_is_as_before():
    [line] = history_lines(History(loss=[0.5, 0.25], accuracy=[0.5, 0.75]))
    assert line == "trained 2 epochs, final loss 0.2500, training accuracy 75.00%"
