"""The datasets shipped with Workbench, by name: ``bundled_path("iris")``.

Tests, tutorials, the Explorer's "Open sample" menu and flow templates name a dataset
rather than a path, so moving the folder touches only this module. The files live in
``workbench/resources/datasets`` inside the package (provenance and licences in its
``SOURCES.md``), found through ``importlib.resources`` so an installed wheel has them as a
checkout does; the folder can be moved with the ``WORKBENCH_DATASETS`` environment
variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError, printable
from workbench.core.resources import resource_dir

if TYPE_CHECKING:
    from workbench.data.dataset import Dataset


@dataclass(frozen=True)
class BundledDataset:
    """One shipped dataset: its name, file name and what it is good for."""

    name: str
    filename: str
    description: str


BUNDLED: tuple[BundledDataset, ...] = (
    BundledDataset("iris", "iris.arff", "150 irises, 4 measurements, 3 species"),
    BundledDataset("diabetes", "diabetes.arff",
                   "768 Pima Indian patients, 8 numeric tests, diabetes yes/no"),
    BundledDataset("weather.nominal", "weather.nominal.arff",
                   "14 days, 4 nominal conditions, play yes/no (the smallest example)"),
    BundledDataset("weather.numeric", "weather.numeric.arff",
                   "14 days, mixed numeric and nominal conditions, play yes/no"),
    BundledDataset("contact-lenses", "contact-lenses.arff",
                   "24 patients, 4 nominal attributes, 3 lens types"),
    BundledDataset("labor", "labor.arff",
                   "57 labour contracts, many missing values, good/bad"),
    BundledDataset("breast-cancer", "breast-cancer.arff",
                   "286 patients, 9 nominal attributes, recurrence yes/no"),
    BundledDataset("glass", "glass.arff", "214 glass samples, 9 oxides, 6 glass types"),
    BundledDataset("ionosphere", "ionosphere.arff",
                   "351 radar returns, 34 numeric attributes, good/bad"),
    BundledDataset("vote", "vote.arff",
                   "435 US congress members, 16 votes, democrat/republican"),
    BundledDataset("credit-g", "credit-g.arff",
                   "1000 German credit applicants, 20 attributes, good/bad"),
    BundledDataset("segment-challenge", "segment-challenge.arff",
                   "1500 image regions, 19 features, 7 classes (training half)"),
    BundledDataset("segment-test", "segment-test.arff",
                   "810 image regions, same header as segment-challenge (test half)"),
    BundledDataset("digits", "digits.arff",
                   "1797 8x8 handwritten digits (pixel_r_c, 0-16), classes 0-9"),
    BundledDataset("mnist-test", "mnist-test.arff.gz",
                   "10000 28x28 MNIST test digits (pixel_r_c, 0-255), classes 0-9"),
    BundledDataset("sentiment", "sentiment.arff",
                   "3000 review sentences (string) from amazon/imdb/yelp, sentiment 0/1"),
)


def datasets_dir() -> Path:
    """The folder holding the bundled files."""
    override = os.environ.get("WORKBENCH_DATASETS")
    if override:
        return Path(override)
    return resource_dir("datasets")


def bundled_names() -> list[str]:
    """The names ``bundled_path`` accepts, in catalogue order."""
    return [entry.name for entry in BUNDLED]


def bundled(name: str) -> BundledDataset:
    """The catalogue entry for ``name`` (the file name with its extension also works)."""
    for entry in BUNDLED:
        if name in (entry.name, entry.filename):
            return entry
    raise WorkbenchError(f"no bundled dataset named '{name}' (there are: "
                         f"{', '.join(bundled_names())})")


def bundled_path(name: str) -> Path:
    """The path of a bundled dataset; raises if it is unknown or its file is missing."""
    path = datasets_dir() / bundled(name).filename
    if not path.is_file():
        raise WorkbenchError(f"bundled dataset '{name}' should be at {path} but is not "
                             f"there (reinstall mlworkbench; in a checkout, "
                             f"scripts/make_datasets.py rebuilds it)")
    return path


def bundled_name_of(path: Path) -> str | None:
    """The name of the bundled dataset whose file ``path`` is (the bundled folder's
    ``iris.arff`` -> ``iris``), else None: a flow, and the Explorer's recent-files list,
    store that name rather than the file's place in the installation, which moves with
    every reinstall and differs on every machine the flow is shared to."""
    try:
        if path.resolve().parent != datasets_dir().resolve():
            return None
    except (OSError, RuntimeError):
        return None
    return next((entry.name for entry in BUNDLED if entry.filename == path.name), None)


def resolve_data_path(name_or_path: str | os.PathLike[str]) -> Path:
    """The file a command-line argument means: an existing file wins, else a bundled
    dataset by name (``iris``, or its file name ``iris.arff``).

    So ``workbench info iris`` works from any folder, while a file of your own called
    ``iris.arff`` in the current folder still shadows ours. An argument that is neither
    raises, naming the bundled datasets, instead of a loader's puzzling "no such file".
    """
    path = Path(name_or_path)
    if path.exists():
        return path
    text = str(name_or_path)
    if any(text in (entry.name, entry.filename) for entry in BUNDLED):
        return bundled_path(text)
    # A name as typed: its line break or ESC shown as an escape, never obeyed (a name
    # holding "\nworkbench: error: ..." would forge a second error line).
    raise WorkbenchError(f"{printable(text)}: no such file, nor a bundled dataset of that name "
                         f"(bundled: {', '.join(bundled_names())})")


def load_bundled(name: str, *, class_index: int | str | None = -1,
                 **options: Any) -> Dataset:
    """A bundled dataset, with the class set to the last attribute unless told otherwise
    (every bundled file keeps its class last, as WEKA's command line assumes)."""
    from workbench.data.io import load_dataset

    return load_dataset(bundled_path(name), class_index=class_index, **options)
