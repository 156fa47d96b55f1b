"""``classify -l`` says on stderr that it rebuilds a scikit-learn model when the refit
takes more than a moment, and when it is done (``commands/_refit_notice.py``); Ctrl-C
still stops the refit with status 130."""

from __future__ import annotations

import io
import time

import pytest

from workbench.cli import main
from workbench.commands import _refit_notice as refit_notice
from workbench.core.progress import ProgressEvent

SAID = ("workbench: rebuilding the scikit-learn model from its training data (refit on "
        "load): ")


@pytest.fixture(scope="module")
def forest(tmp_path_factory):
    path = tmp_path_factory.mktemp("refit") / "forest.model"
    assert main(["classify", "-t", "iris", "-no-cv", "-d", str(path), "random-forest",
                 "-I", "20"]) == 0
    return path


def test_a_refit_past_the_moment_is_said_on_stderr_and_so_is_its_end(forest, monkeypatch,
                                                                       capsys):
    monkeypatch.setattr(refit_notice, "MOMENT", 0)
    assert main(["classify", "-l", str(forest), "-T", "iris", "--progress"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == SAID + "fitting 20 trees on 150 rows x 4 columns..."
    assert err[1].startswith("workbench: rebuilt the scikit-learn model in ")
    assert err[1].endswith(" s")


@pytest.mark.parametrize("flag", [[], ["--no-progress"]])
def test_nothing_is_said_where_no_progress_is_shown(forest, monkeypatch, capsys, flag):
    monkeypatch.setattr(refit_notice, "MOMENT", 0)
    assert main(["classify", "-l", str(forest), "-T", "iris", *flag]) == 0  # not a tty
    assert "rebuil" not in capsys.readouterr().err


def test_ctrl_c_during_the_refit_stops_with_130_and_no_done_line(forest, monkeypatch,
                                                                 capsys):
    from workbench.classifiers.sklearn_adapter import _SklearnBacked

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(refit_notice, "MOMENT", 0)
    monkeypatch.setattr(_SklearnBacked, "_fit_arrays", interrupted)
    assert main(["classify", "-l", str(forest), "-T", "iris", "--progress"]) == 130
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(SAID)
    assert err[1].startswith("workbench: stopped by Ctrl-C")
    assert not any("rebuilt" in line for line in err)


def _refit(notice: refit_notice.RefitNotice) -> None:
    notice(ProgressEvent(None, "rebuilding the model: fitting a tree", {"phase": "refit"}))


def test_a_refit_over_within_the_moment_says_nothing():
    stream = io.StringIO()
    with refit_notice.RefitNotice(stream, enabled=True, moment=600) as notice:
        notice(ProgressEvent(None, "reading", {}))
        _refit(notice)
    assert stream.getvalue() == ""


def test_the_line_comes_once_the_moment_has_passed_while_the_refit_runs():
    stream = io.StringIO()
    with refit_notice.RefitNotice(stream, enabled=True, moment=0.01) as notice:
        _refit(notice)
        deadline = time.monotonic() + 60
        while not stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert stream.getvalue() == SAID + "fitting a tree...\n"
    assert stream.getvalue().splitlines()[1].startswith("workbench: rebuilt the")


def test_a_failed_load_says_no_done_line():
    stream = io.StringIO()
    with pytest.raises(ValueError), refit_notice.RefitNotice(stream, enabled=True,
                                                             moment=0) as notice:
        _refit(notice)
        raise ValueError("the fingerprint does not match")
    assert stream.getvalue() == SAID + "fitting a tree...\n"
