"""Experiment definitions: validation names the file and the entry; JSON round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import small_definition

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_path
from workbench.evaluation.experiment import expand_runs, load_spec, spec_from_dict


def test_small_spec_expands_into_every_dataset_classifier_repetition_fold() -> None:
    spec = spec_from_dict(small_definition())
    runs = expand_runs(spec)
    assert spec.total_runs == len(runs) == 3 * 3 * 2 * 3
    assert len({r.key for r in runs}) == len(runs)
    assert [c.label for c in spec.classifiers] == ["zeror", "naive-bayes", "IBk-3"]
    # Repetition r randomizes with seed + r - 1, WEKA's run number for seed 1.
    assert {(r.repetition, r.seed) for r in runs} == {(1, 1), (2, 2)}


def test_split_resampling_has_one_fold_per_repetition() -> None:
    spec = spec_from_dict(small_definition(resampling={"method": "split", "percent": 70}))
    runs = expand_runs(spec)
    assert len(runs) == 3 * 3 * 2
    assert {r.fold for r in runs} == {1}


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    spec = spec_from_dict(small_definition())
    path = tmp_path / "exp.json"
    spec.save(path)
    assert load_spec(path) == spec
    assert load_spec(path).to_dict() == spec.to_dict()


def test_relative_dataset_path_is_taken_from_the_spec_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.arff").write_bytes(bundled_path("iris").read_bytes())
    path = tmp_path / "exp.json"
    path.write_text(json.dumps(small_definition(datasets=["data/mine.arff"])))
    spec = load_spec(path)
    run = expand_runs(spec)[0]
    assert run.dataset == "mine"
    assert run.location == str((tmp_path / "data" / "mine.arff").resolve())


@pytest.mark.parametrize(("changes", "message"), [
    ({"classifiers": ["no-such-learner"]}, "classifiers[0]"),
    ({"classifiers": [{"name": "knn", "params": {"k": 0}}]}, "classifiers[0] ('knn')"),
    ({"classifiers": ["zeror", "zeror"]}, "label 'zeror' is used twice"),
    ({"datasets": ["not-a-dataset.arff"]}, "datasets[0]: 'not-a-dataset.arff'"),
    ({"datasets": []}, "'datasets' must be a non-empty list"),
    ({"repetitions": 0}, "'repetitions' must be at least 1"),
    ({"resampling": {"method": "cross_validation", "folds": 1}},
     "resampling: parameter 'folds': 1 is not allowed (expected a whole number in [2, "),
    ({"resampling": {"method": "split", "percent": 100}},
     "resampling: parameter 'percent': 100 is not allowed (expected a number in (0, 100))"),
    ({"resampling": {"method": "bootstrap"}}, "resampling method"),
    ({"metrics": ["accuracy", "speed"]}, "unknown metric 'speed'"),
    ({"colour": "blue"}, "unknown key(s) 'colour'"),
])
def test_mistakes_are_refused_with_the_entry_named(changes: dict, message: str) -> None:
    with pytest.raises(WorkbenchError) as info:
        spec_from_dict(small_definition(**changes), source="my.json")
    assert str(info.value).startswith("my.json: ")
    assert message in str(info.value)


def test_bad_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "datasets": ["iris",]\n}\n')
    with pytest.raises(WorkbenchError,
                       match=r"broken\.json:2:\d+: .*expected an experiment file in JSON"):
        load_spec(path)
