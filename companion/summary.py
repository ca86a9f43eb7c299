"""Plain-text tables of models and weights: narrow, and the same everywhere.

* ``keras_summary(model)``: a Keras model's layers, output shapes and
  parameter counts, like ``model.summary()`` but rendered here as plain text,
  so it does not depend on the terminal's width (``COLUMNS``), on rich, or on
  Jupyter.
* ``weight_table(obj)``: name, shape and count of every weight of a Keras
  layer or model, or of every parameter of a PyTorch module, and the total.

Neither imports a framework: they read the objects they are given.
"""

from __future__ import annotations

import numpy as np


def _shape(shape) -> str:
    """'(None, 4)' for a Keras shape, '(16,)' for one axis."""
    return str(tuple(None if s is None else int(s) for s in shape))


def _output_shape(layer) -> str:
    try:
        out = layer.output
    except (AttributeError, ValueError):  # a layer never called
        return "?"
    if isinstance(out, (list, tuple)):
        return ", ".join(_shape(o.shape) for o in out)
    return _shape(out.shape)


def _count(weights) -> int:
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _bytes(weights) -> str:
    n = sum(
        int(np.prod(w.shape)) * np.dtype(w.dtype).itemsize for w in weights
    )
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.2f} {unit}"
        n /= 1024


def _table(header, rows, right):
    """Fixed-width text: columns as wide as their longest entry."""
    widths = [
        max(len(str(r[k])) for r in [header, *rows])
        for k in range(len(header))
    ]

    def line(row):
        cells = [
            f"{str(v):>{w}}" if right[k] else f"{str(v):<{w}}"
            for k, (v, w) in enumerate(zip(row, widths))
        ]
        return "  ".join(cells).rstrip()

    rule = "-" * len(line(header))
    return [line(header), rule, *(line(r) for r in rows), rule]


def keras_summary(model) -> str:
    """A built Keras model's summary as plain text, the same at any width.

    One row per layer: "name (Type)", output shape, parameter count; then
    the total, trainable and non-trainable parameter counts with their size
    in memory, as Keras' own ``model.summary()`` reports them.
    """
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        raise ValueError(
            f"model must be a built Keras model; got {type(model).__name__}"
        )
    rows = [
        (
            f"{layer.name} ({type(layer).__name__})",
            _output_shape(layer),
            f"{layer.count_params():,}",
        )
        for layer in model.layers
    ]
    lines = [f'Model: "{model.name}"']
    lines += _table(
        ("Layer (type)", "Output Shape", "Param #"), rows, (False, False, True)
    )
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    for label, weights in (
        ("Total params", [*trainable, *frozen]),
        ("Trainable params", trainable),
        ("Non-trainable params", frozen),
    ):
        lines.append(f" {label}: {_count(weights):,} ({_bytes(weights)})")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        weights = optimizer.variables
        lines.append(
            f" Optimizer params: {_count(weights):,} ({_bytes(weights)})"
        )
    return "\n".join(lines)


def weight_table(obj) -> str:
    """Name, shape and count of every weight, then the total.

    obj: a Keras layer or model (its ``weights``, named by ``w.name``) or a
    PyTorch module (its ``named_parameters()``).
    """
    if hasattr(obj, "named_parameters"):  # torch.nn.Module
        items = [(name, tuple(p.shape)) for name, p in obj.named_parameters()]
    elif hasattr(obj, "weights"):  # Keras layer or model
        if not obj.weights:
            raise ValueError(
                f"{obj.name!r} has no weights yet: build it first"
            )
        items = [(w.name, tuple(w.shape)) for w in obj.weights]
    else:
        raise ValueError(
            "obj must be a Keras layer or model, or a torch.nn.Module; "
            f"got {type(obj).__name__}"
        )
    rows = [(name, str(shape), int(np.prod(shape))) for name, shape in items]
    rows.append(("total", "", sum(r[2] for r in rows)))
    lines = _table(
        ("weight", "shape", "count"),
        rows[:-1] + [rows[-1]],
        (False, True, True),
    )
    # the rule goes above the total: header, rule, rows, rule, total
    body = lines[2:-1]
    return "\n".join([lines[0], lines[1], *body[:-1], lines[-1], body[-1]])
