#!/usr/bin/env bash
# Installs everything the app needs (and, with --dev, the tests): Debian packages and a
# Python virtual environment in .venv. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

# The dataset, graphviz for plot_model, a Korean font for matplotlib, venv for Python,
# and Chromium for the browser tests.
packages=(dataset-fashion-mnist graphviz fonts-nanum python3-venv)
[ "$dev" = 1 ] && packages+=(chromium)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: no apt-get here; see README.md ('Without apt') for the dataset, graphviz and a Korean font."
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi

# One stamp per requirements file, holding the hash of what was installed; the dev
# set includes the app's, so a current dev stamp also covers a plain run.
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
dev_hash=$(hash_of requirements.txt requirements-dev.txt)
app_hash=$(hash_of requirements.txt)
stamp_is() { [ -f ".venv/.setup-stamp-$1" ] && [ "$(cat ".venv/.setup-stamp-$1")" = "$2" ]; }
if stamp_is dev "$dev_hash" || { [ "$dev" = 0 ] && stamp_is app "$app_hash"; }; then
  exit 0
fi
requirements=requirements.txt
[ "$dev" = 1 ] && requirements=requirements-dev.txt
echo "setup: installing Python packages from $requirements"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r "$requirements"
if [ "$dev" = 1 ]; then echo "$dev_hash" > .venv/.setup-stamp-dev; fi
echo "$app_hash" > .venv/.setup-stamp-app
