"""Mistakes in an experiment that used to surface only after runs had started: a learner
that cannot take a dataset's class, a scikit-learn option out of range; and a run that
fails anyway names the spec file, its entries and the run."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import runs as runs_module

NUMERIC_CLASS = """@relation prices
@attribute size numeric
@attribute price numeric
@data
""" + "".join(f"{i},{2 * i + 1}\n" for i in range(20))


def _spec(folder: Path, classifiers: list, datasets: list) -> Path:
    path = folder / "exp.json"
    path.write_text(json.dumps({"datasets": datasets, "classifiers": classifiers,
                                "resampling": {"method": "cross_validation", "folds": 2},
                                "repetitions": 1, "metrics": ["accuracy"]}))
    return path


def test_a_learner_that_cannot_take_a_datasets_class_is_refused_before_any_run(
        tmp_path, capsys):
    (tmp_path / "prices.arff").write_text(NUMERIC_CLASS)
    spec = _spec(tmp_path, [{"name": "zeror", "label": "Z"},
                            {"name": "naive-bayes", "label": "NB"}],
                 ["iris", "prices.arff"])
    assert main(["experiment", "run", str(spec)]) == 2
    err = capsys.readouterr().err
    assert (f"{spec}: datasets[1] ('prices.arff'): classifiers[1] ('NB'): NaiveBayes "
            f"cannot handle a numeric class") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.json", "prices.arff"]


def test_a_scikit_learn_option_out_of_range_is_refused_when_the_spec_is_read(
        tmp_path, capsys):
    spec = _spec(tmp_path, [{"name": "sklearn", "label": "LR",
                             "params": {"options": '{"max_iter": 1e308}'}}], ["iris"])
    assert main(["experiment", "run", str(spec)]) == 2
    err = capsys.readouterr().err
    assert f"{spec}: classifiers[0] ('sklearn'): " in err
    assert "'max_iter' parameter of LogisticRegression must be an int" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.json"]


def test_a_run_that_fails_names_the_spec_its_entries_and_the_run(tmp_path, monkeypatch,
                                                                 capsys):
    real = runs_module.execute_run

    def failing(run):
        if run.classifier == "K" and run.dataset == "weather.nominal":
            raise WorkbenchError("the disk went away")
        return real(run)

    monkeypatch.setattr(runs_module, "execute_run", failing)
    spec = _spec(tmp_path, [{"name": "zeror", "label": "Z"},
                            {"name": "knn", "label": "K"}], ["iris", "weather.nominal"])
    assert main(["experiment", "run", str(spec)]) == 2
    err = capsys.readouterr().err
    assert (f"{spec}: classifiers[1] ('K') on datasets[1] ('weather.nominal'), "
            f"repetition 1, fold 1: the disk went away; the 6 finished run(s) are kept in "
            f"{tmp_path / 'exp.results.csv'}, and running it again resumes") in err


def test_a_failed_run_travels_back_from_a_worker_process_intact():
    from workbench.evaluation.experiment.runs import RunFailed

    failure = pickle.loads(pickle.dumps(RunFailed("iris", "K", 2, 3, "no room")))
    assert failure.key == ("iris", "K", 2, 3) and failure.reason == "no room"
    assert str(failure) == ("classifier 'K' on dataset 'iris' (repetition 2, fold 3): "
                            "no room")
    with pytest.raises(WorkbenchError):
        raise failure
