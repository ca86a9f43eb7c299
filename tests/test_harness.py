"""The root conftest.py: which notebooks nbval executes."""

import subprocess
import sys

from nbtools import ROOT


def collected_notebooks(*args):
    """The notebooks `pytest --nbval ARGS` would run (collection only)."""
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:xdist"]
        + ["--nbval", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return {
        line.split("::")[0]
        for line in res.stdout.splitlines()
        if ".ipynb::" in line
    }


def test_english_runs_and_its_twins_are_compared_instead():
    chapter = "rnn-from-equations.ipynb"
    everything = collected_notebooks("book")
    assert f"book/en/{chapter}" in everything
    assert all(p.startswith("book/en/") for p in everything), everything
    # an edition named on its own is executed itself
    assert f"book/ko/{chapter}" in collected_notebooks("book/ko")
