"""Columns of numbers that a few placeholder words made nominal."""

from __future__ import annotations

from workbench.data.csv import read_csv
from workbench.data.csv_options import ColumnNumber
from workbench.data.missing_tokens import markers_with, numbers_with_tokens


def _read(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text)
    return read_csv(path)


def test_numbers_with_a_few_words_are_found_in_order(tmp_path):
    ds = _read(tmp_path, "a,b,c,d\n1,x,n/a,3\n2,y,5,-\n3,z,6,-\nNA,x,7,4\nnull,y,8,5\n")
    found = {f.column: f for f in numbers_with_tokens(ds)}
    assert set(found) == {"a", "c", "d"}   # b is words: a real nominal attribute
    assert found["a"].tokens == ("NA", "null") and found["a"].cells == 2
    assert found["a"].text() == "a: numbers except 'NA', 'null' (2 cells)"
    assert found["c"].text() == "c: numbers except 'n/a' (1 cell)"
    assert found["d"].tokens == ("-",)


def test_words_with_digits_or_mostly_words_are_not_placeholders(tmp_path):
    ds = _read(tmp_path, "w,m\n12 kg,1\n3,x\n4,x\n5,x\n")
    assert numbers_with_tokens(ds) == []


def test_forced_columns_are_left_out(tmp_path):
    ds = _read(tmp_path, "a,b\n1,1\n2,2\nNA,NA\n")
    assert [f.column for f in numbers_with_tokens(ds, ["a"])] == ["b"]
    assert [f.column for f in numbers_with_tokens(ds, [ColumnNumber("2")])] == ["a"]


def test_markers_keep_question_mark_unless_others_were_typed():
    assert markers_with(["NA"]) == ["NA", "?"]
    assert markers_with(["NA"], ["-", ""]) == ["NA", "-"]
