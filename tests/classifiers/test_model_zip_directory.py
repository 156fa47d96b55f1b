"""A model zip with more members than a model has is refused from its end record, before
Python's zipfile parses the central directory (walkthrough 13a, D4: 300 000 empty
members kept ``classify -l`` busy 17.5 s before the first check)."""

from __future__ import annotations

import struct
import zipfile

import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.modelfile import MAX_MEMBERS, ModelFileError, is_model_file
from workbench.classifiers.zip_directory import zip_directory
from workbench.core.registry import default_registry


@pytest.fixture(scope="module")
def model_members(tmp_path_factory):
    path = tmp_path_factory.mktemp("zeror") / "zeror.model"
    default_registry().create("classifier", "zeror").fit(load("iris.arff")).save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _padded(path, members, extra):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for i in range(extra):
            archive.writestr(f"x{i}", b"")
    return path


def _never_parsed(monkeypatch):
    """Make zipfile's parse of a central directory fail the test if it is reached."""
    def parse(self):
        raise AssertionError("zipfile parsed the central directory")
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", parse)


def test_many_members_are_refused_before_zipfile_parses_them(model_members, tmp_path,
                                                             monkeypatch):
    path = _padded(tmp_path / "many.model", model_members, 70_000)  # a ZIP64 directory
    _never_parsed(monkeypatch)
    with pytest.raises(ModelFileError, match=r"many\.model: the zip archive declares "
                                             r"70002 members, more than a model file has"):
        load_model(path)
    assert not is_model_file(path)


def _understate_count(path, count):
    """Rewrite the end record's member counts to ``count`` (the directory is unchanged)."""
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8:end + 12] = struct.pack("<HH", count, count)
    path.write_bytes(bytes(data))


def test_a_large_directory_is_refused_whatever_count_the_end_record_states(
        model_members, tmp_path, monkeypatch):
    path = _padded(tmp_path / "lying.model", model_members, 20_000)
    _understate_count(path, 2)
    _never_parsed(monkeypatch)
    with pytest.raises(ModelFileError, match=r"declares a directory of \d+ KiB"):
        load_model(path)


def test_a_count_understated_under_the_directory_bound_is_refused_after_parsing(
        model_members, tmp_path):
    path = _padded(tmp_path / "lying.model", model_members, MAX_MEMBERS + 10)
    _understate_count(path, 2)
    with pytest.raises(ModelFileError, match=rf"has {MAX_MEMBERS + 12} members"):
        load_model(path)


def test_the_end_record_is_found_behind_a_comment_and_a_genuine_model_loads(
        model_members, tmp_path):
    path = _padded(tmp_path / "ok.model", model_members, 0)
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = b"a comment after the end record" * 10
    with open(path, "rb") as handle:
        directory = zip_directory(handle)
    assert directory is not None and directory.members == len(model_members)
    assert load_model(path).classes_ == ("Iris-setosa", "Iris-versicolor", "Iris-virginica")
