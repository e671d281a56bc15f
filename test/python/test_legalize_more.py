"""The issue-14 lowerings (TF ops TensorFlow's converter lowers to builtins), numerically:
tiny TF functions saved as one SavedModel (one signature per case), converted once by
tflc, run in ai-edge-litert and compared with TensorFlow eager; and a cached decode
step (the cache as input and output, updated by XlaDynamicUpdateSlice as Keras writes
it) run token by token."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from helpers import check_case_builtins, check_case_outputs

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(14)


def _normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


@dataclass
class Case:
    fn: Callable
    inputs: list[np.ndarray]
    builtins: tuple[str, ...]  # TFLite builtins the lowering must use
    rtol: float = 1e-5
    atol: float = 1e-6


def _cases() -> dict[str, Case]:
    import tensorflow as tf
    from tensorflow.compiler.tf2xla.python import xla

    raw = tf.raw_ops
    x = _normal(2, 3, 4)
    with_zeros = np.where(RNG.random((2, 3, 4)) < 0.3, 0.0, _normal(2, 3, 4)).astype(np.float32)
    ids = np.array([0, 2, 0, 3, 2], np.int32)
    rows = _normal(5, 3)
    cache = _normal(1, 6, 4)
    step = _normal(1, 1, 4)
    ints = RNG.integers(-9, 9, (2, 5)).astype(np.int32)
    nonzero_ints = np.where(ints == 0, 3, ints).astype(np.int32)[::-1].copy()
    return {
        "reciprocal": Case(lambda a: tf.math.reciprocal(a), [np.abs(x) + 0.5], ("DIV",)),
        "inv": Case(lambda a: raw.Inv(x=a), [np.abs(x) + 0.5], ("DIV",)),
        "div_no_nan": Case(lambda a, b: tf.math.divide_no_nan(a, b), [x, with_zeros], ("DIV", "SELECT_V2")),
        "div_float": Case(lambda a, b: raw.Div(x=a, y=b), [x, np.abs(x) + 0.5], ("DIV",)),
        "div_int": Case(lambda a, b: raw.Div(x=a, y=b), [ints, nonzero_ints], ("DIV",)),
        "log1p": Case(lambda a: tf.math.log1p(a), [np.abs(x)], ("LOG", "ADD")),
        "softsign": Case(lambda a: tf.nn.softsign(a), [x], ("DIV", "ABS")),
        "lrn": Case(
            lambda a: tf.nn.local_response_normalization(a, depth_radius=2, bias=1.5, alpha=0.3, beta=0.75),
            [_normal(1, 3, 3, 6)],
            ("LOCAL_RESPONSE_NORMALIZATION",),
        ),
        "xla_dynamic_update_slice": Case(
            lambda c, u, i: xla.dynamic_update_slice(c, u, tf.stack([0, i, 0])),
            [cache, step, np.array(3, np.int32)],
            ("DYNAMIC_UPDATE_SLICE",),
        ),
        "xla_dynamic_update_slice_clamped": Case(
            lambda c, u, i: xla.dynamic_update_slice(c, u, tf.stack([0, i, 0])),
            [cache, step, np.array(9, np.int32)],
            ("DYNAMIC_UPDATE_SLICE",),
        ),
        "xla_dynamic_slice": Case(
            lambda c, i: xla.dynamic_slice(c, tf.stack([0, i, 0]), [1, 3, 4]),
            [cache, np.array(2, np.int32)],
            ("SLICE",),
        ),
        "xla_dynamic_slice_clamped": Case(
            lambda c, i: xla.dynamic_slice(c, tf.stack([0, i, 0]), [1, 3, 4]),
            [cache, np.array(5, np.int32)],
            ("SLICE",),
        ),
        "band_part_causal": Case(lambda a: tf.linalg.band_part(a, -1, 0), [_normal(2, 4, 5)], ("SELECT_V2",)),
        "band_part_band": Case(lambda a: tf.linalg.band_part(a, 1, 2), [_normal(5, 4)], ("SELECT_V2",)),
        "band_part_constant": Case(
            lambda a: a + tf.linalg.band_part(tf.ones((4, 4)), 0, -1), [_normal(4, 4)], ("ADD",)
        ),
        "matrix_diag": Case(lambda a: tf.linalg.diag(a), [_normal(2, 3)], ("MATRIX_DIAG",)),
        "matrix_set_diag": Case(
            lambda a, d: tf.linalg.set_diag(a, d), [_normal(2, 3, 3), _normal(2, 3)], ("MATRIX_SET_DIAG",)
        ),
        "unsorted_segment_sum": Case(
            lambda d, i: tf.math.unsorted_segment_sum(d, i, 5), [rows, ids], ("UNSORTED_SEGMENT_SUM",)
        ),
        "unsorted_segment_prod": Case(
            lambda d, i: tf.math.unsorted_segment_prod(d, i, 4), [rows, ids], ("UNSORTED_SEGMENT_PROD",)
        ),
        "unsorted_segment_max": Case(
            lambda d, i: tf.math.unsorted_segment_max(d, i, 4), [rows, ids], ("UNSORTED_SEGMENT_MAX",)
        ),
        "unsorted_segment_min": Case(
            lambda d, i: tf.math.unsorted_segment_min(d, i, 4), [rows, ids], ("UNSORTED_SEGMENT_MIN",)
        ),
        "segment_sum_constant_ids": Case(
            lambda d: tf.math.segment_sum(d, tf.constant([0, 0, 1, 3, 3])), [rows], ("UNSORTED_SEGMENT_SUM",)
        ),
        "segment_sum": Case(
            lambda d, i: tf.math.segment_sum(d, i), [rows, np.array([0, 0, 1, 2, 2], np.int32)], ("SEGMENT_SUM",)
        ),
        "sparse_to_dense": Case(
            lambda v: raw.SparseToDense(
                sparse_indices=tf.constant([[0, 1], [2, 3], [3, 0]]),
                output_shape=tf.constant([4, 5]),
                sparse_values=v,
                default_value=tf.constant(-1.0),
            ),
            [_normal(3)],
            ("SPARSE_TO_DENSE",),
        ),
        "one_hot": Case(
            lambda i: tf.one_hot(i, 5, on_value=2.0, off_value=-1.0),
            [np.array([[0, 4], [2, 7]], np.int32)],
            ("ONE_HOT",),
        ),
        "one_hot_axis0": Case(lambda i: tf.one_hot(i, 4, axis=0), [np.array([3, 0, 1], np.int32)], ("ONE_HOT",)),
        "where": Case(lambda a: tf.where(a > 0.0), [x], ("WHERE",)),
        "reverse_sequence": Case(
            lambda a: tf.reverse_sequence(a, tf.constant([2, 3]), seq_axis=1, batch_axis=0), [x], ("REVERSE_SEQUENCE",)
        ),
        "gather_v1": Case(
            lambda p, i: raw.Gather(params=p, indices=i), [rows, np.array([[4, 0], [2, 2]], np.int32)], ("GATHER",)
        ),
        "batch_matmul_v1": Case(
            lambda a, b: raw.BatchMatMul(x=a, y=b, adj_y=True), [_normal(2, 3, 4), _normal(2, 5, 4)], ("BATCH_MATMUL",)
        ),
        "batch_matmul_v3": Case(
            lambda a, b: raw.BatchMatMulV3(x=a, y=b, Tout=tf.float32, adj_x=True),
            [_normal(2, 4, 3), _normal(2, 4, 5)],
            ("BATCH_MATMUL",),
        ),
        "bitcast": Case(lambda a: tf.bitcast(a, tf.int32), [x], ("BITCAST",)),
        "broadcast_args": Case(
            lambda s: raw.BroadcastArgs(s0=s, s1=tf.constant([4, 1, 1], tf.int32)),
            [np.array([3, 1], np.int32)],
            ("BROADCAST_ARGS",),
        ),
    }


def _dict_outputs(fn: Callable) -> Callable:
    def wrapped(*args):
        out = fn(*args)
        out = out if isinstance(out, tuple | list) else (out,)
        return {f"out{i}": o for i, o in enumerate(out)}

    return wrapped


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):
    """(cases, tflite bytes, TF eager references): one SavedModel with a signature per case."""
    import tensorflow as tf

    from tflc import Converter

    cases = _cases()
    module = tf.Module()
    signatures = {}
    references = {}
    for name, case in cases.items():
        specs = [tf.TensorSpec(a.shape, tf.as_dtype(a.dtype), name=f"x{i}") for i, a in enumerate(case.inputs)]
        wrapped = _dict_outputs(case.fn)
        fn = tf.function(wrapped, input_signature=specs)
        setattr(module, name, fn)
        signatures[name] = fn.get_concrete_function()
        references[name] = {k: v.numpy() for k, v in wrapped(*[tf.constant(a) for a in case.inputs]).items()}
    path = tmp_path_factory.mktemp("legalize_more") / "model"
    tf.saved_model.save(module, str(path), signatures=signatures)
    return cases, Converter.from_saved_model(path).convert(), references


CASE_NAMES = [
    "reciprocal",
    "inv",
    "div_no_nan",
    "div_float",
    "div_int",
    "log1p",
    "softsign",
    "lrn",
    "xla_dynamic_update_slice",
    "xla_dynamic_update_slice_clamped",
    "xla_dynamic_slice",
    "xla_dynamic_slice_clamped",
    "band_part_causal",
    "band_part_band",
    "band_part_constant",
    "matrix_diag",
    "matrix_set_diag",
    "unsorted_segment_sum",
    "unsorted_segment_prod",
    "unsorted_segment_max",
    "unsorted_segment_min",
    "segment_sum_constant_ids",
    "segment_sum",
    "sparse_to_dense",
    "one_hot",
    "one_hot_axis0",
    "where",
    "reverse_sequence",
    "gather_v1",
    "batch_matmul_v1",
    "batch_matmul_v3",
    "bitcast",
    "broadcast_args",
]


def test_case_names_cover_cases() -> None:
    assert sorted(CASE_NAMES) == sorted(_cases())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_lowering_matches_tensorflow(converted, name: str) -> None:
    cases, model, references = converted
    check_case_outputs(cases[name], model, name, references[name])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_lowering_uses_its_builtins(converted, name: str) -> None:
    """Each signature is all builtins, with the ones its lowering writes."""
    cases, model, _ = converted
    check_case_builtins(cases[name], model, name)


# -- a cached decode step, as keras-hub's causal LMs write it ------------------------------

MAX_LEN, WIDTH, VOCAB = 8, 8, 32
TOKENS = [3, 17, 5, 30, 2, 9]


def _decoder():
    """A one-layer attention decoder: token embedding, K/V cache written with
    keras.ops.slice_update (XlaDynamicUpdateSlice), causal attention over the cache."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(7)
    w = {
        k: tf.constant(rng.standard_normal(s).astype(np.float32) * 0.5)
        for k, s in {
            "emb": (VOCAB, WIDTH),
            "q": (WIDTH, WIDTH),
            "k": (WIDTH, WIDTH),
            "v": (WIDTH, WIDTH),
            "out": (WIDTH, VOCAB),
        }.items()
    }

    def attend(token, keys, values, index):
        x = tf.gather(w["emb"], token)  # [1, 1, W]
        q, k, v = (tf.matmul(x, w[n]) for n in "qkv")
        keys = keras.ops.slice_update(keys, tf.stack([0, index, 0]), k)
        values = keras.ops.slice_update(values, tf.stack([0, index, 0]), v)
        scores = tf.matmul(q, keys, transpose_b=True) / np.sqrt(WIDTH).astype(np.float32)  # [1, 1, MAX]
        visible = tf.range(MAX_LEN) <= index
        scores = tf.where(visible, scores, tf.constant(-1e9))
        logits = tf.matmul(tf.matmul(tf.nn.softmax(scores), values), w["out"])
        return logits, keys, values

    return attend


