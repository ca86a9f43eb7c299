"""Results over seeds: one training run is an anecdote, five are evidence.

A comparison between trained models (cells, initialisations, learning
rates) is a claim about a distribution. These helpers run one training
function over seeds and settings, keep one row per run, write and read the
record (``book/data/seeds_*.csv``, made by ``tools/experiments.py``), print
it as a table, draw it as a strip plot, and state what it shows in the
words the prose uses: "k of n", "the median".

A row is a dict: ``seed``, the settings of the run (e.g. ``cell``,
``init``), its results (e.g. ``accuracy``) and, in a record, the versions
of the libraries that made it.
"""

from __future__ import annotations

import csv
import pathlib
import platform
import sys
from typing import NamedTuple

import numpy as np

from . import validate


def over_seeds(run, seeds, settings=({},)):
    """Run ``run(seed=s, **setting)`` for every setting and seed.

    run: a function returning a dict of results (numbers) for one run;
    seeds: ints (at least 5 for a claim); settings: dicts of keyword
    arguments, one per compared variant.
    returns a list of rows ``{"seed": s, **setting, **results}``, settings
    in the outer loop, seeds in the inner one.
    """
    seeds = [validate.seed("each of seeds", s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed; got none")
    rows = []
    for setting in settings:
        validate.instance_of("each of settings", setting, dict)
        for seed in seeds:
            results = validate.instance_of(
                "run's result", run(seed=seed, **setting), dict
            )
            rows.append({"seed": seed, **setting, **results})
    return rows


def versions(*modules):
    """Versions of Python and of the named modules, e.g. ("numpy", "torch")."""
    found = {"python": platform.python_version()}
    for name in modules:
        module = sys.modules.get(name) or __import__(name)
        found[name] = module.__version__
    return found


def parse_field(text):
    """A CSV field as an int, a float or the string itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def write_record(path, rows, stamp):
    """Write rows and ``stamp`` (versions, shared settings) as one CSV.

    Every row gets the stamp's columns; floats are written with repr, so
    reading the file back gives the same numbers.
    """
    if not rows:
        raise ValueError("rows must hold at least one row; got none")
    full = [{**row, **stamp} for row in rows]
    columns = list(full[0])
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(full)


def read_record(path):
    """The rows of a record written by ``write_record``, numbers parsed."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(f"path must be a record file; {path} does not exist")
    with open(path, newline="") as f:
        return [
            {k: parse_field(v) for k, v in row.items()}
            for row in csv.DictReader(f)
        ]


def select(rows, **where):
    """The rows whose columns equal every ``where`` value."""
    return [r for r in rows if all(r.get(k) == v for k, v in where.items())]


def values(rows, name, **where):
    """Column ``name`` of the selected rows, ordered by seed: (n,) array."""
    chosen = sorted(select(rows, **where), key=lambda r: r["seed"])
    if not chosen:
        raise ValueError(f"no row matches {where}")
    return np.array([r[name] for r in chosen])


class Count(NamedTuple):
    """k of n runs: ``str`` gives "k of n"."""

    k: int
    n: int

    def __str__(self):
        return f"{self.k} of {self.n}"


def k_of_n(flags):
    """How many of the runs have the property: flags (n,) booleans."""
    flags = np.asarray(flags, dtype=bool).ravel()
    return Count(int(flags.sum()), int(flags.size))


def _label(row, by):
    return ", ".join(str(row[k]) for k in by)


def seed_table(rows, by, name, fmt=".3f"):
    """One line per seed, one column per setting (the ``by`` columns), and
    the median of each column last. returns the table as text."""
    labels = list(dict.fromkeys(_label(r, by) for r in rows))
    seeds = sorted({r["seed"] for r in rows})
    cell = {(_label(r, by), r["seed"]): r[name] for r in rows}
    width = max(8, *(len(lab) + 2 for lab in labels))
    if 7 + width * len(labels) > 79:  # keep within the column if it can
        width -= 1
    lines = [f"{'seed':<7}" + "".join(f"{lab:>{width}}" for lab in labels)]
    for s in seeds:
        lines.append(
            f"{s:<7}"
            + "".join(f"{cell[lab, s]:>{width}{fmt}}" for lab in labels)
        )
    medians = [
        np.median([cell[lab, s] for s in seeds if (lab, s) in cell])
        for lab in labels
    ]
    lines.append(
        f"{'median':<7}" + "".join(f"{m:>{width}{fmt}}" for m in medians)
    )
    return "\n".join(lines)


def plot_seeds(rows, by, name, ax=None, reference=None, ylabel=None):
    """Strip plot: one column per setting, one dot per seed, a bar at the
    median; ``reference`` (e.g. chance) as a dotted line. returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    labels = list(dict.fromkeys(_label(r, by) for r in rows))
    for i, lab in enumerate(labels):
        ys = np.array([r[name] for r in rows if _label(r, by) == lab])
        offsets = np.linspace(-0.15, 0.15, len(ys))
        ax.plot(i + offsets, ys, "o", color="C0", alpha=0.7)
        ax.plot([i - 0.3, i + 0.3], [np.median(ys)] * 2, color="C3", lw=2)
    if reference is not None:
        ax.axhline(reference, color="0.5", linestyle=":", linewidth=1)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel(ylabel or name)
    return ax
