"""Columns of numbers written with a decimal comma or thousands separators, read as
nominal.

A German or French spreadsheet saves ``1,57`` and ``1.234,5`` (or ``7 994,97``)
between ``;``; read with the decimal point, every such column is a nominal attribute
of number-labels, silently, as in WEKA. The reader never guesses the separators (a
``1,234`` is a thousand and more in one file, a little more than one in another), so
this finds the columns after the read, for the command line to warn and the Explorer to
offer the read with ``--decimal``/``--thousands`` filled in, as ``missing_tokens``
does for numbers spoiled by a word like ``NA``. What was read is never changed here.

The rules: in a file not separated by commas, a column whose every value is a number
with a decimal comma (``-?\\d+,\\d+``, or with ``.`` or spaces between groups of three
digits before it) or a whole number, at least one with the comma, is written with a
decimal comma: a ``;`` file is the European Excel default, and a comma that is not
the delimiter has no other use in a number. In any file, a column whose values are
numbers with ``,`` between groups of three digits (``"11,019.4"``, quoted in a comma
file) or plain numbers, at least one grouped, has thousands separators; in a file not
separated by commas, where a value such as ``1,234`` fits both, the decimal comma wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.data.dataset import AttributeType, Dataset
from workbench.data.missing_tokens import column_indices
from workbench.data.number_format import SPACES, NumberFormat
from workbench.data.shown import shown

_GROUP = "[ .\u00a0\u202f]"
# A number with a decimal comma (groups of thousands before it: . or a space), or a
# whole number, which a column of such numbers holds too (Excel writes 2 for 2,0).
_DECIMAL_COMMA = re.compile(rf"-?\d{{1,3}}(?:{_GROUP}\d{{3}})*,\d+|-?\d+,\d+")
_WHOLE = re.compile(rf"-?\d{{1,3}}(?:{_GROUP}\d{{3}})+|-?\d+")
# A number with commas between thousands and a decimal point, or a plain one.
_COMMA_GROUPS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")

COLUMNS_NAMED_MOST = 3   # columns named in the finding's text; the rest counted


@dataclass(frozen=True)
class SeparatedNumbers:
    """Columns read as nominal or string whose values are numbers written with
    ``number_format``'s separators; ``example`` is one of their values."""

    columns: tuple[str, ...]
    example: str
    number_format: NumberFormat

    def text(self) -> str:
        """The finding in the user's words: ``Größe, Gewicht: numbers written with a
        decimal comma ('1,57')``."""
        names = ", ".join(shown(c) for c in self.columns[:COLUMNS_NAMED_MOST])
        more = len(self.columns) - COLUMNS_NAMED_MOST
        if more > 0:
            names += f" and {more} more column{'s' if more != 1 else ''}"
        return f"{names}: numbers written with {self.how()} ('{shown(self.example)}')"

    def how(self) -> str:
        """``a decimal comma and '.' between thousands``, ..."""
        decimal, thousands = self.number_format.decimal, self.number_format.thousands
        grouped = ("spaces" if thousands in SPACES else f"'{thousands}'") \
            + " between thousands"
        if decimal == ".":
            return grouped
        said = "a decimal comma" if decimal == "," else f"'{decimal}' as the decimal point"
        return said + (f" and {grouped}" if thousands else "")


def separated_numbers(dataset: Dataset, delimiter: str, forced: Iterable[int | str] = (),
                      number_format: NumberFormat | None = None
                      ) -> SeparatedNumbers | None:
    """The nominal and string columns of ``dataset``, read from a CSV file separated by
    ``delimiter`` with ``number_format`` (default: the decimal point), whose values look
    like numbers written with other separators (rules in the module docstring), and the
    separators that read them; None when there are none. ``forced``: the columns the
    user asked to read as labels, left out (read by ``missing_tokens.column_indices``)."""
    current = number_format or NumberFormat()
    skipped = column_indices(dataset, forced)
    # Columns by decimal separator, with the thousands separators they show: a column
    # with no grouping reads with any, so 1,57 and 1.062,8 are one way of writing.
    found: dict[str, list[tuple[str, str, str]]] = {}
    for j, attribute in enumerate(dataset.attributes):
        if j in skipped or attribute.type not in (AttributeType.NOMINAL,
                                                   AttributeType.STRING):
            continue
        labels = [label.strip() for label in attribute.values]
        guess = _written_with(labels, delimiter)
        if guess is not None:
            example = next(label for label in labels if "," in label)
            found.setdefault(guess.decimal, []).append((attribute.name, example,
                                                        guess.thousands))
    for decimal, columns in sorted(found.items(), key=lambda item: -len(item[1])):
        grouped = {thousands for _, _, thousands in columns if thousands}
        if len(grouped) > 1:
            continue   # 1.234,5 in one column and 1 234,5 in another: no one option
        chosen = NumberFormat(decimal, grouped.pop() if grouped else "")
        if chosen != current:
            return SeparatedNumbers(tuple(name for name, _, _ in columns), columns[0][1],
                                    chosen)
    return None


def _written_with(labels: list[str], delimiter: str) -> NumberFormat | None:
    """The separators every one of ``labels`` is a number in, or None."""
    if not labels or not any("," in label for label in labels):
        return None
    decimal_comma = delimiter != "," and all(
        _DECIMAL_COMMA.fullmatch(label) or _WHOLE.fullmatch(label) for label in labels)
    if decimal_comma:
        groups = {ch for label in labels for ch in label.split(",")[0]
                  if not ch.isdigit() and ch != "-"}
        if len(groups) > 1 and not groups <= set(SPACES):
            return None   # both 1.234 and 1 234: not one way of writing numbers
        thousands = "" if not groups else "." if groups == {"."} else " "
        return NumberFormat(",", thousands)
    if all(_COMMA_GROUPS.fullmatch(label) or _PLAIN.fullmatch(label) for label in labels):
        return NumberFormat(".", ",")
    return None


__all__ = ["SeparatedNumbers", "separated_numbers"]