@pytest.fixture(scope="module")
def decode_models():
    """(stateless model, stateful model, TF eager logits per token): converted once."""
    import tensorflow as tf

    from tflc import Converter

    attend = _decoder()
    cache_spec = tf.TensorSpec([1, MAX_LEN, WIDTH], tf.float32)

    @tf.function(
        input_signature=[
            tf.TensorSpec([1, 1], tf.int32, name="token"),
            cache_spec,
            cache_spec,
            tf.TensorSpec([], tf.int32, name="index"),
        ]
    )
    def step(token, keys, values, index):
        logits, keys, values = attend(token, keys, values, index)
        return {"logits": logits, "keys": keys, "values": values}

    class Stateful(tf.Module):
        def __init__(self):
            self.keys = tf.Variable(tf.zeros([1, MAX_LEN, WIDTH]))
            self.values = tf.Variable(tf.zeros([1, MAX_LEN, WIDTH]))

        @tf.function(
            input_signature=[tf.TensorSpec([1, 1], tf.int32, name="token"), tf.TensorSpec([], tf.int32, name="index")]
        )
        def step(self, token, index):
            logits, keys, values = attend(token, self.keys, self.values, index)
            self.keys.assign(keys)
            self.values.assign(values)
            return {"logits": logits}

    keys = values = tf.zeros([1, MAX_LEN, WIDTH])
    reference = []
    for i, t in enumerate(TOKENS):
        out = step(tf.constant([[t]]), keys, values, tf.constant(i))
        keys, values = out["keys"], out["values"]
        reference.append(out["logits"].numpy())
    stateless = Converter.from_concrete_functions([step.get_concrete_function()]).convert()
    module = Stateful()
    stateful = Converter.from_concrete_functions([module.step.get_concrete_function()], module).convert()
    return stateless, stateful, reference


