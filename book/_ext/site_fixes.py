"""Sphinx extension: small fixes to the HTML that the theme stack emits.

Jupyter Book 1 registers sphinx-thebe's inline configuration script twice on
every page, and the second copy throws "Identifier 'THEBE_JS_URL' has already
been declared" in the browser console. Keep the first copy of each script.
"""

from __future__ import annotations


def _key(script):
    """What a script tag does: its file and attributes (inline body included), not its priority."""
    filename = getattr(script, "filename", script)
    attributes = getattr(script, "attributes", {})
    return (
        str(filename or ""),
        tuple(sorted((k, str(v)) for k, v in attributes.items())),
    )


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the list is the builder's own, to which later handlers (MathJax) still add.
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", dedupe_scripts, priority=400)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
