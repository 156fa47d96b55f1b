"""The Explorer's options dialog for reading a file: WEKA's "Invoke options dialog" for
its CSVLoader, with the text encoding (which ARFF files take too).

It offers what ``workbench info``/``convert`` take on the command line (encoding,
delimiter, header row, title lines to skip, nominal, string, numeric and date columns
with the dates' format, missing-value markers, decimal and thousands separators), with
a preview of the file's first lines marking which are skipped, which is
the header and which are data, so that a title line or a missing header is seen before
anything is read. It opens from File > Open with options..., and by itself when a file
fails to read in a way an option may fix (``load_options.suggested_options``), filled
with what the command line would need and saying why it opened.
"""

from __future__ import annotations

import contextlib
import gzip
import io
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.data.number_format import separator_typed
from workbench.data.packed import GZIP_MAGIC
from workbench.data.text_encoding import byte_order_mark, codec_name
from workbench.gui.explorer.load_options import MAX_SKIP_LINES, LoadOptions
from workbench.gui.widgets.colours import error_style
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style

PREVIEW_BYTES = 64 * 1024
PREVIEW_LINES = 12
_DETECT = "UTF-8 (or its byte-order mark)"
ENCODINGS = (_DETECT, "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32")
# (shown, delimiter): the shown text of "detect" is not a delimiter anyone types.
DELIMITERS = (("Detect (comma, semicolon or tab)", ""), (",", ","), (";", ";"),
              ("Tab", "\t"), ("|", "|"), ("Space", " "))
DECIMALS = ((". (1.5)", ""), (", (1,5: German, French... Excel)", ","))
THOUSANDS = (("None", ""), (". (1.234,5)", "."), (", (1,234.5)", ","),
             ("Space (7 994,97)", " "), ("' (1'234.5)", "'"))
_COLUMNS_HINT = "names, numbers from 1 or ranges (first-3,5,last), comma-separated"


def preview_text(path: str | Path, encoding: str) -> str:
    """The file's first bytes as text (gzip unpacked), bad bytes shown as U+FFFD: a
    preview must open whatever the file holds, to show why it does not read."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(PREVIEW_BYTES)
        if raw.startswith(GZIP_MAGIC):
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unpacked:
                raw = unpacked.read(PREVIEW_BYTES)
    except (OSError, EOFError) as error:
        return f"(cannot show the file: {error})"
    codec, start = "utf-8", 0
    mark = byte_order_mark(raw)
    if encoding:
        with contextlib.suppress(ParameterError):   # the dialog says it is unknown
            codec = codec_name(encoding)
    elif mark is not None:
        codec, start = mark
    return raw[start:].decode(codec, errors="replace")


def marked_lines(text: str, options: LoadOptions, count: int = PREVIEW_LINES) -> str:
    """The first ``count`` lines of ``text``, each marked with what the reader will make
    of it under ``options``: ``skip``, ``header`` or ``data``."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()   # the end of the last line, not a line
    lines = lines[:count]
    out, header_seen = [], not options.header
    for number, line in enumerate(lines, start=1):
        if number <= options.skip_lines:
            role = "skip"
        elif not header_seen and line.strip():
            role, header_seen = "header", True
        else:
            role = "data" if line.strip() else ""
        out.append(f"{number:>3} {role:<6} | {line[:200]}")
    return "\n".join(out)


