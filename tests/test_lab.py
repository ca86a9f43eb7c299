"""`make lab` works: a headless Jupyter server runs a chapter through its kernel.

What a reader does after `make lab`, without a browser: start the server that
JupyterLab runs on, open a kernel through its REST API, send a chapter's code
cells over the kernel's websocket, and compare what comes back with the
notebook's stored outputs (the same comparison test_book uses across editions).
The server listens on 127.0.0.1 only and is stopped at the end.
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from nbtools import ROOT, comparable_outputs

websocket = pytest.importorskip("websocket")
pytest.importorskip("jupyter_server")
pytest.importorskip("jupyterlab")

# A NumPy-only chapter keeps the check to a few seconds.
NOTEBOOK = ROOT / "book" / "en" / "lstm-from-equations.ipynb"
TIMEOUT = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url, token, method="GET", body=None):
    req = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
    )
    req.add_header("Authorization", f"token {token}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path_factory.mktemp("lab") / "server.log"
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT / 'book'}",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_NO_CONFIG": "1"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _request(f"{base}/api/status", token)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"the Jupyter server did not start:\n{log.read_text()[-2000:]}"
                    )
                time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _execute(ws, session, code):
    """Run one cell; return its outputs in nbformat's shape."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": session,
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))  # fmt: skip
    outputs, deadline = [], time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = json.loads(ws.recv())
        if (
            msg.get("parent_header", {}).get("msg_id") != msg_id
            or msg["channel"] != "iopub"
        ):
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            outputs.append(
                {
                    "output_type": "stream",
                    "name": content["name"],
                    "text": content["text"],
                }
            )
        elif kind in ("execute_result", "display_data"):
            outputs.append({"output_type": kind, "data": content["data"]})
        elif kind == "error":
            outputs.append(
                {
                    "output_type": "error",
                    "ename": content["ename"],
                    "evalue": content["evalue"],
                }
            )
        elif kind == "status" and content["execution_state"] == "idle":
            return outputs
    pytest.fail(f"no answer from the kernel within {TIMEOUT} s")


def test_a_chapter_runs_through_the_jupyter_server(server):
    base, token = server
    kernel = _request(
        f"{base}/api/kernels", token, "POST", {"name": "python3"}
    )
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws')}/api/kernels/{kernel['id']}/channels",
        header=[f"Authorization: token {token}"],
        timeout=TIMEOUT,
    )
    try:
        nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
        session = uuid.uuid4().hex
        _execute(ws, session, f"import os; os.chdir({str(NOTEBOOK.parent)!r})")
        cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for k, cell in enumerate(cells, start=1):
            got = _execute(ws, session, "".join(cell["source"]))
            tags = cell["metadata"].get("tags", [])
            if "nbval-ignore-output" in tags:
                continue
            assert comparable_outputs({"outputs": got}) == comparable_outputs(
                cell
            ), (
                f"{NOTEBOOK.relative_to(ROOT)} code cell {k}: the server's kernel printed something else"
            )
    finally:
        ws.close()
        _request(f"{base}/api/kernels/{kernel['id']}", token, "DELETE")


def _page_config(base, token):
    """The configuration JupyterLab's page hands the browser (its extensions)."""
    req = urllib.request.Request(f"{base}/lab")
    req.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(req, timeout=30) as resp:
        page = resp.read().decode("utf-8")
    start = page.index('id="jupyter-config-data"')
    start = page.index(">", start) + 1
    return json.loads(page[start : page.index("</script>", start)])


def test_the_lab_renders_the_books_markup(server):
    """The lab `make lab` opens loads jupyterlab-myst, so a downloaded chapter
    shows its admonitions, {eq} references and folded solutions as the book
    does, not as raw MyST."""
    config = _page_config(*server)
    names = {ext["name"] for ext in config.get("federated_extensions", [])}
    assert "jupyterlab-myst" in names, sorted(names)
    disabled = config.get("disabledExtensions", [])
    assert not any(name.startswith("jupyterlab-myst") for name in disabled)


def test_the_labs_kernel_is_this_environment():
    """`make lab`'s kernel, python3, runs this environment's Python (the one
    that has the lock and `companion` installed)."""
    spec = json.loads(subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True, check=True
    ).stdout)["kernelspecs"]  # fmt: skip
    argv0 = spec["python3"]["spec"]["argv"][0]
    if argv0 == "python":  # ipykernel's own spec: the server's interpreter
        argv0 = sys.executable
    assert pathlib.Path(argv0).parent == pathlib.Path(sys.executable).parent, (
        argv0
    )
