"""What the Explorer offers for messy CSV files: the guess it fills in when a read
fails must read the file right, and what it notices after a read it says and offers to
put right (never silently)."""

from __future__ import annotations

from explorer_helpers import open_and_wait
from PySide6.QtCore import Qt

from workbench.core.errors import DataFormatError
from workbench.gui.explorer.load_options import LoadOptions, suggested_options

REPEATED = "a,a,,b,class\n" + "".join(f"{i},{i + 1},{i + 2},{i + 3},{'lk'[i % 2]}\n"
                                       for i in range(10))


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_guess_for_a_repeated_name_skips_the_line_of_names():
    error = DataFormatError("column 2 repeats the name 'a'", "d.csv", 3,
                            expected="distinct column names")
    assert suggested_options(error, LoadOptions(skip_lines=2, encoding="latin-1")) == \
        LoadOptions(header=False, skip_lines=3, encoding="latin-1")


def test_accepting_the_guess_for_a_repeated_name_reads_only_the_data(qtbot, explorer,
                                                                     tmp_path):
    path = _write(tmp_path, "dup.csv", REPEATED)
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset is None and "repeats the name 'a'" in explorer.log.text()
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.accept()   # Enter: the guess as filled in
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    data = explorer.dataset
    assert data is not None and data.num_instances == 10
    assert [a.type.value for a in data.attributes] == ["numeric"] * 4 + ["nominal"]
    assert list(data.attributes[-1].values) == ["l", "k"]
    # its first column counts 0..9 but was named "a": no row index is offered
    assert "row index" not in explorer.log.text()


def test_a_mistyped_column_option_names_the_file_and_offers_the_options_again(
        qtbot, explorer, tmp_path):
    path = _write(tmp_path, "small.csv", "a,b,c\n1,2,x\n3,4,y\n")
    explorer.open_file(path, LoadOptions(nominal="nosuch", skip_lines=0, delimiter=","))
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert f"{path}: nominal column 'nosuch' is not in the file" in explorer.log.text()
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.options() == LoadOptions(nominal="nosuch", delimiter=",")


def _large_csv(tmp_path) -> str:
    """A CSV file of several of the blocks pandas reads (256 KB each)."""
    rows = "".join(f"{i % 97}.25,{i % 13},{'ab'[i % 2]}\n" for i in range(120_000))
    return _write(tmp_path, "large.csv", "x,y,class\n" + rows)


def test_loading_shows_how_far_it_has_come_and_cancel_stops_it(qtbot, explorer, tmp_path,
                                                                monkeypatch):
    import threading

    from workbench.data import csv_progress

    path = _large_csv(tmp_path)
    release, entered = threading.Event(), threading.Event()
    real = csv_progress._ReportingText.read

    def read(self, size=-1):   # held inside the parse, after its first blocks
        if self.position > 0:
            entered.set()
            assert release.wait(30)
        return real(self, size)

    monkeypatch.setattr(csv_progress._ReportingText, "read", read)
    assert explorer.open_file(path)
    assert entered.wait(30)
    bar = explorer.load_progress
    qtbot.waitUntil(lambda: bar.bar.value() > 0, timeout=10_000)
    assert bar.isVisible() and bar.cancel_button.isEnabled()
    assert "large.csv:" in explorer.status.activity.text() and "MB read" in \
        explorer.status.activity.text()
    qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert explorer.dataset is None and not bar.isVisible()
    assert f"Loading {path} cancelled" in explorer.log.text()
    monkeypatch.setattr(csv_progress._ReportingText, "read", real)
    open_and_wait(qtbot, explorer, path)   # and the next read runs to the end
    assert explorer.dataset.num_instances == 120_000 and not bar.isVisible()


TRAILING = "a,b,class,\n" + "".join(f"{i},{2 * i},{'xy'[i % 2]},\n" for i in range(20))


def test_a_trailing_delimiter_is_noted_and_the_class_is_the_last_named_column(
        qtbot, explorer, tmp_path):
    path = _write(tmp_path, "trailing.csv", TRAILING)
    open_and_wait(qtbot, explorer, path)
    assert [a.name for a in explorer.dataset.attributes] == ["a", "b", "class"]
    assert explorer.preprocess.colour_index() == 2
    assert f"{path}: column 4 has no name and no values" in explorer.log.text()


def test_a_pandas_row_index_is_said_and_removed_on_request(qtbot, explorer, tmp_path):
    rows = "".join(f"{i},{(i * 7) % 5}.5,{'ab'[i >= 6]}\n" for i in range(12))
    path = _write(tmp_path, "indexed.csv", ",f1,label\n" + rows)
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset.num_attributes == 3   # kept until the user chooses
    assert "a row index" in explorer.log.text()
    box = explorer.preprocess.message_box
    assert box.isVisible() and "row index" in box.text()
    assert box.action.text() == "Remove column 1"
    box.action.click()
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=30_000)
    assert [a.name for a in explorer.dataset.attributes] == ["f1", "label"]
    assert explorer.undo_stack   # undoable, as any removal
