#!/usr/bin/env bash
# `make lock`: resolve requirements.txt (the ranges) in a fresh virtual
# environment and write every installed package, transitive ones included, at
# its exact version to requirements.lock, which `make venv` installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet -r requirements.txt
{
  echo "# Exact versions of everything requirements.txt resolves to (Python $("$tmp/venv/bin/python" -c 'import sys; print(*sys.version_info[:2], sep=".")'))."
  echo "# Made by \`make lock\` (tools/lock.sh); installed by \`make venv\`. Do not edit by hand."
  # torch's CPU build carries a local version label (+cpu) that PyPI's builds lack
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable | sed -E 's/^(torch==[^+]+)\+.*/\1/' | LC_ALL=C sort -f
} > requirements.lock
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
