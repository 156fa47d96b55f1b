"""Reading options for a user's own CSV files (walkthrough csv F1, F4, F5, F11):
decimal commas and thousands separators, forced numeric and date columns with WEKA's
ranges, delimited ``.txt`` files, comma-separated missing-value markers."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import DataFormatError, ParameterError
from workbench.data.csv import read_csv, write_csv
from workbench.data.csv_options import (
    ColumnSpan,
    csv_reader_options,
    markers_text,
    typed_columns,
    typed_markers,
)
from workbench.data.dataset import AttributeType
from workbench.data.io import load_dataset
from workbench.data.number_format import NumberFormat
from workbench.data.number_separators import separated_numbers

# As German Excel saves it: ';' between fields, decimal commas, CRLF, cp1252.
GERMAN = ("Name;Größe;Gewicht;Klasse\r\nP0;1,57;92,4;nein\r\nP1;1,88;1.062,8;ja\r\n"
          "P2;2;72,5;nein\r\n")


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_german_excel_file_reads_as_numbers_with_a_decimal_comma(tmp_path):
    path = write(tmp_path, GERMAN, encoding="cp1252")
    plain = read_csv(path, encoding="cp1252")
    assert plain.attribute("Größe").type is AttributeType.NOMINAL   # never guessed
    data = read_csv(path, encoding="cp1252", decimal=",", thousands=".")
    assert data.attribute("Größe").type is AttributeType.NUMERIC
    assert data.column(1).tolist() == [1.57, 1.88, 2.0]
    assert data.column(2).tolist() == [92.4, 1062.8, 72.5]


def test_thousands_spaces_include_the_no_break_ones_libreoffice_writes(tmp_path):
    path = write(tmp_path, "nom;montant\nn0;7 994,97\nn1;9\u00a0410,29\nn2;-1\u202f000,5\n")
    data = read_csv(path, decimal=",", thousands=" ")
    assert data.attribute("montant").type is AttributeType.NUMERIC
    assert data.column(1).tolist() == [7994.97, 9410.29, -1000.5]


def test_quoted_us_thousands_separators_read_with_thousands_comma(tmp_path):
    path = write(tmp_path, 'item,price\nit0,"11,019.4"\nit1,"40,043.2"\nit2,7.5\n')
    assert read_csv(path, thousands=",").column(1).tolist() == [11019.4, 40043.2, 7.5]


def test_a_decimal_point_is_no_number_where_the_decimal_is_a_comma(tmp_path):
    path = write(tmp_path, "a;b\n1,5;x\n1.5;y\n")
    assert read_csv(path, decimal=",").attribute("a").type is AttributeType.NOMINAL
    assert NumberFormat(",", "").plain("1.5") == ""
    assert NumberFormat(",", ".").plain(" 1.234,5 ") == "1234.5"


def test_a_forced_numeric_column_reads_its_cells_with_the_separators(tmp_path):
    # pandas leaves a no-break-space column as text: the label path reads it
    path = write(tmp_path, "a;b\n7\u00a0994,97;x\nNA;y\n")
    data = read_csv(path, decimal=",", thousands=" ", numeric=["a"], missing=["NA"])
    assert data.column(0)[0] == 7994.97 and np.isnan(data.column(0)[1])


@pytest.mark.parametrize("decimal, thousands, why", [
    ("e", "", "one character that is not a digit"), ("", "", "one character"),
    (",", ",", "must differ"), ("..", "", "one character"), (" ", "", "space"),
])
def test_separators_that_cannot_read_numbers_are_refused(tmp_path, decimal, thousands, why):
    path = write(tmp_path, "a\n1\n")
    with pytest.raises(ParameterError, match=why):
        read_csv(path, decimal=decimal, thousands=thousands)


def test_a_forced_type_refuses_a_cell_naming_file_line_column_and_value(tmp_path):
    # a blank line and a quoted line break above the bad cell: the line is the file's
    path = write(tmp_path, 'id,when,note\n1,01/02/2024,"two\nlines"\n\n2,31/13/2024,x\n'
                           '3,soon,y\n')
    with pytest.raises(DataFormatError) as info:
        read_csv(path, date=["when"], date_format="dd/MM/yyyy")
    message = str(info.value)
    assert message.startswith(f"{path}:5: column 2 ('when'): '31/13/2024'")
    with pytest.raises(DataFormatError, match=r"n\.csv:6: column 2 \('when'\): "
                                              r"'soon' is not a number"):
        read_csv(write(tmp_path, "id,when\n1,2\n\n\n\n3,soon\n", "n.csv"), numeric=["when"])


def test_columns_take_weka_ranges_and_names_win(tmp_path):
    path = write(tmp_path, "a,b,c,first\n1,2,3,4\n")
    assert typed_columns("first-2,last,c") == ["first-2", "last", "c"]
    assert isinstance(typed_columns("2-last")[0], ColumnSpan)
    data = read_csv(path, nominal=typed_columns("first-2"))
    assert [a.type.value for a in data.attributes] == ["nominal", "nominal", "numeric",
                                                       "numeric"]
    # 'first' is a column's name here: that column, not column 1
    data = read_csv(path, string=typed_columns("first"))
    assert [a.type.value for a in data.attributes][::3] == ["numeric", "string"]
    assert read_csv(path, nominal=typed_columns("last-3")).attribute("c").is_nominal
    with pytest.raises(ParameterError, match=r"column range 2-9: 9 is outside 1\.\.4"):
        read_csv(path, nominal=typed_columns("2-9"))


def test_a_date_column_in_a_day_first_pattern(tmp_path):
    path = write(tmp_path, "when,x\n01/02/2024,1\n15/03/2024,2\n")
    options = csv_reader_options(date="1", date_format="dd/MM/yyyy")
    data = read_csv(path, **options)
    assert data.attribute("when").type is AttributeType.DATE
    assert data.attribute("when").date_format == "dd/MM/yyyy"


def test_reader_options_as_typed():
    options = csv_reader_options(numeric="2-last", date="when", date_format="M/d/yyyy",
                                 decimal=",", thousands="space", missing=["NA,NaN", "?"])
    assert options["missing"] == ("NA", "NaN", "?")
    assert (options["decimal"], options["thousands"]) == (",", " ")
    assert options["numeric"] == ["2-last"] and options["date_format"] == "M/d/yyyy"
    assert csv_reader_options(missing=[""])["missing"] == ("",)   # only empty is missing
    with pytest.raises(ParameterError, match="name them too"):
        csv_reader_options(date_format="dd/MM/yyyy")
    with pytest.raises(ParameterError, match="letter 'q'"):
        csv_reader_options(date="1", date_format="yyyy-qq")
    with pytest.raises(ParameterError, match="must differ"):
        csv_reader_options(decimal=",", thousands=",")


def test_markers_are_comma_separated_with_an_escaped_comma():
    assert typed_markers(" NA, NaN ,n\\,a,\\N,") == ["NA", "NaN", "n,a", "\\N"]
    assert typed_markers("  ") == []
    assert typed_markers(markers_text(["n,a", "?"])) == ["n,a", "?"]


def test_tab_separated_txt_files_read_and_write(tmp_path):
    path = write(tmp_path, "a\tb\tclass\n0.5\t1\tp\n0.25\t2\tq\n", "data.txt")
    data = load_dataset(path)
    assert data.num_attributes == 3 and data.column(0).tolist() == [0.5, 0.25]
    unicode_text = write(tmp_path, "a\tb\n1,5\tx\n", "unicode.txt", "utf-16")
    assert load_dataset(unicode_text, decimal=",").column(0).tolist() == [1.5]
    out = tmp_path / "out.txt"
    write_csv(data, out)
    assert out.read_text().splitlines()[0] == "a\tb\tclass"


@pytest.mark.parametrize("text, delimiter, columns, fmt", [
    (GERMAN, ";", ("Größe", "Gewicht"), NumberFormat(",", ".")),
    ("a;b\n1,5;x\n2;y\n", ";", ("a",), NumberFormat(",", "")),
    ("a\tb\n7\u00a0994,97\tx\n12,5\ty\n", "\t", ("a",), NumberFormat(",", " ")),
    ('a,b\n"11,019.4",x\n7.5,y\n', ",", ("a",), NumberFormat(".", ",")),
])
def test_columns_of_numbers_with_other_separators_are_found(tmp_path, text, delimiter,
                                                            columns, fmt):
    data = read_csv(write(tmp_path, text), delimiter=delimiter)
    found = separated_numbers(data, delimiter)
    assert found is not None and found.columns == columns and found.number_format == fmt
    # read with them, nothing is left to find
    again = read_csv(write(tmp_path, text, "again.csv"), delimiter=delimiter,
                     decimal=fmt.decimal, thousands=fmt.thousands)
    assert separated_numbers(again, delimiter, number_format=fmt) is None


@pytest.mark.parametrize("text, delimiter", [
    ("a;b\n1.5;x\n2.5;y\n", ";"),              # decimal points: numbers already
    ("a;b\n1,5;x\nabc;y\n", ";"),              # a word among them
    ("a;b\n1,2,3;x\n4,5;y\n", ";"),            # not one number
    ("a,b\n\"1,5\",x\n\"2,25\",y\n", ","),     # a comma file: 2,25 is no thousands
])
def test_nothing_is_found_where_the_values_are_not_such_numbers(tmp_path, text, delimiter):
    data = read_csv(write(tmp_path, text), delimiter=delimiter)
    assert separated_numbers(data, delimiter) is None


def test_a_column_asked_for_as_nominal_is_left_as_asked(tmp_path):
    data = read_csv(write(tmp_path, "a;b\n1,5;x\n2,5;y\n"), nominal=["a"])
    assert separated_numbers(data, ";", forced=typed_columns("a")) is None
