"""The result list's menu (viewers, save/load), the status bar and the launcher."""

from __future__ import annotations

from explorer_helpers import dataset_path, hold, open_and_wait, run_classifier
from PySide6.QtCore import Qt

from workbench.gui.widgets.access_keys import plain_text


def test_result_menu_offers_the_viewers_and_opens_them(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "knn")
    menu = explorer.results.build_menu(1)
    actions = {plain_text(a.text()): a for a in menu.actions() if a.text()}
    for text in ("Visualize confusion matrix", "Visualize ROC curves",
                 "ROC curves of 2 results overlaid", "Visualize learned weights",
                 "Save model...", "View in separate window"):
        assert actions[text].isEnabled(), text
    assert not actions["Visualize learning curves"].isEnabled()  # k-NN has no epochs
    # ZeroR learned no weights: its entry is there, disabled (the registry's predicate).
    zeror = {plain_text(a.text()): a for a in explorer.results.build_menu(0).actions() if a.text()}
    assert not zeror["Visualize learned weights"].isEnabled()
    before = len(explorer.results.windows)
    actions["Visualize confusion matrix"].trigger()
    actions["ROC curves of 2 results overlaid"].trigger()
    actions["Visualize margin histogram"].trigger()
    assert explorer.results.windows[-1].windowTitle().startswith("Margin histogram: IBk")
    actions["View in separate window"].trigger()
    assert len(explorer.results.windows) == before + 4
    for window in explorer.results.windows:
        qtbot.addWidget(window)
    assert "Correctly Classified" in explorer.results.windows[-1].toPlainText()


def test_save_report_save_and_load_model(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn", {"k": 3})
    evaluation = explorer.classify.evaluations[0]
    report = tmp_path / "report.txt"
    explorer.results.save_report(evaluation, str(report))
    assert report.read_text(encoding="utf-8") == explorer.classify.report.toPlainText()
    model = tmp_path / "knn.model"
    explorer.results.save_model(evaluation, str(model))
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    explorer.results.load_model(str(model))
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=30_000)
    assert explorer.classify.loaded_models[0].model.k == 3
    assert "Model loaded from" in explorer.classify.report.toPlainText()


def test_a_model_loads_in_a_worker_while_the_window_answers(qtbot, explorer, tmp_path,
                                                            monkeypatch):
    # Reading a big model or refitting a scikit-learn one takes seconds: the load is
    # held here until the test lets it go, and the window must answer meanwhile.
    from workbench import classifiers

    release, entered = hold(monkeypatch, classifiers, "load_model")
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn", {"k": 3})
    model = tmp_path / "knn.model"
    explorer.results.save_model(explorer.classify.evaluations[0], str(model))
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    job = explorer.results.load_model(str(model))
    assert job is not None and entered.wait(10)     # the worker holds it; we got here
    assert explorer.results.loading is job and not explorer.classify.loaded_models
    menu = explorer.results.build_menu(0)
    texts = [plain_text(a.text()) for a in menu.actions()]
    assert "Load model..." not in texts             # one load at a time,
    assert "Stop loading the model" in texts        # which can be stopped
    release.set()
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=30_000)
    assert explorer.classify.loaded_models[0].model.k == 3


def test_a_model_saves_in_a_worker_one_save_at_a_time(qtbot, explorer, tmp_path,
                                                      monkeypatch):
    # Writing a k-NN's training rows or a big network takes seconds: the save is held
    # here until the test lets it go, and the GUI thread must have returned meanwhile.
    import pytest

    from workbench.classifiers import load_model, modelfile
    from workbench.core.errors import WorkbenchError

    release, entered = hold(monkeypatch, modelfile, "save_model")
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn", {"k": 3})
    notes = []
    explorer.results.report = notes.append
    evaluation = explorer.classify.evaluations[0]
    target = tmp_path / "knn.model"
    job = explorer.results.save_model(evaluation, str(target))
    assert job is not None and entered.wait(10)     # the worker holds it; we got here
    assert explorer.results.saving is job and not target.exists()
    assert notes == [f"Saving the model to {target}..."]
    save = next(a for a in explorer.results.build_menu(0).actions()
                if plain_text(a.text()) == "Save model...")
    assert not save.isEnabled()                     # one save at a time
    with pytest.raises(WorkbenchError, match="being saved already"):
        explorer.results.save_model(evaluation, str(tmp_path / "other.model"))
    release.set()
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    assert notes[-1] == f"Saved the model to {target}"
    assert load_model(target).k == 3
    assert next(a for a in explorer.results.build_menu(0).actions()
                if plain_text(a.text()) == "Save model...").isEnabled()


