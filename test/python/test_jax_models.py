"""JAX models (jnp MLP, shape-polymorphic MLP, lax.conv CNN, flax CNN, flax transformer block)
convert through jax2tf SavedModels and through Converter.from_jax to all-builtin TFLite models
that match JAX within 1e-4 with at most as many ops as TensorFlow's converter gives."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter

import tflc

sys.path.insert(0, str(Path(__file__).parent / "models"))
import jax_models  # noqa: E402

TOLERANCE = 1e-4


def _ops(model: bytes) -> list[str]:
    """The operators of a model (read before any delegate is applied)."""
    return [op["op_name"] for op in Interpreter(model_content=model)._get_ops_details()]


def _run(model: bytes, x: np.ndarray) -> np.ndarray:
    """Run the model's only signature on `x` (resizing the input to x's shape)."""
    interpreter = Interpreter(model_content=model)
    runner = interpreter.get_signature_runner()
    (name,) = runner.get_input_details()
    outputs = runner(**{name: x})
    assert len(outputs) == 1
    return next(iter(outputs.values()))


def _check(model: bytes, name: str, arrays: dict[str, np.ndarray], tf_ops: list[str]) -> None:
    ops = _ops(model)
    assert all(op.isupper() and op not in ("CUSTOM", "DELEGATE") for op in ops), ops
    assert len(ops) <= len(tf_ops), f"{name}: {len(ops)} ops {ops}, TensorFlow {len(tf_ops)} {tf_ops}"
    count = len(jax_models.POLY_BATCHES) if name == "poly_mlp" else 1
    for i in range(count):
        got = _run(model, arrays[f"{name}/x{i}"])
        want = arrays[f"{name}/y{i}"]
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("name", jax_models.NAMES)
def test_jax2tf_saved_model(jax_models, name: str) -> None:
    """The jax2tf SavedModel (one tf.XlaCallModule) converts to builtins matching JAX."""
    root, arrays, tf_ops = jax_models
    converter = tflc.Converter.from_saved_model(root / name)
    model = converter.convert()
    _check(model, name, arrays, tf_ops[name])


@pytest.mark.parametrize("name", jax_models.NAMES)
def test_from_jax(jax_models, name: str) -> None:
    """Converter.from_jax gives the same kind of model straight from the JAX function."""
    _, arrays, tf_ops = jax_models
    fn, example, poly = jax_models_build(name)
    model = tflc.Converter.from_jax(fn, [("x", example)], polymorphic_shapes=poly).convert()
    assert list(Interpreter(model_content=model).get_signature_list()) == ["serving_default"]
    _check(model, name, arrays, tf_ops[name])


def jax_models_build(name: str):
    """The model function, example input and polymorphic shapes."""
    return jax_models.build(name)


def test_poly_mlp_keeps_dynamic_batch(jax_models) -> None:
    """The polymorphic batch dim `b` stays dynamic (-1 in shape_signature)."""
    root, _, _ = jax_models
    model = tflc.Converter.from_saved_model(root / "poly_mlp").convert()
    details = Interpreter(model_content=model).get_signature_runner().get_input_details()
    (detail,) = details.values()
    assert list(detail["shape_signature"]) == [-1, 16]


def test_from_jax_multiple_functions() -> None:
    """Several functions become several signatures, named after the functions."""
    import jax.numpy as jnp

    def double(x):
        return x * 2.0

    def total(x, y):
        return jnp.sum(x + y, axis=0)

    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    model = tflc.Converter.from_jax([double, total], [[("x", x)], [("a", x), ("b", x)]]).convert()
    signatures = Interpreter(model_content=model).get_signature_list()
    assert signatures == {
        "double": {"inputs": ["x"], "outputs": ["output_0"]},
        "total": {"inputs": ["a", "b"], "outputs": ["output_0"]},
    }
    runner = Interpreter(model_content=model).get_signature_runner("total")
    np.testing.assert_allclose(runner(a=x, b=x)["output_0"], np.sum(2 * x, axis=0))


def test_saved_model_without_jax_says_what_to_install(jax_models, monkeypatch) -> None:
    """Without jaxlib, reading the StableHLO module fails with one message naming the fix."""
    root, _, _ = jax_models
    monkeypatch.setitem(sys.modules, "jaxlib.mlir", None)
    monkeypatch.setitem(sys.modules, "jaxlib", None)
    with pytest.raises(tflc.TflcError) as info:
        tflc.Converter.from_saved_model(root / "mlp").convert()
    message = str(info.value)
    assert "tf.XlaCallModule" in message and "pip install" in message and "jax" in message
    assert "\n" not in message


def test_cli_converts_jax2tf_saved_model(jax_models, tmp_path) -> None:
    """tflc-convert handles the jax2tf SavedModel like any other."""
    from tflc.tools.convert import main

    root, arrays, _ = jax_models
    out = tmp_path / "m.tflite"
    assert main(["--saved-model-dir", str(root / "flax_cnn"), "--output-file", str(out)]) == 0
    got = _run(out.read_bytes(), arrays["flax_cnn/x0"])
    np.testing.assert_allclose(got, arrays["flax_cnn/y0"], atol=TOLERANCE, rtol=0)


def test_corrupt_stablehlo_module_is_one_clear_error() -> None:
    """Bytes that are no StableHLO artifact give one message naming the node and the fix."""
    from tflc.frontend.xla_call_module import stablehlo_text

    with pytest.raises(tflc.TflcError) as info:
        stablehlo_text(b"\x00not a portable artifact", "node 'XlaCallModule'")
    message = str(info.value)
    assert message.startswith("node 'XlaCallModule': the StableHLO module of tf.XlaCallModule cannot be read")
    assert "re-export" in message and "\n" not in message


def test_conversion_is_deterministic(jax_models) -> None:
    """The same jax2tf SavedModel converts to byte-identical models."""
    root, _, _ = jax_models
    first = tflc.Converter.from_saved_model(root / "flax_transformer").convert()
    assert tflc.Converter.from_saved_model(root / "flax_transformer").convert() == first


def _convert_inlined(stablehlo_module, arg_types, **calling_convention) -> bytes:
    """A one-signature model calling a StableHLO module's @main as jax2tf's attributes say."""
    from xdsl.dialects.builtin import FunctionType, ModuleOp
    from xdsl.dialects.func import FuncOp, ReturnOp
    from xdsl.ir import Block, Region

    from tflc.dialects.tf_saved_model import mark_exported, mark_module
    from tflc.frontend.xla_call_module import inline_module

    block = Block(arg_types=arg_types)
    results = inline_module(stablehlo_module, block, list(block.args), node_name="XlaCallModule", source="<test>", **calling_convention)
    block.add_op(ReturnOp(*results))
    func = FuncOp("serving_default", FunctionType.from_lists(arg_types, [r.type for r in results]), Region(block))
    mark_exported(func, "serving_default", [f"x{i}" for i in range(len(arg_types))], [f"y{i}" for i in range(len(results))])
    module = ModuleOp([func])
    mark_module(module)
    return tflc.Converter.from_module(module).convert()


def test_multi_platform_module_runs_the_cpu_lowering() -> None:
    """A module exported for several platforms takes a platform index; tflc passes CPU's."""
    import jax
    import jax.numpy as jnp
    from jax import export
    from xdsl.dialects.builtin import TensorType, f32

    from tflc.frontend.xla_call_module import parse_stablehlo, stablehlo_text

    def fn(x):
        return jnp.tanh(x) * 2.0

    exported = export.export(jax.jit(fn), platforms=["cuda", "cpu"])(jax.ShapeDtypeStruct((2, 3), jnp.float32))
    module = parse_stablehlo(stablehlo_text(exported.mlir_module_serialized, "node 'x'"), "<test>")
    model = _convert_inlined(module, [TensorType(f32, [2, 3])], platforms=["CUDA", "CPU"])
    x = np.linspace(-2, 2, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(_run(model, x), np.tanh(x) * 2.0, atol=1e-6)
    with pytest.raises(tflc.TflcError, match="exported for CUDA, TPU only"):
        _convert_inlined(module, [TensorType(f32, [2, 3])], platforms=["CUDA", "TPU"])


TOKEN_MODULE = """
"builtin.module"() ({
  "func.func"() <{function_type = (!stablehlo.token, tensor<3xf32>) -> (!stablehlo.token, tensor<3xf32>), sym_name = "main"}> ({
  ^bb0(%t: !stablehlo.token, %x: tensor<3xf32>):
    %t2 = "stablehlo.after_all"(%t) : (!stablehlo.token) -> !stablehlo.token
    %y = "stablehlo.negate"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    "func.return"(%t2, %y) : (!stablehlo.token, tensor<3xf32>) -> ()
  }) : () -> ()
}) : () -> ()
"""

DIM_ARG_MODULE = """
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<i64>, tensor<?x3xf32>) -> tensor<?x3xf32>, sym_name = "main"}> ({
  ^bb0(%b: tensor<i64>, %x: tensor<?x3xf32>):
    %f = "stablehlo.convert"(%b) : (tensor<i64>) -> tensor<f32>
    %b1 = "stablehlo.reshape"(%b) : (tensor<i64>) -> tensor<1xi64>
    %c3 = "stablehlo.constant"() <{value = dense<3> : tensor<1xi64>}> : () -> tensor<1xi64>
    %shape = "stablehlo.concatenate"(%b1, %c3) <{dimension = 0 : i64}> : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
    %bb = "stablehlo.dynamic_broadcast_in_dim"(%f, %shape) <{broadcast_dimensions = array<i64>}> : (tensor<f32>, tensor<2xi64>) -> tensor<?x3xf32>
    %y = "stablehlo.multiply"(%x, %bb) : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
    "func.return"(%y) : (tensor<?x3xf32>) -> ()
  }) : () -> ()
}) : () -> ()
"""


def test_token_arguments_and_legacy_dimension_arguments() -> None:
    """has_token_input_output: a token goes in and the token result is dropped; dim_args_spec
    `0.0`: the module's dimension argument is read from input 0's dim 0."""
    from xdsl.dialects.builtin import DYNAMIC_INDEX, TensorType, f32

    from tflc.frontend.xla_call_module import parse_stablehlo

    x = np.arange(3, dtype=np.float32)
    model = _convert_inlined(parse_stablehlo(TOKEN_MODULE, "<test>"), [TensorType(f32, [3])], has_token=True)
    np.testing.assert_allclose(_run(model, x), -x)
    model = _convert_inlined(parse_stablehlo(DIM_ARG_MODULE, "<test>"), [TensorType(f32, [DYNAMIC_INDEX, 3])], dim_specs=["0.0"])
    for batch in (1, 4):
        x = np.ones((batch, 3), np.float32)
        np.testing.assert_allclose(_run(model, x), x * batch)
