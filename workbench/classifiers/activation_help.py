"""What each hidden-unit activation does, in one line a learner can choose by.

The network learners (mlp, cnn) offer the same activations by name; a name alone does
not say that a sigmoid's gradient vanishes in a deep network or that a ReLU unit can
die, which is what the tutorials teach and what a learner needs in order to pick one.
Each line gives the function, its range, where it saturates, and when to choose it.
"""

from __future__ import annotations

ACTIVATION_HELP: dict[str, str] = {
    "sigmoid": "1 / (1 + e^-x), outputs in (0, 1); its slope is at most 1/4 and near 0 "
               "for |x| > 4 (saturated), so gradients vanish through deep networks; the "
               "classic back-propagation unit (WEKA's), fine for one or two hidden layers",
    "tanh": "outputs in (-1, 1), centred on 0, slope up to 1; saturates for |x| > 2, so "
            "deep stacks still lose gradient; usually learns faster than sigmoid in "
            "shallow networks",
    "relu": "max(0, x); no saturation for x > 0, so gradients pass through deep networks; "
            "the usual choice for deep networks; a unit whose input stays negative gets "
            "no gradient and dies",
    "leaky_relu": "x for x > 0, 0.01 x below; relu that keeps a small gradient for "
                  "negative inputs, so its units cannot die",
    "elu": "x for x > 0, e^x - 1 below (down to -1); smooth, outputs nearer mean 0 than "
           "relu's, no dead units; a little slower to compute",
    "gelu": "x times the chance that a standard normal value is below x; a smooth relu "
            "(the transformers' unit)",
    "silu": "x * sigmoid(x) ('swish'); a smooth relu that dips a little below 0, cheaper "
            "than gelu",
    "selu": "elu scaled (1.0507, 1.6733) so each layer keeps mean 0 and variance 1 by "
            "itself (self-normalising); needs LeCun initial weights (init auto picks "
            "them) and no batch norm",
}
