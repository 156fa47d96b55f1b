"""Hostile inputs for every data reader, and a sandbox that runs one read under limits.

Shared by the fuzz tests (``test_reader_fuzz.py``) and ``scripts/fuzz_readers.py``,
which counts tried/clean/crashed per reader. Each read runs in a forked child with an
address-space limit and an alarm, so a reader that hangs or balloons is *reported* as
a crash instead of hanging or killing the test run. The invariant checked in the child:
the reader returns a Dataset (which then summarises and writes back, as ``info`` and
``convert`` do), or raises a WorkbenchError whose message names the file; anything
else is a crash.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import resource
import signal
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

TIME_LIMIT_S = 20
MEMORY_LIMIT_BYTES = 1 << 30   # on top of what the process already maps

# Seeds ---------------------------------------------------------------------------------
ARFF_SEEDS = [
    b"""% weather
@relation weather
@attribute outlook {sunny, overcast, 'rainy day'}
@attribute temperature numeric
@attribute when date "yyyy-MM-dd HH:mm"
@attribute note string
@attribute play {yes, no}
@data
sunny,85,'2001-04-03 12:00','it\\'s hot',no
overcast,?,?,"a \\"b\\" c",yes, {2}
'rainy day',1e3,'2001-04-04 01:00',?,yes
""",
    b"""@RELATION sparse
@ATTRIBUTE a NUMERIC
@ATTRIBUTE b {x, y}
@ATTRIBUTE s STRING
@DATA
{0 1.5, 1 y}
{2 'hello world'}, {0.5}
1, x, bye
{ }
""",
    b"""@relation mi
@attribute id {b1, b2}
@attribute bag relational
  @attribute f1 numeric
  @attribute f2 {lo, hi}
@end bag
@attribute class {0, 1}
@data
b1, "1.5,lo\\n2,hi", 1
b2, ?, 0
b1, '', 0
""",
    b"""@relation zones
@attribute t date "yy-MM-dd HH:mm:ss zzz Z"
@attribute u date "EEE, d MMM yyyy hh:mm a"
@data
'99-12-31 23:59:59 EST +0100', 'Tue, 4 Jan 2000 01:02 PM'
'00-01-01 00:00:00 UTC -0500', ?
""",
    b"@relation n\n@attribute a numeric\n@attribute b numeric\n@data\n1,2\n3,4\n-5.5,?\n",
]

CSV_SEEDS = [
    b"a,b,c\n1,2,x\n3,,y\n4.5,?,\"z, q\"\n",
    b"when;n;label\n2024-03-01;1;yes\n2024-03-02;2;no\n2024-03-03;;\n",
    b"t\tv\n2024-03-01T12:30:00\t\"say \\\"hi\\\"\"\n2024-03-02T01:00:00\t?\n",
    b"name,score\r\n\"multi\nline\",1\r\n'single',2\r\n",
]


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


def reference_datasets() -> Path:
    """The reference corpus: WEKA's data files (``weka/``) and awkward ARFF and CSV files
    from other projects' test suites (``corpus/``).

    ``$WORKBENCH_REFERENCE_DATA`` when set (the full corpus, with the files whose licence
    keeps them out of the repository), else the licence-compatible part the repository
    ships in ``tests/fixtures/reference`` (its SOURCES.md lists what was left out), so the
    reader tests run on every checkout instead of skipping on a clean clone. A variable
    naming no folder is an error: silently testing less is what this avoids.
    """
    named = os.environ.get("WORKBENCH_REFERENCE_DATA")
    if not named:
        return FIXTURES
    root = Path(named)
    if not root.is_dir():
        raise FileNotFoundError(f"WORKBENCH_REFERENCE_DATA={named} is not a folder")
    return root


def reference_file(relative: str) -> Path | None:
    """``relative`` in the reference corpus, or its ``.gz`` twin (the fixtures store the
    large WEKA files gzipped); None when neither is there (a file left out of the
    fixtures: see their SOURCES.md)."""
    path = reference_datasets() / relative
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def full_reference_only(relative: str) -> str:
    """Why a test that needs ``relative`` skips: the file is not vendored."""
    return (f"{relative} is not in the repository's fixtures (licence: see "
            "tests/fixtures/reference/SOURCES.md); set WORKBENCH_REFERENCE_DATA to the "
            "full reference data to run this test")


def read_reference_bytes(path: Path) -> bytes:
    """The bytes of a reference file, decompressed when it is stored gzipped."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def corpus_seeds(suffix: str, limit: int = 4000) -> list[bytes]:
    """The first ``limit`` bytes of the corpus files ending in ``suffix``.

    Extra seeds: the inline seeds above cover every feature on their own.
    """
    root = reference_datasets()
    files: list[Path | None] = list(sorted((root / "corpus").glob(f"*{suffix}")))
    if suffix == ".arff":
        files += [reference_file(f"weka/{n}") for n in ("iris.arff", "labor.arff")]
    return [read_reference_bytes(path)[:limit] for path in files
            if path is not None and path.stat().st_size]


