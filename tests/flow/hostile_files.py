"""Hostile flow files, experiment specs and model files, and a sandbox for one read.

Shared by ``test_hostile_files.py`` (bounded examples in the default suite, more under
``-m slow``) and ``scripts/fuzz_readers.py``, which counts tried/clean/crashed per reader.
Each read runs in a forked child with an address-space limit and an alarm, so a reader
that hangs or balloons is *reported* as a crash instead of hanging the test run.

The invariant: the reader returns its object (which is then used as the commands use
it: a flow is listed and its writes planned, a spec's first runs generated, a model
predicts on data of its header), or raises a WorkbenchError whose message names the
file (``fuzz``); anything else is a crash.
"""

from __future__ import annotations

import copy
import io
import json
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# The forked sandbox lives once, beside the data fuzzing.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
import fuzzing

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "workbench" / "resources"
TIME_LIMIT_S = 20
MEMORY_LIMIT_BYTES = 1 << 30

# Values spliced into parsed JSON: each is one of the crash kinds.
HOSTILE_VALUES: list[Any] = [
    5, -1, 0, True, False, None, "", "x\x00y", "\ud800", [], {}, [1, 2], {"a": 1},
    10**12, -(10**12), 10**30, 1e308, 0.5, "1e999", "../../etc/passwd", "/dev/full",
    "~/.bashrc", "9" * 50, [[[]]], {"node": 5, "port": []},
]
DEEP = "[" * 5000 + "]" * 5000
HUGE_INT = "9" * 5000


