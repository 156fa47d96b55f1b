"""Stop ends a scikit-learn fit in the middle, in training and in a refit on load.

scikit-learn never looks at our token; ``core/stoppable.py`` raises in its thread. The
estimators here would run for hours (a million iterations that never converge): the
joins are safety nets against a hang, not measures of speed.
"""

from __future__ import annotations

import json
import threading
import time
import warnings
import zipfile

from workbench.core.errors import Cancelled
from workbench.core.progress import CancelToken
from workbench.core.registry import default_registry
from workbench.core.stoppable import working_under
from workbench.data.catalog import load_bundled

ENDLESS = {"max_iter": 1_000_000, "tol": 0.0, "n_iter_no_change": 1_000_000,
           "hidden_layer_sizes": [4]}


def _mlp(options: dict):
    factory = default_registry().get("classifier", "sklearn").factory
    return factory(estimator="sklearn.neural_network.MLPClassifier",
                   options=json.dumps(options))


def _epochs_counted(monkeypatch) -> threading.Event:
    """An event set once an MLPClassifier fit has finished two epochs inside
    scikit-learn: Stop sent after it lands in the middle of the fit, never before it
    (where the up-front token check would raise ``Cancelled`` without testing the
    interruption)."""
    from sklearn.neural_network import MLPClassifier

    into_the_fit, epochs = threading.Event(), []
    real = MLPClassifier._update_no_improvement_count   # called at each epoch's end

    def counted(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        epochs.append(1)
        if len(epochs) >= 2:
            into_the_fit.set()
        return result

    monkeypatch.setattr(MLPClassifier, "_update_no_improvement_count", counted)
    return into_the_fit


def _stop_mid_fit(work, into_the_fit: threading.Event) -> dict:
    """Run ``work(token)`` in a thread, cancel once ``into_the_fit`` says the fit is
    under way inside scikit-learn, and return what it raised."""
    token, outcome = CancelToken(), {}

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                outcome["value"] = work(token)
            except BaseException as error:   # the test reads it
                outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not into_the_fit.wait(120):
        token.cancel()
        thread.join(120)
        raise AssertionError(f"the fit never got under way: {outcome}")
    token.cancel()
    thread.join(120)
    assert not thread.is_alive(), "Stop did not reach the scikit-learn fit"
    return outcome


def test_stop_ends_training_mid_fit(monkeypatch):
    data = load_bundled("iris")
    into_the_fit = _epochs_counted(monkeypatch)
    outcome = _stop_mid_fit(lambda token: _mlp(ENDLESS).fit(data, cancel=token),
                            into_the_fit)
    assert isinstance(outcome.get("error"), Cancelled), outcome


def test_stop_ends_a_refit_on_load(tmp_path, monkeypatch):
    from workbench.classifiers import load_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _mlp({"max_iter": 5, "hidden_layer_sizes": [4]}).fit(load_bundled("iris"))
    path = tmp_path / "endless.model"
    model.save(path)
    _ask_for_an_endless_refit(path)

    def load(token: CancelToken):
        with working_under(token):   # as a GUI job or a flow run does
            return load_model(path)

    outcome = _stop_mid_fit(load, _epochs_counted(monkeypatch))   # counts the refit only
    assert isinstance(outcome.get("error"), Cancelled), outcome   # not "a bad file"


def _ask_for_an_endless_refit(path) -> None:
    """Rewrite a saved model's options as a stranger's file might: a refit that runs for
    hours."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"]["options"] = json.dumps(ENDLESS)
    members["model.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_stop_never_hangs_a_fit_that_starts_threads():
    # A forest with n_jobs=2 starts pool threads, which share the fitting thread's id for
    # a moment: a Stop landing there hung the fit for good. Such fits are not
    # interrupted; Stop ends them at their end (or before they start).
    import random

    factory = default_registry().get("classifier", "sklearn").factory
    data = load_bundled("diabetes")
    rng = random.Random(0)
    outcomes = set()
    for _ in range(25):
        forest = factory(estimator="sklearn.ensemble.RandomForestClassifier",
                         options='{"n_jobs": 2, "n_estimators": 40, "max_depth": 3}')
        token, outcome = CancelToken(), {}

        def run(forest=forest, token=token, outcome=outcome) -> None:
            try:
                forest.fit(data, cancel=token)
                outcome["end"] = "trained"
            except Cancelled:
                outcome["end"] = "cancelled"

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        time.sleep(rng.random() * 0.05)
        token.cancel()
        thread.join(120)
        assert not thread.is_alive(), "a fit that starts threads hung after Stop"
        outcomes.add(outcome["end"])
    assert outcomes <= {"trained", "cancelled"}


def test_only_fits_that_keep_to_one_thread_are_interrupted():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.neural_network import MLPClassifier

    from workbench.classifiers.sklearn_jobs import one_job, starts_no_threads

    assert starts_no_threads(MLPClassifier())
    assert starts_no_threads(RandomForestClassifier(n_jobs=1))
    assert not starts_no_threads(RandomForestClassifier(n_jobs=-1))
    nested = OneVsRestClassifier(RandomForestClassifier(n_jobs=4))
    assert not starts_no_threads(nested)
    one_job(nested)   # as a refit on load does: same results, one thread
    assert starts_no_threads(nested)
