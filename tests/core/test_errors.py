"""Our error messages are safe to print on a terminal."""

from __future__ import annotations

from workbench.core.errors import DataFormatError, printable


def test_printable_escapes_what_a_terminal_would_obey():
    assert printable("plain é 名前.arff") == "plain é 名前.arff"
    assert printable("a\x1b[2Jb\x7f\x9b\u202e\udcff") == "a\\x1b[2Jb\\x7f\\x9b\\u202e\\udcff"
    assert printable("two\nlines\tand\x07", keep="\n\t") == "two\nlines\tand\\x07"


def test_a_data_error_shows_its_file_name_escaped():
    error = DataFormatError("bad", "x\x1b]0;title\x07.csv", 3, 1, "good")
    assert str(error) == "x\\x1b]0;title\\x07.csv:3:1: bad (expected good)"