def test_a_failed_save_is_reported_from_the_worker_not_raised(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn", {"k": 3})
    notes = []
    explorer.results.report = notes.append
    target = tmp_path / "no such folder" / "knn.model"
    assert explorer.results.save_model(explorer.classify.evaluations[0], str(target))
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    assert notes[-1].startswith("Error: Save model...: ")
    assert "no such folder" in notes[-1] and "does not exist" in notes[-1]
    assert "Traceback" not in notes[-1]             # a refusal, not a bug
    assert not target.exists()


def test_a_model_whose_refit_never_ends_can_be_stopped_from_the_menu(qtbot, explorer,
                                                                     tmp_path, monkeypatch):
    # A stranger's scikit-learn model may ask its refit on load for a million
    # iterations: beyond the work a model file may ask for, so refused, unless the user
    # trusts the file (as here); then the load says what it fits, and the menu's Stop
    # ends it and nothing is loaded.
    monkeypatch.setenv("WORKBENCH_REFIT_LIMIT", "none")
    import json
    import warnings
    import zipfile

    from workbench.core.registry import default_registry
    from workbench.data.catalog import load_bundled

    factory = default_registry().get("classifier", "sklearn").factory
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = factory(estimator="sklearn.neural_network.MLPClassifier",
                        options='{"max_iter": 5}').fit(load_bundled("iris"))
    path = tmp_path / "endless.model"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"]["options"] = json.dumps(
        {"max_iter": 1_000_000, "tol": 0.0, "n_iter_no_change": 1_000_000})
    members["model.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    notes = []
    explorer.results.report = notes.append
    assert explorer.results.load_model(str(path)) is not None
    qtbot.wait(300)                                 # into the refit (holds either way)
    stop = next(a for a in explorer.results.build_menu(-1).actions()
                if plain_text(a.text()) == "Stop loading the model")
    stop.trigger()
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=120_000)
    assert not explorer.classify.loaded_models
    assert any(n.startswith("Stopped loading the model from") for n in notes), notes
    assert not any(n.startswith("Error") for n in notes), notes
    assert any(n == f"Loading the model from {path}: rebuilding the model: 1,000,000 "
                    f"passes of a network of 500 weights over 150 rows..." for n in notes)
    menu = explorer.results.build_menu(-1)
    assert "Load model..." in [plain_text(a.text()) for a in menu.actions()]


def test_a_model_asking_too_much_refit_work_is_refused_before_it_starts(qtbot, explorer,
                                                                        tmp_path):
    import io
    import json
    import zipfile

    import numpy as np

    from workbench.core.registry import default_registry
    from workbench.data.catalog import load_bundled

    path = tmp_path / "forest.model"
    default_registry().create("classifier", "random-forest", trees=10).fit(
        load_bundled("iris")).save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["params"]["trees"] = 10_000
    document["params"]["min_samples_leaf"] = 1
    members["model.json"] = json.dumps(document).encode()
    rng = np.random.default_rng(0)   # 20 000 stored rows of noise: no training needed
    for name, array in {"train.X": rng.normal(size=(20_000, 4)),
                        "train.y": rng.integers(0, 3, 20_000).astype(float),
                        "train.weights": np.ones(20_000)}.items():
        buffer = io.BytesIO()
        np.save(buffer, array)
        members[f"arrays/{name}.npy"] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    notes = []
    explorer.results.report = notes.append
    explorer.results.load_model(str(path))
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=60_000)
    assert notes[-1].startswith(f"Error: Load model...: {path}: rebuilding this "
                                f"scikit-learn model means fitting 10,000 trees on "
                                f"20,000 rows x 4 columns"), notes
    assert "WORKBENCH_REFIT_LIMIT=none" in notes[-1]
    assert not explorer.classify.loaded_models


