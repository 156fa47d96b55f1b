"""The Explorer reads files the command line reads with options: the options dialog
(File > Open with options..., or offered when a read fails in a way an option fixes),
remembered per file, and encoding advice that names what the Explorer offers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from explorer_helpers import open_and_wait

from workbench.gui.explorer.csv_options import CsvOptionsDialog, marked_lines
from workbench.gui.explorer.load_options import (
    LoadOptions,
    header_looks_like_data,
    remembered_options,
    suggested_options,
)

TITLED = "Land-Ocean: Global Means\nYear,Jan,Feb\n1880,-.19,-.25\n1881,-.20,-.15\n"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(path)


def _accept_offer(qtbot, explorer):
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)


def test_a_title_line_is_offered_as_a_skipped_line_and_remembered(qtbot, explorer, tmp_path):
    path = _write(tmp_path, "titled.csv", TITLED)
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset is None
    assert "this row has 3 fields, the header has 1" in explorer.log.text()
    dialog = explorer.options_dialog
    assert dialog.options() == LoadOptions(skip_lines=1)
    assert "this row has 3 fields" in dialog.reason.text() and dialog.reason.isVisible()
    _accept_offer(qtbot, explorer)
    assert (explorer.dataset.num_instances, explorer.dataset.num_attributes) == (2, 3)
    assert [a.name for a in explorer.dataset.attributes] == ["Year", "Jan", "Feb"]
    assert remembered_options(explorer.settings, path) == LoadOptions(skip_lines=1)
    explorer.set_dataset(None)
    open_and_wait(qtbot, explorer, path)   # Open recent / the same file again
    assert explorer.dataset.num_instances == 2
    assert "(--skip-lines 1)" in explorer.log.text()


def test_latin1_advice_names_the_gui_and_the_dialog_reads_it(qtbot, explorer, tmp_path):
    path = _write(tmp_path, "latin1.csv", "name,city\nRené,Köln\nZoë,Zürich\n"
                  .encode("latin-1"))
    open_and_wait(qtbot, explorer, path)
    text = explorer.log.text()
    assert "it looks like latin-1: read it with File > Open with options..., " \
           "Encoding latin-1" in text
    assert "encoding=" not in text
    assert explorer.options_dialog.options().encoding == "latin-1"
    _accept_offer(qtbot, explorer)
    assert explorer.dataset.value_text(0, "name") == "René"


def test_utf16_with_a_mark_opens_without_any_option(qtbot, explorer, tmp_path):
    path = _write(tmp_path, "utf16.csv", "a,b\n1,x\n2,y\n".encode("utf-16"))
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset.num_instances == 2 and explorer.options_dialog is None


def test_a_headerless_file_is_hinted_and_read_with_no_header(qtbot, explorer, tmp_path):
    path = _write(tmp_path, "emb.csv", "snowball;1;2;3;4\nchristmas;4;5;6;7\ntree;3;4;5;6\n")
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset.num_instances == 2
    assert "look like data" in explorer.log.text()
    explorer.offer_options(path, remembered_options(explorer.settings, path))
    explorer.options_dialog.header.setChecked(False)
    _accept_offer(qtbot, explorer)
    assert explorer.dataset.num_instances == 3
    assert explorer.dataset.attributes[0].name == "att1"


def test_no_dialog_for_a_file_no_option_can_read(qtbot, explorer, tmp_path):
    path = _write(tmp_path, "nul.csv", b"a,b\n1,x\0y\n")
    open_and_wait(qtbot, explorer, path)
    assert "NUL byte" in explorer.log.text() and explorer.options_dialog is None


def test_the_dialog_refuses_an_unknown_encoding_and_previews_roles(qtbot, tmp_path):
    path = _write(tmp_path, "titled.csv", TITLED)
    dialog = CsvOptionsDialog(path, LoadOptions(skip_lines=1))
    qtbot.addWidget(dialog)
    preview = dialog.preview.toPlainText().splitlines()
    assert preview[0].split("|")[0].split() == ["1", "skip"]
    assert preview[1].split("|")[0].split() == ["2", "header"]
    assert preview[2].split("|")[0].split() == ["3", "data"]
    dialog.encoding.setCurrentText("klingon")
    open_button = dialog.buttons.buttons()[0]
    assert not open_button.isEnabled() and "unknown text encoding" in dialog.problem.text()
    dialog.encoding.setCurrentText("latin-1")
    assert open_button.isEnabled() and dialog.options().encoding == "latin-1"


def test_options_become_the_readers_keywords():
    options = LoadOptions(encoding="cp1252", delimiter="tab", header=False, skip_lines=2,
                          nominal="1,grade", missing="NA, -")
    keywords = options.reader_options("x.csv")
    assert keywords["delimiter"] == "\t" and keywords["header"] is False
    assert keywords["skip_lines"] == 2 and keywords["missing"] == ("NA", "-")
    assert [str(k) for k in keywords["nominal"]] == ["1", "grade"]
    assert options.reader_options("x.arff") == {"encoding": "cp1252"}
    assert LoadOptions.from_json(options.to_json()) == options
    for damaged in ("", "[1]", '{"skip_lines": -3}', '{"header": "no"}'):
        assert LoadOptions.from_json(damaged) == LoadOptions()
    assert options.summary().startswith("--encoding cp1252 --delimiter")


def test_the_offer_reads_the_readers_numbers_not_its_words():
    """The offer parsed "this row has N fields, the header has M" out of the message: a
    reworded message would have silently ended the offer. It reads the error's field."""
    from workbench.core.errors import DataFormatError, RaggedRow

    reworded = DataFormatError("row 2 is wider than the header", "t.csv", 2,
                               ragged=RaggedRow(fields=3, header_fields=1))
    assert suggested_options(reworded, LoadOptions()) == LoadOptions(skip_lines=1)
    wider = DataFormatError("row 4 has another width", "t.csv", 4,
                            ragged=RaggedRow(fields=3, header_fields=2))
    assert suggested_options(wider, LoadOptions(encoding="latin-1")) == \
        LoadOptions(encoding="latin-1")   # the delimiter may be wrong: offered as they are
    words_only = DataFormatError("this row has 3 fields, the header has 1", "t.csv", 2)
    assert suggested_options(words_only, LoadOptions()) is None


