"""The perceptron as taught, and WEKA's VotedPerceptron.

Two learners live here. ``perceptron`` (``Perceptron``) has defaults chosen for the data
a user opens first: the averaged perceptron on standardised inputs, ten passes, and
several classes learned together (one weight vector per class). ``VotedPerceptron``
(``VotedPerceptron``, registered as ``voted-perceptron``) is WEKA's learner under WEKA's
name with WEKA's options and defaults, so its results are WEKA's, refusals included: a
class with more than two values gets WEKA's "Cannot handle multi-valued nominal class!".

Four ways to train a linear threshold unit, chosen by ``mode``:

- ``voted`` (WEKA's VotedPerceptron, Freund & Schapire): every mistake starts a
  new perceptron; each perceptron votes with the number of instances it survived. With
  ``exponent`` != 1 the inner product becomes the polynomial kernel ``(x.y + 1)^e``.
  Missing values are replaced by means/modes and nominal attributes turned into 0/1
  columns as WEKA does, the training order is shuffled with Java's generator seeded by
  ``seed``, so WEKA's results are reproduced. Probability: ``1 / (1 + e^-vote total)``.
- ``rosenblatt``: the classic rule in random order, ``w <- w + lr x`` for a missed
  positive, ``w <- w - lr x`` for a missed negative, until an epoch makes no mistake.
- ``averaged`` (the default): Rosenblatt's rule, predicting with the average of all
  weight vectors (Freund & Schapire's cheap stand-in for the vote).
- ``sigmoid``: a sigmoid unit trained by the delta rule ``w <- w + lr (d - f) f (1 - f) x``.

Training keeps the mistakes of every epoch: the model text says whether training
converged (an epoch without a mistake, which the perceptron convergence theorem promises
on linearly separable data and XOR never gives) and the training error rate per epoch is
the learning curve (``history_``, its loss named by ``loss_name``), as the networks' are.

A class with more than two values is learned, for ``rosenblatt`` and ``averaged``, by
default directly (``multiclass="direct"``: one weight vector per class, the highest score
wins, a mistake moves the true class's vector towards the instance and the predicted
class's away from it; probabilities are the softmax of the scores), or one-vs-rest as the
``voted`` and ``sigmoid`` modes always do (the per-class sigmoid outputs normalised into
probabilities). One-vs-rest fails where one class sits between two others (iris's
versicolor: 6 of 50 right), which is why it is not the default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import numpy as np
from scipy.special import expit, softmax

from workbench.classifiers.base import Classifier, normalise_rows
from workbench.classifiers.capabilities import Capabilities, CapabilityError
from workbench.classifiers.encoding import Encoder
from workbench.classifiers.inspection import EncoderInputs, LinearScores, NamedWeights
from workbench.classifiers.modelfile import stored_array
from workbench.core.counts import counted
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Dataset
from workbench.engine.training import History

MODES = ("voted", "rosenblatt", "averaged", "sigmoid")
MULTICLASS = ("direct", "one-vs-rest")
# Why training may not converge: the lesson's reason first, the everyday one after.
NOT_CONVERGED = "(the classes may not be linearly separable, or need more epochs)"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # WEKA's 1 / (1 + e^-z): it keeps large negative vote totals apart (0.5(1 + tanh(z/2))
    # is exactly 0 below about -38, which tied those instances and lowered the ROC area).
    return expit(z)


class Perceptron(Classifier, NamedWeights, LinearScores, EncoderInputs):
    """Perceptron: Rosenblatt's rule, voted, averaged or a sigmoid unit; several classes
    learned together by default.

    Defaults fit the data a user opens first: the averaged perceptron on standardised
    inputs for up to ten passes, one weight vector per class. WEKA's VotedPerceptron, with
    WEKA's defaults and refusals, is the separate ``VotedPerceptron`` learner.
    """

    name = "perceptron"
    display_name = "Perceptron (voted, averaged, Rosenblatt, sigmoid unit)"
    category = "neural"
    capabilities = Capabilities()
    # What the learning curve's "loss" is (read by its view and written to --json): the
    # share of training instances the unit got wrong during each epoch, the quantity the
    # perceptron's rule reacts to (it has no other loss).
    loss_name = "error rate"
    mode = Param.choice("averaged", MODES,
                        "averaged: Rosenblatt's rule, predicting with the average of all "
                        "weight vectors; voted: WEKA's VotedPerceptron; rosenblatt: the "
                        "classic rule; sigmoid: a sigmoid unit trained by the delta rule")
    epochs = Param.integer(10, "Passes over the training data (rosenblatt stops early "
                           "once an epoch makes no mistake, as the direct multi-class "
                           "perceptron of more than two classes does)", low=1, letter="I")
    multiclass = Param.choice(
        "direct", MULTICLASS,
        "More than two classes (rosenblatt, averaged): direct keeps one weight "
        "vector per class and predicts the highest score; one-vs-rest learns "
        "one binary perceptron per class (voted and sigmoid always do)")
    exponent = Param.number(1.0, "Exponent of the polynomial kernel (x.y + 1)^e of the "
                            "voted perceptron; 1 is the plain linear perceptron", low=0,
                            low_open=True, letter="E")
    learning_rate = Param.number(1.0, "Step size of each weight update (rosenblatt, "
                                 "averaged, sigmoid)", low=0, low_open=True, letter="L")
    max_k = Param.integer(10000, "Most mistakes (perceptrons) the voted perceptron keeps",
                          low=1, letter="M", group="advanced")
    seed = Param.seed(1, "Seed of the shuffling (and of the initial weights)",
                         letter="S")
    scaling = Param.choice("standard", ("none", "range", "symmetric", "standard"),
                           "How numeric attributes are scaled first: standard (mean 0, sd 1) "
                           "keeps one attribute's large units from drowning the others")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.encoder_: Encoder | None = None
        # voted: per binary problem, the mistakes (rows), their signs and survival counts.
        self.support_: list[np.ndarray] = []
        self.signs_: list[np.ndarray] = []
        self.counts_: list[np.ndarray] = []
        self.weights_ = np.zeros((0, 0))  # other modes: one row per problem, bias last
        self.mistakes_: list[int] = []
        # Per problem, the mistakes made in each epoch trained (the last is the epoch that
        # made none when training converged); empty in a model file written before them.
        self.epoch_mistakes_: list[list[int]] = []
        self.instances_ = 0  # the training instances each epoch went over

    @property
    def _problems(self) -> list[int]:
        """The positive class of each binary problem (one for a two-class task); with
        direct multi-class learning, every class (one weight vector each)."""
        return [1] if len(self.classes_) == 2 else list(range(len(self.classes_)))

    @property
    def _direct(self) -> bool:
        """True when several classes share one multi-class perceptron."""
        return (len(self.classes_) > 2 and self.multiclass == "direct"
                and self.mode in ("rosenblatt", "averaged"))

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        self.encoder_ = Encoder(self.scaling, "binary").fit(data)
        X = self.encoder_.transform(data)
        y = data.class_values.astype(np.intp)
        order = JavaRandom(self.seed).shuffle_order(X.shape[0])
        X, y = X[order], y[order]
        self.support_, self.signs_, self.counts_, self.mistakes_ = [], [], [], []
        self.epoch_mistakes_ = []
        self.instances_ = X.shape[0]
        if self._direct:
            self.weights_, epochs = self._train_direct(X, y, progress, cancel)
            self._keep_mistakes(epochs)
            return
        rows = []
        problems = self._problems
        for p, positive in enumerate(problems):
            check(cancel)
            target = (y == positive).astype(np.intp)
            if self.mode == "voted":
                support, signs, counts, epochs = self._train_voted(X, target, cancel)
                self.support_.append(support)
                self.signs_.append(signs)
                self.counts_.append(counts)
            else:
                w, epochs = self._train_primal(X, target, p, cancel)
                rows.append(w)
            self._keep_mistakes(epochs)
            report(progress, (p + 1) / len(problems),
                   f"class {self.classes_[positive]}: "
                   f"{counted(self.mistakes_[-1], 'mistake')}")
        if rows:
            self.weights_ = np.vstack(rows)

    def _keep_mistakes(self, epochs: list[int]) -> None:
        """Record one problem's mistakes per epoch, its total, and the learning curve
        they make with the problems before it."""
        self.epoch_mistakes_.append(epochs)
        self.mistakes_.append(sum(epochs))
        self.history_ = self._history()

    def _history(self) -> History | None:
        """The training error rate per epoch, averaged over the binary problems (one
        that converged early counts no mistakes after), and the accuracy it leaves."""
        if not self.epoch_mistakes_ or self.instances_ < 1:
            return None
        length = max(len(epochs) for epochs in self.epoch_mistakes_)
        shares = len(self.epoch_mistakes_) * self.instances_
        rates = [sum(epochs[e] for epochs in self.epoch_mistakes_ if e < len(epochs))
                 / shares for e in range(length)]
        return History(loss=rates, accuracy=[1.0 - rate for rate in rates])

    def _kernel(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """WEKA's innerProduct: (a.b + 1) ^ exponent."""
        gram = A @ B.T + 1.0
        return gram if self.exponent == 1 else np.power(gram, self.exponent)

    def _train_voted(self, X: np.ndarray, target: np.ndarray, cancel: CancelToken | None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """VotedPerceptron.buildClassifier, with the sum kept incrementally; also the
        mistakes of each epoch (a new perceptron each)."""
        n = X.shape[0]
        additions: list[int] = []
        signs: list[float] = []
        counts = [0]
        linear = self.exponent == 1
        w = np.zeros(X.shape[1] + 1)  # primal form of the current perceptron (e = 1)
        Xb = np.hstack([X, np.ones((n, 1))])
        done = False
        epochs: list[int] = []
        for _ in range(self.epochs):
            check(cancel)
            before = len(additions)
            for i in range(n):
                if linear:
                    score = float(Xb[i] @ w)
                elif additions:
                    score = float(np.dot(signs, self._kernel(X[additions], X[i:i + 1])[:, 0]))
                else:
                    score = 0.0
                predicted = 0 if score < 0 else 1
                if predicted == target[i]:
                    counts[-1] += 1
                else:
                    sign = 1.0 if target[i] == 1 else -1.0
                    additions.append(i)
                    signs.append(sign)
                    counts.append(1)
                    if linear:
                        w += sign * Xb[i]
                if len(additions) == self.max_k:
                    done = True
                    break
            epochs.append(len(additions) - before)
            if done:
                break
        return (X[additions] if additions else np.zeros((0, X.shape[1])),
                np.asarray(signs), np.asarray(counts, dtype=np.float64), epochs)

    def _train_primal(self, X: np.ndarray, target: np.ndarray, problem: int,
                      cancel: CancelToken | None) -> tuple[np.ndarray, list[int]]:
        """Rosenblatt's rule (plain or averaged) or the delta rule, in random order; also
        the mistakes of each epoch."""
        rng = np.random.default_rng([self.seed, problem])
        n = X.shape[0]
        Xb = np.hstack([X, np.ones((n, 1))])
        w = rng.uniform(-0.05, 0.05, (Xb.shape[1],))
        total = np.zeros_like(w)
        steps = 0
        epochs: list[int] = []
        lr = self.learning_rate
        d = target.astype(np.float64)
        for _ in range(self.epochs):
            check(cancel)
            epoch_mistakes = 0
            for i in rng.permutation(n):
                z = float(Xb[i] @ w)
                if self.mode == "sigmoid":
                    f = float(_sigmoid(np.asarray(z)))
                    w += lr * (d[i] - f) * f * (1.0 - f) * Xb[i]
                    epoch_mistakes += int((f >= 0.5) != bool(target[i]))
                else:
                    if (z > 0) != bool(target[i]):
                        w += (lr if target[i] == 1 else -lr) * Xb[i]
                        epoch_mistakes += 1
                    total += w
                    steps += 1
            epochs.append(epoch_mistakes)
            # Rosenblatt has converged; the average keeps moving towards the final w.
            if epoch_mistakes == 0 and self.mode == "rosenblatt":
                break
        if self.mode == "averaged" and steps:
            w = total / steps
        return w, epochs

    def _train_direct(self, X: np.ndarray, y: np.ndarray, progress: ProgressCallback | None,
                       cancel: CancelToken | None) -> tuple[np.ndarray, list[int]]:
        """The multi-class perceptron (Collins 2002): on a mistake the true class's vector
        moves towards the instance and the predicted class's away; ``averaged`` predicts
        with the average of the weights after every instance. Also the mistakes of each
        epoch."""
        rng = np.random.default_rng([self.seed, 0])
        n = X.shape[0]
        Xb = np.hstack([X, np.ones((n, 1))])
        W = rng.uniform(-0.05, 0.05, (len(self.classes_), Xb.shape[1]))
        total = np.zeros_like(W)
        steps = 0
        epochs: list[int] = []
        lr = self.learning_rate
        for epoch in range(self.epochs):
            check(cancel)
            epoch_mistakes = 0
            for i in rng.permutation(n):
                predicted = int(np.argmax(W @ Xb[i]))
                if predicted != y[i]:
                    W[y[i]] += lr * Xb[i]
                    W[predicted] -= lr * Xb[i]
                    epoch_mistakes += 1
                total += W
                steps += 1
            epochs.append(epoch_mistakes)
            report(progress, (epoch + 1) / self.epochs,
                   f"epoch {epoch + 1}: {counted(epoch_mistakes, 'mistake')}")
            if epoch_mistakes == 0:  # separated: the average only moves towards W now
                break
        if self.mode == "averaged" and steps:
            W = total / steps
        return W, epochs

    # Prediction -------------------------------------------------------------------------
    def scores(self, data: Dataset) -> np.ndarray:
        """Per binary problem, the unit's output before the probability squashing."""
        self.check_header(data)
        if self.encoder_ is None:
            raise WorkbenchError(f"{self.title} has not been trained")
        X = self.encoder_.transform(data)
        if self.mode == "voted":
            out = np.zeros((X.shape[0], len(self.support_)))
            for p, (support, signs, counts) in enumerate(
                    zip(self.support_, self.signs_, self.counts_, strict=True)):
                if len(signs) == 0:
                    continue
                # Running sums after 0, 1, ..., K mistakes; a sum of 0 votes positive.
                contributions = self._kernel(X, support) * signs[None, :]
                running = np.hstack([np.zeros((X.shape[0], 1)),
                                     np.cumsum(contributions, axis=1)])
                out[:, p] = (np.where(running < 0, -1.0, 1.0) * counts[None, :]).sum(axis=1)
            return out
        Xb = np.hstack([X, np.ones((X.shape[0], 1))])
        return Xb @ self.weights_.T

    # Viewer hooks (workbench.classifiers.inspection) ------------------------------------
    def weight_arrays(self) -> dict[str, np.ndarray]:
        """The weight vectors, one row per problem with the bias last ("weights"); none
        for the voted perceptron, which keeps its mistakes instead of a weight vector."""
        return {"weights": self.weights_} if self.weights_.size else {}

    def linear_weights(self) -> np.ndarray | None:
        """Per problem, the weight vector with the bias last; None when the model is not
        linear in its inputs (a voted perceptron with a polynomial kernel)."""
        if self.weights_.size:
            return np.asarray(self.weights_, dtype=np.float64)
        if not self.support_ or self.exponent != 1.0:
            return None
        assert self.encoder_ is not None
        rows = []
        for support, signs in zip(self.support_, self.signs_, strict=True):
            support = np.asarray(support, dtype=np.float64)
            signs = np.asarray(signs, dtype=np.float64)
            if support.size == 0:
                rows.append(np.zeros(self.encoder_.width + 1))
                continue
            # The final perceptron of the voted sequence: (x.y + 1) kernel gives the bias.
            rows.append(np.append(signs @ support, signs.sum()))
        return np.vstack(rows)

    def score_labels(self) -> list[str]:
        """What each column of ``scores`` (each row of ``linear_weights``) tells apart:
        "B vs A" for two classes (a positive score says B), "A vs rest" for a one-vs-rest
        unit, and the class itself for a multi-class perceptron's vector (the highest
        score wins), so a plot's legend never calls a two-class unit "1 vs rest"."""
        if len(self.classes_) == 2:
            return [f"{self.classes_[1]} vs {self.classes_[0]}"]
        rest = "" if self._direct else " vs rest"
        return [f"{self.classes_[p]}{rest}" for p in self._problems]

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        if self._direct:
            return softmax(self.scores(data), axis=1)
        positive = _sigmoid(self.scores(data))
        if len(self.classes_) == 2:
            return np.column_stack([1.0 - positive[:, 0], positive[:, 0]])
        return normalise_rows(positive)

    # Description and model files ----------------------------------------------------
    def _convergence(self, epochs: list[int]) -> str:
        """Whether one problem's training converged, in the words of the lesson: the
        perceptron stops making mistakes on linearly separable classes (AND) and never
        does on the others (XOR)."""
        if self.mode == "voted" and sum(epochs) >= self.max_k:
            return (f"stopped in epoch {len(epochs)} at the limit of "
                    f"{counted(self.max_k, 'perceptron')} (max_k)")
        mistaken = len(epochs)
        while mistaken and epochs[mistaken - 1] == 0:
            mistaken -= 1   # the epochs without a mistake at the end
        if mistaken < len(epochs):
            return f"converged in epoch {mistaken + 1}: no mistakes in a whole pass"
        last = ("in its only epoch" if len(epochs) == 1
                else f"in the last of {len(epochs)} epochs")
        return f"did not converge: {counted(epochs[-1], 'mistake')} {last}"

    def _convergence_lines(self) -> list[str]:
        """One line per binary problem (one for two classes or the multi-class
        perceptron), and why one may not have converged on a line of its own (a report
        pane is narrow); none for a model file written before epochs were recorded."""
        if len(self.epoch_mistakes_) != (1 if self._direct else len(self._problems)):
            return []
        if len(self.epoch_mistakes_) == 1:
            lines = [self._convergence(self.epoch_mistakes_[0])]
            indent = ""
        else:
            voted = self.mode == "voted"
            lines = [f"  {label}: "
                     + (f"{counted(sum(epochs), 'perceptron')}, " if voted else "")
                     + self._convergence(epochs)
                     for label, epochs in zip(self.score_labels(), self.epoch_mistakes_,
                                              strict=True)]
            indent = "  "
        if any("did not converge" in line for line in lines):
            lines.append(f"{indent}{NOT_CONVERGED}")
        return lines

    def _describe(self) -> str:
        lines = []
        if self.mode == "voted":
            lines.append(f"VotedPerceptron: Number of perceptrons={sum(self.mistakes_)}")
            convergence = self._convergence_lines()
            if len(self._problems) > 1 and not convergence:  # an older model file
                lines += [f"  {self.classes_[c]} vs rest: {m}"
                          for c, m in zip(self._problems, self.mistakes_, strict=True)]
            return "\n".join(lines + convergence)
        assert self.encoder_ is not None
        names = [*self.encoder_.names_, "(bias)"]
        lines.append(f"Perceptron ({self.mode}), "
                     f"{counted(sum(self.mistakes_), 'mistake')} in training")
        lines += self._convergence_lines()
        if self._direct:
            lines.append("one weight vector per class; the highest score wins")
        for label, row in zip(self.score_labels(), self.weights_, strict=True):
            lines.append(f"\n{label}:")
            lines += [f"  {name:>20s} {value: .6g}" for name, value in
                      zip(names, row, strict=True)]
        return "\n".join(lines)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        assert self.encoder_ is not None
        meta, arrays = self.encoder_.state()
        arrays = dict(arrays)
        if self.mode == "voted":
            # Packed, one problem's rows after another's: one problem per class, and a
            # model file holds at most MAX_MEMBERS arrays.
            offsets = np.zeros(len(self.support_) + 1, dtype=np.int64)
            offsets[1:] = np.cumsum([s.shape[0] for s in self.support_], dtype=np.int64)
            arrays["support"] = np.concatenate(self.support_)
            arrays["signs"] = np.concatenate(self.signs_)
            arrays["counts"] = np.concatenate(self.counts_)
            arrays["support_offsets"] = offsets
        else:
            arrays["weights"] = self.weights_
        return ({"encoder": meta, "mistakes": self.mistakes_,
                 "epoch_mistakes": self.epoch_mistakes_,
                 "training_instances": self.instances_, "packed": True}, arrays)

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        self.encoder_ = Encoder.from_state(meta["encoder"], arrays, header)
        self.mistakes_ = [int(m) for m in meta["mistakes"]]
        self.epoch_mistakes_, self.instances_ = _stored_epochs(meta, len(self.mistakes_),
                                                               self.epochs)
        self.history_ = self._history()
        problems = len(self._problems)
        width = self.encoder_.width
        if self.mode == "voted":
            self.support_, self.signs_, self.counts_ = [], [], []
            stored = (_unpacked_perceptrons(arrays, problems) if meta.get("packed") is True
                      else _perceptrons_one_by_one(arrays, problems))
            for support, signs, counts in stored:
                if support.shape[1] != width or counts.shape[0] != signs.shape[0] + 1 \
                        or support.shape[0] != signs.shape[0]:
                    raise WorkbenchError("the stored perceptrons have inconsistent shapes")
                self.support_.append(support)
                self.signs_.append(signs)
                self.counts_.append(counts)
        else:
            self.weights_ = stored_array(arrays, "weights", 2, finite=True).astype(np.float64)
            if self.weights_.shape != (problems, width + 1):
                raise WorkbenchError("the stored weights do not match the training header")


_Perceptron = tuple[np.ndarray, np.ndarray, np.ndarray]   # support, signs, counts


def _unpacked_perceptrons(arrays: Mapping[str, np.ndarray], problems: int
                          ) -> list[_Perceptron]:
    """Each problem's voted perceptron out of the packed arrays ``_state`` writes:
    problem p's support vectors and signs are rows ``support_offsets[p]`` up to
    ``support_offsets[p + 1]``, its counts those rows plus one (each problem has one
    count more than vectors)."""
    support = stored_array(arrays, "support", 2, finite=True).astype(np.float64)
    signs = stored_array(arrays, "signs", 1, finite=True).astype(np.float64)
    counts = stored_array(arrays, "counts", 1, finite=True).astype(np.float64)
    offsets = stored_array(arrays, "support_offsets", 1)
    if offsets.dtype.kind not in "iu" or offsets.shape != (problems + 1,) \
            or offsets[0] != 0 or offsets[-1] != support.shape[0] \
            or np.any(np.diff(offsets) < 0) or signs.shape[0] != support.shape[0] \
            or counts.shape[0] != support.shape[0] + problems:
        raise WorkbenchError("the stored perceptrons do not match their offsets (expected "
                             f"{problems + 1} rising offsets from 0 to the number of "
                             "support vectors, a sign for each and a count more per "
                             "problem)")
    return [(support[a:b], signs[a:b], counts[a + p:b + p + 1])
            for p, (a, b) in enumerate(pairwise(offsets))]


def _perceptrons_one_by_one(arrays: Mapping[str, np.ndarray], problems: int
                            ) -> list[_Perceptron]:
    """The arrays of a file saved before the perceptrons were packed: three per problem."""
    return [(stored_array(arrays, f"support.{p}", 2, finite=True).astype(np.float64),
             stored_array(arrays, f"signs.{p}", 1, finite=True).astype(np.float64),
             stored_array(arrays, f"counts.{p}", 1, finite=True).astype(np.float64))
            for p in range(problems)]


def _stored_epochs(meta: Mapping[str, Any], problems: int, most_epochs: int
                   ) -> tuple[list[list[int]], int]:
    """The mistakes per epoch and the instance count a model file stores, checked (the
    file may come from anywhere: a count above the instances drew an error rate of 6.67,
    a list longer than the epochs trained a curve of millions of points, a huge integer
    overflowed the rate); none from a file written before they were kept."""
    epochs, instances = meta.get("epoch_mistakes"), meta.get("training_instances")
    if epochs is None and instances is None:
        return [], 0
    if not (isinstance(epochs, list) and len(epochs) == problems
            and type(instances) is int and 0 < instances < 2 ** 53
            and all(isinstance(e, list) and 0 < len(e) <= most_epochs for e in epochs)
            and all(type(m) is int and 0 <= m <= instances for e in epochs for m in e)
            and [sum(e) for e in epochs] == meta.get("mistakes")):
        raise WorkbenchError("the stored mistakes per epoch (state.epoch_mistakes, "
                             "state.training_instances) are damaged: expected one list "
                             f"per problem of at most {most_epochs} counts (the epochs), "
                             "each between 0 and the instance count, adding up to "
                             "state.mistakes, and a positive instance count")
    return [list(e) for e in epochs], instances


def _weka_param(name: str, default: Any, help: str) -> Param[Any]:
    return dataclasses.replace(Perceptron.param(name), default=default, help=help)


class VotedPerceptron(Perceptron, drop=("mode", "multiclass", "learning_rate", "scaling")):
    """VotedPerceptron: WEKA's learner with WEKA's options and defaults (Freund & Schapire).

    Users who come from WEKA type its name and expect its results, refusals included: it
    learns two classes only and refuses more with WEKA's message "Cannot handle
    multi-valued nominal class!" (``perceptron`` learns several classes). One pass, no
    scaling, WEKA's shuffling and probabilities, so its numbers equal WEKA 3.9.7's. It is
    a separate learner rather than a flag because a name is what WEKA users bring.
    """

    name = "voted-perceptron"
    display_name = "VotedPerceptron"
    category = "functions"   # where WEKA files it
    aliases = ("VotedPerceptron",)
    capabilities = Capabilities(binary_class_only=True)
    # WEKA's learner has no other training rule, scaling or multi-class strategy: fixed
    # values in place of the perceptron's parameters.
    mode = "voted"
    scaling = "none"
    multiclass = "one-vs-rest"
    learning_rate = 1.0
    epochs = _weka_param("epochs", 1, "Passes over the training data (WEKA's -I)")
    exponent = _weka_param("exponent", 1.0, "Exponent of the polynomial kernel (x.y + 1)^e "
                           "(WEKA's -E); 1 is the plain linear perceptron")
    max_k = _weka_param("max_k", 10000, "Most mistakes (perceptrons) kept (WEKA's -M)")
    # Java's Random takes any seed, negative too, and so does WEKA's -S here.
    seed = dataclasses.replace(_weka_param("seed", 1, "Seed of WEKA's shuffling (WEKA's "
                                           "-S)"), low=None)

    def fit(self, dataset: Dataset, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None) -> VotedPerceptron:
        cls = dataset.class_attribute
        if cls is not None and cls.is_nominal and cls.num_values > 2:
            raise CapabilityError(
                f"{self.title}: Cannot handle multi-valued nominal class! (class "
                f"'{cls.name}' has {cls.num_values} values; the perceptron learner, "
                f"'perceptron', learns several classes)")
        return super().fit(dataset, progress, cancel)

    def _describe(self) -> str:
        """WEKA's model text, word for word: a WEKA user compares it with WEKA's (the
        ``perceptron`` learner's voted mode also says whether training converged)."""
        return f"VotedPerceptron: Number of perceptrons={sum(self.mistakes_)}"


def register(registry: Any) -> None:
    registry.add(Perceptron)
    registry.add(VotedPerceptron)
