"""tf-keras recurrent models for the LSTM fusion tests, saved as SavedModels with random weights.

`python rnn_models.py OUT` writes OUT/<name>/ (a SavedModel per model), OUT/<name>_tf.tflite
(TensorFlow's converter, measured in the same run) and OUT/data.npz (the inputs and the Keras
model's outputs). tf-keras marks its LSTM functions for fusion (`api_implements`); it needs
TF_USE_LEGACY_KERAS=1, so this runs in its own process.
"""

from __future__ import annotations

import os
import sys

import numpy as np

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

BATCH, STEPS, FEATURES = 2, 6, 3


def _models(keras):  # noqa: ANN001, ANN202
    def sequential(*layers):  # noqa: ANN002, ANN202
        return keras.Sequential([keras.Input((STEPS, FEATURES), batch_size=BATCH), *layers])

    inputs = keras.Input((STEPS, FEATURES), batch_size=BATCH)
    out, h, c = keras.layers.LSTM(4, return_state=True)(inputs)
    return {
        # the whole sequence, then a dense layer on each step
        "sequence": sequential(keras.layers.LSTM(5, return_sequences=True), keras.layers.Dense(2)),
        # two stacked layers, the second reading the sequence backwards, the last output
        "stacked_backwards": sequential(
            keras.layers.LSTM(4, return_sequences=True), keras.layers.LSTM(3, go_backwards=True)
        ),
        # the final states are read: TFLite's fused op does not give them, so the loop stays
        "states": keras.Model(inputs, [out, h, c]),
    }


def main(out: str) -> None:
    """Build, save and convert the models; write the data."""
    import tensorflow as tf
    import tf_keras as keras

    keras.utils.set_random_seed(5)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((BATCH, STEPS, FEATURES)).astype(np.float32)
    data = {"x": x}
    for name, model in _models(keras).items():
        path = os.path.join(out, name)

        @tf.function(input_signature=[tf.TensorSpec([BATCH, STEPS, FEATURES], tf.float32, name="x")])
        def serve(inputs, model=model):  # noqa: ANN001, ANN202
            result = model(inputs)
            return {f"y{i}": r for i, r in enumerate(result)} if isinstance(result, list) else {"y0": result}

        tf.saved_model.save(model, path, signatures=serve)
        for key, value in serve(x).items():
            data[f"{name}/{key}"] = value.numpy()
        converter = tf.lite.TFLiteConverter.from_saved_model(path)
        with open(os.path.join(out, f"{name}_tf.tflite"), "wb") as f:
            f.write(converter.convert())
    np.savez(os.path.join(out, "data.npz"), **data)


if __name__ == "__main__":
    main(sys.argv[1])
