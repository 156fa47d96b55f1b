"""The declared test options: one set of bounds and refusals for the command line, the
flow's fold and split makers and the Experimenter's specs (the Explorer's panel is
tested with the GUI)."""

from __future__ import annotations

import pytest
from eval_standins import nominal_dataset

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.evaluation import TestOption
from workbench.evaluation.test_options import MAX_FOLDS, MODES, TestOptions


def _refusal(**values) -> str:
    with pytest.raises(ParameterError) as info:
        TestOptions(**values)
    return str(info.value)


def test_defaults_are_wekas_ten_fold_cross_validation_with_seed_1():
    option = TestOptions().option()
    assert (option.mode, option.folds, option.seed, option.percent, option.runs) == (
        "cross_validation", 10, 1, 66.0, 1)
    assert option.preserve_order is False


@pytest.mark.parametrize(("values", "message"), [
    ({"folds": 1}, "parameter 'folds': 1 is not allowed (expected a whole number in [2, "),
    ({"folds": MAX_FOLDS + 1}, f"in [2, {MAX_FOLDS}]"),
    ({"percent": 0}, "parameter 'percent': 0 is not allowed (expected a number in (0, 100))"),
    ({"percent": 100.0}, "(expected a number in (0, 100))"),
    ({"runs": 0}, "parameter 'runs': 0 is not allowed"),
    ({"mode": "bootstrap"}, "parameter 'mode'"),
    ({"seed": 2**31 - 1, "runs": 2}, "the last run's seed"),
])
def test_values_out_of_bounds_are_refused_in_the_users_words(values, message):
    assert message in _refusal(**values)


def test_a_split_takes_a_fractional_percentage_like_wekas():
    option = TestOptions(mode="split", percent=66.6, preserve_order=True).option()
    assert option.percent == 66.6 and option.preserve_order
    assert option.test_mode_text() == "split 66.6% train, remainder test, order preserved"


def test_more_folds_than_rows_is_refused_when_the_run_starts():
    data = nominal_dataset(n=10)
    TestOptions(folds=10).check(data)
    with pytest.raises(WorkbenchError, match="has 10 instances, fewer than the 11 folds"):
        TestOptions(folds=11).check(data)
    # The folds only count under cross-validation.
    TestOptions(mode="training", folds=11).check(data)


def test_a_split_that_leaves_a_side_empty_is_refused_when_the_run_starts():
    data = nominal_dataset(n=3)
    with pytest.raises(WorkbenchError, match="leaves no test instances"):
        TestOptions(mode="split", percent=90).check(data)
    with pytest.raises(WorkbenchError, match="leaves no training instances"):
        TestOptions(mode="split", percent=10).check(data)


def test_every_run_goes_through_the_same_checks():
    data = nominal_dataset(n=10)
    with pytest.raises(ParameterError) as info:
        TestOption.cross_validation(1).validate(data)
    assert str(info.value) == _refusal(folds=1)
    with pytest.raises(WorkbenchError, match="needs a test set"):
        TestOption("test_set").validate(data)


@pytest.mark.parametrize("mode", MODES)
def test_options_and_a_runs_option_convert_both_ways(mode):
    options = TestOptions(mode=mode, folds=4, percent=50.5, seed=9, preserve_order=True,
                          runs=3)
    test_set = nominal_dataset(n=5) if mode == "test_set" else None
    option = options.option(test_set)
    assert option.test_set is test_set
    assert TestOptions.of(option).get_params() == options.get_params()


# The same refusal from every front ---------------------------------------------------

def test_the_command_line_refuses_with_the_declared_words(capsys):
    # ... naming the flag typed rather than the declared parameter, and the file once.
    from workbench.cli import main

    assert main(["classify", "-t", "iris", "-x", "1", "--no-progress", "zeror"]) == 2
    assert _refusal(folds=1).replace("parameter 'folds'", "-x") in capsys.readouterr().err
    assert main(["classify", "-t", "iris", "-split-percentage", "100", "--no-progress",
                 "zeror"]) == 2
    assert _refusal(mode="split", percent=100.0).replace(
        "parameter 'percent'", "-split-percentage") in capsys.readouterr().err
    assert main(["classify", "-t", "iris", "-x", "151", "--no-progress", "zeror"]) == 2
    assert "error: iris has 150 instances, fewer than the 151 folds" in \
        capsys.readouterr().err


def test_the_flow_nodes_declare_the_same_parameters():
    from workbench.flow.nodes.preprocess import CrossValidationFoldMaker, TrainTestSplitMaker

    for node, names in ((CrossValidationFoldMaker, ("folds", "seed")),
                        (TrainTestSplitMaker, ("percent", "seed", "preserve_order"))):
        for name in names:
            ours, theirs = TestOptions.param(name), node.param(name)
            assert (theirs.kind, theirs.default, theirs.low, theirs.high, theirs.low_open,
                    theirs.high_open) == (ours.kind, ours.default, ours.low, ours.high,
                                          ours.low_open, ours.high_open)
    with pytest.raises(ParameterError) as info:
        CrossValidationFoldMaker(folds=1)
    assert str(info.value) == _refusal(folds=1)


def test_an_experiment_spec_refuses_with_the_declared_words():
    from workbench.evaluation.experiment import spec_from_dict

    definition = {"datasets": ["iris"], "classifiers": ["zeror"],
                  "resampling": {"method": "cross_validation", "folds": 1}}
    with pytest.raises(WorkbenchError) as info:
        spec_from_dict(definition, source="my.json")
    assert str(info.value) == f"my.json: resampling: {_refusal(folds=1)}"
    definition["resampling"] = {"method": "split", "percent": 12.5}
    assert spec_from_dict(definition).resampling.percent == 12.5
