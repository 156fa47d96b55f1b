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
