"""What a CSV file's layout suggests went wrong, though nothing in it is unreadable:
found after the read, for the command line to warn and the Explorer to offer a fix.

- **A header row that is data** (``snowball;1;2;3;4``): the first row became the names
  and was lost as an instance; ``--no-header`` reads it.
- **A row index** (pandas' ``to_csv`` without ``index=False``, the most common CSV
  mistake in tutorials): a first column with no name whose values count the rows, 0,
  1, 2, ... It reads as a numeric attribute like any other, and on data sorted by class
  it gives the class away (IBk scored 96 % on noise). pandas names it ``Unnamed: 0``,
  WEKA refuses the file; here it is kept, as the file says, and named for what it
  likely is, with the way to remove it.

What was read is never changed here: only the user's choice reads or edits it again.
"""

from __future__ import annotations

import numpy as np

from workbench.data.dataset import AttributeType, Dataset

# The name the reader gives an unnamed first column (WEKA's, att1).
UNNAMED_FIRST = "att1"
# Fewer rows than this and a count proves nothing (a column of 0, 1 is a flag).
INDEX_ROWS_LEAST = 3


def header_looks_like_data(names: list[str]) -> bool:
    """Whether column names read from a header row look like a row of data: half or
    more of them numbers (``snowball;1;2;3;4``), which a header rarely has. The file
    then read its first row as names and lost it, which no error says."""
    numbers = 0
    for name in names:
        try:
            float(name)
            numbers += 1
        except ValueError:
            pass
    return len(names) > 1 and 2 * numbers >= len(names)


def header_note(names: list[str]) -> str:
    """The finding in the user's words, with the names that look like data."""
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return (f"the first row was read as column names, but they look like data "
            f"({shown})")


def row_index_column(dataset: Dataset, header: bool = True) -> bool:
    """Whether the first column has no name (the reader named it ``att1``) and its
    values count the rows: the integers 0..n-1 (pandas) or 1..n (R's row names), each
    once, in any order (a shuffled frame keeps its index). Needs a second column, and
    ``INDEX_ROWS_LEAST`` rows. Only for a file read with a ``header`` row: without one
    every column is named att1, att2, ..., and a first column of counts named in the
    file's first line ("a") was called an index."""
    n = dataset.num_instances
    if not header or dataset.num_attributes < 2 or n < INDEX_ROWS_LEAST:
        return False
    first = dataset.attributes[0]
    if first.name != UNNAMED_FIRST or first.type is not AttributeType.NUMERIC:
        return False
    values = np.asarray(dataset.column(0), dtype=np.float64)
    if np.isnan(values).any() or not np.array_equal(values, np.round(values)):
        return False
    low = float(values.min())
    if low not in (0.0, 1.0) or float(values.max()) != low + n - 1:
        return False
    return bool(np.unique(values).size == n)


def index_note() -> str:
    """The finding about a row index, in the user's words."""
    return ("column 1 has no name and counts the rows 0, 1, 2, ...: a row index "
            "(pandas' to_csv without index=False)? Learners would use it as an "
            "attribute, and on data sorted by class it gives the class away")


__all__ = ["INDEX_ROWS_LEAST", "UNNAMED_FIRST", "header_looks_like_data", "header_note",
           "index_note", "row_index_column"]
