"""File formats are registered loaders and savers, found by extension; a plugin adds one."""

from __future__ import annotations

import json
import textwrap

import pytest

from workbench.cli import main
from workbench.core.errors import DataFormatError, ParameterError
from workbench.core.registry import Registry, default_registry, reset_default_registry
from workbench.data.catalog import bundled_path
from workbench.data.dataset import Dataset
from workbench.data.formats import ArffFormat, CsvFormat, FileFormat, find_format
from workbench.data.io import (
    dialog_filter,
    file_format,
    format_for,
    load_dataset,
    save_dataset,
)

PLUGIN = '''
from workbench.data.csv import read_csv, write_csv
from workbench.data.formats import FileFormat


def read_psv(path, *, class_index=None, missing=("?", "")):
    return read_csv(path, delimiter="|", class_index=class_index, missing=missing)


def write_psv(dataset, path):
    write_csv(dataset, path, delimiter="|")


class PipeSeparated(FileFormat):
    """Pipe-separated values: one instance a line, fields between '|'."""

    name = "psv"
    display_name = "PSV"
    extensions = (".psv",)

    @classmethod
    def reader(cls):
        return read_psv

    @classmethod
    def writer(cls):
        return write_psv


def register(registry):
    registry.add(PipeSeparated, kind="loader")
    registry.add(PipeSeparated, kind="saver")
'''


