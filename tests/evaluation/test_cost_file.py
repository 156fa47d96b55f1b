"""Cost matrix files read like data files: a FIFO, a device, bytes that are not text, a
0 x 0 size, NaN costs, ragged rows and a size that is not the class's all end in one
``DataFormatError`` naming the file and line, never a hang, a memory blow-up or a
traceback (each of these did one of those through ``classify -m``)."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from workbench.core.errors import DataFormatError
from workbench.evaluation.cost_file import parse_cost_matrix, read_cost_matrix


def _refusal(tmp_path, content: bytes, classes: int | None = 3) -> DataFormatError:
    path = tmp_path / "m.cost"
    path.write_bytes(content)
    with pytest.raises(DataFormatError) as info:
        read_cost_matrix(path, classes, "class")
    assert info.value.path == str(path)
    return info.value


def test_wekas_cost_file_and_the_matlab_form_read_the_same(tmp_path):
    wanted = np.array([[0, 1, 1], [1, 0, 5], [1, -2.5, 0]])
    weka = tmp_path / "weka.cost"
    weka.write_text("% rows columns\n3 3\n\n0 1 1\n1 0 5   % a comment\n1 -2.5 0\n")
    matlab = tmp_path / "matlab.cost"
    matlab.write_text("[0 1 1;\n 1,0,5; 1 -2.5 0]\n")
    assert np.array_equal(read_cost_matrix(weka, 3), wanted)
    assert np.array_equal(read_cost_matrix(matlab, 3), wanted)


@pytest.mark.parametrize(("content", "line", "column", "words"), [
    (b"0 0\n", 1, None, "the size line gives no rows"),
    (b"3 2\n0 1\n", 1, None, "3 rows but 2 columns"),
    (b"two 2\n", 1, 1, "the first line is not the matrix's size"),
    (b"2 2\n0 1\n1 0\n", 1, None, "a 2 x 2 cost matrix, but the class 'class' has 3"),
    (b"3 3\nnan 1 1\n1 inf 1\n1 1 0\n", 2, 1, "'nan' is not a finite number"),
    (b"3 3\n0 1 1\n1 1e999 1\n1 1 0\n", 3, 3, "'1e999' is too large"),
    (b"3 3\n0 1 1\n1 0\n1 1 0\n", 3, None, "row 2 has 2 values"),
    (b"3 3\n0 1 1\n1 0 1\n", 3, None, "only 2 of the 3 rows"),
    (b"3 3\n0 1 1\n1 0 1\n1 1 0\n1 1 1\n", 5, None, "more rows than the 3"),
    (b"3 3\n0 1 1\n1 0 x\n1 1 0\n", 3, 5, "'x' is not a number"),
    (b"[1 2; 3]\n", 1, 7, "row 2 has 1 value but there are 2 rows"),
    (b"[0 1; 1 0\n", 1, 10, "no closing ']'"),
    (b"", 1, None, "holds no cost matrix"),
    (b"[]\n", 1, None, "holds no cost matrix"),
    (b"% nothing\n\n", 1, None, "holds no cost matrix"),
    (b"\xff\xfe3 3\n", 1, None, "is not UTF-8"),
    (b"3 3\n0 1\x00 1\n", 2, 4, "NUL byte"),
])
def test_a_bad_cost_file_names_its_line(tmp_path, content, line, column, words):
    error = _refusal(tmp_path, content)
    assert words in error.reason
    assert (error.line, error.column) == (line, column)
    assert error.expected


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "fifo.cost"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: _catch(outcome, fifo), daemon=True)
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():   # the old reader blocked in open() forever; unblock it
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO cost file blocked")
    assert isinstance(outcome[0], DataFormatError)
    assert "not a regular file" in str(outcome[0])


def _catch(outcome: list[BaseException], path) -> None:
    try:
        read_cost_matrix(path, 3)
    except BaseException as error:  # the test inspects whatever came out
        outcome.append(error)


def test_a_link_to_a_device_is_refused_before_a_byte_is_read(tmp_path):
    link = tmp_path / "zero.cost"
    link.symlink_to("/dev/zero")
    with pytest.raises(DataFormatError, match="not a regular file") as info:
        read_cost_matrix(link, 3)
    assert info.value.expected == "a cost matrix file"


def test_an_oversized_file_is_refused(tmp_path, monkeypatch):
    from workbench.evaluation import cost_file

    monkeypatch.setattr(cost_file, "MAX_COST_FILE_BYTES", 64)
    error = _refusal(tmp_path, b"2 2\n" + b"0 1\n" * 40)
    assert "larger than" in error.reason


def test_the_size_is_checked_only_when_the_class_is_known(tmp_path):
    path = tmp_path / "two.cost"
    path.write_text("2 2\n0 1\n1 0\n")
    assert read_cost_matrix(path).shape == (2, 2)


def test_a_typed_field_reads_with_or_without_brackets():
    assert np.array_equal(parse_cost_matrix("0 1; 5 0", None, 2, one_line=True),
                          [[0, 1], [5, 0]])
    assert np.array_equal(parse_cost_matrix("[0 1; 5 0]", None, 2, one_line=True),
                          [[0, 1], [5, 0]])
    assert parse_cost_matrix("  ", None, 2, one_line=True) is None
    with pytest.raises(DataFormatError, match="'NaN' is not a finite number") as info:
        parse_cost_matrix("0 NaN; 5 0", None, 2, one_line=True)
    assert info.value.column == 3
