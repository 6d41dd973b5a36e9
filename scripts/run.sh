#!/usr/bin/env bash
# Sets everything up (once) and starts the app on the shipped model: http://localhost:8501
# The terminal shows the teacher passcode and a teacher link ($CNN_TEACHER_PASSCODE picks your own);
# on a desktop the link opens in the browser once the app answers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${CNN_TEACHER_PASSCODE:-}" ]; then
  CNN_TEACHER_PASSCODE=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(6))")
  export CNN_TEACHER_PASSCODE
fi
port=8501
link="http://localhost:${port}/?teacher=${CNN_TEACHER_PASSCODE}"
echo
echo "  Teacher passcode: ${CNN_TEACHER_PASSCODE}"
echo "  Teacher link:     ${link}"
echo "  (students join from the QR code on the Class gallery page)"
echo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  (for _ in $(seq 60); do
     if .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://localhost:${port}/_stcore/health', timeout=1)" 2>/dev/null; then
       .venv/bin/python -m webbrowser -t "$link" >/dev/null 2>&1 || true
       break
     fi
     sleep 1
   done) &
fi
exec .venv/bin/streamlit run streamlit_app.py --server.port "$port" "$@"
