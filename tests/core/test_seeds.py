"""Every registered learner's and filter's seed is checked when it is read."""

import pytest

from workbench.core.errors import ParameterError
from workbench.core.registry import default_registry

# Seeds that are not NumPy's or scikit-learn's, and take what WEKA's take.
ANY_SEED = {"voted-perceptron": "WEKA's shuffling (Java's Random) takes any seed, as "
                                "WEKA's -S does"}


def _seeded():
    for info in default_registry().list():
        if info.kind not in ("classifier", "filter"):
            continue
        for param in info.params:
            if "seed" in param.name or param.name == "random_state":
                yield info, param


def test_the_registry_has_seeds_to_check():
    names = {info.name for info, _ in _seeded()}
    assert {"mlp", "cnn", "rnn", "dbn", "perceptron", "svm", "random-forest", "randomize",
            "resample", "smote", "stratified-remove-folds"} <= names


@pytest.mark.parametrize("info,param", list(_seeded()),
                         ids=lambda x: getattr(x, "name", ""))
def test_a_negative_seed_is_refused_when_read(info, param):
    if info.name in ANY_SEED:
        assert param.parse("-1") == -1
        return
    with pytest.raises(ParameterError, match=rf"'{param.name}': -1 is not allowed"):
        param.parse("-1")
    with pytest.raises(ParameterError):
        info.create(**{param.name: -1})
    assert param.parse("0") == 0 and param.parse("2147483647") == 2147483647
