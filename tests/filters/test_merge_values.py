"""MergeTwoValues, MergeManyValues, RenameNominalValues: WEKA's output, written out.

Every expected file below is what WEKA 3.9.7 wrote for the same input and options
(``java weka.filters.unsupervised.attribute.MergeTwoValues -C 2 -F 1 -S 4 -i in.arff``),
blank lines aside; no WEKA runs here.
"""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.core.errors import ParameterError
from workbench.data.arff import read_arff
from workbench.filters.base import FilterError
from workbench.filters.merge_values import (
    MergeManyValues,
    MergeTwoValues,
    RenameNominalValues,
    merged_label,
)

# Spellings as an Excel export has them; the class is last, one value is missing.
SMOKERS = """@relation s
@attribute age numeric
@attribute smoker {Yes,no,NO,yes,No}
@attribute churn {churn,stay}
@data
30,Yes,churn
41,no,stay
52,NO,stay
63,yes,churn
74,No,stay
85,?,stay
"""


def _lines(path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


def _run(tmp_path, *args: str) -> list[str]:
    source, out = tmp_path / "in.arff", tmp_path / "out.arff"
    source.write_text(SMOKERS)
    assert main(["filter", *args, "-i", str(source), "-o", str(out)]) == 0
    return _lines(out)


def _data(lines: list[str]) -> list[str]:
    return lines[lines.index("@data") + 1:]


def test_merge_two_values_writes_wekas_file(tmp_path):
    lines = _run(tmp_path, "MergeTwoValues", "-C", "2", "-F", "1", "-S", "4")
    assert lines[0] == "@relation s-weka.filters.unsupervised.attribute.MergeTwoValues-C2-F1-S4"
    assert lines[2] == "@attribute smoker {Yes_yes,no,NO,No}"
    assert _data(lines) == ["30,Yes_yes,churn", "41,no,stay", "52,NO,stay",
                            "63,Yes_yes,churn", "74,No,stay", "85,?,stay"]


def test_merge_two_values_defaults_are_first_and_last_of_the_last_attribute(tmp_path):
    lines = _run(tmp_path, "MergeTwoValues")
    assert lines[0].endswith("MergeTwoValues-Clast-Ffirst-Slast")
    assert lines[3] == "@attribute churn {churn_stay}"


def test_merge_many_values_appends_the_new_label_and_takes_its_spellings(tmp_path):
    # -L Yes also takes 'yes' in (WEKA compares the new label ignoring case).
    lines = _run(tmp_path, "MergeManyValues", "-C", "2", "-L", "Yes", "-R", "1")
    assert lines[0] == ("@relation s-weka.filters.unsupervised.attribute."
                        "MergeManyValues-C2-LYes-R1")
    assert lines[2] == "@attribute smoker {no,NO,No,Yes}"
    assert [row.split(",")[1] for row in _data(lines)] == ["Yes", "no", "NO", "Yes",
                                                         "No", "?"]


def test_rename_nominal_values_merges_spellings_in_order_of_first_appearance(tmp_path):
    lines = _run(tmp_path, "RenameNominalValues", "-R", "2", "-N", "yes:Yes,NO:No,no:No")
    assert lines[0] == ("@relation 's-weka.filters.unsupervised.attribute."
                        "RenameNominalValues-R2-Nyes:Yes,NO:No,no:No'")
    assert lines[2] == "@attribute smoker {Yes,No}"
    assert [row.split(",")[1] for row in _data(lines)] == ["Yes", "No", "No", "Yes",
                                                         "No", "?"]


def test_rename_by_name_ignoring_case():
    data = read_arff(_text_io(SMOKERS))
    out = RenameNominalValues(selected_attributes="smoker", value_replacements="YES:y,no:n",
                              ignore_case=True).fit_transform(data)
    assert out.attributes[1].values == ("y", "n")  # no, NO and No are all 'no' to -I
    assert out.attributes[0].is_numeric


def test_rename_swaps_and_leaves_other_attributes():
    data = read_arff(_text_io(SMOKERS))
    out = RenameNominalValues(selected_attributes="1,2", value_replacements="Yes:no,no:Yes"
                              ).fit_transform(data)
    assert out.attributes[1].values == ("no", "Yes", "NO", "yes", "No")
    assert out.value_text(0, 1) == "no" and out.value_text(1, 1) == "Yes"


def test_a_fitted_filter_applies_to_other_data_with_the_header():
    data = read_arff(_text_io(SMOKERS))
    merge = MergeTwoValues(attribute_index="2", first_value_index="2",
                           second_value_index="3").fit(data.select_rows([0]))
    out = merge.transform(data)
    assert out.attributes[1].values == ("Yes", "no_NO", "yes", "No")
    assert [out.value_text(i, 1) for i in range(6)] == ["Yes", "no_NO", "no_NO", "yes",
                                                        "No", "?"]


def test_quoted_interval_labels_merge_inside_one_pair_of_quotes():
    assert merged_label("'(-inf-4.6]'", "'(4.6-inf)'") == "'(-inf-4.6]_(4.6-inf)'"
    assert merged_label("a", "b") == "a_b"


@pytest.mark.parametrize(("component", "words"), [
    (MergeTwoValues(attribute_index="1"), "Chosen attribute not nominal"),
    (MergeTwoValues(attribute_index="2", first_value_index="3", second_value_index="2"),
     "The second index has to be greater than the first"),
    (MergeTwoValues(attribute_index="2", first_value_index="1", second_value_index="9"),
     "'9' does not exist (there are 5)"),
    (MergeTwoValues(attribute_index="3"), "Cannot process class attribute"),
    (MergeManyValues(attribute_index="1"), "Chosen attribute not nominal"),
    (MergeManyValues(attribute_index="2", merge_value_range="1,7"),
     "'7' does not exist (there are 5)"),
    (MergeManyValues(attribute_index="last"), "Cannot process class attribute"),
    (RenameNominalValues(selected_attributes="2", value_replacements="yes"),
     "Invalid replacement string: 'yes'"),
    (RenameNominalValues(selected_attributes="2", value_replacements="yes:"),
     "Invalid replacement string: 'yes:'"),
    (RenameNominalValues(selected_attributes="9", value_replacements="yes:Yes"),
     "Unable to find attribute '9'"),
])
def test_refusals_in_wekas_words(component, words):
    data = read_arff(_text_io(SMOKERS))
    data = data.with_class(2)
    with pytest.raises((FilterError, ParameterError)) as error:
        component.fit(data)
    assert words in str(error.value)


def test_a_merged_label_that_exists_already_is_refused():
    text = SMOKERS.replace("{Yes,no,NO,yes,No}", "{Yes,no,NO,yes,No,Yes_no}")
    with pytest.raises(FilterError, match=r"cannot have duplicate labels \(Yes_no\)"):
        MergeTwoValues(attribute_index="2", first_value_index="1",
                       second_value_index="2").fit(read_arff(_text_io(text)))


def test_the_command_line_refuses_a_numeric_column_with_status_2(tmp_path, capsys):
    source = tmp_path / "in.arff"
    source.write_text(SMOKERS)
    assert main(["filter", "MergeTwoValues", "-C", "1", "-i", str(source), "-o",
                 str(tmp_path / "o.arff")]) == 2
    err = capsys.readouterr().err
    assert "Chosen attribute not nominal: attribute 1 'age' is numeric" in err
    assert "Traceback" not in err


def _text_io(text: str):
    import io

    return io.StringIO(text)
