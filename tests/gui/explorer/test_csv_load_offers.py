"""What the Explorer offers for messy CSV files: the guess it fills in when a read
fails must read the file right, and what it notices after a read it says and offers to
put right (never silently)."""

from __future__ import annotations

from explorer_helpers import open_and_wait

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


def test_a_mistyped_column_option_names_the_file_and_offers_the_options_again(
        qtbot, explorer, tmp_path):
    path = _write(tmp_path, "small.csv", "a,b,c\n1,2,x\n3,4,y\n")
    explorer.open_file(path, LoadOptions(nominal="nosuch", skip_lines=0, delimiter=","))
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert f"{path}: nominal column 'nosuch' is not in the file" in explorer.log.text()
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.options() == LoadOptions(nominal="nosuch", delimiter=",")
