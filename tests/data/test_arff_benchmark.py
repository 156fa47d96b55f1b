"""The ARFF benchmark script still runs and checks our numbers against pandas."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "io_arff.py"


def test_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys):
    spec = importlib.util.spec_from_file_location("io_arff_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = module.main(300, 4)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"ratio: {ratio:.3f}"
    assert ratio > 0


def test_wide_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys, monkeypatch):
    script = SCRIPT.with_name("io_arff_wide.py")
    monkeypatch.syspath_prepend(str(script.parent))
    monkeypatch.setattr("sys.argv", [str(script), "--columns", "2500", "--rows", "3",
                                     "--repeat", "1"])
    spec = importlib.util.spec_from_file_location("io_arff_wide_benchmark", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "3 rows x 2500 numeric attributes, 0.1 MB"
    assert lines[-1] == f"ratio: {ratio:.3f}"


def test_sparse_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys, monkeypatch):
    script = SCRIPT.with_name("io_arff_sparse.py")
    monkeypatch.syspath_prepend(str(script.parent))
    monkeypatch.setattr("sys.argv", [str(script), "--attributes", "300", "--rows", "20",
                                     "--repeat", "1"])
    spec = importlib.util.spec_from_file_location("io_arff_sparse_benchmark", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("20 rows x 301 attributes")
    assert lines[1].startswith("dataset holds CSR")
    assert lines[-1] == f"ratio: {ratio:.3f}"
