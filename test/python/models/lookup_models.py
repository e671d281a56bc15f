"""SavedModels with lookup tables and their TF eager outputs (run once by test_lookup_tables.py).

Usage: python lookup_models.py OUT_DIR. Writes OUT_DIR/<name>/ (SavedModels),
OUT_DIR/inputs.npz and OUT_DIR/outputs.npz (TF eager results, keyed `<name>/<output>`).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

WORDS = np.array([b"apple", b"kiwi", b"cherry", b"", b"banana", b"apple"], dtype=object)
IDS = np.array([5, 9, 7, -3, 6, 5], dtype=np.int64)


class KeyValueTables(tf.Module):
    """string -> int64 and int64 -> string tables from constants, with their sizes."""

    def __init__(self) -> None:
        super().__init__()
        keys = tf.constant(["apple", "banana", "cherry"])
        self.words = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(keys, tf.constant([1, 2, 3], tf.int64)), -1
        )
        self.names = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant([5, 6, 7], tf.int64), tf.constant(["five", "six", "seven"])
            ),
            "?",
        )

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)])
    def lookup(self, words: tf.Tensor, ids: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"id": self.words.lookup(words), "name": self.names.lookup(ids), "size": self.words.size()}


class TextFileTable(tf.Module):
    """A string -> int64 table read from an asset file (whole line -> line number), and an
    int64 -> string table from its second tab-separated column."""

    def __init__(self, vocab: str, pairs: str) -> None:
        super().__init__()
        line = tf.lookup.TextFileIndex
        init = tf.lookup.TextFileInitializer(vocab, tf.string, line.WHOLE_LINE, tf.int64, line.LINE_NUMBER)
        self.vocab = tf.lookup.StaticHashTable(init, default_value=-1)
        init2 = tf.lookup.TextFileInitializer(pairs, tf.int64, 0, tf.string, 1, delimiter="\t")
        self.pairs = tf.lookup.StaticHashTable(init2, default_value="none")

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)])
    def lookup(self, words: tf.Tensor, ids: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"id": self.vocab.lookup(words), "name": self.pairs.lookup(ids)}


class IntTable(tf.Module):
    """An int64 -> int64 table (TFLite's kernels have no such table)."""

    def __init__(self) -> None:
        super().__init__()
        init = tf.lookup.KeyValueTensorInitializer(
            tf.constant([5, 6, 7], tf.int64), tf.constant([50, 60, 50], tf.int64)
        )
        self.table = tf.lookup.StaticHashTable(init, -1)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
    def lookup(self, ids: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"value": self.table.lookup(ids), "size": self.table.size()}


class FloatTable(tf.Module):
    """A string -> float32 table: no TFLite kernel, no tflc split (the bad-input case)."""

    def __init__(self) -> None:
        super().__init__()
        init = tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([0.5, 1.5]))
        self.table = tf.lookup.StaticHashTable(init, -1.0)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def lookup(self, words: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"value": self.table.lookup(words)}


class MutableTables(tf.Module):
    """MutableHashTables filled by inserts (and a removal) before saving: their contents live in
    the checkpoint. string -> int64, int64 -> int64 (two tables in TFLite) and an empty one."""

    def __init__(self) -> None:
        super().__init__()
        self.words = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
        self.words.insert(tf.constant(["apple", "banana", "cherry", "date"]), tf.constant([1, 2, 3, 4], tf.int64))
        self.words.remove(tf.constant(["date"]))
        self.words.insert(tf.constant(["banana"]), tf.constant([20], tf.int64))  # overwritten
        self.ids = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, 0)
        self.ids.insert(tf.constant([5, 6, 7], tf.int64), tf.constant([50, 60, 50], tf.int64))
        self.empty = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, "none")

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)])
    def lookup(self, words: tf.Tensor, ids: tf.Tensor) -> dict[str, tf.Tensor]:
        return {
            "id": self.words.lookup(words),
            "value": self.ids.lookup(ids),
            "name": self.empty.lookup(ids),
            "size": self.words.size() + 10 * self.empty.size(),
        }


