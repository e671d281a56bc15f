"""Verification of tfl ops that refer to functions (`tfl.while`, `tfl.if`, `tfl.call_once`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xdsl.dialects.builtin import ModuleOp, StringAttr, SymbolRefAttr, TensorType, UnrankedTensorType
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Operation
from xdsl.utils.exceptions import VerifyException

from tflc.dialects.tfl_traits import element_kind

if TYPE_CHECKING:
    from tflc.dialects.tfl_traits import SubgraphRefs


def _module(op: Operation) -> ModuleOp | None:
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, ModuleOp):
        parent = parent.parent_op()
    return parent


def _function(module: ModuleOp, name: str) -> FuncOp | None:
    for candidate in module.ops:
        if isinstance(candidate, FuncOp) and candidate.sym_name.data == name:
            return candidate
    return None


def compatible(a: Attribute, b: Attribute) -> bool:
    """Whether two tensor types can describe one value (same element kind, shapes that agree
    where both are known; unranked agrees with any rank)."""
    if a == b:
        return True
    if not isinstance(a, TensorType | UnrankedTensorType) or not isinstance(b, TensorType | UnrankedTensorType):
        return False
    if element_kind(a.element_type) != element_kind(b.element_type):
        return False
    if isinstance(a, UnrankedTensorType) or isinstance(b, UnrankedTensorType):
        return True
    if a.get_num_dims() != b.get_num_dims():
        return False
    return all(x == y or x < 0 or y < 0 for x, y in zip(a.get_shape(), b.get_shape()))


def _check(op: Operation, role: str, func: FuncOp, inputs: list[Attribute], outputs: list[Attribute] | None) -> None:
    args = list(func.function_type.inputs.data)
    results = list(func.function_type.outputs.data)
    name = func.sym_name.data
    if len(args) != len(inputs) or not all(compatible(a, b) for a, b in zip(args, inputs)):
        raise VerifyException(
            f"{role} @{name} takes ({', '.join(map(str, args))}) but {op.name} passes "
            f"({', '.join(map(str, inputs))})"
        )
    if outputs is not None and (
        len(results) != len(outputs) or not all(compatible(a, b) for a, b in zip(results, outputs))
    ):
        raise VerifyException(
            f"{role} @{name} returns ({', '.join(map(str, results))}) but {op.name} expects "
            f"({', '.join(map(str, outputs))})"
        )


def verify_subgraph_refs(op: Operation, refs: SubgraphRefs) -> None:
    """Each function the op names exists in its module, with arguments and results that fit."""
    module = _module(op)
    if module is None:
        return  # an op outside a module (being built): checked once it is placed
    funcs: dict[str, FuncOp] = {}
    for prop, _ in refs.fields:
        attr = op.properties.get(prop)
        if isinstance(attr, SymbolRefAttr):
            name = attr.root_reference.data
        elif isinstance(attr, StringAttr):
            name = attr.data
        else:
            raise VerifyException(f"property {prop} must name a function")
        func = _function(module, name)
        if func is None:
            raise VerifyException(f"{prop} refers to @{name}, which the module does not define")
        funcs[prop] = func
    operands = [v.type for v in op.operands]
    results = [v.type for v in op.results]
    if "body" in funcs and "cond" in funcs:  # tfl.while: cond(values) -> i1, body(values) -> values
        _check(op, "cond", funcs["cond"], operands, None)
        cond_results = list(funcs["cond"].function_type.outputs.data)
        flag = cond_results[0] if len(cond_results) == 1 else None
        if not isinstance(flag, TensorType | UnrankedTensorType) or element_kind(flag.element_type) != "i1":
            raise VerifyException(f"cond @{funcs['cond'].sym_name.data} must return one bool tensor")
        _check(op, "body", funcs["body"], operands, operands)
        if len(results) != len(operands):
            raise VerifyException(f"has {len(operands)} loop values but {len(results)} results")
    elif "then_branch" in funcs:  # tfl.if: branches take the inputs after cond, return the results
        for prop in ("then_branch", "else_branch"):
            _check(op, prop, funcs[prop], operands[1:], results)
    else:  # tfl.call_once: a function of no arguments
        for prop, func in funcs.items():
            _check(op, prop, func, [], None)
