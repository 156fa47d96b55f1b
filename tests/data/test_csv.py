"""Reading CSV files: delimiters, quoting, missing values, types, overrides, errors."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path

import numpy as np
import pytest

from workbench.core.errors import DataFormatError, ParameterError, WorkbenchWarning
from workbench.data.csv import ColumnNumber, detect_delimiter, read_csv
from workbench.data.dataset import AttributeType
from workbench.data.dates import parse_date


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def labels(dataset, key) -> list[str]:
    return [dataset.value_text(i, key) for i in range(dataset.num_instances)]


# Delimiters --------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected_even_when_quoted_fields_contain_others(tmp_path, delimiter):
    others = "".join(d for d in ",;\t" if d != delimiter)
    rows = ["name{d}x{d}y", '"a{o}b"{d}1{d}2', '"c{o}d"{d}3{d}4', "e{d}5{d}6"]
    text = "\n".join(r.format(d=delimiter, o=others) for r in rows) + "\n"
    dataset = read_csv(write(tmp_path, text))
    assert [a.name for a in dataset.attributes] == ["name", "x", "y"]
    assert labels(dataset, "name") == [f"a{others}b", f"c{others}d", "e"]
    assert dataset.column("y").tolist() == [2, 4, 6]


def test_detect_delimiter_prefers_the_consistent_split():
    assert detect_delimiter("a;b;c\n1,5;2;3\n4;5,5;6\n") == ";"
    assert detect_delimiter("a,b\n1,2\n") == ","
    assert detect_delimiter("just one column\nvalue\n") == ","


def test_an_explicit_delimiter_wins(tmp_path):
    dataset = read_csv(write(tmp_path, "a|b\n1|2\n"), delimiter="|")
    assert dataset.num_attributes == 2


# Quoting, line ends, encodings ---------------------------------------------------------

def test_rfc4180_quotes_doubled_quotes_and_quoted_line_breaks(tmp_path):
    text = 'id,text\n1,"say ""hi"", then go"\n2,"two\nlines"\n3,plain\n'
    dataset = read_csv(write(tmp_path, text), string=["text"])
    assert labels(dataset, "text") == ['say "hi", then go', "two\nlines", "plain"]


def test_backslash_escaped_quotes_are_understood(tmp_path):
    dataset = read_csv(write(tmp_path, 'a,b\n1,"b"\n2,"my name is \\"joe\\""\n'))
    assert labels(dataset, "b") == ["b", 'my name is "joe"']


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_crlf_cr_and_lf_read_alike(tmp_path, newline):
    text = newline.join(["a,b", "1,x", "2,y", ""])
    dataset = read_csv(write(tmp_path, text))
    assert dataset.num_instances == 2
    assert labels(dataset, "b") == ["x", "y"]


def test_a_byte_order_mark_is_not_part_of_the_first_name(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n1,2\n", encoding="utf-8-sig"))
    assert dataset.attributes[0].name == "a"


def test_gzip_files_read_like_plain_ones(tmp_path):
    path = tmp_path / "d.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,x\n2,y\n"))
    dataset = read_csv(path)
    assert dataset.relation == "d"
    assert dataset.column("a").tolist() == [1, 2]


def test_blank_lines_are_skipped(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n1,2\n\n3,4\n\n"))
    assert dataset.column("a").tolist() == [1, 3]


def test_relation_is_the_file_name(tmp_path):
    assert read_csv(write(tmp_path, "a\n1\n", "weather.csv")).relation == "weather"
    assert read_csv(write(tmp_path, "a\n1\n"), relation="r").relation == "r"


# Missing values ----------------------------------------------------------------------

def test_question_mark_and_empty_fields_are_missing(tmp_path):
    dataset = read_csv(write(tmp_path, "x,c\n1,a\n?,?\n,\n4,b\n"))
    assert np.isnan(dataset.column("x")).tolist() == [False, True, True, False]
    assert labels(dataset, "c") == ["a", "?", "?", "b"]
    assert dataset.attribute("c").values == ("a", "b")


def test_missing_markers_can_be_chosen(tmp_path):
    dataset = read_csv(write(tmp_path, "x,y\n1,***\n?,2\n"), missing=("***",))
    assert dataset.attribute("x").type is AttributeType.NOMINAL  # "?" is now a label
    assert np.isnan(dataset.column("y")[0]) and dataset.column("y")[1] == 2


def test_typed_markers_keep_the_empty_field_missing(tmp_path):
    """WEKA's ``-M NA`` replaces its ``?`` but an empty field stays missing: typing NA
    must not make the empty cells a label ``''`` and the column nominal. A quoted
    ``""`` is still the empty string, as the writer quotes it."""
    text = 'age,smoker\n35,Yes\nNA,\n,no\n40,?\n41,""\n'
    dataset = read_csv(write(tmp_path, text), missing=("NA",))
    assert dataset.attribute("age").type is AttributeType.NUMERIC
    assert np.isnan(dataset.column("age")).tolist() == [False, True, True, False, False]
    assert dataset.attribute("smoker").values == ("Yes", "no", "?", "")
    assert np.isnan(dataset.column("smoker")).tolist() == [False, True, False, False,
                                                           False]


def test_typed_markers_keep_the_empty_field_missing_in_a_wide_file(tmp_path):
    names = ",".join(f"a{j}" for j in range(2000))
    rows = [",".join(["1"] * 2000), ",".join(["NA", ""] + ["2"] * 1998)]
    dataset = read_csv(write(tmp_path, "\n".join([names, *rows]) + "\n"),
                       missing=("NA",))
    assert dataset.attribute("a1").type is AttributeType.NUMERIC
    assert np.isnan(dataset.column("a0")[1]) and np.isnan(dataset.column("a1")[1])


# Types -----------------------------------------------------------------------------

def test_a_column_is_numeric_only_when_every_value_is_a_number(tmp_path):
    text = "a,b,c\n1, 2.5 ,x\n-3e2,7,1\ninf,?,2\n"
    dataset = read_csv(write(tmp_path, text))
    kinds = [a.type for a in dataset.attributes]
    assert kinds == [AttributeType.NUMERIC, AttributeType.NUMERIC, AttributeType.NOMINAL]
    assert dataset.column("a").tolist() == [1, -300, np.inf]
    assert dataset.column("b")[:2].tolist() == [2.5, 7]
    assert dataset.attribute("c").values == ("x", "1", "2")


def test_nominal_labels_keep_their_order_of_first_appearance(tmp_path):
    dataset = read_csv(write(tmp_path, "c\nzebra\napple\nzebra\nmango\napple\n"))
    assert dataset.attribute("c").values == ("zebra", "apple", "mango")
    assert dataset.column("c").tolist() == [0, 1, 0, 2, 1]


def test_booleans_stay_nominal_with_the_files_own_spelling(tmp_path):
    dataset = read_csv(write(tmp_path, "x,flag\n1,TRUE\n2,false\n3,TRUE\n"))
    assert dataset.attribute("flag").values == ("TRUE", "false")


def test_long_mostly_distinct_text_becomes_a_string_attribute(tmp_path):
    sentences = [f"this is sentence number {i} and it is fairly long" for i in range(40)]
    short = [f"k{i % 30}" for i in range(40)]
    text = "s,k\n" + "".join(f"{s},{k}\n" for s, k in zip(sentences, short, strict=True))
    dataset = read_csv(write(tmp_path, text))
    assert dataset.attribute("s").type is AttributeType.STRING
    assert dataset.attribute("k").type is AttributeType.NOMINAL  # distinct but short
    assert read_csv(write(tmp_path, text), max_nominal=10).attribute("k").type \
        is AttributeType.STRING


def test_iso_dates_are_detected_and_other_date_text_is_not(tmp_path):
    text = ("d,t,local\n2024-03-01,2024-03-01T12:30:00,01.03.24\n"
            "2024-03-02,2024-03-02T00:00:05,02.03.24\n?,?,?\n")
    dataset = read_csv(write(tmp_path, text))
    d, t, local = dataset.attributes
    assert d.type is AttributeType.DATE and d.date_format == "yyyy-MM-dd"
    assert t.type is AttributeType.DATE and t.date_format == "yyyy-MM-dd'T'HH:mm:ss"
    assert local.type is AttributeType.NOMINAL
    assert dataset.column("d")[0] == parse_date("2024-03-01", "yyyy-MM-dd")
    assert dataset.column("t")[1] == parse_date("2024-03-02T00:00:05")
    assert np.isnan(dataset.column("t")[2])


def test_an_all_missing_column_is_numeric(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n1,?\n2,\n"))
    assert dataset.attribute("b").type is AttributeType.NUMERIC
    assert np.isnan(dataset.column("b")).all()


# Overrides -------------------------------------------------------------------------

def test_columns_can_be_forced_by_name_or_index(tmp_path):
    text = "code,size,note\n10,1.5,a\n20,2.5,b\n10,3.5,a\n"
    dataset = read_csv(write(tmp_path, text), nominal=["code"], string=[2])
    assert dataset.attribute("code").type is AttributeType.NOMINAL
    assert dataset.attribute("code").values == ("10", "20")
    assert dataset.attribute("note").type is AttributeType.STRING
    assert dataset.attribute("size").type is AttributeType.NUMERIC


def test_forced_nominal_keeps_the_text_as_written(tmp_path):
    dataset = read_csv(write(tmp_path, "z\n007\n7\n"), nominal=["z"])
    assert dataset.attribute("z").values == ("007", "7")


def test_forced_dates_use_the_given_java_pattern(tmp_path):
    dataset = read_csv(write(tmp_path, "when\n01.03.2024\n02.03.2024\n"), date=["when"],
                       date_format="dd.MM.yyyy")
    assert dataset.attribute("when").date_format == "dd.MM.yyyy"
    assert dataset.column("when")[0] == parse_date("2024-03-01", "yyyy-MM-dd")


def test_a_forced_date_that_does_not_parse_names_the_value(tmp_path):
    path = write(tmp_path, "when\n2024-03-01\nsoon\n")
    with pytest.raises(DataFormatError, match="soon") as info:
        read_csv(path, date=["when"], date_format="yyyy-MM-dd")
    assert str(path) in str(info.value)


def test_forced_numeric_rejects_text_naming_line_column_and_value(tmp_path):
    with pytest.raises(DataFormatError, match=r"data\.csv:3: column 1 \('a'\): 'x' is not "
                                              r"a number"):
        read_csv(write(tmp_path, "a\n1\nx\n"), numeric=["a"])


def test_overrides_that_name_no_column_or_conflict_are_parameter_errors(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(ParameterError, match="'nope' is not in the file"):
        read_csv(path, nominal=["nope"])
    with pytest.raises(ParameterError, match=r"outside 0\.\.1"):
        read_csv(path, string=[5])
    with pytest.raises(ParameterError, match="both"):
        read_csv(path, nominal=["a"], string=[0])


@pytest.mark.parametrize(("key", "expected"), [("b", 1), (0, 0), (-1, 2), ("c", 2)])
def test_the_class_is_chosen_by_name_or_index(tmp_path, key, expected):
    dataset = read_csv(write(tmp_path, "a,b,c\n1,x,y\n"), class_index=key)
    assert dataset.class_index == expected


def test_no_class_is_set_unless_asked(tmp_path):
    assert read_csv(write(tmp_path, "a,b\n1,2\n")).class_index is None
    with pytest.raises(ParameterError, match="no attribute named 'z'"):
        read_csv(write(tmp_path, "a,b\n1,2\n"), class_index="z")


def test_without_a_header_columns_are_named_like_weka(tmp_path):
    dataset = read_csv(write(tmp_path, "1,x\n2,y\n"), header=False)
    assert [a.name for a in dataset.attributes] == ["att1", "att2"]
    assert dataset.num_instances == 2


def test_title_lines_can_be_skipped(tmp_path):
    dataset = read_csv(write(tmp_path, "My title\na,b\n1,2\n"), skip_lines=1)
    assert [a.name for a in dataset.attributes] == ["a", "b"]


# Errors ----------------------------------------------------------------------------

def test_a_row_with_too_many_fields_names_its_line(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,4\n5,6,7\n")
    with pytest.raises(DataFormatError) as info:
        read_csv(path)
    assert info.value.line == 4 and info.value.path == str(path)
    assert str(info.value).startswith(f"{path}:4: this row has 3 fields, the header has 2")


def test_a_ragged_row_gives_its_counts_as_numbers_beside_the_same_words(tmp_path):
    """The Explorer's offer to skip a title line read these numbers out of the message
    with a regular expression; they are the error's own field now, and survive the
    trip to a worker process and back."""
    import pickle

    from workbench.core.errors import RaggedRow

    path = write(tmp_path, "Title\nYear,Jan,Feb\n1880,-.19,-.25\n")
    with pytest.raises(DataFormatError) as info:
        read_csv(path)
    assert info.value.ragged == RaggedRow(fields=3, header_fields=1)
    assert str(info.value) == (f"{path}:2: this row has 3 fields, the header has 1 "
                               f"(expected 1 field separated by ',')")
    assert pickle.loads(pickle.dumps(info.value)).ragged == RaggedRow(3, 1)
    with pytest.raises(DataFormatError) as other:   # any other refusal has none
        read_csv(write(tmp_path, "a,a\n1,2\n"))
    assert other.value.ragged is None


def test_a_row_with_too_many_fields_right_after_the_header_is_an_error(tmp_path):
    with pytest.raises(DataFormatError) as info:
        read_csv(write(tmp_path, "a,b\n1,2,3\n4,5\n"))
    assert info.value.line == 2


def test_a_short_row_is_an_error_not_silent_padding(tmp_path):
    with pytest.raises(DataFormatError) as info:
        read_csv(write(tmp_path, 'a,b\n1,2\n"multi\nline",3\n4\n'))
    assert info.value.line == 5
    assert "1 field," in str(info.value)


def test_an_empty_trailing_field_is_not_a_short_row(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n1,\n2,3\n"))
    assert np.isnan(dataset.column("b")[0])


def test_an_empty_file_is_a_format_error(tmp_path):
    with pytest.raises(DataFormatError, match="empty"):
        read_csv(write(tmp_path, ""))
    with pytest.raises(DataFormatError, match="empty"):
        read_csv(write(tmp_path, "\n\n"))


def test_a_header_only_file_gives_an_empty_dataset(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n"))
    assert dataset.num_instances == 0 and dataset.num_attributes == 2


def test_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(DataFormatError, match="no such file") as info:
        read_csv(tmp_path / "nothere.csv")
    assert "nothere.csv" in str(info.value)


def test_repeated_header_names_are_an_error_on_line_one(tmp_path):
    with pytest.raises(DataFormatError, match="repeats the name 'a'") as info:
        read_csv(write(tmp_path, "a,b,a\n1,2,3\n"))
    assert info.value.line == 1


def test_bytes_that_are_not_utf8_give_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,x\n2,caf\xe9\n")
    with pytest.raises(DataFormatError, match="0xe9") as info:
        read_csv(path)
    assert (info.value.line, info.value.column) == (3, 6)
    assert read_csv(path, encoding="latin-1").value_text(1, "b") == "café"


@pytest.mark.parametrize("text, line", [
    ('a,b\n1,"open\n2,3\n', 2),
    ('a,b\n1,2\n\n3,4\n5,"x\n', 5),                       # a blank line before it
    ('a,b\n1,"multi\nline"\n3,"open\n4,5\n', 4),          # a quoted line break before
    ('a,b\n1,5"3\n2,"q""q"\n3,"open\n', 4),                # literal and doubled quotes
])
def test_an_unterminated_quote_names_the_line_it_opens_on(tmp_path, text, line):
    with pytest.raises(DataFormatError) as info:
        read_csv(write(tmp_path, text))
    assert info.value.line == line
    assert "never closed" in str(info.value) and 'a closing "' in str(info.value)


def test_empty_header_cells_get_weka_style_names(tmp_path):
    dataset = read_csv(write(tmp_path, "a,,c\n1,2,3\n"))
    assert [a.name for a in dataset.attributes] == ["a", "att2", "c"]


def test_a_trailing_delimiter_on_every_line_leaves_no_column_and_says_so(tmp_path):
    # An empty last column became the default class (numeric, all missing): WEKA
    # refuses the file, pandas keeps "Unnamed: 3"; it is left out, with a note.
    with pytest.warns(WorkbenchWarning, match=r"data\.csv: column 4 has no name and no "
                                              r"values \(a ',' at the end of every line"):
        dataset = read_csv(write(tmp_path, "a,b,class,\n1,2,x,\n3,4,y,\n"))
    assert [a.name for a in dataset.attributes] == ["a", "b", "class"]
    assert dataset.with_class(-1).class_attribute.name == "class"
    with warnings.catch_warnings():   # a name or a single value keeps the column
        warnings.simplefilter("error", WorkbenchWarning)
        for kept in ("a,b,\n1,2,3\n4,5,\n", "a,b,c\n1,2,\n4,5,\n"):
            assert read_csv(write(tmp_path, kept)).num_attributes == 3


def test_single_quotes_can_be_the_quote_character(tmp_path):
    dataset = read_csv(write(tmp_path, "a,b\n1,'x, y'\n2,'z'\n"), quotechar="'")
    assert labels(dataset, "b") == ["x, y", "z"]


def test_iso_looking_text_that_is_not_a_real_date_stays_nominal(tmp_path):
    dataset = read_csv(write(tmp_path, "d\n2024-02-28\n2024-02-30\n"))
    assert dataset.attribute("d").type is AttributeType.NOMINAL


def test_typed_column_numbers_count_from_1_and_python_indices_from_0(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n")
    assert read_csv(path, nominal=[ColumnNumber("1")]).attributes[0].is_nominal
    assert read_csv(path, nominal=[-1]).attributes[2].is_nominal   # Python's -1: the last
    with pytest.raises(ParameterError, match=r"column 0 is outside 1\.\.3"):
        read_csv(path, nominal=[ColumnNumber("0")])
    with pytest.raises(ParameterError, match=r"column 4 is outside 1\.\.3"):
        read_csv(path, string=[ColumnNumber("4")])
    with pytest.raises(ParameterError, match="skip_lines is -1"):
        read_csv(path, skip_lines=-1)


def test_an_unclosed_quote_that_cuts_its_row_short_is_named_not_the_field_count(tmp_path):
    # The open quote swallows the rest of the file, so its row reads as 2 fields of 3:
    # the refusal must name the quote and where it opened, not the row's length.
    rows = "".join(f"{i},{i}.5,a\n" for i in range(1, 50))
    path = write(tmp_path, "id,val,class\n" + rows + '50,"75.0,b\n51,76.5,a\n')
    with pytest.raises(DataFormatError) as info:
        read_csv(path)
    assert (info.value.line, info.value.column) == (51, 4)
    assert info.value.ragged is None
    assert 'quote "' in str(info.value) and "never closed" in str(info.value)
    assert "fields" not in str(info.value)
