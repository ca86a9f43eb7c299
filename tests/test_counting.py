import pytest

from companion import breakdown_table, count_params, param_breakdown


def test_worked_example_of_s3_is_18_per_gate_and_72_in_all():
    rows = param_breakdown("lstm", input_dim=2, units=3)
    assert [r.total for r in rows] == [18, 18, 18, 18]
    assert all(r.weight_shape == (3, 5) for r in rows)
    assert count_params("lstm", 2, 3) == 72
    table = breakdown_table("lstm", 2, 3)
    assert table.splitlines()[-1].split()[-1] == "72"
    assert "forget gate f" in table


@pytest.mark.parametrize(
    "kind, D, H, keras, torch",
    [
        ("lstm", 3, 4, 128, 144),  # S3: 4*(4*7+4)
        ("rnn", 10, 3, 42, 45),  # S5: 3*10 + 3*3 + 3
        ("rnn", 1, 128, 16640, 16768),  # S2's first cell
        ("dense", 4, 2, 10, 10),
    ],
)
def test_known_counts(kind, D, H, keras, torch):
    assert count_params(kind, D, H) == keras
    assert count_params(kind, D, H, framework="torch") == torch


def test_general_formula_over_many_sizes():
    for D in range(1, 12):
        for H in range(1, 12):
            assert count_params("lstm", D, H) == 4 * (H * (H + D) + H)
            assert count_params("lstm", D, H, "torch") - count_params("lstm", D, H) == 4 * H
            assert count_params("rnn", D, H) == H * D + H * H + H


@pytest.mark.parametrize(
    "args, message",
    [
        (("gru", 3, 4), "kind must be one of 'rnn', 'lstm', 'dense'; got 'gru'"),
        (("lstm", 0, 4), "input_dim must be a positive integer; got 0"),
        (("lstm", 3, 4.0), "units must be a positive integer; got 4.0"),
        (("lstm", 3, 4, "jax"), "framework must be one of 'keras', 'torch'; got 'jax'"),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        count_params(*args)
