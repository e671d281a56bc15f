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
