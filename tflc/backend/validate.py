"""Check a model before it is written: every op must pass the TFLite runtime's own checks.

ai-edge-litert's `Prepare` step (with its default XNNPACK delegate, as an app loads a
model) checks the shapes, types and options of every operator. tflc runs it on each model it writes (every
signature's subgraph), so a model built from a corrupted but accepted input is refused
with the runtime's reason instead of being written and failing on the device.
In a model with custom (Flex) operators, whose kernels live outside ai-edge-litert,
the subgraphs the runtime cannot prepare for want of such a kernel are skipped; the
others are checked. Models above VALIDATE_MAX_BYTES are skipped (the check holds a
second copy of the model).
"""

from __future__ import annotations

import os
import sys
import tempfile

from tflc.errors import ConversionError

VALIDATE_MAX_BYTES = 1 << 28
"""Models larger than this (256 MiB) are written without the runtime check."""


def _has_custom_ops(data: bytes | memoryview) -> bool:
    from tflc.backend import schema

    model = schema.fb_module.Model.GetRootAs(data, 0)
    custom = schema.builtin_operator("CUSTOM")
    for i in range(model.OperatorCodesLength()):
        opcode = model.OperatorCodes(i)
        if max(opcode.BuiltinCode(), opcode.DeprecatedBuiltinCode()) == custom:
            return True
    return False


def validate_model(data: bytes | memoryview) -> None:
    """Raise a ConversionError if ai-edge-litert cannot prepare every subgraph of the model."""
    if len(data) > VALIDATE_MAX_BYTES or os.environ.get("TFLC_SKIP_VALIDATION"):
        return
    from ai_edge_litert.interpreter import Interpreter

    content = bytes(data)
    custom = _has_custom_ops(data)
    with _captured_stderr() as log:
        error = None
        try:  # as an app loads it: default delegates (XNNPACK) included
            interpreter = Interpreter(model_content=content)
            if not custom:
                interpreter.allocate_tensors()  # (before `wrapper` holds a reference it refuses)
            wrapper = interpreter._interpreter  # per-subgraph preparation has no public API
            signatures = [wrapper.GetSubgraphIndexFromSignature(key) for key in interpreter.get_signature_list()]
            if not custom:
                for index in signatures:
                    wrapper.AllocateTensors(index)
            else:
                error = _prepare_each_subgraph(content, [0, *signatures], log)
        except (RuntimeError, ValueError) as err:
            error = str(err)
    if error is not None:
        reason = " ".join(
            line.strip()
            for line in (log.read() + "\n" + error).splitlines()
            if line.strip() and not line.startswith("INFO:")
        )
        raise ConversionError(
            f"the TFLite runtime rejects the model tflc built ({reason[:600]}); an op has shapes or types "
            "TFLite cannot run: check the input model"
        )


def _prepare_each_subgraph(content: bytes, indices: list[int], log: _captured_stderr) -> str | None:
    """Why the runtime refuses one of these subgraphs, or None; a subgraph that needs a
    custom or Flex kernel outside ai-edge-litert is not judged. A failed preparation sticks
    to its interpreter, so each subgraph gets a fresh one."""
    from ai_edge_litert.interpreter import Interpreter

    for index in dict.fromkeys(indices):
        seen = len(log.read())
        try:
            Interpreter(model_content=content)._interpreter.AllocateTensors(index)
        except (RuntimeError, ValueError) as err:
            if not _needs_missing_kernel(log.read()[seen:] + str(err)):
                return str(err)
    return None


def _needs_missing_kernel(reason: str) -> bool:
    """Whether the runtime failed for want of a custom op's kernel (Flex ops need TF's delegate)."""
    return "unresolved custom op" in reason or "Select TensorFlow op" in reason


class _captured_stderr:  # noqa: N801 - a context manager used like a function
    """Collect what native code writes to file descriptor 2 (litert logs its reasons there)."""

    def __enter__(self) -> _captured_stderr:
        sys.stderr.flush()
        self._file = tempfile.TemporaryFile(mode="w+")
        self._saved = os.dup(2)
        os.dup2(self._file.fileno(), 2)
        return self

    def read(self) -> str:
        """What was written so far."""
        self._file.seek(0)
        return self._file.read()

    def __exit__(self, *exc: object) -> None:
        os.dup2(self._saved, 2)
        os.close(self._saved)

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()
