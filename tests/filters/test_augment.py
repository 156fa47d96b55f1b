import numpy as np
import pytest

from workbench.data.catalog import load_bundled
from workbench.filters.augment import ImageAugment
from workbench.filters.base import FilterError


@pytest.fixture(scope="module")
def digits():
    return load_bundled("digits").select_rows(slice(0, 100))


def test_copies_are_added_after_originals_with_class_and_weight(digits):
    data = digits.with_weights(np.linspace(1, 2, 100))
    out = ImageAugment(copies=2).fit_transform(data)
    assert out.num_instances == 300
    assert np.array_equal(out.X[:100], data.X)
    assert np.array_equal(out.class_values, np.tile(data.class_values, 3))
    assert np.array_equal(out.weights, np.tile(data.weights, 3))
    assert not np.array_equal(out.X[100:200, :64], data.X[:, :64])
    assert out.X[:, :64].min() >= 0 and out.X[:, :64].max() <= 16


def test_pure_shift_moves_pixels(digits):
    out = ImageAugment(max_rotation=0.0, max_shift=1, keep_original=False,
                       seed=3).fit_transform(digits)
    original = digits.X[:, :64].reshape(-1, 8, 8)
    moved = out.X[:, :64].reshape(-1, 8, 8)
    # every copy is the original moved by a whole number of pixels (zero padded)
    for a, b in zip(original[:20], moved[:20], strict=True):
        assert any(np.array_equal(np.roll(np.roll(a, dy, 0), dx, 1)[1:-1, 1:-1], b[1:-1, 1:-1])
                   for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def test_same_seed_same_images_and_test_data_untouched(digits):
    a = ImageAugment(noise=0.05).fit_transform(digits)
    b = ImageAugment(noise=0.05).fit_transform(digits)
    assert a.equals(b)
    other = load_bundled("digits").select_rows(slice(100, 150))
    f = ImageAugment().fit(digits)
    assert f.transform(other) is other


def test_geometry_must_fit(iris):
    with pytest.raises(FilterError, match="do not form"):
        ImageAugment().fit(iris.select_rows(slice(0, 5)).remove_attributes([0]))
    out = ImageAugment(width=2, height=2, max_rotation=0).fit_transform(iris)
    assert out.num_instances == 300
