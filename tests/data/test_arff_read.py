"""read_arff on small inline files: every part of the format, and every kind of error."""

import gzip
import io
import math

import numpy as np
import pytest
import scipy.sparse as sp

from workbench.core.errors import DataFormatError, ParameterError
from workbench.data.arff import _read_arff, read_arff
from workbench.data.dataset import AttributeType


def read(text: str, **kwargs):
    """Read with the fast path and with the careful reader; both must agree."""
    fast = read_arff(io.StringIO(text), name="t.arff", **kwargs)
    careful = _read_arff(io.StringIO(text), name="t.arff", fast=False, **kwargs)
    assert fast.equals(careful)
    return fast


def error(text: str) -> DataFormatError:
    with pytest.raises(DataFormatError) as info:
        read_arff(io.StringIO(text), name="t.arff")
    with pytest.raises(DataFormatError) as careful:
        _read_arff(io.StringIO(text), name="t.arff", fast=False)
    assert str(careful.value) == str(info.value)
    assert info.value.path == "t.arff"
    return info.value


WEATHER = """% the weather
@relation weather
@attribute outlook {sunny, overcast, rainy}
@attribute temperature numeric
@attribute windy {TRUE, FALSE}
@attribute play {yes, no}
@data
sunny,85,FALSE,no
overcast,83.5,TRUE,yes
rainy,?,FALSE,yes
"""


def test_dense_nominal_and_numeric_values_are_codes_and_floats():
    d = read(WEATHER)
    assert d.relation == "weather"
    assert [a.type for a in d.attributes] == ["nominal", "numeric", "nominal", "nominal"]
    assert d.attributes[0].values == ("sunny", "overcast", "rainy")
    np.testing.assert_array_equal(d.X, [[0, 85, 1, 1], [1, 83.5, 0, 0], [2, np.nan, 1, 0]])
    assert d.class_index is None
    assert isinstance(d.X, np.ndarray)
    assert np.all(d.weights == 1)


def test_class_index_by_position_or_name():
    assert read(WEATHER, class_index=-1).class_index == 3
    assert read(WEATHER, class_index="outlook").class_index == 0
    with pytest.raises(ParameterError, match=r"t\.arff"):
        read_arff(io.StringIO(WEATHER), name="t.arff", class_index="nope")


def test_comments_keyword_case_tabs_crlf_bom_and_no_final_newline():
    text = ("\ufeff%% header\r\n@RELATION\t'my data' % trailing\r\n\r\n"
            "@Attribute\t\"a b\"\tREAL\r\n@ATTRIBUTE c INTEGER %comment\r\n"
            "@DATA\r\n% inside data\r\n1,\t2 % end of row\r\n\r\n  3 , 4")
    d = read(text)
    assert d.relation == "my data"
    assert [a.name for a in d.attributes] == ["a b", "c"]
    np.testing.assert_array_equal(d.X, [[1, 2], [3, 4]])


def test_lone_carriage_returns_end_lines():
    d = read("@relation r\r@attribute a numeric\r@data\r1\r2\r")
    np.testing.assert_array_equal(d.X, [[1], [2]])


def test_quoted_values_with_spaces_escapes_and_both_quote_kinds():
    text = r"""@relation r
@attribute 'n a m e' {'a b', "c,d", 'it\'s', "say \"hi\"", '\\', '%x', '?'}
@attribute s string
@data
'a b', 'tab\there\nnewline\r\%\j\101\u00e9'
"c,d", "it's"
'it\'s', ''
"say \"hi\"", ?
'\\', '?'
'%x', 'x' % comment after a quote
'?', "a % not a comment"
?, "{braces}"
"""
    d = read(text)
    nominal = d.attributes[0]
    assert nominal.name == "n a m e"
    assert nominal.values == ("a b", "c,d", "it's", 'say "hi"', "\\", "%x", "?")
    np.testing.assert_array_equal(d.column(0), [0, 1, 2, 3, 4, 5, 6, np.nan])
    strings = d.attributes[1].values
    assert strings[0] == "tab\there\nnewline\r%jA\u00e9"
    assert d.value_text(1, 1) == "it's"
    assert d.value_text(2, 1) == ""
    assert math.isnan(d.X[3, 1])                      # unquoted ? is missing
    assert d.value_text(4, 1) == "?"                  # quoted '?' is the text
    assert d.value_text(6, 1) == "a % not a comment"
    assert d.value_text(7, 1) == "{braces}"


