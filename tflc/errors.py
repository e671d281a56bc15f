"""Errors tflc reports to users: one clear message, no traceback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from xdsl.dialects.builtin import CallSiteLoc, FileLineColLoc, FusedLoc, NameLoc
from xdsl.ir import Attribute, Operation


class TflcError(Exception):
    """A user-facing error; the tools print its message and exit with code 1."""


class ConversionError(TflcError):
    """The module cannot be converted as asked (unsupported ops, bad options)."""


def describe_location(loc: Attribute) -> str:
    """A short human name for an op location: `node 'dense/MatMul'` or `file:line:col`
    (the TF node inside TensorFlow's fused and call-site locations too)."""
    name = location_name(loc)
    if name is not None:
        return f"node '{name}'"
    if isinstance(loc, FileLineColLoc):
        return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
    if isinstance(loc, CallSiteLoc):
        return describe_location(loc.callee)
    if isinstance(loc, FusedLoc):
        for inner in loc.locations.data:  # type: ignore[attr-defined]
            text = describe_location(inner)
            if text != "unknown location":
                return text
    return "unknown location"


def location_name(loc: Attribute) -> str | None:
    """The TF node name a location carries: a name location, or the node name inside
    TensorFlow's `fused["MatMul:", "dense/MatMul"]` / `callsite(... at ...)` locations
    (the `"Type:"` entries name the op type; used only when no node name is there)."""
    return _node_name(loc, True) or _node_name(loc, False)


def _node_name(loc: Attribute, skip_types: bool) -> str | None:
    if isinstance(loc, NameLoc):
        desc = loc.desc.data
        if desc.endswith(":") and skip_types:
            return None
        return desc.removesuffix(":") or None
    if isinstance(loc, FusedLoc):
        for inner in loc.locations.data:  # type: ignore[attr-defined]
            name = _node_name(inner, skip_types)
            if name is not None:
                return name
    if isinstance(loc, CallSiteLoc):
        return _node_name(loc.callee, skip_types)
    return None


def op_display_name(op: Operation) -> str:
    """The name of an op as written in the IR (`tf.Foo` for unregistered ops too)."""
    from tflc.dialects.tf import tf_op_name

    return tf_op_name(op)


def unsupported_ops_report(ops: Iterable[Operation], what: str, fix: str) -> str:
    """One grouped report of ops: name, count and the first op's location, then the fix."""
    ops = list(ops)
    counts = Counter(op_display_name(op) for op in ops)
    first: dict[str, Operation] = {}
    for op in ops:
        first.setdefault(op_display_name(op), op)
    lines = [f"{len(ops)} op(s) {what}:"]
    for name, count in sorted(counts.items()):
        lines.append(f"  {name} x{count} (first at {describe_location(first[name].location)})")
    lines.append(fix)
    return "\n".join(lines)
