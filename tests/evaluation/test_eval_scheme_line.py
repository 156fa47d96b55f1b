"""The report's Scheme line lists every option, defaults included, as WEKA's does.

WEKA prints the scheme's whole option string (``weka.classifiers.lazy.IBk -K 1 -W 0 -A
...``) and its users compare these lines between runs; ours listed only the options that
differed from the defaults (``Scheme: IBk``), so what the defaults were never showed. The
line keeps the name the menus use as its first word (scripts read it) and is written in
the syntax ``workbench classify`` reads, so pasting it back gives an equal classifier.
Settings of how the work runs (device, block size) are named only when set, as WEKA
names ``-batch-size`` only when set.
"""

from __future__ import annotations

import shlex

import pytest

from workbench.cli import main
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.evaluation.evaluate import TestOption, evaluate, scheme_line, scheme_text
from workbench.filters.spec import parse_component

CLASSIFIERS = [info.name for info in default_registry(plugins=False).list("classifier")]


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_the_scheme_line_pasted_back_gives_an_equal_classifier(name):
    classifier = default_registry(plugins=False).create("classifier", name)
    line = scheme_line(classifier)
    assert line.split()[0] == scheme_text(classifier).split()[0]
    again = parse_component(line, "classifier")
    assert type(again) is type(classifier)
    assert again.get_params() == classifier.get_params()


def test_defaults_are_listed_and_a_changed_option_keeps_its_place():
    knn = default_registry(plugins=False).create("classifier", "knn", k=3)
    assert scheme_line(knn) == ("IBk -K 3 --distance-weighting none -W 0 --distance "
                                "euclidean --update-ranges")
    assert scheme_text(knn) == "IBk -K 3"   # the run's name in lists and legends


def test_runtime_settings_are_named_only_when_set_as_weka_names_batch_size():
    """Where the distances run, their block size and precision (candidates are always
    confirmed in float64) leave the model the same; WEKA 3.9.7's IBk lists ``-K 1 -W 0
    -A ...`` and adds ``-batch-size 50`` only when set. Set, they stay on the line, so
    it still pastes back as the run that was made."""
    registry = default_registry(plugins=False)
    knn = registry.create("classifier", "knn")
    assert "--device" not in scheme_line(knn) and "--memory-mb" not in scheme_line(knn)
    assert "--precision" not in scheme_line(knn)
    busy = registry.create("classifier", "knn", device="cpu", memory_mb=64,
                           precision="float64")
    assert scheme_line(busy) == ("IBk -K 1 --distance-weighting none -W 0 --distance "
                                 "euclidean --update-ranges --precision float64 "
                                 "--device cpu --memory-mb 64")
    again = parse_component(scheme_line(busy), "classifier")
    assert again.get_params() == busy.get_params()
    mlp = registry.create("classifier", "mlp")
    assert "--device" not in scheme_line(mlp) and "--record-dynamics" not in scheme_line(mlp)
    assert scheme_line(registry.create("classifier", "mlp", device="gpu")).endswith(
        "--device gpu")


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_every_runtime_setting_set_pastes_back(name):
    registry = default_registry(plugins=False)
    classifier = registry.create("classifier", name)
    changed = {}
    for param in classifier.params:
        if param.runtime:
            changed[param.name] = (next(c for c in param.choices if c != param.default)
                                   if param.kind == "choice" else param.default + 1)
    classifier.set_params(**changed)
    again = parse_component(scheme_line(classifier), "classifier")
    assert again.get_params() == classifier.get_params()


def test_unset_switches_are_left_out_as_weka_leaves_out_its_flags():
    # WEKA 3.9.7: "Scheme:       weka.classifiers.bayes.NaiveBayes"
    nb = default_registry(plugins=False).create("classifier", "naive-bayes")
    assert scheme_line(nb) == "NaiveBayes"
    kernel = default_registry(plugins=False).create("classifier", "naive-bayes",
                                                    kernel=True)
    assert scheme_line(kernel) == "NaiveBayes -K"


def test_the_report_prints_it_and_json_keeps_the_runs_name():
    iris = load_bundled("iris")
    knn = default_registry(plugins=False).create("classifier", "knn", k=3)
    evaluation = evaluate(knn, iris, TestOption.cross_validation(2, seed=1))
    assert f"Scheme:       {scheme_line(knn)}\n" in evaluation.report()
    report = evaluation.to_json()
    assert report["scheme"] == "IBk -K 3" and report["scheme_line"] == scheme_line(knn)


def test_the_command_lines_scheme_line_runs_again_as_typed(capsys):
    def scheme(*words: str) -> str:
        assert main(["classify", "--no-progress", "-t", "iris", "-x", "2", "-o", "-v",
                     *words]) == 0
        out = capsys.readouterr().out
        return next(line for line in out.splitlines() if line.startswith("Scheme:"))

    first = scheme("IBk", "-K", "3", "-I")
    assert first.startswith("Scheme:       IBk -K 3 -I -W 0 ")
    assert scheme(*shlex.split(first.split(":", 1)[1])) == first


def test_a_value_left_to_the_learner_is_written_as_the_sheet_shows_it():
    """A DBN with the default Hidden layers (``auto`` in the sheet, 784-500-500-10 on
    MNIST) had ``--hidden-layers none`` on its Scheme line, which a learner reads as no
    hidden layers; None is written in the parameter's own word (``null_word``)."""
    registry = default_registry(plugins=False)
    dbn = scheme_line(registry.create("classifier", "dbn")).split()
    for flag in ("--hidden-layers", "--pretrain-epochs", "--finetune-epochs"):
        assert dbn[dbn.index(flag) + 1] == "auto"
    cnn = scheme_line(registry.create("classifier", "cnn")).split()
    assert cnn[cnn.index("--epochs") + 1] == "auto"
    for name in CLASSIFIERS:
        classifier = registry.create("classifier", name)
        words = scheme_line(classifier).split()
        for param in classifier.params:
            if param.flag in words and getattr(classifier, param.name) is None:
                assert words[words.index(param.flag) + 1] == param.null_word, name
