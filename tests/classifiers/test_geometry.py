"""Image geometry inference: which attribute is which pixel."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.classifiers.geometry import (
    guessed_too_small,
    infer_geometry,
    parse_shape,
    pixel_scale,
)
from workbench.core.errors import ParameterError, WorkbenchError
from workbench.data.dataset import Attribute, Dataset


def _dataset(names: list[str], rows: int = 2, with_class: bool = True) -> Dataset:
    attributes = [Attribute.numeric(n) for n in names]
    X = np.arange(rows * len(names), dtype=float).reshape(rows, len(names))
    if with_class:
        attributes.append(Attribute.nominal("class", ["a", "b"]))
        X = np.column_stack([X, np.zeros(rows)])
        return Dataset("img", attributes, X, class_index=len(attributes) - 1)
    return Dataset("img", attributes, X)


def test_position_names_give_shape_and_row_major_order_even_when_shuffled():
    names = [f"pixel_{r}_{c}" for r in range(2) for c in range(3)]
    shuffled = [names[i] for i in (5, 0, 3, 1, 4, 2)]
    data = _dataset(shuffled)
    geometry = infer_geometry(data)
    assert geometry.shape == (1, 2, 3)
    assert geometry.source == "names"
    images = geometry.images(data)
    # Pixel (r, c) must come from the attribute named pixel_r_c.
    for r in range(2):
        for c in range(3):
            column = shuffled.index(f"pixel_{r}_{c}")
            assert images[1, 0, r, c] == data.X[1, column]


def test_channel_row_col_names_give_channels():
    names = [f"px_{k}_{r}_{c}" for k in range(3) for r in range(2) for c in range(2)]
    geometry = infer_geometry(_dataset(names))
    assert geometry.shape == (3, 2, 2)


def test_numbered_names_read_as_a_square_whatever_the_base():
    for base in (0, 1):
        names = [f"pixel{i + base}" for i in range(16)]
        geometry = infer_geometry(_dataset(names[::-1]))
        assert geometry.shape == (1, 4, 4)
        assert geometry.source == "numbered"
        assert geometry.columns[0] == 15  # pixel0/pixel1 is the last attribute


def test_square_count_of_plain_names():
    geometry = infer_geometry(_dataset([f"f{c}x" for c in range(9)], with_class=False))
    assert geometry.shape == (1, 3, 3)
    assert geometry.source == "square"


def test_explicit_shape_and_its_errors():
    data = _dataset([f"a{i}b" for i in range(12)])
    assert infer_geometry(data, "3,2,2").shape == (3, 2, 2)
    assert infer_geometry(data, (1, 3, 4)).shape == (1, 3, 4)
    with pytest.raises(WorkbenchError, match="needs 16 pixel attributes"):
        infer_geometry(data, "4x4")
    with pytest.raises(WorkbenchError, match="give the shape explicitly"):
        infer_geometry(data)


def test_incomplete_grid_names_the_missing_pixel():
    names = [*[f"pixel_{r}_{c}" for r in range(2) for c in range(2)][:-1], "pixel_2_0"]
    with pytest.raises(WorkbenchError, match="row 1, column 1"):
        infer_geometry(_dataset(names))


def test_non_numeric_input_is_refused_by_name():
    attributes = [Attribute.numeric(f"pixel_0_{c}") for c in range(2)]
    attributes.append(Attribute.nominal("colour", ["r", "g"]))
    attributes.append(Attribute.nominal("class", ["a", "b"]))
    data = Dataset("img", attributes, np.zeros((1, 4)), class_index=3)
    with pytest.raises(WorkbenchError, match="'colour' is nominal"):
        infer_geometry(data)


def test_parse_shape():
    assert parse_shape("auto") is None
    assert parse_shape("28,28") == (1, 28, 28)
    assert parse_shape("3x32x32") == (3, 32, 32)
    for bad in ("28", "a,b", "0,4,4", "1,2,3,4"):
        with pytest.raises(ParameterError):
            parse_shape(bad)


def test_pixel_scale():
    assert pixel_scale(np.array([0.0, 255.0])) == pytest.approx(1 / 255)
    assert pixel_scale(np.array([0.0, 16.0])) == pytest.approx(1 / 16)
    assert pixel_scale(np.array([0.0, 0.5])) == 1.0
    assert pixel_scale(np.array([-1.0, 2.0])) == 0.0


def test_a_few_attributes_that_count_to_a_square_are_no_image():
    iris_like = infer_geometry(_dataset(["sepallength", "sepalwidth", "petallength",
                                         "petalwidth"]))
    assert guessed_too_small(iris_like)
    assert not guessed_too_small(infer_geometry(_dataset([f"f{c}x" for c in range(64)])))
    named = [f"pixel_{r}_{c}" for r in range(2) for c in range(2)]
    assert not guessed_too_small(infer_geometry(_dataset(named)))
    assert not guessed_too_small(infer_geometry(_dataset(["a", "b", "c", "d"]), "1,2,2"))
