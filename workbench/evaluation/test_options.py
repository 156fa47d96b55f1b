"""WEKA's test options, declared once: how a classifier is tested.

The command line (``workbench classify -x / -split-percentage / -s``), the Explorer's
Test options panel, the flow's fold and split makers and the Experimenter's spec files
all read their test options through ``TestOptions``, so a number of folds or a split
percentage is allowed, or refused with the same words, wherever a person types it.
What only the data can tell (more folds than rows, a split that leaves one side empty)
is checked by ``TestOptions.check`` when a run starts; ``TestOption.validate`` calls it,
so every run goes through the same refusals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from workbench.core.errors import ParameterError, WorkbenchError
from workbench.core.params import INT_LIMIT, Configurable, Param
from workbench.data.dataset import Dataset
from workbench.evaluation.resampling import java_round

if TYPE_CHECKING:
    from workbench.evaluation.evaluate import Mode, TestOption

# The four options in the order WEKA's Explorer lists them, with the words it uses.
MODES = ("training", "test_set", "cross_validation", "split")
MODE_LABELS = {"training": "Use training set", "test_set": "Supplied test set",
               "cross_validation": "Cross-validation", "split": "Percentage split"}
# A cross-validation needs two folds at least; far above any real one (the data caps
# folds at its rows anyway) a file asking for more is plainly a typo.
MIN_FOLDS = 2
MAX_FOLDS = 100_000
# WEKA's Experimenter repeats 10 times; ten thousand repeated runs is already days.
MAX_RUNS = 10_000


def nothing_to_learn(data: Dataset, called: str) -> str | None:
    """Why no model can be learned from ``data``, or None: it has no instance whose
    class is known. WEKA drops those instances and then "learns" from none, so ZeroR
    printed a report of 0 instances and "predicts class value: 0.0" with exit status 0
    (a CSV file's empty trailing column had become the class): a result made of
    nothing, which is refused here in words instead."""
    cls = data.class_attribute
    if cls is None:
        return None
    if data.num_instances == 0:
        return f"{called} has no instances: there is nothing to learn from"
    if np.isnan(data.class_values).all():
        return (f"the class '{cls.name}' is missing in all {data.num_instances} instances "
                f"of {called}: there is nothing to learn from (choose another class "
                f"attribute)")
    return None


class TooFewInstancesError(WorkbenchError):
    """More folds asked for than the data has instances. Each place that asks for folds
    names its own way out (``way_out``: the command line's ``-x``, the Explorer's Folds
    field), so the refusal is caught there and said again with it."""

    def __init__(self, called: str, instances: int, folds: int) -> None:
        self.refusal = f"{called} has {instances} instances, fewer than the {folds} folds " \
                       f"asked for"
        super().__init__(f"{self.refusal} (cross-validation needs folds <= instances)")
        self.called, self.instances, self.folds = called, instances, folds

    def __reduce__(self) -> tuple[type[TooFewInstancesError], tuple[str, int, int]]:
        """Whole across processes (the Experimenter's workers): the default would call
        ``__init__`` with the message alone."""
        return (type(self), (self.called, self.instances, self.folds))

    def way_out(self, text: str) -> WorkbenchError:
        """The refusal with what to do instead ("use -x 4, ...") in place of the rule."""
        return WorkbenchError(f"{self.refusal}: {text}")


class TestOptions(Configurable):
    """How to test: WEKA's four options, their folds, percentage, seed and order.

    ``mode`` picks the option; the other values belong to the options that use them
    (``folds`` to cross-validation, ``percent`` and ``preserve_order`` to the split,
    ``seed`` to both) and are kept, unused, under the others, as WEKA's panel keeps the
    fields filled while another radio button is on. ``runs`` repeats a cross-validation
    or split with seeds ``seed``, ``seed + 1``, ... as the Experimenter does.
    """

    __test__ = False  # not a pytest test class, despite its name

    mode = Param.choice("cross_validation", MODES,
                        "how the classifier is tested: on its training data, on a supplied "
                        "test set, by k-fold cross-validation or by a percentage split")
    folds = Param.integer(10, "number of cross-validation folds (at most the number of "
                          "instances)", low=MIN_FOLDS, high=MAX_FOLDS, label="Folds")
    percent = Param.number(66.0, "percentage of the instances the classifier trains "
                           "on; the rest test it", low=0, high=100, low_open=True, high_open=True,
                           label="%")
    seed = Param.integer(1, "random seed for shuffling before cross-validation and split",
                         label="Random seed")
    preserve_order = Param.boolean(False, "split in the data's order, without shuffling "
                                   "first", label="Preserve order for % split")
    runs = Param.integer(1, "repeat the cross-validation or split with seeds seed, "
                         "seed + 1, ...", low=1, high=MAX_RUNS)

    def set_params(self, **values: Any) -> TestOptions:
        super().set_params(**values)
        last = self.seed + self.runs - 1
        if last > INT_LIMIT:
            raise ParameterError(f"the last run's seed (seed {self.seed} + {self.runs} runs "
                                 f"- 1 = {last}) must be at most {INT_LIMIT}")
        return self

    @classmethod
    def of(cls, option: TestOption) -> TestOptions:
        """The declared options behind a run's ``TestOption`` (validated on the way)."""
        return cls(mode=option.mode, folds=option.folds, percent=option.percent,
                   seed=option.seed, preserve_order=option.preserve_order,
                   runs=option.runs)

    def option(self, test_set: Dataset | None = None) -> TestOption:
        """The ``TestOption`` a run takes; ``test_set`` is the supplied test set."""
        # Imported here: evaluate.py calls ``check`` from TestOption.validate.
        from workbench.evaluation.evaluate import TestOption

        return TestOption(cast("Mode", self.mode), self.folds, self.seed, self.percent,
                          self.preserve_order, test_set if self.mode == "test_set" else None,
                          self.runs)

    def check(self, data: Dataset, test_set: Dataset | None = None,
              name: str | None = None, *, trains: bool = True) -> None:
        """Refuse, in the user's words, what these options cannot do with ``data``
        (called ``name``, its file say; by default its relation, quoted); ``trains``:
        a model is learned from ``data`` (not when a saved one is tested)."""
        n = data.num_instances
        called = f"'{data.relation}'" if name is None else name
        if self.mode == "cross_validation" and self.folds > n:
            raise TooFewInstancesError(called, n, self.folds)
        if self.mode == "split":
            train = java_round(n * self.percent / 100)
            if train < 1 or train >= n:
                side = "no training" if train < 1 else "no test"
                raise WorkbenchError(f"a {self.percent:g}% split of the {n} instances of "
                                     f"{called} leaves {side} instances")
        if self.mode == "test_set" and test_set is None:
            raise WorkbenchError("the supplied test set option needs a test set")
        if trains:
            nothing = nothing_to_learn(data, called)
            if nothing is not None:
                raise WorkbenchError(nothing)
