"""Sphinx extension: one book, three editions (en, ko, zh).

For a page under book/<lang>/ it
* sets the page's <html lang="..."> to its edition's language, and
* puts a language switcher at the top of the page, linking to the same page in
  the other two editions (every edition has the same file names).
"""
from __future__ import annotations

import html

EDITIONS = {"en": ("English", "en"), "ko": ("한국어", "ko"), "zh": ("中文", "zh-Hans")}
PREFIX = "book/"


def edition_of(pagename: str):
    """('ko', 'notation') for 'book/ko/notation'; None outside the editions."""
    if not pagename.startswith(PREFIX):
        return None
    parts = pagename[len(PREFIX) :].split("/", 1)
    if len(parts) == 2 and parts[0] in EDITIONS:
        return parts[0], parts[1]
    return None


def switcher_html(app, pagename: str) -> str:
    lang, rest = edition_of(pagename)
    links = []
    for code, (label, bcp47) in EDITIONS.items():
        target = f"{PREFIX}{code}/{rest}"
        if code == lang:
            links.append(f'<span class="edition-current" lang="{bcp47}">{html.escape(label)}</span>')
        elif target in app.env.all_docs:
            uri = app.builder.get_relative_uri(pagename, target)
            links.append(f'<a class="edition-link" href="{uri}" hreflang="{bcp47}" lang="{bcp47}">{html.escape(label)}</a>')
    return '<nav class="edition-switcher" aria-label="Language">' + " · ".join(links) + "</nav>"


def on_page_context(app, pagename, templatename, context, doctree):
    found = edition_of(pagename)
    if not found:
        return
    context["language"] = EDITIONS[found[0]][1]
    if "body" in context:
        context["body"] = switcher_html(app, pagename) + context["body"]


def setup(app):
    app.connect("html-page-context", on_page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