def test_nominal_labels_are_case_sensitive_and_keep_inner_spaces():
    d = read("@relation r\n@attribute a {'  yes', 'no  ', Yes}\n@data\n'  yes'\n'no  '\nYes\n")
    np.testing.assert_array_equal(d.column(0), [0, 1, 2])
    err = error("@relation r\n@attribute a {yes, no}\n@data\nyes\nYES\n")
    assert (err.line, err.column) == (5, 1)


def test_string_values_form_a_pool_in_order_of_first_appearance():
    d = read("@relation r\n@attribute s string\n@data\nb\na\nb\n?\n")
    assert d.attributes[0].type is AttributeType.STRING
    assert d.attributes[0].values == ("b", "a")
    np.testing.assert_array_equal(d.column(0), [0, 1, 0, np.nan])


def test_numbers_nan_infinity_and_exponents():
    d = read("@relation r\n@attribute x numeric\n@data\n1e3\n-2.5E-2\nNaN\n.5\n"
             "Infinity\n-inf\n+7\n")
    np.testing.assert_array_equal(d.column(0), [1000, -0.025, np.nan, 0.5, np.inf,
                                                -np.inf, 7])


def test_dates_with_default_and_custom_formats():
    text = """@relation r
@attribute d1 date
@attribute d2 DATE "yyyy-MM-dd HH:mm"
@attribute d3 date yyyy-MM
@data
2001-04-03T12:00:00, '2001-04-03 12:30', 2001-04
?, ?, ?
"""
    d = read(text)
    assert d.attributes[0].date_format == "yyyy-MM-dd'T'HH:mm:ss"
    assert d.attributes[1].date_format == "yyyy-MM-dd HH:mm"
    assert d.X[0, 0] == 986299200.0
    assert d.X[0, 1] == 986299200.0 + 1800
    assert d.X[0, 2] == 986083200.0
    assert np.isnan(d.X[1]).all()
    err = error("@relation r\n@attribute d date yyyy-MM-dd\n@data\n2001-13-01\n")
    assert (err.line, err.column) == (4, 1) and "bad date" in err.reason


def test_sparse_rows_give_csr_and_omitted_values_are_code_zero():
    text = """@relation r
@attribute a numeric
@attribute b {x, y}
@attribute c numeric
@attribute s string
@data
{0 1.5, 1 y}
{ }
{2 ?, 3 hello}
1, x, 0, bye
{1 x}, {3}
"""
    d = read(text)
    assert sp.issparse(d.X)
    np.testing.assert_array_equal(
        d.dense_values(),
        [[1.5, 1, 0, 0], [0, 0, 0, 0], [0, 0, np.nan, 0], [1, 0, 0, 1], [0, 0, 0, 0]])
    assert d.attributes[3].values == ("hello", "bye")
    np.testing.assert_array_equal(d.weights, [1, 1, 1, 1, 3])


def test_sparse_string_never_given_gets_an_empty_string_pool():
    d = read("@relation r\n@attribute a numeric\n@attribute s string\n@data\n{0 1}\n")
    assert d.attributes[1].values == ("",)


def test_instance_weights_on_dense_rows():
    d = read("@relation r\n@attribute a numeric\n@attribute b {p, q}\n@data\n"
             "1, p, {2.5}\n2, q\n3 q {0.5}\n")
    np.testing.assert_array_equal(d.weights, [2.5, 1, 0.5])
    np.testing.assert_array_equal(d.X, [[1, 0], [2, 1], [3, 1]])


def test_relational_values_become_bags_indexed_from_x():
    text = r"""@relation mi
@attribute id {b1, b2}
@attribute bag relational
  @attribute f1 numeric
  @attribute f2 {lo, hi}
  @attribute when date yyyy-MM-dd
  @attribute txt string
@end bag
@attribute class {0, 1}
@data
b1, "1.5,lo,2001-01-01,'x y'\n2,hi,?,z", 1
b2, ?, 0
b1, '', 0
b2, "{0 3, 1 hi, 3 z}", 1
"""
    d = read(text)
    bag = d.attributes[1]
    assert bag.type is AttributeType.RELATIONAL
    assert [a.name for a in bag.relation] == ["f1", "f2", "when", "txt"]
    assert bag.relation[3].values == ("x y", "z")
    np.testing.assert_array_equal(d.column(1), [0, np.nan, 1, 2])
    np.testing.assert_array_equal(bag.bags[0], [[1.5, 0, 978307200, 0],
                                                [2, 1, np.nan, 1]])
    assert bag.bags[1].shape == (0, 4)
    np.testing.assert_array_equal(bag.bags[2], [[3, 1, 0, 1]])


