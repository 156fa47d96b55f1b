"""Names from a file cannot drive the user's terminal (walkthrough 13a, D2): on a
terminal, ESC, the other controls and the bidirectional overrides in a relation,
attribute or class name are printed as escapes; to a file or a pipe, and in the files
we write, the names stay exactly as the data has them."""

from __future__ import annotations

import io

import pytest

from workbench.cli import main
from workbench.data.io import load_dataset

# Clear the screen; set the clipboard to "echo pwned" (OSC 52); turn the line around.
ESC = "\x1b[2J\x1b]52;c;ZWNobyBwd25lZA==\x07\u202eevil"
SHOWN = "\\x1b[2J\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\u202eevil"


class Terminal(io.StringIO):
    """What a terminal receives: a text stream that says it is one."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def esc_arff(tmp_path):
    path = tmp_path / "esc.arff"
    label = f"'x{ESC}'"
    rows = "\n".join(f"{i},{label if i % 2 else 'y'}" for i in range(1, 9))
    path.write_text(f"@relation 'rel{ESC}'\n@attribute 'a{ESC}' numeric\n"
                    f"@attribute cls {{{label},y}}\n@data\n{rows}\n", encoding="utf-8")
    return path


def _on_terminal(monkeypatch, argv):
    out, err = Terminal(), Terminal()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    status = main(argv)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [["info"], ["classify", "-x", "2", "naive-bayes", "-t"]])
def test_names_reach_a_terminal_as_escapes(monkeypatch, esc_arff, argv):
    status, out, _err = _on_terminal(monkeypatch, [*argv, str(esc_arff)])
    assert status == 0
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert f"rel{SHOWN}" in out or f"a{SHOWN}" in out
    assert f"x{SHOWN}" in out   # the class label, in the summary or the matrix
    assert out.count("\n") > 5                    # our own line breaks are kept


def test_names_reach_a_file_or_pipe_exactly(capsys, esc_arff):
    assert main(["info", str(esc_arff)]) == 0
    out = capsys.readouterr().out
    assert f"rel{ESC}" in out and SHOWN not in out


def test_files_written_keep_the_names_even_from_a_terminal(monkeypatch, esc_arff,
                                                            tmp_path):
    target = tmp_path / "copy.arff"
    status, _out, _err = _on_terminal(monkeypatch, ["convert", str(esc_arff), str(target)])
    assert status == 0
    copy = load_dataset(target)
    assert copy.relation == f"rel{ESC}"
    assert [a.name for a in copy.attributes] == [f"a{ESC}", "cls"]
    assert copy.attributes[1].values[0] == f"x{ESC}"


def test_the_rule_escapes_what_a_terminal_obeys_and_keeps_layout():
    from workbench.core.terminal import terminal_text

    assert terminal_text("a\tb\nc") == "a\tb\nc"
    assert terminal_text("a\rb") == "a\\rb"                  # would overwrite the line
    assert terminal_text("a\rb", keep_carriage_return=True) == "a\rb"  # a progress bar
    assert terminal_text("\x9b2J\x7f\u2066x\u2069") == "\\x9b2J\\x7f\\u2066x\\u2069"
    assert terminal_text("café – 東京") == "café – 東京"   # printable text as it is
