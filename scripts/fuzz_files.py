"""Count how the flow, experiment and model readers cope with hostile files.

    .venv/bin/python scripts/fuzz_files.py [--examples 200] [--seed 1] [--code DIR]

Hypothesis draws the inputs (``tests/flow/hostile_files.py``: bundled templates, specs
and freshly trained models with values replaced, nesting piled up, bytes mangled, zip
members recompressed, encrypted, bombed or given lying ``.npy`` headers); each read runs
in a forked child with a time and a memory limit. Clean means the object (then used as
the commands use it) or a WorkbenchError naming the file; crashed is anything else.
``--code DIR`` runs against another copy of the ``workbench`` package (an older commit
unpacked with ``git archive``): that is how before/after numbers use the same inputs.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="folder holding the workbench package to test")
    parser.add_argument("--readers", default="flow,spec,model")
    parser.add_argument("--seconds", type=int, default=20, help="time limit per input")
    parser.add_argument("--show", type=int, default=4, help="crash details shown per reader")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    sys.path.insert(1, str(ROOT / "tests" / "flow"))
    import workbench

    print(f"workbench from {Path(workbench.__file__).parent}")
    failures = 0
    for reader in args.readers.split(","):
        counts, shown = _probe(reader, args)
        failures += _report(reader, counts, shown)
    return 1 if failures else 0


def _probe(reader: str, args: argparse.Namespace) -> tuple[Counter[str], list[str]]:
    import hostile_files
    from hypothesis import HealthCheck, given, seed, settings

    strategy, function = hostile_files.READERS[reader]
    counts: Counter[str] = Counter()
    shown: list[str] = []

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy())
    def probe(value: bytes) -> None:
        outcome, detail = hostile_files.run_limited(function, value, args.seconds)
        counts[outcome] += 1
        if outcome not in hostile_files.CLEAN and len(shown) < args.show:
            last = detail.strip().splitlines()[-1][:300] if detail.strip() else ""
            shown.append(f"{outcome}: {last}")

    probe()
    return counts, shown


def _report(reader: str, counts: Counter[str], shown: list[str]) -> int:
    tried = sum(counts.values())
    clean = counts["loaded"] + counts["refused"]
    print(f"{reader:6s} tried {tried:5d}  clean {clean:5d} (loaded {counts['loaded']}, "
          f"refused {counts['refused']})  crashed {tried - clean:5d} "
          f"(exception {counts['crash']}, timeout {counts['timeout']}, "
          f"memory {counts['memory']})", flush=True)
    for line in shown:
        print("    " + line)
    return tried - clean


if __name__ == "__main__":
    raise SystemExit(main())