# Hostile pieces the mutations splice in: each is one of the crash kinds.
HOSTILE = [
    b"\xc2\xb9",                      # superscript one: str.isdigit() says yes
    b"\xd9\xa3",                      # ARABIC-INDIC digit three
    b"9" * 4400,                      # more digits than int() takes from text
    b"'\\ud800'",                     # a lone surrogate by escape
    b"\\ud83d\\ude00",                # a surrogate pair by escape
    b"'" + b"x" * 3000 + b"'",        # a long quoted value
    b"\"" + b"y" * 3000 + b"\"",
    b"1e999", b"-1e999", b"NaN", b"inf",
    b"{99999999999999999999 1}",      # a sparse index beyond every int
    b"{0 1, 0 2}",
]
JUNK = [b"'", b'"', b"{", b"}", b",", b";", b"\t", b"?", b"%", b"\\", b"\n", b"\r", b" ",
        b"@data", b"@attribute", b"@end", b"@attribute r relational\n", b"\x00", b"\xff",
        b"\xc3", b"\x1f\x8b", *HOSTILE]


def deep_relational(depth: int) -> bytes:
    """An ARFF header with relational attributes nested ``depth`` deep."""
    head = [b"@relation deep"]
    head += [b"@attribute r%d relational" % k for k in range(depth)]
    head.append(b"@attribute x numeric")
    head += [b"@end r%d" % k for k in reversed(range(depth))]
    return b"\n".join([*head, b"@data", b"?", b""])


