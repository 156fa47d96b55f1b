"""The wide CSV benchmark script still runs, checks our numbers against pandas' and ends
with its ratio line; its old positional sizes still work."""

import pytest


@pytest.mark.parametrize("argv", [["3", "2500"], ["--rows", "3", "--columns", "2500"]])
def test_wide_csv_benchmark_runs_on_a_small_file(capsys, script_module, argv):
    module = script_module("benchmarks/io_csv_wide.py", *argv, "--repeat", "1")
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("3 rows x 2500 columns")
    assert lines[-1] == f"ratio: {ratio:.3f}"
