"""Build the SavedModels of the Select-TF-ops / variables / dynamic-shape tests (run with TensorFlow).

Usage: python issue5_models.py OUT_DIR   (writes one SavedModel per model, plus
TensorFlow converter output for the string model as tf_encode_decode.tflite)
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


class Counter(tf.Module):
    """A counter incremented per call, a zero-argument `peek` and a `reset`."""

    def __init__(self) -> None:
        super().__init__()
        self.count = tf.Variable(0.0)
        self.scale = tf.Variable([1.0, 2.0])

    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32, name="x")])
    def step(self, x):
        self.count.assign_add(1.0)
        return {"y": x * self.scale * self.count, "count": self.count.read_value()}

    @tf.function(input_signature=[])
    def peek(self):
        return {"count": self.count.read_value()}

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32, name="value")])
    def reset(self, value):
        self.count.assign(value)
        return {"count": self.count.read_value()}


class Trainer(tf.Module):
    """train_step updates weights that infer reads: state shared between signatures."""

    def __init__(self) -> None:
        super().__init__()
        self.w = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2) / 10)
        self.b = tf.Variable(np.zeros(2, np.float32))

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="x"),
                                  tf.TensorSpec([None, 2], tf.float32, name="y")])
    def train_step(self, x, y):
        pred = tf.matmul(x, self.w) + self.b
        err = pred - y
        self.w.assign_sub(0.1 * tf.matmul(x, err, transpose_a=True))
        self.b.assign_sub(0.1 * tf.reduce_sum(err, axis=0))
        return {"loss": tf.reduce_mean(tf.square(err))}

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="x")])
    def infer(self, x):
        return {"pred": tf.matmul(x, self.w) + self.b}


class Dense(tf.Module):
    """A dense layer traced with a None batch."""

    def __init__(self) -> None:
        super().__init__()
        rng = np.random.default_rng(5)
        self.w = tf.Variable(rng.standard_normal((4, 3)).astype(np.float32))
        self.b = tf.Variable(rng.standard_normal(3).astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="x")])
    def __call__(self, x):
        flat = tf.reshape(tf.nn.relu(tf.matmul(x, self.w) + self.b), [-1, 3])
        return {"out": tf.nn.softmax(flat)}


class Encoder(tf.Module):
    """The seed's encode/decode string model."""

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def encode(self, x):
        return {"encoded_result": tf.strings.as_string(x)}

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string)])
    def decode(self, x):
        return {"decoded_result": tf.strings.to_number(x)}


class Greeter(tf.Module):
    """String constants: a suffix joined to each input string."""

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.string, name="name")])
    def greet(self, name):
        return {"greeting": tf.strings.join([tf.constant("hello "), name, tf.constant(["!"])])}


class Embedding(tf.Module):
    """tf.gather straight from a variable (ResourceGather), as embedding layers do."""

    def __init__(self) -> None:
        super().__init__()
        self.table = tf.Variable(np.arange(30, dtype=np.float32).reshape(10, 3))

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.int32, name="ids")])
    def lookup(self, ids):
        return {"vectors": tf.gather(self.table, ids)}


def main(out: str) -> None:
    """Save every model into `out`."""
    counter = Counter()
    tf.saved_model.save(counter, f"{out}/counter",
                        signatures={"step": counter.step, "peek": counter.peek, "reset": counter.reset})
    trainer = Trainer()
    tf.saved_model.save(trainer, f"{out}/trainer",
                        signatures={"train_step": trainer.train_step, "infer": trainer.infer})
    dense = Dense()
    tf.saved_model.save(dense, f"{out}/dense", signatures={"serving_default": dense.__call__})
    encoder = Encoder()
    tf.saved_model.save(encoder, f"{out}/encode_decode",
                        signatures={"encode": encoder.encode, "decode": encoder.decode})
    embedding = Embedding()
    tf.saved_model.save(embedding, f"{out}/embedding", signatures={"lookup": embedding.lookup})
    greeter = Greeter()
    tf.saved_model.save(greeter, f"{out}/greeter", signatures={"greet": greeter.greet})
    converter = tf.lite.TFLiteConverter.from_saved_model(f"{out}/encode_decode")
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
    with open(f"{out}/tf_encode_decode.tflite", "wb") as f:
        f.write(converter.convert())


if __name__ == "__main__":
    main(sys.argv[1])
