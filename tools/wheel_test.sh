#!/usr/bin/env bash
# `make wheel-test`: the package as a user installs it. Build a wheel (not an
# editable install), install it into a fresh venv with NumPy and the test tools
# only, import every module that needs nothing else, and run the unit tests that
# need only NumPy against that install (from a copy of tests/, away from the
# source tree, so `import companion` cannot pick up the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
PY=${1:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m pip wheel --quiet --no-deps --no-build-isolation -w "$tmp/dist" .
python3 -m venv "$tmp/venv"
pins=$(grep -iE '^(numpy|pytest|hypothesis|iniconfig|pluggy|packaging|attrs|sortedcontainers)==' requirements.lock)
"$tmp/venv/bin/python" -m pip install --quiet $pins "$tmp"/dist/companion-*.whl
cp -r tests "$tmp/tests"
mkdir -p "$tmp/book" && cp -r book/data "$tmp/book/data"   # data files some tests read
cd "$tmp"
"$tmp/venv/bin/python" - <<'PY'
import importlib, pkgutil, sys
import companion
assert "site-packages" in companion.__file__, companion.__file__
found, skipped = [], []
for info in pkgutil.walk_packages(companion.__path__, "companion."):
    try:
        importlib.import_module(info.name)
        found.append(info.name)
    except ModuleNotFoundError as e:
        if e.name.split(".")[0] in ("torch", "tensorflow", "keras", "matplotlib", "threadpoolctl"):
            skipped.append(f"{info.name} (needs {e.name.split('.')[0]})")
        else:
            raise
print(f"wheel: imported {len(found)} modules:", ", ".join(found))
print(f"wheel: {len(skipped)} modules need a framework:", ", ".join(skipped))
for sub in ("companion.convert", "companion.bench"):
    assert any(m == sub or m.startswith(sub + ".") for m in found + [s.split()[0] for s in skipped]), sub
PY
# Unit tests that need only NumPy: the files whose framework tests skip cleanly.
COMPANION_NUMPY_ONLY=1 "$tmp/venv/bin/python" -m pytest -q -rs -p no:cacheprovider -o addopts="" -o filterwarnings="ignore::DeprecationWarning" \
  --rootdir "$tmp" tests --ignore=tests/test_book.py --ignore=tests/test_site.py --ignore=tests/test_lab.py --ignore=tests/test_harness.py --ignore=tests/test_markup.py --ignore=tests/test_native_ko.py --ignore=tests/test_native_zh.py
# The light install for readers (`.[numpy-chapters]`, at the lock's versions):
# the chapters that need no framework run under strict nbval in this venv,
# which has no TensorFlow and no PyTorch.
cd "$repo"
chapters=$("$PY" tools/nbtools.py numpy-only)
"$tmp/venv/bin/python" -m pip install --quiet -c requirements.lock "$(ls "$tmp"/dist/companion-*.whl)[numpy-chapters]"
for nb in $chapters; do mkdir -p "$tmp/$(dirname "$nb")" && cp "$nb" "$tmp/$nb"; done
cd "$tmp"
echo "wheel: NumPy-only chapters:" $chapters
"$tmp/venv/bin/python" - <<'PY'
import importlib.util
for name in ("tensorflow", "keras", "torch"):
    assert importlib.util.find_spec(name) is None, f"{name} is installed"
PY
"$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider -o addopts="" --rootdir "$tmp" \
  --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg $chapters
