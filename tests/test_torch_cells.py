import re

import numpy as np
import pytest

import companion
from companion.convert import from_torch, to_torch


@pytest.fixture(scope="module")
def torch_cells(torch):
    """companion.torch_cells (it imports PyTorch; every test here runs it)."""
    from companion import torch_cells

    return torch_cells


def test_linear_rnn_cell_is_nn_rnncell_with_two_biases(torch, torch_cells):
    torch.manual_seed(0)
    cell = torch_cells.LinearRNNCell(3, 4)
    assert (
        sum(p.numel() for p in cell.parameters())
        == companion.count_params("rnn", 3, 4, "torch")
        == 36
    )
    builtin = torch.nn.RNNCell(3, 4)
    with torch.no_grad():
        builtin.weight_ih.copy_(cell.U.weight)
        builtin.weight_hh.copy_(cell.W.weight)
        builtin.bias_ih.copy_(cell.U.bias)
        builtin.bias_hh.copy_(cell.W.bias)
        x, h = torch.randn(2, 3), torch.randn(2, 4)
        torch.testing.assert_close(cell(x, h), builtin(x, h))
        # and the NumPy step, with the biases folded into one
        expected, _ = companion.rnn_step(
            x.numpy(), h.numpy(), from_torch(builtin)
        )
    np.testing.assert_allclose(
        cell(x, h).detach().numpy(), expected, atol=1e-6
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_rnn_cell_from_and_to_params(torch, torch_cells, dtype):
    params = companion.RNNParams.random(
        3, 4, np.random.default_rng(0), dtype=dtype
    )
    cell = torch_cells.LinearRNNCell.from_params(params)
    assert cell.U.weight.dtype == torch.from_numpy(params.W_xh).dtype
    assert not cell.W.bias.detach().numpy().any()  # the whole bias sits in U
    back = cell.to_params()
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)
    torch.manual_seed(0)
    two_biases = torch_cells.LinearRNNCell(
        3, 4
    )  # both biases non-zero: to_params sums them
    np.testing.assert_allclose(
        two_biases.to_params().b_h,
        (two_biases.U.bias + two_biases.W.bias).detach().numpy(),
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="params must be an RNNParams"):
        torch_cells.LinearRNNCell.from_params(
            companion.LSTMParams.random(3, 4, np.random.default_rng(0))
        )


@pytest.mark.parametrize(
    "kind", ["nn.RNNCell", "LinearRNNCell", "nn.LSTMCell", "RowVectorLSTMCell"]
)
def test_run_cell_over_time_is_the_numpy_forward(torch, torch_cells, kind):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 3))  # float64: the cells follow
    if "LSTM" in kind:
        params = companion.LSTMParams.random(3, 4, rng)
        cell = (
            torch_cells.RowVectorLSTMCell.from_params(params)
            if kind == "RowVectorLSTMCell"
            else to_torch(params, torch.nn.LSTMCell(3, 4).double())
        )
        hs_np, h_T, c_T, _ = companion.lstm_forward(x, params)
        final = (h_T, c_T)
    else:
        params = companion.RNNParams.random(3, 4, rng)
        cell = (
            torch_cells.LinearRNNCell.from_params(params)
            if kind == "LinearRNNCell"
            else to_torch(params, torch.nn.RNNCell(3, 4).double())
        )
        hs_np, h_T, _ = companion.rnn_forward(x, params)
        final = (h_T,)
    hs, state = torch_cells.run_cell_over_time(cell, x)
    assert (
        isinstance(hs, torch.Tensor)
        and hs.shape == (2, 5, 4)
        and not hs.requires_grad
    )
    np.testing.assert_allclose(hs.numpy(), hs_np, rtol=1e-12, atol=1e-14)
    state = state if isinstance(state, tuple) else (state,)
    for s, f in zip(state, final):
        np.testing.assert_allclose(s.numpy(), f, rtol=1e-12, atol=1e-14)


