"""WEKA's MultilayerPerceptron and ours, defaults, 10-fold CV seed 1, on iris, diabetes, vote.

Real WEKA 3.9.7 is run from the ``weka.jar`` inside the ``python-weka-wrapper3==0.3.3``
source distribution on PyPI, fetched once with ``pip download --no-deps --no-binary
:all:`` into a cache folder (``--cache``, default ``~/.cache/workbench-bench``; the jar
is kept there as ``weka-3.9.7.jar``). Without Java or without network access to fetch
it, the benchmark says so and exits 0. CI does not run it.

Like with like: each side is one fresh process per dataset, timed by wall clock from
start to exit, so WEKA's time includes starting the JVM and ours starting Python and
importing Workbench. Both do the same job: read the ARFF file, train the model on all
rows, run a 10-fold cross-validation with seed 1 (ten more models) and print the
statistics; neither evaluates on the training data nor prints the model
(``weka.classifiers.functions.MultilayerPerceptron -t F -x 10 -s 1 -v -o`` against
``workbench classify -t F -x 10 -s 1 -o mlp``). Runs alternate between the two sides and
the best of ``--repeat`` counts, so a busy shared machine slows both alike; processor
times (user + system, children included) are shown beside, and so is the time of the
same job with ZeroR (which learns nothing), i.e. what starting each side costs. The
correct counts must be at least WEKA's minus 1 % of the rows. The last line is
``ratio: R``, the sum of our times over the sum of WEKA's.

A second table does the same for ``weka-mlp``, our MultilayerPerceptron under its WEKA
name (WEKA's own steps, so its correct counts must equal WEKA's; its cross-validation
trains the ten folds' networks together, ``weka_mlp_folds``), timed in the same
alternating runs against the same WEKA runs; its ratio is printed on its own line,
``weka-mlp ratio: R``, before the final ``ratio:`` line of ``mlp``.

Run: ``.venv/bin/python benchmarks/weka_small_data.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "workbench" / "resources" / "datasets"
SDIST = "python-weka-wrapper3==0.3.3"
JAR_IN_SDIST = "python/weka/lib/weka.jar"
JAR_NAME = "weka-3.9.7.jar"
CORRECT = re.compile(r"Correctly Classified Instances\s+(\d+)")
ROWS = re.compile(r"Total Number of Instances\s+(\d+)")


def skip(why: str) -> None:
    print(f"{why}: skipped")
    raise SystemExit(0)


def weka_jar(cache: Path) -> Path:
    """The cached jar, fetched and unpacked from the sdist the first time."""
    jar = cache / JAR_NAME
    if jar.is_file():
        return jar
    cache.mkdir(parents=True, exist_ok=True)
    print(f"fetching WEKA once: pip download {SDIST} into {cache}", flush=True)
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                               "--no-binary", ":all:", SDIST, "-d", str(cache)],
                              capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        skip(f"could not run pip download ({error})")
    sdists = sorted(cache.glob("python_weka_wrapper3-0.3.3.tar.gz"))
    if done.returncode != 0 or not sdists:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        skip(f"could not fetch WEKA from PyPI (no network access?): {last}")
    with tarfile.open(sdists[0]) as archive:
        member = next((m for m in archive.getmembers()
                       if m.isfile() and m.name.endswith("/" + JAR_IN_SDIST)), None)
        if member is None:
            skip(f"{sdists[0].name} holds no {JAR_IN_SDIST}")
        source = archive.extractfile(member)
        assert source is not None
        partial = jar.with_suffix(".part")
        with source, open(partial, "wb") as out:
            shutil.copyfileobj(source, out)
        partial.replace(jar)
    return jar


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, processor seconds, standard output) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def correct_count(output: str) -> tuple[int, int]:
    """(correct, rows) of the cross-validation from a WEKA-format report."""
    correct, rows = CORRECT.findall(output), ROWS.findall(output)
    if not correct or not rows:
        raise SystemExit(f"no 'Correctly Classified Instances' in the output:\n{output}")
    return int(correct[-1]), int(rows[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per side and dataset; the best counts")
    parser.add_argument("--cache", type=Path,
                        default=Path.home() / ".cache" / "workbench-bench",
                        help="where the WEKA jar is kept")
    parser.add_argument("--datasets", default="iris,diabetes,vote",
                        help="bundled datasets with a nominal class, comma-separated")
    args = parser.parse_args()
    java = shutil.which("java")
    if java is None:
        skip("Java not found")
    jar = weka_jar(args.cache)
    load = os.getloadavg()[0]
    print(f"WEKA 3.9.7 ({jar}) vs Workbench ({sys.executable}); cpus {os.cpu_count()}, "
          f"load average {load:.1f}; best of {args.repeat} alternating runs")
    total_ours = total_weka = total_weka_mlp = 0.0
    short = []
    weka_mlp_lines = []
    for name in args.datasets.split(","):
        path = str(DATASETS / f"{name}.arff")
        weka_cmd = [java, "-cp", str(jar), "weka.classifiers.functions.MultilayerPerceptron",
                    "-t", path, "-x", "10", "-s", "1", "-v", "-o"]
        ours_cmd = [sys.executable, "-m", "workbench", "classify", "-t", path, "-x", "10",
                    "-s", "1", "-o", "mlp"]
        weka_mlp_cmd = [*ours_cmd[:-1], "weka-mlp"]
        best = {"weka": (float("inf"), 0.0, ""), "ours": (float("inf"), 0.0, ""),
                "weka-mlp": (float("inf"), 0.0, "")}
        for _ in range(max(1, args.repeat)):
            for side, command in (("weka", weka_cmd), ("ours", ours_cmd),
                                  ("weka-mlp", weka_mlp_cmd)):
                run = timed(command)
                if run[0] < best[side][0]:
                    best[side] = run
        (weka_wall, weka_cpu, weka_out), (ours_wall, ours_cpu, ours_out) = (
            best["weka"], best["ours"])
        same_wall, same_cpu, same_out = best["weka-mlp"]
        weka_correct, rows = correct_count(weka_out)
        ours_correct, _ = correct_count(ours_out)
        enough = ours_correct >= weka_correct - 0.01 * rows
        if not enough:
            short.append(name)
        total_ours += ours_wall
        total_weka += weka_wall
        print(f"{name:9s} WEKA {weka_wall:6.2f} s wall ({weka_cpu:5.2f} s cpu), "
              f"{weka_correct}/{rows} correct | workbench {ours_wall:6.2f} s wall "
              f"({ours_cpu:5.2f} s cpu), {ours_correct}/{rows} correct"
              f"{'' if enough else '  <- below WEKA minus 1 % of the rows'}"
              f" | ratio {ours_wall / weka_wall:.2f}")
        same_correct, _ = correct_count(same_out)
        total_weka_mlp += same_wall
        weka_mlp_lines.append(
            f"{name:9s} WEKA {weka_wall:6.2f} s wall ({weka_cpu:5.2f} s cpu), "
            f"{weka_correct}/{rows} correct | weka-mlp {same_wall:6.2f} s wall "
            f"({same_cpu:5.2f} s cpu), {same_correct}/{rows} correct"
            f"{'' if same_correct == weka_correct else '  <- not WEKA count'}"
            f" | ratio {same_wall / weka_wall:.2f}")
    print("MultilayerPerceptron under its WEKA name (weka-mlp: WEKA's steps, WEKA's "
          "counts):")
    for line in weka_mlp_lines:
        print(line)
    # What starting each side costs, for reading the small datasets' times: the same
    # job with ZeroR, which learns nothing.
    iris = str(DATASETS / "iris.arff")
    weka_start = min(timed([java, "-cp", str(jar), "weka.classifiers.rules.ZeroR", "-t", iris,
                            "-x", "10", "-s", "1", "-v", "-o"])[0] for _ in range(2))
    ours_start = min(timed([sys.executable, "-m", "workbench", "classify", "-t", iris, "-x",
                            "10", "-s", "1", "-o", "zeror"])[0] for _ in range(2))
    print(f"the same job with ZeroR on iris (mostly starting the process): WEKA "
          f"{weka_start:.2f} s, workbench {ours_start:.2f} s")
    verdict = ("BELOW WEKA minus 1 % of the rows on " + ", ".join(short) if short
               else "at least WEKA minus 1 % of the rows on every dataset")
    print(f"accuracy: {verdict}")
    print(f"workbench: {total_ours:.2f} s   WEKA: {total_weka:.2f} s (sum of the best "
          f"wall times)")
    print(f"weka-mlp: {total_weka_mlp:.2f} s   WEKA: {total_weka:.2f} s (sum of the best "
          f"wall times)")
    print(f"weka-mlp ratio: {total_weka_mlp / total_weka:.3f}")
    print(f"ratio: {total_ours / total_weka:.3f}")


if __name__ == "__main__":
    main()
