"""`tfl.custom`: a TFLite CUSTOM operator (Flex ops included), kept as its code and option bytes.

The .tflite importer reads every CUSTOM operator into this op and the exporter writes
it back unchanged, so models with custom or Flex (`Flex<TFOp>`) operators round-trip.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import BytesAttr, StringAttr, TensorType
from xdsl.irdl import BaseAttr, irdl_op_definition, prop_def, var_operand_def, var_result_def

from tflc.dialects.tfl import TFLOp


@irdl_op_definition
class CustomOp(TFLOp):
    """A custom operator: `custom_code` names its kernel, `custom_option` is its options buffer."""

    name = "tfl.custom"
    OPTIONS: ClassVar[str | None] = None  # custom options are bytes, not a BuiltinOptions table
    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    custom_code = prop_def(StringAttr)
    # Bytes; option bytes that are all ASCII print as a plain string and read back as one.
    custom_option = prop_def(BaseAttr(BytesAttr) | BaseAttr(StringAttr))

    def option_bytes(self) -> bytes:
        """The custom options buffer."""
        attr = self.custom_option
        return attr.data if isinstance(attr, BytesAttr) else attr.data.encode()
