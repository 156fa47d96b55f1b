"""Model files: JSON for what a person can read, ``.npy`` arrays for the numbers.

A model file is one zip archive (like ``.npz``) holding ``model.json`` (component name,
parameters, training header, learned scalars) and one ``arrays/NAME.npy`` per learned
array. Learners pack what they learn per attribute into a few arrays (NaiveBayes's
estimators, a filter's list of arrays), so a model's member count does not grow with
its width; the writer refuses more members than the reader takes (``MAX_MEMBERS``).
Arrays are read with ``allow_pickle=False`` and the component is looked up by name in
the registry, never imported by a path taken from the file, so opening a model from a
stranger cannot run code (DESIGN.md rule 6). Writes go to a temporary file in the same
folder and are renamed into place, so a crash never leaves half a model.

Reading trusts nothing in the zip: members must be stored or deflated and unencrypted,
their declared sizes are checked against sane limits and their compression ratio
before anything is inflated (a 2 MB zip once inflated to a 2 GB array), each ``.npy``
header's shape and dtype must account for exactly the bytes the member holds before
the array is allocated, ``model.json`` goes through ``core.jsonfile`` (depth, NaN,
huge integers), the training header's class index must name one of its attributes,
and a loaded model must predict on a probe row without crashing. Every failure is a
``ModelFileError`` naming the file.

What a model costs is counted as the learners will hold it, not as the file stores it:
every learner widens what it loads to float64 (or int64), so a ``bool`` array costs
eight times its stored bytes once loaded. An 8 MB file of 1-byte arrays once asked a
k-NN for 16 GiB that way, while the stored bytes stayed under every limit. So all the
``.npy`` headers are read first, each element is charged at least ``LOADED_ITEMSIZE``
bytes, and the total must be under ``MAX_TOTAL_BYTES`` and leave room in free memory
for the work a prediction does beside it (``LOAD_WORK_FACTOR``) before any array is
allocated; this one check covers every learner, built in or plugged in. The writer
refuses to write a model over the same limit, so every file we write is one we read.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from workbench.classifiers.model_header import (
    MAX_HEADER_ATTRIBUTES,
    MAX_MODEL_JSON_OBJECTS,
    header_from_json,
    header_to_json,
)
from workbench.classifiers.zip_directory import zip_directory
from workbench.core.atomic import atomic_write
from workbench.core.errors import Cancelled, DataFormatError, WorkbenchError
from workbench.core.jsonfile import decode_text, parse_json
from workbench.core.memory_ceiling import available_memory, describe_bytes
from workbench.core.progress import ProgressCallback, reporting_to
from workbench.data.dataset import AttributeType, Dataset

if TYPE_CHECKING:
    from workbench.classifiers.base import Classifier
    from workbench.core.registry import Registry

FORMAT = "workbench-model"
FORMAT_VERSION = 1
JSON_MEMBER = "model.json"
ARRAY_PREFIX = "arrays/"
# A model's JSON is small; refusing huge members keeps a crafted file from eating memory.
# Its objects are bounded too, before it is parsed (model_header.MAX_MODEL_JSON_OBJECTS).
MAX_JSON_BYTES = 64 * 1024 * 1024
# model.json is read this much at a time, its objects counted on the way.
_JSON_CHUNK = 1024 * 1024
# Bytes an element costs once loaded, whatever the file stores it as: learners widen
# what they load to float64 or int64 (module docstring).
LOADED_ITEMSIZE = 8
# The largest models we train hold the training rows: a k-NN or a refitted scikit-learn
# model on MNIST (60 000 x 784) takes 377 MB loaded; a DBN on MNIST ~10 MB. These limits,
# in loaded bytes, keep such models and refuse what a crafted file could make us allocate.
MAX_ARRAY_BYTES = 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Loading works beside the loaded arrays: the stored arrays until widened, and the probe
# prediction (k-NN's search copies its training rows for the product it ranks them with
# and adds distance blocks). Measured peaks: a k-NN on MNIST (377 MB loaded) 844 MB, 2.2
# times; a crafted k-NN of 1-byte arrays just under MAX_TOTAL_BYTES, 4.4 GB, 4.1 times.
# So loading needs LOAD_WORK_FACTOR times the loaded bytes, and WIDENING_FACTOR times
# what widening adds (stored narrow, the copies made on the way are the crafted file's
# extra): 2.5 x 377 MB = 943 MB for the MNIST k-NN, 2.5 x 8 + 2 x 7 = 34 bytes an
# element (4.25 times loaded) for the 1-byte file. A model that does not fit in free
# memory so counted is refused; one saved as float64 needs 2.5 times its size, not 4.
LOAD_WORK_FACTOR = 2.5
WIDENING_FACTOR = 2
# Members a model file may have: model.json and one per array. The models we write have
# a few dozen (a deep network: a few per layer), whatever the width of the data: what a
# learner learns per attribute, per class or per filtered column is packed into a few
# arrays (a 3 000-attribute NaiveBayes: 6 members), so 1 000 is far above any of them,
# and the writer refuses a model over it or over the directory size. The zip's
# central directory, which Python's zipfile parses whole before we see a member (a
# ZipInfo each: 300 000 empty members took 17.5 s), is bounded by its size too, at a
# generous 512 bytes a member (ours take 60-100), both read from the archive's end
# record before zipfile is called (``zip_directory.py``).
MAX_MEMBERS = 1000
MAX_DIRECTORY_BYTES = MAX_MEMBERS * 512
# Learned weights barely compress; a member inflating more than this is a zip bomb.
MAX_RATIO = 200
RATIO_CHECKED_FROM = 16 * 1024 * 1024
_NUMBER_KINDS = "biufc"


class ModelFileError(WorkbenchError):
    """A model file could not be read or written; the message names the file."""


# Writing ----------------------------------------------------------------------------------
def save_model(model: Classifier, path: str | PathLike[str]) -> None:
    """Write a fitted classifier to ``path`` atomically."""
    header = model._require_fitted()
    meta, arrays = model._state()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": model.kind,
        "component": model.name,
        "state_version": model.state_version,
        "params": model.params_to_dict(),
        "header": header_to_json(header),
        "classes": list(model.classes_),
        "state": meta,
    }
    try:
        text = json.dumps(document, indent=1, allow_nan=True)
    except (TypeError, ValueError) as error:
        raise AssertionError(f"{type(model).__name__}._state() is not JSON-ready: "
                             f"{error}") from None
    write_archive(path, text, arrays)


def write_archive(path: str | PathLike[str], text: str,
                  arrays: Mapping[str, np.ndarray]) -> None:
    """A zip of ``model.json`` and ``arrays/NAME.npy``, renamed into place when complete."""
    target = Path(path)
    if text.count("{") > MAX_MODEL_JSON_OBJECTS:   # the reader would refuse it
        raise ModelFileError(_too_many_objects(target, "would hold"))
    members = [JSON_MEMBER, *(ARRAY_PREFIX + name + ".npy" for name in arrays)]
    if len(members) > MAX_MEMBERS:   # the reader would refuse it
        raise ModelFileError(f"{target}: this model has {len(arrays)} learned arrays, more "
                             f"than a model file may hold ({MAX_MEMBERS - 1}, beside "
                             f"{JSON_MEMBER}); it cannot be saved")
    directory = sum(directory_entry_bytes(name) for name in members)
    if directory > MAX_DIRECTORY_BYTES:
        raise ModelFileError(f"{target}: this model's array names take "
                             f"{describe_bytes(directory)} in the zip directory, more than "
                             f"a model file may ({describe_bytes(MAX_DIRECTORY_BYTES)}); "
                             f"it cannot be saved")
    loaded = sum(loaded_bytes(np.shape(a), np.asarray(a).dtype) for a in arrays.values())
    if loaded > MAX_TOTAL_BYTES:
        raise ModelFileError(f"{target}: this model's arrays would take "
                             f"{describe_bytes(loaded)} once loaded, more than a model "
                             f"file may hold ({describe_bytes(MAX_TOTAL_BYTES)}); train "
                             f"it on fewer instances or attributes")
    opened = False
    # A reader checks compression ratios only past RATIO_CHECKED_FROM bytes in all (each
    # .npy header is well under 1 KB), so below that no member needs its ratio measured.
    measured = len(text) * 4 + sum(np.asarray(a).nbytes + 1024 for a in arrays.values()) \
        > RATIO_CHECKED_FROM
    try:
        with atomic_write(target, "wb") as raw, zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            opened = True
            archive.writestr(JSON_MEMBER, text)
            for name, array in arrays.items():
                array = np.asarray(array)
                if array.dtype == object:
                    raise AssertionError(f"array '{name}' has object dtype; "
                                         f"model files hold plain numbers only")
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                data = buffer.getvalue()
                archive.writestr(ARRAY_PREFIX + name + ".npy", data,
                                 compress_type=_compression(data) if measured
                                 else zipfile.ZIP_DEFLATED)
            raw.flush()
            os.fsync(raw.fileno())
    except OSError as error:
        if not opened:
            # Our own refusals (a folder, a device, a missing folder) carry no strerror.
            reason = error.strerror or str(error).removeprefix(f"{target}: ").removeprefix(
                "cannot write there: ")   # said once: "cannot write a model here"
            raise ModelFileError(f"{target}: cannot write a model here: {reason}") from None
        raise ModelFileError(f"{target}: cannot write the model: {error}") from None


def directory_entry_bytes(name: str) -> int:
    """The most a member called ``name`` takes in the zip's central directory, as
    ``zipfile`` writes it: the fixed 46-byte record, the name, and a ZIP64 extra field
    (28 bytes at most) for a member past 4 GiB into the archive."""
    return 46 + len(name.encode("utf-8")) + 28


def _compression(data: bytes) -> int:
    """Deflate, unless the member would deflate so well that a reader takes it for a zip
    bomb (mostly zeros: a k-NN's bag-of-words rows deflate 369:1); then it is stored as
    it is, so every file we write is one we read, one member or all together (the
    reader checks both). Measuring deflates the member once more, which is why only an
    archive large enough to be checked measures."""
    packed = len(zlib.compress(data))   # the level zipfile deflates at
    return zipfile.ZIP_STORED if len(data) > MAX_RATIO // 2 * packed else \
        zipfile.ZIP_DEFLATED


# Reading ----------------------------------------------------------------------------------
def is_model_file(path: str | PathLike[str]) -> bool:
    """Whether ``path`` is a model file ``save_model`` wrote (a zip whose ``model.json``
    names our format), read cheaply: enough for a command to know that a file it is
    about to replace is an earlier run's model and not something of the user's."""
    try:
        with open(path, "rb") as handle, zipfile.ZipFile(_bounded(handle)) as archive:
            if JSON_MEMBER not in archive.namelist():
                return False
            with archive.open(JSON_MEMBER) as member:
                start = member.read(256).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError, zlib.error, _TooManyMembers):
        return False
    return f'"format": "{FORMAT}"' in start


class _TooManyMembers(Exception):
    """The end record of a zip declares more members, or a larger directory, than a
    model file has."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _bounded(handle: BinaryIO) -> BinaryIO:
    """``handle``, rewound, once its zip end record declares no more members and no
    larger a central directory than a model has; ``_TooManyMembers`` otherwise, before
    ``zipfile`` parses the directory (``MAX_MEMBERS``)."""
    directory = zip_directory(handle)
    handle.seek(0)
    if directory is not None:
        if directory.members > MAX_MEMBERS:
            raise _TooManyMembers(f"{directory.members} members")
        if directory.size > MAX_DIRECTORY_BYTES:
            raise _TooManyMembers(f"a directory of {describe_bytes(directory.size)}")
    return handle


def read_archive(path: str | PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON document and the arrays of a model file, with nothing executed."""
    target = Path(path)
    if "\x00" in str(path):
        raise ModelFileError(f"{str(path)!r}: a file name cannot contain a NUL character")
    if target.exists() and not target.is_file():
        raise ModelFileError(f"{target}: not a regular file")
    try:
        handle = open(target, "rb")  # noqa: SIM115 (closed with the archive, below)
    except FileNotFoundError:
        raise ModelFileError(f"{target}: no such model file") from None
    except OSError as error:
        raise ModelFileError(f"{target}: cannot read the file: "
                             f"{error.strerror or error}") from None
    try:
        archive = zipfile.ZipFile(_bounded(handle))
    except _TooManyMembers as error:
        handle.close()
        raise ModelFileError(f"{target}: the zip archive declares {error.what}, more than "
                             f"a model file has (at most {MAX_MEMBERS} members: "
                             f"{JSON_MEMBER} and one per array)") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        handle.close()
        raise ModelFileError(f"{target}: not a workbench model file ({error}); model files "
                             f"are zip archives of model.json and .npy arrays") from None
    with handle, archive:
        try:
            return _read_members(target, archive)
        except ModelFileError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError,
                NotImplementedError, ValueError) as error:
            raise ModelFileError(f"{target}: the zip archive is damaged: {error}") from None


def _read_members(target: Path, archive: zipfile.ZipFile
                  ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:   # the end record said fewer: a crafted archive
        raise ModelFileError(f"{target}: the zip archive has {len(infos)} members, more "
                             f"than a model file has (at most {MAX_MEMBERS})")
    names = [info.filename for info in infos]
    if JSON_MEMBER not in names:
        raise ModelFileError(f"{target}: not a workbench model file (no {JSON_MEMBER})")
    if len(set(names)) != len(names):
        raise ModelFileError(f"{target}: a member appears twice in the zip archive")
    total = packed = 0
    for info in infos:
        _check_member(target, info)
        total += info.file_size
        packed += info.compress_size
    if total > MAX_TOTAL_BYTES:
        raise ModelFileError(f"{target}: the members would inflate to {total} bytes, more "
                             f"than a model can hold ({MAX_TOTAL_BYTES})")
    # The ratio of the whole archive too: many members each just under the size checked
    # one by one would otherwise inflate a 2 MB file to 2 GB.
    if total > RATIO_CHECKED_FROM and total > MAX_RATIO * max(packed, 1):
        raise ModelFileError(f"{target}: the members would inflate {packed} bytes to "
                             f"{total}: not learned numbers (a zip bomb?)")
    info = archive.getinfo(JSON_MEMBER)
    if info.file_size > MAX_JSON_BYTES:
        raise ModelFileError(f"{target}: {JSON_MEMBER} is implausibly large "
                             f"({info.file_size} bytes)")
    where = f"{target}:{JSON_MEMBER}"
    try:
        text = decode_text(_json_bytes(target, archive, info), where, what=JSON_MEMBER)
        document = parse_json(text, where, allow_nan=True, what=JSON_MEMBER)
    except DataFormatError as error:
        raise ModelFileError(str(error)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise ModelFileError(f"{target}: not a workbench model file "
                             f"(format is {found!r})")
    members: list[tuple[zipfile.ZipInfo, str, _NpyHeader]] = []
    for info in infos:
        name = info.filename
        if name == JSON_MEMBER:
            continue
        if not (name.startswith(ARRAY_PREFIX) and name.endswith(".npy")):
            raise ModelFileError(f"{target}: unexpected member '{name}' in a model file")
        key = name[len(ARRAY_PREFIX):-len(".npy")]
        members.append((info, key, _read_header(target, archive, info, key)))
    _check_loaded_size(target, members)
    arrays = {key: _read_body(target, archive, info, key, header)
              for info, key, header in members}
    return document, arrays


def _json_bytes(target: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """``model.json``'s bytes, refused as soon as they hold more objects than a model
    has (``MAX_MODEL_JSON_OBJECTS``), before any is parsed: a '{' byte is never part of
    another UTF-8 character, and no object is written without one."""
    chunks: list[bytes] = []
    objects = 0
    with archive.open(info) as member:
        while chunk := member.read(_JSON_CHUNK):
            objects += chunk.count(b"{")
            if objects > MAX_MODEL_JSON_OBJECTS:
                raise ModelFileError(_too_many_objects(target, "holds"))
            chunks.append(chunk)
    return b"".join(chunks)


def _too_many_objects(target: Path, verb: str) -> str:
    return (f"{target}: {JSON_MEMBER} {verb} more than {MAX_MODEL_JSON_OBJECTS:,} JSON "
            f"objects, more than a model file has (expected one per attribute of the "
            f"training header, which may list at most {MAX_HEADER_ATTRIBUTES:,}, and of a "
            f"wrapped model's, and a few for the learned state)")


def loaded_bytes(shape: tuple[int, ...], dtype: np.dtype[Any]) -> int:
    """What an array of ``shape`` and ``dtype`` costs once a learner has loaded it: each
    element at least ``LOADED_ITEMSIZE`` bytes (learners widen to float64 or int64)."""
    count = 1
    for size in shape:
        count *= int(size)
    return count * max(int(dtype.itemsize), LOADED_ITEMSIZE)


def _check_loaded_size(target: Path,
                       members: list[tuple[zipfile.ZipInfo, str, _NpyHeader]]) -> None:
    """Refuse, before any array is allocated, a model too big once loaded: over the
    limits, or too big for the memory free now (module docstring)."""
    total = widened = 0
    for _, key, (shape, _, dtype, _) in members:
        size = loaded_bytes(shape, dtype)
        widened += size - size // max(int(dtype.itemsize), LOADED_ITEMSIZE) * int(
            dtype.itemsize)
        if size > MAX_ARRAY_BYTES:
            raise ModelFileError(
                f"{target}: array '{key}' (shape {shape}, {dtype}) would take "
                f"{describe_bytes(size)} once loaded as {LOADED_ITEMSIZE}-byte numbers, "
                f"more than an array of a model may ({describe_bytes(MAX_ARRAY_BYTES)})")
        total += size
    if total > MAX_TOTAL_BYTES:
        raise ModelFileError(
            f"{target}: the arrays would take {describe_bytes(total)} once loaded as "
            f"{LOADED_ITEMSIZE}-byte numbers, more than a model may "
            f"({describe_bytes(MAX_TOTAL_BYTES)})")
    free = available_memory()
    need = int(total * LOAD_WORK_FACTOR + widened * WIDENING_FACTOR)
    if free is not None and need > free:
        raise ModelFileError(
            f"{target}: loading this model needs about "
            f"{describe_bytes(need)} ({describe_bytes(total)} of "
            f"arrays and the work of predicting with them) but only "
            f"{describe_bytes(free)} of memory is free")


def _check_member(target: Path, info: zipfile.ZipInfo) -> None:
    """Refuse, before inflating anything, what our writer never makes."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise ModelFileError(f"{target}: member '{name}' is encrypted; model files are not")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ModelFileError(f"{target}: member '{name}' uses compression method "
                             f"{info.compress_type}; model files are stored or deflated")
    if info.file_size > MAX_ARRAY_BYTES:
        raise ModelFileError(f"{target}: member '{name}' would inflate to {info.file_size} "
                             f"bytes, more than an array may hold ({MAX_ARRAY_BYTES})")
    if info.file_size > RATIO_CHECKED_FROM and \
            info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ModelFileError(f"{target}: member '{name}' would inflate {info.compress_size} "
                             f"bytes to {info.file_size}: not learned numbers (a zip bomb?)")


# shape, Fortran order, dtype, and the bytes before the data in the member
_NpyHeader = tuple[tuple[int, ...], bool, np.dtype[Any], int]


def _read_header(target: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                 key: str) -> _NpyHeader:
    """One ``.npy`` member's header, checked against the bytes the member really holds,
    so that nothing is allocated for an array whose size is a lie."""
    fmt = np.lib.format
    with archive.open(info) as member:
        try:
            version = fmt.read_magic(member)
            if version == (1, 0):
                shape, fortran, dtype = fmt.read_array_header_1_0(member)
            elif version == (2, 0):
                shape, fortran, dtype = fmt.read_array_header_2_0(member)
            else:
                raise ValueError(f"unsupported .npy version {version}")
        except (ValueError, SyntaxError, TypeError, EOFError) as error:
            raise ModelFileError(f"{target}: array '{key}' has a malformed header: "
                                 f"{error}") from None
        header_bytes = member.tell()
    if dtype.hasobject or dtype.kind not in _NUMBER_KINDS or dtype.itemsize == 0:
        raise ModelFileError(f"{target}: array '{key}' refused: dtype {dtype} (model "
                             f"files hold plain numbers, never objects)")
    count = 1
    for size in shape:
        count *= size
    expected = count * dtype.itemsize
    held = info.file_size - header_bytes
    if expected != held:
        raise ModelFileError(f"{target}: array '{key}' declares shape {shape} "
                             f"({expected} bytes of {dtype}) but holds {held} bytes")
    return tuple(shape), bool(fortran), dtype, header_bytes


def _read_body(target: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str,
               header: _NpyHeader) -> np.ndarray:
    """The numbers of a member whose header ``_read_header`` accepted."""
    shape, fortran, dtype, header_bytes = header
    expected = info.file_size - header_bytes
    array = np.empty(expected // dtype.itemsize, dtype=dtype)
    view = array.data.cast("B") if expected else memoryview(b"")
    with archive.open(info) as member:
        if len(member.read(header_bytes)) != header_bytes:
            raise ModelFileError(f"{target}: array '{key}' is cut short")
        filled = 0
        while filled < expected:
            # ZipFile.open gives a ZipExtFile (a BufferedIOBase); typeshed says IO[bytes].
            got = member.readinto(view[filled:])  # type: ignore[attr-defined]
            if not got:
                raise ModelFileError(f"{target}: array '{key}' is cut short")
            filled += got
    return array.reshape(shape[::-1]).transpose() if fortran else array.reshape(shape)


def load_model(path: str | PathLike[str], registry: Registry | None = None,
               progress: ProgressCallback | None = None) -> Classifier:
    """Read a classifier saved by ``Classifier.save``; it predicts exactly as when saved.

    The component is found by its registered name (so plugins' classifiers load too),
    never by importing a module named in the file. ``progress`` hears of long work on
    the way (a scikit-learn model's refit says what it fits).
    """
    from workbench.classifiers.base import Classifier
    from workbench.core.registry import default_registry

    document, arrays = read_archive(path)
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"{path}: model format version {version!r} is not supported "
                             f"(this Workbench reads version {FORMAT_VERSION})")
    kind, name = document.get("kind"), document.get("component")
    if kind != "classifier" or not isinstance(name, str):
        raise ModelFileError(f"{path}: holds a {kind!r} called {name!r}, not a classifier")
    try:
        info = (registry or default_registry()).get("classifier", name)
    except WorkbenchError as error:
        raise ModelFileError(f"{path}: {error}") from None
    factory = info.factory
    if not (isinstance(factory, type) and issubclass(factory, Classifier)):
        raise ModelFileError(f"{path}: component '{name}' is not a classifier class")
    if document.get("state_version") != factory.state_version:
        raise ModelFileError(
            f"{path}: saved by a different version of {factory.display_name or name} "
            f"(state version {document.get('state_version')!r}, this one reads "
            f"{factory.state_version}); retrain and save again")
    params = document.get("params")
    if not isinstance(params, dict):
        raise ModelFileError(f"{path}: the parameters are missing")
    state = document.get("state") or {}
    if not isinstance(state, dict):
        raise ModelFileError(f"{path}: the model state must be a JSON object")
    try:
        model = factory.from_params_dict(params)
        if not isinstance(model, Classifier):  # from_params_dict is typed as Configurable
            raise ModelFileError(f"{path}: component '{name}' did not build a classifier")
        header = header_from_json(document.get("header") or {})
        model.header_ = header
        cls = header.class_attribute
        model.classes_ = tuple(cls.values) if cls is not None and cls.is_nominal else ()
        if list(model.classes_) != document.get("classes", []):
            raise WorkbenchError("the class labels do not match the training header")
        with reporting_to(progress):
            model._set_state(state, arrays)
        _probe(model, header)
    except (ModelFileError, Cancelled):   # Stop during a refit on load is no bad file
        raise
    except WorkbenchError as error:
        raise ModelFileError(f"{path}: {error}") from None
    except Exception as error:  # the boundary of a file from anywhere
        # A learner's _set_state meets a state no save of ours produced: whatever it
        # trips over (a wrong type, an index out of range, an overflow) the file is bad.
        raise ModelFileError(f"{path}: the model state is malformed: "
                             f"{type(error).__name__}: {error}") from None
    return model


def _probe(model: Classifier, header: Dataset) -> None:
    """Describe the model and predict on two made-up rows, so that a state that loads
    but cannot describe itself or predict (class codes out of range, arrays of the wrong
    size, infinite weights, a network whose layers do not fit its input) is refused when
    the file is opened rather than in the middle of someone's evaluation, with a message
    that names no file.

    The first row is all zeros, a value every numeric and nominal attribute can hold: a
    model that refuses it, even in our words, refuses every row like it, and its file is
    damaged (a filter chain or an inner header edited to no longer fit the training
    header loaded and then failed every evaluation, blaming the user's data). The second
    row is all missing: a refusal in our words there (a learner that does not take
    missing values) is the learner's right, not a bad file. A string attribute is made
    up as missing (an empty text) in both rows, so on a header with one any refusal is
    taken as the learner's right. A header with other kinds (dates, relational) is not
    made up at all."""
    try:
        model.describe()  # what classify -l and the Explorer show first
    except WorkbenchError:
        pass
    except Exception as error:  # see the docstring
        raise WorkbenchError(f"the model loads but cannot describe itself "
                             f"({type(error).__name__}: {error}); the file is damaged"
                             ) from None
    kinds = (AttributeType.NUMERIC, AttributeType.NOMINAL, AttributeType.STRING)
    if header.num_attributes == 0 or not all(a.type in kinds for a in header.attributes):
        return
    texts = [i for i, a in enumerate(header.attributes)
             if a.type is AttributeType.STRING and i != header.class_index]
    rows = np.zeros((2, header.num_attributes))
    rows[1, :] = np.nan
    rows[:, texts] = np.nan
    if header.class_index is not None:
        rows[:, header.class_index] = np.nan
    for row, refusal_is_damage in ((0, not texts), (1, False)):
        probe = Dataset(header.relation, list(header.attributes), rows[row:row + 1],
                        class_index=header.class_index)
        try:
            if model.classes_:
                model.predict_proba(probe)
            else:
                model.predict(probe)
        except WorkbenchError as error:
            if refusal_is_damage:
                raise WorkbenchError(f"the model loads but refuses an instance of zeros of "
                                     f"its own training header ({error}); the file is "
                                     f"damaged") from None
            return
        except Exception as error:  # see the docstring
            raise WorkbenchError(f"the model loads but cannot predict "
                                 f"({type(error).__name__}: {error}); the file is damaged"
                                 ) from None


def stored_array(arrays: Mapping[str, np.ndarray], name: str, ndim: int | None = None,
                 *, finite: bool = False, nonnegative: bool = False) -> np.ndarray:
    """A learned array from a model file, checked for presence, kind and rank, and,
    where the learner says no valid model holds anything else, for values that are
    ``finite`` and ``nonnegative`` (instance weights, counts: a NaN or a negative
    one loads and then gives probabilities that do not sum to 1). Only where fitting can
    never produce anything else, or a model we wrote would not read back."""
    if name not in arrays:
        raise WorkbenchError(f"the model file lacks the array '{name}'")
    array = arrays[name]
    if array.dtype.kind not in "fiub":
        raise WorkbenchError(f"array '{name}' has dtype {array.dtype}, expected numbers")
    if ndim is not None and array.ndim != ndim:
        raise WorkbenchError(f"array '{name}' has {array.ndim} dimensions, expected {ndim}")
    if name.endswith(".running_var") and not np.all(np.isfinite(array) & (array >= 0)):
        # batch norm divides by its square root: a negative, infinite or NaN one would
        # load and then predict NaN (or one class) for every instance
        raise WorkbenchError(f"array '{name}' holds a negative, infinite or missing "
                             f"variance; the file is damaged")
    if name.endswith(".running_mean") and not np.all(np.isfinite(array)):
        raise WorkbenchError(f"array '{name}' holds an infinite or missing mean; the "
                             f"file is damaged")
    if finite and not np.all(np.isfinite(array)):
        raise WorkbenchError(f"array '{name}' holds an infinite or missing (NaN) value, "
                             f"which no trained model has; the file is damaged")
    if nonnegative and not np.all(array >= 0):
        raise WorkbenchError(f"array '{name}' holds a negative or missing (NaN) value, "
                             f"which no trained model has; the file is damaged")
    return array


def stored_class_codes(arrays: Mapping[str, np.ndarray], name: str, num_classes: int
                       ) -> np.ndarray:
    """A stored array of class codes (one per training instance), checked to be whole
    numbers naming one of ``num_classes`` labels, as float64. NaN (an unknown class) is
    allowed; anything else out of range would load and then fail at predict time."""
    codes = stored_array(arrays, name, 1).astype(np.float64)
    known = codes[~np.isnan(codes)]
    if known.size and not (np.all(known == np.round(known)) and known.min() >= 0
                           and known.max() < num_classes):
        raise WorkbenchError(f"array '{name}' holds class codes outside 0..{num_classes - 1} "
                             f"(the class has {num_classes} labels)")
    return codes
