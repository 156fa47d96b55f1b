"""`workbench list` shows everything the Knowledge Flow palette shows."""

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