@pytest.fixture
def psv_plugin(tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "psv_format.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    yield tmp_path
    reset_default_registry()


def test_the_built_in_formats_are_loaders_and_savers_of_the_registry():
    registry = default_registry()
    for kind in ("loader", "saver"):
        assert registry.get(kind, "arff").factory is ArffFormat
        assert registry.get(kind, "csv").factory is CsvFormat
        assert registry.get(kind, "arff").origin == "built-in"
    assert find_format(registry, "loader", "x/Iris.ARFF.GZ") is ArffFormat
    assert find_format(registry, "saver", "a.tsv") is CsvFormat
    assert find_format(registry, "loader", "a.xlsx") is None


def test_a_format_of_ones_own_registry_reads_writes_and_checks_options(tmp_path):
    seen = []

    class Upper(FileFormat):
        """CSV under another name, to see that the registry decides."""

        name = "upper"
        extensions = (".up", ".csv")  # also claims .csv: this registry has no CSV

        @classmethod
        def reader(cls):
            def read(path, *, delimiter=None):
                seen.append(("read", path.name))
                return CsvFormat.reader()(path, delimiter=delimiter)
            return read

        @classmethod
        def writer(cls):
            def write(dataset, path):
                seen.append(("write", path.name))
                CsvFormat.writer()(dataset, path)
            return write

    registry = Registry()
    registry.add(Upper, kind="loader")
    registry.add(Upper, kind="saver")
    iris = load_dataset(bundled_path("iris"))
    save_dataset(iris, tmp_path / "iris.up", registry=registry)
    back = load_dataset(tmp_path / "iris.up", registry=registry, class_index=-1)
    assert isinstance(back, Dataset) and back.num_instances == 150
    assert seen == [("write", "iris.up"), ("read", "iris.up")]
    assert file_format(tmp_path / "iris.csv", registry) == "upper"
    with pytest.raises(ParameterError, match=r"take no option 'nominal'.*delimiter"):
        load_dataset(tmp_path / "iris.up", registry=registry, nominal=["class"])
    with pytest.raises(DataFormatError, match=r"'\.arff'.*\.up, \.csv"):
        format_for(tmp_path / "iris.arff", "loader", registry)


def test_a_format_that_only_reads_is_not_offered_for_writing(tmp_path):
    class ReadOnly(FileFormat):
        name = "readonly"
        extensions = (".ro",)

        @classmethod
        def reader(cls):
            return CsvFormat.reader()

    registry = Registry()
    registry.add(ReadOnly, kind="loader")
    (tmp_path / "a.ro").write_text("a,b\n1,2\n")
    assert load_dataset(tmp_path / "a.ro", registry=registry).num_instances == 1
    with pytest.raises(DataFormatError, match=r"unknown data file extension '\.ro'"):
        save_dataset(load_dataset(tmp_path / "a.ro", registry=registry), tmp_path / "b.ro",
                     registry=registry)


def test_a_plugin_adds_a_file_format_to_info_convert_and_list(psv_plugin, capsys):
    data = psv_plugin / "weather.psv"
    data.write_text("outlook|temperature|play\nsunny|85|no\nrainy|?|yes\novercast|64|yes\n")
    assert main(["info", str(data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["num_instances"], report["num_attributes"]) == (3, 3)
    assert report["class_attribute"] == "play"
    assert report["attributes"][1]["missing"] == 1

    assert main(["convert", str(bundled_path("iris")), str(psv_plugin / "iris.psv")]) == 0
    assert (psv_plugin / "iris.psv").read_text().startswith("sepallength|sepalwidth|")
    assert load_dataset(psv_plugin / "iris.psv").num_instances == 150
    capsys.readouterr()

    assert main(["list", "loaders"]) == 0
    listed = capsys.readouterr().out
    assert "  psv " in listed and "  arff " in listed and "  ArffLoader " in listed


def test_without_the_plugin_the_extension_is_refused_naming_the_known_ones(tmp_path,
                                                                           monkeypatch,
                                                                           capsys):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", "")
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    try:
        data = tmp_path / "weather.psv"
        data.write_text("a|b\n1|2\n")
        assert main(["info", str(data)]) == 2
        err = capsys.readouterr().err
        assert "unknown data file extension '.psv'" in err and ".arff.gz" in err
        assert "Traceback" not in err
    finally:
        reset_default_registry()


def test_file_dialogs_offer_every_registered_format(psv_plugin):
    opened = dialog_filter("loader")
    assert opened.startswith("Data files (*.arff *.arff.gz *.csv")
    assert "PSV (*.psv)" in opened and "*.psv" in opened.split(";;")[0]
    assert opened.endswith(";;All files (*)")
    registry = Registry()
    registry.add(CsvFormat, kind="saver")
    csv = "*.csv *.csv.gz *.tsv *.tsv.gz *.txt *.txt.gz"   # (.txt: Excel's tab text)
    assert dialog_filter("saver", registry) == (
        f"Data files ({csv});;CSV ({csv});;All files (*)")


BROKEN_PLUGIN = '''
from workbench.data.formats import FileFormat


def read_bad(path, **options):
    raise ValueError(f"cannot parse {path.name} with {sorted(options)}")


class Bad(FileFormat):
    """A format whose reader has a bug."""

    name = "bad"
    extensions = (".bad",)

    @classmethod
    def reader(cls):
        return read_bad


def register(registry):
    registry.add(Bad, kind="loader")
'''


def test_a_plugin_readers_bug_is_an_error_naming_the_format_not_a_traceback(
        tmp_path, monkeypatch, capsys):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "bad_format.py").write_text(textwrap.dedent(BROKEN_PLUGIN))
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    try:
        data = tmp_path / "x.bad"
        data.write_text("anything")
        with pytest.raises(DataFormatError, match=r"the bad loader .*ValueError.*\['sep'\]"):
            load_dataset(data, sep="|")  # a reader taking **options takes any option
        assert main(["info", str(data)]) == 2
        err = capsys.readouterr().err
        assert "x.bad" in err and "the bad loader" in err and "Traceback" not in err
    finally:
        reset_default_registry()


LONGER_PLUGIN = '''
from workbench.data.csv import read_csv, write_csv
from workbench.data.formats import FileFormat


def read_semicolons(path, *, class_index=None):
    return read_csv(path, delimiter=";", class_index=class_index)


def write_semicolons(dataset, path):
    write_csv(dataset, path, delimiter=";")


class Semicolons(FileFormat):
    """CSV with ';' between fields, claimed by a longer extension and a tying one."""

    name = "semicolons"
    extensions = (".semi.csv", ".csv")

    @classmethod
    def reader(cls):
        return read_semicolons

    @classmethod
    def writer(cls):
        return write_semicolons


def register(registry):
    registry.add(Semicolons, kind="loader")
    registry.add(Semicolons, kind="saver")
'''


def test_a_plugins_longer_extension_beats_a_built_in_and_a_tie_stays_built_in(
        tmp_path, monkeypatch):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "semicolons.py").write_text(LONGER_PLUGIN)
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(folder))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    try:
        (tmp_path / "a.semi.csv").write_text("x;y\n1;2\n")
        assert file_format(tmp_path / "a.semi.csv") == "semicolons"
        data = load_dataset(tmp_path / "a.semi.csv")
        assert [a.name for a in data.attributes] == ["x", "y"]
        assert file_format(tmp_path / "a.csv") == "csv"  # the built-in wins a tie
        assert format_for(tmp_path / "b.semi.csv", "saver").name == "semicolons"
    finally:
        reset_default_registry()
