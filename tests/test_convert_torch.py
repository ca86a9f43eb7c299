import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import companion
from companion import LSTMParams, RNNParams
from companion.convert import from_torch, to_torch

torch = pytest.importorskip("torch")
nn = torch.nn

sizes = st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31 - 1))
MODULES = {
    "rnn": (nn.RNN, RNNParams),
    "rnn_cell": (nn.RNNCell, RNNParams),
    "lstm": (nn.LSTM, LSTMParams),
    "lstm_cell": (nn.LSTMCell, LSTMParams),
}


def test_import_convert_does_not_import_torch():
    code = "import sys, companion, companion.convert; assert 'torch' not in sys.modules"
    import subprocess

    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("kind", MODULES)
@settings(max_examples=10, deadline=None)
@given(sizes)
def test_params_to_module_to_params_is_exact(kind, size):
    D, H, seed = size
    module_cls, params_cls = MODULES[kind]
    params = params_cls.random(D, H, np.random.default_rng(seed), dtype=np.float32)
    back = from_torch(to_torch(params, module_cls(D, H)))
    assert type(back) is params_cls
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)


@pytest.mark.parametrize("kind", MODULES)
@settings(max_examples=10, deadline=None)
@given(sizes)
def test_module_to_params_to_module_keeps_the_function(kind, size):
    D, H, seed = size
    module_cls, _ = MODULES[kind]
    torch.manual_seed(seed)
    module = module_cls(D, H)
    copy = to_torch(from_torch(module), module_cls(D, H))
    # weights survive exactly; the two biases only as their sum
    assert torch.equal(copy.state_dict()[_name(module, "weight_ih")], module.state_dict()[_name(module, "weight_ih")])
    b_sum = module.state_dict()[_name(module, "bias_ih")] + module.state_dict()[_name(module, "bias_hh")]
    assert torch.allclose(copy.state_dict()[_name(module, "bias_ih")], b_sum)
    assert not copy.state_dict()[_name(module, "bias_hh")].any()
    x = torch.from_numpy(np.random.default_rng(seed).standard_normal((3, D)).astype(np.float32))
    with torch.no_grad():
        a, b = module(x), copy(x)
    a, b = (v[0] if isinstance(v, tuple) else v for v in (a, b))
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def _name(module, stem):
    return stem + ("_l0" if isinstance(module, (nn.RNN, nn.LSTM)) else "")


def test_modules_match_the_numpy_reference():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6, 3)).astype(np.float32)  # (N, T, D)
    torch.manual_seed(0)
    rnn, lstm = nn.RNN(3, 5, batch_first=True), nn.LSTM(3, 5, batch_first=True)
    with torch.no_grad():
        out_rnn, _ = rnn(torch.from_numpy(x))
        out_lstm, _ = lstm(torch.from_numpy(x))
    np.testing.assert_allclose(out_rnn.numpy(), companion.rnn_forward(x, from_torch(rnn))[0], atol=1e-5)
    np.testing.assert_allclose(out_lstm.numpy(), companion.lstm_forward(x, from_torch(lstm))[0], atol=1e-5)


def test_module_without_bias():
    rnn = nn.RNN(2, 3, bias=False)
    params = from_torch(rnn)
    assert not params.b_h.any()
    to_torch(params, rnn)
    with pytest.raises(ValueError, match="bias must be zero"):
        to_torch(RNNParams.random(2, 3, np.random.default_rng(0)), rnn)


@pytest.mark.parametrize(
    "module, message",
    [
        (lambda: nn.LSTM(2, 3, num_layers=2), "single-layer nn.LSTM"),
        (lambda: nn.RNN(2, 3, bidirectional=True), "bidirectional=False"),
        (lambda: nn.RNN(2, 3, nonlinearity="relu"), "nonlinearity='tanh'"),
        (lambda: nn.LSTM(2, 3, proj_size=2), "proj_size=0"),
        (lambda: nn.GRU(2, 3), "must be an nn.RNN, nn.RNNCell, nn.LSTM or nn.LSTMCell; got GRU"),
        (lambda: nn.Linear(2, 3), "got Linear"),
    ],
)
def test_unsupported_modules_are_refused(module, message):
    with pytest.raises(ValueError, match=message):
        from_torch(module())


def test_to_torch_checks_kind_and_shape():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="params must be an LSTMParams for LSTMCell; got RNNParams"):
        to_torch(RNNParams.random(2, 3, rng), nn.LSTMCell(2, 3))
    with pytest.raises(ValueError, match=r"D=2 and H=3 to match RNN\(2, 3\); got D=4, H=3"):
        to_torch(RNNParams.random(4, 3, rng), nn.RNN(2, 3))
