"""`lower-variables`: SavedModel variables that are assigned become TFLite resource variables.

Each `tf_saved_model.global_tensor` still bound to an exported function (after
`freeze-variables`) becomes a resource variable named after it: an initializer
function assigns every initial value, each function that uses variables starts with
`tfl.call_once` of it, takes handles from `tfl.var_handle` instead of arguments, and
reads and writes through `tfl.read_variable` / `tfl.assign_variable`. Functions
sharing a variable share its state, which persists across invocations.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, FunctionType, ModuleOp, StringAttr, TensorType, UnrankedTensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from tflc.dialects import tfl
from tflc.dialects.tf import ResourceType, tf_op_name
from tflc.dialects.tf_saved_model import GlobalTensorOp, bound_input
from tflc.errors import ConversionError

SESSION_INIT = "tfl_session_init"
NONE = StringAttr("NONE")


def _handle_type(global_tensor: GlobalTensorOp) -> TensorType:
    return TensorType(ResourceType([global_tensor.type]), [])


def _var_handle(name: str, ty: TensorType) -> tfl.VarHandleOp:
    return tfl.VarHandleOp.build([], [ty], container=StringAttr(""), shared_name=StringAttr(name))


def _initializer(globals_: list[GlobalTensorOp]) -> FuncOp:
    """The function assigning every variable its initial value."""
    block = Block()
    for g in globals_:
        if g.value is None:
            raise ConversionError(f"variable '{g.sym_name.data}' has no initial value in the checkpoint")
        handle = _var_handle(g.sym_name.data, _handle_type(g))
        value = tfl.ConstOp(g.value)
        block.add_ops([handle, value, tfl.AssignVariableOp.build([handle.results[0], value.results[0]], [])])
    block.add_op(ReturnOp())
    func = FuncOp(SESSION_INIT, FunctionType.from_lists([], []), Region(block))
    func.sym_visibility = StringAttr("private")
    return func


_VARIABLE_OP_ARITY = {
    "tf.ReadVariableOp": (1, 1),
    "tf.AssignVariableOp": (2, 0),
    "tf.AssignAddVariableOp": (2, 0),
    "tf.AssignSubVariableOp": (2, 0),
}
"""Operands and results of the resource ops this pattern lowers."""


def _is_resource(value: SSAValue) -> bool:
    ty = value.type
    return isinstance(ty, TensorType | UnrankedTensorType) and isinstance(ty.element_type, ResourceType)


def _resource_value_type(handle: SSAValue) -> Attribute | None:
    """The tensor type a resource handle's variable holds (`!tf_type.resource<tensor<f32>>`)."""
    ty = handle.type
    assert isinstance(ty, TensorType | UnrankedTensorType) and isinstance(ty.element_type, ResourceType)
    subtypes = ty.element_type.subtypes.data
    return subtypes[0] if subtypes else None


class LowerResourceOps(RewritePattern):
    """tf.ReadVariableOp / AssignVariableOp / AssignAdd / AssignSub on handles -> tfl ops."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        name = tf_op_name(op)
        arity = _VARIABLE_OP_ARITY.get(name)
        if arity is None:
            return
        if (len(op.operands), len(op.results)) != arity or not _is_resource(op.operands[0]):
            from tflc.errors import describe_location

            raise ConversionError(
                f"{describe_location(op.location)}: '{name}' takes a resource handle "
                f"{'and a value ' if arity[0] == 2 else ''}and gives {arity[1]} result(s); "
                f"got ({', '.join(str(v.type) for v in op.operands)}) -> {len(op.results)} result(s)"
            )
        if name == "tf.ReadVariableOp":
            new: Operation = tfl.ReadVariableOp.build([op.operands[0]], [op.results[0].type])
            new.location = op.location
            rewriter.replace(op, new)
        elif name == "tf.AssignVariableOp":
            new = tfl.AssignVariableOp.build(list(op.operands[:2]), [])
            new.location = op.location
            rewriter.replace(op, new, [])
        elif name in ("tf.AssignAddVariableOp", "tf.AssignSubVariableOp"):
            handle, delta = op.operands[0], op.operands[1]
            value_type = _resource_value_type(handle) or delta.type
            read = tfl.ReadVariableOp.build([handle], [value_type])
            math = tfl.AddOp if name == "tf.AssignAddVariableOp" else tfl.SubOp
            update = math.create(
                operands=[read.results[0], delta],
                result_types=[value_type],
                properties={"fused_activation_function": NONE},
            )
            assign = tfl.AssignVariableOp.build([handle, update.results[0]], [])
            for new in (read, update, assign):
                new.location = op.location
            rewriter.replace(op, [read, update, assign], [])


@dataclass(frozen=True)
class LowerVariables(ModulePass):
    """Turn the remaining bound variables into TFLite resource variables."""

    name = "lower-variables"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        globals_ = {g.sym_name.data: g for g in op.ops if isinstance(g, GlobalTensorOp)}
        funcs = [f for f in op.ops if isinstance(f, FuncOp)]
        for func in funcs:
            _check_unbound_resources(func)
        users = [f for f in funcs if any(bound_input(f, i) for i in range(len(f.args)))]
        if users:
            used = sorted({s for f in users for i in range(len(f.args)) if (s := bound_input(f, i)) is not None})
            for func in users:
                self._bind_handles(func, globals_)
            op.body.block.add_op(_initializer([globals_[name] for name in used]))
        for g in globals_.values():
            op.body.block.erase_op(g)
        PatternRewriteWalker(GreedyRewritePatternApplier([LowerResourceOps()]), apply_recursively=False).rewrite_module(
            op
        )

    def _bind_handles(self, func: FuncOp, globals_: dict[str, GlobalTensorOp]) -> None:
        """Replace bound resource arguments by var_handle ops after a call_once."""
        block = func.body.block
        first = block.first_op
        call_once = tfl.CallOnceOp.build([], [], session_init_function=StringAttr(SESSION_INIT))
        assert first is not None and func.arg_attrs is not None  # a bound function: its arguments have attributes
        block.insert_op_before(call_once, first)
        attrs = list(func.arg_attrs.data)
        for index in reversed(range(len(block.args))):
            symbol = bound_input(func, index)
            if symbol is None:
                continue
            if symbol not in globals_:
                raise ConversionError(f"@{func.sym_name.data} is bound to the unknown variable @{symbol}")
            arg: SSAValue = block.args[index]
            handle = _var_handle(symbol, _handle_type(globals_[symbol]))
            block.insert_op_after(handle, call_once)
            arg.replace_all_uses_with(handle.results[0])
            block.erase_arg(block.args[index])
            del attrs[index]
        func.arg_attrs = ArrayAttr(attrs)
        func.update_function_type()


def _check_unbound_resources(func: FuncOp) -> None:
    """A public function's resource argument bound to no variable has no value to convert."""
    if func.sym_visibility is not None and func.sym_visibility.data == "private":
        return
    for index, arg in enumerate(func.args):
        ty = arg.type
        if not isinstance(getattr(ty, "element_type", None), ResourceType):
            continue
        if bound_input(func, index) is not None or not arg.uses:
            continue
        attrs = func.arg_attrs.data[index].data if func.arg_attrs else {}
        name = attrs.get("tf._user_specified_name")
        label = f" ('{name.data}')" if isinstance(name, StringAttr) else ""
        raise ConversionError(
            f"@{func.sym_name.data} argument {index}{label} is a variable handle bound to no "
            "tf_saved_model.global_tensor, so its value is not in the module; freeze the function "
            "before exporting it (tensorflow.python.framework.convert_to_constants."
            "convert_variables_to_constants_v2) or convert the SavedModel"
        )
