"""A pytest plugin that `make test` loads first (`-p tools.pytest_startup`).

It halves the start-up of every pytest process of the test run (the main
one, each xdist worker): nbval imports nbformat, nbformat imports jsonschema,
and jsonschema imports rfc3987_syntax if it is installed, which builds a
parser for IRIs on import (about 1.6 s a process on a 2-core machine).
JupyterLab's jupyter_events brings it in for its own "iri" formats; no
notebook schema uses them. Marked unimportable here, jsonschema simply does
not register those two formats, as on a machine without the package.

It must be loaded before nbval (an entry-point plugin), so it is named with
`-p` on the command line; a conftest.py would come too late. Plain `pytest`
works without it, only slower to start.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
