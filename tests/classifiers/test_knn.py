import math

import numpy as np
import pytest
from classifier_helpers import load, make_dataset
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier

import workbench.classifiers.neighbours as neighbours
from workbench.classifiers.knn import KNearestNeighbours
from workbench.data.dataset import Attribute, Dataset


# An independent, literal transcription of IBk + LinearNNSearch + EuclideanDistance:
# one instance at a time, ranges widened by each test instance before it is classified.
class WekaIBk:
    def __init__(self, train: Dataset, k: int, weighting: str = "none",
                 metric: str = "euclidean") -> None:
        self.attrs = [i for i, a in enumerate(train.attributes)
                      if i != train.class_index and (a.is_numeric or a.is_nominal)]
        self.nominal = {i: train.attributes[i].is_nominal for i in self.attrs}
        self.X = train.X
        self.y = train.class_values
        self.w = train.weights
        self.k = k
        self.weighting = weighting
        self.metric = metric
        self.classes = len(train.class_attribute.values)
        self.lo = {i: np.nan for i in self.attrs}
        self.hi = {i: np.nan for i in self.attrs}
        for row in self.X:
            self.update(row)

    def update(self, row):
        for i in self.attrs:
            v = row[i]
            if math.isnan(v):
                continue
            if math.isnan(self.lo[i]):
                self.lo[i] = self.hi[i] = v
            else:
                self.lo[i] = min(self.lo[i], v)
                self.hi[i] = max(self.hi[i], v)

    def norm(self, v, i):
        if math.isnan(self.lo[i]) or self.hi[i] == self.lo[i]:
            return 0.0
        return (v - self.lo[i]) / (self.hi[i] - self.lo[i])

    def diff(self, i, a, b):
        if self.nominal[i]:
            return 1.0 if math.isnan(a) or math.isnan(b) or int(a) != int(b) else 0.0
        if math.isnan(a) or math.isnan(b):
            if math.isnan(a) and math.isnan(b):
                return 1.0
            d = self.norm(b if math.isnan(a) else a, i)
            return 1.0 - d if d < 0.5 else d
        return self.norm(a, i) - self.norm(b, i)

    def distance(self, a, b):
        total = 0.0
        for i in self.attrs:
            d = self.diff(i, a[i], b[i])
            total += abs(d) if self.metric == "manhattan" else d * d
        return total

    def distribution(self, row):
        self.update(row)
        dist = [self.distance(row, t) for t in self.X]
        kth = sorted(dist)[self.k - 1]
        counts = [1.0 / len(self.X)] * self.classes
        total = self.classes / len(self.X)
        for j, d in enumerate(dist):
            if d > kth:
                continue
            if self.metric == "euclidean":
                d = math.sqrt(d)
            d = math.sqrt(d * d / len(self.attrs))
            weight = {"none": 1.0, "inverse": 1.0 / (d + 0.001),
                      "similarity": 1.0 - d}[self.weighting] * self.w[j]
            counts[int(self.y[j])] += weight
            total += weight
        return [c / total for c in counts]


def mixed_dataset(n: int, seed: int, missing: float = 0.15) -> Dataset:
    """Numeric and nominal attributes on a coarse grid (many ties) with missing values."""
    rng = np.random.default_rng(seed)
    numeric = rng.integers(0, 4, (n, 3)).astype(float) * 0.5
    nominal = rng.integers(0, 3, (n, 2)).astype(float)
    X = np.column_stack([numeric, nominal])
    X[rng.random(X.shape) < missing] = np.nan
    y = rng.integers(0, 3, n).astype(float)
    attributes = [Attribute.numeric(f"n{i}") for i in range(3)]
    attributes += [Attribute.nominal(f"c{i}", ["a", "b", "c"]) for i in range(2)]
    attributes.append(Attribute.nominal("class", ["x", "y", "z"]))
    return Dataset("mixed", attributes, np.column_stack([X, y]),
                   weights=rng.uniform(0.5, 2.0, n), class_index=5)


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("weighting", ["none", "inverse", "similarity"])
def test_probabilities_match_a_literal_transcription_of_weka(k, weighting):
    train, test = mixed_dataset(40, 1), mixed_dataset(25, 2, missing=0.25)
    # Widen a test value beyond the training range, so the ranges must be updated.
    test.X[3, 0] = 9.0
    ours = KNearestNeighbours(k=k, distance_weighting=weighting).fit(train)
    reference = WekaIBk(train, k, weighting)
    expected = np.array([reference.distribution(row) for row in test.X])
    np.testing.assert_allclose(ours.predict_proba(test), expected, rtol=1e-12, atol=1e-15)


