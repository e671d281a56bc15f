"""Variables that a While loop only reads: take them out of the loop so they can be frozen.

Keras RNN layers pass their weights through `tf.While` as resource operands. When the
loop's body only reads such a resource (and returns it unchanged) and its condition
only reads it too, the reads inside the loop become constants of the variable's value
and the resource leaves the loop's operands, results and function signatures.
"""

from __future__ import annotations

from xdsl.dialects.builtin import ArrayAttr, SymbolRefAttr
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Operation, SSAValue

from tflc.dialects import tf
from tflc.dialects.tf import tf_op_name
from tflc.dialects.tf_saved_model import GlobalTensorOp

WHILE_OPS = frozenset({"tf.While", "tf.StatelessWhile"})


def _function(op: Operation, attr: str, funcs: dict[str, FuncOp]) -> FuncOp | None:
    ref = op.attributes.get(attr)
    return funcs.get(ref.root_reference.data) if isinstance(ref, SymbolRefAttr) else None


def only_reads(value: SSAValue, passthrough_index: int | None = None) -> bool:
    """Whether a resource is only read (or returned unchanged at `passthrough_index`)."""
    for use in value.uses:
        user = use.operation
        if tf_op_name(user) == "tf.ReadVariableOp":
            continue
        if isinstance(user, ReturnOp) and use.index == passthrough_index:
            continue
        return False
    return True


def loop_reads_only(loop: Operation, index: int, funcs: dict[str, FuncOp]) -> bool:
    """Whether operand `index` of a While loop is a resource its body and cond only read."""
    body, cond = _function(loop, "body", funcs), _function(loop, "cond", funcs)
    if body is None or cond is None or loop.results[index].uses:
        return False
    return only_reads(body.body.block.args[index], index) and only_reads(cond.body.block.args[index])


def _freeze_reads(func: FuncOp, index: int, value: GlobalTensorOp) -> None:
    """Reads of argument `index` become constants; the argument (and its return) go."""
    block = func.body.block
    arg = block.args[index]
    for use in list(arg.uses):
        user = use.operation
        if isinstance(user, ReturnOp):
            operands = list(user.operands)
            del operands[index]
            user.operands = operands
            continue
        const = tf.ConstOp.create(result_types=[user.results[0].type], attributes={"value": value.checkpoint_value()})
        const.location = user.location
        block.insert_op_before(const, user)
        user.results[0].replace_all_uses_with(const.results[0])
        block.erase_op(user)
    block.erase_arg(arg)
    func.update_function_type()


def detach_loop_variables(loop: Operation, frozen: dict[int, GlobalTensorOp], funcs: dict[str, FuncOp]) -> None:
    """Rebuild `loop` without the operands in `frozen`, freezing their reads in body and cond."""
    body, cond = _function(loop, "body", funcs), _function(loop, "cond", funcs)
    assert body is not None and cond is not None
    for index in sorted(frozen, reverse=True):
        _freeze_reads(body, index, frozen[index])
        _freeze_reads(cond, index, frozen[index])
    keep = [i for i in range(len(loop.operands)) if i not in frozen]
    attributes = dict(loop.attributes)
    for name in ("T", "output_shapes"):
        listed = attributes.get(name)
        if isinstance(listed, ArrayAttr) and len(listed.data) == len(loop.operands):
            attributes[name] = ArrayAttr([listed.data[i] for i in keep])
    new = type(loop).create(
        operands=[loop.operands[i] for i in keep],
        result_types=[loop.results[i].type for i in keep],
        attributes=attributes,
        properties=dict(loop.properties),
    )
    new.location = loop.location
    block = loop.parent_block()
    assert block is not None
    block.insert_op_before(new, loop)
    for old, value in zip([loop.results[i] for i in keep], new.results):
        old.replace_all_uses_with(value)
    block.erase_op(loop)
