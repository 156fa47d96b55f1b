"""One family of errors, so the CLI and the GUI can show any of them to a person.

Every error a user can cause (a bad file, a bad parameter, a cancelled run) derives from
``WorkbenchError``. The command line prints its message without a traceback; the GUI
shows it in a dialog. Anything else escaping is a bug in Workbench.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike


def printable(text: str, keep: str = "") -> str:
    """``text`` safe to print on a terminal: every character that is not printable
    (ESC, the other control characters, DEL, C1 controls, bidirectional overrides) as
    its Python escape (``\\x1b``, ``\\u202e``); the characters in ``keep`` stay as they
    are. A file name holding ``\\x1b[31m`` would otherwise colour or rewrite the user's
    terminal through an error message that quotes it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def exception_line(error: BaseException, filename: str | None = None) -> str:
    """An exception as one line, "ModuleNotFoundError: No module named 'x'", with the line
    of ``filename`` it came from when it passed through that file ("line 3: ..."): what a
    warning about a plugin shows, where the traceback is ``--debug``'s."""
    import traceback

    if isinstance(error, SyntaxError):
        where = f"line {error.lineno}: " if error.lineno else ""
        return f"{where}{type(error).__name__}: {error.msg}"
    frames = [] if filename is None else [
        f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    where = f"line {frames[-1].lineno}: " if frames else ""
    text = traceback.format_exception_only(type(error), error)[-1]
    return where + " ".join(text.split())  # a message of several lines stays on one


class WorkbenchError(Exception):
    """Base of every error whose message is meant for the user."""


class WorkbenchWarning(UserWarning):
    """A note for the user about a value Workbench changed or a result that may mislead
    (an ``n_jobs`` lowered to the CPU count): shown once per command or run, as our own
    words rather than a library's."""


@dataclass(frozen=True)
class RaggedRow:
    """A row whose number of fields is not the header's, as numbers: what a caller that
    acts on the refusal (the Explorer offers to skip title lines) reads, so that it does
    not depend on how the message words it."""

    fields: int          # in the row the reader stopped at
    header_fields: int   # in the header (the columns every row must have)


class DataFormatError(WorkbenchError):
    """A data file could not be read: says where (file, line, column) and what was wrong.

    The message reads ``path:line:column: what is wrong (expected what)``, the form
    compilers use, so editors and terminals can jump straight to the spot. ``ragged``
    says, for a row with the wrong number of fields, how many it and the header have.
    """

    def __init__(
        self,
        message: str,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
        column: int | None = None,
        expected: str | None = None,
        *,
        ragged: RaggedRow | None = None,
    ) -> None:
        self.reason = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.ragged = ragged
        super().__init__(self._format())

    def without_path(self) -> str:
        """The message for a caller that names the file itself ("cannot open PATH:
        ..."): "line 3, column 4: what is wrong (expected what)", with no path, so the
        path is said once and the reason is not pushed off a status bar."""
        where = ", ".join(f"{word} {number}" for word, number in
                          (("line", self.line), ("column", self.column))
                          if number is not None and (word == "line" or self.line))
        text = (f"{where}: " if where else "") + self.reason
        if self.expected:
            text += f" (expected {self.expected})"
        return text

    def _format(self) -> str:
        where = [printable(self.path) if self.path else "<input>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        text = ":".join(where) + ": " + self.reason
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class InvalidDataError(WorkbenchError, ValueError):
    """Data that a component cannot use as given: a kind of attribute or class it cannot
    learn, a value it cannot use, attributes other than those it was trained on.

    Also a ``ValueError``, the type scikit-learn, NumPy and their users expect of bad
    input, so a Workbench learner inside a scikit-learn workflow fails the way theirs do.
    A file that cannot be read is a ``DataFormatError`` instead (where, not what).
    """


class ParameterError(WorkbenchError, ValueError):
    """A component parameter was given a value it cannot take."""


class Cancelled(WorkbenchError):
    """Long work was stopped because the user asked for it; not a failure."""
