import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import breakdown_table, count_params, param_breakdown

kinds_and_sizes = st.tuples(
    st.sampled_from(["rnn", "lstm", "dense"]),
    st.integers(1, 40),
    st.integers(1, 40),
)


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


#: kind -> (the Keras layer, the PyTorch module), by class name
LAYERS = {
    "rnn": ("SimpleRNN", "RNN"),
    "lstm": ("LSTM", "LSTM"),
    "dense": ("Dense", "Linear"),
}


def keras_count(kind, D, H):
    """The trainable parameters of the built Keras layer."""
    keras = pytest.importorskip("keras")
    layer = getattr(keras.layers, LAYERS[kind][0])(H)
    layer.build((None, D) if kind == "dense" else (None, None, D))
    return layer.count_params()


def torch_count(kind, D, H):
    """The parameters of the PyTorch module."""
    torch = pytest.importorskip("torch")
    module = getattr(torch.nn, LAYERS[kind][1])(D, H)
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(
    "framework, framework_count",
    [("keras", keras_count), ("torch", torch_count)],
)
@settings(max_examples=25, deadline=None)
@given(kinds_and_sizes)
def test_frameworks_count_the_same(framework, framework_count, case):
    kind, D, H = case
    assert count_params(kind, D, H, framework=framework) == framework_count(
        kind, D, H
    )


@settings(max_examples=25, deadline=None)
@given(kinds_and_sizes, st.sampled_from(["keras", "torch"]))
def test_breakdown_adds_up_to_the_count(case, framework):
    kind, D, H = case
    rows = param_breakdown(kind, D, H, framework)
    assert sum(r.total for r in rows) == count_params(kind, D, H, framework)
    assert all(r.n_weights + r.n_biases == r.total for r in rows)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("cnn", 3, 4),
            "kind must be one of 'rnn', 'lstm', 'gru', 'mingru', 'minlstm', "
            "'dense'; got 'cnn'",
        ),
        (
            ("lstm", 3, 4, "keras", False),
            "reset_after is for kind='gru' only; got kind='lstm'",
        ),
        (
            ("gru", 3, 4, "torch", False),
            "reset_after=False has no PyTorch layer",
        ),
        (
            ("gru", 3, 4, "keras", 1),
            "reset_after must be True or False; got 1",
        ),
        (("lstm", 0, 4), "input_dim must be a positive integer; got 0"),
        (("lstm", 3, 4.0), "units must be a positive integer; got 4.0"),
        (
            ("lstm", 3, 4, "jax"),
            "framework must be one of 'keras', 'torch'; got 'jax'",
        ),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        count_params(*args)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40))
def test_min_cells_count_their_input_blocks_only(D, H):
    pytest.importorskip("torch")
    from companion.torch_mingru import MinGRU

    module = MinGRU(D, H)
    n_torch = sum(p.numel() for p in module.parameters())
    for framework in ("keras", "torch"):
        assert count_params("mingru", D, H, framework) == n_torch
        assert count_params("minlstm", D, H, framework) == 3 * (H * D + H)
    rows = param_breakdown("minlstm", D, H)
    assert [r.part for r in rows] == [
        "input gate i",
        "forget gate f",
        "candidate g",
    ]
    assert all(r.weight_shape == (H, D) and r.n_biases == H for r in rows)
