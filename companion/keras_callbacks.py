"""A Keras callback recording a layer's weights before training and each epoch.

This module imports Keras; ``import companion`` does not.
"""

from __future__ import annotations

import keras
import numpy as np


class WeightHistory(keras.callbacks.Callback):
    """Copies of a layer's weights: at the start of ``fit``, after each epoch.

    layer: the layer object, or its name in the model being trained.
    After ``fit(..., callbacks=[wh])``:
      wh.names       the weights' names, e.g. ['kernel', 'recurrent_kernel',
                     'bias']
      wh.snapshots   list of E + 1 lists of arrays (epoch 0 = before training)
      wh.stack(name)      one weight over time, shape (E + 1, *weight.shape)
    """

    def __init__(self, layer):
        super().__init__()
        if not isinstance(layer, (str, keras.layers.Layer)):
            raise ValueError(
                "layer must be a Keras layer or a layer name; "
                f"got {type(layer).__name__}"
            )
        self._layer_ref = layer
        self.names = []
        self.snapshots = []

    def _layer(self):
        if isinstance(self._layer_ref, str):
            try:
                return self.model.get_layer(self._layer_ref)
            except ValueError:
                names = [layer.name for layer in self.model.layers]
                raise ValueError(
                    f"layer {self._layer_ref!r} is not in the model; "
                    f"its layers are {names}"
                ) from None
        return self._layer_ref

    def _record(self):
        layer = self._layer()
        self.names = [w.path.split("/")[-1] for w in layer.weights]
        self.snapshots.append([np.array(w) for w in layer.get_weights()])

    def on_train_begin(self, logs=None):
        self.snapshots = []
        self._record()

    def on_epoch_end(self, epoch, logs=None):
        self._record()

    def stack(self, name):
        """The weight ``name`` at every snapshot: (E + 1, *shape)."""
        if not self.snapshots:
            raise ValueError(
                "no weights recorded yet: pass this callback to "
                "model.fit(..., callbacks=[...])"
            )
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}; got {name!r}")
        k = self.names.index(name)
        return np.stack([snap[k] for snap in self.snapshots])
