"""How a CSV file writes its numbers: the decimal separator and the thousands separator.

Excel and LibreOffice in Germany, France and most of Europe write ``1,57`` and
``1.234,5`` (or ``7 994,97``) and separate fields with ``;``. Read with the decimal
point those cells are words, and every such column became nominal without a word. The
reader takes a ``NumberFormat`` (pandas' ``decimal=``/``thousands=`` semantics), and
this module turns a cell so written back into the text Python reads as a number, for
the cells pandas leaves as text (a column with a word in it, a column forced numeric)
and for the finder of such columns (``number_separators``).

Pandas-free: the command line and the Explorer check the options long before a read.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.errors import ParameterError

# Spaces that French and Swiss spreadsheets put between thousands: LibreOffice and
# Excel write a no-break or a narrow no-break space, which nobody can type. A typed
# space as the thousands separator stands for all three.
SPACES = (" ", "\u00a0", "\u202f")
# Characters that are part of a number's own text: neither separator may be one.
_IN_NUMBERS = frozenset("0123456789+-eE")


@dataclass(frozen=True)
class NumberFormat:
    """``decimal``: the character before the fraction; ``thousands``: the one between
    groups of digits, "" for none. The default is the decimal point and no grouping,
    as WEKA and Python read numbers."""

    decimal: str = "."
    thousands: str = ""

    def is_default(self) -> bool:
        return self == NumberFormat()

    def checked(self, delimiter: str | None = None, quotechar: str = '"') -> NumberFormat:
        """This format, or a ``ParameterError`` saying why it cannot read numbers: each
        separator one character that is not part of a number or a quote, and the two
        different. One that equals the delimiter is allowed: it can then only be in
        quoted cells (``"11,019.4"``), which pandas reads."""
        for what, value in (("decimal separator", self.decimal),
                            ("thousands separator", self.thousands)):
            if what.startswith("thousands") and value == "":
                continue
            if len(value) != 1 or value in _IN_NUMBERS or value in (quotechar, "\r", "\n"):
                raise ParameterError(f"the {what} must be one character that is not a "
                                     f"digit, a sign, an exponent's e, a quote or a line "
                                     f"break, got {value!r}")
        if self.decimal == self.thousands:
            raise ParameterError(f"the decimal and thousands separators are both "
                                 f"{self.decimal!r}: they must differ")
        if self.decimal in SPACES:
            raise ParameterError("the decimal separator cannot be a space")
        del delimiter   # allowed to match: see above
        return self

    def plain(self, text: str) -> str:
        """``text`` (stripped) as Python writes the number it is in this format, or
        "" when it cannot be one here (a decimal point where the decimal separator is
        a comma: ``1.5`` is not a number in a file that writes ``1,5``)."""
        text = text.strip()
        if self.thousands:
            for space in SPACES if self.thousands in SPACES else (self.thousands,):
                text = text.replace(space, "")
        if self.decimal != ".":
            if "." in text:
                return ""
            text = text.replace(self.decimal, ".")
        return text

    def flags(self) -> list[str]:
        """The command line's words for this format (``--decimal , --thousands .``)."""
        words = []
        if self.decimal != ".":
            words += ["--decimal", self.decimal]
        if self.thousands:
            words += ["--thousands", self.thousands]
        return words


def separator_typed(text: str) -> str:
    """A separator as typed on the command line or in the dialog: ``space`` is a space
    (a bare one is easy to lose in a shell or a field), anything else as it is."""
    return " " if text.strip().lower() == "space" else text


__all__ = ["SPACES", "NumberFormat", "separator_typed"]
