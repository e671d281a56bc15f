"""Errors tflc reports to users: one clear message, no traceback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from xdsl.dialects.builtin import FileLineColLoc, NameLoc
from xdsl.ir import Attribute, Operation


class TflcError(Exception):
    """A user-facing error; the tools print its message and exit with code 1."""


class ConversionError(TflcError):
    """The module cannot be converted as asked (unsupported ops, bad options)."""


def describe_location(loc: Attribute) -> str:
    """A short human name for an op location: `node 'dense/MatMul'` or `file:line:col`."""
    if isinstance(loc, NameLoc):
        return f"node '{loc.desc.data}'"
    if isinstance(loc, FileLineColLoc):
        return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
    return "unknown location"


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
