"""Parsing and printing MLIR text for tflc modules."""

from __future__ import annotations

import math
import re
import struct
import sys
from collections.abc import Iterator, Mapping
from typing import IO

import numpy as np

from xdsl.dialects.builtin import (
    BFloat16Type,
    DenseIntOrFPElementsAttr,
    FileLineColLoc,
    FloatAttr,
    IndexType,
    IntAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    UnknownLoc,
    i64,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.parser import Parser
from xdsl.parser.generic_parser import ParserState
from xdsl.utils.lexer import Input
from xdsl.utils.mlir_lexer import MLIRLexer
from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from tflc.dialects import make_context
from tflc import limits
from tflc.errors import TflcError, describe_location, op_display_name
from tflc.ir_compat import TFSyntaxMixin, print_tf_attribute
from tflc.tensors import dense_to_numpy, has_numpy_dtype, is_splat_attr


class TflcPrinter(Printer):
    """xDSL's printer, with fast constants and TFLite's short/generic binary forms.

    Dense constants print from their bytes (splat, hex for large ones), never
    through Python lists; `elide_elements_larger` prints `dense_resource<__elided__>`
    for constants with more elements, as MLIR's `--mlir-elide-elementsattrs-if-larger`.
    """

    def __init__(self, stream: IO[str] | None = None, elide_elements_larger: int | None = None, **kwargs):
        super().__init__(stream=stream, **kwargs)
        self.elide_elements_larger = elide_elements_larger

    def print_op(self, op: Operation) -> None:
        if not self.print_generic_format and isinstance(op, ModuleOp | ReturnOp):
            self._print_short_named(op, "module" if isinstance(op, ModuleOp) else "return")
            return
        uniform = getattr(op, "has_uniform_types", None)
        if uniform is None or self.print_generic_format or (uniform() and getattr(op, "SHORT_FORM", True)):
            super().print_op(op)
            return
        if not getattr(op, "SHORT_FORM", True):
            self.print_generic_format = True
            try:
                super().print_op(op)
            finally:
                self.print_generic_format = False
            return
        # TensorFlow's fallback for its short syntax: the bare name, then the generic body.
        self._print_results(op)
        self.print_string(op.name)
        self.print_op_with_default_format(op)  # prints the location after the type

    def _print_short_named(self, op: Operation, name: str) -> None:
        """`module` and `return` as MLIR prints them (builtin's and func's default names)."""
        scope = isinstance(op, ModuleOp)
        self._print_results(op)
        if scope:
            self.enter_scope()
        self.print_string(name)
        op.print(self)
        if self.print_debuginfo:
            self.print_string(" ")
            self.print_attribute(op.location)
        if scope:
            self.exit_scope()

    def print_op_with_default_format(self, op: Operation) -> None:
        from tflc.dialects.tfl import TFLOp

        enums = op.enum_attr_names() if isinstance(op, TFLOp) else {}
        if not enums or not any(name in op.properties for name in enums):
            super().print_op_with_default_format(op)
            return
        saved = dict(op.properties)
        for name, attr_class in enums.items():  # TensorFlow's spelling of these enums, for printing only
            value = op.properties.get(name)
            if isinstance(value, StringAttr):
                op.properties[name] = attr_class(value.data)
        try:
            super().print_op_with_default_format(op)
        finally:
            op.properties.clear()
            op.properties.update(saved)

    def print_attr_dict(self, attr_dict: Mapping[str, Attribute]) -> None:
        """Attribute and property dictionaries in name order, as MLIR prints them."""
        super().print_attr_dict(dict(sorted(attr_dict.items())))

    def print_attribute(self, attribute: Attribute) -> None:
        if isinstance(attribute, DenseIntOrFPElementsAttr):
            self._print_dense(attribute)
            return
        if print_tf_attribute(self, attribute):
            return
        if isinstance(attribute, IntegerAttr) and attribute.type == i64:  # MLIR's default integer type
            self.print_string(str(attribute.value.data))
            return
        tfl = sys.modules.get("tflc.dialects.tfl")  # enum attributes exist only once it is loaded
        if tfl is not None and isinstance(attribute, tfl.TFLEnumAttr):  # TensorFlow's opaque spelling
            dialect, _, mnemonic = attribute.name.partition(".")
            self.print_string(f"#{dialect}<{mnemonic} {attribute.data}>")
            return
        super().print_attribute(attribute)

    def _print_dense(self, attr: DenseIntOrFPElementsAttr) -> None:
        element = attr.get_element_type()
        if isinstance(element, IndexType):  # xDSL keeps `index` elements as 64-bit integers
            data = np.frombuffer(attr.data.data, np.int64)
            if is_splat_attr(attr):
                data = np.broadcast_to(data, (math.prod(attr.get_shape()),))
        elif has_numpy_dtype(element):
            data = dense_to_numpy(attr).reshape(-1)
        else:
            super().print_attribute(attr)
            return
        count = data.size
        if self.elide_elements_larger is not None and count > self.elide_elements_larger:
            self.print_string("dense_resource<__elided__> : ")
            self.print_attribute(attr.type)
            return
        splat = count > 0 and (is_splat_attr(attr) or bool((data == data[0]).all()))
        if (count <= 100 and not splat) or (splat and np.iscomplexobj(data)):
            super().print_attribute(attr)
            return
        if count == 0:
            self.print_string("dense<>")
        elif splat:
            self.print_string("dense<")
            if isinstance(element, IntegerType | IndexType):
                self.print_int(int(data[0]), element)
            elif isinstance(element, BFloat16Type):  # held as uint16 bits
                value = np.array([int(data[0]) << 16], np.uint32).view(np.float32)[0]
                self.print_float(float(value), element)
            else:
                self.print_float(float(data[0]), element)  # type: ignore[arg-type]
            self.print_string(">")
        else:
            self.print_string(f'dense<"0x{attr.data.data.hex().upper()}">')
        self.print_string(" : ")
        self.print_attribute(attr.type)


class _Lexer(MLIRLexer):
    """xDSL's lexer with a string-literal pattern that runs in linear time.

    xDSL's `(?:[^"...]+|...)*` backtracks exponentially on an unterminated string
    (40 characters never finish); one character per repetition matches the same
    strings without backtracking.
    """

    _unescaped_characters_regex = re.compile(r'"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"')


class TflcParser(TFSyntaxMixin, Parser):  # type: ignore[misc]  # the mixin narrows overloads
    """xDSL's parser, giving ops without an explicit `loc(...)` their file:line:col,
    with a linear-time lexer and a size limit on constants a splat would expand."""

    _line_offset: int = 0
    _line: int = 1
    _literal_count: int | None = None

    def __init__(self, ctx, text: str, name: str = "<unknown>"):
        super().__init__(ctx, "", name)
        self._parser_state = ParserState(_Lexer(Input(text, name)))

    def _parse_tensor_literal(self):
        values, shape = super()._parse_tensor_literal()
        self._literal_count = len(values)
        return values, shape

    def parse_dense_int_or_fp_elements_attr(self, type=None):
        start = self._current_token.span.start
        self._literal_count = None
        try:
            return super().parse_dense_int_or_fp_elements_attr(type)
        except NotImplementedError:  # xDSL has no storage for the element type (f80, f128)
            self.raise_error("bad dense literal: tflc cannot hold values of its element type", start,
                             self._current_token.span.start)
        except (ValueError, OverflowError, AssertionError, struct.error) as err:  # a value that does not fit its type
            self.raise_error(f"bad dense literal: {err or 'its values do not match the element type'}", start,
                             self._current_token.span.start)

    def parse_optional_builtin_int_or_float_attr(self):
        start = self._current_token.span.start
        try:
            attr = super().parse_optional_builtin_int_or_float_attr()
            if isinstance(attr, FloatAttr):
                attr.type.pack([0.0])  # NotImplementedError for a type xDSL cannot store (f80, f128)
            return attr
        except NotImplementedError:  # `1.0 : f80`: xDSL has no storage for the type
            self.raise_error("bad number: tflc cannot hold values of its type", start, self._current_token.span.start)
        except (ValueError, OverflowError, VerifyException, struct.error) as err:  # `1.0e+300 : f32`, `300 : i8`
            self.raise_error(f"bad number: {err}", start, self._current_token.span.start)

    def _parse_builtin_densearray_attr(self):
        start = self._current_token.span.start
        try:
            return super()._parse_builtin_densearray_attr()
        except NotImplementedError:  # `array<f80: 1.0>`: xDSL has no storage for the type
            self.raise_error("bad dense array: tflc cannot hold values of its element type", start,
                             self._current_token.span.start)
        except (ValueError, OverflowError, struct.error) as err:  # `array<f32: 1.0e+300>`, `array<i8: 300>`
            self.raise_error(f"bad dense array: {err}", start, self._current_token.span.start)

    def _parse_dense_literal_type(self):
        start = self._current_token.span.start
        type = super()._parse_dense_literal_type()
        count = 1
        for dim in type.get_shape():
            count *= dim
        element_bytes = max(1, (getattr(type.element_type, "bitwidth", 8) + 7) // 8)
        if self._literal_count == 1:  # a splat: stored as its one element (ir_compat)
            return type
        if count * element_bytes > limits.max_constant_bytes():
            self.raise_error(
                f"this constant would take {count * element_bytes} bytes ({count} elements), more than the "
                f"limit of {limits.max_constant_bytes()} bytes; set {limits.ENV_MAX_CONSTANT_BYTES} to raise it",
                start,
                self._current_token.span.start,
            )
        return type

    def parse_operation(self) -> Operation:
        # Counted before the op's regions are parsed, so offsets only grow (linear).
        line, column = self._line_column(self._current_token.span.start)
        op = super().parse_operation()
        if isinstance(op.location, UnknownLoc):
            op.location = FileLineColLoc(StringAttr(self.lexer.input.name), IntAttr(line), IntAttr(column))
        return op

    def _line_column(self, offset: int) -> tuple[int, int]:
        """Line and column of an offset, counting newlines incrementally (linear overall)."""
        content, newline = self.lexer.input.content, self.lexer.input.newline
        if offset < self._line_offset:
            self._line_offset, self._line = 0, 1
        self._line += content.count(newline, self._line_offset, offset)
        self._line_offset = offset
        return self._line, offset - (content.rfind(newline, 0, offset) + 1) + 1


def parse_module(text: str | bytes, name: str = "<stdin>", *, allow_unregistered: bool = False) -> ModuleOp:
    """Parse MLIR text into a module with tflc's dialects and those of installed plugins
    (StableHLO's pretty form through jaxlib's MLIR bindings when they are installed);
    with `allow_unregistered`, unknown dialects' ops parse too; clear errors for bad bytes
    and deep nesting."""
    from tflc.plugins import load_entry_points

    load_entry_points()
    if _is_blank(text):  # as mlir-opt: no ops is an empty module
        return ModuleOp([])
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
            byte = raw[err.start]
            raise TflcError(f"{name}:{line}:{column}: the file is not UTF-8 text (byte 0x{byte:02x})") from None
    if "stablehlo." not in text:
        return _parse(text, name, allow_unregistered)
    from xdsl.utils.exceptions import ParseError

    from tflc.dialects.stablehlo import normalize_float_hex, to_generic_form_with_positions

    try:
        return _parse(normalize_float_hex(text), name, allow_unregistered)
    except ParseError:
        reprint = to_generic_form_with_positions(text)
        if reprint is None:
            raise
        generic, positions = reprint
        module = _parse(normalize_float_hex(generic), name, allow_unregistered)
        _relocate(module, positions, name)
        return module


def _relocate(module: ModuleOp, positions: list[tuple[str, int, int] | None], name: str) -> None:
    """Give the ops parsed from jaxlib's reprint their positions in the user's text (file
    "-" is `name`); an op whose text gave no file position gets an unknown location."""
    ops = list(module.walk())
    if len(ops) != len(positions):  # not the same module: keep the reprint's positions
        return
    for op, position in zip(ops, positions):
        if position is None or position[1] == 0:  # (line 0: the module jaxlib made implicit)
            op.location = UnknownLoc()
        else:
            file, line, column = position
            op.location = FileLineColLoc(StringAttr(name if file == "-" else file), IntAttr(line), IntAttr(column))


def _parse(text: str, name: str, allow_unregistered: bool = False) -> ModuleOp:
    parser = TflcParser(make_context(allow_unregistered), text, name)
    try:
        module = parser.parse_module()
    except RecursionError:
        span = parser._current_token.span
        line, column = parser._line_column(span.start)
        raise TflcError(
            f"{name}:{line}:{column}: the input nests regions, types or attributes too deeply for tflc's "
            f"parser (at most about {limits.MAX_NESTING} levels)"
        ) from None
    check_nesting(module, name)
    return module


def check_nesting(module: Operation, name: str = "<module>") -> None:
    """Refuse modules whose regions nest deeper than limits.MAX_NESTING (walks are recursive)."""
    stack = [(module, 0)]
    while stack:
        op, depth = stack.pop()
        if depth > limits.MAX_NESTING:
            raise TflcError(
                f"{describe_location(op.location)}: ops nest {depth} regions deep; tflc supports at most "
                f"{limits.MAX_NESTING} ({name})"
            )
        for region in op.regions:
            for block in region.blocks:
                stack.extend((inner, depth + 1) for inner in block.ops)


_BLANK = re.compile(r"(?:\s|//[^\n]*)*\Z")
_BLANK_BYTES = re.compile(rb"(?:\s|//[^\n]*)*\Z")


def _is_blank(text: str | bytes) -> bool:
    """Only whitespace and `//` comments (stops at the first op: no copy of large inputs)."""
    pattern = _BLANK_BYTES if isinstance(text, bytes) else _BLANK
    return pattern.match(text) is not None  # type: ignore[arg-type]


def verify_message(err: BaseException) -> str:
    """One line from a verifier error: `operand 'rhs' at position 1: <what is wrong>`."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    lines = [line.removeprefix("Operation does not verify: ") for line in lines]
    if len(lines) > 1 and lines[0].endswith("does not verify:"):
        return lines[0].removesuffix(" does not verify:") + ": " + lines[1]
    return lines[0]


def verify_module(module: Operation) -> None:
    """Verify every op and that every value is defined before its use; the first failure
    becomes one TflcError naming its location."""
    check_dominance(module)
    for op in module.walk():
        if isinstance(op, FuncOp) and len(op.body.blocks) != 1:
            what = "has no body" if not op.body.blocks else f"has {len(op.body.blocks)} blocks"
            raise TflcError(
                f"{describe_location(op.location)}: function @{op.sym_name.data} {what}; tflc functions are one "
                "block of ops ending in func.return, as TensorFlow and TFLite functions are"
            )
        try:
            op.verify(verify_nested_ops=False)
        except (VerifyException, DiagnosticException, ValueError) as err:
            chain: list[BaseException] = [err]
            while chain[-1].__cause__ is not None and len(chain) < 8:
                chain.append(chain[-1].__cause__)
            named = [e for e in chain if "does not verify:" in str(e)]
            wrapped = chain[1] if isinstance(err, DiagnosticException) and len(chain) > 1 else err
            cause = named[-1] if named else wrapped
            message = verify_message(cause)
            raise TflcError(f"{_location_of(op)}: '{op_display_name(op)}' op {message}") from None


def module_to_text(
    module: Operation,
    *,
    generic: bool = False,
    debuginfo: bool = False,
    elide_elements_larger: int | None = None,
) -> str:
    """Print a module (or op) as MLIR text."""
    from io import StringIO

    out = StringIO()
    printer = TflcPrinter(
        stream=out,
        print_generic_format=generic,
        print_debuginfo=debuginfo,
        elide_elements_larger=elide_elements_larger,
    )
    printer.print_op(module)
    out.write("\n")
    return out.getvalue()


def _location_of(op: Operation) -> str:
    """The op's location; for an op a pass built without one, the location of the op it
    came from as near as can be told (an operand's producer, a user, a neighbour in its
    block), else of its nearest located ancestor, else its place (`op 3 of @main`)."""
    where = describe_location(op.location)
    if where != "unknown location":
        return where
    for other in _related_ops(op):
        where = describe_location(other.location)
        if where != "unknown location":
            return f"near {where}"
    current = op.parent_op()
    while current is not None:
        where = describe_location(current.location)
        if where != "unknown location":
            return f"inside the op at {where}"
        current = current.parent_op()
    return _place_of(op)


def _related_ops(op: Operation, reach: int = 8) -> Iterator[Operation]:
    """Ops a pass likely built `op` for: its operands' producers, its users, then its
    neighbours in the block (at most `reach` each way)."""
    for operand in op.operands:
        if isinstance(operand.owner, Operation):
            yield operand.owner
    for result in op.results:
        for use in result.uses:
            yield use.operation
    before, after = op.prev_op, op.next_op
    for _ in range(reach):
        if before is not None:
            yield before
            before = before.prev_op
        if after is not None:
            yield after
            after = after.next_op


def _place_of(op: Operation) -> str:
    """`op 3 of @main`: where an op without any location sits."""
    block = op.parent_block()
    index = 0 if block is None else next((i for i, o in enumerate(block.ops) if o is op), 0)
    func = op.parent_op()
    while func is not None and not isinstance(func, FuncOp):
        func = func.parent_op()
    return f"op {index} of @{func.sym_name.data}" if func is not None else f"op {index} of the module"


def check_dominance(root: Operation) -> None:
    """Every operand is defined before its use: earlier in its block or in an enclosing block.

    One linear walk (no recursion): values become visible when their op has been
    visited and leave scope with their block. Values of other blocks of a multi-block
    region (branches) are not checked here.
    """
    visible: set[SSAValue] = set()
    stack: list[tuple[int, object]] = [
        (2, block) for region in reversed(root.regions) for block in reversed(region.blocks)
    ]
    while stack:
        kind, item = stack.pop()
        if kind == 0:  # an op: check its operands, then its regions, then define its results
            op = item
            assert isinstance(op, Operation)
            for n, operand in enumerate(op.operands):
                if operand not in visible and not _in_other_cfg_block(operand):
                    raise TflcError(
                        f"{_location_of(op)}: '{op_display_name(op)}' op operand #{n} is used before it is "
                        "defined (or defined in a region that does not enclose this op)"
                    )
            stack.append((1, op))
            for region in reversed(op.regions):
                for block in reversed(region.blocks):
                    stack.append((2, block))
        elif kind == 1:  # the op's results become visible
            visible.update(item.results)  # type: ignore[attr-defined]
        elif kind == 2:  # entering a block
            block = item
            visible.update(block.args)  # type: ignore[attr-defined]
            stack.append((3, block))
            stack.extend((0, op) for op in reversed(list(block.ops)))  # type: ignore[attr-defined]
        else:  # leaving a block
            block = item
            visible.difference_update(block.args)  # type: ignore[attr-defined]
            for op in block.ops:  # type: ignore[attr-defined]
                visible.difference_update(op.results)


def _in_other_cfg_block(value: SSAValue) -> bool:
    """A value defined in a region with several blocks (dominance across branches is not checked)."""
    owner = value.owner
    block: Block | None = value.block if isinstance(value, BlockArgument) else (
        owner.parent_block() if isinstance(owner, Operation) else None
    )
    return block is not None and block.parent is not None and len(block.parent.blocks) > 1
