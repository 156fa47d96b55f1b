"""A value spelled like a missing value ("?" or the empty string) is quoted on writing and
read back as that value; only the bare ? and the empty field are missing."""

import numpy as np

from workbench.data.csv import read_csv, write_csv
from workbench.data.dataset import Attribute, Dataset


def test_question_mark_and_empty_labels_survive_a_round_trip(tmp_path):
    labels = Attribute.nominal("answer", ["?", "", "yes"])
    data = Dataset("quiz", [labels, Attribute.numeric("n")],
                   np.array([[0, 1], [1, 2], [2, np.nan], [np.nan, 4]], dtype=float))
    path = tmp_path / "quiz.csv"
    write_csv(data, path)
    assert path.read_text().splitlines()[1:] == ['"?",1', '"",2', "yes,?", "?,4"]
    again = read_csv(path)
    answers = [again.value_text(i, 0) if not np.isnan(again.X[i, 0]) else None
               for i in range(4)]
    assert answers == ["?", "", "yes", None]
    assert np.isnan(again.X[2, 1]) and again.X[3, 1] == 4


def test_quoted_lookalikes_inside_longer_fields_are_left_alone(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n"x,""?""",?\n"?",""\n')
    data = read_csv(path)
    assert data.value_text(0, 0) == 'x,"?"' and np.isnan(data.X[0, 1])
    assert data.value_text(1, 0) == "?" and data.value_text(1, 1) == ""


def test_escaped_quotes_inside_a_field_are_not_taken_for_empty_fields(tmp_path):
    """``"x,"",y"`` holds a doubled quote between commas: one field, not three."""
    data = Dataset("notes", [Attribute.string("note", ['x,",y', "", "?"])],
                   np.array([[0.0], [1.0], [2.0], [np.nan]]))
    path = tmp_path / "notes.csv"
    write_csv(data, path)
    again = read_csv(path)
    assert [again.value_text(i, 0) for i in range(3)] == ['x,",y', "", "?"]
    assert np.isnan(again.X[3, 0])
