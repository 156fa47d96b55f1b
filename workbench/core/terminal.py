"""What the command line prints to a terminal: names from a file cannot drive it.

A report quotes the relation, attribute and class names of the data file, the model
file's text, a flow's titles: a stranger's words. Written raw to a terminal,
``ESC[2J`` in a name clears the screen, ``ESC]52;c;...`` writes the clipboard (xterm,
kitty, iTerm2, tmux), cursor moves forge or hide lines of the report, and U+202E turns
the rest of a line around (walkthrough 13a, D2).

The rule, applied once where a command's output leaves the program: on a terminal, the
C0 and C1 control characters other than our own line breaks and tabs, DEL, and the
bidirectional overrides and isolates are written as their Python escapes (``\\x1b``,
``\\u202e``), as error messages already are (``errors.printable``). Output that goes
to a file or a pipe is left exactly as it is: ``workbench classify ... > report.txt``
keeps the names as the data has them (WEKA prints them raw; ``ls`` escapes only on a
terminal too), and the files we write (ARFF, CSV, JSON) never pass through here.
"""

from __future__ import annotations

import re
from typing import Any, TextIO, cast

# C0 controls but tab, line feed and carriage return, DEL, C1 controls; LRE, RLE, PDF,
# LRO, RLO and LRI, RLI, FSI, PDI.
_OBEYED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_STDOUT = re.compile(f"[{_OBEYED}\r]")
_STDERR = re.compile(f"[{_OBEYED}]")   # a progress bar redraws its line with "\r"


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]   # "\\x1b", "\\r", "\\u202e"


def terminal_text(text: str, keep_carriage_return: bool = False) -> str:
    """``text`` with every character a terminal would obey rather than show written
    as its escape; line feeds and tabs (and, if asked, carriage returns) kept."""
    pattern = _STDERR if keep_carriage_return else _STDOUT
    return pattern.sub(_escaped, text)


class TerminalStream:
    """A text stream that writes ``terminal_text`` of what it is given to ``stream``
    (a terminal); everything else (``flush``, ``fileno``, ``isatty``, ``encoding``) is
    the stream's own."""

    def __init__(self, stream: TextIO, keep_carriage_return: bool = False) -> None:
        self.stream = stream
        self.keep_carriage_return = keep_carriage_return

    def write(self, text: str) -> int:
        self.stream.write(terminal_text(text, self.keep_carriage_return))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def guarded(stream: TextIO, keep_carriage_return: bool = False) -> TextIO:
    """``stream`` itself when it is not a terminal (a file, a pipe: written exactly),
    else a ``TerminalStream`` on it."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):   # a closed or odd stream: leave it alone
        terminal = False
    if not terminal or isinstance(stream, TerminalStream):
        return stream
    return cast(TextIO, TerminalStream(stream, keep_carriage_return))
