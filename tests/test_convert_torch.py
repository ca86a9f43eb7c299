import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import companion
from companion import LSTMParams, RNNParams
from companion.convert import (
    from_torch,
    stacked_from_torch,
    stacked_to_torch,
    to_torch,
)
from companion.stacked import stacked_forward, stacked_param_count

sizes = st.tuples(
    st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31 - 1)
)
#: the torch.nn module of each kind, by name, and its parameters
MODULES = {
    "rnn": ("RNN", RNNParams),
    "rnn_cell": ("RNNCell", RNNParams),
    "lstm": ("LSTM", LSTMParams),
    "lstm_cell": ("LSTMCell", LSTMParams),
}


@pytest.mark.parametrize("kind", MODULES)
@settings(max_examples=10, deadline=None)
@given(sizes)
def test_params_to_module_to_params_is_exact(nn, kind, size):
    D, H, seed = size
    module_name, params_cls = MODULES[kind]
    module_cls = getattr(nn, module_name)
    params = params_cls.random(
        D, H, np.random.default_rng(seed), dtype=np.float32
    )
    back = from_torch(to_torch(params, module_cls(D, H)))
    assert type(back) is params_cls
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)


@pytest.mark.parametrize("kind", MODULES)
@settings(max_examples=10, deadline=None)
@given(sizes)
def test_module_to_params_to_module_keeps_the_function(torch, nn, kind, size):
    D, H, seed = size
    module_name, _ = MODULES[kind]
    module_cls = getattr(nn, module_name)
    torch.manual_seed(seed)
    module = module_cls(D, H)
    copy = to_torch(from_torch(module), module_cls(D, H))
    # weights survive exactly; the two biases only as their sum
    assert torch.equal(
        copy.state_dict()[_name(module, "weight_ih")],
        module.state_dict()[_name(module, "weight_ih")],
    )
    b_sum = (
        module.state_dict()[_name(module, "bias_ih")]
        + module.state_dict()[_name(module, "bias_hh")]
    )
    assert torch.allclose(copy.state_dict()[_name(module, "bias_ih")], b_sum)
    assert not copy.state_dict()[_name(module, "bias_hh")].any()
    x = torch.from_numpy(
        np.random.default_rng(seed).standard_normal((3, D)).astype(np.float32)
    )
    with torch.no_grad():
        a, b = module(x), copy(x)
    a, b = (v[0] if isinstance(v, tuple) else v for v in (a, b))
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def _name(module, stem):
    from torch import nn

    return stem + ("_l0" if isinstance(module, (nn.RNN, nn.LSTM)) else "")


def test_modules_match_the_numpy_reference(torch, nn):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6, 3)).astype(np.float32)  # (N, T, D)
    torch.manual_seed(0)
    rnn, lstm = nn.RNN(3, 5, batch_first=True), nn.LSTM(3, 5, batch_first=True)
    with torch.no_grad():
        out_rnn, _ = rnn(torch.from_numpy(x))
        out_lstm, _ = lstm(torch.from_numpy(x))
    np.testing.assert_allclose(
        out_rnn.numpy(),
        companion.rnn_forward(x, from_torch(rnn))[0],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        out_lstm.numpy(),
        companion.lstm_forward(x, from_torch(lstm))[0],
        atol=1e-5,
    )


def test_module_without_bias(nn):
    rnn = nn.RNN(2, 3, bias=False)
    params = from_torch(rnn)
    assert not params.b_h.any()
    to_torch(params, rnn)
    with pytest.raises(ValueError, match="bias must be zero"):
        to_torch(RNNParams.random(2, 3, np.random.default_rng(0)), rnn)


@pytest.mark.parametrize(
    "module, message",
    [
        (
            lambda nn: nn.LSTM(2, 3, num_layers=2),
            "single-layer, one-directional nn.LSTM.*stacked_from_torch",
        ),
        (
            lambda nn: nn.RNN(2, 3, bidirectional=True),
            "one-directional nn.RNN; got num_layers=1, bidirectional=True",
        ),
        (lambda nn: nn.RNN(2, 3, nonlinearity="relu"), "nonlinearity='tanh'"),
        (lambda nn: nn.LSTM(2, 3, proj_size=2), "proj_size=0"),
        (
            lambda nn: nn.Conv1d(2, 3, 1),
            "must be one of nn.RNN, nn.RNNCell, nn.LSTM, nn.LSTMCell, nn.GRU, nn.GRUCell; got Conv1d",
        ),
        (lambda nn: nn.Linear(2, 3), "got Linear"),
    ],
)
def test_unsupported_modules_are_refused(nn, module, message):
    with pytest.raises(ValueError, match=message):
        from_torch(module(nn))


