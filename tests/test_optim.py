import numpy as np
import pytest

from companion.optim import Adam, clip_by_norm, clip_by_value, global_norm


def test_adam_takes_the_steps_of_torch_adam(torch, rng):
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    tensors = {
        k: torch.tensor(v, requires_grad=True) for k, v in params.items()
    }
    ours = Adam(lr=0.05, betas=(0.8, 0.99), eps=1e-6)
    theirs = torch.optim.Adam(
        tensors.values(), lr=0.05, betas=(0.8, 0.99), eps=1e-6
    )
    for _ in range(5):
        grads = {
            "d" + k: rng.standard_normal(v.shape) for k, v in params.items()
        }
        params = ours.step(params, grads)
        for k, t in tensors.items():
            t.grad = torch.tensor(grads["d" + k])
        theirs.step()
    for k, t in tensors.items():
        np.testing.assert_allclose(
            params[k], t.detach().numpy(), rtol=0, atol=1e-14
        )


def test_adam_first_step_moves_every_weight_by_lr():
    params = {"w": np.array([1.0, -2.0])}
    new = Adam(lr=0.1).step(params, {"dw": np.array([3.0, -0.5])})
    np.testing.assert_allclose(
        new["w"], [0.9, -1.9], atol=1e-6
    )  # sign(g) * lr


@pytest.mark.parametrize(
    "grads, message",
    [
        ({"dv": np.zeros(2)}, r"grads must have the keys \['dw'\]"),
        ({"dw": np.zeros(3)}, r"grads\['dw'\] must have shape \(2,\)"),
    ],
)
def test_adam_refuses_gradients_that_do_not_match(grads, message):
    with pytest.raises(ValueError, match=message):
        Adam().step({"w": np.zeros(2)}, grads)


def test_adam_refuses_bad_hyper_parameters():
    with pytest.raises(ValueError, match="lr must be a positive number"):
        Adam(lr=0)
    with pytest.raises(ValueError, match=r"betas\[1\] must be a probability"):
        Adam(betas=(0.9, 1.0))


def test_clipping_by_norm_keeps_the_direction_and_matches_torch(torch):
    grads = {"da": np.array([3.0, 0.0]), "db": np.array([0.0, 4.0])}
    clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == 5.0 and global_norm(clipped) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(clipped["da"] / clipped["db"].sum(), [0.75, 0])
    tensors = [
        torch.zeros(2, dtype=torch.float64, requires_grad=True)
        for _ in range(2)
    ]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_norm_(tensors, 1.0)
    for t, g in zip(tensors, clipped.values()):
        np.testing.assert_allclose(t.grad.numpy(), g, atol=1e-15)
    small, _ = clip_by_norm(grads, 10.0)
    np.testing.assert_array_equal(small["da"], grads["da"])


def test_clipping_by_value_cuts_entries_one_by_one():
    clipped = clip_by_value({"da": np.array([3.0, -0.5, -7.0])}, 1.0)
    np.testing.assert_array_equal(clipped["da"], [1.0, -0.5, -1.0])
    with pytest.raises(
        ValueError, match="clip_value must be a positive number"
    ):
        clip_by_value({"da": np.zeros(1)}, 0)
