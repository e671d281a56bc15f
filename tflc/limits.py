"""Resource limits on what an input may make tflc build (memory, nesting, recursion).

An input of N bytes should never make tflc allocate much more than the tensor data it
declares. Where data is expanded (a splat constant in MLIR text, a SavedModel Const
filled from one value, a tensor shape that multiplies out), the expanded size is checked
against `max_constant_bytes()` first; `TFLC_MAX_CONSTANT_BYTES` raises the limit.
"""

from __future__ import annotations

import os

ENV_MAX_CONSTANT_BYTES = "TFLC_MAX_CONSTANT_BYTES"
DEFAULT_MAX_CONSTANT_BYTES = 1 << 30
"""The largest constant tflc expands from a smaller description (1 GiB)."""

MAX_SPLAT_TEXT_ELEMENTS = 1 << 24
"""The most elements a splat literal in MLIR text expands to (xDSL builds it as a list)."""

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
