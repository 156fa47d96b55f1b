#!/usr/bin/env bash
# The whole check, exactly as CI runs it: install, lint, import layers, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export QT_QPA_PLATFORM=offscreen
# The tests run flows, open windows and load plugins: give them a home of their own, so
# they neither read the user's plugins and settings nor leave records and outputs there.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export WORKBENCH_HOME="$scratch/home" WORKBENCH_OUTPUT="$scratch/output"
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
.venv/bin/ruff check .
.venv/bin/lint-imports
# Types of the whole package, GUI included (pyproject's [tool.mypy]); any error fails
# the run before the tests start.
.venv/bin/python -m mypy
# Two worker processes (pytest-xdist): most tests run one core's worth of Python, so one
# process leaves the second core of a 2-core machine idle (586 s alone, 350 s in two).
# Each worker gets folders of its own below the ones above (tests/conftest.py).
# WORKBENCH_TEST_WORKERS=0 runs everything in this process (for a debugger); a later
# -n in the arguments wins.
.venv/bin/python -m pytest -n "${WORKBENCH_TEST_WORKERS:-2}" "$@"
