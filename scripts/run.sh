#!/usr/bin/env bash
# Sets everything up (once) and starts the app on the shipped model: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/streamlit run streamlit_app.py "$@"