class CsvOptionsDialog(QDialog):
    """Options to read ``path`` with; ``options()`` gives what was chosen.

    ``reason``: why the dialog opened by itself (the read's error), shown at the top.
    A file that is not a CSV file gets only the encoding (ARFF says the rest itself).
    """

    def __init__(self, path: str | Path, options: LoadOptions, reason: str = "",
                 csv: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = str(path)
        self.setWindowTitle(f"Open options - {Path(path).name}")
        layout = QVBoxLayout(self)
        self.reason = plain_label(reason)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.reason.setObjectName("reason")
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.reason)
        form = QFormLayout()
        layout.addLayout(form)

        self.encoding = QComboBox()
        self.encoding.setEditable(True)
        self.encoding.addItems(ENCODINGS)
        self.encoding.setCurrentText(options.encoding or _DETECT)
        self.encoding.setToolTip("Any encoding Python knows; as --encoding on the command "
                                 "line. Excel on Windows writes cp1252.")
        form.addRow("&Encoding:", self.encoding)
        self.delimiter = QComboBox()
        self.delimiter.setEditable(True)
        for shown, _ in DELIMITERS:
            self.delimiter.addItem(shown)
        self.delimiter.setCurrentText(_delimiter_shown(options.delimiter))
        self.delimiter.setToolTip("The field separator, one character (--delimiter)")
        form.addRow("&Delimiter:", self.delimiter)
        self.header = QCheckBox("The first row (after the skipped lines) names the "
                                "&columns")
        self.header.setChecked(options.header)
        self.header.setToolTip("Off: the first row is data; columns are named att1, "
                               "att2, ... (--no-header)")
        form.addRow("Header row:", self.header)
        self.skip = QSpinBox()
        self.skip.setRange(0, MAX_SKIP_LINES)
        self.skip.setValue(options.skip_lines)
        self.skip.setToolTip("Title lines above the header (--skip-lines)")
        form.addRow("&Skip lines above the header:", self.skip)
        self.nominal = self._columns(options.nominal, "--nominal, WEKA's -N")
        form.addRow("&Nominal columns:", self.nominal)
        self.string = self._columns(options.string, "--string, WEKA's -S")
        form.addRow("S&tring columns:", self.string)
        self.numeric = self._columns(options.numeric, "--numeric, WEKA's -R: a value that "
                                                      "is not a number is refused")
        form.addRow("Numer&ic columns:", self.numeric)
        self.date = self._columns(options.date, "--date, WEKA's -D")
        self.date.setPlaceholderText("names, numbers from 1 or ranges")
        self.date_format = QLineEdit(options.date_format)
        self.date_format.setPlaceholderText("yyyy-MM-dd (ISO)")
        self.date_format.setToolTip("The Java date pattern the date columns are written "
                                    "in, e.g. dd/MM/yyyy or M/d/yyyy H:mm:ss "
                                    "(--date-format, WEKA's -format)")
        _pair_row(form, "D&ate columns:", self.date, 3, "fo&rmat:", self.date_format, 2)
        self.missing = QLineEdit(options.missing)
        self.missing.setPlaceholderText(
            "?; typed markers replace it, comma-separated (\\, for a comma in one)")
        self.missing.setToolTip("--missing; an empty cell is always missing")
        form.addRow("&Missing value markers:", self.missing)
        self.decimal = self._separators(DECIMALS, options.decimal,
                                        "The decimal separator of the numbers (--decimal)")
        self.thousands = self._separators(THOUSANDS, options.thousands,
                                          "The character between thousands in the "
                                          "numbers, no-break spaces included with Space "
                                          "(--thousands)")
        _pair_row(form, "Decima&l separator:", self.decimal, 1, "t&housands:",
                  self.thousands, 1)
        self.csv_fields: list[QWidget] = [self.delimiter, self.header, self.skip,
                                          self.nominal, self.string, self.numeric,
                                          self.date, self.date_format, self.missing,
                                          self.decimal, self.thousands]
        for field in self.csv_fields:
            field.setEnabled(csv)

        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        keep_style(self.problem, error_style)   # readable in a dark theme too
        self.problem.hide()
        layout.addWidget(self.problem)
        preview_label = QLabel("&First lines of the file, as they will be read:")
        layout.addWidget(preview_label)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setMinimumHeight(160)
        preview_label.setBuddy(self.preview)
        layout.addWidget(self.preview, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._preview_encoding: str | None = None
        self._preview_raw = ""
        self.encoding.currentTextChanged.connect(lambda _text: self._refresh())
        self.skip.valueChanged.connect(lambda _value: self._refresh())
        self.header.toggled.connect(lambda _on: self._refresh())
        for field in (self.decimal, self.thousands):
            field.currentTextChanged.connect(lambda _text: self._refresh())
        self.date.textChanged.connect(lambda _text: self._refresh())
        self.date_format.textChanged.connect(lambda _text: self._refresh())
        # An editable combo box keeps Return for itself: Return there opens the file too.
        for combo in (self.encoding, self.delimiter, self.decimal, self.thousands):
            combo.installEventFilter(self)
        self._refresh()
        self.resize(680, 640)   # fits 1280 x 800 with room for the window's frame
        self.encoding.setFocus()

    @staticmethod
    def _columns(text: str, flag: str) -> QLineEdit:
        field = QLineEdit(text)
        field.setPlaceholderText(_COLUMNS_HINT)
        field.setToolTip(f"Columns to read as this type ({flag})")
        return field

    @staticmethod
    def _separators(choices: tuple[tuple[str, str], ...], value: str,
                    tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)   # any other character may be typed
        for shown, _ in choices:
            combo.addItem(shown)
        combo.setCurrentText(_shown(choices, value))
        combo.setToolTip(tip)
        return combo

    def options(self) -> LoadOptions:
        """What the fields say now (an unknown encoding as typed: ``accept`` refuses it)."""
        encoding = self.encoding.currentText().strip()
        return LoadOptions(
            encoding="" if encoding in ("", _DETECT) else encoding,
            delimiter=_delimiter_value(self.delimiter.currentText()),
            header=self.header.isChecked(),
            skip_lines=self.skip.value(),
            nominal=self.nominal.text().strip(),
            string=self.string.text().strip(),
            missing=self.missing.text().strip(),
            numeric=self.numeric.text().strip(),
            date=self.date.text().strip(),
            date_format=self.date_format.text().strip(),
            decimal=_value(DECIMALS, self.decimal.currentText()),
            thousands=_value(THOUSANDS, self.thousands.currentText()),
        )

    def _check(self) -> str:
        """What is wrong with the fields, or "" (said before reading, beside them)."""
        options = self.options()
        if options.encoding:
            try:
                codec_name(options.encoding)
            except ParameterError as error:
                return str(error)
        if len(options.delimiter) > 1 and options.delimiter not in ("\\t", "tab"):
            return f"the delimiter is one character, not '{options.delimiter}'"
        if self.decimal.isEnabled():   # separators, the date format (a CSV file's)
            try:
                options.reader_options(self.path)
            except WorkbenchError as error:
                return str(error)
        return ""

    def _refresh(self) -> None:
        problem = self._check()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(not problem)
        options = self.options()
        encoding = "" if problem and options.encoding else options.encoding
        if encoding != self._preview_encoding:
            self._preview_encoding = encoding
            self._preview_raw = preview_text(self.path, encoding)
        self.preview.setPlainText(marked_lines(self._preview_raw, options))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and isinstance(watched, QComboBox) and not watched.view().isVisible()):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if self._check():
            self._refresh()
            return
        super().accept()


