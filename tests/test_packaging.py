"""The wheel works outside the checkout: built, installed in a fresh venv, run from /tmp.

Built from a copy of only what the wheel is made of (``pyproject.toml``, ``README.md``,
``LICENSE``, ``workbench/``), so nothing a checkout has by accident (a stale ``build/``,
``plugins/``, the editable install) can make it pass. No network: the wheel is built
with the running environment's setuptools (``--no-build-isolation``) and installed with
``--no-index --no-deps``; the fresh venv borrows its dependencies (NumPy, scikit-learn,
Qt...) through a ``.pth`` line naming this environment's site-packages, which adds those
folders only, not the editable install's import hook that lives there.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench import __version__

REPO = Path(__file__).resolve().parents[1]


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@dataclass
class Installed:
    """Where the fresh venv is, and how to run things in it from an empty folder."""

    venv: Path
    purelib: Path
    work: Path
    env: dict[str, str]

    def workbench(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([str(self.venv / "bin" / "workbench"), *args], self.work, self.env)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return _run([str(self.venv / "bin" / "python"), "-c", code], self.work, self.env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """A fresh venv with our wheel installed, a home of its own, and an empty folder."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "workbench", source / "workbench",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--no-index", "-w", str(root / "dist"), str(source)], root)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "deprecat" not in (built.stdout + built.stderr).lower()
    wheels = list((root / "dist").glob("mlworkbench-*.whl"))
    assert len(wheels) == 1, wheels

    venv = root / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; "
                         "print(sysconfig.get_path('purelib'))"], root).stdout.strip())
    ours = {sysconfig.get_path("purelib"), *site.getsitepackages()}
    (purelib / "_borrowed_dependencies.pth").write_text(
        "\n".join(sorted(p for p in ours if Path(p).is_dir())) + "\n")
    install = _run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", str(wheels[0])], root)
    assert install.returncode == 0, install.stdout + install.stderr

    work = root / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "WORKBENCH_", "VIRTUAL_ENV"))}
    env.update(HOME=str(root / "home"), WORKBENCH_HOME=str(root / "home" / ".workbench"),
               QT_QPA_PLATFORM="offscreen", PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}")
    return Installed(venv, purelib, work, env)


def test_the_installed_package_is_the_wheels_not_the_checkouts(installed):
    where = Path(installed.python("import workbench; print(workbench.__file__)")
                 .stdout.strip())
    assert where.is_relative_to(installed.purelib), where
    assert not where.is_relative_to(REPO)


def test_version_and_bundled_dataset_by_name(installed):
    assert installed.workbench("--version").stdout.strip() == f"workbench {__version__}"
    info = installed.workbench("info", "iris")
    assert info.returncode == 0, info.stderr
    assert "Relation:       iris" in info.stdout and "Instances:      150" in info.stdout


def test_classify_a_bundled_dataset_gives_wekas_numbers(installed):
    done = installed.workbench("classify", "-t", "iris", "-x", "10", "IBk", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["correct"] == 143


def test_run_a_bundled_flow_template_by_name(installed):
    done = installed.workbench("run", "cross-validation")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Correctly Classified Instances" in done.stdout


def test_the_wheel_lists_the_checkouts_built_in_learners(installed):
    done = installed.workbench("list", "classifiers", "--json")
    assert done.returncode == 0, done.stderr
    in_wheel = {entry["name"] for entry in json.loads(done.stdout)}
    checkout = _run([sys.executable, "-m", "workbench", "list", "classifiers", "--json"],
                    REPO, installed.env | {"PATH": os.environ["PATH"]})
    # The checkout also loads the example in plugins/, which is documentation, not package.
    built_in = {entry["name"] for entry in json.loads(checkout.stdout)
                if entry["origin"] == "built-in"}
    assert in_wheel == built_in
    assert {"lda", "adaboost", "extra-trees", "gradient-boosting"} <= in_wheel


def test_bundled_flow_templates_and_experiments_are_in_the_wheel(installed):
    done = installed.python(
        "from workbench.core.resources import resource_dir\n"
        "print(sorted(p.name for p in resource_dir('flows').glob('*.kflow.json')))\n"
        "print(sorted(p.name for p in resource_dir('experiments').glob('*.json')))\n")
    flows, experiments = done.stdout.splitlines()
    checkout = REPO / "workbench" / "resources"
    assert flows == str(sorted(p.name for p in (checkout / "flows").glob("*.kflow.json")))
    assert experiments == str(sorted(p.name for p in (checkout / "experiments").glob("*.json")))


def test_the_source_distribution_ships_the_package_and_no_half_test_suite(tmp_path):
    """The sdist builds the package; the test suite needs the repository's docs and
    fixtures and is run from a clone, so none of it is shipped (a fragment of it failed
    at collection in an unpacked sdist)."""
    import tarfile

    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache",
        ".pytest_cache", "*.egg-info", "build", "dist"))
    built = _run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                  "print(build_meta.build_sdist(sys.argv[1]))", str(tmp_path / "dist")],
                 source)
    assert built.returncode == 0, built.stdout + built.stderr
    name = built.stdout.strip().splitlines()[-1]
    with tarfile.open(tmp_path / "dist" / name) as archive:
        members = [member.split("/", 1)[1] for member in archive.getnames() if "/" in member]
    tops = {member.split("/")[0] for member in members}
    assert {"workbench", "README.md", "LICENSE", "pyproject.toml"} <= tops
    assert "workbench/resources/datasets/iris.arff" in members
    assert not tops & {"tests", "benchmarks", "scripts", "docs", "plugins", ".ci"}, tops
    assert not [member for member in members if member.endswith(".whl")]
