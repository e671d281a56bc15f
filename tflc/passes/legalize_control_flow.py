"""`lower-control-flow`: control flow and the TensorLists that loops carry, before legalize-tf.

- TensorLists become plain tensors [num_elements, *element_shape]: Reserve -> zeros
  (a tfl.fill shaped at run time when the size or element dims are unknown, the
  element shape read from the loop state the While writes into the list), FromTensor
  -> the tensor, GetItem -> tfl.gather, SetItem -> tfl.dynamic_update_slice, Stack ->
  the tensor. Their types are propagated through While operands, bodies and results.
- Loop-invariant resource operands of a While (variables the body only reads) leave
  the loop: the body and condition get their own tfl.var_handle.
- tf.While / tf.StatelessWhile -> tfl.while, tf.If / tf.StatelessIf -> tfl.if, and
  tf.Case -> a chain of tfl.if over helper functions. Bodies and branches stay
  functions of the module, exported as subgraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.passes import ModulePass
from xdsl.dialects.builtin import DYNAMIC_INDEX, ArrayAttr, ModuleOp, StringAttr, SymbolRefAttr, TensorType, i1, i32
from xdsl.dialects.func import CallOp, FuncOp, ReturnOp
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from tflc.dialects import tfl
from tflc.dialects.tf import ResourceType, VariantType, tf_op_name
from tflc.passes.common import constant_array, tensor_type
from tflc.tensors import has_numpy_dtype, numpy_dtype, numpy_to_dense

WHILE_OPS = ("tf.While", "tf.StatelessWhile")
IF_OPS = ("tf.If", "tf.StatelessIf")
LIST_OPS = (
    "tf.TensorListReserve",
    "tf.TensorListFromTensor",
    "tf.TensorListGetItem",
    "tf.TensorListSetItem",
    "tf.TensorListStack",
)


def _is_variant(value: SSAValue) -> bool:
    ty = value.type
    return hasattr(ty, "element_type") and isinstance(ty.element_type, VariantType)


def _is_resource(value: SSAValue) -> bool:
    ty = value.type
    return hasattr(ty, "element_type") and isinstance(ty.element_type, ResourceType)


def _ranked(value: SSAValue) -> TensorType | None:
    ty = value.type
    return ty if isinstance(ty, TensorType) and not isinstance(ty.element_type, VariantType | ResourceType) else None


def _insert(op: Operation, anchor: Operation) -> Operation:
    op.location = anchor.location
    Rewriter.insert_op(op, InsertPoint.before(anchor))
    return op


def _const(array: np.ndarray, anchor: Operation, element=None) -> SSAValue:
    return _insert(tfl.ConstOp(numpy_to_dense(array, element)), anchor).results[0]


def _replace(op: Operation, values: list[SSAValue]) -> None:
    for old, new in zip(op.results, values):
        old.replace_all_uses_with(new)
    Rewriter.erase_op(op)


def _functions(module: ModuleOp) -> dict[str, FuncOp]:
    return {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}


def _callee(op: Operation, name: str, funcs: dict[str, FuncOp]) -> FuncOp | None:
    """The function a While (`cond`, `body`) or If (`then_branch`, `else_branch`) calls, if its
    signature fits the op's operands and results (a malformed module's does not: left alone,
    for the verifier or the unsupported-op report)."""
    ref = op.attributes.get(name)
    func = funcs.get(ref.root_reference.data) if isinstance(ref, SymbolRefAttr) else None
    if func is None or not func.body.blocks or not isinstance(func.body.block.last_op, ReturnOp):
        return None
    branch = name in ("then_branch", "else_branch")
    args = len(op.operands) - 1 if branch else len(op.operands)
    returned = len(op.results) if branch or name == "body" else None
    if len(func.body.block.args) != args or (returned is not None and len(_returned(func).operands) != returned):
        return None
    if not branch and len(op.results) != len(op.operands):
        return None
    return func


def _retype(value: SSAValue, ty) -> SSAValue:
    return Rewriter.replace_value_with_new_type(value, ty) if value.type != ty else value


# -- TensorLists -------------------------------------------------------------------------


def _lower_list_op(op: Operation) -> bool:
    """Rewrite one TensorList op whose list is (now) a tensor; whether it changed."""
    name = tf_op_name(op)
    attr = op.attributes.get("element_dtype")
    if name == "tf.TensorListReserve":
        shape, count = (constant_array(v) for v in op.operands)
        if shape is None or count is None or attr is None or np.any(np.asarray(shape) < 0):
            return False
        if np.asarray(count).size != 1 or int(np.asarray(count).reshape(-1)[0]) < 0 or not has_numpy_dtype(attr):
            return False  # left for the unsupported-ops report
        element = attr
        dims = [int(np.asarray(count).reshape(-1)[0])] + [int(d) for d in np.asarray(shape).reshape(-1)]
        zero_splat = np.broadcast_to(np.zeros((), dtype=numpy_dtype(element)), dims)  # a splat: never materialized
        _replace(op, [_const(zero_splat, op, element)])
        return True
    if name == "tf.TensorListFromTensor":
        if _ranked(op.operands[0]) is None:
            return False
        _replace(op, [op.operands[0]])
        return True
    buffer = _ranked(op.operands[0])
    if buffer is None:
        return False
    if name == "tf.TensorListStack":
        out = op.results[0].type
        value = op.operands[0]
        if out != buffer and DYNAMIC_INDEX not in buffer.get_shape():
            target = _const(np.array(buffer.get_shape(), dtype=np.int32), op)
            value = _insert(tfl.ReshapeOp.build([value, target], [out]), op).results[0]
        _replace(op, [value])
        return True
    index = op.operands[1]
    if name == "tf.TensorListGetItem":
        gather = tfl.GatherOp.build(
            [op.operands[0], index], [op.results[0].type], axis=tfl.i32_attr(0), batch_dims=tfl.i32_attr(0)
        )
        _replace(op, [_insert(gather, op).results[0]])
        return True
    if name == "tf.TensorListSetItem":
        item = op.operands[2]
        dims = list(buffer.get_shape())
        update = _insert(
            tfl.ExpandDimsOp.build(
                [item, _const(np.array(0, np.int32), op)], [TensorType(buffer.element_type, [1, *dims[1:]])]
            ),
            op,
        ).results[0]
        start = _insert(
            tfl.ReshapeOp.build([index, _const(np.array([1], np.int32), op)], [TensorType(i32, [1])]),
            op,
        ).results[0]
        if len(dims) > 1:
            zeros = _const(np.zeros(len(dims) - 1, np.int32), op)
            start = _insert(
                tfl.ConcatenationOp.build(
                    [start, zeros],
                    [TensorType(i32, [len(dims)])],
                    axis=tfl.i32_attr(0),
                    fused_activation_function=StringAttr("NONE"),
                ),
                op,
            ).results[0]
        dus = tfl.DynamicUpdateSliceOp.build([op.operands[0], update, start], [buffer])
        _replace(op, [_insert(dus, op).results[0]])
        return True
    return False


def _loop_state_like_items(reserve: Operation, funcs: dict[str, FuncOp]) -> tuple[Operation, SSAValue] | None:
    """For a list a While fills, the While and its operand whose runtime shape the list's
    items have: the loop state the body writes into the list and also carries on (a
    Keras RNN writes each step's `h` into its outputs list and returns it as state)."""
    uses = list(reserve.results[0].uses)
    if len(uses) != 1 or tf_op_name(uses[0].operation) not in WHILE_OPS:
        return None
    loop, index = uses[0].operation, uses[0].index
    body = _callee(loop, "body", funcs)
    if body is None:
        return None
    returned = list(_returned(body).operands)
    for use in body.body.block.args[index].uses:
        setter = use.operation
        if tf_op_name(setter) != "tf.TensorListSetItem" or use.index != 0:
            continue
        item = setter.operands[2]
        position = next((i for i, value in enumerate(returned) if value is item), index)
        state = loop.operands[position]
        if position != index and _ranked(state) is not None and state.type == item.type:
            return loop, state
    return None


def _lower_dynamic_reserve(op: Operation, funcs: dict[str, FuncOp]) -> bool:
    """tf.TensorListReserve with an unknown size or element dims -> tfl.fill of zeros whose
    shape is read at run time (the element shape from the loop state the items copy)."""
    shape, count = constant_array(op.operands[0]), constant_array(op.operands[1])
    element = op.attributes.get("element_dtype")
    if shape is None or element is None or np.asarray(shape).ndim != 1 or not has_numpy_dtype(element):
        return False
    if count is not None and np.asarray(count).size != 1:
        return False
    element_shape = [int(d) for d in np.asarray(shape)]
    anchor: Operation = op
    pieces: list[SSAValue] = []
    if any(d < 0 for d in element_shape):
        found = _loop_state_like_items(op, funcs)
        if found is None or len(tensor_type(found[1]).get_shape()) != len(element_shape):
            return False
        anchor, state = found
        state_shape = _insert(tfl.ShapeOp.build([state], [TensorType(i32, [len(element_shape)])]), anchor)
        pieces.append(state_shape.results[0])
    else:
        pieces.append(_const(np.array(element_shape, np.int32), anchor))
    if count is not None:
        size = _const(np.asarray(count, np.int32).reshape(1), anchor)
    else:
        size = _insert(
            tfl.ReshapeOp.build([op.operands[1], _const(np.array([1], np.int32), anchor)], [TensorType(i32, [1])]),
            anchor,
        ).results[0]
    dims = _insert(
        tfl.ConcatenationOp.build(
            [size, *pieces],
            [TensorType(i32, [1 + len(element_shape)])],
            axis=tfl.i32_attr(0),
            fused_activation_function=StringAttr("NONE"),
        ),
        anchor,
    ).results[0]
    zero = _const(np.zeros((), numpy_dtype(element)), anchor, element)
    length = -1 if count is None else int(np.asarray(count).reshape(-1)[0])
    known = [DYNAMIC_INDEX if d < 0 else d for d in [length, *element_shape]]
    fill = tfl.FillOp.build([dims, zero], [TensorType(element, known)])
    _replace(op, [_insert(fill, anchor).results[0]])
    return True


def _propagate_through_while(op: Operation, funcs: dict[str, FuncOp]) -> bool:
    """Give While bodies, conditions and results the tensor types of lowered list operands."""
    cond, body = _callee(op, "cond", funcs), _callee(op, "body", funcs)
    if cond is None or body is None:
        return False
    changed = False
    for i, operand in enumerate(op.operands):
        ty = _ranked(operand)
        if ty is None:
            continue
        for func in (cond, body):
            arg = func.body.block.args[i]
            if _is_variant(arg):
                _retype(arg, ty)
                changed = True
        if _is_variant(op.results[i]):
            _retype(op.results[i], ty)
            changed = True
    return changed


def lower_tensor_lists(module: ModuleOp) -> None:
    """Lower statically shaped TensorLists to tensors, through While loops, to a fixpoint."""
    funcs = _functions(module)
    changed = True
    while changed:
        changed = False
        for op in list(module.walk()):
            if op.parent is None:
                continue
            name = tf_op_name(op)
            if name in LIST_OPS:
                changed |= _lower_list_op(op) or (name == "tf.TensorListReserve" and _lower_dynamic_reserve(op, funcs))
            elif name in WHILE_OPS:
                changed |= _propagate_through_while(op, funcs)
    for op in list(module.walk()):  # lists nothing reads any more (e.g. unused reserves)
        if tf_op_name(op) in LIST_OPS and not any(r.uses for r in op.results):
            Rewriter.erase_op(op)
    for func in funcs.values():
        func.update_function_type()


# -- While / If / Case -------------------------------------------------------------------------


def _returned(func: FuncOp) -> ReturnOp:
    ret = func.body.block.last_op
    assert isinstance(ret, ReturnOp)
    return ret


def _invariant_source(operand: SSAValue) -> Operation | None:
    """The op to copy into a loop's functions for an operand the loop passes through
    unchanged: a variable's handle or a constant (the weights a recurrent layer's body
    reads, frozen); None for anything else."""
    owner = operand.owner
    if not isinstance(owner, Operation):
        return None
    if _is_resource(operand) and (isinstance(owner, tfl.VarHandleOp) or tf_op_name(owner) == "tf.VarHandleOp"):
        return owner
    if isinstance(owner, tfl.ConstOp | tfl.QConstOp) or tf_op_name(owner) == "tf.Const":
        return owner
    return None


def _move_invariants(op: Operation, cond: FuncOp, body: FuncOp) -> list[int]:
    """Indices of operands the loop passes through unchanged (variables' handles and
    constants), made local to cond and body: the body then sees the constants (transposes
    and splits of its weights fold) and the loop no longer copies them each iteration."""
    dropped = []
    ret = _returned(body)
    for i, operand in enumerate(op.operands):
        if ret.operands[i] != body.body.block.args[i]:
            continue
        handle = _invariant_source(operand)
        if handle is None:
            continue
        for func in (cond, body):
            arg = func.body.block.args[i]
            if arg.uses:
                local = handle.clone()
                first = func.body.block.first_op
                assert first is not None  # the block uses `arg`, so it has ops
                func.body.block.insert_op_before(local, first)
                arg.replace_all_uses_with(local.results[0])
        dropped.append(i)
    return dropped


def _remove_args(func: FuncOp, indices: list[int], drop_results: bool) -> None:
    block = func.body.block
    if drop_results:
        ret = _returned(func)
        keep = [v for i, v in enumerate(ret.operands) if i not in indices]
        new_ret = ReturnOp(*keep)
        block.insert_op_before(new_ret, ret)
        block.erase_op(ret)
    for i in sorted(indices, reverse=True):
        if block.args[i].uses:
            for use in list(block.args[i].uses):  # only the return could still use it
                raise AssertionError(f"argument {i} of @{func.sym_name.data} still used by {use.operation.name}")
        block.erase_arg(block.args[i])
    if func.arg_attrs is not None:
        func.arg_attrs = ArrayAttr([a for i, a in enumerate(func.arg_attrs.data) if i not in indices])
    func.update_function_type()


def lower_while(op: Operation, funcs: dict[str, FuncOp], uses: dict[str, int] | None = None) -> bool:
    """tf.While -> tfl.while (invariant handles and constants moved into its functions when
    no other op names them); False if it cannot be lowered."""
    cond, body = _callee(op, "cond", funcs), _callee(op, "body", funcs)
    if cond is None or body is None:
        return False
    alone = uses is None or (uses.get(cond.sym_name.data) == 1 and uses.get(body.sym_name.data) == 1)
    dropped = _move_invariants(op, cond, body) if alone and cond is not body else []
    kept = [i for i in range(len(op.operands)) if i not in dropped]
    if any(_ranked(op.operands[i]) is None or _ranked(op.results[i]) is None for i in kept):
        return False
    if dropped:
        _remove_args(body, dropped, drop_results=True)
        _remove_args(cond, dropped, drop_results=False)
    new = tfl.WhileOp.build(
        [op.operands[i] for i in kept],
        [op.results[i].type for i in kept],
        cond=SymbolRefAttr(cond.sym_name.data),
        body=SymbolRefAttr(body.sym_name.data),
    )
    _insert(new, op)
    values = {i: r for i, r in zip(kept, new.results)}
    _replace(op, [values.get(i, op.operands[i]) for i in range(len(op.results))])
    return True


def lower_if(op: Operation, funcs: dict[str, FuncOp]) -> bool:
    """tf.If -> tfl.if with the same branch functions."""
    then_f, else_f = _callee(op, "then_branch", funcs), _callee(op, "else_branch", funcs)
    cond, *inputs = op.operands
    if then_f is None or else_f is None or not all(_ranked(v) is not None for v in (*op.operands, *op.results)):
        return False
    new = tfl.IfOp.build(
        [cond, *inputs],
        [r.type for r in op.results],
        then_branch=SymbolRefAttr(then_f.sym_name.data),
        else_branch=SymbolRefAttr(else_f.sym_name.data),
    )
    _replace(op, list(_insert(new, op).results))
    return True


def _branch_chain(module: ModuleOp, name: str, index_type, branches: list[FuncOp], first: int) -> FuncOp:
    """A private function (index, *inputs) running branches[first:] by `index` (last one by default)."""
    input_types = list(branches[0].function_type.inputs.data)
    result_types = list(branches[0].function_type.outputs.data)
    block = Block(arg_types=[index_type, *input_types])
    index, *inputs = block.args
    func = FuncOp(f"{name}_from_{first}", (block.arg_types, result_types), Region(block), visibility="private")
    module.body.block.add_op(func)
    if first == len(branches) - 1:
        call = CallOp(branches[first].sym_name.data, list(inputs), result_types)
        block.add_ops([call, ReturnOp(*call.results)])
        return func
    rest = _branch_chain(module, name, index_type, branches, first + 1)
    # The helper for the else side needs the index too: wrap it.
    else_block = Block(arg_types=[index_type, *input_types])
    wrapper = FuncOp(
        f"{name}_else_{first}", (else_block.arg_types, result_types), Region(else_block), visibility="private"
    )
    module.body.block.add_op(wrapper)
    call_rest = CallOp(rest.sym_name.data, list(else_block.args), result_types)
    else_block.add_ops([call_rest, ReturnOp(*call_rest.results)])
    then_block = Block(arg_types=[index_type, *input_types])
    then_f = FuncOp(
        f"{name}_then_{first}", (then_block.arg_types, result_types), Region(then_block), visibility="private"
    )
    module.body.block.add_op(then_f)
    call_then = CallOp(branches[first].sym_name.data, list(then_block.args[1:]), result_types)
    then_block.add_ops([call_then, ReturnOp(*call_then.results)])
    k = tfl.ConstOp(numpy_to_dense(np.array(first, dtype=numpy_dtype(index_type.element_type))))
    eq = tfl.EqualOp.build([index, k.results[0]], [TensorType(i1, [])])
    branch = tfl.IfOp.build(
        [eq.results[0], index, *inputs],
        result_types,
        then_branch=SymbolRefAttr(then_f.sym_name.data),
        else_branch=SymbolRefAttr(wrapper.sym_name.data),
    )
    block.add_ops([k, eq, branch, ReturnOp(*branch.results)])
    return func


def lower_case(op: Operation, funcs: dict[str, FuncOp], module: ModuleOp) -> bool:
    """tf.Case / tf.StatelessCase -> a call of a chain of tfl.if (index == k ? branch k : ...),
    the last branch by default."""
    refs = op.attributes.get("branches")
    if not isinstance(refs, ArrayAttr) or not refs.data:
        return False
    found = [funcs.get(r.root_reference.data) for r in refs.data if isinstance(r, SymbolRefAttr)]
    branches = [b for b in found if b is not None]
    index, *inputs = op.operands
    if len(branches) != len(found) or _ranked(index) is None:
        return False
    if not all(_ranked(v) is not None for v in (*inputs, *op.results)):
        return False
    chain = _branch_chain(module, f"case_{len(funcs)}", index.type, branches, 0)
    call = CallOp(chain.sym_name.data, [index, *inputs], [r.type for r in op.results])
    _replace(op, list(_insert(call, op).results))
    return True


def inline_calls(module: ModuleOp) -> None:
    """Inline the func.call ops lower_case made (the helpers become tfl.if bodies)."""
    from tflc.passes.inline import inline_call

    funcs = _functions(module)
    while calls := [o for o in module.walk() if isinstance(o, CallOp) and o.callee.root_reference.data in funcs]:
        for call in calls:
            inline_call(call, funcs[call.callee.root_reference.data])
    used = {
        attr.root_reference.data
        for o in module.walk()
        for attr in (*o.attributes.values(), *o.properties.values())
        if isinstance(attr, SymbolRefAttr)
    }
    for name, func in _functions(module).items():
        if name.startswith("case_") and name not in used and func.sym_visibility is not None:
            module.body.block.erase_op(func)


def lower_control_flow(module: ModuleOp) -> None:
    """Lower TensorLists, then While, If and Case ops, in every function of the module."""
    lower_tensor_lists(module)
    funcs = _functions(module)
    uses = _symbol_uses(module)
    for op in list(module.walk()):
        name = tf_op_name(op)
        if name in WHILE_OPS:
            lower_while(op, funcs, uses)
        elif name in IF_OPS:
            lower_if(op, funcs)
        elif name in ("tf.Case", "tf.StatelessCase"):
            lower_case(op, funcs, module)
    inline_calls(module)


@dataclass(frozen=True)
class LowerControlFlow(ModulePass):
    """Lower tf While/If/Case to tfl.while/tfl.if over function bodies, and TensorLists to tensors."""

    name = "lower-control-flow"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lower_control_flow(op)


def _symbol_uses(module: ModuleOp) -> dict[str, int]:
    """How many op attributes or properties name each symbol."""
    uses: dict[str, int] = {}
    for o in module.walk():
        for attr in (*o.attributes.values(), *o.properties.values()):
            if isinstance(attr, SymbolRefAttr):
                name = attr.root_reference.data
                uses[name] = uses.get(name, 0) + 1
    return uses


def sink_loop_constants(module: ModuleOp) -> int:
    """Move the constants (and variable handles) a tfl.while passes through unchanged into
    its cond and body functions (when no other op names them), dropping those loop values;
    the number moved."""
    funcs = _functions(module)
    uses = _symbol_uses(module)
    moved = 0
    for op in [o for o in module.walk() if isinstance(o, tfl.WhileOp)]:
        cond, body = funcs.get(op.cond.root_reference.data), funcs.get(op.body.root_reference.data)
        if cond is None or body is None or cond is body:
            continue
        if uses.get(cond.sym_name.data) != 1 or uses.get(body.sym_name.data) != 1:
            continue  # shared with another loop: its arguments are not this loop's alone
        dropped = _move_invariants(op, cond, body)
        if not dropped:
            continue
        _remove_args(body, dropped, drop_results=True)
        _remove_args(cond, dropped, drop_results=False)
        kept = [i for i in range(len(op.operands)) if i not in dropped]
        new = tfl.WhileOp.build(
            [op.operands[i] for i in kept], [op.results[i].type for i in kept], cond=op.cond, body=op.body
        )
        _insert(new, op)
        values = {i: r for i, r in zip(kept, new.results)}
        _replace(op, [values.get(i, op.operands[i]) for i in range(len(op.results))])
        moved += len(dropped)
    return moved


@dataclass(frozen=True)
class SinkLoopConstants(ModulePass):
    """Constants a tfl.while only passes along become constants of its body and condition
    (their transposes and splits then fold, and the loop stops copying them each step)."""

    name = "tfl-sink-loop-constants"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from tflc.passes import stats

        moved = sink_loop_constants(op)
        if moved:
            stats.record("moved loop-invariant constants into tfl.while bodies", moved)
