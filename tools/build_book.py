"""`make book`: build the site, one Sphinx build per edition plus the language picker.

Sphinx has one interface language per build, so the book is built four times
from the one `_config.yml` and `_toc.yml` at the top of the repository:

* each edition (en, ko, zh) from its own folder `book/<lang>/`, with the
  sections (or parts, `subtrees` with a caption) that `_toc.yml` nests under `book/<lang>/index`, its own `language`
  (ko, zh_CN) and localised title, into `_build/html/<lang>/`; the theme's
  strings, the search page and its index are then that edition's own;
* the root picker `book/index.md` into `_build/html/index.html`.

The generated per-edition `_config.yml` and `_toc.yml` are written to
`_build/editions/<lang>/` (read them to see what each build got). Every build
is strict: Sphinx warnings are errors (-W), references are checked (-n), and all
problems are listed before it fails (--keep-going), as `jupyter-book build . -W
-n --keep-going` does.

    python tools/build_book.py             # render the stored outputs (nbval checked them)
    python tools/build_book.py --execute   # execute every notebook again while building
    python tools/build_book.py ko          # one edition only (the picker is always built)
"""

from __future__ import annotations

import copy
import hashlib
import os
import pathlib
import shutil
import sys
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
EXT = BOOK / "_ext"

sys.path.insert(0, str(EXT))
import editions  # noqa: E402  (a Sphinx extension of the book: book/_ext)


def edition_toc(toc: dict, lang: str) -> dict:
    """The sections that _toc.yml nests under book/<lang>/index, as a book of their own.

    Sections grouped in `subtrees` (each with a `caption`) become the parts of
    that book, the captions its part titles in the sidebar.
    """
    for chapter in toc.get("chapters", []):
        if chapter.get("file") == f"book/{lang}/index":
            prefix = f"book/{lang}/"

            def strip(entries, prefix=prefix):
                out = []
                for entry in entries:
                    entry = dict(entry)
                    if not entry["file"].startswith(prefix):
                        raise SystemExit(
                            f"_toc.yml: {entry['file']} is listed under book/{lang}/index"
                        )
                    entry["file"] = entry["file"][len(prefix) :]
                    if "sections" in entry:
                        entry["sections"] = strip(entry["sections"], prefix)
                    out.append(entry)
                return out

            if "subtrees" in chapter:
                # The edition's parts: one caption (in its language) each.
                return {
                    "format": "jb-book",
                    "root": "index",
                    "parts": [
                        {
                            "caption": part["caption"],
                            "chapters": strip(part["sections"]),
                        }
                        for part in chapter["subtrees"]
                    ],
                }
            return {
                "format": "jb-book",
                "root": "index",
                "chapters": strip(chapter.get("sections", [])),
            }
    raise SystemExit(f"_toc.yml has no chapter book/{lang}/index")


