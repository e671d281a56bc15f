"""`tf-shape-inference`: refine tf op result types that `_output_shapes` left unknown.

A result that is unranked, or has dynamic dims where the operands determine them,
gets the static type its operands imply. Results only get more precise, never less;
function result types follow their returned values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DYNAMIC_INDEX, ModuleOp, SymbolRefAttr, TensorType, UnrankedTensorType
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from tflc.dialects import tf
from tflc.dialects.tf import bool_attr
from tflc.passes.shape_rules import MULTI_RESULT_RULES, SHAPE_RULES, shape_constant

Dims = tuple[int, ...]


def _dims(ty: Attribute) -> Dims | None:
    return ty.get_shape() if isinstance(ty, TensorType) else None


def _broadcast(a: Dims, b: Dims) -> Dims | None:
    """NumPy broadcasting of two shapes with dynamic dims; None if incompatible."""
    out = []
    for x, y in zip((1,) * (len(b) - len(a)) + a, (1,) * (len(a) - len(b)) + b):
        if x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        elif x == DYNAMIC_INDEX or y == DYNAMIC_INDEX:
            out.append(x if y == DYNAMIC_INDEX else y)
        else:
            return None
    return tuple(out)


def _same_as_first(op: Operation) -> Dims | None:
    return _dims(op.operands[0].type)


def _binary(op: Operation) -> Dims | None:
    a, b = _dims(op.operands[0].type), _dims(op.operands[1].type)
    return None if a is None or b is None else _broadcast(a, b)


def _matmul(op: Operation) -> Dims | None:
    a, b = _dims(op.operands[0].type), _dims(op.operands[1].type)
    if a is None or b is None or len(a) != 2 or len(b) != 2:
        return None
    rows = a[1] if bool_attr(op, "transpose_a") else a[0]
    cols = b[0] if bool_attr(op, "transpose_b") else b[1]
    return (rows, cols)


def _reshape(op: Operation) -> Dims | None:
    target = shape_constant(op.operands[1])
    if target is None:
        return None
    dims = [int(d) for d in target.reshape(-1)]
    source = _dims(op.operands[0].type)
    if -1 in dims and source is not None and DYNAMIC_INDEX not in source:
        known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
        dims[dims.index(-1)] = int(np.prod(source, dtype=np.int64)) // max(known, 1)
    return tuple(DYNAMIC_INDEX if d < 0 else d for d in dims)


def _transpose(op: Operation) -> Dims | None:
    perm = shape_constant(op.operands[1])
    source = _dims(op.operands[0].type)
    if perm is None or source is None:
        return None
    return tuple(source[int(p)] for p in perm.reshape(-1))


def _reduction(op: Operation) -> Dims | None:
    axes = shape_constant(op.operands[1])
    source = _dims(op.operands[0].type)
    if axes is None or source is None:
        return None
    rank = len(source)
    reduced = {int(a) % rank for a in axes.reshape(-1)} if rank else set()
    if bool_attr(op, "keep_dims"):
        return tuple(1 if i in reduced else d for i, d in enumerate(source))
    return tuple(d for i, d in enumerate(source) if i not in reduced)


def _shape(op: Operation) -> Dims | None:
    source = _dims(op.operands[0].type)
    return None if source is None else (len(source),)


def _concat(op: Operation) -> Dims | None:
    axis = shape_constant(op.operands[-1])
    dims = [_dims(v.type) for v in op.operands[:-1]]
    shapes = [s for s in dims if s is not None]
    if axis is None or len(shapes) != len(dims) or not shapes:
        return None
    rank = len(shapes[0])
    a = int(axis) % rank
    along = [s[a] for s in shapes]
    out = list(shapes[0])
    out[a] = DYNAMIC_INDEX if DYNAMIC_INDEX in along else sum(along)
    return tuple(out)


RULES: dict[type[Operation], Callable[[Operation], Dims | None]] = {
    **{cls: _binary for cls in (
        tf.AddV2Op, tf.AddOp, tf.SubOp, tf.MulOp, tf.RealDivOp, tf.PowOp, tf.MaximumOp, tf.MinimumOp
    )},
    **{cls: _same_as_first for cls in (
        tf.NegOp, tf.SquareOp, tf.SqrtOp, tf.RsqrtOp, tf.ExpOp, tf.LogOp, tf.TanhOp, tf.SigmoidOp,
        tf.ReluOp, tf.Relu6Op, tf.SoftmaxOp, tf.CastOp, tf.IdentityOp, tf.BiasAddOp,
    )},
    tf.MatMulOp: _matmul,
    tf.ReshapeOp: _reshape,
    tf.TransposeOp: _transpose,
    tf.MeanOp: _reduction,
    tf.SumOp: _reduction,
    tf.ProdOp: _reduction,
    tf.ShapeOp: _shape,
    tf.ConcatV2Op: _concat,
}


def _refine(old: Attribute, dims: Dims) -> Attribute | None:
    """A more precise type than `old` with `dims`, or None if it is not more precise."""
    if isinstance(old, UnrankedTensorType):
        return TensorType(old.element_type, dims)
    if not isinstance(old, TensorType) or len(old.get_shape()) != len(dims):
        return None
    merged = tuple(d if o == DYNAMIC_INDEX else o for o, d in zip(old.get_shape(), dims))
    return None if merged == old.get_shape() else TensorType(old.element_type, merged)


def _constant(op: Operation) -> Dims | None:
    value = op.attributes.get("value")
    ty = getattr(value, "type", None)
    return ty.get_shape() if isinstance(ty, TensorType) else None


def _rule(op: Operation) -> Callable[[Operation], Dims | None] | None:
    """The shape rule of an op: its own, else its family's (elementwise, comparison, constant)."""
    rule = RULES.get(type(op)) or SHAPE_RULES.get(type(op))
    if rule is not None:
        return rule
    if isinstance(op, tf.BinaryOp | tf.CompareOp):
        return _binary
    if isinstance(op, tf.UnaryOp):
        return _same_as_first
    if isinstance(op, tf.ConstOp):
        return _constant
    if isinstance(op, tf.ReductionOp):
        return _reduction
    return None


