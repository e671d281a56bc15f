"""Parsing and printing MLIR text for tflc modules."""

from __future__ import annotations

import re
from typing import IO

from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FileLineColLoc,
    IntAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    UnknownLoc,
)
from xdsl.ir import Attribute, Operation
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException, VerifyException

from tflc.dialects import make_context
from tflc.errors import TflcError, describe_location, op_display_name
from tflc.tensors import dense_to_numpy


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
        uniform = getattr(op, "has_uniform_types", None)
        if uniform is None or self.print_generic_format or uniform():
            super().print_op(op)
            return
        self.print_generic_format = True
        try:
            super().print_op(op)
        finally:
            self.print_generic_format = False

    def print_attribute(self, attribute: Attribute) -> None:
        if isinstance(attribute, DenseIntOrFPElementsAttr):
            self._print_dense(attribute)
            return
        super().print_attribute(attribute)

    def _print_dense(self, attr: DenseIntOrFPElementsAttr) -> None:
        data = dense_to_numpy(attr).reshape(-1)
        count = data.size
        if self.elide_elements_larger is not None and count > self.elide_elements_larger:
            self.print_string("dense_resource<__elided__> : ")
            self.print_attribute(attr.type)
            return
        splat = count > 0 and bool((data == data[0]).all())
        if count <= 100 and not splat:
            super().print_attribute(attr)
            return
        if count == 0:
            self.print_string("dense<>")
        elif splat:
            self.print_string("dense<")
            element = attr.get_element_type()
            if isinstance(element, IntegerType):
                self.print_int(int(data[0]), element)
            else:
                self.print_float(float(data[0]), element)  # type: ignore[arg-type]
            self.print_string(">")
        else:
            self.print_string(f'dense<"0x{attr.data.data.hex().upper()}">')
        self.print_string(" : ")
        self.print_attribute(attr.type)


class TflcParser(Parser):
    """xDSL's parser, giving ops without an explicit `loc(...)` their file:line:col."""

    _line_offset: int = 0
    _line: int = 1

    def parse_operation(self) -> Operation:
        start = self._current_token.span.start
        op = super().parse_operation()
        if isinstance(op.location, UnknownLoc):
            line, column = self._line_column(start)
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
    with `allow_unregistered`, unknown dialects' ops parse too."""
    from tflc.plugins import load_entry_points

    load_entry_points()
    if _is_blank(text):  # as mlir-opt: no ops is an empty module
        return ModuleOp([])
    if isinstance(text, bytes) and b"stablehlo." in text:
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str) or "stablehlo." not in text:
        return TflcParser(make_context(allow_unregistered), text, name).parse_module()
    from xdsl.utils.exceptions import ParseError

    from tflc.dialects.stablehlo import normalize_float_hex, to_generic_form

    try:
        return TflcParser(make_context(allow_unregistered), normalize_float_hex(text), name).parse_module()
    except ParseError:
        generic = to_generic_form(text)
        if generic is None:
            raise
        return TflcParser(make_context(allow_unregistered), normalize_float_hex(generic), name).parse_module()


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
    """Verify every op; the first failure becomes one TflcError naming its location."""
    for op in module.walk():
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
            raise TflcError(
                f"{describe_location(op.location)}: '{op_display_name(op)}' op {message}"
            ) from None


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
