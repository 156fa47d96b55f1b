"""write_arff: WEKA's quoting and number format, sparse rows, weights, atomic files."""

import gzip
import io

import numpy as np
import pytest
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.data.arff import arff_header_text, read_arff, write_arff
from workbench.data.arff_tokens import quote
from workbench.data.dataset import Attribute, Dataset


def text_of(dataset: Dataset, **kwargs) -> str:
    out = io.StringIO()
    write_arff(dataset, out, **kwargs)
    return out.getvalue()


def round_trip(dataset: Dataset, **kwargs) -> Dataset:
    return read_arff(io.StringIO(text_of(dataset, **kwargs)), name="rt.arff")


@pytest.mark.parametrize(("raw", "quoted"), [
    ("plain", "plain"),
    ("a b", "'a b'"),
    ("a,b", "'a,b'"),
    ("", "''"),
    ("?", "'?'"),
    ("it's", r"'it\'s'"),
    ('say "x"', r"'say \"x\"'"),
    ("back\\slash", r"'back\\slash'"),
    ("50%", r"'50\%'"),
    ("{x}", "'{x}'"),
    ("line\nnext\ttab\rcr", r"'line\nnext\ttab\rcr'"),
    ("bell\x07", r"'bell\007'"),
    ("caf\u00e9", "caf\u00e9"),
])
def test_quote_follows_weka_utils_quote(raw, quoted):
    assert quote(raw) == quoted


def _mixed() -> Dataset:
    """Every type; each bag used once, as a reader makes them (bags are not shared)."""
    attributes = [
        Attribute.numeric("x y"),
        Attribute.nominal("colour", ["red", "dark blue", "?", "it's"]),
        Attribute.string("note", ["hello, world", "", "50% off\n"]),
        Attribute.date("when", "yyyy-MM-dd HH:mm"),
        Attribute.relational("bag", [Attribute.numeric("v"), Attribute.nominal("k", ["p", "q"])],
                             [np.array([[1.5, 0], [np.nan, 1]]), np.empty((0, 2)),
                              np.array([[2.0, 1]]), np.array([[-3.0, 0]])]),
    ]
    X = np.array([
        [1.0, 0, 0, 986299200.0, 0],
        [0.1 + 0.2, 1, 1, np.nan, 1],
        [-1e-300, 2, 2, 0.0, np.nan],
        [np.nan, 3, np.nan, 60.0, 2],
        [1e22, np.nan, 0, 120.0, 3],
    ])
    return Dataset("mixed 'data'", attributes, X, weights=[1, 2.5, 1, 1, 0.125],
                   class_index=1)


def test_mixed_dataset_round_trips_exactly_dense_and_sparse():
    data = _mixed()
    dense = round_trip(data)
    assert dense.with_class(1).equals(data)
    sparse = round_trip(data, sparse=True)
    assert sp.issparse(sparse.X)
    assert sparse.with_class(1).equals(data)


def test_written_text_looks_like_weka_wrote_it():
    text = text_of(_mixed())
    assert text.startswith("@relation 'mixed \\'data\\''\n\n@attribute 'x y' numeric\n"
                           "@attribute colour {red,'dark blue','?','it\\'s'}\n"
                           "@attribute note string\n"
                           "@attribute when date 'yyyy-MM-dd HH:mm'\n"
                           "@attribute bag relational\n  @attribute v numeric\n"
                           "  @attribute k {p,q}\n@end bag\n\n@data\n")
    rows = text.split("@data\n")[1].splitlines()
    assert rows[0] == "1,red,'hello, world','2001-04-03 12:00','1.5,p\\n?,q'"
    assert rows[1] == "0.30000000000000004,'dark blue','',?,''," + "{2.5}"
    assert rows[3].startswith("?,'it\\'s',?,")
    assert rows[4].startswith("1e+22,?,")


def test_integers_are_written_without_a_decimal_point():
    data = Dataset("n", [Attribute.numeric("a")], np.array([[3.0], [-0.0], [2.5], [1e16],
                                                             [np.inf], [-np.inf]]))
    rows = text_of(data).split("@data\n")[1].splitlines()
    assert rows == ["3", "0", "2.5", "1e+16", "Infinity", "-Infinity"]
    assert round_trip(data).equals(data)


def test_random_floats_survive_the_round_trip_bit_for_bit():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((200, 3)) * 10.0 ** rng.integers(-200, 200, (200, 3))
    data = Dataset("f", [Attribute.numeric(f"a{i}") for i in range(3)], X)
    assert np.array_equal(round_trip(data).X, X)


def test_sparse_dataset_writes_sparse_rows_and_keeps_string_pools():
    X = sp.csr_matrix(np.array([[0, 2.0, 0], [1, 0, 0], [0, 0, 0]]))
    data = Dataset("s", [Attribute.string("s", ["first", "second"]), Attribute.numeric("a"),
                         Attribute.nominal("n", ["u", "v"])], X)
    rows = text_of(data).split("@data\n")[1].splitlines()
    assert rows == ["{0 first,1 2}", "{0 second}", "{0 first}"]
    assert round_trip(data).equals(data)
    dense_rows = text_of(data, sparse=False).split("@data\n")[1].splitlines()
    assert dense_rows[0] == "first,2,u"


def test_header_text_ends_at_data():
    header = arff_header_text(_mixed())
    assert header.endswith("@data\n")
    assert "@attribute colour" in header


def test_write_to_path_is_atomic_and_gzips_by_name(tmp_path):
    data = _mixed()
    path = tmp_path / "out.arff.gz"
    write_arff(data, path)
    assert gzip.decompress(path.read_bytes()).decode().startswith("@relation")
    assert read_arff(path).with_class(1).equals(data)
    assert [p.name for p in tmp_path.iterdir()] == ["out.arff.gz"]
    plain = tmp_path / "out.arff"
    write_arff(data, plain)
    assert plain.read_text().startswith("@relation")


def test_unwritable_destination_is_a_workbench_error(tmp_path):
    with pytest.raises(WorkbenchError, match="cannot write"):
        write_arff(_mixed(), tmp_path / "missing-dir" / "x.arff")


def test_codes_outside_the_labels_are_refused_before_writing():
    data = Dataset("bad", [Attribute.nominal("n", ["a"])], np.array([[3.0]]))
    with pytest.raises(WorkbenchError, match="outside"):
        text_of(data)


NESTED = r"""@relation n
@attribute outer relational
  @attribute inner relational
    @attribute v numeric
    @attribute s string
  @end inner
  @attribute w numeric
@end outer
@data
"'1,a\\n2,\\'b c\\'',5\n?,6"
''
"""


def test_relational_inside_relational_reads_and_round_trips():
    data = read_arff(io.StringIO(NESTED))
    outer = data.attributes[0]
    inner = outer.relation[0]
    np.testing.assert_array_equal(outer.bags[0], [[0, 5], [np.nan, 6]])
    assert outer.bags[1].shape == (0, 2)
    np.testing.assert_array_equal(inner.bags[0], [[1, 0], [2, 1]])
    assert inner.relation[1].values == ("a", "b c")
    assert round_trip(data).equals(data)


def test_binary_streams_get_utf8_and_dates_without_a_format_use_the_default():
    from dataclasses import replace
    data = Dataset("d", [replace(Attribute.date("t"), date_format=None)], np.array([[0.0]]))
    out = io.BytesIO()
    write_arff(data, out)
    text = out.getvalue().decode("utf-8")
    assert "@attribute t date 'yyyy-MM-dd\\'T\\'HH:mm:ss'" in text
    assert text.endswith("@data\n1970-01-01T00:00:00\n")
