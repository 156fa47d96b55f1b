"""The bundled datasets: present, loadable, as documented, and rebuilt reproducibly."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from fuzzing import (
    FIXTURES,
    full_reference_only,
    read_reference_bytes,
    reference_datasets,
    reference_file,
)

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import (
    BUNDLED,
    bundled,
    bundled_names,
    bundled_path,
    datasets_dir,
    load_bundled,
)
from workbench.data.dataset import AttributeType

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    """The reference data the bundled files were copied or built from: the fixtures'
    WEKA files, or the full reference data (with ``sentiment/``) when
    ``WORKBENCH_REFERENCE_DATA`` names it."""
    return reference_datasets()


SHAPES = {
    "iris": (150, 5), "diabetes": (768, 9), "weather.nominal": (14, 5),
    "weather.numeric": (14, 5), "contact-lenses": (24, 5), "labor": (57, 17),
    "breast-cancer": (286, 10), "glass": (214, 10), "ionosphere": (351, 35),
    "vote": (435, 17), "credit-g": (1000, 21), "segment-challenge": (1500, 20),
    "segment-test": (810, 20), "digits": (1797, 65), "sentiment": (3000, 3),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_bundled_dataset_loads_with_its_class_last(name):
    dataset = load_bundled(name)
    assert (dataset.num_instances, dataset.num_attributes) == SHAPES[name]
    assert dataset.class_index == dataset.num_attributes - 1
    assert dataset.class_attribute.type is AttributeType.NOMINAL


def test_every_catalogue_entry_has_its_file_and_a_sources_entry():
    sources = (datasets_dir() / "SOURCES.md").read_text()
    assert set(bundled_names()) == {entry.name for entry in BUNDLED}
    for entry in BUNDLED:
        assert bundled_path(entry.name).is_file()
        assert f"`{entry.filename}`" in sources


def test_names_and_file_names_both_resolve():
    assert bundled("iris.arff") is bundled("iris")
    with pytest.raises(WorkbenchError, match=r"no bundled dataset named 'irises'.*iris"):
        bundled_path("irises")


def test_mnist_keeps_the_28_by_28_layout_in_its_names():
    mnist = load_bundled("mnist-test")
    assert (mnist.num_instances, mnist.num_attributes) == (10000, 785)
    assert mnist.attributes[0].name == "pixel_0_0"
    assert mnist.attributes[28 * 5 + 7].name == "pixel_5_7"
    assert mnist.attributes[783].name == "pixel_27_27"
    pixels = mnist.X[:, :784]
    assert pixels.min() == 0 and pixels.max() == 255 and np.all(pixels == np.round(pixels))
    counts = np.bincount(mnist.class_values.astype(int))
    assert counts.tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert bundled_path("mnist-test").stat().st_size < 4_000_000


def test_digits_and_sentiment_layouts():
    digits = load_bundled("digits")
    assert [a.name for a in digits.attributes[:9]] == [f"pixel_0_{c}" for c in range(8)] + \
        ["pixel_1_0"]
    assert digits.attributes[-1].values == tuple("0123456789")
    sentiment = load_bundled("sentiment")
    assert [a.type for a in sentiment.attributes] == ["string", "nominal", "nominal"]
    assert sentiment.attribute("source").values == ("amazon", "imdb", "yelp")
    assert np.bincount(sentiment.column("source").astype(int)).tolist() == [1000] * 3
    assert np.bincount(sentiment.class_values.astype(int)).tolist() == [1500, 1500]


def test_weka_files_are_byte_for_byte_copies():
    """Every bundled file WEKA ships is WEKA's own bytes (the fixtures keep large ones
    gzipped: compared uncompressed)."""
    compared = 0
    for entry in BUNDLED:
        original = reference_file(f"weka/{entry.filename}")
        if original is not None:
            assert bundled_path(entry.name).read_bytes() == read_reference_bytes(original), \
                entry.name
            compared += 1
    assert compared >= 10


def test_reference_fixtures_are_the_copies_their_sources_name():
    """Each vendored corpus file has a row in the fixtures' SOURCES.md, and its bytes
    (uncompressed) have the SHA-256 of the original written there: the fixtures are
    copies, never edited, and none ships without its source and licence."""
    rows = dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$",
                           (FIXTURES / "SOURCES.md").read_text(encoding="utf-8"), re.M))
    files = sorted(p for folder in ("corpus", "weka") for p in (FIXTURES / folder).iterdir())
    assert len(files) >= 70
    assert {p.name for p in files} == set(rows)
    for path in files:
        digest = hashlib.sha256(read_reference_bytes(path)).hexdigest()
        assert digest == rows[path.name], path.name


def _script():
    spec = importlib.util.spec_from_file_location("make_datasets",
                                                  REPO / "scripts" / "make_datasets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_rebuilds_digits_byte_for_byte(tmp_path):
    _script().main(["--out", str(tmp_path), "digits"])
    digest = hashlib.sha256((tmp_path / "digits.arff").read_bytes()).hexdigest()
    assert digest == hashlib.sha256(bundled_path("digits").read_bytes()).hexdigest()


@pytest.mark.skipif(not (_shared() / "sentiment").is_dir(),
                    reason=full_reference_only("sentiment/ (the sentences it is built from)"))
def test_the_script_rebuilds_sentiment_byte_for_byte(tmp_path):
    _script().main(["--shared", str(_shared()), "--out", str(tmp_path), "sentiment"])
    assert (tmp_path / "sentiment.arff").read_bytes() == bundled_path("sentiment").read_bytes()