def test_a_refused_model_file_is_reported_from_the_worker(qtbot, explorer, tmp_path):
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a zip")
    notes = []
    explorer.results.report = notes.append
    explorer.results.load_model(str(bad))
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=30_000)
    assert any(n.startswith("Error: Load model...: ") and "bad.model" in n for n in notes)
    assert not explorer.classify.loaded_models


def test_reevaluate_on_a_supplied_test_set(qtbot, explorer):
    from workbench.data.io import load_dataset

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn")
    explorer.classify.set_test_set(load_dataset(dataset_path("iris.arff")), "iris")
    explorer.results.reevaluate(explorer.classify.evaluations[0])
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    assert len(explorer.classify.evaluations) == 2, explorer.log.text()
    assert "user supplied test set: 150 instances" in explorer.classify.report.toPlainText()


def test_a_loaded_model_joins_the_result_list_and_can_be_reevaluated(qtbot, explorer,
                                                                      tmp_path):
    # WEKA's way: Load model puts an entry in the result list; its menu re-evaluates it
    # on the supplied test set, saves it again and shows its weights.
    from workbench.data.io import load_dataset

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "mlp", {"hidden_layers": "4", "epochs": 5})
    model = tmp_path / "mlp.model"
    explorer.results.save_model(explorer.classify.evaluations[0], str(model))
    qtbot.waitUntil(lambda: explorer.results.saving is None, timeout=30_000)
    explorer.results.load_model(str(model))
    qtbot.waitUntil(lambda: explorer.results.loading is None, timeout=30_000)
    assert explorer.classify.results_list.count() == 2
    entry = explorer.classify.results_list.item(1).text()
    assert entry.endswith(" from file mlp.model") and " - MLP" in entry, entry
    assert explorer.classify.results_list.currentRow() == 1
    assert "Model loaded from" in explorer.classify.report.toPlainText()
    menu = {plain_text(a.text()): a for a in explorer.results.build_menu(1).actions() if a.text()}
    assert menu["Save model..."].isEnabled()
    assert not menu["Re-evaluate model on current test set"].isEnabled()  # no test set
    assert not menu["Visualize confusion matrix"].isEnabled()     # nothing predicted yet
    assert menu["Visualize learned weights"].isEnabled()
    menu["Visualize learned weights"].trigger()
    qtbot.addWidget(explorer.results.windows[-1])
    explorer.classify.set_test_set(load_dataset(dataset_path("iris.arff")), "iris")
    menu = {plain_text(a.text()): a for a in explorer.results.build_menu(1).actions() if a.text()}
    menu["Re-evaluate model on current test set"].trigger()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    assert explorer.classify.results_list.count() == 3, explorer.log.text()
    report = explorer.classify.report.toPlainText()
    assert "user supplied test set: 150 instances" in report
    assert "Correctly Classified Instances" in report
    assert "Instances:    150" in report        # the test rows, not the model's empty header
    entry = explorer.classify.results_list.item(2).text()
    assert entry.endswith(" re-evaluated on iris"), entry    # told apart in the list,
    scheme = next(line for line in report.splitlines() if line.startswith("Scheme:"))
    assert "re-evaluated" not in scheme                      # a scheme in the report


def test_status_bar_shows_device_and_memory(explorer):
    assert explorer.status.device.text().startswith(("CPU", "GPU"))
    assert explorer.status.memory.text().endswith("MB")


def test_settings_remember_the_folds_and_start_on_zeror(qtbot, explorer, settings):
    """As WEKA's Explorer: the test options are remembered, the classifier is not (a
    CNN chosen for MNIST yesterday is the wrong start on glass today)."""
    from workbench.gui.explorer.window import ExplorerWindow

    explorer.classify.choose("knn")
    explorer.classify.set_test_options(folds=5)
    explorer.save_settings()
    again = ExplorerWindow(settings=settings)
    qtbot.addWidget(again)
    assert again.classify.chooser.current_name() == "zeror"
    assert again.classify.test_options().folds == 5


