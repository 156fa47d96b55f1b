#!/usr/bin/env bash
# The whole check, exactly as CI runs it: install, lint, import layers, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
