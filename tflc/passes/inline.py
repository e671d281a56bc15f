"""`tf-inline`: inline calls to functions of the module (`tf.StatefulPartitionedCall`,
`tf.PartitionedCall` with `f = @callee`, `func.call @callee`) and drop private functions
left unused."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, SymbolRefAttr
from xdsl.dialects.func import CallOp, FuncOp, ReturnOp
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass

from tflc.dialects.tf import tf_op_name
from tflc.limits import MAX_CALL_DEPTH
from tflc.errors import ConversionError, describe_location

CALL_OPS = frozenset({"tf.StatefulPartitionedCall", "tf.PartitionedCall"})


def _callee(op: Operation) -> str | None:
    if isinstance(op, CallOp):
        return op.callee.root_reference.data
    if tf_op_name(op) not in CALL_OPS:
        return None
    ref = op.attributes.get("f")
    return ref.root_reference.data if isinstance(ref, SymbolRefAttr) else None


def inline_call(call: Operation, callee: FuncOp) -> list[Operation]:
    """Replace `call` by a copy of the callee's body; returns the inlined ops."""
    block = callee.body.block
    returned = list(block.last_op.operands) if isinstance(block.last_op, ReturnOp) else []
    if len(block.args) != len(call.operands) or len(returned) != len(call.results):
        raise ConversionError(
            f"{describe_location(call.location)}: calls @{callee.sym_name.data} with {len(call.operands)} argument(s) "
            f"for {len(call.results)} result(s), but it takes {len(block.args)} and returns {len(returned)}"
        )
    mapping: dict[SSAValue, SSAValue] = dict(zip(block.args, call.operands))
    inlined: list[Operation] = []
    results: list[SSAValue] = []
    parent = call.parent_block()
    assert parent is not None  # the call is in a function
    for op in block.ops:
        if isinstance(op, ReturnOp):
            results = [mapping.get(v, v) for v in op.arguments]
            break
        clone = op.clone(value_mapper=mapping)
        parent.insert_op_before(clone, call)
        inlined.append(clone)
    for old, new in zip(call.results, results):
        old.replace_all_uses_with(new)
    call.detach()
    call.erase()
    return inlined


@dataclass(frozen=True)
class InlineTF(ModulePass):
    """Inline every call to a function defined in the module, then drop unused private ones."""

    name = "tf-inline"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        funcs = {f.sym_name.data: f for f in op.ops if isinstance(f, FuncOp)}
        public = [f for f in funcs.values() if f.sym_visibility is None or f.sym_visibility.data != "private"]
        for func in public:
            root = (func.sym_name.data,)
            worklist: list[tuple[Operation, tuple[str, ...]]] = [(o, root) for o in func.walk() if _callee(o)]
            while worklist:
                call, chain = worklist.pop()
                name = _callee(call)
                assert name is not None
                if name not in funcs:
                    raise ConversionError(
                        f"{describe_location(call.location)}: calls @{name}, which the module does not define"
                    )
                if name in chain:
                    cycle = " -> ".join(f"@{n}" for n in (*chain[chain.index(name):], name))
                    raise ConversionError(f"@{name} calls itself ({cycle}); recursive functions cannot be inlined")
                if len(chain) > MAX_CALL_DEPTH:
                    where = describe_location(call.location)
                    raise ConversionError(f"{where}: calls nest deeper than {MAX_CALL_DEPTH} functions")
                inlined = inline_call(call, funcs[name])
                worklist.extend((o, (*chain, name)) for top in inlined for o in top.walk() if _callee(o))
        _drop_unused_private_functions(op, funcs, public)


def _symbols(attr: Attribute) -> list[str]:
    """Function names an attribute refers to, inside lists and dictionaries too."""
    if isinstance(attr, SymbolRefAttr):
        return [attr.root_reference.data]
    if isinstance(attr, ArrayAttr):
        return [name for item in attr.data for name in _symbols(item)]
    if isinstance(attr, DictionaryAttr):
        return [name for item in attr.data.values() for name in _symbols(item)]
    return []


def _drop_unused_private_functions(module: ModuleOp, funcs: dict[str, FuncOp], public: list[FuncOp]) -> None:
    """Erase private functions no public function reaches (through calls, loops, branches)."""
    used: set[str] = set()
    worklist: list[Operation] = [o for o in module.ops if o not in funcs.values()] + list(public)
    while worklist:
        root = worklist.pop()
        for o in root.walk():
            for attr in (*o.attributes.values(), *o.properties.values()):
                for name in _symbols(attr):
                    if name not in used and name in funcs:
                        used.add(name)
                        worklist.append(funcs[name])
    for name, func in funcs.items():
        if func.sym_visibility is not None and func.sym_visibility.data == "private" and name not in used:
            module.body.block.erase_op(func)
