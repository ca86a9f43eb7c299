"""Each recorded experiment (book/data/seeds_*.csv, tools/experiments.py)
reproduces: one recorded run of each, trained again here, gives the
recorded numbers to the digits its chapter prints, and every row carries
the fixed settings and run conditions the experiment states."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

from companion import seeds as S

experiments = pytest.importorskip("experiments")  # tools/ is on sys.path

#: the one run each experiment re-trains: (seed, setting, shortening), where
#: the shortening re-runs a prefix of the recorded run. keras_scale_lr is
#: re-trained for its first 25 of 100 epochs (a few seconds): its loss_10,
#: loss_25 and right_25 are checked here, its 100-epoch columns are not.
CHECKED = {
    "gru_init": (
        1,
        {"cell": "gru", "init": "torch", "forget_bias": "default"},
    ),
    "recall_gap": (1, {"cell": "lstm", "k": 40, "forget_bias": 1.0}),
    "lm_budget": (1, {"cell": "gru"}),
    "keras_scale_lr": (1, {"inputs": "raw", "lr": 0.03}, {"epochs": 25}),
    "sunspots": (1, {}),
    "sine": (1, {}),
}


def test_every_experiment_is_checked():
    assert set(CHECKED) == set(experiments.EXPERIMENTS)


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_record_has_five_seeds_of_every_setting(name):
    e = experiments.EXPERIMENTS[name]
    rows = S.read_record(experiments.record_path(name))
    for setting in e.settings:
        seeds = sorted(r["seed"] for r in S.select(rows, **setting))
        assert seeds == list(range(5)), setting
    assert len(rows) == 5 * len(e.settings)
    assert {"python", *e.libraries} <= set(rows[0])
    assert set(e.digits) <= set(rows[0])
    assert not set(e.fixed) & {k for s in e.settings for k in s}
    # every row states the fixed settings and the run conditions
    shared = {**e.fixed, **experiments.CONDITIONS}
    if "tensorflow" in e.libraries:
        shared["tf_enable_onednn_opts"] = 0
    assert all(S.select([r], **shared) for r in rows), shared


def _run_in_fresh_process(name, kwargs):
    """run(**kwargs) of experiment ``name`` in a new Python process, for
    TensorFlow, whose thread counts can be set only before it first runs."""
    tools = pathlib.Path(experiments.__file__).resolve().parent
    path = [str(tools.parent), str(tools), os.environ.get("PYTHONPATH", "")]
    code = (
        "import json, sys, experiments\n"
        "name, kwargs = json.loads(sys.argv[1])\n"
        "out = experiments.EXPERIMENTS[name].run(**kwargs)\n"
        "print('RESULT', json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps([name, kwargs])],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(path)},
        check=True,
    )
    (last,) = [s for s in done.stdout.splitlines() if s.startswith("RESULT")]
    return json.loads(last.removeprefix("RESULT "))


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_one_recorded_run_reproduces(name):
    e = experiments.EXPERIMENTS[name]
    for library in e.libraries:
        pytest.importorskip(library)
    seed, setting, *shorter = CHECKED[name]
    (recorded,) = S.select(
        S.read_record(experiments.record_path(name)), seed=seed, **setting
    )
    kwargs = {"seed": seed, **setting, **e.fixed, **(shorter or [{}])[0]}
    if "tensorflow" in e.libraries:
        again = _run_in_fresh_process(name, kwargs)
    else:
        again = e.run(**kwargs)
    assert again, "the re-run returned no results"
    for column, d in e.digits.items():
        if column not in again:  # past the end of a shortened re-run
            continue
        assert f"{again[column]:.{d}f}" == f"{recorded[column]:.{d}f}", column
