"""What ``workbench run`` writes without ``--out`` (walkthrough 7, item 26): the viewers'
outputs only with ``--out DIR``, as the help now says; a run that leaves some unwritten
says which, and how to get them."""

from __future__ import annotations

import pytest

from workbench.cli import main


@pytest.fixture(autouse=True)
def _private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "output"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")


def test_the_help_says_viewers_write_only_with_out(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "without it viewers write nothing" in help_text


def test_without_out_a_run_names_the_viewers_it_did_not_write(tmp_path, capsys):
    assert main(["run", "roc-two-classifiers", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert err == ("workbench: note: the output of 'ModelPerformanceChart' was not "
                   "written: give --out DIR to write it\n")
    assert not (tmp_path / "output").exists() and not any((tmp_path / "work").iterdir())
    out = tmp_path / "out"
    assert main(["run", "roc-two-classifiers", "--no-progress", "--out", str(out)]) == 0
    assert "note:" not in capsys.readouterr().err
    assert (out / "roc.csv").is_file()


def test_a_printed_text_viewer_needs_no_note(capsys):
    assert main(["run", "cross-validation", "--no-progress"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["run", "cross-validation", "--no-progress", "--json"]) == 0
    assert "'TextViewer' was not written" in capsys.readouterr().err
