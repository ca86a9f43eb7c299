"""The NumPy GRU against PyTorch (nn.GRU, nn.GRUCell, autograd) and Keras (GRU,
both reset variants), through the GRU weight converters."""

import numpy as np
import pytest

from companion import count_params
from companion.convert import from_keras as gru_from_keras
from companion.convert import from_torch as gru_from_torch
from companion.convert import to_keras as gru_to_keras
from companion.convert import to_torch as gru_to_torch
from companion.gru import GRUParams, gru_backward, gru_forward


def _problem(N=3, T=6, D=4, H=5, seed=0, reset_after=True):
    rng = np.random.default_rng(seed)
    return (
        GRUParams.random(D, H, rng, reset_after=reset_after),
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
    )


# --- PyTorch ------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)]
)
def test_nn_gru_agrees_with_numpy(torch, nn, dtype, tol):
    params, x, h0 = _problem()
    gru = nn.GRU(4, 5, batch_first=True).to(
        torch.float64 if dtype == np.float64 else torch.float32
    )
    gru_to_torch(params, gru)
    out, h_n = gru(
        torch.as_tensor(x.astype(dtype)),
        torch.as_tensor(h0.astype(dtype))[None],
    )
    hs, h_T, _ = gru_forward(
        x.astype(dtype), params.astype(dtype), h0.astype(dtype)
    )
    ref, _, _ = gru_forward(x, params, h0)  # float64 reference
    np.testing.assert_allclose(out.detach().numpy(), hs, rtol=0, atol=tol)
    np.testing.assert_allclose(h_n[0].detach().numpy(), h_T, rtol=0, atol=tol)
    np.testing.assert_allclose(out.detach().numpy(), ref, rtol=0, atol=tol)


def test_nn_grucell_agrees_with_numpy(torch, nn):
    params, x, h0 = _problem(seed=1)
    cell = nn.GRUCell(4, 5).double()
    gru_to_torch(params, cell)
    h = torch.as_tensor(h0)
    hs, _, _ = gru_forward(x, params, h0)
    for t in range(x.shape[1]):
        h = cell(torch.as_tensor(x[:, t]), h)
        np.testing.assert_allclose(
            h.detach().numpy(), hs[:, t], rtol=0, atol=1e-12
        )


def test_torch_round_trip_and_default_weights(torch, nn):
    torch.manual_seed(0)
    for module in (
        nn.GRU(3, 4, batch_first=True).double(),
        nn.GRUCell(3, 4).double(),
    ):
        params = gru_from_torch(
            module
        )  # torch's own initial weights, both biases non-zero
        assert params.reset_after and (params.D, params.H) == (3, 4)
        x = np.random.default_rng(0).standard_normal((2, 5, 3))
        hs, _, _ = gru_forward(x, params)
        if isinstance(module, nn.GRU):
            out = module(torch.as_tensor(x))[0].detach().numpy()
        else:
            h, out = torch.zeros(2, 4, dtype=torch.float64), []
            for t in range(5):
                h = module(torch.as_tensor(x[:, t]), h)
                out.append(h.detach().numpy())
            out = np.stack(out, axis=1)
        np.testing.assert_allclose(out, hs, rtol=0, atol=1e-12)
        again = gru_from_torch(
            gru_to_torch(params, type(module)(3, 4).double())
        )
        for k, v in params.as_dict().items():
            np.testing.assert_allclose(
                again.as_dict()[k], v, rtol=0, atol=1e-15
            )


def test_torch_converters_refuse_wrong_modules_and_params(nn):
    params, _, _ = _problem()
    with pytest.raises(
        ValueError,
        match="params must be an LSTMParams for LSTM; got GRUParams",
    ):
        gru_to_torch(params, nn.LSTM(4, 5))
    with pytest.raises(
        ValueError,
        match="params must be an LSTMParams for LSTMCell; got GRUParams",
    ):
        gru_to_torch(params, nn.LSTMCell(4, 5))
    with pytest.raises(
        ValueError, match="params must be a GRUParams for GRU; got LSTMParams"
    ):
        gru_to_torch(gru_from_torch(nn.LSTM(4, 5)), nn.GRU(4, 5))
    with pytest.raises(
        ValueError,
        match="single-layer, one-directional nn.GRU.*stacked_from_torch",
    ):
        gru_from_torch(nn.GRU(4, 5, num_layers=2))
    with pytest.raises(
        ValueError, match="single-layer, one-directional nn.GRU"
    ):
        gru_from_torch(nn.GRU(4, 5, bidirectional=True))
    with pytest.raises(ValueError, match="reset-after variant"):
        gru_to_torch(GRUParams(params.W_x, params.W_h, params.b), nn.GRU(4, 5))
    with pytest.raises(
        ValueError,
        match=r"params must have D=4 and H=6 to match GRU \(weight_ih_l0\); got D=4, H=5",
    ):
        gru_to_torch(params, nn.GRU(4, 6))
    with pytest.raises(ValueError, match="params must be a GRUParams"):
        gru_to_torch(params.as_dict(), nn.GRU(4, 5))


