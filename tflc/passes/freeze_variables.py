"""`freeze-variables`: turn variables that are only read into constants.

A `tf_saved_model.global_tensor` that no function does anything to but read
(`tf.ReadVariableOp` of an argument bound to it with `{tf_saved_model.bound_input = @v}`)
is frozen: the arguments go, the reads become `tf.Const` ops holding its value.
Variables that any function assigns stay resources; unused global tensors are dropped.
"""

from __future__ import annotations

import math

from dataclasses import dataclass

import numpy as np

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from tflc.dialects import tf
from tflc.dialects.tf import tf_op_name
from tflc.dialects.tf_saved_model import GlobalTensorOp, bound_input
from tflc.passes.loop_variables import WHILE_OPS, detach_loop_variables, loop_reads_only


@dataclass(frozen=True)
class FreezeVariables(ModulePass):
    """Replace reads of read-only variables by their values."""

    name = "freeze-variables"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        globals_ = {g.sym_name.data: g for g in op.ops if isinstance(g, GlobalTensorOp)}
        funcs = [f for f in op.ops if isinstance(f, FuncOp)]
        by_name = {f.sym_name.data: f for f in funcs}
        written = {name for f in funcs for name in _written_variables(f, by_name)}
        read_only = {name: g for name, g in globals_.items() if name not in written and g.value is not None}
        for func in funcs:
            _detach_read_only_loop_variables(func, read_only, by_name)
        for func in funcs:
            self._freeze_function(func, read_only)
        used = {bound_input(f, i) for f in op.ops if isinstance(f, FuncOp) for i in range(len(f.args))}
        for name, global_tensor in globals_.items():
            if name not in used:
                op.body.block.erase_op(global_tensor)

    def _freeze_function(self, func: FuncOp, globals_: dict[str, GlobalTensorOp]) -> None:
        block = func.body.block
        for index in reversed(range(len(block.args))):
            symbol = bound_input(func, index)
            global_tensor = globals_.get(symbol) if symbol else None
            if global_tensor is None or global_tensor.value is None:
                continue
            arg = block.args[index]
            if any(tf_op_name(use.operation) not in ("tf.ReadVariableOp", "tf.ResourceGather") for use in arg.uses):
                continue  # used other than by reads: stays a variable (lower-variables handles or reports it)
            for read in dict.fromkeys(use.operation for use in arg.uses):
                if tf_op_name(read) == "tf.ResourceGather":
                    _freeze_gather(read, global_tensor)
                    continue
                const = tf.ConstOp.create(
                    result_types=[read.results[0].type],
                    attributes={"value": _as_type(global_tensor, read.results[0].type)},
                )
                const.location = read.location
                block.insert_op_before(const, read)
                read.results[0].replace_all_uses_with(const.results[0])
                block.erase_op(read)
            if arg.uses:
                from tflc.errors import TflcError

                raise TflcError(
                    f"variable '{global_tensor.sym_name.data}' of @{func.sym_name.data} is still used after its reads "
                    "became constants; the function reads it in a way tflc does not support"
                )
            block.erase_arg(arg)
            attrs = list(func.arg_attrs.data) if func.arg_attrs else []
            if attrs:
                del attrs[index]
                func.arg_attrs = ArrayAttr(attrs)
        func.update_function_type()


READ_OPS = frozenset({"tf.ReadVariableOp", "tf.ResourceGather"})


def _written_variables(func: FuncOp, funcs: dict[str, FuncOp]) -> set[str]:
    """The global tensors a function does anything to but read (loops that only read count as reads)."""
    written = set()
    for index, arg in enumerate(func.body.block.args):
        symbol = bound_input(func, index)
        if symbol and not all(_is_read(use.operation, use.index, funcs) for use in arg.uses):
            written.add(symbol)
    return written


def _is_read(user: Operation, index: int, funcs: dict[str, FuncOp]) -> bool:
    name = tf_op_name(user)
    return name in READ_OPS or (name in WHILE_OPS and loop_reads_only(user, index, funcs))


def _detach_read_only_loop_variables(
    func: FuncOp, read_only: dict[str, GlobalTensorOp], funcs: dict[str, FuncOp]
) -> None:
    """Take read-only variables out of the While loops of `func` (their reads become constants)."""
    for index, arg in enumerate(func.body.block.args):
        symbol = bound_input(func, index)
        if symbol not in read_only:
            continue
        for use in list(arg.uses):
            loop = use.operation
            if tf_op_name(loop) in WHILE_OPS and loop_reads_only(loop, use.index, funcs):
                detach_loop_variables(loop, {use.index: read_only[symbol]}, funcs)


def _freeze_gather(gather, global_tensor: GlobalTensorOp) -> None:
    """tf.ResourceGather(variable, ids) -> tf.GatherV2(constant, ids, batch_dims)."""
    from xdsl.dialects.builtin import IntegerAttr, i64

    from tflc.tensors import numpy_to_dense

    block = gather.parent_block()
    batch_dims = gather.attributes.get("batch_dims")
    dims = batch_dims.value.data if isinstance(batch_dims, IntegerAttr) else 0
    checkpoint = global_tensor.checkpoint_value()
    value = tf.ConstOp.create(result_types=[checkpoint.type], attributes={"value": checkpoint})
    axis_attr = numpy_to_dense(np.array(dims, dtype=np.int32))
    axis = tf.ConstOp.create(result_types=[axis_attr.type], attributes={"value": axis_attr})
    new = tf.GatherV2Op.create(
        operands=[value.results[0], gather.operands[1], axis.results[0]],
        result_types=[gather.results[0].type],
        attributes={"batch_dims": IntegerAttr(dims, i64)},
    )
    for op in (value, axis, new):
        op.location = gather.location
        block.insert_op_before(op, gather)
    gather.results[0].replace_all_uses_with(new.results[0])
    block.erase_op(gather)


def _as_type(global_tensor: GlobalTensorOp, result_type):
    """The variable's value, reshaped to the read's static type when it has one."""
    from tflc.tensors import dense_to_numpy, numpy_to_dense

    value = global_tensor.checkpoint_value()
    static = isinstance(result_type, TensorType) and all(d >= 0 for d in result_type.get_shape())
    if static and value.type != result_type:
        array = dense_to_numpy(value)
        if array.size != math.prod(result_type.get_shape()):
            from tflc.errors import TflcError

            raise TflcError(
                f"variable '{global_tensor.sym_name.data}' is read as {result_type} but its value is {value.type}; "
                "the SavedModel's graph and checkpoint disagree"
            )
        return numpy_to_dense(array.reshape(result_type.get_shape()), result_type.element_type)
    return value
