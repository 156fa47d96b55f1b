"""Bundled files are found through the package, and nothing a user runs writes into it."""

from __future__ import annotations

from pathlib import Path

from workbench.core.resources import (
    default_results_path,
    is_bundled,
    resource_dir,
    user_output_root,
)


def test_a_spec_of_the_users_gets_its_results_beside_it(tmp_path):
    spec = tmp_path / "mine.experiment.json"
    assert default_results_path(spec) == tmp_path / "mine.results.csv"
    assert default_results_path("plain.json") == Path("plain.results.csv")


def test_a_bundled_spec_writes_its_results_to_the_users_output_folder(tmp_path,
                                                                      monkeypatch):
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    bundled = resource_dir("experiments") / "three-learners.experiment.json"
    assert bundled.is_file() and is_bundled(bundled, "experiments")
    out = default_results_path(bundled)
    assert out == tmp_path / "out" / "three-learners.results.csv"
    assert not is_bundled(out, "experiments")
    assert user_output_root() == tmp_path / "out"


def test_the_experimenter_window_uses_the_same_default():
    from workbench.gui.experimenter.setup import default_results_path as window_default

    bundled = resource_dir("experiments") / "three-learners.experiment.json"
    assert window_default(bundled) == str(default_results_path(bundled))
