"""StableHLO control flow (`while`, `if`, `case`) to tfl.while / tfl.if over functions.

StableHLO regions may read values defined above them; TFLite subgraphs cannot, so the
values a region captures become extra operands (loop values that the body passes
through unchanged, for `while`). The region bodies move into private functions, still
in the stablehlo dialect, which legalize-stablehlo then lowers like any other code.
`case` becomes a chain of tfl.if on `index == k` (an out-of-range index runs the last
branch, as StableHLO says).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import FunctionType, ModuleOp, SymbolRefAttr, TensorType, i1
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from tflc.dialects import stablehlo as hlo
from tflc.dialects import tfl
from tflc.tensors import numpy_to_dense


def captured_values(regions: Sequence[Region]) -> list[SSAValue]:
    """Values used inside `regions` but defined outside them, in first-use order."""
    inside: set[SSAValue] = set()
    for region in regions:
        for op in region.walk():
            inside.update(op.results)
            for inner in op.regions:
                for block in inner.blocks:
                    inside.update(block.args)
        for block in region.blocks:
            inside.update(block.args)
    found: dict[SSAValue, None] = {}
    for region in regions:
        for op in region.walk():
            for value in op.operands:
                if value not in inside:
                    found.setdefault(value, None)
    return list(found)


class _Functions:
    """Makes uniquely named private functions next to the function holding an op."""

    def __init__(self, module: ModuleOp):
        self.module = module
        self.taken = {f.sym_name.data for f in module.ops if isinstance(f, FuncOp)}

    def make(self, base: str, region: Region, arg_values: Sequence[SSAValue], captures: Sequence[SSAValue], extra_results: Sequence[SSAValue] = ()) -> FuncOp:
        """A function running `region` on (region args..., captures...); it returns the
        region's results, then `extra_results` (looked up among the arguments)."""
        name = base
        n = 0
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        block = region.block
        types = [a.type for a in arg_values] + [c.type for c in captures]
        new_block = Block(arg_types=types)
        mapping: dict[SSAValue, SSAValue] = {}
        for old, new in zip(block.args, new_block.args):
            mapping[old] = new
        for old, new in zip(captures, new_block.args[len(arg_values) :]):
            mapping[old] = new
        outer_to_arg = dict(zip([*arg_values, *captures], new_block.args))
        results: list[SSAValue] = []
        for op in block.ops:
            if isinstance(op, hlo.ReturnOp):
                results = [mapping.get(v, v) for v in op.operands]
                break
            clone = op.clone(value_mapper=mapping)
            new_block.add_op(clone)
        results += [outer_to_arg[v] for v in extra_results]
        new_block.add_op(ReturnOp(*results))
        func = FuncOp(name, FunctionType.from_lists(types, [r.type for r in results]), Region(new_block), "private")
        self.module.body.block.add_op(func)
        return func


def _insert(op: Operation, anchor: Operation) -> Operation:
    op.location = anchor.location
    Rewriter.insert_op(op, InsertPoint.before(anchor))
    return op


def _lower_while(op: hlo.WhileOp, functions: _Functions, base: str) -> None:
    captures = [c for c in captured_values([op.cond, op.body]) if c not in op.operands]
    loop_values = [*op.operands, *captures]
    cond = functions.make(f"{base}_cond", op.cond, list(op.operands), captures)
    body = functions.make(f"{base}_body", op.body, list(op.operands), captures, extra_results=captures)
    new = tfl.WhileOp.build(
        loop_values, [v.type for v in loop_values],
        cond=SymbolRefAttr(cond.sym_name.data), body=SymbolRefAttr(body.sym_name.data),
    )
    _insert(new, op)
    Rewriter.replace_op(op, [], list(new.results[: len(op.results)]))


def _if(pred: SSAValue, then_func: FuncOp, else_func: FuncOp, inputs: Sequence[SSAValue], result_types: Sequence[Attribute], anchor: Operation) -> Operation:
    new = tfl.IfOp.build(
        [pred, *inputs], list(result_types),
        then_branch=SymbolRefAttr(then_func.sym_name.data), else_branch=SymbolRefAttr(else_func.sym_name.data),
    )
    return _insert(new, anchor)