def test_decode_step_cache_in_and_out(decode_models) -> None:
    """The step run token by token, the cache fed back, matches TF eager at every token."""
    from ai_edge_litert.interpreter import Interpreter

    stateless, _, reference = decode_models
    runner = Interpreter(model_content=stateless).get_signature_runner()
    keys = values = np.zeros([1, MAX_LEN, WIDTH], np.float32)
    for i, t in enumerate(TOKENS):
        out = runner(token=np.array([[t]], np.int32), keys=keys, values=values, index=np.array(i, np.int32))
        keys, values = out["keys"], out["values"]
        np.testing.assert_allclose(out["logits"], reference[i], rtol=1e-4, atol=1e-5, err_msg=f"token {i}")


def test_decode_step_cache_in_variables(decode_models) -> None:
    """The stateful step (the cache in resource variables) matches TF eager at every token."""
    from ai_edge_litert import schema_py_generated as fb
    from ai_edge_litert.interpreter import Interpreter

    _, stateful, reference = decode_models
    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    m = fb.ModelT.InitFromPackedBuf(stateful, 0)
    used = {names[max(c.builtinCode, c.deprecatedBuiltinCode)] for c in m.operatorCodes}
    assert {"DYNAMIC_UPDATE_SLICE", "ASSIGN_VARIABLE", "READ_VARIABLE"} <= used and "CUSTOM" not in used
    runner = Interpreter(model_content=stateful).get_signature_runner()
    for i, t in enumerate(TOKENS):
        out = runner(token=np.array([[t]], np.int32), index=np.array(i, np.int32))
        np.testing.assert_allclose(out["logits"], reference[i], rtol=1e-4, atol=1e-5, err_msg=f"token {i}")


