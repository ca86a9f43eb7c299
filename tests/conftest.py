"""pytest settings shared by the unit tests and nbval's notebook items."""
import os
import pathlib
import sys

# tools/nbtools.py (`make execute`) holds the notebook helpers test_book and
# test_site share with it.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))

# Before any test imports TensorFlow (the notebooks set these themselves).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# Property-based tests draw the same examples on every run and every machine, so a
# test that passes once passes again (`make test` twice in a row, CI after a session).
try:
    from hypothesis import settings

    settings.register_profile("book", derandomize=True, print_blob=True)
    settings.load_profile("book")
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass
