"""From a dataset to sequences a recurrent network reads, learned on training data and kept.

A recurrent network needs every instance as a sequence of steps. Three kinds of data give
one naturally: a string attribute (a sentence) becomes word or character tokens coded by a
vocabulary learned from the training data only, so test words never leak into the model;
numeric attributes become T steps of F features (an image read row by row, the shape from
``geometry`` or a given number of steps); a relational attribute gives one bag row per
step. Sequences of different lengths are padded at the end and their true lengths kept,
so the network can read each state at the sequence's own last step and padding never
changes a prediction. Each encoder stores its learned state in the model file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.classifiers.geometry import (
    guessed_too_small,
    infer_geometry,
    parse_shape,
    pixel_scale,
)
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.data.dataset import AttributeType, Dataset

PAD, UNKNOWN = "<pad>", "<unk>"
TOKENISERS = ("words", "characters")
SCALINGS = ("auto", "standard", "none")
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass
class Sequences:
    """Padded sequences: ``values`` (n, T) int64 token codes (0 = padding) or (n, T, F)
    float32 frames, and ``lengths`` (n,), each the count of real steps (0 for an empty
    text or bag)."""

    values: np.ndarray
    lengths: np.ndarray

    def network_input(self, masked: bool) -> np.ndarray:
        """One array for the network: codes as they are (padding is code 0, so lengths
        follow), frames with a trailing 0/1 "real step" column when lengths vary."""
        if self.values.ndim == 2 or not masked:
            return self.values
        steps = self.values.shape[1]
        mask = (np.arange(steps)[None, :] < self.lengths[:, None]).astype(np.float32)
        return np.concatenate([self.values, mask[:, :, None]], axis=2)


def tokenise(text: str, mode: str = "words", lowercase: bool = True) -> list[str]:
    """Words (runs of letters and digits, each punctuation mark a token) or characters."""
    if lowercase:
        text = text.lower()
    if mode == "characters":
        return list(text)
    if mode != "words":
        raise ParameterError(f"unknown tokeniser '{mode}' (expected words or characters)")
    return _WORD.findall(text)


class Vocabulary:
    """Token codes: 0 is padding, 1 the unknown token, then the kept tokens by falling
    frequency (ties alphabetical, so the same data always give the same codes)."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = [PAD, UNKNOWN, *tokens]
        self.codes = {token: i for i, token in enumerate(self.tokens)}

    @classmethod
    def learn(cls, texts: list[list[str]], min_frequency: int = 1,
              max_size: int = 0) -> Vocabulary:
        """Keep tokens seen at least ``min_frequency`` times, at most ``max_size`` of them
        (0: no limit), from the training texts only."""
        counts = Counter(token for text in texts for token in text)
        kept = sorted((t for t, c in counts.items() if c >= min_frequency),
                      key=lambda t: (-counts[t], t))
        return cls(kept[:max_size] if max_size > 0 else kept)

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, tokens: list[str]) -> list[int]:
        return [self.codes.get(token, 1) for token in tokens]


class SequenceEncoder:
    """Base: ``fit`` on training data, ``transform`` any data with the training header."""

    kind = ""
    masked = False          # lengths vary and must travel with the frames
    features = 0            # floats per step (frames) or vocabulary size (tokens)

    def fit(self, data: Dataset) -> SequenceEncoder:
        raise NotImplementedError

    def transform(self, data: Dataset) -> Sequences:
        raise NotImplementedError

    def step_labels(self, data: Dataset, row: int) -> list[str]:
        """What each step of one instance is, in the user's words."""
        length = int(self.transform(data.select_rows([row])).lengths[0])
        return [f"step {t + 1}" for t in range(length)]

    def describe(self) -> str:
        raise NotImplementedError

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        raise NotImplementedError


