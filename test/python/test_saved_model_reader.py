"""Tests of tflc.frontend.saved_model_reader on tiny SavedModels written by TensorFlow.

TensorFlow runs once, in a subprocess (see `build_tf_models`), so this process never imports it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tflc.frontend.errors import FrontendError
from tflc.frontend.proto import types_pb2
from tflc.frontend.saved_model_reader import (
    SavedModelData,
    list_signature_keys,
    read_saved_model,
    tensor_proto_to_numpy,
)

DT_FLOAT = types_pb2.DT_FLOAT
DT_INT32 = types_pb2.DT_INT32
DT_BOOL = types_pb2.DT_BOOL

# Written by TensorFlow in a subprocess: one directory per model, expected
# values as .npy files, and TF's own proto descriptors as descriptors.json.
_TF_SCRIPT = textwrap.dedent(
    r"""
    import json, os, sys
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf

    out = sys.argv[1]

    def save(module, name, signatures):
        tf.saved_model.save(module, os.path.join(out, name), signatures=signatures)

    def expect(name, value):
        np.save(os.path.join(out, name + ".npy"), np.asarray(value), allow_pickle=True)

    class Pow(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def pow(self, x):
            return x ** self.v

    m = Pow()
    save(m, "pow", {"serving_default": m.pow})
    expect("pow.v", m.v.numpy())

    class Inner(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="weights")
            self.b = tf.Variable(np.array([1.5, -2.0, 3.25], np.float32))

    class Codec(tf.Module):
        def __init__(self):
            super().__init__()
            self.inner = Inner()
            self.scale = tf.Variable(np.int32(3))
            self.flag = tf.Variable(True)
            self.h = tf.Variable(np.array([0.5, -1.25], np.float16))
            self.bf = tf.Variable(tf.constant([1.0, -2.5, 3.0], tf.bfloat16))
            self.s = tf.Variable([b"alpha", b"", b"gamma\x00delta"])
            self.i64 = tf.Variable(np.array([[1, -2], [3, 2**40]], np.int64))
            big = np.random.default_rng(0).standard_normal((300, 300)).astype(np.float32)
            self.big = tf.Variable(big)
            self.empty_s = tf.Variable(tf.constant([], tf.string))
            self.empty_f = tf.Variable(np.zeros((0, 3), np.float32))
            self.word = tf.Variable(b"scalar")

        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32, name="a"),
                                      tf.TensorSpec([], tf.int32, name="n")])
        def encode(self, a, n):
            y = tf.matmul(a, self.inner.w) + self.inner.b
            return {"code": y * tf.cast(self.scale * n, tf.float32), "count": tf.shape(a)[0] + n}

        @tf.function(input_signature=[tf.TensorSpec([4, None], tf.float32, name="code")])
        def decode(self, code):
            z = tf.reduce_sum(code, axis=1) - self.inner.b[0]
            flag = tf.logical_not(self.flag)
            return {"decoded": z, "flag": flag, "h": tf.cast(self.h, tf.float32)}

    c = Codec()
    save(c, "codec", {"encode": c.encode, "decode": c.decode})
    for name in ["scale", "flag", "h", "i64", "big"]:
        expect("codec." + name, getattr(c, name).numpy())
    expect("codec.inner.w", c.inner.w.numpy())
    expect("codec.inner.b", c.inner.b.numpy())
    expect("codec.bf_as_f32", tf.cast(c.bf, tf.float32).numpy())
    expect("codec.s", np.array(c.s.numpy().tolist(), dtype=object))

    table = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) * 1.5)

    class Flat(tf.Module):
        def __init__(self):
            super().__init__()
            self.k = tf.Variable([[1.0, 2.0]])

        @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32),
                                      tf.TensorSpec([3, 4], tf.float32, name="second")])
        def f(self, p, q):
            return [p + 1.0, tf.reduce_sum(table * q) * self.k]

    f = Flat()
    save(f, "flat", f.f)
    expect("flat.k", f.k.numpy())
    expect("flat.table", table.numpy())

    class NoVar(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(None, tf.int32, name="x")])
        def f(self, x):
            return x * 2

    nv = NoVar()
    save(nv, "novar", nv.f)

    import keras

    class KerasWrap(tf.Module):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(3, activation="relu")
            self.dense.build((None, 4))
            self.dense.bias.assign([0.25, -0.5, 1.0])

        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="features")])
        def serve(self, features):
            return {"out": self.dense(features)}

    k = KerasWrap()
    save(k, "keras_dense", {"serving_default": k.serve})
    expect("keras.kernel", k.dense.kernel.numpy())
    expect("keras.bias", k.dense.bias.numpy())

    # TensorFlow's own descriptors, to check our re-declared protos against.
    from google.protobuf.descriptor import FieldDescriptor
    from tensorflow.core.framework import (attr_value_pb2, function_pb2, graph_pb2, node_def_pb2,
        op_def_pb2, resource_handle_pb2, tensor_pb2, tensor_shape_pb2, tensor_slice_pb2,
        types_pb2, variable_pb2, versions_pb2)
    from tensorflow.core.protobuf import (meta_graph_pb2, saved_model_pb2, saved_object_graph_pb2,
        struct_pb2, tensor_bundle_pb2, trackable_object_graph_pb2)
    described = {}
    def type_name(f):
        named = f.message_type or f.enum_type
        return named.full_name if named else ""
    def describe(msg):
        described[msg.full_name] = {
            f.name: [f.number, f.type, f.is_repeated, type_name(f)] for f in msg.fields}
        for nested in msg.nested_types:
            describe(nested)
        for enum in msg.enum_types:
            described[enum.full_name] = {v.name: v.number for v in enum.values}
    for mod in [attr_value_pb2, function_pb2, graph_pb2, node_def_pb2, op_def_pb2,
                resource_handle_pb2, tensor_pb2, tensor_shape_pb2, tensor_slice_pb2, types_pb2,
                variable_pb2, versions_pb2, meta_graph_pb2, saved_model_pb2,
                saved_object_graph_pb2, struct_pb2, tensor_bundle_pb2,
                trackable_object_graph_pb2]:
        for msg in mod.DESCRIPTOR.message_types_by_name.values():
            describe(msg)
        for enum in mod.DESCRIPTOR.enum_types_by_name.values():
            described[enum.full_name] = {v.name: v.number for v in enum.values}
    with open(os.path.join(out, "descriptors.json"), "w") as fh:
        json.dump(described, fh)
    with open(os.path.join(out, "DONE"), "w") as fh:
        fh.write(tf.__version__)
    """
)


def build_tf_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the test SavedModels once per session (shared by test modules) with a TF subprocess."""
    out = tmp_path_factory.getbasetemp() / "tf_models"
    if (out / "DONE").exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    script = out / "make_models.py"
    script.write_text(_TF_SCRIPT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run(
        [sys.executable, str(script), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the TF test models failed:\n{proc.stderr[-4000:]}")
    return out


@pytest.fixture(scope="session")
def tf_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory holding the SavedModels written by TensorFlow."""
    return build_tf_models(tmp_path_factory)


def expected(models: Path, name: str) -> Any:
    """A value TensorFlow saved next to the models."""
    return np.load(models / f"{name}.npy", allow_pickle=True)


def copy_model(models: Path, name: str, tmp_path: Path) -> Path:
    """A private copy of a model, to damage."""
    return Path(shutil.copytree(models / name, tmp_path / name))


def truncate(path: Path, keep: int) -> None:
    """Cut `path` to its first `keep` bytes."""
    data = path.read_bytes()
    path.write_bytes(data[:keep])


# --------------------------------------------------------------------------- signatures


def test_pow_signature(tf_models: Path) -> None:
    data = read_saved_model(tf_models / "pow")
    assert isinstance(data, SavedModelData)
    assert data.tags == frozenset({"serve"})
    assert list(data.signatures) == ["serving_default"]
    sig = data.signatures["serving_default"]
    assert sig.function_name in data.library
    fdef = data.library[sig.function_name]
    assert len(fdef.signature.input_arg) == len(sig.inputs) + len(sig.captures)
    assert len(fdef.signature.output_arg) == len(sig.outputs)
    assert [(s.name, s.dtype, s.shape) for s in sig.inputs] == [("x", DT_FLOAT, (-1,))]
    assert [(s.name, s.dtype, s.shape) for s in sig.outputs] == [("output_0", DT_FLOAT, (-1,))]
    (cap,) = sig.captures
    assert (cap.arg_index, cap.kind, cap.node_path) == (1, "variable", "v")
    assert cap.checkpoint_key == "v/.ATTRIBUTES/VARIABLE_VALUE"
    assert (cap.dtype, cap.shape) == (DT_FLOAT, ())
    value = cap.value()
    assert value.dtype == np.float32 and value.shape == ()
    assert value == expected(tf_models, "pow.v")
    assert fdef.signature.input_arg[cap.arg_index].type == types_pb2.DT_RESOURCE


def test_list_signature_keys_hides_init_op(tf_models: Path) -> None:
    assert list_signature_keys(tf_models / "codec") == ["decode", "encode"]
    assert "__saved_model_init_op" not in read_saved_model(tf_models / "codec").signatures


def test_two_signatures_with_dict_outputs(tf_models: Path) -> None:
    data = read_saved_model(tf_models / "codec")
    assert sorted(data.signatures) == ["decode", "encode"]

    enc = data.signatures["encode"]
    assert [(s.name, s.dtype, s.shape) for s in enc.inputs] == [
        ("a", DT_FLOAT, (-1, 2)),
        ("n", DT_INT32, ()),
    ]
    assert [(s.name, s.dtype, s.shape) for s in enc.outputs] == [
        ("code", DT_FLOAT, (-1, 3)),
        ("count", DT_INT32, ()),
    ]
    # Captures follow the function's trailing arguments, in the order the body first used them.
    assert [c.node_path for c in enc.captures] == ["inner.w", "inner.b", "scale"]
    assert [c.arg_index for c in enc.captures] == [2, 3, 4]
    assert [c.checkpoint_key for c in enc.captures] == [
        "inner/w/.ATTRIBUTES/VARIABLE_VALUE",
        "inner/b/.ATTRIBUTES/VARIABLE_VALUE",
        "scale/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    np.testing.assert_array_equal(enc.captures[0].value(), expected(tf_models, "codec.inner.w"))
    np.testing.assert_array_equal(enc.captures[1].value(), expected(tf_models, "codec.inner.b"))
    assert enc.captures[2].value() == expected(tf_models, "codec.scale")

    dec = data.signatures["decode"]
    assert [(s.name, s.dtype, s.shape) for s in dec.inputs] == [("code", DT_FLOAT, (4, -1))]
    assert [(s.name, s.dtype, s.shape) for s in dec.outputs] == [
        ("decoded", DT_FLOAT, (4,)),
        ("flag", DT_BOOL, ()),
        ("h", DT_FLOAT, (2,)),
    ]
    assert [c.node_path for c in dec.captures] == ["inner.b", "flag", "h"]
    assert dec.captures[1].value() == expected(tf_models, "codec.flag")
    half = dec.captures[2].value()
    assert half.dtype == np.float16
    np.testing.assert_array_equal(half, expected(tf_models, "codec.h"))


def test_select_signature_keys(tf_models: Path) -> None:
    data = read_saved_model(tf_models / "codec", signature_keys=["decode"])
    assert list(data.signatures) == ["decode"]
    with pytest.raises(
        FrontendError, match=r"unknown signature key.*'nope'.*available: decode, encode"
    ):
        read_saved_model(tf_models / "codec", signature_keys=["nope"])
    with pytest.raises(FrontendError, match="__saved_model_init_op"):
        read_saved_model(tf_models / "codec", signature_keys=["__saved_model_init_op"])


def test_unknown_tags_lists_available_tag_sets(tf_models: Path) -> None:
    with pytest.raises(FrontendError, match=r"tags \{train\}; available tag sets: \{serve\}"):
        read_saved_model(tf_models / "pow", tags=["train"])
    assert read_saved_model(tf_models / "pow", tags={"serve"}).tags == {"serve"}


def test_flat_list_outputs_and_captured_constant(tf_models: Path) -> None:
    data = read_saved_model(tf_models / "flat")
    sig = data.signatures["serving_default"]
    # An unnamed TensorSpec takes the Python argument name.
    assert [(s.name, s.shape) for s in sig.inputs] == [("p", (-1, -1)), ("second", (3, 4))]
    assert [(s.name, s.shape) for s in sig.outputs] == [
        ("output_0", (-1, -1)),
        ("output_1", (1, 2)),
    ]
    kinds = {c.kind: c for c in sig.captures}
    assert sorted(kinds) == ["constant", "variable"]
    assert [c.arg_index for c in sig.captures] == [2, 3]
    const = kinds["constant"]
    assert const.checkpoint_key is None and (const.dtype, const.shape) == (DT_FLOAT, (3, 4))
    np.testing.assert_array_equal(const.value(), expected(tf_models, "flat.table"))
    var = kinds["variable"]
    assert var.node_path == "k"
    np.testing.assert_array_equal(var.value(), expected(tf_models, "flat.k"))


def test_model_without_variables(tf_models: Path) -> None:
    sig = read_saved_model(tf_models / "novar").signatures["serving_default"]
    assert sig.captures == []
    assert [(s.name, s.dtype, s.shape) for s in sig.inputs] == [("x", DT_INT32, None)]
    assert [(s.name, s.dtype, s.shape) for s in sig.outputs] == [("output_0", DT_INT32, None)]


def test_keras_dense_in_module(tf_models: Path) -> None:
    sig = read_saved_model(tf_models / "keras_dense").signatures["serving_default"]
    assert [(s.name, s.shape) for s in sig.inputs] == [("features", (-1, 4))]
    assert [(s.name, s.shape) for s in sig.outputs] == [("out", (-1, 3))]
    kernel, bias = sig.captures
    assert (kernel.shape, bias.shape) == ((4, 3), (3,))
    assert kernel.node_path.startswith("dense.") and kernel.node_path.endswith("kernel")
    assert bias.node_path == "dense.bias"
    np.testing.assert_array_equal(kernel.value(), expected(tf_models, "keras.kernel"))
    np.testing.assert_array_equal(bias.value(), expected(tf_models, "keras.bias"))


def test_function_library_has_output_shapes_and_handle_data(tf_models: Path) -> None:
    from tflc.frontend.saved_model_reader import arg_handle_data

    data = read_saved_model(tf_models / "codec", signature_keys=["encode"])
    sig = data.signatures["encode"]
    fdef = data.library[sig.function_name]
    for cap in sig.captures:
        assert arg_handle_data(fdef, cap.arg_index) == [(cap.dtype, cap.shape)]
    assert arg_handle_data(fdef, 0) == []


def test_tensor_proto_to_numpy_fill_rule() -> None:
    from tflc.frontend.proto import tensor_pb2

    proto = tensor_pb2.TensorProto(dtype=types_pb2.DT_INT32)
    proto.tensor_shape.dim.add(size=2)
    proto.tensor_shape.dim.add(size=3)
    proto.int_val.extend([7, 8])
    np.testing.assert_array_equal(tensor_proto_to_numpy(proto), [[7, 8, 8], [8, 8, 8]])
    scalar = tensor_pb2.TensorProto(dtype=types_pb2.DT_HALF, half_val=[0x3C00])
    assert tensor_proto_to_numpy(scalar) == np.float16(1.0)
    strings = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[b"a", b"bc"])
    strings.tensor_shape.dim.add(size=2)
    assert tensor_proto_to_numpy(strings).tolist() == [b"a", b"bc"]


# --------------------------------------------------------------------------- errors


def test_missing_saved_model(tmp_path: Path) -> None:
    with pytest.raises(FrontendError, match="saved_model.pb: file not found"):
        read_saved_model(tmp_path)


def test_truncated_saved_model_pb(tf_models: Path, tmp_path: Path) -> None:
    model = copy_model(tf_models, "pow", tmp_path)
    pb = model / "saved_model.pb"
    truncate(pb, pb.stat().st_size // 2)
    with pytest.raises(FrontendError) as info:
        read_saved_model(model)
    assert "saved_model.pb" in str(info.value) and "re-export" in str(info.value)
    assert "\n" not in str(info.value)


def test_library_parses_only_the_functions_signatures_call() -> None:
    """FunctionDefs stay serialized until a signature needs them (checkpoint save/restore never do)."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels" / "keras_two_dense"
    data = read_saved_model(fixture)
    names = list(data.library)
    assert any("traced_save" in n for n in names) and any("traced_restore" in n for n in names)
    called = {s.function_name for s in data.signatures.values()}
    assert called <= set(data.library._parsed) and not any("traced_" in n for n in data.library._parsed)
    assert all(data.library[n].signature.name == n for n in names)


def test_corrupt_function_in_library(tmp_path: Path) -> None:
    from tflc.frontend.proto import lazy_saved_model_pb2

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels" / "keras_two_dense"
    model = tmp_path / "model"
    shutil.copytree(fixture, model)
    proto = lazy_saved_model_pb2.LazySavedModel()
    proto.ParseFromString((model / "saved_model.pb").read_bytes())
    proto.meta_graphs[0].graph_def.library.function[0] = b"\x0a\xff\xff"
    (model / "saved_model.pb").write_bytes(proto.SerializeToString())
    with pytest.raises(FrontendError, match=r"saved_model\.pb: cannot parse the SavedModel proto"):
        read_saved_model(model)


def test_lazy_views_keep_the_field_numbers() -> None:
    """The lazy reading messages are wire-compatible with the full ones they stand for."""
    from tflc.frontend.proto import function_pb2, graph_pb2, lazy_saved_model_pb2, meta_graph_pb2, saved_model_pb2

    lazy = lazy_saved_model_pb2
    pairs = [
        (lazy.LazySavedModel, saved_model_pb2.SavedModel),
        (lazy.LazyMetaGraphDef, meta_graph_pb2.MetaGraphDef),
        (lazy.LazyGraphDef, graph_pb2.GraphDef),
        (lazy.SerializedFunctionDefLibrary, function_pb2.FunctionDefLibrary),
        (lazy.FunctionDefName, function_pb2.FunctionDef),
    ]
    for view, full in pairs:
        for field in view.DESCRIPTOR.fields:
            assert full.DESCRIPTOR.fields_by_name[field.name].number == field.number, (view, field.name)
        assert set(full.DESCRIPTOR.fields_by_name) >= set(view.DESCRIPTOR.fields_by_name)


def test_truncated_variables_index(tf_models: Path, tmp_path: Path) -> None:
    model = copy_model(tf_models, "pow", tmp_path)
    index = model / "variables" / "variables.index"
    truncate(index, index.stat().st_size - 10)
    with pytest.raises(FrontendError, match=r"variables\.index: .*corrupt"):
        read_saved_model(model)


def test_truncated_variables_data(tf_models: Path, tmp_path: Path) -> None:
    model = copy_model(tf_models, "codec", tmp_path)
    (shard,) = (model / "variables").glob("variables.data-*")
    truncate(shard, shard.stat().st_size - 100)
    with pytest.raises(FrontendError, match=r"variables\.data-00000-of-00001: truncated data file"):
        read_saved_model(model)


# --------------------------------------------------------------------------- protos


def _our_descriptors() -> dict[str, Any]:
    """Our re-declared messages and enums, described like the TF subprocess describes TF's."""
    from tflc.frontend.proto import (
        attr_value_pb2,
        function_pb2,
        graph_pb2,
        meta_graph_pb2,
        node_def_pb2,
        op_def_pb2,
        resource_handle_pb2,
        saved_model_pb2,
        saved_object_graph_pb2,
        struct_pb2,
        tensor_bundle_pb2,
        tensor_pb2,
        tensor_shape_pb2,
        tensor_slice_pb2,
        trackable_object_graph_pb2,
        variable_pb2,
        versions_pb2,
    )  # fmt: skip

    described: dict[str, Any] = {}

    def describe(msg: Any) -> None:
        described[msg.full_name] = {
            f.name: [
                f.number,
                f.type,
                f.is_repeated,
                (f.message_type or f.enum_type).full_name
                if (f.message_type or f.enum_type)
                else "",
            ]
            for f in msg.fields
        }
        for nested in msg.nested_types:
            describe(nested)
        for enum in msg.enum_types:
            described[enum.full_name] = {v.name: v.number for v in enum.values}

    modules = [
        attr_value_pb2, function_pb2, graph_pb2, meta_graph_pb2, node_def_pb2, op_def_pb2,
        resource_handle_pb2, saved_model_pb2, saved_object_graph_pb2, struct_pb2, tensor_bundle_pb2,
        tensor_pb2, tensor_shape_pb2, tensor_slice_pb2, trackable_object_graph_pb2, types_pb2,
        variable_pb2, versions_pb2,
    ]  # fmt: skip
    for module in modules:
        for msg in module.DESCRIPTOR.message_types_by_name.values():
            describe(msg)
        for enum in module.DESCRIPTOR.enum_types_by_name.values():
            described[enum.full_name] = {v.name: v.number for v in enum.values}
    return described


def test_protos_match_tensorflow(tf_models: Path) -> None:
    theirs = json.loads((tf_models / "descriptors.json").read_text())
    ours = _our_descriptors()
    assert ours
    problems = []
    for full_name, fields in ours.items():
        tf_name = "tensorflow." + full_name.removeprefix("tflc.proto.")
        if tf_name not in theirs:
            problems.append(f"{full_name}: no {tf_name} in TensorFlow")
            continue
        for name, desc in fields.items():
            tf_desc = theirs[tf_name].get(name)
            if isinstance(desc, list) and tf_desc is not None:
                desc = [*desc[:3], desc[3].replace("tflc.proto.", "tensorflow.")]
            if tf_desc != desc:
                problems.append(f"{full_name}.{name}: ours {desc}, TensorFlow {tf_desc}")
    assert not problems, "\n".join(problems)


def test_tensorflow_not_imported() -> None:
    """Reading a SavedModel and its checkpoint never imports TensorFlow (checked in a fresh process)."""
    import subprocess

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels" / "keras_two_dense"
    script = (
        "import sys\n"
        "from tflc.frontend.saved_model_reader import read_saved_model\n"
        f"data = read_saved_model({str(fixture)!r})\n"
        "assert all(c.value().size for s in data.signatures.values() for c in s.captures)\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
