"""Wide sparse ARFF rows (WEKA's StringToWordVector output: ``{0 1,17 3,...,n class}``):
read without a Python step per value, held as CSR, and read exactly as the tokenized
reader reads them."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.data.arff_rows as rows_module
from workbench.core.errors import DataFormatError
from workbench.data.arff import read_arff
from workbench.data.arff_values import NumericDecoder


def _header(words: int, middle: bool = False) -> str:
    lines = ["@relation words"]
    for j in range(words):
        kind = "{a,b,'c d'}" if middle and j == words // 2 else "numeric"
        lines.append(f"@attribute w{j} {kind}")
    lines += ["@attribute class {pos,neg}", "@data", ""]
    return "\n".join(lines)


def _rows(count: int, words: int, seed: int = 0, skip: int = -1
          ) -> tuple[str, sp.csr_matrix]:
    """Rows of word counts (never in column ``skip``) and a class; their matrix."""
    rng = np.random.default_rng(seed)
    lines, X = [], np.zeros((count, words + 1))
    for i in range(count):
        cols = np.sort(rng.choice(words, int(rng.integers(1, 30)), replace=False))
        cols = cols[cols != skip]
        counts = rng.integers(1, 6, len(cols)).astype(float)
        label = int(rng.integers(0, 2))
        X[i, cols], X[i, words] = counts, label
        pairs = [f"{j} {v:g}" for j, v in zip(cols.tolist(), counts.tolist(), strict=True)]
        lines.append("{" + ",".join([*pairs, f"{words} {('pos', 'neg')[label]}"]) + "}")
    return "\n".join(lines) + "\n", sp.csr_matrix(X)


def both(text: str, monkeypatch: pytest.MonkeyPatch):
    """The plain sparse read and the tokenized one agree: the same dataset or error."""
    try:
        fast = read_arff(io.StringIO(text), name="s.arff")
    except DataFormatError as error:
        with monkeypatch.context() as m:
            m.setattr(rows_module, "_plain_sparse", lambda *args: None)
            with pytest.raises(DataFormatError) as careful:
                read_arff(io.StringIO(text), name="s.arff")
        assert str(careful.value) == str(error)
        return error
    with monkeypatch.context() as m:
        m.setattr(rows_module, "_plain_sparse", lambda *args: None)
        careful_data = read_arff(io.StringIO(text), name="s.arff")
    assert careful_data.equals(fast)
    return fast


def test_word_counts_with_a_class_are_not_converted_one_by_one(monkeypatch):
    # A nominal class made every value of every row go through its decoder: 20 000 rows
    # of ~60 words over 100 000 attributes took 3.4 s (liac-arff 1.9 s), 2.2 s now.
    converted = []
    convert = NumericDecoder.convert

    def counting(self, text):
        converted.append(text)
        return convert(self, text)

    text, expected = _rows(200, 3000)
    monkeypatch.setattr(NumericDecoder, "convert", counting)
    d = read_arff(io.StringIO(_header(3000) + text))
    assert converted == []
    assert sp.issparse(d.X) and d.X.shape == (200, 3001)   # CSR, never dense
    assert (expected != d.X).nnz == 0
    assert d.attributes[-1].values == ("pos", "neg")


def test_a_label_attribute_among_the_words_and_missing_values(monkeypatch):
    text, _ = _rows(50, 40, seed=1, skip=20)
    lines = text.splitlines()
    lines[3] = "{0 2,20 'c d',39 ?,40 neg}"
    lines[4] = "{1 ?,20 b,40 ?}"
    lines[5] = "{20 a}"
    d = both(_header(40, middle=True) + "\n".join(lines) + "\n", monkeypatch)
    assert d.attributes[20].values == ("a", "b", "c d")
    assert np.isnan(d.X[3, 39]) and d.X[4, 20] == 1 and np.isnan(d.X[4, 40])


# Values a sparse pair may hold: each reads as the tokenized reader reads it, or both
# refuse it with the same message.
VALUES = ["1", "3", "-2.5", "1e3", "?", "1_0", "nan", "inf", "0x10", "1.", ".5", "pos",
          "neg", "maybe", "a", "b", "'c d'", "c"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(VALUES)),
                         max_size=6), min_size=1, max_size=5),
       st.booleans(), st.booleans())
def test_any_pairs_read_as_the_tokenized_reader_reads_them(monkeypatch, rows, middle,
                                                           ordered):
    lines = []
    for pairs in rows:
        if ordered:
            pairs = sorted(dict(pairs).items())
        lines.append("{" + ",".join(f"{j} {v}" for j, v in pairs) + "}")
    both(_header(10, middle) + "\n".join(lines) + "\n", monkeypatch)
