import numpy as np
import pytest

from companion import LSTMGrads, LSTMParams, RNNGrads, RNNParams, cells


def test_each_params_class_has_its_grads_class():
    for cell in cells.CELLS.values():
        assert cell.grads.PARAMS is cell.params
    assert (
        cells.of(RNNParams.random(1, 1, np.random.default_rng(0))).grads
        is RNNGrads
    )
    assert (
        cells.of(LSTMParams.random(1, 1, np.random.default_rng(0))).grads
        is LSTMGrads
    )
    assert RNNGrads.param_names() == ("dW_xh", "dW_hh", "db_h")
    assert LSTMGrads.param_names() == ("dW_x", "dW_h", "db")


def test_grads_accept_nan_and_inf():
    g = RNNGrads(
        np.full((2, 3), np.inf),
        np.full((3, 3), np.nan),
        np.zeros(3, np.float32),
    )
    assert np.isinf(g.dW_xh).all() and g.dh is None
    assert list(g.as_dict()) == ["dW_xh", "dW_hh", "db_h"]


def test_repr_names_gradients():
    g = LSTMGrads(
        np.ones((2, 8)),
        np.ones((2, 8)),
        np.ones(8),
        dh=np.ones((1, 3, 2)),
        dc=np.ones((1, 3, 2)),
    )
    assert (
        repr(g)
        == "LSTMGrads(dL/dW_x (2, 8), dL/dW_h (2, 8), dL/db (8,), dL/dh (1, 3, 2), dL/dc (1, 3, 2))"
    )


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: RNNGrads(np.ones((2, 3)), np.ones((3, 3)), np.ones(4)),
            r"dL/db_h must have shape \(H=3,\); got \(4,\)",
        ),
        (
            lambda: RNNGrads(np.ones((2, 3)), np.ones((2, 2)), np.ones(3)),
            r"dL/dW_hh must have shape \(H=3, H=3\)",
        ),
        (
            lambda: RNNGrads(
                np.ones((2, 3), int), np.ones((3, 3)), np.ones(3)
            ),
            "dL/dW_xh must hold floating-point",
        ),
        (
            lambda: LSTMGrads(np.ones((2, 8)), np.ones((3, 8)), np.ones(8)),
            r"dL/dW_h must fit H=3 \(4H=12\)",
        ),
        (
            lambda: RNNGrads(
                np.ones((2, 3)),
                np.ones((3, 3)),
                np.ones(3),
                dh=np.ones((1, 2, 4)),
            ),
            r"dL/dh must have shape \(N, T, H=3\)",
        ),
    ],
)
def test_grads_refuse_bad_shapes(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_norm_and_clip():
    g = RNNGrads(np.array([[3.0]]), np.array([[0.0]]), np.array([4.0]))
    assert g.norm() == pytest.approx(5.0)
    clipped, norm = g.clip(1.0)
    assert norm == pytest.approx(5.0) and clipped.norm() == pytest.approx(
        1.0, rel=1e-5
    )
    with pytest.raises(ValueError, match="max_norm must be a positive number"):
        g.clip(-1)