def _paths(tree: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += _paths(value, (*prefix, index))
    return found


def _replace(tree: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    tree = copy.deepcopy(tree)
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


@st.composite
def mutated_json(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed JSON document with values replaced, nesting piled up, or bytes mangled."""
    raw = draw(st.sampled_from(seeds))
    kind = draw(st.sampled_from(["replace", "replace", "replace", "deep", "hugeint",
                                 "bytes", "encoding"]))
    if kind == "bytes":
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 4))):
            pos = draw(st.integers(0, len(data)))
            piece = draw(st.sampled_from([b"{", b"}", b"[", b"]", b",", b'"', b"\\", b"\x00",
                                          b"\xff", b"\xc3", b"NaN", b"-", b"1e999"]))
            if draw(st.booleans()):
                data[pos:pos] = piece
            else:
                del data[pos:pos + draw(st.integers(1, 8))]
        return bytes(data)
    if kind == "encoding":
        return raw.decode("utf-8").encode(draw(st.sampled_from(["utf-16", "utf-32",
                                                                "latin-1"])),
                                          errors="replace") + b"\xe9"
    tree = json.loads(raw)
    path = draw(st.sampled_from(_paths(tree)))
    if kind == "replace":
        value = draw(st.sampled_from(HOSTILE_VALUES))
        return json.dumps(_replace(tree, path, value)).encode("utf-8", "surrogatepass")
    marker = "\u2603MARK\u2603"
    text = json.dumps(_replace(tree, path, marker), ensure_ascii=False)
    return text.replace(json.dumps(marker, ensure_ascii=False),
                        DEEP if kind == "deep" else HUGE_INT).encode()


# Flow files -----------------------------------------------------------------------------
def flow_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((RESOURCES / "flows").glob("*.kflow.json"))]


def read_flow_bytes(data: bytes) -> str:
    from workbench.flow import flow_to_dict, load_flow
    from workbench.flow.writes import planned_writes

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.kflow.json"
        path.write_bytes(data)
        flow = load_flow(path)
        flow.topological_order()
        json.dumps(flow_to_dict(flow))
        planned_writes(flow)
    return "loaded"


# Experiment specs -------------------------------------------------------------------------
def spec_seeds() -> list[bytes]:
    small = {"datasets": ["iris", "weather.nominal"], "classifiers": [
        "zeror", {"name": "knn", "params": {"k": 3}, "label": "k3"}],
        "resampling": {"method": "cross_validation", "folds": 5}, "repetitions": 2}
    split = {"datasets": ["iris"], "classifiers": ["naive-bayes"],
             "resampling": {"method": "split", "percent": 66}, "repetitions": 3, "seed": 4}
    return [p.read_bytes() for p in sorted((RESOURCES / "experiments").glob("*.json"))] + [
        json.dumps(small).encode(), json.dumps(split).encode()]


def read_spec_bytes(data: bytes) -> str:
    from itertools import islice

    from workbench.evaluation.experiment import load_spec, runs, spec

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.experiment.json"
        path.write_bytes(data)
        loaded = load_spec(path)
        validate = getattr(spec, "validate_for_run", None)  # absent in older code
        if validate is not None:
            validate(loaded, source=str(path))
        generate = getattr(runs, "iter_runs", runs.expand_runs)
        list(islice(generate(loaded), 50))
        assert loaded.total_runs >= 1
    return "loaded"


# Model files ------------------------------------------------------------------------------
MODEL_LEARNERS: list[tuple[str, dict[str, Any]]] = [
    ("knn", {"k": 3}), ("naive-bayes", {}), ("zeror", {}), ("decision-tree", {}),
    ("random-forest", {"trees": 5}), ("logistic", {}), ("perceptron", {}),
]


@cache
def model_seeds() -> tuple[bytes, ...]:
    """Model files of several learners trained on iris (scikit-learn-backed ones too)."""
    from workbench.core.registry import default_registry
    from workbench.data.catalog import load_bundled

    data = load_bundled("iris")
    out = []
    registry = default_registry()
    with tempfile.TemporaryDirectory() as folder:
        for name, params in MODEL_LEARNERS:
            try:
                model = registry.create("classifier", name, **params).fit(data)
            except Exception:  # a learner missing from this checkout
                continue
            path = Path(folder) / f"{name}.model"
            model.save(path)
            out.append(path.read_bytes())
    return tuple(out)


def _rezip(raw: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip with each member's bytes passed through ``change`` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return buffer.getvalue()


def _npy_header(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    header = repr({"descr": dtype, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


@st.composite
def mutated_model(draw: st.DrawFn) -> bytes:
    raw = draw(st.sampled_from(model_seeds()))
    kind = draw(st.sampled_from(["json", "json", "flip", "truncate", "npy", "bomb",
                                 "compression", "encrypted", "crc", "codes"]))
    if kind == "json":
        text = zipfile.ZipFile(io.BytesIO(raw)).read("model.json")
        new = draw(mutated_json([text]))
        return _rezip(raw, lambda name, content: new if name == "model.json" else content)
    if kind in ("flip", "truncate"):
        data = bytearray(raw)
        pos = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            return bytes(data[:pos])
        data[pos] ^= draw(st.integers(1, 255))
        return bytes(data)
    names = [n for n in zipfile.ZipFile(io.BytesIO(raw)).namelist() if n.endswith(".npy")]
    if kind in ("npy", "bomb", "codes") and names:
        victim = draw(st.sampled_from(names))
        if kind == "npy":
            shape = draw(st.sampled_from([(10**12,), (10**6, 10**6), (3, 10**9), (0,),
                                          (2, 2), (-1,)]))
            dtype = draw(st.sampled_from(["<f8", "<i8", "|O", "<U10", "|b1", "<c16"]))
            body = _npy_header(shape, dtype) + b"\x00" * draw(st.integers(0, 64))
        elif kind == "bomb":
            count = 40_000_000  # 320 MB of zeros in a few hundred kB of zip
            body = _npy_header((count,)) + bytes(8 * count)
        else:
            import numpy as np

            array = np.load(io.BytesIO(zipfile.ZipFile(io.BytesIO(raw)).read(victim)))
            value = draw(st.sampled_from([1e9, -5.0, 3.5, float("nan"), float("inf")]))
            array = np.full_like(array, value) if array.dtype.kind == "f" else array
            buffer = io.BytesIO()
            np.save(buffer, array)
            body = buffer.getvalue()
        return _rezip(raw, lambda name, content: body if name == victim else content)
    data = bytearray(raw)
    offset = data.find(b"PK\x01\x02")  # first central directory entry
    local = 0
    if kind == "compression":
        method = draw(st.sampled_from([1, 6, 9, 12, 14, 93, 95, 98, 99]))
        struct.pack_into("<H", data, local + 8, method)
        if offset > 0:
            struct.pack_into("<H", data, offset + 10, method)
    elif kind == "encrypted":
        struct.pack_into("<H", data, local + 6, 1)
        if offset > 0:
            struct.pack_into("<H", data, offset + 8, 1)
    else:  # crc
        struct.pack_into("<I", data, local + 14, 0xDEADBEEF)
        if offset > 0:
            struct.pack_into("<I", data, offset + 16, 0xDEADBEEF)
    return bytes(data)


def read_model_bytes(data: bytes) -> str:
    from workbench.classifiers.modelfile import load_model
    from workbench.core.errors import WorkbenchError
    from workbench.data.catalog import load_bundled

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.model"
        path.write_bytes(data)
        model = load_model(path)
        model.describe()
        try:
            model.predict_proba(load_bundled("iris"))
        except WorkbenchError:
            # Said in our words (data that does not fit the model, numbers a damaged
            # state cannot turn into probabilities): a message, not a traceback.
            return "loaded"
    return "loaded"


READERS: dict[str, tuple[Callable[[], st.SearchStrategy], Callable[[bytes], str]]] = {
    "flow": (lambda: mutated_json(flow_seeds()), read_flow_bytes),
    "spec": (lambda: mutated_json(spec_seeds()), read_spec_bytes),
    # the seed models are trained before drawing starts (training uses random numbers)
    "model": (lambda: model_seeds() and mutated_model(), read_model_bytes),
}


# The sandbox ------------------------------------------------------------------------------
def preload() -> None:
    """Import once in the parent so that each forked child starts warm."""
    import workbench.classifiers.modelfile
    import workbench.evaluation.experiment
    import workbench.flow  # noqa: F401
    from workbench.core.registry import default_registry

    default_registry()
    model_seeds()


def run_limited(function: Callable[[bytes], str], argument: bytes,
                seconds: int = TIME_LIMIT_S, memory: int = MEMORY_LIMIT_BYTES
                ) -> tuple[str, str]:
    """(outcome, detail): ``loaded``, ``refused`` (a WorkbenchError naming the file),
    ``crash`` (anything else: the traceback), ``timeout`` or ``memory``: the data
    readers' sandbox (``tests/data/fuzzing.py``), warmed with these readers."""
    return fuzzing.run_limited(function, argument, seconds, memory, warm=preload)
CLEAN = fuzzing.CLEAN   # the outcomes that are not a crash
