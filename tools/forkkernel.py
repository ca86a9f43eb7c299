"""Start Jupyter kernels by forking a process that has already imported the
heavy libraries (a "zygote"), for `make test`.

A chapter's first cell imports TensorFlow and PyTorch: about 6 s of CPU in
every fresh kernel, most of what a notebook costs the tests. A zygote pays it
once per test worker; each kernel is then a fork of it, with the modules
already loaded and nothing else done (no model built, no op run, no seed
drawn). The chapter's own code runs exactly as in a fresh kernel: its first
cell still calls `setup_notebook`, which seeds every generator and sets every
option; and nbval still compares every output with the stored one (written by
`make execute` from plain fresh kernels), so a difference fails the test.

Three commands:

    forkkernel.py serve SOCKET MODULES [SOCKET MODULES ...]
                                         the zygotes: import MODULES (comma-
                                         separated), then fork a kernel for
                                         each request on the Unix SOCKET; a
                                         zygote whose MODULES extend
                                         another's is a fork of it (each
                                         library imported once); they exit
                                         when their stdin closes
    forkkernel.py launch -f FILE         what the kernelspec runs: asks the
                                         zygote named by $FORKKERNEL_SOCKET
                                         for a kernel on connection FILE,
                                         hands it this process's stdin/out/err,
                                         passes signals on to it and exits
                                         with its exit code
    forkkernel.py python ARGS...         the same for `python ARGS` (a script
                                         or -c CODE) instead of a kernel: a
                                         test's subprocess that needs the
                                         libraries, without importing them

The root conftest.py starts the zygotes and points nbval at `launch`
(NBVAL_FORK_KERNELS=0 turns this off: every kernel a fresh process).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

SOCKET_ENV = "FORKKERNEL_SOCKET"
LAUNCHER = "ipykernel_launcher"
_ENV_TRAITS = {
    "parent_handle": "JPY_PARENT_PID",
    "interrupt": "JPY_INTERRUPT_EVENT",
}
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def socket_path(directory, modules):
    """Where the zygote for `modules` (a list of names) listens in directory:
    the file's name lists them, for zygote_with to read back."""
    return os.path.join(directory, "+".join(modules) + ".sock")


def plan(directory, module_sets):
    """The (socket, modules) targets for `serve`, one per set (each a comma-
    separated list), each marked in directory with a `<socket>.wanted` file
    before the zygotes start, so that zygote_with can wait for one."""
    targets = []
    for modules in sorted(module_sets):
        path = socket_path(directory, modules.split(","))
        open(path + ".wanted", "w").close()
        targets.append((path, modules))
    return targets


def zygote_with(directory, modules):
    """The socket of the zygote planned in directory that imports every one
    of `modules`, the one with the fewest libraries (None: none was planned).
    Waits while it is still importing, up to 300 s; RuntimeError if its
    import failed or it never started."""
    import glob
    import time

    found = []
    for marker in glob.glob(os.path.join(glob.escape(directory), "*.wanted")):
        path = marker[: -len(".wanted")]
        names = os.path.basename(path)[: -len(".sock")].split("+")
        if set(modules) <= set(names):
            found.append((len(names), path))
    if not found:
        return None
    path = min(found)[1]
    for _ in range(3000):
        if os.path.exists(path):
            return path
        if os.path.exists(path + ".failed"):
            with open(path + ".failed") as failed:
                raise RuntimeError(
                    f"the kernel zygote for {','.join(modules)} failed:\n"
                    + failed.read()
                )
        time.sleep(0.1)
    raise RuntimeError(
        f"the kernel zygote for {','.join(modules)} did not start"
    )


def launch(args, mode="args"):
    """The kernel process jupyter_client starts (a stand-in for the fork);
    with mode "python", the stand-in for `python args`."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(os.environ[SOCKET_ENV])
    env = {k: v for k, v in os.environ.items() if k != SOCKET_ENV}
    request = {mode: args, "cwd": os.getcwd(), "env": env}
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    replies = conn.makefile("r")
    pid = int(replies.readline())
    for sig in _FORWARDED:
        signal.signal(sig, lambda signum, _frame: os.kill(pid, signum))
    line = replies.readline()  # "exit CODE" when the kernel ends
    return int(line.split()[1]) if line.startswith("exit ") else 1


def _kernel(request, fds, close):
    """In the forked child: become the kernel ipykernel_launcher would start
    (or, for a "python" request, run what `python ARGS` would)."""
    for fd in close:
        os.close(fd)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    code = 0
    try:
        if "python" in request:
            _python(request["python"])
            return
        sys.argv = [LAUNCHER, *request["args"]]
        from ipykernel import kernelapp

        # ipykernel reads these from the environment when it is imported (in
        # the zygote): give it this kernel's values
        config = [
            f"--IPKernelApp.{name}={int(os.environ.get(variable) or 0)}"
            for name, variable in _ENV_TRAITS.items()
        ]
        kernelapp.launch_new_instance(argv=[*request["args"], *config])
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:  # sys.exit("message"), as python reports it
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - report, then end this process
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _python(args):
    """Run `python ARGS` in this process: `-c CODE [ARG ...]` or
    `SCRIPT [ARG ...]`, as __main__, with python's sys.argv and sys.path[0]."""
    if args[:1] == ["-c"] and len(args) >= 2:
        sys.argv = ["-c", *args[2:]]
        sys.path.insert(0, "")
        main = {"__name__": "__main__", "__builtins__": __builtins__}
        exec(compile(args[1], "<string>", "exec"), main)
    elif args and not args[0].startswith("-"):
        import runpy

        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
        runpy.run_path(args[0], run_name="__main__")
    else:
        raise SystemExit(f"forkkernel.py python: cannot run {args!r}")