def test_manhattan_matches_the_transcription():
    train, test = mixed_dataset(30, 3), mixed_dataset(20, 4)
    ours = KNearestNeighbours(k=3, distance="manhattan").fit(train)
    reference = WekaIBk(train, 3, metric="manhattan")
    expected = np.array([reference.distribution(row) for row in test.X])
    np.testing.assert_allclose(ours.predict_proba(test), expected, rtol=1e-12)


def test_every_neighbour_tied_with_the_kth_votes():
    # Query at 0: neighbours at distance 1 (two of them) and 2; k=1 keeps both ties.
    train = make_dataset([[1.0], [-1.0], [2.0], [-2.0]], [0, 1, 0, 0], ("a", "b"))
    query = make_dataset([[0.0]], [0], ("a", "b"))
    model = KNearestNeighbours(k=1, update_ranges=False).fit(train)
    index, _ = model.neighbours(query)
    assert sorted(index[0][index[0] >= 0].tolist()) == [0, 1]
    # 1/4 per class to start, one vote each: (0.25 + 1) / (0.5 + 2) for both classes.
    np.testing.assert_allclose(model.predict_proba(query), [[0.5, 0.5]])


def test_fixed_ranges_make_predictions_independent_of_order():
    train, test = mixed_dataset(40, 5), mixed_dataset(30, 6)
    test.X[0, 1] = -4.0
    model = KNearestNeighbours(k=3, update_ranges=False).fit(train)
    order = np.random.default_rng(0).permutation(30)
    forward = model.predict_proba(test)
    shuffled = model.predict_proba(test.select_rows(order))
    np.testing.assert_array_equal(forward[order], shuffled)


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("update", [False, True])
def test_the_gemm_path_finds_exactly_what_the_exact_path_finds(monkeypatch, precision, update):
    rng = np.random.default_rng(7)
    train = make_dataset(rng.integers(0, 5, (1500, 30)).astype(float), rng.integers(0, 4, 1500),
                         ("a", "b", "c", "d"))
    test = make_dataset(rng.integers(0, 6, (300, 30)).astype(float), rng.integers(0, 4, 300),
                        ("a", "b", "c", "d"))
    train.X[:, 0] = 2.0  # an empty range: contributes nothing until a query widens it
    model = KNearestNeighbours(k=4, precision=precision, update_ranges=update,
                               memory_mb=1).fit(train)
    monkeypatch.setattr(neighbours, "_EXACT_WORK", 0)
    fast = model.neighbours(test)
    monkeypatch.setattr(neighbours, "_EXACT_WORK", 10**15)
    exact = model.neighbours(test)
    np.testing.assert_array_equal(fast[0], exact[0])
    np.testing.assert_array_equal(fast[1], exact[1])


def _hold_one_out_errors(data: Dataset, k_max: int) -> list[int]:
    reference = WekaIBk(data, k_max)
    errors = [0] * k_max
    for i, row in enumerate(data.X):
        dist = [reference.distance(row, t) if j != i else np.inf
                for j, t in enumerate(data.X)]
        for k in range(1, k_max + 1):
            kth = sorted(dist)[k - 1]
            votes = np.full(3, 1.0 / len(data.X))
            for j, d in enumerate(dist):
                if d <= kth:
                    votes[int(data.class_values[j])] += data.weights[j]
            errors[k - 1] += int(np.argmax(votes) != data.class_values[i])
    return errors


def test_hold_one_out_picks_the_smallest_best_k():
    data = mixed_dataset(60, 8, missing=0.0)
    errors = _hold_one_out_errors(data, 8)
    model = KNearestNeighbours(k=8, select_k=True).fit(data)
    assert model.k_ == int(np.argmin(errors)) + 1
    assert f"using {model.k_} nearest" in model.describe()


