"""Text encodings of data files: byte-order marks, the codec a user names, and a refusal
that says which encoding a file that is not UTF-8 probably is.

Data files are UTF-8 unless told otherwise, but Excel and Windows tools write Windows-1252
(``Ren\\xe9``) or UTF-16 with a byte-order mark. A byte-order mark says what the text is,
so it is obeyed (UTF-8, UTF-16 and UTF-32, either byte order), as pandas and Java's
readers do. Without one, guessing could load garbled labels without a word, so a file that
is not UTF-8 is refused, and the refusal (``TextEncodingError``) carries the encoding the
bytes most likely are. Each place that reads files words the advice its own way: the
command line as ``--encoding NAME``, the Explorer as its Open options, the Python API as
``encoding=``.
"""

from __future__ import annotations

import codecs
import re
from os import PathLike

from workbench.core.errors import DataFormatError, ParameterError, printable

# Longest first: UTF-32-LE's mark begins with UTF-16-LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF_BYTES = 4096
# Bytes Windows-1252 gives characters (curly quotes, dashes, euro) and Latin-1 gives
# control codes: a file that has them was written by a Windows tool.
_CP1252_ONLY = re.compile(rb"[\x80-\x9f]")


class TextEncodingError(DataFormatError):
    """A data file's bytes are not text in the encoding it was read with.

    ``suggested`` is the encoding the bytes look like (``'latin-1'``, ``'cp1252'``,
    ``'utf-16-le'``...), or None when nothing fits. The message advises the Python API
    (``encoding='latin-1'``); ``advised`` words the advice for another place.
    """

    def __init__(self, message: str, path: str | PathLike[str] | None = None,
                 line: int | None = None, column: int | None = None,
                 encoding: str = "utf-8", suggested: str | None = None,
                 advice: str | None = None) -> None:
        self.encoding = encoding
        self.suggested = suggested
        if advice is None:
            advice = f"encoding='{suggested}'" if suggested else "encoding=NAME"
        self.advice = advice
        super().__init__(message, path, line, column)

    def _format(self) -> str:
        # "(it looks like latin-1: ...)" where others say "(expected ...)": the
        # encoding it is not was just named, what it is and what to do is the news.
        text = super()._format()
        if self.suggested:
            return f"{text} (it looks like {self.suggested}: read it with {self.advice})"
        return f"{text} (name its encoding with {self.advice})"

    def __reduce__(self) -> tuple[type[TextEncodingError], tuple[object, ...]]:
        # Whole across processes (the Experimenter's workers), as its other fields are.
        return (TextEncodingError, (self.reason, self.path, self.line, self.column,
                                    self.encoding, self.suggested, self.advice))

    def advised(self, advice: str) -> TextEncodingError:
        """The same refusal, advising ``advice`` (``--encoding latin-1``) instead."""
        return TextEncodingError(self.reason, self.path, self.line, self.column,
                                 self.encoding, self.suggested, advice)


def codec_name(encoding: str) -> str:
    """Python's name for the text encoding ``encoding`` (``'latin1'`` -> ``'iso8859-1'``).

    An unknown name, or a codec that is not a text encoding (``base64``, ``rot13``), is a
    ``ParameterError`` naming a few that are."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        # The name may come from a stranger's flow file: say at most a line of it.
        shown = printable(str(encoding))
        shown = shown if len(shown) <= 40 else f"{shown[:37]}..."
        raise ParameterError(f"unknown text encoding '{shown}' (for example utf-8, "
                             f"latin-1, cp1252, utf-16; Python's codec names are accepted)")
    return info.name


def is_utf8(encoding: str) -> bool:
    """Whether ``encoding`` names UTF-8 (any spelling Python accepts; not utf-8-sig)."""
    return codec_name(encoding) == "utf-8"


def byte_order_mark(raw: bytes | bytearray) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of ``raw`` names, and its length."""
    for mark, name in _BOMS:
        if raw.startswith(mark):
            return name, len(mark)
    return None


def utf16_without_mark(raw: bytes | bytearray) -> str | None:
    """``'utf-16-le'``/``'utf-16-be'`` when ``raw`` looks like UTF-16 with no byte-order
    mark, else None: most bytes on one side of each pair NUL (the high byte of Latin
    letters, digits and punctuation) and almost none on the other."""
    head = bytes(raw[:_SNIFF_BYTES])
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.6 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.6 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def guess_encoding(raw: bytes | bytearray) -> str:
    """The encoding ``raw`` most likely is, for advice only (never used to read).

    UTF-16 by its NUL bytes, UTF-8 when it decodes as such, Windows-1252 when it has the
    bytes only that encoding gives letters, else Latin-1 (which any bytes decode as)."""
    mark = byte_order_mark(raw)
    if mark is not None:
        return mark[0]
    utf16 = utf16_without_mark(raw)
    if utf16 is not None:
        return utf16
    try:
        bytes(raw).decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _CP1252_ONLY.search(raw):
        try:
            bytes(raw).decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return "latin-1"


def _position(raw: bytes | bytearray, start: int, end: int, codec: str) -> tuple[int, int]:
    """1-based (line, column in characters) of byte ``end``, decoding from ``start``."""
    before = bytes(raw[start:end]).decode(codec, errors="replace")
    lines = before.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1


def decode_text(raw: bytes | bytearray, encoding: str, display: str | PathLike[str]
                ) -> tuple[str, str]:
    """``raw`` as text, and the codec that read it.

    With UTF-8 (the default) a byte-order mark decides: UTF-8's is skipped, UTF-16's and
    UTF-32's switch to that encoding. UTF-16 without a mark, and bytes that are not text
    in the encoding, are a ``TextEncodingError`` naming where and what the bytes look like.
    Another encoding is used as named (Python's ``utf-16`` reads its own mark)."""
    codec = codec_name(encoding)
    start = 0
    if codec == "utf-8":
        mark = byte_order_mark(raw)
        if mark is not None:
            codec, start = mark
        else:
            utf16 = utf16_without_mark(raw)
            if utf16 is not None:
                raise TextEncodingError("this is UTF-16 text without a byte-order mark",
                                        display, 1, 1, "utf-8", utf16)
    try:
        return str(memoryview(raw)[start:], codec), codec
    except UnicodeDecodeError as error:
        at = start + error.start
        line, column = _position(raw, start, at, codec)
        shown = encoding if codec_name(encoding) == codec else codec
        guess = guess_encoding(raw)
        raise TextEncodingError(f"byte 0x{raw[at]:02x} is not {shown} text", display,
                                line, column, shown,
                                None if codec_name(guess) == codec else guess) from None


def as_utf8(raw: bytes | bytearray, encoding: str, display: str | PathLike[str]
            ) -> bytes | bytearray:
    """``raw`` itself when it is to be read as UTF-8 (``encoding`` UTF-8 and no other
    byte-order mark; its bytes are checked where they are read), else its text (by
    ``decode_text``) as UTF-8 bytes, for readers that work on UTF-8 bytes."""
    if is_utf8(encoding) and byte_order_mark(raw) in (None, ("utf-8", 3)) \
            and utf16_without_mark(raw) is None:
        return raw
    text, _ = decode_text(raw, encoding, display)
    return bytearray(text, "utf-8")


__all__ = [
    "TextEncodingError",
    "as_utf8",
    "byte_order_mark",
    "codec_name",
    "decode_text",
    "guess_encoding",
    "is_utf8",
    "utf16_without_mark",
]