def edition_config(config: dict, lang: str | None, execute: bool) -> dict:
    """_config.yml for one build: paths made absolute, the edition's language and title."""
    cfg = copy.deepcopy(config)
    sphinx = cfg.setdefault("sphinx", {})
    sconf = sphinx.setdefault("config", {})
    sphinx["local_extensions"] = {
        name: str((ROOT / path).resolve())
        for name, path in sphinx.get("local_extensions", {}).items()
    }
    cfg["bibtex_bibfiles"] = [
        str((ROOT / p).resolve()) for p in cfg.get("bibtex_bibfiles", [])
    ]
    html_cfg = cfg.setdefault("html", {})
    if html_cfg.get("favicon"):
        html_cfg["favicon"] = str((ROOT / html_cfg["favicon"]).resolve())
    cfg["exclude_patterns"] = [
        "_build",
        "**/.ipynb_checkpoints",
        "_ext",
        "_static",
        "data",
    ]
    if lang is None:
        # The picker is built from book/: JB adds book/_static and its files itself.
        for key in ("html_static_path", "html_css_files", "html_js_files"):
            sconf.pop(key, None)
        cfg["exclude_patterns"] += list(editions.EDITIONS)
    else:
        sconf["html_static_path"] = [
            str((ROOT / p).resolve())
            for p in sconf.get("html_static_path", [])
        ]
        info = editions.EDITIONS[lang]
        sconf["language"] = info["sphinx_language"]
        cfg["title"] = info["title"]
        cfg["author"] = info["author"]
        cfg.setdefault("repository", {})["path_to_book"] = f"book/{lang}"
    # Sphinx re-reads every page when the extensions change (not only the config).
    sconf["editions_source_hash"] = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(EXT.glob("*.py")))
    ).hexdigest()[:16]
    # `sphinx: config: html_theme_options` replaces the theme options Jupyter Book
    # derives from `repository:` and `launch_buttons:`; merge those back in. The
    # repository button (and the chapters' link) appear once `repository: url:` is set.
    theme = sconf.setdefault("html_theme_options", {})
    repo = cfg.get("repository") or {}
    if cfg.get("launch_buttons"):
        theme.setdefault("launch_buttons", cfg["launch_buttons"])
    if repo.get("url"):
        cfg.setdefault("html", {})["use_repository_button"] = True
        theme.update(
            repository_url=repo["url"],
            repository_branch=repo.get("branch", "main"),
            path_to_docs=repo.get("path_to_book", ""),
            use_repository_button=True,
        )
    if execute:
        cfg.setdefault("execute", {})["execute_notebooks"] = "force"
    return cfg


def build_one(
    name: str, srcdir: pathlib.Path, outdir: pathlib.Path, cfg: dict, toc: dict
) -> int:
    """One strict Sphinx build through Jupyter Book (as `jupyter-book build -W -n --keep-going`)."""
    import sphinx.locale
    from jupyter_book.sphinx import build_sphinx

    gen = BUILD / "editions" / name
    gen.mkdir(parents=True, exist_ok=True)
    (gen / "_config.yml").write_text(
        yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    (gen / "_toc.yml").write_text(
        yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    # Translations are process-wide in Sphinx: start each build with none loaded.
    sphinx.locale.translators.clear()
    return build_sphinx(
        srcdir,
        outdir,
        noconfig=True,
        path_config=str(gen / "_config.yml"),
        confoverrides={
            "external_toc_path": str(gen / "_toc.yml"),
            "latex_individualpages": False,
            "nitpicky": True,
        },
        doctreedir=str(gen / ".doctrees"),
        builder="html",
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )


def main(argv: list[str]) -> int:
    execute = "--execute" in argv
    wanted = [a for a in argv if not a.startswith("-")] or list(
        editions.EDITIONS
    )
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    SITE.mkdir(parents=True, exist_ok=True)
    # The site of the one-build layout (before the editions were built apart).
    shutil.rmtree(SITE / "book", ignore_errors=True)
    failed = []
    for lang in wanted:
        start = time.time()
        # Sphinx writes to _build/editions/<lang>/html (its own jupyter_execute
        # beside it); the site gets that folder as _build/html/<lang>, moved back
        # for the next build so that it stays incremental.
        work = BUILD / "editions" / lang / "html"
        placed = SITE / lang
        if placed.is_dir() and not work.exists():
            work.parent.mkdir(parents=True, exist_ok=True)
            os.replace(placed, work)
        status = build_one(
            lang,
            BOOK / lang,
            work,
            edition_config(config, lang, execute),
            edition_toc(toc, lang),
        )
        if placed.exists():
            shutil.rmtree(placed)
        if work.is_dir():
            os.replace(work, placed)
        print(
            f"== edition {lang}: {'ok' if status == 0 else 'FAILED'} ({time.time() - start:.1f} s)",
            flush=True,
        )
        if status != 0:
            failed.append(lang)
    start = time.time()
    picker_toc = {
        "format": "jb-book",
        "root": toc["root"].removeprefix("book/"),
    }
    status = build_one(
        "root", BOOK, SITE, edition_config(config, None, execute), picker_toc
    )
    print(
        f"== language picker: {'ok' if status == 0 else 'FAILED'} ({time.time() - start:.1f} s)",
        flush=True,
    )
    if status != 0:
        failed.append("root")
    if failed:
        print(f"build failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
