"""A numeric class of a few whole numbers (digits read back from a CSV) is refused with
the way out a WEKA user knows: NumericToNominal on the class alone."""

from __future__ import annotations

import numpy as np
import pytest
from classifier_helpers import make_dataset

from workbench.classifiers.capabilities import Capabilities, CapabilityError
from workbench.filters.nominal import NumericToNominal


def test_whole_number_class_values_get_the_numeric_to_nominal_hint():
    digits = make_dataset(np.zeros((6, 3)), [0, 1, 2, 9, 9, np.nan])
    with pytest.raises(CapabilityError) as refused:
        Capabilities().check(digits, "CNN")
    message = str(refused.value)
    assert message.startswith("CNN cannot handle a numeric class: class attribute 'class'")
    assert "its 4 values are whole numbers (0 to 9)" in message
    assert "NumericToNominal in Preprocess, with Attribute indices 4 (the class)" in message
    assert "workbench filter NumericToNominal -R 4" in message


def test_the_hinted_range_makes_the_class_nominal_and_leaves_the_attributes_numeric():
    digits = make_dataset(np.arange(12.0).reshape(6, 2), [0, 1, 2, 1, 0, 2])
    converted = NumericToNominal(attribute_indices="3").fit(digits).transform(digits)
    assert converted.class_attribute.num_values == 3
    assert all(a.type.name == "NUMERIC" for a in converted.attributes[:2])
    Capabilities().check(converted, "CNN")


@pytest.mark.parametrize("values", [[0.5, 1.5, 2.5], list(range(40)), [3, 3, 3]])
def test_a_truly_numeric_class_gets_no_such_hint(values):
    data = make_dataset(np.zeros((len(values), 1)), values)
    with pytest.raises(CapabilityError) as refused:
        Capabilities().check(data, "CNN")
    assert "NumericToNominal" not in str(refused.value)


def test_a_filter_that_changes_the_class_is_refused_inside_filtered_classifier():
    """WEKA's FilteredClassifier refuses a filter that modified the class attribute.
    NumericToNominal's default range takes the class in (as WEKA's does): inside a
    FilteredClassifier it turned a numeric class into labels whose numbers 0, 1, 2 were
    then scored as the class's values (MAE 28 where the right answer is 0)."""
    import numpy as np
    import pytest

    from workbench.classifiers.filtered import FilteredClassifier
    from workbench.core.errors import WorkbenchError
    from workbench.data.dataset import Attribute, Dataset

    y = np.array([10.5, 20.5, 30.25, 40.0, 50.0] * 2)
    data = Dataset("reg", [Attribute.numeric("x"), Attribute.numeric("y")],
                   np.column_stack([np.arange(10) % 5 + 1.0, y]), class_index=1)
    model = FilteredClassifier(filters="numeric-to-nominal", classifier="knn")
    with pytest.raises(WorkbenchError, match=r"made the numeric class 'y' nominal"):
        model.fit(data)
    kept = FilteredClassifier(filters="numeric-to-nominal -R 1", classifier="knn").fit(data)
    np.testing.assert_allclose(kept.predict(data), y)
