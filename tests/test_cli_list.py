"""`workbench list` shows everything the Knowledge Flow palette shows."""

import json

import pytest

from workbench.cli import main


@pytest.mark.parametrize("kind, expected", [
    ("loaders", ["ArffLoader", "CSVLoader"]),
    ("savers", ["ArffSaver", "CSVSaver", "ModelSaver", "ImageSaver"]),
    ("evaluators", ["ClassifierPerformanceEvaluator", "CrossValidationFoldMaker"]),
    ("viewers", ["TextViewer", "ConfusionMatrixViewer", "WeightViewer"]),
])
def test_palette_sections_are_listed(capsys, kind, expected):
    assert main(["list", kind]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{kind}:\n")
    for name in expected:
        assert f"  {name} " in out


def test_list_plugins_is_the_plugins_command(capsys):
    assert main(["list", "plugins"]) == 0
    assert "plugin folders searched:" in capsys.readouterr().out


def test_long_names_keep_their_columns(capsys):
    assert main(["list", "evaluators"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines()[1:] if line]
    assert len({row.index("Evaluation") for row in rows}) == 1


@pytest.mark.parametrize("word", ["datasets", "dataset", "Datasets"])
def test_list_datasets_names_every_bundled_file(capsys, word):
    from workbench.data.catalog import bundled_names

    assert main(["list", word]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == bundled_names()


def test_list_datasets_json_gives_files_that_exist(capsys):
    import json
    from pathlib import Path

    assert main(["list", "datasets", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in entries][:2] == ["iris", "diabetes"]
    assert all(Path(e["file"]).is_file() and e["description"] for e in entries)


def test_an_unknown_kind_names_datasets_among_the_choices(capsys):
    assert main(["list", "sets"]) == 2
    assert "datasets" in capsys.readouterr().err


def test_list_templates_and_experiments_name_what_the_commands_take(capsys):
    """A user who installed the wheel has no source tree: the bundled flows and
    experiments are listed by the names `run` and `experiment run` take."""
    assert main(["list", "templates"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("templates (bundled; workbench run NAME")
    assert "  cross-validation " in text and "Cross-validation of a classifier" in text
    assert main(["list", "experiments", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["name"] for entry in listed] == ["optimisers", "three-learners"]
    assert listed[1]["title"] == "3 datasets x 3 classifiers, 10 repetitions"