def test_header_only_file_has_no_instances():
    d = read("@relation r\n@attribute a numeric\n@attribute b {x}\n@data\n% nothing\n")
    assert d.X.shape == (0, 2)


def test_gzip_files_and_byte_streams(tmp_path):
    path = tmp_path / "w.arff.gz"
    path.write_bytes(gzip.compress(WEATHER.encode()))
    assert read_arff(path).equals(read(WEATHER))
    plain = tmp_path / "w.dat"      # gzip is detected by its magic bytes, not the name
    plain.write_bytes(gzip.compress(WEATHER.encode()))
    assert read_arff(plain).equals(read(WEATHER))
    assert read_arff(io.BytesIO(WEATHER.encode())).equals(read(WEATHER))


def test_fast_path_declines_rows_the_c_parser_would_misread():
    # whitespace separates values for WEKA; a label may not hide inside a field
    d = read("@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1 2\n3\t4\n")
    np.testing.assert_array_equal(d.X, [[1, 2], [3, 4]])
    err = error("@relation r\n@attribute a {x, 'x y'}\n@attribute b numeric\n@data\nx y,1\n")
    assert err.line == 5


# Errors ---------------------------------------------------------------------------------
HEAD = "@relation r\n@attribute a numeric\n@attribute b {x, y}\n@data\n"


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("", 1, 1, "empty"),
    ("% only a comment\n", 1, 1, "empty"),
    ("@attribute a numeric\n", 1, 1, "@relation"),
    ("@relation bad name\n", 1, 15, "unexpected 'name'"),
    ("@relation r\n@data\n", 2, 1, "before any @attribute"),
    ("@relation r\n@attribute a numeric\n", 2, None, "ends inside the header"),
    ("@relation r\n@attribute a crap\n", 2, 14, "unknown type 'crap'"),
    ("@relation r\n@attribute a\n", 2, 13, "no type"),
    ("@relation r\n@attribute %x\n", 2, 11, "without a attribute name"),
    ("@relation r\n@attribute {a numeric\n", 2, 12, "where a attribute name"),
    ("@relation r\n@attribute a numeric\n@attribute a string\n@data\n", 3, 12, "twice"),
    ("@relation r\n@attribute a {x, y\n@data\n", 2, 19, "not closed"),
    ("@relation r\n@attribute a {x, x}\n@data\n", 2, 18, "twice"),
    ("@relation r\n@attribute 'a numeric\n", 2, 12, "unterminated"),
    ("@relation r\n@attribute a date 'yyyy-ww'\n", 2, 19, "not supported"),
    ("@relation r\n@attribute b relational\n@attribute c numeric\n@data\n", 4, 1,
     "unexpected '@data'"),
    ("@relation r\n@attribute b relational\n@attribute c numeric\n@end d\n", 4, 6,
     "closes relational attribute 'b'"),
    ("@relation r\n@foo\n", 2, 1, "unexpected '@foo'"),
    (HEAD + "1,x\n2\n", 6, 2, "row has 1 value but the header declares 2"),
    (HEAD + "1,x,3\n", 5, 5, "row has 3 values"),
    (HEAD + "1,z\n", 5, 3, "undeclared value 'z' for nominal attribute 'b'"),
    (HEAD + "abc,x\n", 5, 1, "'abc' is not a number"),
    (HEAD + "'?',x\n", 5, 1, "'?' is not a number"),
    (HEAD + "1_0,x\n", 5, 1, "not a number"),
    (HEAD + "1,'x\n", 5, 3, "unterminated"),
    (HEAD + "1,\"x\\\"\n", 5, 3, "unterminated"),
    (HEAD + "{2 x}\n", 5, 2, "sparse index 2 is out of range"),
    (HEAD + "{1 x, 0 1}\n", 5, 7, "comes after"),
    (HEAD + "{0 1, 1 x\n", 5, 9, "not closed"),
    (HEAD + "{a 1}\n", 5, 2, "not an attribute index"),
    (HEAD + "{0}\n", 5, 2, "has no value"),
    (HEAD + "1,x,{abc}\n", 5, 6, "weight 'abc' is not a number"),
    (HEAD + "1,x,{2} 3\n", 5, 9, "after the instance weight"),
    (HEAD + "1,x}\n", 5, 4, "unexpected '}'"),
    (HEAD + "1,{,x\n", 5, 3, "row has 1 value"),
])
def test_bad_input_names_line_column_and_reason(text, line, column, words):
    err = error(text)
    assert err.line == line
    if column is not None:
        assert err.column == column
    assert words in err.reason, err.reason
    assert str(err).startswith(f"t.arff:{line}:")