def test_run_cell_over_time_takes_an_initial_state_and_checks_x(
    torch, torch_cells
):
    params = companion.RNNParams.random(3, 4, np.random.default_rng(2))
    cell = torch_cells.LinearRNNCell.from_params(params)
    x, h0 = (
        np.random.default_rng(3).standard_normal((2, 3, 3)),
        np.random.default_rng(4).standard_normal((2, 4)),
    )
    hs, _ = torch_cells.run_cell_over_time(
        cell, torch.from_numpy(x), torch.from_numpy(h0)
    )
    np.testing.assert_allclose(
        hs.numpy(), companion.rnn_forward(x, params, h0)[0], rtol=1e-12
    )
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\)"):
        torch_cells.run_cell_over_time(cell, x[0])
    with pytest.raises(ValueError, match="cell must be a torch cell module"):
        torch_cells.run_cell_over_time("cell", x)


def test_linear_rnn_cell_checks_shapes(torch, torch_cells):
    cell = torch_cells.LinearRNNCell(3, 4)
    with pytest.raises(
        ValueError, match=r"x_t must have shape \(N, D=3\); got \(2, 5\)"
    ):
        cell(torch.zeros(2, 5), torch.zeros(2, 4))
    with pytest.raises(
        ValueError, match=r"h_prev must have shape \(N=2, H=4\)"
    ):
        cell(torch.zeros(2, 3), torch.zeros(3, 4))
    with pytest.raises(
        ValueError, match="hidden_size must be a positive integer"
    ):
        torch_cells.LinearRNNCell(3, 0)


def test_stacked_regressor_shapes_and_count(torch, torch_cells):
    torch.manual_seed(0)
    model = torch_cells.StackedRNNRegressor()
    cell_counts = companion.count_params(
        "rnn", 1, 128, "torch"
    ) + 3 * companion.count_params("rnn", 128, 128, "torch")
    head = 2 * companion.count_params(
        "dense", 128, 128
    ) + companion.count_params("dense", 128, 1)
    assert (
        sum(p.numel() for p in model.parameters())
        == cell_counts + head
        == 148993
    )
    leftover = torch_cells.StackedRNNRegressor(leftover_cell=True)
    extra = sum(p.numel() for p in leftover.parameters()) - 148993
    assert extra == companion.count_params("rnn", 1, 128, "torch") == 16768
    assert "(rnn): LinearRNNCell" in str(leftover) and "(rnn)" not in str(
        model
    )
    x = np.zeros((5, 7, 1), np.float32)
    assert torch_cells.predict(model, x).shape == (5, 1)


def test_stacked_regressor_is_the_cells_in_a_loop(torch, torch_cells):
    torch.manual_seed(0)
    model = torch_cells.StackedRNNRegressor(
        input_size=2, hidden_size=3, num_layers=2, dropout=0.0
    ).eval()
    x = torch.randn(4, 5, 2)
    h = [torch.zeros(4, 3), torch.zeros(4, 3)]
    for t in range(5):
        h[0] = model.rnn_cells[0](x[:, t], h[0])
        h[1] = model.rnn_cells[1](h[0], h[1])
    expected = model.fc3(torch.relu(model.fc2(torch.relu(model.fc1(h[1])))))
    torch.testing.assert_close(model(x), expected)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D=2\)"):
        model(torch.zeros(4, 5))
    with pytest.raises(ValueError, match="dropout must be a probability"):
        torch_cells.StackedRNNRegressor(dropout=1.0)


