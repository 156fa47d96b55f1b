"""A choice's values each get a line of help: declared once, shown by the property
sheet (tests/gui/widgets/test_param_sheet_choice_help.py) and by ``--help``."""

from __future__ import annotations

import pytest

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.cli import main
from workbench.core.params import Param


def test_help_per_choice_is_kept_in_the_order_of_the_choices():
    param = Param.choice("b", ("a", "b", "c"), "Pick", name="pick",
                         help_per_choice={"c": "third", "a": "first"})
    assert param.choice_lines() == ["a: first", "c: third"]
    assert Param.choice("a", ("a",), "Pick", name="pick").choice_lines() == []


def test_help_for_a_value_that_is_not_a_choice_is_a_declaration_error():
    with pytest.raises(ValueError, match="help for rleu, which is not among its choices"):
        Param.choice("relu", ("relu", "tanh"), "Units", name="activation",
                     help_per_choice={"rleu": "typo"})


def test_every_activation_of_the_mlp_is_explained():
    param = MultilayerPerceptron.param("activation")
    assert set(param.help_per_choice) == set(param.choices)


def test_classify_help_gives_each_activation_a_line_of_its_own(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["classify", "mlp", "--help"])
    assert exit_.value.code == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    param = MultilayerPerceptron.param("activation")
    for choice in param.choices:
        start = f"{choice}: {param.help_per_choice[choice]}"[:30]
        assert any(line.startswith(start) for line in lines), choice
    relu = next(i for i, line in enumerate(lines) if line.startswith("relu: max(0, x)"))
    # Its wrapped words follow on the next lines, before the next choice's line.
    following = " ".join(lines[relu:relu + 4])
    assert "the usual choice for deep networks" in following
