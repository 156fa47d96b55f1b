"""``map_to_header``: WEKA InputMappedClassifier's rules for a test set with another header."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.data import header_mapping
from workbench.data.dataset import Attribute, Dataset
from workbench.data.header_mapping import incompatibility, map_to_header

NAN = np.nan


def _training() -> Dataset:
    return Dataset("train", [Attribute.numeric("age"),
                             Attribute.nominal("region", ["East", "South", "North"]),
                             Attribute.nominal("churn", ["churn", "stay"])],
                   np.array([[30, 0, 0], [40, 2, 1]], dtype=float), class_index=2)


def test_labels_are_matched_by_text_whatever_their_order():
    test = Dataset("test", [Attribute.numeric("age"),
                            Attribute.nominal("region", ["North", "East", "South"]),
                            Attribute.nominal("churn", ["stay", "churn"])],
                   np.array([[50, 0, 0], [60, 1, 1], [70, 2, NAN]]))
    mapped, report = map_to_header(test, _training())
    assert mapped.header_matches(_training()) is None
    assert mapped.class_index == 2
    np.testing.assert_array_equal(mapped.X, [[50, 2, 1], [60, 0, 0], [70, 1, NAN]])
    assert report.reordered == ("region", "churn")
    assert not report.changed_values
    assert "another order" in report.first_difference()


def test_an_unseen_label_becomes_missing_and_is_counted_by_name():
    test = Dataset("test", [Attribute.numeric("age"),
                            Attribute.nominal("region", ["Central", "East", "West"]),
                            Attribute.nominal("churn", ["churn", "stay"])],
                   np.array([[1, 0, 0], [2, 0, 1], [3, 1, 1], [4, 2, 0]]))
    mapped, report = map_to_header(test, _training())
    np.testing.assert_array_equal(mapped.X[:, 1], [NAN, NAN, 0, NAN])
    assert [(u.attribute, u.counts) for u in report.unseen] == [
        ("region", (("Central", 2), ("West", 1)))]
    assert report.first_difference() == ("attribute 'region' has the label 'Central' "
                                          "(2 rows), which the training data does not have")
    assert "'Central' (2 rows), 'West' (1 row)" in "\n".join(report.summary_lines())


def test_absent_attributes_are_missing_and_extra_ones_ignored_by_name_not_position():
    test = Dataset("test", [Attribute.nominal("customer_id", ["C1", "C2"]),
                            Attribute.nominal("churn", ["churn", "stay"]),
                            Attribute.date("date")],
                   np.array([[0, 1, 86400.0], [1, 0, 0.0]]))
    mapped, report = map_to_header(test, _training())
    np.testing.assert_array_equal(mapped.X, [[NAN, NAN, 1], [NAN, NAN, 0]])
    assert report.absent == ("age", "region")
    assert report.ignored == ("customer_id", "date")
    assert report.sources == (None, None, 2)
    assert report.first_difference() == ("the training data's attribute 'age' is not in "
                                          "the test set")
    text = report.weka_text()
    assert "(numeric) age" in text and "- missing (no match)" in text
    assert "--> 2 (nominal) churn" in text
    assert "Ignored (not in the training data): 'customer_id', 'date'." in text


def test_names_match_exactly_unless_case_and_blanks_are_to_be_ignored():
    test = Dataset("test", [Attribute.numeric(" AGE "),
                            Attribute.nominal("Region", ["East"]),
                            Attribute.nominal("churn", ["churn", "stay"])],
                   np.array([[5, 0, 1]]))
    _, strict = map_to_header(test, _training())
    assert strict.absent == ("age", "region")
    mapped, loose = map_to_header(test, _training(), ignore_case=True, trim=True)
    assert loose.absent == ()
    np.testing.assert_array_equal(mapped.X, [[5, 0, 1]])
    _, case_only = map_to_header(test, _training(), ignore_case=True)
    assert case_only.absent == ("age",)        # blanks still count without trim


def test_an_exact_name_wins_over_one_that_differs_in_case():
    test = Dataset("test", [Attribute.numeric("AGE"), Attribute.numeric("age")],
                   np.array([[1, 2]]))
    mapped, _ = map_to_header(test, _training(), ignore_case=True)
    assert mapped.X[0, 0] == 2


def test_labels_are_never_matched_ignoring_case():
    test = Dataset("test", [Attribute.nominal("region", ["east"])], np.array([[0]]))
    mapped, report = map_to_header(test, _training(), ignore_case=True)
    assert np.isnan(mapped.X[0, 1])
    assert report.unseen[0].counts == (("east", 1),)


def test_a_type_clash_is_missing_and_reported_as_one():
    test = Dataset("test", [Attribute.nominal("age", ["51", "NA"]),
                            Attribute.numeric("region"),
                            Attribute.nominal("churn", ["churn", "stay"])],
                   np.array([[0, 1, 0]]))
    mapped, report = map_to_header(test, _training())
    assert np.isnan(mapped.X[0, :2]).all()
    assert [(c.attribute, c.training_type, c.test_type, c.test_position)
            for c in report.type_clashes] == [("age", "numeric", "nominal", 1),
                                              ("region", "nominal", "numeric", 2)]
    assert "1 missing (type mis-match)" in report.weka_text()
    assert report.first_difference() == ("attribute 'age' is nominal in the test set, "
                                          "numeric in the training data")


def test_a_test_set_without_the_class_has_every_class_value_missing():
    test = Dataset("test", [Attribute.numeric("age")], np.array([[1.0], [2.0]]))
    mapped, report = map_to_header(test, _training())
    assert mapped.class_index == 2 and np.isnan(mapped.class_values).all()
    assert report.class_absent
    assert report.summary_lines()[0].startswith("The class 'churn' is not in the test set")


def test_weights_rows_and_sparse_data_survive():
    test = Dataset("test", [Attribute.numeric("age"),
                            Attribute.nominal("churn", ["churn", "stay"])],
                   sp.csr_matrix(np.array([[0.0, 1.0], [3.0, 0.0]])),
                   weights=np.array([2.0, 0.5]))
    mapped, _ = map_to_header(test, _training())
    np.testing.assert_array_equal(mapped.weights, [2.0, 0.5])
    np.testing.assert_array_equal(mapped.X, [[0, NAN, 1], [3, NAN, 0]])


def test_a_header_identical_test_set_is_reported_identical():
    _, report = map_to_header(_training(), _training())
    assert report.identical and report.first_difference() is None


def test_a_relational_training_attribute_is_refused_in_our_error_type():
    bag = Attribute.relational("bag", [Attribute.numeric("x")])
    header = Dataset("mi", [bag, Attribute.nominal("c", ["a", "b"])], np.empty((0, 2)),
                     class_index=1)
    with pytest.raises(WorkbenchError, match="relational"):
        map_to_header(header, header)


def _differing_test_sets() -> list[Dataset]:
    """One test set per kind of difference, in the order the question names them."""
    region = ["East", "South", "North"]
    churn = ["churn", "stay"]
    return [
        Dataset("reordered labels", [Attribute.numeric("age"),
                                     Attribute.nominal("region", region),
                                     Attribute.nominal("churn", ["stay", "churn"])],
                np.array([[1, 0, 0], [2, 1, 1]])),
        Dataset("unseen labels", [Attribute.numeric("age"),
                                  Attribute.nominal("region", ["East", "West", "Central"]),
                                  Attribute.nominal("churn", churn)],
                np.array([[1, 1, 0], [2, 1, 1], [3, 2, 0], [4, NAN, 1]])),
        Dataset("sparse, unseen first label", [Attribute.numeric("age"),
                                               Attribute.nominal("region", ["West", "East"]),
                                               Attribute.nominal("churn", churn)],
                sp.csr_matrix(np.array([[1.0, 0, 0], [2, 0, 1], [3, 1, 0]]))),
        Dataset("absent", [Attribute.nominal("churn", churn)], np.array([[0.0]])),
        Dataset("type clash", [Attribute.numeric("age"), Attribute.numeric("region"),
                               Attribute.nominal("churn", churn)], np.array([[1, 2, 0]])),
        Dataset("extra", [Attribute.numeric("age"), Attribute.nominal("region", region),
                          Attribute.nominal("churn", churn), Attribute.numeric("id")],
                np.array([[1, 0, 0, 7]])),
        Dataset("moved", [Attribute.nominal("region", region), Attribute.numeric("age"),
                          Attribute.nominal("churn", churn)], np.array([[0, 1, 0]])),
    ]


def test_the_compatibility_question_names_what_the_mapping_would_report():
    words = [incompatibility(_training(), test) for test in _differing_test_sets()]
    assert words == [map_to_header(test, _training())[1].first_difference()
                     for test in _differing_test_sets()]
    assert words[1] == ("attribute 'region' has the label 'West' (2 rows), which the "
                        "training data does not have")
    assert words[2] == ("attribute 'region' has the label 'West' (2 rows), which the "
                        "training data does not have")   # implicit zeros count as code 0


def test_the_compatibility_question_never_copies_the_test_set(monkeypatch):
    """Asked on the GUI thread at every Start: a copy of a million-row test set took
    seconds and a GB there (and a MemoryError escaped from Start)."""

    def no_copy(*_: object) -> np.ndarray:
        raise MemoryError("the question copied the whole test set")

    monkeypatch.setattr(header_mapping, "dense_copy", no_copy)
    for test in _differing_test_sets():
        assert incompatibility(_training(), test) is not None
    assert incompatibility(_training(), _training()) is None
