"""The Explorer guide's "Preprocess then classify, or FilteredClassifier?" quotes numbers;
they must be the ones the code gives (the same as WEKA 3.9.7's, as the walkthrough found)."""

import re
from pathlib import Path

from workbench.classifiers.filtered import FilteredClassifier
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.evaluation.evaluate import TestOption, evaluate

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user-guide" / "explorer.md"


def _section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"### Preprocess then classify, or FilteredClassifier\?\n(.*?)\n## ",
                      text, re.S)
    assert match, "the section is missing from explorer.md"
    return match.group(1)


def _correct(filter_name: str, inside: bool) -> int:
    data = load_bundled("diabetes")
    cv = TestOption.cross_validation(10, 1)
    if inside:
        learner = FilteredClassifier(filters=filter_name, classifier="naive-bayes")
        return round(evaluate(learner, data, cv).metrics.correct)
    filtered = default_registry().create("filter", filter_name).fit_transform(data)
    bayes = default_registry().create("classifier", "naive-bayes")
    return round(evaluate(bayes, filtered, cv).metrics.correct)


def test_the_guide_quotes_what_each_route_gives():
    section = _section()
    preprocess, filtered = _correct("supervised-discretize", False), \
        _correct("supervised-discretize", True)
    assert preprocess > filtered  # the leak the section warns about
    assert f"Classify: {preprocess} correct" in section
    assert f"-W naive-bayes`): {filtered} correct" in section
    unsupervised = (_correct("discretize", False), _correct("discretize", True))
    assert f"{unsupervised[0]} vs\n{unsupervised[1]} correct" in section
