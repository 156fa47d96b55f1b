"""ImageAugment: more training images by small shifts, rotations and noise.

For image-shaped numeric data (digits' ``pixel_r_c`` attributes, MNIST rows), each
training image gets ``copies`` altered copies: moved by up to ``max_shift`` pixels,
turned by up to ``max_rotation`` degrees and given Gaussian noise. It is an instance
filter: only the data it is fitted on grows, so a test set (or a cross-validation test
fold, inside a filtered classifier) is never augmented.

The geometry is read from ``width`` and ``height``, or taken as a square when the number
of numeric attributes is a perfect square. The image operations are SciPy's
``ndimage.shift`` and ``ndimage.rotate`` (bilinear, filled with the background value);
results are clipped to the training pixel range so noise cannot invent impossible pixel
values. Missing pixels count as background.
"""

from __future__ import annotations

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, FilterError, dense, working_columns
from workbench.filters.growth import check_growth, row_bytes

# The most copies per image: a hundred, well past the handful augmentation uses (each
# copy is also a pass of SciPy's rotate and shift over every image).
MAX_COPIES = 100


class ImageAugment(Filter):
    """Adds shifted, rotated and noisy copies of every training image (instance filter).

    ``copies`` altered copies are added per image, after the originals (unless
    ``keep_original`` is off); they keep the original's class and weight. At most 100
    copies, and an output that would not fit in free memory is refused before it is made.
    """

    name = "image-augment"
    display_name = "ImageAugment"
    category = "instance"
    aliases = ("ImageAugment",)
    copies = Param.integer(1, "altered copies added per training image (at most 100)",
                           low=1, high=MAX_COPIES, letter="M")
    max_shift = Param.integer(1, "largest shift in pixels, each direction", low=0)
    max_rotation = Param.number(10.0, "largest rotation in degrees, either way",
                                low=0.0, high=180.0)
    noise = Param.number(0.0, "standard deviation of Gaussian noise, as a share of "
                         "the pixel range", low=0.0)
    width = Param.integer(None, "image width (none: square from the attribute count)",
                          low=1, nullable=True)
    height = Param.integer(None, "image height (none: square from the attribute count)",
                           low=1, nullable=True)
    keep_original = Param.boolean(True, "keep the original images as well")
    seed = Param.seed(1, "random seed", letter="S")

    def _geometry(self, data: Dataset) -> tuple[list[int], int, int]:
        pixels = working_columns(data, (AttributeType.NUMERIC,))
        count = len(pixels)
        if self.width is not None and self.height is not None:
            width, height = self.width, self.height
        elif self.width is not None or self.height is not None:
            side = self.width or self.height
            assert side is not None
            width, height = side, count // side if side else 0
        else:
            side = round(count ** 0.5)
            width = height = side
        if width * height != count or count == 0:
            raise FilterError(
                f"{self.title}: '{data.relation}' has {count} numeric attributes, which "
                f"do not form a {width} x {height} image; give --width and --height")
        return pixels, width, height

    def _fit(self, data: Dataset) -> None:
        self._geometry(data)
        n = data.num_instances
        rows = n * (self.copies + int(self.keep_original))
        # Every copy is held until they are stacked into the output, and each is made
        # through a few image-sized temporaries (measured on digits: 2.2 times the
        # output at 20 copies, 2.7 at 5).
        each = row_bytes(data, dense=True)
        result = rows * each
        check_growth(self, self.title, "copies", f"{self.copies} per image of {n:,}",
                     rows, data.num_attributes, result, 2 * result + 4 * n * each)

    def _apply(self, data: Dataset) -> Dataset:
        from scipy import ndimage

        pixels, width, height = self._geometry(data)
        X = dense(data)
        n: int = X.shape[0]
        rng = np.random.default_rng(self.seed)
        images = np.nan_to_num(X[:, pixels]).reshape(n, height, width)
        low = float(images.min()) if n else 0.0
        high = float(images.max()) if n else 0.0
        background = low
        copies = []
        for _ in range(self.copies):
            block = X.copy()
            altered = np.empty_like(images)
            shifts = rng.integers(-self.max_shift, self.max_shift + 1, size=(n, 2))
            angles = rng.uniform(-self.max_rotation, self.max_rotation, size=n)
            for i in range(n):
                image = images[i]
                if self.max_rotation > 0:
                    image = ndimage.rotate(image, angles[i], reshape=False, order=1,
                                           mode="constant", cval=background)
                if self.max_shift > 0:
                    image = ndimage.shift(image, shifts[i], order=0, mode="constant",
                                          cval=background)
                altered[i] = image
            if self.noise > 0:
                altered = altered + rng.normal(0.0, self.noise * (high - low), altered.shape)
            block[:, pixels] = np.clip(altered, low, high).reshape(n, len(pixels))
            copies.append(block)
        parts = ([X] if self.keep_original else []) + copies
        weights = np.concatenate([data.weights] * len(parts))
        return Dataset(data.relation, data.attributes, np.vstack(parts), weights,
                       data.class_index)

    def _describe(self) -> str:
        return (f"{self.copies} altered copies per image: shifts up to {self.max_shift} "
                f"pixels, rotations up to {self.max_rotation:g} degrees, noise "
                f"{self.noise:g}")
