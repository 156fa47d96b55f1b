"""Count how every reader copes with hostile input: tried / clean / crashed.

    .venv/bin/python scripts/fuzz_readers.py [--examples 300] [--seed 1] [--code DIR]
        [--readers arff,arff.gz,csv,dates,flow,spec,model]

Hypothesis draws the inputs: for the data readers ``tests/data/fuzzing.py`` (mangled
corpus files, hostile pieces, deep relational headers, broken gzip, hostile date
patterns), for flow, experiment and model files ``tests/flow/hostile_files.py``
(templates, specs and freshly trained models with values replaced, nesting piled up,
zip members recompressed, encrypted, bombed or given lying ``.npy`` headers); each read
runs in a forked child with a time and a memory limit. Clean means the object (a Dataset
that then summarises and writes; a flow, spec or model used as the commands use it), or
a WorkbenchError naming the file; crashed is anything else
(another exception, a hang past the time limit, the memory limit). ``--code DIR`` runs
against another copy of the ``workbench`` package (e.g. an older commit unpacked with
``git archive``), which is how before/after numbers are made with the same inputs.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="folder holding the workbench package to test")
    parser.add_argument("--readers", default="arff,arff.gz,csv,dates,flow,spec,model")
    parser.add_argument("--seconds", type=int, default=10, help="time limit per input")
    parser.add_argument("--show", type=int, default=3, help="crash details shown per reader")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    sys.path.insert(1, str(ROOT / "tests" / "data"))
    sys.path.insert(2, str(ROOT / "tests" / "flow"))
    import workbench

    print(f"workbench from {Path(workbench.__file__).parent}")
    failures = 0
    for reader in args.readers.split(","):
        counts, shown = _probe(reader, args)
        failures += _report(reader, counts, shown)
    return 1 if failures else 0


def _probe(reader: str, args: argparse.Namespace) -> tuple[Counter[str], list[str]]:
    """Outcome counts of ``args.examples`` inputs for one reader, and a few crash lines."""
    import fuzzing
    import hostile_files
    from hypothesis import HealthCheck, given, seed, settings

    data_reader = reader in fuzzing.READERS
    kit = fuzzing if data_reader else hostile_files
    strategy, function = kit.READERS[reader]
    inputs = strategy(fuzzing.seeds_for(reader)) if data_reader else strategy()
    counts: Counter[str] = Counter()
    shown: list[str] = []

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def probe(value: object) -> None:
        outcome, detail = kit.run_limited(function, value, args.seconds)
        counts[outcome] += 1
        if outcome not in kit.CLEAN and len(shown) < args.show:
            last = detail.strip().splitlines()[-1][:300] if detail.strip() else ""
            shown.append(f"{outcome}: {last}")

    probe()
    return counts, shown


def _report(reader: str, counts: Counter[str], shown: list[str]) -> int:
    tried = sum(counts.values())
    clean = counts["loaded"] + counts["refused"]
    print(f"{reader:8s} tried {tried:5d}  clean {clean:5d} (loaded {counts['loaded']}, "
          f"refused {counts['refused']})  crashed {tried - clean:5d} "
          f"(exception {counts['crash']}, timeout {counts['timeout']}, "
          f"memory {counts['memory']})", flush=True)
    for line in shown:
        print("    " + line)
    return tried - clean


if __name__ == "__main__":
    raise SystemExit(main())