def test_row_vector_lstm_cell_matches_nn_lstmcell_and_numpy(
    torch, torch_cells
):
    params = companion.LSTMParams.random(
        3, 4, np.random.default_rng(0), dtype=np.float32
    )
    cell = torch_cells.RowVectorLSTMCell.from_params(params)
    builtin = to_torch(params, torch.nn.LSTMCell(3, 4))
    x, h, c = (torch.randn(2, n) for n in (3, 4, 4))
    with torch.no_grad():
        ours, theirs = cell(x, (h, c)), builtin(x, (h, c))
    ref = companion.lstm_step(x.numpy(), h.numpy(), c.numpy(), params)[:2]
    for a, b, r in zip(ours, theirs, ref):
        torch.testing.assert_close(a, b)
        np.testing.assert_allclose(a.numpy(), r, atol=1e-6)
    for name, value in cell.to_params().as_dict().items():
        np.testing.assert_array_equal(value, params.as_dict()[name])
    assert sum(p.numel() for p in cell.parameters()) == companion.count_params(
        "lstm", 3, 4
    )
    zero_state = cell(x)
    torch.testing.assert_close(
        zero_state[0], cell(x, (torch.zeros(2, 4), torch.zeros(2, 4)))[0]
    )


def test_row_vector_lstm_cell_checks_inputs(torch, torch_cells):
    cell = torch_cells.RowVectorLSTMCell(3, 4)
    with pytest.raises(ValueError, match="state must be None or a pair"):
        cell(torch.zeros(2, 3), torch.zeros(2, 4))
    with pytest.raises(
        ValueError, match=r"c_prev must have shape \(N=2, H=4\)"
    ):
        cell(torch.zeros(2, 3), (torch.zeros(2, 4), torch.zeros(2, 5)))
    with pytest.raises(ValueError, match="params must be an LSTMParams"):
        torch_cells.RowVectorLSTMCell.from_params(
            companion.RNNParams.random(3, 4, np.random.default_rng(0))
        )
    with pytest.raises(ValueError, match="x_t must be a torch.Tensor"):
        cell(np.zeros((2, 3)))


def _tiny_run(torch, torch_cells, seed):
    torch.manual_seed(0)
    model = torch_cells.StackedRNNRegressor(hidden_size=8, num_layers=2)
    X = np.random.default_rng(0).standard_normal((20, 6, 1)).astype(np.float32)
    y = X[:, -1] * 0.5
    return torch_cells.train_regressor(
        model, X, y, epochs=3, batch_size=8, seed=seed
    )


def test_training_is_seeded_and_lowers_the_loss(torch, torch_cells):
    a, b = _tiny_run(torch, torch_cells, 0), _tiny_run(torch, torch_cells, 0)
    assert a == b and len(a) == 3 and a[-1] < a[0]


def test_training_progress_bar_has_no_timings(torch, torch_cells, capsys):
    torch.manual_seed(0)
    model = torch_cells.StackedRNNRegressor(hidden_size=4, num_layers=1)
    X, y = np.zeros((4, 3, 1), np.float32), np.zeros((4, 1), np.float32)
    torch_cells.train_regressor(model, X, y, epochs=2, progress=True)
    out = capsys.readouterr()
    assert out.err == ""
    final = out.out.split("\r")[-1]
    assert re.fullmatch(
        r"training \|#{20}\| 2/2 epochs, loss \d\.\d{4}\n", final
    )
    assert (
        "it/s" not in out.out and "s/it" not in out.out and "<" not in out.out
    )


def test_training_checks_inputs(torch_cells):
    model = torch_cells.StackedRNNRegressor(hidden_size=4, num_layers=1)
    X = np.zeros((4, 3, 1), np.float32)
    with pytest.raises(ValueError, match=r"y must have shape \(N=4, 1\)"):
        torch_cells.train_regressor(model, X, np.zeros((3, 1), np.float32))
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        torch_cells.train_regressor(
            model, X, np.zeros((4, 1), np.float32), epochs=0
        )
    with pytest.raises(ValueError, match="lr must be a positive number"):
        torch_cells.train_regressor(
            model, X, np.zeros((4, 1), np.float32), lr=-1
        )
    with pytest.raises(ValueError, match="X must hold floating-point numbers"):
        torch_cells.train_regressor(
            model, np.zeros((4, 3, 1), int), np.zeros((4, 1), np.float32)
        )