@st.composite
def mangled(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few inserts, deletions, duplications, truncations or hostile pieces."""
    data = bytearray(draw(st.sampled_from(seeds)))
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


# Places in a small file where a hostile piece does the most harm.
ARFF_SLOTS = [
    b"@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n{%s 1}\n",
    b"@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n{0 %s, 1 2}\n",
    b"@relation %s\n@attribute a numeric\n@data\n1\n",
    b"@relation r\n@attribute %s numeric\n@data\n1\n",
    b"@relation r\n@attribute a {%s, b}\n@data\nb\n",
    b"@relation r\n@attribute a numeric\n@attribute c {p,q}\n@data\n%s,p\n",
    b"@relation r\n@attribute a string\n@data\n%s\n",
    b"@relation r\n@attribute a date 'yyyy-MM-dd'\n@data\n%s\n",
    b"@relation r\n@attribute a numeric\n@data\n1,{%s}\n",
]
CSV_SLOTS = [
    b"a,b\n%s,1\n2,\n",
    b"%s,b\n1,2\n",
    b"a,b\n1,%s\n3,\n",
    b"a,b\nx,1\n%s,\n",
]
CSV_HOSTILE = [*HOSTILE, b'"' + b"x" * 140_000 + b'"', b'"a\nb"', b"2024-02-30",
               b"2024-03-01T25:00"]


@st.composite
def slotted(draw: st.DrawFn, slots: list[bytes], pieces: list[bytes]) -> bytes:
    """A hostile piece put where it does the most harm in a small valid file."""
    return draw(st.sampled_from(slots)).replace(b"%s", draw(st.sampled_from(pieces)))


def arff_inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(mangled(seeds), slotted(ARFF_SLOTS, HOSTILE),
                     st.sampled_from([1, 2, 8, 60, 300, 1000]).map(deep_relational))


def csv_inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(mangled(seeds), slotted(CSV_SLOTS, CSV_HOSTILE))


@st.composite
def gzipped(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A mangled ARFF file, gzipped, sometimes with its compressed bytes cut or bent."""
    packed = bytearray(gzip.compress(draw(arff_inputs(seeds)), mtime=0))
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    if damage == "truncate":
        del packed[draw(st.integers(2, len(packed))):]
    elif damage == "flip":
        pos = draw(st.integers(10, len(packed) - 1))
        packed[pos] ^= draw(st.integers(1, 255))
    return bytes(packed)


_DATE_LETTERS = "GyYMLdDEuaHkKhmsSzZX"


# Patterns that hold a whole moment to the second: what they write must read back the same.
COMPLETE_PATTERNS = ["yyyy-MM-dd'T'HH:mm:ss", "yy-MM-dd HH:mm:ss", "y/M/d H:m:s",
                     "dd MMM yyyy kk:mm:ss", "EEE, d MMMM yyyy hh:mm:ss a",
                     "yyyyMMddHHmmss", "yyMMddHHmmss", "yyyy-DDD HH:mm:ss z",
                     "yyyy-MM-dd K:mm:ss a Z", "yy.MM.dd G HH:mm:ss X"]
_YEAR_1 = -62135596800      # 0001-01-01T00:00:00Z in epoch seconds
_YEAR_9999 = 253402300799   # 9999-12-31T23:59:59Z


@st.composite
def date_cases(draw: st.DrawFn) -> tuple[str, str | int]:
    """(pattern, text) or (pattern, epoch seconds to write and read back).

    A third of the cases are the issue's hostile shape (many zone fields against a run
    of letters, which made the regex backtrack exponentially), a third free patterns
    from every letter against text from their alphabet, a third moments from year 1 to
    9999 written with a complete pattern, which must read back as the same moment.
    """
    branch = draw(st.sampled_from(["hostile", "free", "round trip"]))
    if branch == "round trip":
        return (draw(st.sampled_from(COMPLETE_PATTERNS)),
                draw(st.integers(_YEAR_1, _YEAR_9999)
                     | st.sampled_from([_YEAR_1, _YEAR_9999, 0, -1, 946684800])))
    if branch == "hostile":
        fields = draw(st.sampled_from([1, 3, 8, 12, 16]))
        first, second = draw(st.sampled_from([("z", "Z"), ("Z", "X"), ("zzz", "Z"),
                                              ("X", "z"), ("Z", "z ")]))
        pattern = "".join(first if k % 2 == 0 else second for k in range(fields))
        unit = draw(st.sampled_from(["x", "Ab", "UTC", "+"]))
        count = draw(st.sampled_from([5 * fields + 1, 5 * fields - 1])
                     | st.integers(1, 80))
        return pattern, (unit * count)[:count]
    parts = draw(st.lists(st.one_of(
        st.tuples(st.sampled_from(_DATE_LETTERS), st.integers(1, 5)).map(lambda t: t[0] * t[1]),
        st.sampled_from(["-", ":", " ", "'T'", "''", ".", "/", "'", "q"])), min_size=1,
        max_size=10))
    pattern = "".join(parts)
    text = draw(st.text(alphabet="0123456789-: T./+ZAPMJanFebUTCGMTESTMonday\u00b9",
                        max_size=40) | st.just("9" * 4400))
    return pattern, text


# Readers --------------------------------------------------------------------------------
def _check_output(dataset: object) -> None:
    """What info and convert do with a dataset: summarise it, write it both ways, and
    encode every text as UTF-8 for the terminal or the file."""
    from workbench.core.errors import WorkbenchError
    from workbench.data.arff import write_arff
    from workbench.data.csv import dataset_to_csv_text
    from workbench.data.stats import summarize

    summaries = summarize(dataset)  # type: ignore[arg-type]
    for s in summaries:
        s.name.encode("utf-8")
        for label in s.labels:
            label.encode("utf-8")
    out = io.StringIO()
    write_arff(dataset, out)  # type: ignore[arg-type]
    out.getvalue().encode("utf-8")
    # relational data has no CSV form: a refusal, not a crash
    with contextlib.suppress(WorkbenchError):
        dataset_to_csv_text(dataset).encode("utf-8")  # type: ignore[arg-type]


def read_arff_bytes(data: bytes) -> str:
    from workbench.data.arff import read_arff

    _check_output(read_arff(io.BytesIO(data), name="fuzz.arff"))
    return "loaded"


def _read_file(data: bytes, suffix: str) -> str:
    from workbench.data.io import load_dataset

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        _check_output(load_dataset(path))
    return "loaded"


def read_arff_gz_bytes(data: bytes) -> str:
    return _read_file(data, ".arff.gz")


def read_csv_bytes(data: bytes) -> str:
    return _read_file(data, ".csv")


def read_date(case: tuple[str, str]) -> str:
    from workbench.data.dates import DateFormat

    pattern, text = case
    fmt = DateFormat(pattern)
    if isinstance(text, int):   # a moment written and read back: never another moment
        written = fmt.format(float(text))
        if fmt.parse(written) != text:
            raise AssertionError(f"{text} written as {written!r} with {pattern!r} reads "
                                 f"back as {fmt.parse(written)}")
        return "loaded"
    seconds = fmt.parse(text)
    fmt.format(seconds)
    return "loaded"


READERS: dict[str, tuple[Callable[[list[bytes]], st.SearchStrategy], Callable]] = {
    "arff": (arff_inputs, read_arff_bytes),
    "arff.gz": (lambda seeds: gzipped(seeds), read_arff_gz_bytes),
    "csv": (csv_inputs, read_csv_bytes),
    "dates": (lambda seeds: date_cases(), read_date),
}


def seeds_for(reader: str, with_corpus: bool = True) -> list[bytes]:
    if reader == "csv":
        return CSV_SEEDS + (corpus_seeds(".csv") if with_corpus else [])
    if reader == "dates":
        return []
    return ARFF_SEEDS + (corpus_seeds(".arff") if with_corpus else [])


# The sandbox -----------------------------------------------------------------------------
def _mapped_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def preload() -> None:
    """Import the readers once in the parent, so that each forked child starts warm."""
    import workbench.data.arff
    import workbench.data.csv
    import workbench.data.io
    import workbench.data.stats  # noqa: F401


def run_limited(function: Callable[[object], str], argument: object,
                seconds: int = TIME_LIMIT_S, memory: int = MEMORY_LIMIT_BYTES,
                warm: Callable[[], None] | None = None) -> tuple[str, str]:
    """(outcome, detail) of ``function(argument)`` run in a forked child under limits.

    outcome is ``loaded`` (a dataset), ``refused`` (a WorkbenchError naming the file:
    the detail is its message), ``crash`` (any other exception: the traceback),
    ``timeout`` or ``memory``. ``warm`` imports what the readers need before the fork
    (default: the data readers); the flow/model fuzzing shares this sandbox.
    """
    (warm or preload)()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: never returns
        os.close(read_end)
        status = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (_mapped_bytes() + memory,) * 2)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(seconds)
            report = _outcome(function, argument)
            with os.fdopen(write_end, "w", encoding="utf-8", errors="backslashreplace") as w:
                w.write(report)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as r:
        report = r.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return ("timeout" if os.WTERMSIG(status) == signal.SIGALRM else "memory",
                f"killed by signal {os.WTERMSIG(status)}")
    if not report:
        return "memory", "the child died without a word (out of memory?)"
    outcome, _, detail = report.partition("\n")
    return outcome, detail


def _outcome(function: Callable[[object], str], argument: object) -> str:
    from workbench.core.errors import WorkbenchError

    try:
        return function(argument) + "\n"
    except WorkbenchError as exc:
        message = str(exc)
        names_file = "fuzz" in message or not isinstance(argument, bytes)
        return ("refused\n" if names_file else "crash\nunnamed file: ") + message
    except MemoryError:
        return "memory\nMemoryError"
    except BaseException:
        return "crash\n" + traceback.format_exc()


CLEAN = ("loaded", "refused")
