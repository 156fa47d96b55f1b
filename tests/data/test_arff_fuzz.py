"""Mangled ARFF files either load or raise DataFormatError with a line: never anything else.

The seeds are small inline files covering every feature (so the test runs without the
shared corpus), plus a few corpus files when the corpus is there.
"""

import io
from pathlib import Path

import numpy as np
from fuzzing import ARFF_SEEDS, HOSTILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import DataFormatError
from workbench.data.arff import _read_arff, read_arff, write_arff

SEEDS = ARFF_SEEDS  # one list of seed files, shared with the sandboxed reader fuzzing


def _corpus_seeds() -> list[bytes]:
    here = Path(__file__).resolve()
    for root in (here.parents[2].parent / "shared" / "datasets",
                 Path("/work/shared/datasets")):
        if root.is_dir():
            names = ["weka/iris.arff", "weka/labor.arff", "corpus/weka-FilterTest.arff",
                     "corpus/weka-SimpleStringTimeSeries.arff", "corpus/scipy-test9.arff"]
            return [(root / n).read_bytes()[:4000] for n in names if (root / n).exists()]
    return []


ALL_SEEDS = SEEDS + _corpus_seeds()
# The hostile pieces of issue 23 (superscript digits, thousand-digit numbers, surrogate
# escapes, long quoted values, huge sparse indices) are spliced in too: fuzzing.py.
JUNK = [b"'", b'"', b"{", b"}", b",", b"?", b"%", b"\\", b"\n", b"\r", b" ", b"@data",
        b"@attribute", b"@end", b"NaN", b"\x00", b"\xff", b"\xc3", b"\x1f\x8b", b"1e999",
        *HOSTILE]


@st.composite
def mangled(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(ALL_SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate", "junk",
                                     "drop_line", "double_line"]))
        pos = draw(st.integers(0, len(data)))
        if kind == "insert":
            data[pos:pos] = draw(st.sampled_from(JUNK))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 8))]
        elif kind == "duplicate":
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 12))]
        elif kind == "truncate":
            del data[pos:]
        elif kind == "junk":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=6))
        else:
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, max(len(lines) - 1, 0)))
            if kind == "drop_line":
                del lines[k]
            else:
                lines.insert(k, lines[k] if lines else b"")
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_mangled_files_load_or_fail_with_a_line(data):
    try:
        fast = read_arff(io.BytesIO(data), name="fuzz.arff")
    except DataFormatError as exc:
        assert exc.line is not None, str(exc)
        assert exc.path == "fuzz.arff"
        # the careful reader must find the same problem
        try:
            _read_arff(io.BytesIO(data), name="fuzz.arff", fast=False)
        except DataFormatError as careful:
            assert str(careful) == str(exc)
        else:
            raise AssertionError(f"only the fast path rejected it: {exc}") from None
        return
    careful = _read_arff(io.BytesIO(data), name="fuzz.arff", fast=False)
    assert careful.equals(fast)
    # whatever loads, writes and reads back the same
    out = io.StringIO()
    write_arff(fast, out)
    assert read_arff(io.StringIO(out.getvalue()), name="rt.arff").equals(fast)
    assert np.isfinite(fast.weights).all()
