"""The root conftest.py's shared execution: an edition whose code equals
English's is compared with English's fresh run, and still fails when its own
stored outputs are wrong; an edition whose code differs runs on its own.
And its forked kernels (tools/forkkernel.py): the same results as fresh
ones, a timeout's interrupt reaches the kernel."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

pytest.importorskip("nbval")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def notebook(cells):
    """A notebook of (source, stored stdout) code cells."""
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": k,
                "metadata": {},
                "outputs": [
                    {"name": "stdout", "output_type": "stream", "text": out}
                ],
                "source": src,
            }
            for k, (src, out) in enumerate(cells, start=1)
        ],
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def count_runs(name):
    # each execution of the chapter appends one line to ../<name>.runs
    return (
        f"with open('../{name}.runs', 'a') as f:\n"
        "    print('run', file=f)\n"
        "print('counted')"
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("shared")
    shutil.copy(ROOT / "conftest.py", root / "conftest.py")
    (root / "tools").mkdir()
    for tool in ("forkkernel.py", "pytest_startup.py"):
        shutil.copy(ROOT / "tools" / tool, root / "tools")
    (root / "pytest.ini").write_text("[pytest]\n")
    same = [(count_runs("same"), "counted\n"), ("print(6 * 7)", "42\n")]
    chapters = {
        # name: (en cells, ko cells)
        "same": (same, [(count_runs("same"), "counted\n"), *same[1:]]),
        "wrong": (
            [(count_runs("wrong"), "counted\n"), ("print(6 * 7)", "42\n")],
            [(count_runs("wrong"), "counted\n"), ("print(6 * 7)", "41\n")],
        ),
        "other": (
            [(count_runs("other"), "counted\n"), ("print(6 * 7)", "42\n")],
            [(count_runs("other"), "counted\n"), ("print(7 * 6)", "42\n")],
        ),
    }
    for lang in ("en", "ko"):
        (root / "book" / lang).mkdir(parents=True)
    for name, (en, ko) in chapters.items():
        for lang, cells in (("en", en), ("ko", ko)):
            path = root / "book" / lang / f"{name}.ipynb"
            path.write_text(json.dumps(notebook(cells)))
    # the comments differ from English's, the code is the same
    ko_same = root / "book" / "ko" / "same.ipynb"
    nb = json.loads(ko_same.read_text())
    nb["cells"][1]["source"] = "# 번역된 주석\nprint(6 * 7)  # 육 곱하기 칠"
    ko_same.write_text(json.dumps(nb))
    return root


def run_pytest(book, share, paths=("book",), fork="1", options=()):
    for runs in book.glob("book/*.runs"):
        runs.unlink()
    env = dict(os.environ, NBVAL_SHARE_EDITIONS=share, NBVAL_FORK_KERNELS=fork)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env"]
        + [
            # as `make test` starts pytest
            "-p",
            "tools.pytest_startup",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            "-rf",
            *options,
            *paths,
        ],
        check=False,
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    runs = {
        p.stem: p.read_text().count("run") for p in book.glob("book/*.runs")
    }
    return result, runs


def test_editions_share_one_run_and_still_fail_on_their_own_outputs(book):
    # and a forked kernel (tools/forkkernel.py) takes nbval's interrupt after
    # a cell's timeout: en/slow.ipynb sleeps in its first cell
    slow = book / "book" / "en" / "slow.ipynb"
    cells = [("import time\ntime.sleep(60)", ""), ("print('next')", "next\n")]
    slow.write_text(json.dumps(notebook(cells)))
    try:
        result, runs = run_pytest(
            book, "1", options=("--nbval-cell-timeout=3",)
        )
    finally:
        slow.unlink()
    out = result.stdout
    assert runs == {"same": 1, "wrong": 1, "other": 2}, out
    assert "FAILED book/ko/wrong.ipynb::Cell 1" in out, out
    # the interrupt came back as KeyboardInterrupt (not a dead kernel), and
    # the kernel went on to run the next cell (which nbval expects to fail
    # after a timeout: "xpassed")
    assert "FAILED book/en/slow.ipynb::Cell 0" in out, out
    assert "Timeout of 3 seconds exceeded executing cell" in out, out
    assert "2 failed, 11 passed, 1 xpassed" in out, out
    assert "Ctrl-C will not work" not in out, out  # a kernel with a parent


def test_sharing_and_forking_can_be_switched_off(book):
    paths = ("book/en/same.ipynb", "book/ko/same.ipynb")
    result, runs = run_pytest(book, "0", paths, fork="0")
    assert runs == {"same": 2}, result.stdout
    assert "4 passed" in result.stdout, result.stdout


def test_zygotes_fork_from_the_one_with_fewer_libraries(tmp_path):
    """`forkkernel.py serve` makes each zygote whose libraries extend
    another's a fork of it; one whose import fails says why, and the others
    still serve."""
    sock = {name: str(tmp_path / f"{name}.sock") for name in "abc"}
    targets = {
        "a": "json",
        "b": "json,colorsys",  # a fork of a
        "c": "json,no_such_module_here",  # fails; a and b do not
    }
    serve = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "forkkernel.py"), "serve"]
        + [arg for name in "abc" for arg in (sock[name], targets[name])],
        stdin=subprocess.PIPE,
    )
    try:
        for _ in range(600):
            ready = [os.path.exists(sock[n]) for n in "ab"]
            if all(ready) and os.path.exists(sock["c"] + ".failed"):
                break
            time.sleep(0.05)
        assert os.path.exists(sock["a"]) and os.path.exists(sock["b"])
        failed = pathlib.Path(sock["c"] + ".failed").read_text()
        assert "No module named 'no_such_module_here'" in failed
        assert not os.path.exists(sock["c"])

        # a is the first process; b's zygote is its one live child (c's
        # ended when its import failed)
        def alive_children():
            children = pathlib.Path(
                f"/proc/{serve.pid}/task/{serve.pid}/children"
            ).read_text()
            stats = [pathlib.Path(f"/proc/{p}/stat") for p in children.split()]
            return [s for s in stats if s.read_text().split()[2] != "Z"]

        for _ in range(100):  # c's process may still be on its way out
            if len(alive_children()) == 1:
                break
            time.sleep(0.05)
        assert len(alive_children()) == 1
    finally:
        serve.stdin.close()  # the session's end: every zygote exits
        assert serve.wait(timeout=30) == 0


def test_a_zygote_runs_python_for_a_test(tmp_path):
    """`forkkernel.py python ARGS`: what `python ARGS` does (its output,
    sys.argv, exit code, a script's folder on sys.path), in a fork of a
    zygote, with the zygote's modules already imported."""
    sock = str(tmp_path / "z.sock")
    serve = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "forkkernel.py"), "serve"]
        + [sock, "colorsys"],
        stdin=subprocess.PIPE,
    )
    script = tmp_path / "folder" / "script.py"
    script.parent.mkdir()
    (script.parent / "helper.py").write_text("VALUE = 7\n")
    script.write_text("import sys, helper\nprint(sys.argv, helper.VALUE)\n")

    def python(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "tools" / "forkkernel.py"), "python"]
            + list(args),
            env=dict(os.environ, FORKKERNEL_SOCKET=sock, ASKED="yes"),
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    try:
        for _ in range(600):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        code = (
            "import os, sys; print(sys.argv, 'colorsys' in sys.modules,"
            " os.environ['ASKED'], __name__)"
        )
        run = python("-c", code, "x")
        assert run.returncode == 0, run.stderr
        assert run.stdout == "['-c', 'x'] True yes __main__\n"
        run = python(str(script), "y")
        assert run.stdout == f"[{str(script)!r}, 'y'] 7\n", run.stderr
        assert python("-c", "import sys; sys.exit(3)").returncode == 3
        failed = python("-c", "1 / 0")
        assert failed.returncode == 1 and "ZeroDivisionError" in failed.stderr
    finally:
        serve.stdin.close()
        assert serve.wait(timeout=30) == 0


def test_python_with_picks_the_zygote_with_fewest_libraries(
    tmp_path, monkeypatch, python_with
):
    for name in ("a+b", "a+b+c"):
        (tmp_path / f"{name}.sock.wanted").touch()
        (tmp_path / f"{name}.sock").touch()  # as if it listened
    monkeypatch.setenv("FORKKERNEL_DIR", str(tmp_path))
    command, env = python_with("a")
    assert command[1:] == [str(ROOT / "tools" / "forkkernel.py"), "python"]
    assert env["FORKKERNEL_SOCKET"] == str(tmp_path / "a+b.sock")
    assert python_with("c", "a")[1]["FORKKERNEL_SOCKET"].endswith("a+b+c.sock")
    assert python_with("d") == ([sys.executable], dict(os.environ))
    monkeypatch.delenv("FORKKERNEL_DIR")
    assert python_with("a")[0] == [sys.executable]
