"""TFLite's hashtable builtins: `tfl.hashtable` and the find, import and size ops on its handle.

TFLite's kernels (`tflite/kernels/hashtable*.cc`) implement static tables of two kinds
only: int64 keys with string values and string keys with int64 values
(`SUPPORTED_PAIRS`). A table is a resource shared by every subgraph of an
interpreter and named by its integer `table_id`; `tfl.hashtable` yields a 1-element
resource tensor holding that id.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IntegerAttr, IntegerType
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def

from tflc.dialects.tfl import TFLOp
from tflc.dialects.tfl_traits import I64, RESOURCE, STRING, TENSOR_TYPE, tensor

SUPPORTED_PAIRS: tuple[tuple[str, str], ...] = (("STRING", "INT64"), ("INT64", "STRING"))
"""The (key, value) TensorTypes TFLite's hashtable kernels take."""


@irdl_op_definition
class HashtableOp(TFLOp):
    """`tfl.hashtable`: the handle of the static table `table_id` (created on first use)."""

    name = "tfl.hashtable"
    table_id = prop_def(IntegerAttr[IntegerType])
    key_dtype = prop_def(TENSOR_TYPE)
    value_dtype = prop_def(TENSOR_TYPE)
    out = result_def(tensor(RESOURCE, rank=1))

    def verify_(self) -> None:
        super().verify_()
        from xdsl.utils.exceptions import VerifyException

        pair = (self.key_dtype.data, self.value_dtype.data)  # type: ignore[attr-defined]
        if pair not in SUPPORTED_PAIRS:
            supported = ", ".join(f"{k} -> {v}" for k, v in SUPPORTED_PAIRS)
            raise VerifyException(f"TFLite's hashtable kernels take {supported} tables, not {pair[0]} -> {pair[1]}")


@irdl_op_definition
class HashtableFindOp(TFLOp):
    """`tfl.hashtable_find`: the value of each key, `default_value` where the table has none."""

    name = "tfl.hashtable_find"
    hash_table = operand_def(tensor(RESOURCE))
    keys = operand_def(tensor(I64, STRING))
    default_value = operand_def(tensor(I64, STRING))
    out = result_def(tensor(I64, STRING))
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class HashtableImportOp(TFLOp):
    """`tfl.hashtable_import`: fill the table with `keys` -> `values` (once; later imports do nothing)."""

    name = "tfl.hashtable_import"
    hash_table = operand_def(tensor(RESOURCE))
    keys = operand_def(tensor(I64, STRING))
    values = operand_def(tensor(I64, STRING))
    OPTIONS: ClassVar[str | None] = None


@irdl_op_definition
class HashtableSizeOp(TFLOp):
    """`tfl.hashtable_size`: the number of entries, as a 1-element int64 tensor."""

    name = "tfl.hashtable_size"
    hash_table = operand_def(tensor(RESOURCE))
    out = result_def(tensor(I64))
    OPTIONS: ClassVar[str | None] = None


HASHTABLE_OPS = (HashtableOp, HashtableFindOp, HashtableImportOp, HashtableSizeOp)
