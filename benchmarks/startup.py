"""Time how long ``workbench`` takes to start, against ``python -c "import numpy"``.

Every command needs Python and NumPy, so importing NumPy is the floor a user cannot
avoid; what we add on top is ours. Goals (issue 16): ``workbench --version`` and
``workbench --help`` at most 3x that floor, ``workbench info iris`` at most 5x. Each
command is a fresh process run from a temporary folder (so the checkout is not on the
path unless installed), the runs interleaved so a burst of load hits all alike, and the
best of ``--repeat`` counts.

Prints one line per command with its time, its ratio to the floor and its goal; the last
line is ``ratio: R``, the worst of the three ratios divided by its goal, so R <= 1 means
every goal is met (and, as in the other benchmarks, below 1 is better).

Run: ``.venv/bin/python benchmarks/startup.py [--repeat 7]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = ("import numpy", [sys.executable, "-c", "import numpy"])
COMMANDS = (
    ("workbench --version", ["--version"], 3.0),
    ("workbench --help", ["--help"], 3.0),
    ("workbench info iris", ["info", "iris"], 5.0),
)


def _workbench() -> list[str]:
    """The console script beside this Python when there is one, else ``-m workbench``."""
    script = Path(sys.executable).with_name("workbench")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "workbench"]


def _seconds(argv: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each; the best counts")
    args = parser.parse_args()
    workbench = _workbench()
    runs = [REFERENCE] + [(label, workbench + argv) for label, argv, _ in COMMANDS]
    best = {label: float("inf") for label, _ in runs}
    with tempfile.TemporaryDirectory() as folder:
        for _label, argv in runs:  # once untimed: the first run pays for cold files
            _seconds(argv, folder)
        for _ in range(max(1, args.repeat)):
            for label, argv in runs:
                best[label] = min(best[label], _seconds(argv, folder))
    floor = best[REFERENCE[0]]
    print(f"cpus available: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    print(f"{REFERENCE[0]:<22} {floor:6.3f} s")
    worst = 0.0
    for label, _, goal in COMMANDS:
        ratio = best[label] / floor
        worst = max(worst, ratio / goal)
        print(f"{label:<22} {best[label]:6.3f} s  {ratio:4.1f}x numpy (goal <= {goal:g}x)")
    print(f"ratio: {worst:.3f}")


if __name__ == "__main__":
    main()