def _join(a: Attribute, b: Attribute) -> Attribute:
    """The most precise type both `a` and `b` are instances of (same element type)."""
    if a == b or not isinstance(a, TensorType | UnrankedTensorType):
        return a
    da, db = _dims(a), _dims(b)
    if da is None or db is None or len(da) != len(db):
        return UnrankedTensorType(a.element_type)
    return TensorType(a.element_type, [x if x == y else DYNAMIC_INDEX for x, y in zip(da, db)])


_CALLEE_ATTRS = {"tf.While": ("cond", "body"), "tf.StatelessWhile": ("cond", "body"),
                 "tf.If": ("then_branch", "else_branch"), "tf.StatelessIf": ("then_branch", "else_branch")}


_Snapshot = list[tuple[Block | Operation, int, Attribute]]


def _snapshot(funcs: list[FuncOp]) -> _Snapshot:
    """The types of every argument and result in `funcs` (to undo a refinement)."""
    saved: _Snapshot = []
    for func in funcs:
        saved.extend((func.body.block, i, a.type) for i, a in enumerate(func.body.block.args))
        for inner in func.body.walk():
            saved.extend((inner, i, r.type) for i, r in enumerate(inner.results))
    return saved


def _restore(saved: _Snapshot) -> None:
    """Give every value its snapshot type back."""
    for owner, index, ty in saved:
        value = owner.args[index] if isinstance(owner, Block) else owner.results[index]
        if value.type != ty:
            Rewriter.replace_value_with_new_type(value, ty)



_T = TypeVar("_T")