def _lower_if(op: hlo.IfOp, functions: _Functions, base: str) -> None:
    captures = captured_values([op.true_branch, op.false_branch])
    then_func = functions.make(f"{base}_then", op.true_branch, [], captures)
    else_func = functions.make(f"{base}_else", op.false_branch, [], captures)
    new = _if(op.pred, then_func, else_func, captures, [r.type for r in op.results], op)
    Rewriter.replace_op(op, [], list(new.results))


def _lower_case(op: hlo.CaseOp, functions: _Functions, base: str, module: ModuleOp) -> None:
    captures = captured_values(list(op.branches))
    types = [r.type for r in op.results]
    index_type = op.index.type
    branches = [
        _with_index_arg(functions, functions.make(f"{base}_branch{k}", region, [], captures), index_type)
        for k, region in enumerate(op.branches)
    ]
    # Every function takes (index, captures...); branch k runs when index == k, the last otherwise.
    chosen = branches[-1]
    for k in range(len(branches) - 2, -1, -1):
        if k == 0:
            break
        chosen = _select_function(functions, f"{base}_select{k}", index_type, captures, k, branches[k], chosen, types)
    if len(branches) == 1:
        new = _if(_equal_to(op.index, 0, op), chosen, chosen, [op.index, *captures], types, op)
    else:
        new = _if(_equal_to(op.index, 0, op), branches[0], chosen, [op.index, *captures], types, op)
    Rewriter.replace_op(op, [], list(new.results))


def _equal_to(index: SSAValue, k: int, anchor: Operation) -> SSAValue:
    constant = _insert(tfl.ConstOp(numpy_to_dense(np.array(k, dtype=np.int32))), anchor).results[0]
    return _insert(tfl.EqualOp.build([index, constant], [TensorType(i1, [])]), anchor).results[0]


def _with_index_arg(functions: _Functions, func: FuncOp, index_type: Attribute) -> FuncOp:
    """`func` taking a leading (unused) index argument."""
    block = func.body.block
    block.insert_arg(index_type, 0)
    func.function_type = FunctionType.from_lists(block.arg_types, list(func.function_type.outputs.data))
    return func


def _select_function(
    functions: _Functions,
    name: str,
    index_type: Attribute,
    captures: Sequence[SSAValue],
    k: int,
    branch: FuncOp,
    rest: FuncOp,
    types: Sequence[Attribute],
) -> FuncOp:
    """(index, captures...) -> if index == k then branch(...) else rest(...)."""
    block = Block(arg_types=[index_type, *[c.type for c in captures]])
    constant = tfl.ConstOp(numpy_to_dense(np.array(k, dtype=np.int32)))
    block.add_op(constant)
    equal = tfl.EqualOp.build([block.args[0], constant.results[0]], [TensorType(i1, [])])
    block.add_op(equal)
    new = tfl.IfOp.build(
        [equal.results[0], *block.args],
        list(types),
        then_branch=SymbolRefAttr(branch.sym_name.data),
        else_branch=SymbolRefAttr(rest.sym_name.data),
    )
    block.add_op(new)
    block.add_op(ReturnOp(*new.results))
    base, n = name, 0
    while name in functions.taken:
        n += 1
        name = f"{base}_{n}"
    functions.taken.add(name)
    func = FuncOp(name, FunctionType.from_lists(block.arg_types, list(types)), Region(block), "private")
    functions.module.body.block.add_op(func)
    return func


def lower_control_flow(module: ModuleOp) -> None:
    """Replace every stablehlo while/if/case by tfl.while/tfl.if over new private functions."""
    functions = _Functions(module)
    count = 0
    while True:
        ops = [o for o in module.walk() if isinstance(o, hlo.WhileOp | hlo.IfOp | hlo.CaseOp)]
        if not ops:
            return
        op = ops[0]  # outermost first: nested ops move into the new functions with their parent
        owner = op.parent_op()
        while owner is not None and not isinstance(owner, FuncOp):
            owner = owner.parent_op()
        base = f"{owner.sym_name.data if isinstance(owner, FuncOp) else 'main'}_{op.name.split('.')[1]}{count}"
        count += 1
        if isinstance(op, hlo.WhileOp):
            _lower_while(op, functions, base)
        elif isinstance(op, hlo.IfOp):
            _lower_if(op, functions, base)
        else:
            _lower_case(op, functions, base, module)

