"""WEKA learners we do not have, and the one of ours a WEKA user should try instead.

WEKA's own names of the learners we do have are their aliases (``IBk`` is ``knn``) and
work wherever a name does, full class names too (``weka.classifiers.lazy.IBk``). A WEKA
user's most common learner, J48, is not among them: it is C4.5, and ours is CART. A
lookup that misses asks here, so the user hears which learner is nearest and how it
differs, rather than only "no classifier called 'J48'". Each pointer says what differs:
the numbers will not be WEKA's.
"""

from __future__ import annotations

# WEKA class name (lower case) -> (our learner, how it differs from WEKA's).
NEAREST: dict[str, tuple[str, str]] = {
    "j48": ("decision-tree", "a CART tree: binary Gini splits, not J48's C4.5"),
    "simplecart": ("decision-tree", "a CART tree, scikit-learn's rather than WEKA's"),
    "reptree": ("decision-tree", "a CART tree, not REPTree's reduced-error pruning"),
    "randomtree": ("random-forest", "a forest of such trees (scikit-learn's), not one"),
    "smo": ("svm", "LIBSVM's SVC through scikit-learn, not WEKA's SMO; SMO's own "
                   "settings are a linear kernel on attributes scaled to [0, 1]"),
    "libsvm": ("svm", "LIBSVM's SVC through scikit-learn"),
    "simplelogistic": ("logistic", "multinomial logistic regression, not LogitBoost "
                                   "of simple regressions"),
    "ib1": ("knn", "k-nearest neighbours; -K 1 is IB1"),
    "naivebayesupdateable": ("naive-bayes", "the same model, trained in batch"),
    "naivebayessimple": ("naive-bayes", "WEKA's NaiveBayes"),
    "logitboost": ("gradient-boosting", "gradient-boosted trees, not LogitBoost"),
}


# WEKA class name (lower case) -> our learner's options that come nearest to the WEKA
# learner's defaults, where ours differ: SMO is a linear machine on data normalised to
# [0, 1], and svm's RBF kernel on standardised data was 8 points worse on text.
SETTINGS: dict[str, str] = {
    "smo": "-K linear --scaling range",
}


def nearest_settings(name: str) -> str:
    """The options that make our nearest learner behave like the WEKA classifier
    ``name`` (``-K linear --scaling range`` for SMO), or "" when its defaults do."""
    return SETTINGS.get(name.rsplit(".", 1)[-1].lower(), "")


def nearest_learner(name: str) -> tuple[str, str] | None:
    """Our learner nearest to the WEKA classifier ``name`` (plain or full class name),
    with how it differs; None when WEKA has no such learner or ours has no cousin."""
    return NEAREST.get(name.rsplit(".", 1)[-1].lower())
