"""The op graph of a module as Graphviz DOT (like mlir-opt's `--view-op-graph`).

One cluster per function (or only the function asked for), one node per op labelled
with its name, a few small attributes and its result types; edges go from the op
defining a value to each op using it, labelled with the value's type. Function
arguments and the return are nodes of their own; the functions a tfl.while or
tfl.if calls are named in its label (and drawn as their own clusters); ops with
regions hold their blocks as nested clusters. Constants are drawn as small boxes
showing their type only. The text is deterministic (nodes numbered in program order).
"""

from __future__ import annotations

from xdsl.dialects.builtin import ArrayAttr, FloatAttr, IntegerAttr, ModuleOp, StringAttr, SymbolRefAttr, i1
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Block, Operation, SSAValue

from tflc.errors import TflcError

_CONSTANTS = ("tfl.pseudo_const", "tfl.pseudo_qconst", "tf.Const", "arith.constant")
_MAX_LABEL = 60


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _short(attr: Attribute) -> str | None:
    """A small attribute as label text (large ones are left out)."""
    if isinstance(attr, IntegerAttr):
        if attr.type == i1:
            return "true" if attr.value.data else "false"
        return str(attr.value.data)
    if isinstance(attr, FloatAttr):
        return f"{attr.value.data:g}"
    if isinstance(attr, StringAttr):
        return attr.data if len(attr.data) <= 24 else None
    if isinstance(attr, SymbolRefAttr):  # tfl.while / tfl.if / call targets
        return "@" + attr.root_reference.data
    if isinstance(attr, ArrayAttr) and len(attr.data) <= 6:
        parts = [_short(a) for a in attr.data]
        return None if None in parts else "[" + ",".join(p for p in parts if p is not None) + "]"
    return None


def _type_text(value: SSAValue) -> str:
    text = str(value.type)
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 3] + "..."


class _DotWriter:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.ids: dict[SSAValue, str] = {}
        self.count = 0

    def node(self, label: str, indent: str, **style: str) -> str:
        name = f"n{self.count}"
        self.count += 1
        extra = "".join(f", {k}={_quote(v)}" for k, v in style.items())
        self.lines.append(f"{indent}{name} [label={_quote(label)}{extra}];")
        return name

    def edges(self, op: Operation, target: str, indent: str) -> None:
        for operand in op.operands:
            source = self.ids.get(operand)
            if source is not None:
                self.lines.append(f"{indent}{source} -> {target} [label={_quote(_type_text(operand))}];")

    def block(self, block: Block, indent: str, args_label: str) -> None:
        for i, arg in enumerate(block.args):
            self.ids[arg] = self.node(f"{args_label} {i}\n{_type_text(arg)}", indent, shape="ellipse")
        for op in block.ops:
            self.op(op, indent)

    def op(self, op: Operation, indent: str) -> None:
        if op.name in _CONSTANTS:
            label = f"{op.name}\n{_type_text(op.results[0])}"
            node = self.node(label, indent, shape="box", style="filled", fillcolor="lightgrey")
        else:
            name_attr = op.attributes.get("op_name__")  # an unregistered op keeps its name here
            lines = [name_attr.data if isinstance(name_attr, StringAttr) else op.name]
            for key, attr in sorted({**op.properties, **op.attributes}.items()):
                text = _short(attr)
                if text is not None and not key.startswith("_") and key != "op_name__":
                    lines.append(f"{key}: {text}")
            if op.results and op.name not in ("func.return", "tfl.yield"):
                lines.append(", ".join(_type_text(r) for r in op.results))
            shape = "ellipse" if op.name in ("func.return", "tfl.yield") else "box"
            node = self.node("\n".join(lines), indent, shape=shape)
        self.edges(op, node, indent)
        for r in op.results:
            self.ids[r] = node
        for r_index, region in enumerate(op.regions):
            for b_index, block in enumerate(region.blocks):
                self.lines.append(f"{indent}subgraph cluster_{node}_{r_index}_{b_index} {{")
                self.lines.append(f"{indent}  label={_quote(f'{op.name} region {r_index}')};")
                self.block(block, indent + "  ", "block arg")
                self.lines.append(f"{indent}}}")


def op_graph_dot(module: ModuleOp, function: str | None = None) -> str:
    """The DOT text of the module's functions (or of `function` only)."""
    funcs = [f for f in module.ops if isinstance(f, FuncOp)]
    if function is not None:
        funcs = [f for f in funcs if f.sym_name.data == function]
        if not funcs:
            names = ", ".join(f.sym_name.data for f in module.ops if isinstance(f, FuncOp)) or "none"
            raise TflcError(f"no function @{function} in the module; its functions: {names}")
    writer = _DotWriter()
    writer.lines.append("digraph G {")
    writer.lines.append('  compound=true; rankdir=TB; node [fontname="Helvetica", fontsize=10];')
    writer.lines.append('  edge [fontname="Helvetica", fontsize=8];')
    for index, func in enumerate(funcs):
        writer.lines.append(f"  subgraph cluster_func_{index} {{")
        writer.lines.append(f"    label={_quote('@' + func.sym_name.data)};")
        writer.block(func.body.block, "    ", "input")
        writer.lines.append("  }")
    writer.lines.append("}")
    return "\n".join(writer.lines) + "\n"
