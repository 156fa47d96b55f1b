"""Data sinks: WEKA's ArffSaver, CSVSaver and ModelSaver.

Savers have side effects, so they run on every run even when their inputs are cached:
a cached result cannot prove the file is still there. Every write is atomic (the data
and model writers write a temporary file and rename it), and every target is claimed
from the run's write rules first (``workbench.flow.writes``): a flow writes in its own
folder or the one the user chose, and elsewhere only with the user's consent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.core.params import Param
from workbench.data.dataset import Dataset
from workbench.data.io import save_dataset
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.ports import (
    BATCH_CLASSIFIER,
    DATA_SET,
    IMAGE,
    TEST_SET,
    TEXT,
    TRAINING_SET,
    BatchClassifier,
    Folds,
    PortSpec,
)

_FILE_HELP = ("where to write: relative to the run's output folder (workbench run "
              "--out), else to the folder of the flow file; anywhere else, or over an "
              "existing file, only with your consent")


class _DataSaver(NodeType):
    category = "DataSinks"
    side_effects = True
    numbered_outputs = True  # one file per fold beside ``file``
    numbered_middle = rf"(?:{TRAINING_SET}|{TEST_SET})_[0-9]+"   # what _numbered writes
    numbered_inputs = (TRAINING_SET, TEST_SET)   # a dataSet alone is one file
    inputs = (PortSpec(DATA_SET, DATA_SET, "a dataset to save", optional=True),
              PortSpec(TRAINING_SET, TRAINING_SET, "training folds: one file per fold",
                       optional=True),
              PortSpec(TEST_SET, TEST_SET, "test folds: one file per fold", optional=True))
    outputs = (PortSpec(TEXT, TEXT, "which files were written"),)
    file = Param.text("", _FILE_HELP)
    extensions: tuple[str, ...] = ()

    @classmethod
    def numbered_parts(cls, path: Path) -> tuple[str, str]:
        """The number goes before the data extension, compressed or not."""
        name = path.name
        for ext in (".arff.gz", ".csv.gz", ".tsv.gz", ".arff", ".csv", ".tsv"):
            if name.lower().endswith(ext):
                return name[:-len(ext)], name[-len(ext):]
        return name, ""

    def check_ready(self, context: NodeContext) -> None:
        """A file name of the wrong kind is known before the run: ``workbench run``
        refuses it with the other bad input (exit status 2) instead of failing the node
        once the nodes before it have run."""
        self._check_extension(context)

    def _check_extension(self, context: NodeContext) -> None:
        if self.file and not Path(self.file).name.lower().endswith(self.extensions):
            raise NodeError(f"{context.title}: '{self.file}' must end in "
                            f"{' or '.join(self.extensions)}")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        if not self.file:
            raise NodeError(f"{context.title}: no file chosen (set its 'file' parameter)")
        self._check_extension(context)
        path = context.resolve_output(self.file)
        jobs: list[tuple[Dataset, Any]] = []
        if DATA_SET in inputs:
            jobs.append((inputs[DATA_SET], path))
        for port in (TRAINING_SET, TEST_SET):
            folds: Folds = inputs.get(port, ())
            for fold in folds:
                target = path if fold.num_folds == 1 and not jobs else _numbered(
                    path, port, fold.fold + 1)
                jobs.append((fold.dataset, target))
        if not jobs:
            raise NodeError(f"{context.title}: nothing to save; connect a dataSet")
        for _, target in jobs:  # every target first: refuse before writing any
            context.claim_output(target)
        written = []
        for i, (dataset, target) in enumerate(jobs):
            context.check()
            context.report(i / len(jobs), f"writing {target.name}")
            save_dataset(dataset, context.claim_output(target))
            context.wrote(target)
            written.append(f"wrote {target} ({dataset.num_instances} instances)")
        for line in written:
            context.log(line)
        return {TEXT: "\n".join(written) + "\n"}


def _numbered(path: Any, port: str, number: int) -> Any:
    stem, ext = _DataSaver.numbered_parts(path)
    return path.with_name(f"{stem}_{port}_{number}{ext}")


class ArffSaver(_DataSaver):
    """Writes datasets as ARFF (``.arff.gz`` compressed)."""

    name = "ArffSaver"
    display_name = "ArffSaver"
    extensions = (".arff", ".arff.gz")


class CSVSaver(_DataSaver):
    """Writes datasets as CSV (``.tsv`` tab-separated)."""

    name = "CSVSaver"
    display_name = "CSVSaver"
    extensions = (".csv", ".csv.gz", ".tsv", ".tsv.gz")


MODEL_EXTENSION = ".model"


class ModelSaver(NodeType):
    """Saves the trained model (JSON plus arrays; no pickle), to be used again with
    ``workbench classify -l`` or the Explorer: the model of the training set the
    classifier received, or, after a cross-validation, each fold's model in a numbered
    file beside ``file`` (``m_fold_3.model``), as WEKA's SerializedModelSaver saves one
    model per set."""

    name = "ModelSaver"
    display_name = "ModelSaver"
    category = "DataSinks"
    side_effects = True
    numbered_outputs = True  # one file per fold beside ``file``
    numbered_middle = "fold_[0-9]+"   # what process writes
    numbered_inputs = (BATCH_CLASSIFIER,)   # one model per fold of a cross-validation
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "the trained classifier"),)
    outputs = (PortSpec(TEXT, TEXT, "which file was written"),)
    file = Param.text("", _FILE_HELP + " (a .model file)")

    @classmethod
    def numbered_parts(cls, path: Path) -> tuple[str, str]:
        """The fold number goes before ``.model``."""
        name = path.name
        if name.lower().endswith(MODEL_EXTENSION):
            return name[:-len(MODEL_EXTENSION)], name[-len(MODEL_EXTENSION):]
        return name, ""

    def check_ready(self, context: NodeContext) -> None:
        """As the data savers': a wrong file name is refused before the run."""
        self._check_extension(context)

    def _check_extension(self, context: NodeContext) -> None:
        name = Path(self.file).name
        if self.file and (not name.lower().endswith(MODEL_EXTENSION)
                          or len(name) == len(MODEL_EXTENSION)):
            raise NodeError(f"{context.title}: '{self.file}' must end in {MODEL_EXTENSION}")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        if not self.file:
            raise NodeError(f"{context.title}: no file chosen (set its 'file' parameter)")
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        self._check_extension(context)
        path = context.resolve_output(self.file)
        if batch.full is not None or len(batch.folds) == 1:
            jobs = [(batch.final, path)]
        else:
            stem, ext = self.numbered_parts(path)
            jobs = [(fold, path.with_name(f"{stem}_fold_{fold.fold + 1}{ext}"))
                    for fold in batch.folds]
        for _, target in jobs:  # every target first: refuse before writing any
            context.claim_output(target)
        written = []
        for i, (trained, target) in enumerate(jobs):
            context.check()
            context.report(i / len(jobs), f"writing {target.name}")
            trained.classifier.save(context.claim_output(target))
            context.wrote(target)
            written.append(f"saved {trained.title} ({trained.label}) to {target}")
        if len(jobs) > 1:   # say so: a file of that name from an earlier run looks current
            written.append(f"{path.name} itself is not written: a cross-validation trains "
                           f"one model per fold and none on all the data"
                           + (" (the file there is from an earlier run)"
                              if path.exists() else ""))
        for line in written:
            context.log(line)
        return {TEXT: "\n".join(written) + "\n"}


