"""The ARFF benchmark scripts still run and check our numbers against the reference."""


def test_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys, script_module):
    module = script_module("benchmarks/io_arff.py")
    ratio = module.main(300, 4)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"ratio: {ratio:.3f}"
    assert ratio > 0


def test_wide_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys, script_module):
    module = script_module("benchmarks/io_arff_wide.py", "--columns", "2500", "--rows", "3",
                           "--repeat", "1")
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "3 rows x 2500 numeric attributes, 0.1 MB"
    assert lines[-1] == f"ratio: {ratio:.3f}"


def test_sparse_benchmark_runs_on_a_small_file_and_ends_with_the_ratio(capsys, script_module):
    module = script_module("benchmarks/io_arff_sparse.py", "--attributes", "300", "--rows",
                           "20", "--repeat", "1")
    ratio = module.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("20 rows x 301 attributes")
    assert lines[1].startswith("dataset holds CSR")
    assert lines[-1] == f"ratio: {ratio:.3f}"
