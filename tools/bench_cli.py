"""The command-line options that tools/bench_run.py and tools/bench_breakdown.py share.

Both scripts time presets of sizes over repeated rounds at a thread count and
write a CSV whose ``# key: value`` header describes the machine; each adds
its own options after these.
"""

from __future__ import annotations

import argparse


def bench_parser(
    doc,
    *,
    sizes,
    reps_help,
    threads,
    threads_help,
    out,
    out_help=None,
    note_help="free text stored in the CSV header",
):
    """An ArgumentParser described by the first paragraph of ``doc`` (the
    script's docstring), with --sizes, --reps (default 5), --threads, --out
    and --note; the keywords give each script's defaults and help texts."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default=sizes,
        help="comma-separated presets: tiny, small, medium, large, or all",
    )
    ap.add_argument("--reps", type=int, default=5, help=reps_help)
    ap.add_argument("--threads", type=int, default=threads, help=threads_help)
    ap.add_argument("--out", default=out, help=out_help)
    ap.add_argument("--note", default="", help=note_help)
    return ap
