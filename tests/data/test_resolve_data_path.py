"""Command-line data arguments: an existing file wins, else a bundled dataset's name."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.resources import bundled_flow_path, resource_dir
from workbench.data.catalog import bundled_path, resolve_data_path


def test_a_bundled_name_or_file_name_resolves_to_the_shipped_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_data_path("iris") == bundled_path("iris")
    assert resolve_data_path("iris.arff") == bundled_path("iris")


def test_an_existing_file_shadows_the_bundled_dataset_of_the_same_name(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "iris.arff").write_text("@relation mine\n@attribute a numeric\n@data\n1\n")
    assert resolve_data_path("iris.arff").resolve() == (tmp_path / "iris.arff").resolve()


def test_neither_a_file_nor_a_bundled_name_says_both_and_lists_the_names(tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WorkbenchError) as caught:
        resolve_data_path("irsi")
    message = str(caught.value)
    assert "irsi: no such file, nor a bundled dataset" in message and "iris" in message


def test_bundled_flow_path_finds_a_template_by_name_and_nothing_else():
    path = bundled_flow_path("cross-validation")
    assert path == resource_dir("flows") / "cross-validation.kflow.json"
    assert path.is_file()
    assert bundled_flow_path("no-such-template") is None