class TableAndVariable(tf.Module):
    """A StaticHashTable and a tf.Variable in one signature (which updates the variable), and a
    second signature reading the variable."""

    def __init__(self) -> None:
        super().__init__()
        init = tf.lookup.KeyValueTensorInitializer(tf.constant(["apple", "banana"]), tf.constant([1, 2], tf.int64))
        self.table = tf.lookup.StaticHashTable(init, -1)
        self.count = tf.Variable(tf.constant([10, 20], tf.int64))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def lookup(self, words: tf.Tensor) -> dict[str, tf.Tensor]:
        ids = self.table.lookup(words)
        self.count.assign_add(tf.stack([tf.reduce_sum(ids), self.table.size()]))
        return {"id": ids * self.count[1]}

    @tf.function(input_signature=[])
    def read(self) -> dict[str, tf.Tensor]:
        return {"count": self.count.read_value()}

    def calls(self) -> list[tuple[str, dict[str, np.ndarray]]]:
        """The signature calls the test replays, in order, with their inputs."""
        return [("lookup", {"words": WORDS}), ("read", {}), ("lookup", {"words": WORDS[:2]}), ("read", {})]


class DenseTable(tf.Module):
    """A DenseHashTable: no TFLite kernel (the bad-input case)."""

    def __init__(self) -> None:
        super().__init__()
        self.table = tf.lookup.experimental.DenseHashTable(
            tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, initial_num_buckets=8
        )
        self.table.insert(tf.constant([5, 6], tf.int64), tf.constant([1, 2], tf.int64))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
    def lookup(self, ids: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"value": self.table.lookup(ids)}


def tf1_tables(out: str, inputs: dict[str, np.ndarray], outputs: dict[str, np.ndarray]) -> None:
    """TF1 SavedModels whose tables are filled by the init op: simple_save (legacy_init_op, a
    key-value and a text-file table, a MutableHashTable the Saver restores, a variable) and
    Builder (main_op, two signatures)."""
    v1 = tf.compat.v1
    vocab = os.path.join(out, "v1_vocab.txt")
    with open(vocab, "w") as f:
        f.write("kiwi\ncherry\n")
    graph = tf.Graph()
    with graph.as_default():
        words = v1.placeholder(tf.string, [None], name="words")
        ids = v1.placeholder(tf.int64, [None], name="ids")
        keys, values = tf.constant(["apple", "banana", "cherry"]), tf.constant([1, 2, 3], tf.int64)
        init = v1.lookup.KeyValueTensorInitializer(keys, values)
        table = v1.lookup.StaticHashTable(init, -1)
        line = v1.lookup.TextFileIndex
        text = v1.lookup.StaticHashTable(
            v1.lookup.TextFileInitializer(vocab, tf.string, line.WHOLE_LINE, tf.int64, line.LINE_NUMBER), -1
        )
        names = v1.lookup.StaticHashTable(
            v1.lookup.KeyValueTensorInitializer(tf.constant([5, 6], tf.int64), tf.constant(["five", "six"])), "?"
        )
        counts = v1.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1, name="counts")
        insert = counts.insert(tf.constant(["kiwi", "apple"]), tf.constant([7, 8], tf.int64))
        scale = v1.get_variable("scale", initializer=tf.constant(100, tf.int64))
        result = {"z": table.lookup(words) * scale + text.lookup(words), "size": table.size()}
        result["count"] = counts.lookup(words)  # restored by the Saver from the checkpoint
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.tables_initializer())
            sess.run(insert)
            for key, value in sess.run(result, {words: WORDS}).items():
                outputs[f"v1_simple/{key}"] = value
            outputs["v1_builder/name"] = sess.run(names.lookup(ids), {ids: IDS})
            v1.saved_model.simple_save(
                sess, os.path.join(out, "v1_simple"), {"words": words}, result, legacy_init_op=v1.tables_initializer()
            )
            graph.clear_collection("saved_model_main_op")  # simple_save's, each SavedModel has its own
            builder = v1.saved_model.Builder(os.path.join(out, "v1_builder"))
            signature = v1.saved_model.predict_signature_def
            builder.add_meta_graph_and_variables(
                sess,
                ["serve"],
                signature_def_map={
                    "serving_default": signature({"words": words}, result),
                    "names": signature({"ids": ids}, {"name": names.lookup(ids)}),
                },
                main_op=v1.tables_initializer(),
                assets_collection=graph.get_collection(v1.GraphKeys.ASSET_FILEPATHS),
            )
            builder.save()
            graph.clear_collection("saved_model_main_op")
            builder = v1.saved_model.Builder(os.path.join(out, "v1_no_init"))
            serving = {"serving_default": signature({"words": words}, result)}
            builder.add_meta_graph_and_variables(sess, ["serve"], serving)  # no main_op: tables never filled
            builder.save()
    os.remove(vocab)