def _apply(rule: Callable[[Operation], _T | None], op: Operation) -> _T | None:
    """A shape rule's result, or None when the op's constant operands contradict its operand
    types (an axis past the rank, a non-scalar axis): no refinement, and the op's verifier or
    legalization reports the malformed op with its location."""
    try:
        return rule(op)
    except (IndexError, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None


def _returned(func: FuncOp) -> tuple[SSAValue, ...]:
    """The values a function returns (the operands of its terminator)."""
    last = func.body.block.last_op
    assert last is not None  # a function ends in its return
    return tuple(last.operands)

class _Inference:
    """Shape inference over a module, entering While/If functions with their operands' types."""

    def __init__(self, module: ModuleOp):
        self.funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
        self.uses: dict[str, int] = {}
        for op in module.walk():
            for attr in op.attributes.values():
                if isinstance(attr, SymbolRefAttr):
                    name = attr.root_reference.data
                    self.uses[name] = self.uses.get(name, 0) + 1
        self.done: set[str] = set()
        self.active: set[str] = set()  # functions being inferred: a While/If naming one is recursive

    def function(self, func: FuncOp) -> None:
        name = func.sym_name.data
        self.done.add(name)
        self.active.add(name)
        try:
            self._infer_body(func)
        finally:
            self.active.discard(name)

    def _infer_body(self, func: FuncOp) -> None:
        for inner in func.body.walk():
            name = tf.tf_op_name(inner)
            if name in _CALLEE_ATTRS:
                self.control_flow(inner, name)
                continue
            multi = MULTI_RESULT_RULES.get(type(inner))
            if multi is not None:
                for result, dims in zip(inner.results, _apply(multi, inner) or ()):
                    new = None if dims is None else _refine(result.type, dims)
                    if new is not None:
                        Rewriter.replace_value_with_new_type(result, new)
                continue
            rule = _rule(inner)
            if rule is None or len(inner.results) != 1:
                continue
            dims = _apply(rule, inner)
            new = None if dims is None else _refine(inner.results[0].type, dims)
            if new is not None:
                Rewriter.replace_value_with_new_type(inner.results[0], new)
        func.update_function_type()

    def callee(self, op: Operation, attr: str) -> FuncOp | None:
        ref = op.attributes.get(attr)
        func = self.funcs.get(ref.root_reference.data) if isinstance(ref, SymbolRefAttr) else None
        if func is None or self.uses.get(func.sym_name.data) != 1:  # shared: leave its types alone
            return None
        if func.sym_name.data in self.active:  # calls itself (a malformed module): leave it alone
            return None
        return func

    def enter(self, func: FuncOp, types: list[Attribute]) -> None:
        """Give a function's arguments the types it is called with, then infer its body."""
        for arg, ty in zip(func.body.block.args, types):
            dims = _dims(ty)
            new = None if dims is None else _refine(arg.type, dims)
            if new is not None:
                Rewriter.replace_value_with_new_type(arg, new)
        self.function(func)

    def loop(self, cond: FuncOp, body: FuncOp, types: list[Attribute]) -> list[Attribute] | None:
        """Enter a loop's body with `types`, widened (after undoing the body's refinement) until
        the body returns what it takes; then its cond. The loop variables' types, or None."""
        for _ in range(4):
            saved = _snapshot(self.reachable(body))
            self.enter(body, types)
            args = [a.type for a in body.body.block.args]
            returned = [v.type for v in _returned(body)]
            joined = [_join(a, r) for a, r in zip(args, returned)]
            if joined == args:
                self.enter(cond, args)
                return args
            _restore(saved)  # a loop variable changes shape (shape_invariants): start over, wider
            for func in self.reachable(body):
                func.update_function_type()
            types = joined
        return None

    def reachable(self, func: FuncOp) -> list[FuncOp]:
        """`func` and the functions its ops call through symbol attributes (While/If bodies)."""
        found: dict[str, FuncOp] = {}
        pending = [func]
        while pending:
            current = pending.pop()
            if current.sym_name.data in found:
                continue
            found[current.sym_name.data] = current
            for inner in current.body.walk():
                for attr in inner.attributes.values():
                    if isinstance(attr, SymbolRefAttr) and attr.root_reference.data in self.funcs:
                        pending.append(self.funcs[attr.root_reference.data])
        return list(found.values())

    def control_flow(self, op: Operation, name: str) -> None:
        first, second = (self.callee(op, a) for a in _CALLEE_ATTRS[name])
        if first is None or second is None:
            return
        if "While" in name:
            results = self.loop(first, second, [v.type for v in op.operands])
            if results is None:
                return
        else:
            operands = [v.type for v in op.operands[1:]]
            self.enter(first, operands)
            self.enter(second, operands)
            results = [
                _join(a.type, b.type)
                for a, b in zip(_returned(first), _returned(second))
            ]
        for result, ty in zip(op.results, results):
            dims = _dims(ty)
            new = None if dims is None else _refine(result.type, dims)
            if new is not None:
                Rewriter.replace_value_with_new_type(result, new)


@dataclass(frozen=True)
class TFShapeInference(ModulePass):
    """Refine result types of tf ops from their operands, in program order, into While/If functions."""

    name = "tf-shape-inference"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        inference = _Inference(op)
        funcs = [f for f in op.ops if isinstance(f, FuncOp)]
        public = [f for f in funcs if f.sym_visibility is None or f.sym_visibility.data == "public"]
        for func in public + [f for f in funcs if f not in public]:
            if func.sym_name.data not in inference.done:
                inference.function(func)
