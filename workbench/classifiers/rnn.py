"""Recurrent network classifier: SimpleRNN (as taught), LSTM or GRU over sequences.

``sequences`` turns each instance into a sequence: a sentence into word (or character)
codes that an embedding layer makes vectors of, an image into one step per pixel row, a
relational attribute into one step per bag row. Stacked recurrent layers (optionally
reading both ways) run over the whole padded batch, back-propagation through time runs
over whole sequences, and the state at each sequence's own last real step feeds a
softmax layer. Padding never changes a prediction: the forward direction reads padding
only after the last real step, and the backward direction reads each sequence reversed
within its own length, so its padding comes last too.

Viewers get ``weight_arrays()`` and ``hidden_states(dataset, row)`` (the top layer's state
at every step of one instance, with the tokens or step numbers it read).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers import inspection
from workbench.classifiers import network as nets
from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.sequences import (
    SCALINGS,
    TOKENISERS,
    SequenceEncoder,
    encoder_from_state,
    sequence_encoder,
)
from workbench.classifiers.training_memory import TrainingFootprint, check_fits
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.data.dataset import Dataset
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine.layers import (
    GRU,
    LSTM,
    BatchNorm,
    Conv1D,
    Dense,
    Embedding,
    Module,
    SimpleRNN,
)
from workbench.engine.optim import OPTIMIZERS
from workbench.engine.tensor import Tensor, no_grad

# Weight blocks per cell (LSTM's four gates, GRU's three), for the memory estimate.
_GATES = {"simple": 1, "lstm": 4, "gru": 3}
CELLS: dict[str, type[SimpleRNN | LSTM | GRU]] = {"simple": SimpleRNN, "lstm": LSTM,
                                                  "gru": GRU}
# What each cell is, in the words a learner chooses by (the tooltip of each choice).
CELL_HELP = {
    "simple": "s_t = tanh(U x_t + W s_t-1), as the tutorials teach; the gradient through "
              "many steps shrinks (or grows) at each, so it remembers only a few steps back",
    "lstm": "a cell state behind sigmoid gates (input, forget, output) carries "
            "information, and its gradient, across long spans; the usual choice",
    "gru": "two gates (update, reset) instead of LSTM's three: fewer weights, faster, "
           "often as good",
}


class RecurrentClassifierNet(Module):
    """Embedding (for token codes), an optional 1-D convolution over the steps (n-gram
    detectors, ReLU, same length), stacked recurrent layers, a dense output layer.

    ``batch_norm`` adds batch normalisation where the tutorials put it in such models:
    on each convolution filter's output before its ReLU (Conv1D, BatchNorm, ReLU, as in
    a CNN) and on the last state before the output layer (LSTM, BatchNorm, Dense).
    Inside the recurrence there is none: per-step statistics would need their own
    running averages for every step (recurrent batch normalisation), which no cell here
    has. The convolution's statistics are taken over every step of the batch, padding
    steps included; predictions use the running statistics, so padding still never
    changes one.

    Input: (batch, T) int codes with 0 as padding, or (batch, T, F) float frames, with a
    trailing 0/1 "real step" column when ``masked`` (lengths vary). Output: class scores
    (batch, classes) from the state at each sequence's last real step.
    """

    def __init__(self, input_size: int, classes: int, cell: str = "lstm",
                 hidden_size: int = 128, layers: int = 1, bidirectional: bool = False,
                 dropout: float = 0.0, vocabulary: int = 0, embedding_dim: int = 0,
                 masked: bool = False, seed: int = 0, device: str = "cpu",
                 conv_filters: int = 0, conv_kernel: int = 3,
                 batch_norm: bool = False) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ParameterError(f"unknown cell '{cell}' (expected {', '.join(CELLS)})")
        self.input_size, self.classes, self.cell = int(input_size), int(classes), cell
        self.hidden_size, self.layers = int(hidden_size), int(layers)
        self.bidirectional, self.dropout = bool(bidirectional), float(dropout)
        self.vocabulary, self.embedding_dim = int(vocabulary), int(embedding_dim)
        self.masked, self.seed = bool(masked or vocabulary), int(seed)
        rng = np.random.default_rng(self.seed)
        width = self.input_size
        if self.vocabulary:
            self.embedding = Embedding(self.vocabulary, self.embedding_dim, rng=rng,
                                       device=device)
            width = self.embedding_dim
        self.conv_filters, self.conv_kernel = int(conv_filters), int(conv_kernel)
        if self.conv_filters:
            if self.conv_kernel < 1 or self.conv_kernel % 2 == 0:
                raise ParameterError(f"the convolution over the steps needs an odd kernel "
                                     f"(it keeps the sequence length), got {conv_kernel}")
            self.conv = Conv1D(width, self.conv_filters, self.conv_kernel,
                               padding=self.conv_kernel // 2, init="he_uniform", rng=rng,
                               device=device)
            width = self.conv_filters
        self.batch_norm = bool(batch_norm)
        if self.batch_norm and self.conv_filters:
            self.conv_norm = BatchNorm(self.conv_filters, device=device)
        directions = 2 if self.bidirectional else 1
        for layer in range(1, self.layers + 1):
            # With fixed-length input the top forward layer needs only its last state.
            full = self.masked or layer < self.layers or self.bidirectional
            setattr(self, f"rnn{layer}", CELLS[cell](width, self.hidden_size,
                                                     return_sequences=full, rng=rng,
                                                     device=device))
            if self.bidirectional:
                setattr(self, f"rnn{layer}_reverse",
                        CELLS[cell](width, self.hidden_size, return_sequences=True,
                                    rng=rng, device=device))
            width = self.hidden_size * directions
        if self.batch_norm:
            self.state_norm = BatchNorm(width, device=device)
        self.output = Dense(width, self.classes, rng=rng, device=device)
        self._rng = backend.seed_rng(self.seed + 1, backend.get_xp(device))

    def config(self) -> dict[str, Any]:
        return {"input_size": self.input_size, "classes": self.classes, "cell": self.cell,
                "hidden_size": self.hidden_size, "layers": self.layers,
                "bidirectional": self.bidirectional, "dropout": self.dropout,
                "vocabulary": self.vocabulary, "embedding_dim": self.embedding_dim,
                "masked": self.masked, "seed": self.seed,
                "conv_filters": self.conv_filters, "conv_kernel": self.conv_kernel,
                "batch_norm": self.batch_norm}

    def _inputs(self, x: Any) -> tuple[Any, Any]:
        """The step inputs (a Tensor or array) and the lengths (None when all are full)."""
        data = x.data if isinstance(x, Tensor) else x
        xp = backend.array_module(data)
        if not self.masked:
            return self._convolved(x), None
        real = (data != 0) if self.vocabulary else data[:, :, -1]
        lengths = xp.maximum(real.sum(axis=1).astype(np.int64), 1)
        if type(data) is np.ndarray:
            # Steps past the batch's longest sequence are padding everywhere: skip them.
            # (On a GPU, or under strict transfers, finding the longest would cost a
            # device sync per batch.)
            data = data[:, :int(lengths.max())]
        if self.vocabulary:
            return self._convolved(self.embedding(data), real), lengths
        return self._convolved(data[:, :, :-1], real), lengths

    def _convolved(self, steps: Any, real: Any = None) -> Any:
        """(batch, T, F) steps through the 1-D convolution and ReLU, when there is one.

        Padding steps (``real`` false) are zeroed first, so that the filters at a
        sequence's end see what its own zero padding would give: how much padding a
        batch has never changes a prediction."""
        if not self.conv_filters:
            return steps
        if real is not None:
            steps = F.mul(steps, real[:, :steps.shape[1], None].astype(steps.dtype))
        across = F.transpose(steps, (0, 2, 1))  # (batch, F, T): channels first
        filtered = self.conv(across)
        if self.batch_norm:
            filtered = self.conv_norm(filtered)  # per filter, before the ReLU
        return F.transpose(F.relu(filtered), (0, 2, 1))

    def sequence(self, x: Any) -> tuple[Tensor, Any]:
        """Top-layer states at every step (batch, T, hidden * directions) and lengths."""
        steps, lengths = self._inputs(x)
        out = self._stack(steps, lengths, all_states=True)
        return out, lengths

    def _stack(self, steps: Any, lengths: Any, all_states: bool) -> Tensor:
        data = steps.data if isinstance(steps, Tensor) else steps
        xp = backend.array_module(data)
        n, span = data.shape[0], data.shape[1]
        reverse = None
        if self.bidirectional:
            t = xp.arange(span)[None, :]
            full = lengths if lengths is not None else xp.full(n, span)
            # Within its own length each sequence is read backwards; padding stays last.
            reverse = xp.where(t < full[:, None], full[:, None] - 1 - t, t)
        out: Any = steps
        for layer in range(1, self.layers + 1):
            if layer > 1 and self.dropout > 0:
                out = F.dropout(out, self.dropout, self.training, self._rng)
            cell = getattr(self, f"rnn{layer}")
            keep = cell.return_sequences
            cell.return_sequences = keep or all_states  # a viewer wants every state
            try:
                forward = cell(out)
            finally:
                cell.return_sequences = keep
            if reverse is not None:
                backward = getattr(self, f"rnn{layer}_reverse")(
                    F.permute_steps(out, reverse))
                forward = F.concat([forward, F.permute_steps(backward, reverse)], axis=2)
            out = forward
        return out

    def forward(self, x: Any) -> Tensor:
        steps, lengths = self._inputs(x)
        out = self._stack(steps, lengths, all_states=False)
        if out.ndim == 3:
            data = out.data
            xp = backend.array_module(data)
            last = (lengths - 1) if lengths is not None else xp.full(data.shape[0],
                                                                     data.shape[1] - 1)
            out = F.getitem(out, (xp.arange(data.shape[0]), last))
        if self.batch_norm:
            out = self.state_norm(out)
        if self.dropout > 0:
            out = F.dropout(out, self.dropout, self.training, self._rng)
        return self.output(out)


class RecurrentNetwork(Classifier, inspection.NamedWeights, inspection.HiddenStates,
                       inspection.InputGeometry):
    """Recurrent neural network (SimpleRNN, LSTM or GRU) over sentences, numeric frames
    (an image row by row) or the rows of a relational attribute."""

    name = "rnn"
    display_name = "RNN (recurrent neural network: SimpleRNN, LSTM, GRU)"
    category = "neural"
    aliases = ("RecurrentNetwork", "RnnSequenceClassifier")
    capabilities = Capabilities(string_attributes=True, relational_attributes=True,
                                min_instances=2)
    cell = Param.choice("lstm", tuple(CELLS), "The recurrent cell each step passes "
                        "through", help_per_choice=CELL_HELP)
    hidden_size = Param.integer(128, "Units in each recurrent layer", low=1)
    layers = Param.integer(1, "Recurrent layers stacked on each other", low=1)
    bidirectional = Param.boolean(False, "Also read each sequence backwards and join "
                                  "both states")
    dropout = Param.number(0.0, "Share of units dropped between layers and before the "
                           "output while training", low=0, high=1, high_open=True)
    clip_norm = Param.number(5.0, "Largest joint norm of the gradients (exploding "
                             "gradients are cut down to it); 0 = no clipping", low=0)
    conv_filters = Param.integer(0, "Filters of a 1-D convolution (ReLU) over the steps "
                                 "before the recurrent layers, as in CNN-LSTM text "
                                 "models: each detects a pattern of conv_kernel steps "
                                 "(n-grams of words); 0 = none", low=0)
    conv_kernel = Param.integer(3, "Steps each convolution filter spans (odd, so the "
                                "sequence keeps its length)", low=1)
    batch_norm = Param.boolean(False, "Batch normalisation where tutorials put it: each "
                               "convolution filter before its ReLU, and the last state "
                               "before the output layer (not inside the recurrence; "
                               "mini-batch training, predictions use the running "
                               "statistics)")
    source = Param.choice("auto", ("auto", "string", "numeric", "relational"),
                          "What the sequences are: auto takes a string attribute, else a "
                          "relational one, else the numeric attributes as steps", group="input")
    attribute = Param.text("", "The string or relational attribute to read (empty: the "
                           "first one)", group="input")
    tokens = Param.choice("words", TOKENISERS, "A string is read as words or as "
                          "characters", group="input")
    lowercase = Param.boolean(True, "Lower-case text before making tokens", group="input")
    min_frequency = Param.integer(
        1, "Training-set count a token needs to enter the "
        "vocabulary; rarer ones become the unknown token", low=1, group="input")
    max_vocabulary = Param.integer(20000, "Most tokens kept (the most frequent); 0 = all",
                                   low=0, group="input")
    max_length = Param.integer(100, "Tokens read per instance; the rest is cut", low=1,
                               group="input")
    embedding_dim = Param.integer(64, "Length of each token's learned vector", low=1,
                                  group="input")
    steps = Param.integer(0, "Numeric input: time steps per instance; 0 reads an image "
                          "row by row (shape from pixel_ROW_COL names or a square count)", low=0,
                          group="input")
    scaling = Param.choice("auto", SCALINGS, "Numeric input: auto brings pixel "
                           "intensities to [0, 1] and standardises other data; standard: mean 0, "
                           "sd 1 per feature")
    optimizer = Param.choice("adam", tuple(OPTIMIZERS), "How gradients become updates")
    learning_rate = Param.number(0.002, "Step size of the weight updates", low=0,
                                 low_open=True)
    epochs = Param.integer(10, "Passes over the training data", low=1)
    batch_size = Param.integer(32, "Sequences per weight update", low=1)
    weight_decay = Param.number(0.0, "L2 penalty on the weights", low=0)
    validation_fraction, patience = nets.early_stopping_params()
    seed = Param.seed(1, "Seed of the initial weights, batches, dropout and validation "
                         "split")
    device = nets.DEVICE
    record_dynamics = nets.RECORD_DYNAMICS

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        if self.conv_filters and self.conv_kernel % 2 == 0:
            raise ParameterError(f"conv_kernel must be odd (the convolution keeps the "
                                 f"sequence length), not {self.conv_kernel}")
        self.encoder_: SequenceEncoder | None = None
        self.network_: RecurrentClassifierNet | None = None
        self.dynamics_: Any = None  # TrainingDynamics while/after recording, else None

    # Learning -----------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        self.encoder_ = sequence_encoder(
            data, self.source, self.attribute, tokeniser=self.tokens,
            lowercase=self.lowercase, min_frequency=self.min_frequency,
            max_vocabulary=self.max_vocabulary, max_length=self.max_length,
            steps=self.steps, scaling=self.scaling).fit(data)
        X = self.encoder_.transform(data).network_input(self.encoder_.masked)
        device = backend.resolve_device(self.device)
        self._check_memory(X.shape[0], X.shape[1] if X.ndim > 1 else 1)
        self.network_ = self._build(device)
        targets, metrics, weighted = nets.training_targets(data.class_values, data.weights)
        self.dynamics_ = nets.new_dynamics(self.record_dynamics)  # readable while it grows
        self.history_ = nets.fit_network(
            self.network_, nets.softmax_cross_entropy(weighted), X, targets, metrics,
            optimizer=self.optimizer, learning_rate=self.learning_rate,
            weight_decay=self.weight_decay, epochs=self.epochs, batch_size=self.batch_size,
            validation_fraction=self.validation_fraction, patience=self.patience,
            seed=self.seed, progress=progress, cancel=cancel,
            clip_grad_norm=self.clip_norm or None, dynamics=self.dynamics_)

    def _check_memory(self, rows: int, steps: int) -> None:
        """Refuse, before building it, a network whose training cannot fit in the memory
        free (``training_memory``): the stacked cells' weights, and for one batch each
        cell's gates and states at every step, which the backward pass reads."""
        encoder = self.encoder_
        assert encoder is not None
        tokens = encoder.kind == "tokens"
        gates = _GATES[self.cell]
        hidden, directions = self.hidden_size, 2 if self.bidirectional else 1
        width = self.embedding_dim if tokens else encoder.features
        parameters = encoder.features * self.embedding_dim if tokens else 0
        per_step = width
        if self.conv_filters:
            parameters += self.conv_filters * (width * self.conv_kernel + 1)
            width = per_step = self.conv_filters
        for _ in range(min(self.layers, 2)):   # the first layer's input width differs
            cell = gates * (hidden * width + hidden * hidden + hidden) + (
                gates * hidden if self.cell == "gru" else 0)
            parameters += cell * directions
            width = hidden * directions
        parameters += cell * directions * max(0, self.layers - 2)
        parameters += width * len(self.classes_) + len(self.classes_)
        per_step += self.layers * directions * hidden * (gates + 1)
        batch = min(rows, self.batch_size)
        footprint = TrainingFootprint(parameters, batch * steps * per_step,
                                      backend.default_dtype().itemsize)
        way = "bidirectional " if self.bidirectional else ""
        check_fits(self.name, footprint, f"{self.layers} {way}{self.cell} layer(s) of "
                   f"{hidden} units over {steps} steps")

    def _build(self, device: str) -> RecurrentClassifierNet:
        encoder = self.encoder_
        assert encoder is not None
        tokens = encoder.kind == "tokens"
        return RecurrentClassifierNet(
            input_size=0 if tokens else encoder.features, classes=len(self.classes_),
            cell=self.cell, hidden_size=self.hidden_size, layers=self.layers,
            bidirectional=self.bidirectional, dropout=self.dropout,
            vocabulary=encoder.features if tokens else 0,
            embedding_dim=self.embedding_dim if tokens else 0,
            masked=encoder.masked, seed=self.seed, device=device,
            conv_filters=self.conv_filters, conv_kernel=self.conv_kernel,
            batch_norm=self.batch_norm)

    # Prediction ---------------------------------------------------------------------
    def _trained(self) -> tuple[SequenceEncoder, RecurrentClassifierNet]:
        """The fitted encoder and network, refusing a model that has not been trained."""
        if self.encoder_ is None or self.network_ is None:
            raise WorkbenchError(f"{self.title} has not been trained")
        return self.encoder_, self.network_

    def _network_input(self, data: Dataset) -> np.ndarray:
        encoder, _ = self._trained()
        return encoder.transform(data).network_input(encoder.masked)

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        _, network = self._trained()
        X = self._network_input(data)
        return nets.softmax(nets.network_outputs(network, X, len(self.classes_),
                                                 batch_size=256))

    # Viewer hooks -------------------------------------------------------------------
    @property
    def input_geometry(self) -> tuple[int, int, int] | None:
        """(channels, height, width) when the steps are an image's rows, else None."""
        return getattr(self.encoder_, "geometry", None)

    def weight_arrays(self) -> dict[str, np.ndarray]:
        """Every learned array by layer name ("embedding.weight" (vocabulary, dim),
        "rnn1.input_weight" (gates * hidden, input), "rnn1.recurrent_weight",
        "output.weight" (classes, hidden), ...), as host copies."""
        return nets.host_arrays(nets.trained_network(self).named_parameters())

    def hidden_states(self, dataset: Dataset, row: int) -> tuple[np.ndarray, list[str]]:
        """The top layer's state at each real step of instance ``row``, shape
        (steps, hidden * directions), and what each step read (tokens or "step i")."""
        # Only the one row shown is checked (for infinite values too): the viewer asks
        # at the end of a run, on the GUI thread, and a scan of all of MNIST froze it.
        one = dataset.select_rows(nets.instance_rows(dataset, [row]))
        self.check_header(one)
        encoder, network = self._trained()
        X = backend.to_device(self._network_input(one), network.device)
        with no_grad(), backend.blas_threads():
            states, _ = network.sequence(X)
        labels = encoder.step_labels(one, 0)
        length = max(len(labels), 1)
        host = np.array(backend.to_host(states.data[0, :length]), dtype=np.float64)
        return host, labels if labels else ["(empty)"]

    # Description and model files ----------------------------------------------------
    def _describe(self) -> str:
        assert self.encoder_ is not None and self.network_ is not None
        net = self.network_
        way = "bidirectional " if net.bidirectional else ""
        lines = [f"Recurrent network: {net.layers} {way}{net.cell} layer(s) of "
                 f"{net.hidden_size} units, {len(self.classes_)} classes",
                 f"input: {self.encoder_.describe()}"]
        if net.vocabulary:
            lines.append(f"embedding: {net.vocabulary} tokens x {net.embedding_dim}")
        if net.conv_filters:
            lines.append(f"convolution over the steps: {net.conv_filters} filters of "
                         f"{net.conv_kernel} steps, "
                         f"{'batch normalisation, ' if net.batch_norm else ''}ReLU")
        if net.batch_norm:
            lines.append("batch normalisation of the last state before the output layer")
        used = {getattr(self.encoder_, "attribute", None)}
        header = self._require_fitted()
        if self.encoder_.kind != "frames":
            ignored = [a.name for i, a in enumerate(header.attributes)
                       if i != header.class_index and i not in used]
            if ignored:
                lines.append(f"attributes not read: {', '.join(ignored)}")
        total = 0
        for name, param in net.named_parameters():
            count = int(np.prod(param.data.shape))
            total += count
            lines.append(f"  {name:<26} {'x'.join(map(str, param.data.shape)):>10}")
        lines.append(f"{total} weights in all")
        lines += nets.history_lines(self.history_)
        return "\n".join(lines)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        assert self.encoder_ is not None and self.network_ is not None
        meta, arrays = self.encoder_.state()
        spec, net = nets.network_state(self.network_)
        return ({"encoder": meta, "network": spec, "history": nets.history_state(self.history_)},
                {**arrays, **net})

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        self.encoder_ = encoder_from_state(meta["encoder"], arrays, header)
        network = nets.restore_network(meta["network"], arrays,
                                       backend.resolve_device(self.device))
        if not isinstance(network, RecurrentClassifierNet) \
                or network.classes != len(self.classes_):
            raise WorkbenchError("the stored network does not fit the class attribute")
        width = network.vocabulary if network.vocabulary else network.input_size
        if width != self.encoder_.features:
            raise WorkbenchError("the stored network does not fit its input encoding")
        self.network_ = network
        self.history_ = nets.history_from_state(meta)


def register(registry: Any) -> None:
    registry.add(RecurrentNetwork)