def keras_models() -> dict[str, keras.Model]:
    """StringLookup (and its inverse) and IntegerLookup models, Keras 3 with the TF backend."""
    words = keras.Input(shape=(3,), dtype="string")
    ids = keras.Input(shape=(3,), dtype="int64")
    vocab = ["apple", "banana", "cherry"]
    return {
        "string_lookup": keras.Model(words, keras.layers.StringLookup(vocabulary=vocab)(words)),
        "string_lookup_inverse": keras.Model(ids, keras.layers.StringLookup(vocabulary=vocab, invert=True)(ids)),
        "integer_lookup": keras.Model(ids, keras.layers.IntegerLookup(vocabulary=[5, 7, 9, 11])(ids)),
    }


def keras_inputs() -> dict[str, np.ndarray]:
    """A batch of keys for each Keras model, missing keys included."""
    return {
        "string_lookup": WORDS.reshape(2, 3),
        "string_lookup_inverse": np.array([[0, 1, 2], [3, 9, -1]], np.int64),
        "integer_lookup": np.array([[5, 6, 7], [11, 0, 9]], np.int64),
    }


def main(out: str) -> None:
    """Write every model, its inputs and TF's outputs."""
    vocab = os.path.join(out, "vocab.txt")
    with open(vocab, "w") as f:
        f.write("apple\nbanana\r\ncherry\n")
    pairs = os.path.join(out, "pairs.txt")
    with open(pairs, "w") as f:
        f.write("5\tfive\n6\tsix\n7\tseven\n")
    inputs: dict[str, np.ndarray] = {"words": WORDS, "ids": IDS}
    outputs: dict[str, np.ndarray] = {}
    modules = {
        "key_value": (KeyValueTables(), ("words", "ids")),
        "text_file": (TextFileTable(vocab, pairs), ("words", "ids")),
        "int_table": (IntTable(), ("ids",)),
        "float_table": (FloatTable(), ("words",)),
    }
    for name, (module, args) in modules.items():
        tf.saved_model.save(module, os.path.join(out, name), signatures={"serving_default": module.lookup})
        for key, value in module.lookup(**{a: tf.constant(inputs[a]) for a in args}).items():
            outputs[f"{name}/{key}"] = value.numpy()
    mutable = MutableTables()
    tf.saved_model.save(mutable, os.path.join(out, "mutable"), signatures={"serving_default": mutable.lookup})
    for key, value in mutable.lookup(tf.constant(WORDS), tf.constant(IDS)).items():
        outputs[f"mutable/{key}"] = value.numpy()
    dense = DenseTable()
    tf.saved_model.save(dense, os.path.join(out, "dense_table"), signatures={"serving_default": dense.lookup})
    mixed = TableAndVariable()
    signatures = {"serving_default": mixed.lookup, "read": mixed.read}
    tf.saved_model.save(mixed, os.path.join(out, "table_and_variable"), signatures=signatures)
    for n, (key, args) in enumerate(mixed.calls()):
        for name, value in getattr(mixed, key)(**args).items():
            outputs[f"table_and_variable_{n}/{name}"] = value.numpy()
    tf1_tables(out, inputs, outputs)
    for name, model in keras_models().items():
        x = keras_inputs()[name]
        model.export(os.path.join(out, name))
        outputs[f"{name}/output_0"] = np.asarray(model(x))
        inputs[name] = x
    os.remove(vocab)  # the converted models must read the copies in their assets/
    os.remove(pairs)
    np.savez(os.path.join(out, "inputs.npz"), **inputs)
    np.savez(os.path.join(out, "outputs.npz"), **outputs)


if __name__ == "__main__":
    main(sys.argv[1])
