"""The wide CSV benchmark script still runs, checks our numbers against pandas' and ends
with its ratio line; its old positional sizes still work."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "io_csv_wide.py"


@pytest.mark.parametrize("argv", [["3", "2500"], ["--rows", "3", "--columns", "2500"]])
def test_wide_csv_benchmark_runs_on_a_small_file(capsys, monkeypatch, argv):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    monkeypatch.setattr("sys.argv", [str(SCRIPT), *argv, "--repeat", "1"])
    spec = importlib.util.spec_from_file_location("io_csv_wide_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("3 rows x 2500 columns")
    assert lines[-1] == f"ratio: {ratio:.3f}"