def test_to_torch_checks_kind_and_shape(nn):
    rng = np.random.default_rng(0)
    with pytest.raises(
        ValueError,
        match="params must be an LSTMParams for LSTMCell; got RNNParams",
    ):
        to_torch(RNNParams.random(2, 3, rng), nn.LSTMCell(2, 3))
    with pytest.raises(
        ValueError,
        match=r"params must have D=2 and H=3 to match RNN \(weight_ih_l0\); got D=4, H=3",
    ):
        to_torch(RNNParams.random(4, 3, rng), nn.RNN(2, 3))


# ---- stacked and bidirectional modules --------------------------------------------------


def _torch_module(cell, D, H, L, bidirectional):
    import torch

    torch.manual_seed(0)
    cls = torch.nn.RNN if cell == "rnn" else torch.nn.LSTM
    return cls(
        D, H, num_layers=L, bidirectional=bidirectional, batch_first=True
    ).double()


@settings(max_examples=12, deadline=None)
@given(
    cell=st.sampled_from(["rnn", "lstm"]),
    D=st.integers(1, 4),
    H=st.integers(1, 4),
    L=st.integers(1, 3),
    bidirectional=st.booleans(),
)
def test_matches_torch_module(torch, cell, D, H, L, bidirectional):
    module = _torch_module(cell, D, H, L, bidirectional)
    x = np.random.default_rng(5).standard_normal((2, 4, D))
    with torch.no_grad():
        out, h_n = module(torch.from_numpy(x))
    h_n = h_n[0] if cell == "lstm" else h_n  # (L * directions, N, H)
    layers = stacked_from_torch(module)
    assert len(layers) == L
    hs, finals = stacked_forward(x, layers, cell, bidirectional=bidirectional)
    np.testing.assert_allclose(hs, out.numpy(), atol=1e-12)
    h_T = [f[0] if cell == "lstm" else f for f in finals]
    np.testing.assert_allclose(np.stack(h_T), h_n.numpy(), atol=1e-12)
    params = sum(p.numel() for p in module.parameters())
    assert params == stacked_param_count(
        cell, D, H, L, bidirectional, framework="torch"
    )


@pytest.mark.parametrize("bidirectional", [False, True])
def test_to_torch_round_trip_is_exact(torch, random_layers, bidirectional):
    rng = np.random.default_rng(6)
    layers = random_layers("lstm", 3, 2, 2, rng, bidirectional)
    module = stacked_to_torch(
        layers, _torch_module("lstm", 3, 2, 2, bidirectional)
    )
    back = stacked_from_torch(module)

    def flat(ls):
        return [
            p for level in ls for p in (level if bidirectional else (level,))
        ]

    for a, b in zip(flat(layers), flat(back)):
        for name, value in a.as_dict().items():
            np.testing.assert_array_equal(b.as_dict()[name], value)
    assert not module.bias_hh_l1.detach().numpy().any()
    x = rng.standard_normal((2, 5, 3))
    with torch.no_grad():
        out, _ = module(torch.from_numpy(x))
    np.testing.assert_allclose(
        stacked_forward(x, layers, "lstm", bidirectional)[0],
        out.numpy(),
        atol=1e-12,
    )


def test_torch_helpers_refuse_wrong_inputs(torch, random_layers):
    rng = np.random.default_rng(7)
    module = _torch_module("rnn", 3, 4, 2, False)
    with pytest.raises(ValueError, match="layers must be a list of 2 layers"):
        stacked_to_torch(random_layers("rnn", 3, 4, 1, rng), module)
    with pytest.raises(
        ValueError,
        match=r"layers\[1\] must have D=4 and H=4 to match RNN \(weight_ih_l1\); got D=3",
    ):
        stacked_to_torch(
            [RNNParams.random(3, 4, rng), RNNParams.random(3, 4, rng)], module
        )
    with pytest.raises(ValueError, match=r"layers\[0\] must be an RNNParams"):
        stacked_to_torch(random_layers("lstm", 3, 4, 2, rng), module)
    with pytest.raises(ValueError, match="must be a pair"):
        stacked_to_torch(
            random_layers("rnn", 3, 4, 2, rng),
            _torch_module("rnn", 3, 4, 2, True),
        )
    with pytest.raises(
        ValueError, match="must be one of nn.RNN, .*; got Linear"
    ):
        stacked_from_torch(torch.nn.Linear(3, 4))
    with pytest.raises(ValueError, match="use from_torch for a cell"):
        stacked_from_torch(torch.nn.RNNCell(3, 4))
    with pytest.raises(ValueError, match="nonlinearity='tanh'"):
        stacked_from_torch(torch.nn.RNN(3, 4, nonlinearity="relu"))