class TokenSequences(SequenceEncoder):
    """A string attribute as token codes, truncated to ``max_length`` tokens."""

    kind = "tokens"
    masked = True

    def __init__(self, attribute: int, tokeniser: str = "words", lowercase: bool = True,
                 min_frequency: int = 1, max_size: int = 0, max_length: int = 100) -> None:
        if tokeniser not in TOKENISERS:
            raise ParameterError(f"unknown tokeniser '{tokeniser}' (expected "
                                 f"{' or '.join(TOKENISERS)})")
        self.attribute = attribute
        self.tokeniser = tokeniser
        self.lowercase = lowercase
        self.min_frequency = min_frequency
        self.max_size = max_size
        self.max_length = max_length
        self.vocabulary = Vocabulary([])
        self.steps = 1

    # The base class stores its width; a vocabulary's width follows the words it holds.
    @property
    def features(self) -> int:  # type: ignore[override]
        return len(self.vocabulary)

    def _texts(self, data: Dataset) -> list[list[str]]:
        attribute = data.attributes[self.attribute]
        texts = []
        for code in data.column(self.attribute):
            text = "" if np.isnan(code) else attribute.values[int(code)]
            texts.append(tokenise(text, self.tokeniser, self.lowercase)[:self.max_length])
        return texts

    def fit(self, data: Dataset) -> TokenSequences:
        texts = self._texts(data)
        self.vocabulary = Vocabulary.learn(texts, self.min_frequency, self.max_size)
        self.steps = max(1, max((len(t) for t in texts), default=1))
        return self

    def transform(self, data: Dataset) -> Sequences:
        texts = self._texts(data)
        # Padded to the longest text here, not to the longest seen in training
        # (``steps``): padding never changes a prediction, and ``steps`` comes from the
        # model file (a damaged 200 000 once made 4.9 GB of padding for 3000 sentences).
        steps = max(1, max((len(t) for t in texts), default=1))
        codes = np.zeros((len(texts), steps), dtype=np.int64)
        for i, text in enumerate(texts):
            codes[i, :len(text)] = self.vocabulary.encode(text)
        return Sequences(codes, np.array([len(t) for t in texts], dtype=np.int64))

    def step_labels(self, data: Dataset, row: int) -> list[str]:
        return self._texts(data.select_rows([row]))[0]

    def describe(self) -> str:
        return (f"{self.tokeniser} of a string attribute, vocabulary of "
                f"{len(self.vocabulary)} tokens (with padding and unknown), at most "
                f"{self.max_length} per instance")

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return ({"kind": self.kind, "attribute": self.attribute, "tokeniser": self.tokeniser,
                 "lowercase": self.lowercase, "min_frequency": self.min_frequency,
                 "max_size": self.max_size, "max_length": self.max_length,
                 "steps": self.steps, "tokens": self.vocabulary.tokens[2:]}, {})


