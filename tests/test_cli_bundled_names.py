"""Every command that reads a data file or opens a flow takes a bundled one by name, from
any folder (the files come from the package, wherever it is installed)."""

from __future__ import annotations

import json

import pytest

from workbench.cli import main


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data file of those names here


def test_info_and_convert_take_a_dataset_name(tmp_path, capsys):
    assert main(["info", "weather.nominal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["num_instances"] == 14
    assert main(["convert", "iris", "iris.csv"]) == 0
    assert (tmp_path / "iris.csv").read_text().count("\n") == 151


def test_classify_takes_names_for_training_and_test_data(capsys):
    assert main(["classify", "-t", "segment-challenge", "-T", "segment-test", "--json",
                 "--no-progress", "zeror"]) == 0
    assert json.loads(capsys.readouterr().out)["num_instances"] == 810


def test_filter_takes_names_for_both_batch_inputs(tmp_path):
    assert main(["filter", "standardize", "-b", "-i", "segment-challenge", "-o", "a.arff",
                 "-r", "segment-test", "-s", "b.arff"]) == 0
    assert (tmp_path / "a.arff").is_file() and (tmp_path / "b.arff").is_file()


def test_an_unknown_name_is_an_error_listing_the_bundled_datasets(capsys):
    assert main(["info", "irsi"]) == 2
    err = capsys.readouterr().err
    assert "irsi: no such file, nor a bundled dataset" in err and "iris" in err
    assert "Traceback" not in err


def test_the_flow_editor_opens_a_template_by_name(tmp_path, capsys):
    picture = tmp_path / "flow.png"
    assert main(["flow", "cross-validation", "--screenshot", str(picture)]) == 0
    assert picture.stat().st_size > 0
    assert main(["flow", "no-such-template"]) == 2
    assert "nor a bundled template" in capsys.readouterr().err
