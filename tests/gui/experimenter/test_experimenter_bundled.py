"""The bundled experiments, as the lessons use them: a way to them from the Setup tab
(the walkthrough had to type the package's path into Open...), opened untitled because
they live inside the installed program, and results written to the user's output folder
with the window saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.resources import bundled_experiment_path, resource_dir


@pytest.fixture(autouse=True)
def _output(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    monkeypatch.chdir(tmp_path)


def test_the_open_bundled_menu_lists_every_bundled_experiment_and_what_it_compares(window):
    menu = window.setup.open_bundled_button.menu()
    texts = [action.text() for action in menu.actions()]
    assert len(texts) == len(list(resource_dir("experiments").glob("*.experiment.json")))
    assert "optimisers  (6 classifiers on digits, 3 × 66 % split)" in texts
    assert any(t.startswith("three-learners  (3 classifiers on iris, diabetes") for t in texts)


def test_choosing_a_bundled_experiment_opens_it_untitled_writing_to_the_output_folder(
        window, tmp_path):
    menu = window.setup.open_bundled_button.menu()
    next(a for a in menu.actions() if a.text().startswith("optimisers")).trigger()
    setup = window.setup
    assert setup.classifiers.count() == 6 and setup.dataset_refs() == ["digits"]
    assert setup.opened_bundled == "optimisers" and setup.spec_path is None
    assert "bundled" in setup.spec_label.text() and not setup.modified
    assert setup.results.text() == str(tmp_path / "out" / "optimisers.results.csv")
    note = setup.execution.results_note.text()
    assert "bundled experiment" in note and str(tmp_path / "out") in note
    assert window.status.activity.text() == (
        f"Opened the bundled experiment optimisers: 18 runs; results go to "
        f"{tmp_path / 'out' / 'optimisers.results.csv'}.")
    # Save... proposes a name of the user's own, not the file inside the package ...
    asked: list[str] = []
    setup.ask_spec_path = lambda: asked.append("asked") or str(tmp_path / "mine")
    assert setup._save_clicked() and asked == ["asked"]
    mine = tmp_path / "mine.experiment.json"
    assert setup.spec_path == str(mine) and setup.opened_bundled is None
    # ... and the copy, now the user's file, writes beside itself.
    assert setup.results.text() == str(tmp_path / "mine.results.csv")
    assert "Beside the experiment file" in setup.execution.results_note.text()


def test_a_results_file_the_user_typed_has_no_note_and_survives_save(window, tmp_path):
    setup = window.setup
    assert setup.open_bundled(bundled_experiment_path("optimisers"))
    setup.results.setText(str(tmp_path / "chosen.csv"))
    assert setup.execution.results_note.text() == ""
    setup.ask_spec_path = lambda: str(tmp_path / "mine")
    assert setup._save_clicked()
    assert setup.results.text() == str(tmp_path / "chosen.csv")


def test_an_experiment_opened_from_a_file_says_its_results_go_beside_it(window, tmp_path):
    spec = tmp_path / "own.experiment.json"
    spec.write_text(bundled_experiment_path("three-learners").read_text())
    assert window.open_spec(spec) is not None
    assert window.setup.spec_path == str(spec) and window.setup.opened_bundled is None
    assert window.setup.results.text() == str(tmp_path / "own.results.csv")
    assert "Beside the experiment file" in window.setup.execution.results_note.text()


def test_a_bundled_file_opened_by_path_is_still_treated_as_bundled(window, tmp_path):
    # Open... navigated into the package: saving must not offer to write there either.
    assert window.open_spec(bundled_experiment_path("optimisers")) is not None
    assert window.setup.spec_path is None and window.setup.opened_bundled == "optimisers"
    assert "bundled experiment optimisers: 18 runs" in window.status.activity.text()


def test_the_experimenter_command_opens_a_bundled_experiment_by_name(tmp_path, capsys):
    picture = tmp_path / "exp.png"
    assert main(["experimenter", "optimisers", "--screenshot", str(picture)]) == 0
    assert picture.stat().st_size > 0
    assert main(["experimenter", "no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert "no-such-lesson: no such file, nor a bundled experiment" in err
    assert "optimisers" in err and "Traceback" not in err


def test_the_optimisers_entries_show_no_momentum_their_optimiser_ignores(window):
    # The momentum and nesterov optimisers use their own momentum of 0.9; a "-M 0.0" in
    # their command line read as if they ran without momentum.
    window.setup.open_bundled(bundled_experiment_path("optimisers"))
    rows = {window.setup.classifiers.entry(i)["params"]["optimizer"]:
            window.setup.classifiers.item(i).text()
            for i in range(window.setup.classifiers.count())}
    assert "-M 0.0" in rows["sgd"]  # plain SGD: no momentum, and it says so
    for name in ("momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        assert "-M" not in rows[name], rows[name]


def test_the_optimisers_momentum_entries_train_with_momentum_09(monkeypatch):
    import workbench.engine.optim as optim
    from workbench.core.registry import default_registry
    from workbench.data.catalog import load_bundled

    built: list[tuple[float, bool]] = []
    real = optim.SGD.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        built.append((self.momentum, self.nesterov))

    monkeypatch.setattr(optim.SGD, "__init__", spy)
    spec = json.loads(Path(bundled_experiment_path("optimisers")).read_text())
    data = load_bundled("digits")
    used = {}
    for entry in spec["classifiers"]:
        built.clear()
        params = {**entry["params"], "epochs": 1}
        default_registry().create("classifier", entry["name"], **params).fit(data)
        used[params["optimizer"]] = list(built)
    assert used["sgd"] == [(0.0, False)]
    assert used["momentum"] == [(0.9, False)] and used["nesterov"] == [(0.9, True)]