class FrameSequences(SequenceEncoder):
    """Numeric attributes read as ``steps`` steps of equal width, in image order when the
    attributes are pixels (``geometry``): an image becomes one step per pixel row."""

    kind = "frames"

    def __init__(self, steps: int = 0, scaling: str = "auto", *,
                 chosen_for_user: bool = False) -> None:
        if scaling not in SCALINGS:
            raise ParameterError(f"unknown scaling '{scaling}' (expected "
                                 f"{', '.join(SCALINGS)})")
        self.requested_steps = steps
        self.scaling = scaling
        # Picked by source "auto" because nothing else was there: a refusal must then say
        # what a recurrent network reads, not only what this encoder missed.
        self.chosen_for_user = chosen_for_user
        self.columns: list[int] = []
        self.steps = 0
        self.features = 0
        self.geometry: tuple[int, int, int] | None = None
        self.fill = np.zeros(0)
        self.offset = np.zeros(0)
        self.scale = np.zeros(0)

    def fit(self, data: Dataset) -> FrameSequences:
        try:
            return self._fit(data)
        except WorkbenchError as error:
            if not self.chosen_for_user:
                raise
            other = next((a for i, a in enumerate(data.attributes) if i != data.class_index
                          and a.type is not AttributeType.NUMERIC), None)
            reason = (str(error) if other is None else f"attribute '{other.name}' is "
                      f"{other.type}, and there is no string or relational attribute")
            raise WorkbenchError(needs_sequences(data, reason)) from None

    def _fit(self, data: Dataset) -> FrameSequences:
        inputs = [i for i in range(data.num_attributes) if i != data.class_index]
        if self.requested_steps > 0:
            geometry = infer_geometry(data, parse_shape(f"1,1,{len(inputs)}") if inputs
                                      else None)
            if len(inputs) % self.requested_steps:
                raise WorkbenchError(
                    f"{len(inputs)} numeric attributes cannot be read as "
                    f"{self.requested_steps} steps of equal width")
            self.steps = self.requested_steps
            self.geometry = None
        else:
            geometry = infer_geometry(data)
            if self.chosen_for_user and guessed_too_small(geometry):
                # Iris's four measurements count to a square, but they are not a 2x2
                # image and their order is no time.
                raise WorkbenchError(
                    f"its {geometry.size} numeric attributes are not named pixel_ROW_COL "
                    f"and are too few to be taken for a square image")
            self.steps = geometry.channels * geometry.height
            self.geometry = geometry.shape
        self.columns = list(geometry.columns)
        self.features = len(self.columns) // self.steps
        raw = self._raw(data).reshape(-1, self.steps, self.features)
        # Image data are usually complete: then the statistics need no masked copies
        # (one pass each instead of four over 6 million pixels for MNIST).
        # (A NaN or an infinity anywhere makes its column's sum NaN or infinite.)
        sums = raw.sum(axis=(0, 1))
        complete = bool(np.isfinite(sums).all())
        known: bool | np.ndarray = True  # a mask: True when every value is known
        if complete:
            counts = np.full(self.features, raw.shape[0] * raw.shape[1])
        else:
            mask: np.ndarray = np.isfinite(raw)
            known, counts = mask, mask.sum(axis=(0, 1))
            sums = np.where(mask, raw, 0.0).sum(axis=(0, 1))
        mean = np.divide(sums, counts, out=np.zeros(self.features), where=counts > 0)
        self.fill = np.tile(mean, self.steps)
        mode, factor = self.scaling, 1.0
        if mode == "auto":
            # pixel_scale only looks at the smallest and largest known value.
            factor = pixel_scale(np.array([raw.min(), raw.max()]) if complete and raw.size
                                 else raw[known])
            mode = "standard" if factor == 0.0 else "none"
        self.offset, self.scale = np.zeros(self.features), np.full(self.features, factor or 1.0)
        if mode == "standard":
            deviation = np.where(known, raw - mean, 0.0)
            var = np.divide((deviation ** 2).sum(axis=(0, 1)), counts,
                            out=np.zeros(self.features), where=counts > 0)
            self.offset = mean
            self.scale = np.where(var > 0, 1.0 / np.sqrt(np.maximum(var, 1e-300)), 1.0)
        return self

    def _raw(self, data: Dataset) -> np.ndarray:
        """The input columns in step order: a view when they are a run of adjacent
        attributes in order (images), else a copy."""
        values = data.dense_values()
        first = self.columns[0] if self.columns else 0
        if self.columns == list(range(first, first + len(self.columns))):
            return values[:, first:first + len(self.columns)]
        return values[:, self.columns]

    def transform(self, data: Dataset) -> Sequences:
        raw = self._raw(data)
        # The smallest value is NaN when any is: one pass, no mask of the whole data.
        if raw.size and np.isnan(raw.min()):
            raw = np.where(np.isnan(raw), self.fill, raw)
        raw = raw.reshape(-1, self.steps, self.features)
        # The same float64 arithmetic as (raw - offset) * scale, without the steps
        # that change nothing, each value cast once to float32 as it is written:
        # pixels (no offset) make no float64 copy of the data, standardised data one
        # (the difference).
        values = np.empty(raw.shape, dtype=np.float32)
        if self.offset.any():
            scaled = raw - self.offset
            np.multiply(scaled, self.scale, out=values, casting="same_kind")
        else:
            np.multiply(raw, self.scale, out=values, casting="same_kind")
        return Sequences(values, np.full(values.shape[0], self.steps, dtype=np.int64))

    def step_labels(self, data: Dataset, row: int) -> list[str]:
        if self.geometry is None:
            return super().step_labels(data, row)
        return [f"row {t}" for t in range(self.steps)]

    def describe(self) -> str:
        shape = (f", an image {'x'.join(map(str, self.geometry))} read row by row"
                 if self.geometry else "")
        return f"{self.steps} steps of {self.features} numeric features{shape}"

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return ({"kind": self.kind, "requested_steps": self.requested_steps,
                 "scaling": self.scaling, "columns": self.columns, "steps": self.steps,
                 "geometry": list(self.geometry) if self.geometry else None},
                {"frames.fill": self.fill, "frames.offset": self.offset,
                 "frames.scale": self.scale})


