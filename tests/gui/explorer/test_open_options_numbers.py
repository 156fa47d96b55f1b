"""The Explorer's Open options for a user's own CSV files (walkthrough csv F1, F4, F5,
F11): decimal and thousands separators, offered when a German Excel file's numbers come
out nominal; numeric and date columns with the dates' format; ``.txt`` files."""

from __future__ import annotations

from explorer_helpers import open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from workbench.data.dataset import AttributeType
from workbench.data.io import dialog_filter
from workbench.gui.explorer.csv_options import CsvOptionsDialog
from workbench.gui.explorer.load_options import LoadOptions

GERMAN = "Name;Größe;Gewicht;Klasse\r\nP0;1,57;1.092,4;nein\r\nP1;1,88;62,8;ja\r\n" \
         "P2;1,75;72,5;nein\r\n"


def test_decimal_commas_are_offered_a_read_with_the_separators(qtbot, explorer, tmp_path):
    path = tmp_path / "de.csv"
    path.write_bytes(GERMAN.encode("cp1252"))
    open_and_wait(qtbot, explorer, str(path))
    assert explorer.dataset is None   # not UTF-8: the encoding is offered first
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.options().encoding == "latin-1"
    dialog.accept()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    # read as asked (nothing changes without the user's choice), and said so
    assert explorer.dataset.attribute("Größe").type is AttributeType.NOMINAL
    assert ("Größe, Gewicht: numbers written with a decimal comma and '.' between "
            "thousands" in explorer.log.text())
    assert "Decimal separator ',', Thousands separator '.'" in explorer.log.text()
    box = explorer.preprocess.message_box
    assert box.isVisible() and "Read them as numbers?" in box.text()
    qtbot.mouseClick(box.action, Qt.MouseButton.LeftButton)
    dialog = explorer.options_dialog
    assert dialog is not None
    assert dialog.options() == LoadOptions(encoding="latin-1", decimal=",", thousands=".")
    assert dialog.decimal.currentText().startswith(",")
    dialog.accept()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert explorer.dataset.attribute("Gewicht").type is AttributeType.NUMERIC
    assert explorer.dataset.column(2).tolist() == [1092.4, 62.8, 72.5]
    assert not box.isVisible()
    assert "--decimal ',' --thousands '.'" in explorer.log.text()


def test_the_dialog_takes_types_dates_and_separators(qtbot, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,when,x\n1,01/02/2024,1\n", encoding="utf-8")
    kept = LoadOptions(numeric="first", date="2", date_format="dd/MM/yyyy",
                       missing="NA,n\\,a", decimal=",", thousands=" ")
    dialog = CsvOptionsDialog(path, kept)
    qtbot.addWidget(dialog)
    assert dialog.options() == kept   # every field shows what it was given
    assert dialog.thousands.currentText().startswith("Space")
    # a row of two fields keeps its mnemonic (the form showed "D&ate" with no buddy)
    buddies = {label.text(): label.buddy() for label in dialog.findChildren(QLabel)}
    assert buddies["D&ate columns:"] is dialog.date
    assert buddies["Decima&l separator:"] is dialog.decimal
    dialog.thousands.setCurrentText(",")
    open_button = dialog.buttons.buttons()[0]
    assert not open_button.isEnabled() and "must differ" in dialog.problem.text()
    dialog.thousands.setCurrentText("None")
    dialog.date.setText("")
    assert not open_button.isEnabled() and "--date COLUMNS" in dialog.problem.text()
    dialog.date.setText("when")
    assert open_button.isEnabled()
    keywords = dialog.options().reader_options(path)
    assert keywords["missing"] == ("NA", "n,a") and keywords["decimal"] == ","
    assert keywords["date_format"] == "dd/MM/yyyy" and "thousands" not in keywords
    assert LoadOptions.from_json(kept.to_json()) == kept
    # options kept before these fields existed still read
    old = '{"delimiter": ";", "encoding": "", "header": true, "missing": "", ' \
          '"nominal": "", "skip_lines": 0, "string": ""}'
    assert LoadOptions.from_json(old) == LoadOptions(delimiter=";")


def test_a_tab_separated_txt_file_opens(qtbot, explorer, tmp_path):
    assert "*.txt" in dialog_filter("loader").split(";;")[0]
    path = tmp_path / "sheet.txt"
    path.write_text("a\tb\tclass\n0.5\t1\tp\n0.25\t2\tq\n", encoding="utf-8")
    open_and_wait(qtbot, explorer, str(path))
    assert explorer.dataset is not None and explorer.dataset.num_attributes == 3