def serve(targets):
    """The zygotes: for each (socket path, modules), a process that has
    imported those modules and forks a kernel per request on its socket.

    A zygote whose modules extend another's is forked from it after the
    shared ones are imported (numpy, ... then +tensorflow, then +torch), so
    each library is imported once. The first process imports what all
    targets share and serves the target that needs no more, if there is one.
    """
    # as `python -m ipykernel_launcher` has it: no script folder on sys.path
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(
        os.path.abspath(__file__)
    ):
        del sys.path[0]
    # what ipykernel sets before a notebook's first line (matplotlib's backend)
    os.environ.setdefault(
        "MPLBACKEND", "module://matplotlib_inline.backend_inline"
    )
    targets = [
        (path, ["ipykernel.kernelapp", *mods]) for path, mods in targets
    ]
    common = os.path.commonprefix([mods for _, mods in targets])
    try:
        try:  # what every chapter's first cell does before importing TF
            from companion.notebook import quiet_tensorflow

            quiet_tensorflow()
        except ImportError:
            pass
        _import(common, [path for path, _ in targets])
    except BaseException:
        return 1
    here = next((path for path, mods in targets if mods == common), None)
    return _tree(here, common, targets)


def _import(modules, paths):
    """Import modules; on failure, say why next to each socket in paths."""
    import importlib

    try:
        for name in modules:
            importlib.import_module(name)
    except BaseException:
        import traceback

        for path in paths:  # whole or not at all: the client reads it
            with open(path + ".failed.tmp", "w") as failed:
                failed.write(traceback.format_exc())
            os.replace(path + ".failed.tmp", path + ".failed")
        raise


def _extends(longer, shorter):
    """Whether the module list `longer` is `shorter` and more."""
    return len(longer) > len(shorter) and longer[: len(shorter)] == shorter


def _tree(path, modules, targets):
    """In a process that has imported `modules`: fork a zygote for each
    target that needs more, serve on path (None: serve nothing)."""
    below = [t for t in targets if _extends(t[1], modules)]
    for child_path, child_modules in below:
        if any(_extends(child_modules, o[1]) for o in below):
            continue  # a fork of a zygote below this one, not of this one
        if os.fork() == 0:
            try:
                under = [t for t in below if _extends(t[1], child_modules)]
                _import(
                    child_modules[len(modules) :],
                    [child_path] + [p for p, _ in under],
                )
                code = _tree(child_path, child_modules, under) or 0
            except BaseException:
                code = 1
            os._exit(code)
    if path is None:  # nothing to serve here: wait for the session's end
        while os.read(sys.stdin.fileno(), 4096):
            pass
        return 0
    return _serve(path)


def _serve(path):
    """Fork a kernel for each request on the Unix socket path."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    listener.listen(16)
    os.rename(path + ".tmp", path)  # the socket appears once it listens
    clients = {}  # client socket -> pidfd
    kernels = {}  # pidfd -> (pid, client socket)
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select(
            [listener, stdin, *clients, *kernels], [], []
        )
        for item in ready:
            if item == stdin:  # the test session has ended: so do we
                if not os.read(stdin, 4096):
                    for pid, _ in kernels.values():
                        _kill(pid)
                    return
            elif item is listener:
                client, _ = listener.accept()
                data, fds, _, _ = socket.recv_fds(client, 1 << 22, 3)
                while not data.endswith(b"\n"):
                    data += client.recv(1 << 22)
                pid = os.fork()
                if pid == 0:
                    keep = set(fds)
                    close = [listener.fileno(), client.fileno(), stdin]
                    close += [c.fileno() for c in clients]
                    close += list(kernels)
                    _kernel(
                        json.loads(data),
                        fds,
                        [f for f in close if f not in keep],
                    )
                for fd in fds:
                    os.close(fd)
                client.sendall(f"{pid}\n".encode())
                pidfd = os.pidfd_open(pid)
                clients[client] = pidfd
                kernels[pidfd] = (pid, client)
            elif item in clients:  # the launcher has ended: end its kernel
                if not item.recv(1):
                    pidfd = clients.pop(item)
                    _kill(kernels[pidfd][0])
                    kernels[pidfd] = (kernels[pidfd][0], None)
                    item.close()
            elif item in kernels:  # a kernel has ended
                pid, client = kernels.pop(item)
                _, status = os.waitpid(pid, 0)
                os.close(item)
                if client is not None:
                    code = os.waitstatus_to_exitcode(status)
                    try:
                        client.sendall(f"exit {code}\n".encode())
                    except OSError:
                        pass
                    clients.pop(client, None)
                    client.close()


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(argv):
    if argv[:1] == ["serve"] and len(argv) >= 3 and len(argv) % 2 == 1:
        pairs = zip(argv[1::2], argv[2::2])
        return serve([(p, list(filter(None, m.split(",")))) for p, m in pairs])
    if argv[:1] == ["launch"]:
        return launch(argv[1:])
    if argv[:1] == ["python"] and len(argv) >= 2:
        return launch(argv[1:], mode="python")
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
