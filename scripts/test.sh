#!/usr/bin/env bash
# Sets everything up (once) and runs the linter and the whole test suite, browser tests included.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not browser".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