def test_numeric_class_is_the_weighted_mean_of_the_neighbours():
    train = make_dataset([[0.0], [1.0], [2.0], [10.0]], [1.0, 3.0, 5.0, 100.0])
    query = make_dataset([[0.9]], [np.nan])
    model = KNearestNeighbours(k=3, update_ranges=False).fit(train)
    assert model.predict(query)[0] == pytest.approx(3.0)
    with pytest.raises(Exception, match="numeric class"):
        model.predict_proba(query)


# Agreement with scikit-learn ------------------------------------------------------------
def _digits() -> Dataset:
    bunch = load_digits()
    return make_dataset(bunch.data, bunch.target, tuple(str(c) for c in range(10)), "digits")


def _scaled(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = train.min(axis=0), train.max(axis=0)
    width = np.where(hi > lo, hi - lo, np.inf)  # WEKA: an empty range contributes 0
    return (train - lo) / width, (test - lo) / width


@pytest.mark.parametrize("name", ["iris.arff", "diabetes.arff", "digits"])
@pytest.mark.parametrize("k,weights", [(1, "uniform"), (3, "uniform"), (5, "distance")])
def test_agrees_with_scikit_learn_instance_for_instance(name, k, weights):
    data = _digits() if name == "digits" else load(name)
    X, y = data.X[:, :-1], data.class_values.astype(int)
    compared = agreed = 0
    folds = StratifiedKFold(10, shuffle=True, random_state=1)
    for train_rows, test_rows in folds.split(X, y):
        Xtr, Xte = _scaled(X[train_rows], X[test_rows])
        ref = KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute")
        theirs = ref.fit(Xtr, y[train_rows]).predict(Xte)
        # Only where scikit-learn has no tie at the k-th distance does "the k nearest" mean
        # the same thing to both (IBk keeps every tie).
        dist, _ = ref.kneighbors(Xte, n_neighbors=min(k + 1, len(train_rows)))
        clear = dist[:, k] > dist[:, k - 1] * (1 + 1e-9) + 1e-12
        ours = KNearestNeighbours(
            k=k, update_ranges=False,
            distance_weighting="inverse" if weights == "distance" else "none",
        ).fit(data.select_rows(train_rows)).predict(data.select_rows(test_rows))
        if weights == "distance":
            # 1/d and 1/(d + 0.001) on IBk's scaled distance rank votes alike only when no
            # neighbour is (almost) at distance 0; compare the uniform case's guarantee.
            clear &= dist[:, 0] > 1e-6
        compared += int(clear.sum())
        agreed += int((ours[clear] == theirs[clear]).sum())
    assert compared > 0.9 * len(y)
    mismatch = compared - agreed
    if weights == "uniform":
        assert mismatch == 0
    else:
        # Weights differ slightly (IBk adds 0.001 and scales d by sqrt(attributes)); the
        # vote can flip only on near-ties between classes.
        assert mismatch <= 0.005 * compared


def test_refuses_string_attributes_clearly():
    attributes = [Attribute.string("text", ["a", "b"]), Attribute.nominal("class", ["x", "y"])]
    data = Dataset("s", attributes, np.array([[0.0, 0.0], [1.0, 1.0]]), class_index=1)
    with pytest.raises(Exception, match="cannot handle string attributes: attribute 1 'text'"):
        KNearestNeighbours().fit(data)


def test_a_tiny_memory_budget_gives_the_same_answers_tile_by_tile():
    train, test = mixed_dataset(3000, 11), mixed_dataset(200, 12)
    small = KNearestNeighbours(k=3, memory_mb=1).fit(train)
    large = KNearestNeighbours(k=3, memory_mb=4096).fit(train)
    assert small._searcher()._tile_rows(3000) < 200
    np.testing.assert_array_equal(small.predict_proba(test), large.predict_proba(test))


def test_window_keeps_only_the_latest_training_instances():
    train = make_dataset([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], ("a", "b"))
    model = KNearestNeighbours(k=1, window_size=2, update_ranges=False).fit(train)
    # Only the instances at 2 and 3 remain, so a query at 0 is nearest to class b.
    assert model.predict(make_dataset([[0.0]], [0], ("a", "b")))[0] == 1
    assert "maximum of 2 (windowed)" in model.describe()