class ImageSaver(NodeType):
    """Saves weight images as PNG mosaics (one tile per unit), one file per array whose
    units look at the input image; written without the GUI libraries."""

    name = "ImageSaver"
    display_name = "ImageSaver"
    category = "DataSinks"
    side_effects = True
    numbered_outputs = True  # one file per array beside ``file``
    inputs = (PortSpec(IMAGE, IMAGE, "weight arrays from a WeightViewer"),)
    outputs = (PortSpec(TEXT, TEXT, "which files were written"),)
    file = Param.text("weights.png", _FILE_HELP + "; several images get the "
                      "array's name appended")
    scale = Param.integer(4, "pixels per weight", low=1, high=64)

    @staticmethod
    def target_path(path: Path) -> Path:
        """The file written for ``path``: ``.png`` appended when it lacks it."""
        return path if path.suffix.lower() == ".png" else path.with_name(path.name + ".png")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        from workbench.flow.nodes.png import weight_mosaic, write_png

        images = inputs[IMAGE]
        path = self.target_path(context.resolve_output(self.file or "weights.png"))
        drawn = {key: array for key, array in images.arrays.items()
                 if array.ndim == 4 or (array.ndim == 2
                                        and array.shape[1] == images.num_inputs)}
        for key, array in drawn.items():   # every size first: refuse before drawing any
            self._check_size(context, key, array.shape)
        pictures = []
        for key, array in drawn.items():
            mosaic = weight_mosaic(array, scale=self.scale)
            if mosaic is not None:
                pictures.append((key, mosaic))
        if not pictures:
            raise NodeError(f"{context.title}: no weights here look at an image (the inputs "
                            f"of {images.num_inputs} attributes do not form a square)")
        targets = []
        for key, _ in pictures:
            safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_"
                           for c in key)
            targets.append(path if len(pictures) == 1 else path.with_name(
                f"{path.stem}_{safe}{path.suffix}"))
        for target in targets:  # every target first: refuse before writing any
            context.claim_output(target)
        written = []
        for target, (_, mosaic) in zip(targets, pictures, strict=True):
            write_png(context.claim_output(target), mosaic)
            context.wrote(target)
            written.append(f"wrote {target} ({mosaic.shape[1]}x{mosaic.shape[0]} pixels)")
        for line in written:
            context.log(line)
        return {TEXT: "\n".join(written) + "\n"}

    def _check_size(self, context: NodeContext, key: str, shape: tuple[int, ...]) -> None:
        """Refuse a picture over ``png.MAX_PIXELS`` (why that number: there) before it is
        drawn, saying which scale fits: the picture grows with the square of ``scale``."""
        from workbench.flow.nodes.png import MAX_PIXELS, largest_scale, mosaic_size

        size = mosaic_size(shape, self.scale)
        if size is None or size[0] * size[1] <= MAX_PIXELS:
            return
        fits = largest_scale(shape)
        remedy = (f"lower {type(self).name}.scale to {fits} or less" if fits else
                  "even at scale 1 it is too large: show a layer with fewer units")
        raise NodeError(
            f"{context.title}: the picture of '{key}' ({shape[0]:,} units) at scale "
            f"{self.scale} would be {size[1]:,} x {size[0]:,} pixels "
            f"({size[0] * size[1] / 1e6:,.0f} megapixels), more than the "
            f"{MAX_PIXELS // 1_000_000}-megapixel limit; {remedy}")


NODE_TYPES = (ArffSaver, CSVSaver, ModelSaver, ImageSaver)
