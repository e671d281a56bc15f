"""Build the issue-4 real models (small inputs, seeded weights), save them as SavedModels
wrapped in a tf.Module with an input signature, and store TF eager reference I/O.

    python legalize_models.py OUT_DIR [name ...]

Batch-norm statistics are randomized so that folding them is actually exercised;
classifiers have 10 logits and no softmax so that the outputs are not flat.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402


def _randomize_batch_norms(model, rng: np.random.Generator) -> None:
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([
                rng.uniform(0.5, 1.5, gamma.shape).astype(np.float32),
                rng.normal(0, 0.1, beta.shape).astype(np.float32),
                rng.normal(0, 0.1, mean.shape).astype(np.float32),
                rng.uniform(0.5, 1.5, var.shape).astype(np.float32),
            ])


def _transformer_block(length: int | None = 8):
    import keras

    inputs = keras.Input((length, 16))
    attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs)
    hidden = keras.layers.LayerNormalization()(inputs + attention)
    ffn = keras.layers.Dense(32, activation="gelu")(hidden)
    ffn = keras.layers.Dense(16)(ffn)
    outputs = keras.layers.LayerNormalization()(hidden + ffn)
    return keras.Model(inputs, outputs)


def _recurrent_classifier(layer_class, steps: int | None = 10, sequences: bool = False):
    import keras

    inputs = keras.Input((steps, 8))
    hidden = layer_class(16, return_sequences=sequences)(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    return keras.Model(inputs, outputs)


def build(name: str):
    """The Keras model and its input shape."""
    import keras

    image = dict(input_shape=(64, 64, 3), weights=None, classes=10, classifier_activation=None)
    if name == "mobilenet_v2":
        return keras.applications.MobileNetV2(alpha=0.35, **image), (1, 64, 64, 3)
    if name == "resnet50":
        return keras.applications.ResNet50(**image), (1, 64, 64, 3)
    if name == "efficientnet_b0":
        return keras.applications.EfficientNetB0(**image), (1, 64, 64, 3)
    if name == "transformer":
        return _transformer_block(), (1, 8, 16)
    if name == "transformer_dynamic":  # traced with unknown batch and sequence length
        return _transformer_block(None), (None, None, 16)
    if name == "lstm":
        return _recurrent_classifier(keras.layers.LSTM), (1, 10, 8)
    if name == "gru":
        return _recurrent_classifier(keras.layers.GRU), (1, 10, 8)
    if name == "lstm_dynamic":  # unknown batch and length: TensorLists sized at run time
        return _recurrent_classifier(keras.layers.LSTM, None), (None, None, 8)
    if name == "gru_sequences_dynamic":
        return _recurrent_classifier(keras.layers.GRU, None, sequences=True), (None, None, 8)
    raise ValueError(name)


MODELS = ("mobilenet_v2", "resnet50", "efficientnet_b0", "transformer", "transformer_dynamic", "lstm", "gru",
          "lstm_dynamic",
          "gru_sequences_dynamic")


def save(name: str, out: str) -> None:
    """Save one model under OUT/NAME with reference.npz (x, y)."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    model, shape = build(name)
    _randomize_batch_norms(model, np.random.default_rng(1))

    class Wrapper(tf.Module):
        def __init__(self, keras_model):
            super().__init__()
            self.weights_ = list(keras_model.variables)  # tracked: the checkpoint holds them
            object.__setattr__(self, "_model", keras_model)  # untracked: saving skips Keras' own export

        @tf.function(input_signature=[tf.TensorSpec(shape, tf.float32, name="x")])
        def __call__(self, x):
            return {"y": self._model(x, training=False)}

    wrapper = Wrapper(model)
    concrete = [3 + i if d is None else d for i, d in enumerate(shape)]  # unknown dims: 3, 4, ...
    x = np.random.default_rng(2).standard_normal(concrete).astype(np.float32)
    y = wrapper(tf.constant(x))["y"].numpy()
    path = os.path.join(out, name)
    tf.saved_model.save(wrapper, path, signatures={"serving_default": wrapper.__call__.get_concrete_function()})
    np.savez(os.path.join(path, "reference.npz"), x=x, y=y)


if __name__ == "__main__":
    out_dir = sys.argv[1]
    for model_name in sys.argv[2:] or MODELS:
        save(model_name, out_dir)
