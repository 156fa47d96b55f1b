"""How far a CSV read has come, and Stop for it: a large file (2.4 million rows, 62 MB)
took seconds with nothing but "Loading..." and no way to give up but waiting.

The read has three parts, each given its share of the bar: the file's bytes (a tenth),
pandas' parse of the text (which reads the text in blocks from a stream that reports
each block and checks for Stop: most of the time), and turning each column into an
attribute (the rest, a report and a check per column). The progress channel and the
stop token are the thread's own (``core.progress.reporting_to``,
``core.stoppable.working_under``), as a model's refit finds them: the Explorer's load
sets both, and a script or the command line sets neither, which costs nothing.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from workbench.core.progress import CancelToken, ProgressCallback, current_progress, report
from workbench.core.stoppable import current_token

# The bar's share of each part: reading the bytes, parsing the text, making attributes.
READ_SHARE, PARSE_SHARE = 0.1, 0.55
_MB = 1 << 20


class ReadProgress:
    """The reports and Stop checks of one CSV read of ``path``."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.progress: ProgressCallback | None = current_progress()
        self.cancel: CancelToken | None = current_token()

    def at(self, fraction: float, message: str) -> None:
        """Stop here if asked; else report ``fraction`` of the read done, ``message``."""
        if self.cancel is not None:
            self.cancel.check()
        report(self.progress, fraction, f"{self.name}: {message}")

    def stream(self, text: str) -> Any:
        """``text`` as the stream pandas parses: a plain ``StringIO`` when nobody
        listens, else one that reports the share read and checks for Stop at every
        block pandas asks for (256 KB)."""
        if self.progress is None and self.cancel is None:
            return io.StringIO(text)
        return _ReportingText(text, self)

    def column(self, done: int, columns: int) -> None:
        """``done`` of ``columns`` columns made into attributes."""
        share = READ_SHARE + PARSE_SHARE
        self.at(share + (1 - share) * done / max(columns, 1),
                f"column {done + 1} of {columns}")


class _ReportingText:
    """A text stream over ``text`` for pandas' C parser, which calls ``read(size)`` for
    each block; a ``Cancelled`` raised in it ends the parse (pandas lets it through)."""

    def __init__(self, text: str, steps: ReadProgress) -> None:
        self.text, self.steps, self.position = text, steps, 0
        self.megabytes = len(text) / _MB

    def read(self, size: int = -1) -> str:
        end = len(self.text) if size is None or size < 0 else self.position + size
        block = self.text[self.position:end]
        self.position += len(block)
        done = self.position / max(len(self.text), 1)
        self.steps.at(READ_SHARE + PARSE_SHARE * done,
                      f"{done * self.megabytes:.0f} of {self.megabytes:.0f} MB read")
        return block

    def __iter__(self) -> Any:   # pandas takes an object with read and __iter__ as a file
        return iter(self.text.splitlines(keepends=True))


__all__ = ["PARSE_SHARE", "READ_SHARE", "ReadProgress"]
