"""Experiment specs from a stranger: bounded, validated before any run, never a traceback."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest
from conftest import small_definition

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import load_spec, run_experiment, spec_from_dict
from workbench.evaluation.experiment.runs import iter_runs
from workbench.evaluation.experiment.spec import MAX_REPETITIONS
from workbench.evaluation.test_options import MAX_FOLDS


@pytest.mark.parametrize("changes, message", [
    ({"repetitions": 10**12}, f"'repetitions' must be at most {MAX_REPETITIONS}"),
    ({"resampling": {"method": "cross_validation", "folds": 10**9}},
     f"resampling: parameter 'folds': 1000000000 is not allowed (expected a whole number "
     f"in [2, {MAX_FOLDS}])"),
    ({"resampling": {"method": "cross_validation", "folds": "10"}},
     "resampling: 'folds' must be a number, got '10'"),
    ({"repetitions": True}, "'repetitions' must be an integer"),
    ({"seed": 10**30}, "parameter 'seed': 10000000000000000000000000000"),
    ({"seed": 2**31 - 2, "repetitions": 10}, "the last run's seed (seed 2147483646 + 10 runs"),
    ({"resampling": {"method": ["split"]}}, "resampling method"),
    ({"datasets": ["iris\x00.arff"]}, "datasets[0] must be"),
    ({"classifiers": [{"name": "random-forest", "params": {"trees": 10**9}}]}, "trees"),
    ({"classifiers": [{"name": "knn", "params": {"k": "9" * 5000}}]}, "classifiers[0]"),
])
def test_absurd_counts_and_wrong_types_are_refused(changes, message):
    with pytest.raises(WorkbenchError) as info:
        spec_from_dict(small_definition(**changes), source="my.json")
    assert str(info.value).startswith("my.json: ") and message in str(info.value)


def test_runs_are_made_one_at_a_time():
    spec = spec_from_dict(small_definition(
        repetitions=MAX_REPETITIONS, resampling={"method": "cross_validation",
                                                 "folds": MAX_FOLDS}))
    assert spec.total_runs == 3 * 3 * MAX_REPETITIONS * MAX_FOLDS  # 9 * 10^9 runs
    first = list(islice(iter_runs(spec), 3))
    assert [(r.repetition, r.fold) for r in first] == [(1, 1), (1, 2), (1, 3)]


def test_folds_beyond_the_instances_are_refused_before_a_results_file_exists(tmp_path):
    spec = spec_from_dict(small_definition(
        datasets=["weather.nominal"], resampling={"method": "cross_validation",
                                                  "folds": 15}))
    out = tmp_path / "results.csv"
    with pytest.raises(WorkbenchError, match=r"14 instances, fewer than the 15 folds"):
        run_experiment(spec, out)
    assert list(tmp_path.iterdir()) == []


def test_a_dataset_broken_after_the_spec_was_read_is_refused_before_any_run(tmp_path):
    data = tmp_path / "mine.arff"
    data.write_text("@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n")
    spec = spec_from_dict(small_definition(datasets=[str(data)]), base_dir=str(tmp_path))
    data.write_text("@relation r\n@attribute a numeric\n@data\n1,\n")
    out = tmp_path / "out" / "results.csv"
    with pytest.raises(WorkbenchError, match=r"datasets\[0\]"):
        run_experiment(spec, out)
    assert not out.exists()


def test_files_that_are_not_utf8_deep_or_huge_name_the_file(tmp_path):
    cases = {
        "latin": json.dumps(small_definition()).encode().replace(b'"iris"', b'"ir\xefs"'),
        "deep": b'{"datasets": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        "digits": b'{"repetitions": ' + b"9" * 5000 + b"}",
        "nan": b'{"repetitions": NaN}',
    }
    for name, raw in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(raw)
        with pytest.raises(WorkbenchError, match=rf"{name}\.json"):
            load_spec(path)


def test_the_command_exits_2_with_one_line(tmp_path: Path, capsys):
    from workbench.cli import main

    path = tmp_path / "spec.json"
    path.write_bytes(b"\xff\xfe{}")
    assert main(["experiment", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "spec.json:1: byte 0xff is not UTF-8" in err and "Traceback" not in err


def test_the_command_names_the_spec_when_folds_exceed_instances(tmp_path: Path, capsys):
    from workbench.cli import main

    path = tmp_path / "spec.json"
    path.write_text(json.dumps(small_definition(
        datasets=["weather.nominal"], resampling={"method": "cross_validation",
                                                  "folds": 20})))
    assert main(["experiment", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: datasets[0] ('weather.nominal'): " in err
    assert "has 14 instances, fewer than the 20 folds asked for" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


@pytest.mark.parametrize("params, message", [
    ({"estimator": "sklearn.nothing.Here"}, "no module 'sklearn.nothing'"),
    ({"estimator": "os.system"}, "only the sklearn namespace"),
    ({"options": '{"no_such_argument": 1}'}, "no_such_argument"),
])
def test_a_bad_estimator_is_refused_when_the_spec_is_read(params, message):
    with pytest.raises(WorkbenchError) as info:
        spec_from_dict(small_definition(classifiers=[{"name": "sklearn", "params": params}]),
                       source="my.json")
    assert str(info.value).startswith("my.json: classifiers[0]") and message in str(info.value)


def test_analysing_a_file_that_is_not_a_results_table_says_what_it_should_be(tmp_path):
    from workbench.core.errors import WorkbenchError
    from workbench.evaluation.experiment.results_table import read_results

    odd = tmp_path / "iris.arff"
    odd.write_text("@relation iris\n\n@attribute a numeric\n@data\n1,2\n3,4,5\n")
    with pytest.raises(WorkbenchError) as caught:
        read_results(odd)
    message = str(caught.value)
    assert "not a results table (expected the CSV file that 'workbench experiment run'" \
        in message and "tokenizing" not in message
