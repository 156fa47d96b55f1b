"""Notes on the canvas: free text a person leaves beside the nodes ("set the class first").

Notes belong to the flow, not to the window: they are saved in the flow file, copied
with it and edited through the same observed model as nodes and links, so undo, a script
and the canvas all see one list. Each change is told to the flow's observers as a
``FlowEvent`` (``note_added``, ``note_removed``, ``note_changed``) carrying the note's id.

Ids (``note1``, ``note2``...) live only while the flow is open; the file stores notes as
a list (text, position, width) because nothing refers to a note from outside. Keys a
newer version wrote that this one does not know are kept and written back unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import WorkbenchError

DEFAULT_WIDTH = 260.0
# The canvas lays a note's text out on the GUI thread: a flow file (or a paste) with a
# note of megabytes would freeze the window, and no one writes such a note by hand.
MAX_NOTE_CHARACTERS = 100_000


class UnknownNoteError(WorkbenchError):
    """The flow has no note with that id."""


@dataclass
class Note:
    """One note: its text, where its top-left corner is, and how wide it wraps."""

    id: str
    text: str
    position: tuple[float, float] = (0.0, 0.0)
    width: float = DEFAULT_WIDTH
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The note as the flow file stores it."""
        stored: dict[str, Any] = {**self.extra, "text": self.text,
                                  "position": [self.position[0], self.position[1]]}
        if self.width != DEFAULT_WIDTH:
            stored["width"] = self.width
        return stored


def finite_number(value: Any) -> bool:
    """A finite JSON number (an integer too large for a float, which JSON allows, is not
    one: ``math.isfinite`` would raise on it)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def capped_text(text: str, limit: int = MAX_NOTE_CHARACTERS) -> str:
    """``text``, or its start with a visible "… (cut: N characters)" marker when it is
    longer than ``limit``; the result is never longer than ``limit``, so a cut text
    stays as it is when it is capped again (a saved and reloaded flow)."""
    if len(text) <= limit:
        return text
    keep = max(limit - 40, 0)
    return f"{text[:keep]}… (cut: {len(text) - keep} characters)"


def _point(value: Any) -> tuple[float, float]:
    """Two finite numbers as a position; anything else puts the note at the origin
    (a note is never worth refusing a flow over)."""
    if isinstance(value, list | tuple) and len(value) == 2 and all(finite_number(v) for v in value):
        return float(value[0]), float(value[1])
    return 0.0, 0.0


# A note edit, told to the flow's observers: (event kind, note id).
NoteEmitter = Callable[[str, str], None]


class Notes:
    """The flow's notes in drawing order (later ones on top); every change is emitted."""

    def __init__(self, emit: NoteEmitter) -> None:
        self._emit = emit
        self._notes: dict[str, Note] = {}

    def __iter__(self) -> Iterator[Note]:
        return iter(list(self._notes.values()))

    def __len__(self) -> int:
        return len(self._notes)

    def __contains__(self, note_id: object) -> bool:
        return note_id in self._notes

    def __getitem__(self, note_id: str) -> Note:
        try:
            return self._notes[note_id]
        except KeyError:
            raise UnknownNoteError(f"the flow has no note '{note_id}'") from None

    def index(self, note_id: str) -> int:
        """Where the note is in the drawing order (undo puts a removed note back there)."""
        self[note_id]
        return list(self._notes).index(note_id)

    def new_id(self) -> str:
        number = len(self._notes) + 1
        while f"note{number}" in self._notes:
            number += 1
        return f"note{number}"

    def add(self, text: str, position: Iterable[float] = (0.0, 0.0), *,
            width: float = DEFAULT_WIDTH, note_id: str | None = None,
            index: int | None = None, extra: dict[str, Any] | None = None) -> Note:
        """Add a note (at ``index`` in the drawing order, else on top) and return it;
        text past ``MAX_NOTE_CHARACTERS`` is cut (``capped_text``), here and in
        ``change``, so a flow file, a paste and the editor's dialog are all held to it."""
        if note_id is not None and note_id in self._notes:
            raise WorkbenchError(f"the flow already has a note '{note_id}'")
        x, y = (float(v) for v in position)
        note = Note(note_id or self.new_id(), capped_text(str(text)), (x, y), float(width),
                    dict(extra or {}))
        insert_at(self._notes, note.id, note, index)
        self._emit("note_added", note.id)
        return note

    def remove(self, note_id: str) -> None:
        self[note_id]
        del self._notes[note_id]
        self._emit("note_removed", note_id)

    def change(self, note_id: str, *, text: str | None = None,
               position: Iterable[float] | None = None, width: float | None = None) -> None:
        """Change a note's text, position or width; unchanged parts stay as they were."""
        note = self[note_id]
        if text is not None:
            note.text = capped_text(str(text))
        if position is not None:
            x, y = (float(v) for v in position)
            note.position = (x, y)
        if width is not None:
            note.width = float(width)
        self._emit("note_changed", note_id)

    def to_list(self) -> list[dict[str, Any]]:
        """The notes as the flow file stores them."""
        return [note.to_dict() for note in self._notes.values()]

    def load(self, stored: Any) -> None:
        """Add the notes of a flow file's ``ui.notes``; entries that are not objects are
        dropped, odd fields get defaults (UI data never refuses a flow)."""
        if not isinstance(stored, list):
            return
        for entry in stored:
            if not isinstance(entry, dict):
                continue
            width = entry.get("width", DEFAULT_WIDTH)
            extra = {k: v for k, v in entry.items() if k not in ("text", "position", "width")}
            self.add(str(entry.get("text", "")), _point(entry.get("position")),
                     width=float(width) if finite_number(width) and width > 0 else DEFAULT_WIDTH,
                     extra=extra)


def insert_at(table: dict[str, Any], key: str, value: Any, index: int | None) -> None:
    """Put ``key`` at ``index`` of a dict's order, in place (holders of the dict keep
    seeing it); None or past the end appends."""
    if index is None or index >= len(table):
        table[key] = value
        return
    later = {k: table.pop(k) for k in list(table)[max(index, 0):]}
    table[key] = value
    table.update(later)