class BagSequences(SequenceEncoder):
    """A relational attribute: each bag row is one step; numeric columns standardised on
    the training bags, nominal columns one 0/1 feature per value, missing values filled."""

    kind = "bags"
    masked = True

    def __init__(self, attribute: int) -> None:
        self.attribute = attribute
        self.nominal: list[int] = []   # values per relation column, 0 for numeric
        self.offset = np.zeros(0)
        self.scale = np.zeros(0)
        self.features = 0
        self.steps = 1

    def _bags(self, data: Dataset) -> list[np.ndarray]:
        attribute = data.attributes[self.attribute]
        width = len(attribute.relation)
        return [np.zeros((0, width)) if np.isnan(code) else attribute.bags[int(code)]
                for code in data.column(self.attribute)]

    def fit(self, data: Dataset) -> BagSequences:
        attribute = data.attributes[self.attribute]
        self.nominal = []
        for inner in attribute.relation:
            if inner.type not in (AttributeType.NUMERIC, AttributeType.NOMINAL,
                                  AttributeType.DATE):
                raise WorkbenchError(f"relational attribute '{attribute.name}' holds "
                                     f"{inner.type} attribute '{inner.name}': only numeric "
                                     f"and nominal values can be steps")
            self.nominal.append(inner.num_values if inner.is_nominal else 0)
        bags = self._bags(data)
        rows = np.concatenate(bags) if bags else np.zeros((0, len(self.nominal)))
        offset, scale = [], []
        for j, values in enumerate(self.nominal):
            if values:
                continue
            column = rows[:, j][np.isfinite(rows[:, j])]
            mean = float(column.mean()) if column.size else 0.0
            sd = float(column.std()) if column.size else 0.0
            offset.append(mean)
            scale.append(1.0 / sd if sd > 0 else 1.0)
        self.offset, self.scale = np.array(offset), np.array(scale)
        self.features = sum(v if v else 1 for v in self.nominal) or 1
        self.steps = max(1, max((b.shape[0] for b in bags), default=1))
        return self

    def _frame(self, bag: np.ndarray) -> np.ndarray:
        out = np.zeros((bag.shape[0], self.features), dtype=np.float32)
        position = numeric = 0
        for j, values in enumerate(self.nominal):
            column = bag[:, j]
            if values:
                known = np.flatnonzero(np.isfinite(column))
                codes = column[known].astype(np.intp)
                inside = (codes >= 0) & (codes < values)
                out[known[inside], position + codes[inside]] = 1.0
                position += values
            else:
                scaled = (column - self.offset[numeric]) * self.scale[numeric]
                out[:, position] = np.where(np.isfinite(scaled), scaled, 0.0)
                position += 1
                numeric += 1
        return out

    def transform(self, data: Dataset) -> Sequences:
        bags = self._bags(data)
        # The longest bag here, not ``steps`` from the model file (see TokenSequences).
        steps = max(1, max((b.shape[0] for b in bags), default=1))
        values = np.zeros((len(bags), steps, self.features), dtype=np.float32)
        for i, bag in enumerate(bags):
            values[i, :bag.shape[0]] = self._frame(bag)
        return Sequences(values, np.array([b.shape[0] for b in bags], dtype=np.int64))

    def describe(self) -> str:
        return (f"bag rows of a relational attribute as steps, {self.features} features "
                f"per step, up to {self.steps} steps in training")

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return ({"kind": self.kind, "attribute": self.attribute, "nominal": self.nominal,
                 "steps": self.steps},
                {"bags.offset": self.offset, "bags.scale": self.scale})


def needs_sequences(data: Dataset, reason: str) -> str:
    """The refusal for data with nothing a recurrent network can read as sequences."""
    return (f"dataset '{data.relation}' has no sequences to read: a recurrent network "
            f"needs a string attribute of text (read word by word), a relational attribute "
            f"of bags (one bag row per step), or numeric image attributes named "
            f"pixel_ROW_COL (one pixel row per step); numeric attributes can also be read "
            f"as N equal steps (steps N). Here: {reason}")


