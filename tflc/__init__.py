"""tflc: a TensorFlow to TensorFlow Lite compiler on xDSL.

Public API (loaded lazily, so `import tflc` stays cheap):
- `tflc.Converter`, `tflc.OpsSet`, `tflc.Optimize`: convert SavedModels, concrete
  functions and Keras models, like `tf.lite.TFLiteConverter`.
- `tflc.parse_module`, `tflc.module_to_text`: MLIR text in and out.
- `tflc.export_module`, `tflc.import_model`: tfl-dialect module <-> .tflite bytes.
- `tflc.register_pass`, `tflc.get_pass`, `tflc.load_plugin`: passes by name, for pipelines
  and tflc-opt (installed plugin packages are found through entry points).
- `tflc.RepresentativeDataset`, `tflc.UnsupportedOptionError`: as in `tf.lite`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Converter": "tflc.converter",
    "OpsSet": "tflc.converter",
    "Optimize": "tflc.converter",
    "TargetSpec": "tflc.converter",
    "RepresentativeDataset": "tflc.compat",
    "UnsupportedOptionError": "tflc.compat",
    "parse_module": "tflc.ir",
    "module_to_text": "tflc.ir",
    "export_module": "tflc.backend.export",
    "import_model": "tflc.backend.importer",
    "register_pass": "tflc.passes",
    "get_pass": "tflc.passes",
    "load_plugin": "tflc.plugins",
    "TflcError": "tflc.errors",
}

if TYPE_CHECKING:  # what type checkers see: the real classes and functions (imported lazily at run time)
    from tflc.backend.export import export_module as export_module
    from tflc.backend.importer import import_model as import_model
    from tflc.compat import RepresentativeDataset as RepresentativeDataset
    from tflc.compat import UnsupportedOptionError as UnsupportedOptionError
    from tflc.converter import Converter as Converter, OpsSet as OpsSet, Optimize as Optimize, TargetSpec as TargetSpec
    from tflc.errors import TflcError as TflcError
    from tflc.ir import module_to_text as module_to_text, parse_module as parse_module
    from tflc.passes import get_pass as get_pass, register_pass as register_pass
    from tflc.plugins import load_plugin as load_plugin

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tflc' has no attribute {name!r}")
