"""Run the lesson templates headless and copy their pictures into docs/images/.

    .venv/bin/python scripts/lesson_pictures.py [OUT_FOLDER]

Each lesson (vanishing gradients, overfitting, optimisers, what an RBM learns) runs with
``workbench run NAME --out`` into a scratch folder; its pictures become
``docs/images/lesson-*.png`` (or land in OUT_FOLDER), and the numbers the user guide and
the notes quote are printed: for vanishing gradients, per network, the mean gradient norm
of the first and the last layer over the last epoch; for overfitting, per network, the
losses and test accuracy the lesson quotes (tests/flow/test_flow_lessons.py checks that
lessons.md and the canvas note say the same). Takes about a minute on two cores.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# template -> (picture it writes, name in docs/images)
PICTURES = {
    "vanishing-gradients": [("vanishing-sigmoid.png", "lesson-vanishing-sigmoid.png"),
                            ("vanishing-relu.png", "lesson-vanishing-relu.png")],
    "overfitting": [("overfitting.png", "lesson-overfitting.png")],
    "optimisers-compared": [("optimisers.png", "lesson-optimisers.png")],
    "rbm-what-it-learns": [("rbm-learning.png", "lesson-rbm.png")],
}


def last_epoch_gradients(path: Path) -> list[tuple[str, float]]:
    """(layer, mean gradient norm over the records of the last epoch), input side first."""
    with path.open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["metric"] == "grad_norm"]
    last = math.ceil(max(float(r["epoch"]) for r in rows)) - 1
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        values.setdefault(row["layer"], [])
        if float(row["epoch"]) > last:
            values[row["layer"]].append(float(row["value"]))
    return [(layer, sum(v) / len(v)) for layer, v in values.items()]


def overfitting_numbers(path: Path, report: str) -> list[str]:
    """Per network: its last training loss, its best validation loss and epoch, its last
    validation loss, and its test accuracy (from the evaluators' reports, in order)."""
    series: dict[str, list[float]] = defaultdict(list)
    with path.open() as handle:
        for row in csv.DictReader(handle):
            series[row["series"]].append(float(row["value"]))
    right = re.findall(r"Correctly Classified Instances\s+\d+\s+([\d.]+)\s*%", report)
    nets = [name[:-len(": val_loss")] for name in series if name.endswith(": val_loss")]
    lines = []
    for net, accuracy in zip(nets, right, strict=True):
        val = series[f"{net}: val_loss"]
        best = min(range(len(val)), key=val.__getitem__)
        lines.append(f"{net}: training loss {series[f'{net}: loss'][-1]:.2g}, validation "
                     f"loss lowest at epoch {best + 1} ({val[best]:.2f}), "
                     f"{val[-1]:.2f} at the end; {float(accuracy):.1f} % of the test "
                     f"digits right")
    return lines


def main(out: Path) -> None:
    from workbench.cli import main as workbench

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for template, pictures in PICTURES.items():
            folder = Path(scratch) / template
            report = io.StringIO()
            with contextlib.redirect_stdout(report):  # the flows' reports
                status = workbench(["run", template, "--out", str(folder)])
            if status != 0:
                raise SystemExit(f"{template} failed")
            for written, name in pictures:
                shutil.copyfile(folder / written, out / name)
                print(f"wrote {out / name}")
            if template == "vanishing-gradients":
                for net in ("sigmoid", "relu"):
                    layers = last_epoch_gradients(folder / f"vanishing-{net}.csv")
                    (first, g0), (last, g1) = layers[0], layers[-1]
                    print(f"{net}: first layer ({first}) {g0:.3g}, last layer ({last}) "
                          f"{g1:.3g}, last/first = {g1 / g0:.3g}")
            if template == "overfitting":
                for line in overfitting_numbers(folder / "overfitting.csv",
                                                report.getvalue()):
                    print(line)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images")