def sequence_encoder(data: Dataset, source: str = "auto", attribute: str = "", *,
                     tokeniser: str = "words", lowercase: bool = True,
                     min_frequency: int = 1, max_vocabulary: int = 0, max_length: int = 100,
                     steps: int = 0, scaling: str = "auto") -> SequenceEncoder:
    """The unfitted encoder for ``data``: ``source`` is "string", "numeric",
    "relational" or "auto" (a string attribute if there is one, else a relational one,
    else the numeric attributes); ``attribute`` names the string or relational attribute
    ("" = the first of its kind)."""
    kinds = {"string": AttributeType.STRING, "relational": AttributeType.RELATIONAL}
    if source == "auto":
        present = {a.type for i, a in enumerate(data.attributes) if i != data.class_index}
        found = next((name for name, kind in kinds.items() if kind in present), None)
        if found is None:
            return FrameSequences(steps, scaling, chosen_for_user=True)
        source = found
    if source == "numeric":
        return FrameSequences(steps, scaling)
    if source not in kinds:
        raise ParameterError(f"unknown sequence source '{source}' (expected auto, string, "
                             f"numeric or relational)")
    candidates = [i for i, a in enumerate(data.attributes)
                  if i != data.class_index and a.type is kinds[source]
                  and (not attribute or a.name == attribute)]
    if not candidates:
        what = f"named '{attribute}'" if attribute else "at all"
        raise WorkbenchError(f"dataset '{data.relation}' has no {source} attribute {what} "
                             f"to read as sequences")
    if source == "string":
        return TokenSequences(candidates[0], tokeniser, lowercase, min_frequency,
                              max_vocabulary, max_length)
    return BagSequences(candidates[0])


def encoder_from_state(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                       header: Dataset) -> SequenceEncoder:
    """Rebuild a fitted encoder from a model file, checked against the training header."""
    kind = meta.get("kind")
    if kind == "frames":
        frames = FrameSequences(int(meta["requested_steps"]), str(meta["scaling"]))
        frames.columns = [int(c) for c in meta["columns"]]
        frames.steps = int(meta["steps"])
        inputs = [i for i in range(header.num_attributes) if i != header.class_index]
        if sorted(frames.columns) != inputs or frames.steps < 1 \
                or len(inputs) % frames.steps:
            raise WorkbenchError("the stored numeric steps do not fit the training header")
        frames.features = len(inputs) // frames.steps
        stored = meta.get("geometry")
        if stored:
            if len(stored) != 3:
                raise WorkbenchError("the stored image shape is not (channels, height, "
                                     "width)")
            frames.geometry = (int(stored[0]), int(stored[1]), int(stored[2]))
        else:
            frames.geometry = None
        frames.fill = stored_array(arrays, "frames.fill", 1).astype(np.float64)
        frames.offset = stored_array(arrays, "frames.offset", 1).astype(np.float64)
        frames.scale = stored_array(arrays, "frames.scale", 1).astype(np.float64)
        if frames.fill.shape != (len(inputs),) or frames.offset.shape != (frames.features,):
            raise WorkbenchError("the stored scaling does not fit the numeric steps")
        return frames
    index = int(meta.get("attribute", -1))
    wanted = AttributeType.STRING if kind == "tokens" else AttributeType.RELATIONAL
    if kind not in ("tokens", "bags") or not 0 <= index < header.num_attributes \
            or header.attributes[index].type is not wanted:
        raise WorkbenchError("the stored sequence encoding does not fit the training header")
    if kind == "tokens":
        tokens = TokenSequences(index, str(meta["tokeniser"]), bool(meta["lowercase"]),
                                int(meta["min_frequency"]), int(meta["max_size"]),
                                int(meta["max_length"]))
        tokens.vocabulary = Vocabulary([str(t) for t in meta["tokens"]])
        tokens.steps = int(meta["steps"])
        if not 1 <= tokens.steps <= tokens.max_length:
            raise WorkbenchError(f"state.encoder.steps is {tokens.steps}: the longest text "
                                 f"seen in training is between 1 and max_length "
                                 f"({tokens.max_length}) tokens")
        return tokens
    bags = BagSequences(index)
    bags.nominal = [int(v) for v in meta["nominal"]]
    if len(bags.nominal) != len(header.attributes[index].relation):
        raise WorkbenchError("the stored bag encoding does not fit the relational attribute")
    bags.offset = stored_array(arrays, "bags.offset", 1).astype(np.float64)
    bags.scale = stored_array(arrays, "bags.scale", 1).astype(np.float64)
    bags.features = sum(v if v else 1 for v in bags.nominal) or 1
    bags.steps = int(meta["steps"])
    if bags.steps < 1:
        raise WorkbenchError(f"state.encoder.steps is {bags.steps}: the largest bag seen "
                             f"in training has at least one row")
    return bags
