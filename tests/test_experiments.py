"""Each recorded experiment (book/data/seeds_*.csv, tools/experiments.py)
reproduces: one recorded run of each, trained again here, gives the
recorded numbers to the digits its chapter prints."""

import pytest

from companion import seeds as S

experiments = pytest.importorskip("experiments")  # tools/ is on sys.path

#: the one run each experiment re-trains: (seed, setting, shortening), where
#: the shortening re-runs a prefix of the recorded run (its first 25 epochs)
CHECKED = {
    "gru_init": (1, {"cell": "gru", "init": "torch"}),
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
    _, settings, digits, _ = experiments.EXPERIMENTS[name]
    rows = S.read_record(experiments.record_path(name))
    for setting in settings:
        seeds = sorted(r["seed"] for r in S.select(rows, **setting))
        assert seeds == list(range(5)), setting
    assert {"python", "numpy"} <= set(rows[0]) and set(digits) <= set(rows[0])


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_one_recorded_run_reproduces(name):
    run, _, digits, libraries = experiments.EXPERIMENTS[name]
    for library in libraries:
        pytest.importorskip(library)
    seed, setting, *shorter = CHECKED[name]
    (recorded,) = S.select(
        S.read_record(experiments.record_path(name)), seed=seed, **setting
    )
    again = run(seed=seed, **setting, **(shorter[0] if shorter else {}))
    assert again, "the re-run returned no results"
    for column, d in digits.items():
        if column not in again:  # past the end of a shortened re-run
            continue
        assert f"{again[column]:.{d}f}" == f"{recorded[column]:.{d}f}", column
