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
.venv/bin/python -m pytest "$@"