def test_undeclared_value_message_lists_the_declared_values():
    err = error(HEAD + "1,x\n2,yy\n")
    assert str(err) == ("t.arff:6:3: undeclared value 'yy' for nominal attribute 'b' "
                        "(expected one of x, y)")


def test_bad_value_inside_a_relational_value_points_at_the_bag():
    text = ("@relation r\n@attribute bag relational\n@attribute v numeric\n@end bag\n"
            "@data\n'1\\n2\\nzz'\n")
    err = error(text)
    assert (err.line, err.column) == (6, 1)
    assert "row 3" in err.reason and "'zz' is not a number" in err.reason


def test_bytes_that_are_not_utf8_are_errors_with_a_position(tmp_path):
    with pytest.raises(DataFormatError, match="not valid UTF-8") as info:
        read_arff(io.BytesIO(HEAD.encode() + b"1,x\n2,\xff\n"), name="t.arff")
    assert (info.value.line, info.value.column) == (6, 3)
    path = tmp_path / "junk.arff"
    path.write_bytes(b"@relation r\n@attribute \x89PNG numeric\n")
    with pytest.raises(DataFormatError, match="not valid UTF-8") as info:
        read_arff(path)
    assert (info.value.line, info.value.column) == (2, 12)


def test_missing_file_and_broken_gzip_are_data_format_errors(tmp_path):
    with pytest.raises(DataFormatError, match="cannot read"):
        read_arff(tmp_path / "absent.arff")
    path = tmp_path / "broken.arff.gz"
    path.write_bytes(gzip.compress(WEATHER.encode())[:30])
    with pytest.raises(DataFormatError, match="gzip") as info:
        read_arff(path)
    assert info.value.line == 1


@pytest.mark.parametrize("tail", [
    "% a comment line\n1.5,x\n",
    "'2.5',x\n",
    "3,'x'\n",
    "4,x % trailing comment\n",
    "5,x,{2}\n",
    "{0 6}\n",
    "7,\"x\"\n",
    "8\n",
])
def test_quotes_and_comments_beyond_the_sampled_start_are_still_honoured(tail):
    body = "".join(f"{i}.25,{'xy'[i % 2]}\n" for i in range(8000))   # > 64 KB
    text = "@relation r\n@attribute a numeric\n@attribute b {x, y}\n@data\n" + body + tail
    assert len(body) > 1 << 16
    if tail == "8\n":
        assert error(text).line == 8005
        return
    d = read(text)
    assert d.num_instances == 8001


def test_each_kind_of_file_is_parsed_by_exactly_one_reader(monkeypatch):
    import workbench.data.arff as arff_module
    import workbench.data.arff_fast as fast_module

    def refuse(*args, **kwargs):
        raise AssertionError("this reader should not run")

    rows = "sunny,85,FALSE,no\n" * (arff_module.FAST_PATH_MIN_BYTES // 18 + 1)
    big = WEATHER + rows
    with monkeypatch.context() as patch:       # plain dense and large: pandas only
        patch.setattr(arff_module, "parse_rows", refuse)
        assert read_arff(io.StringIO(big)).num_instances == 3 + rows.count("\n")
    with monkeypatch.context() as patch:       # small: our parser only, pandas not needed
        patch.setattr(fast_module, "parse_plain", refuse)
        assert read_arff(io.StringIO(WEATHER)).num_instances == 3
    with monkeypatch.context() as patch:       # quoted values: careful reader only
        patch.setattr(fast_module, "parse_plain", refuse)
        text = big.replace("sunny,85", "'sunny',85", 1)
        assert read_arff(io.StringIO(text)).num_instances == 3 + rows.count("\n")


def test_end_of_a_relational_declaration_ignores_case_like_weka():
    d = read("@relation r\n@attribute Bag RELATIONAL\n@attribute v numeric\n@END bag\n"
             "@data\n'1\\n2'\n")
    np.testing.assert_array_equal(d.attributes[0].bags[0], [[1], [2]])
