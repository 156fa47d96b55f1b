"""The one JSON reader for files from anywhere: bounded depth, linear time, our errors."""

import pytest

from workbench.core.errors import DataFormatError
from workbench.core.jsonfile import nesting_depth, parse_json, read_json


@pytest.mark.parametrize("text, depth", [
    ("1", 0), ('{"a": [1, 2]}', 2), ('[{"a": "[[[", "b": [1, "\\\\\\"]"]}]', 3),
    ('"abc', 0), ('["unclosed \\\\', 1),
])
def test_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text) == depth


@pytest.mark.parametrize("n", [200_000])
def test_unclosed_strings_full_of_escaped_quotes_are_scanned_once(n):
    """Each '"' used to restart a scan to the end of the text: 26 s for 80 KB. One pass
    now; a quadratic scan of this 400 KB text would not end within the test's timeout."""
    assert nesting_depth('"' + '\\\\"' * n) == 0
    assert nesting_depth('"' + '\\\\"' * n + "\\\\") == 0


@pytest.mark.timeout(60)
def test_a_deep_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "deep.kflow.json"
    path.write_text("[" * 500 + "]" * 500)
    with pytest.raises(DataFormatError, match=r"deep\.kflow\.json"):
        read_json(path)


def test_read_json_takes_the_error_class_as_error_and_still_as_error_type(tmp_path):
    class FlowLike(DataFormatError):
        pass

    bad = tmp_path / "bad.json"
    bad.write_text("{")
    for call in (lambda: read_json(bad, error=FlowLike),
                 lambda: read_json(bad, FlowLike),
                 lambda: read_json(bad, error_type=FlowLike)):
        with pytest.raises(FlowLike, match=r"bad\.json"):
            call()
    with pytest.raises(FlowLike, match="no such file"):
        read_json(tmp_path / "missing.json", error=FlowLike)
    with pytest.raises(TypeError, match="not both"):
        read_json(bad, error=FlowLike, error_type=DataFormatError)


def test_an_integer_too_long_for_python_names_its_place_and_no_python_call():
    # Python's own message said "use sys.set_int_max_str_digits() to increase the limit".
    text = '{"a": "' + "9" * 5000 + '", "b": 1.' + "5" * 5000 + ',\n "c": -' + "7" * 4301 + "}"
    with pytest.raises(DataFormatError) as info:
        parse_json(text, "big.json", what="a flow file")
    error = info.value
    assert (error.line, error.column) == (2, 7)
    assert "a whole number of 4301 digits, more than the 4300" in error.reason
    assert "sys." not in str(error)
    assert error.expected == "a flow file with shorter numbers"


def test_a_key_given_twice_in_one_object_is_refused_where_it_stands():
    # Python's json keeps the last value; a person reading the file sees the first
    # (a flow's "file" read as another file).
    text = '{"nodes": [{"id": "a", "parameters": {"file": "iris.arff",\n"file": "/etc/passwd"}}]}'
    with pytest.raises(DataFormatError, match=r"f\.json:2:1: the key \"file\" appears twice "
                       r"in one object \(expected flow JSON whose objects name each key "
                       r"once\)"):
        parse_json(text, "f.json", what="flow JSON")


def test_the_same_key_in_different_objects_and_in_strings_is_fine():
    text = ('{"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}], '
            '"d": "\\"id\\": \\"id\\":"}')
    assert parse_json(text, "f.json")["c"][1]["id"] == 4


def test_a_refused_nan_names_its_place():
    text = '{"a": "NaN",\n "b": [1, NaN]}'
    with pytest.raises(DataFormatError, match=r"f\.json:2:11: NaN is not a JSON number"):
        parse_json(text, "f.json")
    assert parse_json(text, "f.json", allow_nan=True)["b"][0] == 1


def test_nesting_depth_agrees_with_a_scan_of_tokens_on_any_text():
    # The depth is computed by NumPy over quote and bracket positions; it must count
    # exactly what a scan of strings and brackets counts, escapes and unclosed strings
    # included (text no parser takes falls back to that scan).
    import random

    from workbench.core.jsonfile import _depth_by_tokens, nesting_depth

    rng = random.Random(7)
    alphabet = '[]{}"\\\\ab\n\u00e9'
    texts = ['"\\\\"[[', '"\\"[[', '["a\\\\\\"]"]', '\\"[[', '[[["open', '{"k": "]]]"}']
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
              for _ in range(20_000)]
    assert [nesting_depth(t) for t in texts] == [_depth_by_tokens(t) for t in texts]
    assert nesting_depth('{"a": [1, {"b": "[[[["}]}') == 3