def _pair_row(form: QFormLayout, text: str, first: QWidget, first_stretch: int,
              second_text: str, second: QWidget, second_stretch: int) -> None:
    """A form row of two fields, each label's mnemonic going to its own field."""
    row = QHBoxLayout()
    row.addWidget(first, first_stretch)
    row.addWidget(_label_for(second_text, second))
    row.addWidget(second, second_stretch)
    form.addRow(_label_for(text, first), row)


def _label_for(text: str, buddy: QWidget) -> QLabel:
    """A row's label whose mnemonic goes to ``buddy``: a row of several fields gets
    none from the form, which then showed the '&' itself."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _shown(choices: tuple[tuple[str, str], ...], value: str) -> str:
    for shown, chosen in choices:
        if chosen == value:
            return shown
    return value


def _value(choices: tuple[tuple[str, str], ...], text: str) -> str:
    """The separator a combo box's text means: a choice's, or the text typed (``space``
    a space)."""
    for shown, value in choices:
        if text == shown:
            return value
    return separator_typed(text) if text.strip() else ""


def _delimiter_shown(delimiter: str) -> str:
    for shown, value in DELIMITERS:
        if value == delimiter:
            return shown
    return delimiter


def _delimiter_value(text: str) -> str:
    for shown, value in DELIMITERS:
        if text == shown:
            return value
    return "\t" if text in ("\\t", "tab") else text


__all__ = ["CsvOptionsDialog", "marked_lines", "preview_text"]
