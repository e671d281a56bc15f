"""Resource limits on what an input may make tflc build (memory, nesting, recursion).

An input of N bytes should never make tflc allocate much more than the tensor data it
declares. A splat (a constant of one value: `dense<1.0>` in MLIR text, a SavedModel Const
filled from one value, a folded tf.Fill) stays one element until export, where the model
size limit (tflc.backend.export.DEFAULT_MAX_MODEL_BYTES) applies. Where data is expanded
otherwise (a TensorProto filled from a few values, a partly broadcast fold), the expanded
size is checked against `max_constant_bytes()` first; `TFLC_MAX_CONSTANT_BYTES` raises it.
"""

from __future__ import annotations

import os

ENV_MAX_CONSTANT_BYTES = "TFLC_MAX_CONSTANT_BYTES"
DEFAULT_MAX_CONSTANT_BYTES = 1 << 30
"""The largest constant tflc expands from a smaller description (1 GiB)."""

DEFAULT_MAX_MODEL_BYTES = 2**31
"""The most constant data export writes unless told otherwise (2 GiB, FlatBuffers' limit);
a larger model (its buffers stored after the FlatBuffer) needs the limit raised:
`--max-model-bytes` in tflc-translate and tflc-convert, `tflc.Converter.max_model_bytes`."""

MAX_STREAM_BYTES = 1 << 30
"""The most tflc reads from an input that is not a regular file (stdin, a pipe, a device:
`/dev/zero` never ends); a larger input must be saved to a file first."""

MAX_NESTING = 64
"""The deepest region nesting tflc accepts (its walks and printers recurse)."""

MAX_CALL_DEPTH = 64
"""The deepest chain of function calls the importers and the inliner follow."""


def max_constant_bytes() -> int:
    """The expansion limit in bytes (TFLC_MAX_CONSTANT_BYTES, default 1 GiB)."""
    value = os.environ.get(ENV_MAX_CONSTANT_BYTES)
    if value:
        try:
            return int(value)
        except ValueError:
            pass
    return DEFAULT_MAX_CONSTANT_BYTES


def check_expansion(count: int, itemsize: int, what: str) -> None:
    """Raise a TflcError if `count` elements of `itemsize` bytes exceed the limit."""
    from tflc.errors import TflcError

    size = count * itemsize
    if size > max_constant_bytes():
        raise TflcError(
            f"{what} would take {size} bytes ({count} elements), more than the limit of "
            f"{max_constant_bytes()} bytes; set {ENV_MAX_CONSTANT_BYTES} to raise it"
        )


def parse_size(text: str) -> int:
    """A positive byte count from the command line: `3000000000`, `4G`, `512M`, `64K` (powers of 1024)."""
    import argparse

    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = units.get(value[-1:], 1)
    if scale != 1:
        value = value[:-1]
    try:
        size = int(value) * scale
    except ValueError:
        size = 0
    if size <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes (e.g. 3000000000 or 4G), not {text!r}")
    return size
