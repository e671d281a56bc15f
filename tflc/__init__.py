"""tflc: a TensorFlow to TensorFlow Lite compiler on xDSL.

Public API (loaded lazily, so `import tflc` stays cheap):
- `tflc.Converter`, `tflc.OpsSet`, `tflc.Optimize`: convert SavedModels, concrete
  functions and Keras models, like `tf.lite.TFLiteConverter`.
- `tflc.parse_module`, `tflc.module_to_text`: MLIR text in and out.
- `tflc.export_module`, `tflc.import_model`: tfl-dialect module <-> .tflite bytes.
- `tflc.register_pass`: make a custom pass available by name to pipelines and tflc-opt.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Converter": "tflc.converter",
    "OpsSet": "tflc.converter",
    "Optimize": "tflc.converter",
    "TargetSpec": "tflc.converter",
    "parse_module": "tflc.ir",
    "module_to_text": "tflc.ir",
    "export_module": "tflc.backend.export",
    "import_model": "tflc.backend.importer",
    "register_pass": "tflc.passes",
    "TflcError": "tflc.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tflc' has no attribute {name!r}")