def test_tensor_proto_constants_legalize_to_their_numbers() -> None:
    """tf.Const values TF prints as TensorProtos (its `tftensor$` text form, and binary)
    become dense constants: x + c computes in ai-edge-litert as in numpy."""
    from helpers import mlir_to_tflite, run_signature

    from tflc.frontend.proto import tensor_pb2, types_pb2

    content = np.array([[1.5, -2.0, 3.25], [0.0, 8.0, -0.5]], np.float32)
    octal = "".join("\\%03o" % b for b in content.tobytes())  # text format's escapes
    text_proto = (
        "tftensor$dtype: DT_FLOAT\ntensor_shape { dim { size: 2 } dim { size: 3 } }\n"
        f'tensor_content: "{octal}"\n'
    ).encode()
    binary = tensor_pb2.TensorProto(dtype=types_pb2.DT_INT32, int_val=[7])
    binary.tensor_shape.dim.add(size=3)
    c_hex, k_hex = text_proto.hex().upper(), binary.SerializeToString().hex().upper()
    mlir = f"""
func.func @main(%x: tensor<2x3xf32>, %i: tensor<3xi32>) -> (tensor<2x3xf32>, tensor<3xi32>) {{
  %c = "tf.Const"() {{value = #tf_type<tensor_proto : "0x{c_hex}"> : tensor<2x3xf32>}} : () -> tensor<2x3xf32>
  %k = "tf.Const"() {{value = #tf_type<tensor_proto : "0x{k_hex}"> : tensor<3xi32>}} : () -> tensor<3xi32>
  %0 = "tf.AddV2"(%x, %c) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "tf.Mul"(%i, %k) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %0, %1 : tensor<2x3xf32>, tensor<3xi32>
}}
"""
    x = _normal(2, 3)
    i = np.array([1, -2, 3], np.int32)
    out = run_signature(mlir_to_tflite(mlir), "serving_default", arg0=x, arg1=i)
    np.testing.assert_allclose(out["output_0"], x + content, rtol=1e-6)
    np.testing.assert_array_equal(out["output_1"], i * 7)