@pytest.mark.parametrize(("names", "data"), [
    (["snowball", "1", "2", "3", "4"], True), (["Year", "Jan", "Feb"], False),
    (["x"], False)])
def test_header_looks_like_data(names, data):
    assert header_looks_like_data(names) is data


def test_marked_lines_with_no_header_are_all_data():
    assert [line.split("|")[0].split()[1] for line in
            marked_lines("a\nb\n", LoadOptions(header=False)).splitlines()[:2]] == \
        ["data", "data"]


def test_return_in_the_encoding_box_opens(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    dialog = CsvOptionsDialog(_write(tmp_path, "a.csv", "a,b\n1,2\n"), LoadOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.keyClick(dialog.encoding, Qt.Key.Key_Return)


def test_the_preview_shows_no_line_after_the_last_line_end():
    assert len(marked_lines("a,b\n1,2\n", LoadOptions()).splitlines()) == 2


def test_a_test_set_is_read_with_the_options_its_file_opened_with(qtbot, explorer, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = _write(tmp_path, "titled.csv", TITLED)
    open_and_wait(qtbot, explorer, path)
    _accept_offer(qtbot, explorer)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    explorer.choose_test_set()
    qtbot.waitUntil(lambda: explorer.test_set_job is None, timeout=30_000)
    assert "Error" not in explorer.log.text().splitlines()[-1]
    assert explorer.classify.test_set.num_instances == 2


def test_two_files_never_share_their_remembered_options(tmp_path):
    """'a|b.csv' and 'a/b.csv' were one settings key (both separators became '|'), so
    one file's --no-header was read into the other (review)."""
    from PySide6.QtCore import QSettings

    from workbench.gui.explorer.load_options import remember_options, remembered_options

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    (tmp_path / "a").mkdir()
    for path in (tmp_path / "a" / "b.csv", tmp_path / "a|b.csv"):
        path.write_text("x,y\n1,2\n")
    remember_options(settings, tmp_path / "a" / "b.csv", LoadOptions(header=False))
    assert remembered_options(settings, tmp_path / "a|b.csv") == LoadOptions()
    assert remembered_options(settings, tmp_path / "a" / "b.csv") == LoadOptions(header=False)


def test_an_offered_dialog_goes_with_its_window(qtbot, explorer, tmp_path):
    """Left open, the window-modal options dialog outlived a closed Explorer and stayed
    the application's modal widget (a later window's keys went nowhere)."""
    from PySide6.QtWidgets import QApplication

    open_and_wait(qtbot, explorer, _write(tmp_path, "titled.csv", TITLED))
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible()
    explorer.close()
    assert not dialog.isVisible()
    assert QApplication.activeModalWidget() is None


def _replace(path, text: str, same_time_as=None) -> None:
    """Put another file at ``path`` (with ``same_time_as``'s modification time: a copy
    that kept it, or a clock too coarse to tell)."""
    import os

    Path(path).write_text(text)
    if same_time_as is not None:
        os.utime(path, ns=(same_time_as, same_time_as))


def test_remembered_options_hold_only_for_the_file_they_were_kept_for(tmp_path):
    """They were kept per path alone: a different file saved at that path was read with
    the old file's --skip-lines without a word, losing its header to it."""
    import os

    from PySide6.QtCore import QSettings

    from workbench.gui.explorer.load_options import outdated_options, remember_options

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    path = _write(tmp_path, "titled.csv", TITLED)
    remember_options(settings, path, LoadOptions(skip_lines=1))
    # the same file: applied, nothing outdated
    assert remembered_options(settings, path) == LoadOptions(skip_lines=1)
    assert outdated_options(settings, path) is None
    # another file in its place, the same size and time but other first lines
    time = os.stat(path).st_mtime_ns
    _replace(path, TITLED.replace("Land", "Lake"), same_time_as=time)
    assert os.stat(path).st_size == len(TITLED)
    assert remembered_options(settings, path) == LoadOptions()
    assert outdated_options(settings, path) == LoadOptions(skip_lines=1)
    # the same bytes saved again later: another time, so offered again, not applied
    _replace(path, TITLED, same_time_as=time + 10**9)
    assert remembered_options(settings, path) == LoadOptions()
    assert outdated_options(settings, path) == LoadOptions(skip_lines=1)
    # kept again for the file as it is now: applied again
    remember_options(settings, path, LoadOptions(skip_lines=1))
    assert remembered_options(settings, path) == LoadOptions(skip_lines=1)
    # an entry from before signatures (the options alone) cannot vouch for the file
    key = next(k for k in settings.allKeys() if k.startswith("load_options/"))
    settings.setValue(key, LoadOptions(skip_lines=1).to_json())
    assert remembered_options(settings, path) == LoadOptions()
    assert outdated_options(settings, path) == LoadOptions(skip_lines=1)
    # a file that is gone: nothing to offer (its read says it is not there)
    os.remove(path)
    assert outdated_options(settings, path) is None
    assert remembered_options(settings, path) == LoadOptions()


def test_a_replaced_file_gets_its_old_options_offered_not_applied(qtbot, explorer,
                                                                  tmp_path):
    path = _write(tmp_path, "monthly.csv", TITLED)
    explorer.open_file(path, LoadOptions(skip_lines=1))
    qtbot.waitUntil(lambda: explorer.load_job is None, timeout=30_000)
    assert explorer.dataset.num_instances == 2
    explorer.set_dataset(None)
    _replace(path, "Year,Jan,Feb\n1890,-.1,-.2\n1891,-.3,-.4\n1892,-.5,-.6\n")
    assert explorer.open_file(path) is False   # nothing read yet: the dialog asks first
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.isVisible() and explorer.load_job is None
    assert dialog.options() == LoadOptions(skip_lines=1)
    assert "has changed since it was read with these options (--skip-lines 1)" in \
        dialog.reason.text() and dialog.reason.isVisible()
    assert "has changed" in explorer.log.text()
    dialog.skip.setValue(0)   # the user sees the new file has no title line
    _accept_offer(qtbot, explorer)
    assert explorer.dataset.num_instances == 3
    assert [a.name for a in explorer.dataset.attributes] == ["Year", "Jan", "Feb"]
    # read with the defaults now, which are not kept: it opens straight away next time
    explorer.set_dataset(None)
    open_and_wait(qtbot, explorer, path)
    assert explorer.options_dialog is None and explorer.dataset.num_instances == 3


def test_a_one_shot_run_names_the_options_it_would_not_apply(qtbot, tmp_path, settings,
                                                             monkeypatch, capsys):
    """`workbench explorer FILE --screenshot` cannot ask: it says what to do."""
    from workbench.cli import main
    from workbench.gui.explorer import window as window_module

    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    path = _write(tmp_path, "monthly.csv", TITLED)
    out = tmp_path / "out.png"
    assert main(["explorer", path, "--skip-lines", "1", "--screenshot", str(out)]) == 0
    capsys.readouterr()
    _replace(path, "Year,Jan\n1890,-.1\n")
    assert main(["explorer", path, "--screenshot", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has changed since the Explorer read it with --skip-lines 1; give the " \
           "options on the command line" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_never_opened_to_sign_it(tmp_path):
    """The signature is taken on the GUI thread: a plain open of a FIFO with no writer
    never returns, so opening one froze the Explorer (review H1), where the reader refuses
    it at once ("is not a regular file")."""
    import threading

    from PySide6.QtCore import QSettings

    from workbench.gui.explorer.load_options import (
        FileSignature,
        outdated_options,
        remember_options,
    )

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    answers: list[object] = []

    def sign() -> None:
        answers.append(FileSignature.of(pipe))
        answers.append(outdated_options(settings, pipe))
        remember_options(settings, pipe, LoadOptions(skip_lines=1))
        answers.append(outdated_options(settings, pipe))
        answers.append(remembered_options(settings, pipe))

    worker = threading.Thread(target=sign, daemon=True)
    worker.start()
    worker.join(60)   # (a hang, not a time: the old code never returned)
    if worker.is_alive():   # unblock the thread the old code left waiting for a writer
        with open(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        pytest.fail("signing a FIFO blocked")
    assert answers == [None, None, None, LoadOptions()]


def test_a_bad_row_far_down_a_one_column_file_is_not_offered_as_a_title():
    """Skip lines 8 would drop the header and seven rows: only the first rows read may
    sit under a title (the rule the command line's advice follows too)."""
    from workbench.core.errors import DataFormatError, RaggedRow

    far = DataFormatError("this row has 2 fields, the header has 1", "f.csv", 9,
                          ragged=RaggedRow(2, 1))
    assert suggested_options(far, LoadOptions()) == LoadOptions()
    near = DataFormatError("this row has 3 fields, the header has 1", "f.csv", 2,
                           ragged=RaggedRow(3, 1))
    assert suggested_options(near, LoadOptions()) == LoadOptions(skip_lines=1)
