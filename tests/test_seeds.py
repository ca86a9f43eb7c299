import numpy as np
import pytest

from companion import seeds as S


def _run(seed, scale=1.0):
    return {"score": scale * seed, "flag": seed % 2 == 0}


def test_over_seeds_keeps_one_row_per_setting_and_seed():
    rows = S.over_seeds(_run, range(3), [{"scale": 1.0}, {"scale": 2.0}])
    assert [(r["scale"], r["seed"]) for r in rows] == [
        (1.0, 0),
        (1.0, 1),
        (1.0, 2),
        (2.0, 0),
        (2.0, 1),
        (2.0, 2),
    ]
    assert S.values(rows, "score", scale=2.0).tolist() == [0.0, 2.0, 4.0]


def test_over_seeds_refuses_bad_arguments():
    with pytest.raises(ValueError, match="seeds"):
        S.over_seeds(_run, [])
    with pytest.raises(ValueError, match="each of settings"):
        S.over_seeds(_run, [0], [("scale", 1.0)])
    with pytest.raises(ValueError, match="run's result"):
        S.over_seeds(lambda seed: seed, [0])


def test_record_round_trip(tmp_path):
    rows = S.over_seeds(_run, range(5), [{"scale": 0.1}])
    path = tmp_path / "record.csv"
    S.write_record(path, rows, {"numpy": np.__version__})
    back = S.read_record(path)
    assert [r["score"] for r in back] == [r["score"] for r in rows]
    assert back[0]["numpy"] == np.__version__ and back[3]["seed"] == 3
    with pytest.raises(ValueError, match="does not exist"):
        S.read_record(tmp_path / "missing.csv")


def test_k_of_n_counts_and_prints():
    count = S.k_of_n([True, False, True, True, False])
    assert count == (3, 5) and str(count) == "3 of 5"


def test_seed_table_has_a_median_row():
    rows = S.over_seeds(_run, range(5), [{"scale": 1.0}, {"scale": 3.0}])
    table = S.seed_table(rows, ["scale"], "score", fmt=".1f")
    lines = table.splitlines()
    assert lines[0].split() == ["seed", "1.0", "3.0"]
    assert lines[-1].split() == ["median", "2.0", "6.0"]
    assert len(lines) == 7


def test_plot_seeds_draws_every_run(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    rows = S.over_seeds(_run, range(5), [{"scale": 1.0}, {"scale": 3.0}])
    ax = S.plot_seeds(rows, ["scale"], "score", reference=0.5)
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert sum(len(d.get_xdata()) for d in dots) == 10
