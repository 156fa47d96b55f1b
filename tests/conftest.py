"""Fixtures for every test folder."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

REPOSITORY = Path(__file__).resolve().parents[1]

# Hypothesis's default deadline (200 ms an example) is a wall-clock assertion: on a
# loaded machine, or with two test workers on two cores, a quick example runs past it
# and the test fails for the machine's sake. Tests assert behaviour, never time.
#
# The suite's property tests are also derandomized and keep no example database: each
# test draws the same examples in every run, so a red run is red again on the same
# commit (a failure can be replayed and shrunk at leisure), and the two xdist workers no
# longer read and write one shared .hypothesis folder, replaying each other's finds into
# unrelated runs. Searching for new inputs is a separate, deliberate act:
# HYPOTHESIS_PROFILE=explore draws fresh examples each run and keeps what fails, and
# scripts/fuzz_readers.py fuzzes the readers for as long as you let it.
settings.register_profile("workbench", deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "workbench"))


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker gets its own home, output, settings and data
    folders below the ones scripts/test.sh made: two workers sharing one home would read
    each other's recovery files, records and settings mid-test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    for name in ("WORKBENCH_HOME", "WORKBENCH_OUTPUT", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        if os.environ.get(name):
            os.environ[name] = os.path.join(os.environ[name], worker)


@pytest.fixture
def script_module(monkeypatch) -> Callable[..., ModuleType]:
    """Load one of the repository's scripts (``benchmarks/io_arff.py``) as a module,
    with its folder on the path (benchmarks import their ``_common``) and ``argv`` as
    its command line, so a test runs it as a user would, only smaller."""
    def load(relative: str, *argv: str) -> ModuleType:
        path = REPOSITORY / relative
        monkeypatch.syspath_prepend(str(path.parent))
        monkeypatch.setattr("sys.argv", [str(path), *argv])
        spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load


TEMPLATES = REPOSITORY / "workbench" / "resources" / "flows"


@pytest.fixture(scope="session")
def template_run(tmp_path_factory) -> Callable[[str], Path]:
    """The output folder of ``workbench run <template> --out <folder>`` for a bundled
    template, run in-process once per session however many tests read its files (the
    lessons train several networks each: the CLI, lesson and dynamics tests ran them
    again and again). The run gets a home of its own, as in scripts/test.sh, and must
    exit 0. Tests only read the folder; a test that changes it needs its own run. What
    the run prints (the evaluators' reports) is kept beside the folder, in
    ``report.txt``, for tests that check the numbers a lesson quotes."""
    import contextlib
    import io

    from workbench.cli import main

    folders: dict[str, Path] = {}

    def run(name: str) -> Path:
        if name not in folders:
            template = TEMPLATES / f"{name}.kflow.json"
            assert template.is_file(), template
            # a folder the run must make itself (run.py's mkdir stays tested)
            folder = tmp_path_factory.mktemp(f"template-{name}") / "out"
            home = tmp_path_factory.mktemp("template-home")
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("WORKBENCH_HOME", str(home))
                patch.setenv("WORKBENCH_OUTPUT", str(home / "output"))
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    status = main(["run", str(template), "--out", str(folder)])
                (folder.parent / "report.txt").write_text(printed.getvalue())
                assert status == 0, template
            folders[name] = folder
        return folders[name]
    return run