def _dense(array: np.ndarray) -> str:
    ty = f"tensor<{'x'.join(map(str, array.shape))}xf32>"
    return f'"tf.Const"() {{value = dense<"0x{array.tobytes().hex().upper()}"> : {ty}}} : () -> {ty}'


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def test_unidirectional_sequence_lstm_and_rnn_run_as_numpy_cells() -> None:
    """TF's fused tf.UnidirectionalSequenceLstm / Rnn (time major, tanh) become TFLite's
    builtins with their states as variable tensors: ai-edge-litert computes the numpy
    recurrences step by step, and a second run continues from the kept state."""
    from ai_edge_litert import schema_py_generated as fb
    from ai_edge_litert.interpreter import Interpreter
    from helpers import mlir_to_tflite

    steps, batch, n_in, n_cell = 5, 2, 3, 4
    rng = np.random.default_rng(3)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    gates = {g: (w(n_cell, n_in), w(n_cell, n_cell), w(n_cell)) for g in "ifco"}
    rnn_w, rnn_r, rnn_b = w(n_cell, n_in), w(n_cell, n_cell), w(n_cell)
    lines = [f"%{g}x = {_dense(gates[g][0])}" for g in "ifco"]
    lines += [f"%{g}h = {_dense(gates[g][1])}" for g in "ifco"]
    lines += [f"%{g}b = {_dense(gates[g][2])}" for g in "ifco"]
    lines += [f"%h0 = {_dense(np.zeros((batch, n_cell), np.float32))}"]
    lines += [f"%c0 = {_dense(np.zeros((batch, n_cell), np.float32))}"]
    lines += [f"%unused = {_dense(np.ones(n_cell, np.float32))}"]
    lines += [f"%rw = {_dense(rnn_w)}", f"%rr = {_dense(rnn_r)}", f"%rb = {_dense(rnn_b)}"]
    lstm_operands = "%x, %ix, %fx, %cx, %ox, %ih, %fh, %ch, %oh, %unused, %unused, %unused, %ib, %fb, %cb, %ob"
    lstm_operands += ", %unused, %unused, %h0, %c0"
    seq = f"tensor<{steps}x{batch}x{n_cell}xf32>"
    m4 = f"tensor<{n_cell}x{n_in}xf32>"
    r4 = f"tensor<{n_cell}x{n_cell}xf32>"
    v4 = f"tensor<{n_cell}xf32>"
    s4 = f"tensor<{batch}x{n_cell}xf32>"
    lstm_types = ", ".join([f"tensor<{steps}x{batch}x{n_in}xf32>", *[m4] * 4, *[r4] * 4, *[v4] * 7, v4, v4, s4, s4])
    body = "\n  ".join(lines)
    text = f"""
func.func @main(%x: tensor<{steps}x{batch}x{n_in}xf32>) -> ({seq}, {seq}) {{
  {body}
  %l:3 = "tf.UnidirectionalSequenceLstm"({lstm_operands})
      {{_tflite_input_indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19]}}
      : ({lstm_types}) -> (tensor<*xf32>, tensor<*xf32>, {seq})
  %r:2 = "tf.UnidirectionalSequenceRnn"(%x, %rw, %rr, %rb, %h0) {{_tflite_input_indices = [0, 1, 2, 3, 4]}}
      : (tensor<{steps}x{batch}x{n_in}xf32>, {m4}, {r4}, {v4}, {s4}) -> (tensor<*xf32>, {seq})
  func.return %l#2, %r#1 : {seq}, {seq}
}}
"""
    model = mlir_to_tflite(text)
    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    codes = {parsed.operatorCodes[o.opcodeIndex].builtinCode for o in parsed.subgraphs[0].operators}
    assert codes == {fb.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, fb.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_RNN}
    variables = [t for t in parsed.subgraphs[0].tensors if t.isVariable]
    assert len(variables) == 3 and all(t.buffer == 0 for t in variables)  # h and c of the LSTM, h of the RNN

    def reference(x: np.ndarray, h: np.ndarray, c: np.ndarray, hr: np.ndarray):
        lstm_out, rnn_out = [], []
        for t in range(steps):
            pre = {g: x[t] @ gates[g][0].T + h @ gates[g][1].T + gates[g][2] for g in "ifco"}
            c = _sigmoid(pre["f"]) * c + _sigmoid(pre["i"]) * np.tanh(pre["c"])
            h = _sigmoid(pre["o"]) * np.tanh(c)
            hr = np.tanh(x[t] @ rnn_w.T + hr @ rnn_r.T + rnn_b)
            lstm_out.append(h)
            rnn_out.append(hr)
        return np.stack(lstm_out), np.stack(rnn_out), (h, c, hr)

    interpreter = Interpreter(model_content=model)
    runner = interpreter.get_signature_runner("serving_default")
    state = (np.zeros((batch, n_cell), np.float32),) * 3
    for _ in range(2):  # the second run starts from the first run's final states
        x = rng.standard_normal((steps, batch, n_in)).astype(np.float32)
        out = runner(arg0=x)
        lstm_ref, rnn_ref, state = reference(x, *state)
        np.testing.assert_allclose(out["output_0"], lstm_ref, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(out["output_1"], rnn_ref, rtol=1e-5, atol=1e-5)


def test_variable_state_tensors_import_as_splats(tmp_path) -> None:
    """A state tensor (no data) imports as one zero element broadcast to its shape: a corrupt
    .tflite declaring a 40 GB state costs no memory, and the tools reject it cleanly."""
    import subprocess
    import sys
    import tracemalloc
    from pathlib import Path

    import flatbuffers
    from ai_edge_litert import schema_py_generated as fb
    from helpers import mlir_to_tflite

    from tflc.backend.importer import import_model
    from tflc.tensors import is_splat_attr

    root = Path(__file__).resolve().parents[1]
    model = mlir_to_tflite((root / "filecheck" / "legalize" / "Inputs" / "rnn_tfl.mlir").read_text())
    parsed = fb.ModelT.InitFromPackedBuf(model, 0)
    (state,) = [t for t in parsed.subgraphs[0].tensors if t.isVariable]
    state.shape = np.array([100_000, 100_000], np.int32)
    builder = flatbuffers.Builder(0)
    builder.Finish(parsed.Pack(builder), file_identifier=b"TFL3")
    corrupt = bytes(builder.Output())
    tracemalloc.start()
    module = import_model(corrupt, "corrupt.tflite")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 << 20, peak
    consts = [op for op in module.walk() if op.name == "tfl.pseudo_const"]
    big = [op for op in consts if list(op.value.get_shape()) == [100_000, 100_000]]
    assert len(big) == 1 and is_splat_attr(big[0].value)
    path = tmp_path / "corrupt.tflite"
    path.write_bytes(corrupt)
    tool = Path(sys.executable).parent / "tflc-translate"
    result = subprocess.run([str(tool), "--tflite-to-mlir", str(path)], capture_output=True, text=True)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode in (0, 1)