def _torch_gru_loss(x, h0, W_x, W_h, b, b_hg, G, g_h):
    """The book's equations written in torch ops (either variant), for autograd."""
    import torch

    H = W_h.shape[0]
    h, hs = h0, []
    for t in range(x.shape[1]):
        a = x[:, t] @ W_x + b
        r = torch.sigmoid(a[:, :H] + h @ W_h[:, :H])
        z = torch.sigmoid(a[:, H : 2 * H] + h @ W_h[:, H : 2 * H])
        if b_hg is None:
            g = torch.tanh(a[:, 2 * H :] + (r * h) @ W_h[:, 2 * H :])
        else:
            g = torch.tanh(a[:, 2 * H :] + r * (h @ W_h[:, 2 * H :] + b_hg))
        h = z * h + (1 - z) * g
        hs.append(h)
    return (torch.stack(hs, 1) * G).sum() + (h * g_h).sum()


@pytest.mark.parametrize("reset_after", [True, False])
def test_backward_matches_torch_autograd(torch, reset_after):
    params, x, h0 = _problem(seed=4, reset_after=reset_after)
    rng = np.random.default_rng(5)
    G, g_h = rng.standard_normal((3, 6, 5)), rng.standard_normal((3, 5))
    _, _, cache = gru_forward(x, params, h0)
    dx, dh0, grads = gru_backward(G, cache, g_h)
    leaves = {
        k: torch.tensor(v, requires_grad=True)
        for k, v in params.as_dict().items()
    }
    tx, th0 = (
        torch.tensor(x, requires_grad=True),
        torch.tensor(h0, requires_grad=True),
    )
    loss = _torch_gru_loss(
        tx,
        th0,
        *(leaves.get(k) for k in ("W_x", "W_h", "b", "b_hg")),
        torch.tensor(G),
        torch.tensor(g_h),
    )
    loss.backward()
    for k, v in grads.as_dict().items():
        np.testing.assert_allclose(
            v, leaves[k[1:]].grad.numpy(), rtol=1e-10, atol=1e-12
        )
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dh0, th0.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_backward_matches_nn_gru_autograd(torch, nn):
    params, x, h0 = _problem(seed=6)
    rng = np.random.default_rng(7)
    G = rng.standard_normal((3, 6, 5))
    _, _, cache = gru_forward(x, params, h0)
    _, _, grads = gru_backward(G, cache)
    gru = gru_to_torch(params, nn.GRU(4, 5, batch_first=True).double())
    out, _ = gru(torch.as_tensor(x), torch.as_tensor(h0)[None])
    (out * torch.as_tensor(G)).sum().backward()
    np.testing.assert_allclose(
        grads.dW_x, gru.weight_ih_l0.grad.numpy().T, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(
        grads.dW_h, gru.weight_hh_l0.grad.numpy().T, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(
        grads.db, gru.bias_ih_l0.grad.numpy(), rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(
        grads.db_hg, gru.bias_hh_l0.grad.numpy()[10:], rtol=1e-10, atol=1e-12
    )


def test_torch_counts_agree_with_the_formula(nn):
    for D, H in [(1, 1), (3, 4), (8, 16), (10, 7)]:
        n = sum(p.numel() for p in nn.GRU(D, H).parameters())
        assert n == count_params("gru", D, H, framework="torch")
        assert n == sum(p.numel() for p in nn.GRUCell(D, H).parameters())


# --- Keras --------------------------------------------------------------------


def _keras_gru(keras, D, H, reset_after, dtype="float32"):
    layer = keras.layers.GRU(
        H,
        return_sequences=True,
        return_state=True,
        reset_after=reset_after,
        dtype=dtype,
    )
    layer.build((None, None, D))
    return layer


@pytest.mark.parametrize("reset_after", [True, False])
def test_keras_gru_agrees_with_numpy(keras, reset_after):
    params, x, h0 = _problem(seed=8, reset_after=reset_after)
    layer = gru_to_keras(params, _keras_gru(keras, 4, 5, reset_after))
    out, h_T = layer(
        x.astype(np.float32), initial_state=[h0.astype(np.float32)]
    )
    hs, ref_T, _ = gru_forward(x, params, h0)
    np.testing.assert_allclose(np.asarray(out), hs, rtol=0, atol=1e-5)
    np.testing.assert_allclose(np.asarray(h_T), ref_T, rtol=0, atol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
def test_keras_round_trip_with_its_own_weights(keras, reset_after):
    keras.utils.set_random_seed(0)
    layer = _keras_gru(keras, 3, 4, reset_after, dtype="float64")
    weights = layer.get_weights()
    weights[2] = np.random.default_rng(0).standard_normal(
        weights[2].shape
    )  # non-zero biases (Keras starts at 0)
    layer.set_weights(weights)
    params = gru_from_keras(layer)
    assert params.reset_after == reset_after
    x = np.random.default_rng(1).standard_normal((2, 5, 3))
    out, _ = layer(x)
    hs, _, _ = gru_forward(x, params)
    np.testing.assert_allclose(np.asarray(out), hs, rtol=0, atol=1e-12)
    again = gru_to_keras(
        params, _keras_gru(keras, 3, 4, reset_after, dtype="float64")
    )
    np.testing.assert_allclose(np.asarray(again(x)[0]), hs, rtol=0, atol=1e-12)


def test_keras_converters_refuse_wrong_layers_and_params(keras):
    params, _, _ = _problem()
    lstm = keras.layers.LSTM(5)
    lstm.build((None, None, 4))
    with pytest.raises(
        ValueError,
        match="params must be an LSTMParams for a LSTM layer; got GRUParams",
    ):
        gru_to_keras(params, lstm)
    gru = _keras_gru(keras, 4, 5, reset_after=True)
    with pytest.raises(
        ValueError,
        match="params must be a GRUParams for a GRU layer; got LSTMParams",
    ):
        gru_to_keras(gru_from_keras(lstm), gru)
    # from_keras' refusal of other and unbuilt layers, GRU included, is
    # tested with the other kinds in test_convert_keras.py.
    with pytest.raises(
        ValueError, match="has reset_after=False, params have reset_after=True"
    ):
        gru_to_keras(params, _keras_gru(keras, 4, 5, reset_after=False))
    with pytest.raises(
        ValueError, match="params have D=4, H=5 but layer .* has D=4, H=6"
    ):
        gru_to_keras(params, _keras_gru(keras, 4, 6, reset_after=True))


def test_keras_counts_agree_with_the_formula(keras):
    for D, H in [(1, 1), (3, 4), (8, 16), (10, 7)]:
        for reset_after in (True, False):
            layer = _keras_gru(keras, D, H, reset_after)
            assert layer.count_params() == count_params(
                "gru", D, H, framework="keras", reset_after=reset_after
            )


def test_variants_differ_in_keras_with_the_same_weights(keras):
    """The same kernel, recurrent kernel and input bias; only where r acts differs."""
    after, before = (
        _keras_gru(keras, 4, 5, True),
        _keras_gru(keras, 4, 5, False),
    )
    kernel, recurrent, bias = after.get_weights()
    rng = np.random.default_rng(9)
    bias = np.stack([rng.standard_normal(15), np.zeros(15)]).astype(np.float32)
    after.set_weights([kernel, recurrent, bias])
    before.set_weights([kernel, recurrent, bias[0]])
    x = rng.standard_normal((2, 6, 4)).astype(np.float32)
    out_a, out_b = np.asarray(after(x)[0]), np.asarray(before(x)[0])
    assert np.max(np.abs(out_a - out_b)) > 1e-3
    np.testing.assert_allclose(
        out_a, gru_forward(x, gru_from_keras(after))[0], rtol=0, atol=1e-5
    )
    np.testing.assert_allclose(
        out_b, gru_forward(x, gru_from_keras(before))[0], rtol=0, atol=1e-5
    )


# --- hand-written cells ---------------------------------------------------------


@pytest.mark.parametrize("reset_after", [True, False])
def test_keras_gru_cell_agrees_with_numpy(keras, reset_after):
    from companion.keras_cells import GRUCell

    params, x, h0 = _problem(seed=10, reset_after=reset_after)
    cell = GRUCell(5, reset_after=reset_after)
    layer = keras.layers.RNN(cell, return_sequences=True)
    layer.build((None, None, 4))
    assert [w.name for w in cell.weights] == ["W_x", "W_h", "b"] + (
        ["b_hg"] if reset_after else []
    )
    cell.load_params(params)
    out = np.asarray(
        layer(x.astype(np.float32), initial_state=[h0.astype(np.float32)])
    )
    np.testing.assert_allclose(
        out, gru_forward(x, params, h0)[0], rtol=0, atol=1e-5
    )
    back = cell.to_params()
    assert back.reset_after == reset_after
    np.testing.assert_allclose(back.W_h, params.W_h, rtol=1e-6)
    with pytest.raises(
        ValueError, match="params must be of the cell's variant"
    ):
        cell.load_params(_problem(reset_after=not reset_after)[0])
    with pytest.raises(
        ValueError, match="params must be a GRUParams; got dict"
    ):
        cell.load_params(params.as_dict())
    with pytest.raises(ValueError, match="reset_after must be True or False"):
        GRUCell(5, reset_after=None)


@pytest.mark.parametrize("reset_after", [True, False])
def test_torch_gru_cell_agrees_with_numpy(torch, reset_after):
    from companion.torch_cells import RowVectorGRUCell, run_cell_over_time

    params, x, h0 = _problem(seed=11, reset_after=reset_after)
    cell = RowVectorGRUCell.from_params(params)  # float64, like the params
    hs, h_T = run_cell_over_time(cell, x, torch.from_numpy(h0))
    ref, ref_T, _ = gru_forward(x, params, h0)
    np.testing.assert_allclose(hs.numpy(), ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_T.numpy(), ref_T, rtol=0, atol=1e-12)
    n = sum(p.numel() for p in cell.parameters())
    assert n == count_params("gru", 4, 5, reset_after=False) + (
        5 if reset_after else 0
    )
    back = cell.to_params()
    for k, v in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[k], v)
    # autograd through the hand-written cell gives gru_backward's gradients
    G = np.random.default_rng(12).standard_normal(ref.shape)
    cell.zero_grad()
    h, states = torch.from_numpy(h0), []
    for t in range(x.shape[1]):
        h = cell(torch.from_numpy(x[:, t]), h)
        states.append(h)
    (torch.stack(states, 1) * torch.from_numpy(G)).sum().backward()
    _, _, cache = gru_forward(x, params, h0)
    _, _, grads = gru_backward(G, cache)
    for k, v in grads.as_dict().items():
        np.testing.assert_allclose(
            getattr(cell, k[1:]).grad.numpy(), v, rtol=1e-10, atol=1e-12
        )
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, D=4\)"):
        cell(torch.zeros(3, 5, dtype=torch.float64))


def test_stacked_and_bidirectional_gru_match_torch(torch, nn):
    from companion.convert import stacked_from_torch, stacked_to_torch
    from companion.stacked import (
        bidirectional_forward,
        stacked_forward,
        stacked_param_count,
    )

    torch.manual_seed(0)
    module = nn.GRU(
        3, 4, num_layers=2, bidirectional=True, batch_first=True
    ).double()
    x = np.random.default_rng(13).standard_normal((2, 6, 3))
    out, h_n = module(torch.from_numpy(x))
    layers = stacked_from_torch(module)
    hs, finals = stacked_forward(x, layers, cell="gru", bidirectional=True)
    np.testing.assert_allclose(hs, out.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        np.stack(finals), h_n.detach().numpy(), rtol=0, atol=1e-12
    )
    one, _ = bidirectional_forward(x, *layers[0], cell="gru")
    assert one.shape == (2, 6, 8)
    assert stacked_param_count("gru", 3, 4, 2, True, "torch") == sum(
        p.numel() for p in module.parameters()
    )
    again = stacked_to_torch(
        layers,
        nn.GRU(
            3, 4, num_layers=2, bidirectional=True, batch_first=True
        ).double(),
    )
    np.testing.assert_allclose(
        again(torch.from_numpy(x))[0].detach().numpy(), hs, rtol=0, atol=1e-12
    )
    with pytest.raises(ValueError, match="GRUParams"):
        stacked_forward(x, [layers[0][0]], cell="lstm")
