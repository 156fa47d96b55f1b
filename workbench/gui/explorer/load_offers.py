"""What the Explorer offers once a file is read, or before: the options dialog filled
in where a guess reads the file better (numbers written with decimal commas, a few words
spoiling a numeric column, options kept for an earlier file at the same path), and a
button to remove a column that looks like pandas' row index.

Each offer only says and offers: the data stays as read until the user chooses, and
what the offer would change is undoable (a removal) or shown first (the dialog).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.data.csv_notes import (
    UNNAMED_FIRST,
    header_looks_like_data,
    index_note,
    row_index_column,
)
from workbench.data.dataset import Dataset
from workbench.data.io import file_format
from workbench.data.missing_tokens import NumbersWithTokens
from workbench.data.number_separators import SeparatedNumbers
from workbench.gui.explorer.load_options import (
    LoadOptions,
    marker_offer,
    outdated_options,
    separator_offer,
)

if TYPE_CHECKING:
    from workbench.gui.explorer.window import ExplorerWindow


def offer_after_load(window: ExplorerWindow, path: str, dataset: Dataset,
                     options: LoadOptions | None, words: list[NumbersWithTokens] | None,
                     separated: list[SeparatedNumbers] | None,
                     told: list[str] | None) -> None:
    """The notes and at most one offer for a file just read with ``options`` (None: a
    file read without options, an ARFF file): separators first, since a word like NA
    is found among numbers only once they read as numbers."""
    if options is not None and options.header and path.lower().endswith(
            (".csv", ".tsv", ".csv.gz", ".tsv.gz")) and header_looks_like_data(
            [a.name for a in dataset.attributes]):
        window.note("The first row was read as column names, but they look like data: "
                    "if the file has no header row, use File > Open with options... "
                    "and untick Header row")
    for text in told or ():
        window.note(text)
    if options is not None and separated:
        _offer_separators(window, path, options, separated[0])
    elif options is not None and words:
        _offer_markers(window, path, options, words)
    elif options is not None and file_format(path) == "csv" and \
            row_index_column(dataset, options.header):
        _offer_index_removal(window)


def offer_outdated(window: ExplorerWindow, path: str) -> bool:
    """Offer, in the options dialog, the options kept for an earlier file at
    ``path`` (one replaced since: another size, time or first bytes); whether there
    were any. Read with them unseen, a new file with another layout would lose its
    first rows to --skip-lines or get a column typed for the old one."""
    outdated = outdated_options(window.settings, path)
    if outdated is None:
        return False
    reason = (f"{Path(path).name} has changed since it was read with these options "
              f"({outdated.summary()}): check them, then Open.")
    window.note(f"{path} has changed since it was read with {outdated.summary()}; "
              f"the options dialog shows them to check")
    window.offer_options(path, outdated, reason)
    return True


def _offer_index_removal(window: ExplorerWindow) -> None:
    """Say that the first column looks like a row index (pandas' to_csv), and offer
    to remove it (undoable); it stays, as the file has it, until the user chooses."""
    note = index_note()
    window.note(f"{note[0].upper()}{note[1:]}. Remove column 1 ({UNNAMED_FIRST}) with "
              f"the button over the panels, or Remove")
    window.preprocess.show_message(
        "Column 1 has no name and counts the rows 0, 1, 2, ...: a row index "
        "(pandas' to_csv without index=False)? As an attribute it can give the "
        "class away.",
        ("Remove column 1", lambda: window.remove_attributes(
            [0], f"removed attributes: {UNNAMED_FIRST} (a row index)")))

def _offer_separators(window: ExplorerWindow, path: str, options: LoadOptions,
                      found: SeparatedNumbers) -> None:
    """Say which columns of numbers their decimal commas (or thousands separators)
    made nominal, and offer the options dialog with the separators that read them;
    the file stays as read until the user chooses."""
    offer = separator_offer(found, options)
    fields = f"Decimal separator '{offer.decimal or '.'}'" + (
        f", Thousands separator '{offer.thousands}'" if offer.thousands else "")
    window.note(f"Read as nominal: {found.text()}. To read them as numbers: "
              f"File > Open with options..., {fields}")
    reason = (f"Columns of numbers read as nominal because of how they are written: "
              f"{found.text()}. The separators below read them as numbers.")
    window.preprocess.show_message(
        f"{found.text()}: read as nominal. Read them as numbers?",
        ("Open with options...", lambda: window.offer_options(path, offer, reason)))

def _offer_markers(window: ExplorerWindow, path: str, options: LoadOptions,
                   words: list[NumbersWithTokens]) -> None:
    """Say which columns of numbers a few words made nominal, and offer the options
    dialog with those words as missing-value markers; the file stays as read until
    the user chooses."""
    offer = marker_offer(words, options)
    found = "; ".join(f"{w.text()}" for w in words)
    window.note(f"Read as nominal: {found}. To read those words as missing values: "
              f"File > Open with options..., Missing value markers {offer.missing}")
    reason = (f"Columns of numbers read as nominal because of a few words: {found}. "
              f"The markers below read those words as missing values.")
    window.preprocess.show_message(
        f"{found}: read as nominal. Read those words as missing values?",
        ("Open with options...", lambda: window.offer_options(path, offer, reason)))