def test_launcher_offers_the_explorer(qtbot, tmp_path, settings, monkeypatch, capsys):
    from PySide6.QtGui import QImage

    from workbench.cli import main
    from workbench.gui.app import Launcher
    from workbench.gui.explorer import window as window_module

    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    launcher = Launcher()
    qtbot.addWidget(launcher)
    assert launcher.buttons["Explorer"].isEnabled()
    launcher.buttons["Explorer"].click()
    assert type(launcher.windows[0]).__name__ == "ExplorerWindow"
    qtbot.addWidget(launcher.windows[0])
    out = tmp_path / "chooser.png"
    assert main(["--screenshot", str(out)]) == 0
    assert QImage(str(out)).width() > 100
    assert capsys.readouterr().out == f"wrote {out}\n"   # as the window commands say


def test_a_run_shows_one_progress_bar(qtbot, explorer):
    # The Classify tab has its own bar; the status bar's is for the other tabs.
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.tabs.setCurrentWidget(explorer.classify)
    explorer.classify.progress_changed.emit(0.5)
    assert explorer.status.progress.isHidden()
    explorer.tabs.setCurrentWidget(explorer.preprocess)
    assert not explorer.status.progress.isHidden()
    assert explorer.status.progress.value() == 50
    explorer.classify.progress_changed.emit(None)       # the run ended
    assert explorer.status.progress.isHidden()
    explorer.tabs.setCurrentWidget(explorer.classify)
    assert explorer.status.progress.isHidden()


def test_watch_weights_stays_off_while_a_learner_without_weights_runs(qtbot, explorer,
                                                                     monkeypatch):
    from workbench import evaluation

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.classify.choose("random-forest")
    assert not explorer.classify.watch_button.isEnabled()    # before Start, as before
    release, entered = hold(monkeypatch, evaluation, "evaluate")
    assert explorer.classify.start()
    assert entered.wait(30)
    assert not explorer.classify.watch_button.isEnabled()    # and while it runs
    release.set()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=60_000)
    explorer.classify.choose("mlp")
    release2, entered2 = hold(monkeypatch, evaluation, "evaluate")
    assert explorer.classify.start()
    assert entered2.wait(30)
    assert explorer.classify.watch_button.isEnabled()        # a network can be watched
    release2.set()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=60_000)


def test_save_model_suggests_a_new_file_in_the_output_folder(qtbot, explorer, tmp_path,
                                                            monkeypatch):
    from workbench.gui.explorer.result_menu import suggested_model_path

    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "knn")
    evaluation = explorer.classify.evaluations[0]
    first = suggested_model_path(evaluation)
    assert first == tmp_path / "out" / "iris-knn.model" and first.parent.is_dir()
    first.write_bytes(b"taken")
    assert suggested_model_path(evaluation).name == "iris-knn-2.model"
    # a relation WEKA's filters made long, in any script, and a hostile one
    for relation, expected in (("iris-weka.filters.unsupervised.attribute.Remove-R1" * 6,
                                None), ("数据" * 90, "knn.model"), ("../../x", None)):
        evaluation.model.header_ = evaluation.model.header_.with_relation(relation)
        path = suggested_model_path(evaluation)
        assert path.parent == tmp_path / "out" and len(path.name.encode()) < 120
        assert expected is None or path.name == expected


def test_viewer_windows_close_on_escape(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    from PySide6.QtGui import QKeySequence, QShortcut

    window = explorer.results.view_text(explorer.classify.evaluations[0])
    # (offscreen Qt routes no shortcuts: the window's own Esc shortcut is fired, as a
    # real keyboard does on a screen)
    shortcut = window.findChild(QShortcut)
    assert shortcut is not None and shortcut.key() == QKeySequence(Qt.Key.Key_Escape)
    assert shortcut.context() == Qt.ShortcutContext.WindowShortcut
    shortcut.activated.emit()
    qtbot.waitUntil(lambda: not explorer.results.windows, timeout=10_000)
