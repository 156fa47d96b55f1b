"""Mangled ARFF files either load or raise DataFormatError with a line: never anything else.

The seeds are small inline files covering every feature (so the test runs without the
shared corpus), plus a few corpus files when the corpus is there.
"""

import io

import numpy as np
from fuzzing import ARFF_SEEDS, corpus_seeds, mangled
from hypothesis import HealthCheck, given, settings

from workbench.core.errors import DataFormatError
from workbench.data.arff import _read_arff, read_arff, write_arff

# One list of seed files and one mangler, shared with the sandboxed reader fuzzing
# (fuzzing.py), which also splices in the hostile pieces of issue 23.
SEEDS = ARFF_SEEDS
ALL_SEEDS = SEEDS + corpus_seeds(".arff")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled(ALL_SEEDS))
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
