"""Test helpers: convert MLIR text, run signatures in ai-edge-litert."""

from __future__ import annotations

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from tflc.backend.export import export_module
from tflc.ir import parse_module, verify_module
from tflc.pipeline import run_pipeline


def mlir_to_tflite(text: str, passes: str = "prepare-tf,lower-control-flow,legalize-tf,canonicalize,cse,dce") -> bytes:
    """Parse MLIR text, run passes (verifying after each) and export."""
    module = parse_module(text)
    verify_module(module)
    run_pipeline(module, passes)
    return export_module(module)


def run_signature(model: bytes, key: str, **inputs: np.ndarray) -> dict[str, np.ndarray]:
    """Run one signature of a model in ai-edge-litert."""
    interpreter = Interpreter(model_content=model)
    return interpreter.get_signature_runner(key)(**inputs)


def signature_list(model: bytes) -> dict:
    """The model's signature list as ai-edge-litert reports it."""
    return Interpreter(model_content=model).get_signature_list()


def check_case_outputs(case, model: bytes, name: str, expected: dict[str, np.ndarray]) -> None:
    """A lowering case's signature `name` gives TensorFlow's outputs: shapes, exact integers,
    floats within the case's tolerance."""
    runner = Interpreter(model_content=model).get_signature_runner(name)
    outputs = runner(**{f"x{i}": a for i, a in enumerate(case.inputs)})
    assert sorted(outputs) == sorted(expected)
    for key, ref in expected.items():
        got = outputs[key]
        assert got.shape == ref.shape, (key, got.shape, ref.shape)
        if ref.dtype.kind in "biu":
            np.testing.assert_array_equal(got, ref, err_msg=key)
        else:
            np.testing.assert_allclose(got, ref, rtol=case.rtol, atol=case.atol, err_msg=key)


def check_case_builtins(case, model: bytes, name: str) -> None:
    """Signature `name` is all builtins, among them the ones the case's lowering writes."""
    from ai_edge_litert import schema_py_generated as fb

    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    m = fb.ModelT.InitFromPackedBuf(model, 0)
    index = next(s.subgraphIndex for s in m.signatureDefs if s.signatureKey.decode() == name)
    codes = m.operatorCodes
    used = {
        names[max(codes[o.opcodeIndex].builtinCode, codes[o.opcodeIndex].deprecatedBuiltinCode)]
        for o in m.subgraphs[index].operators
    }
    assert set(case.builtins) <= used, used
    assert "CUSTOM" not in used
