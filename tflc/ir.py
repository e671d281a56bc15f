"""Parsing and printing MLIR text for tflc modules."""

from __future__ import annotations

from typing import IO

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, IntegerType, ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.parser import Parser
from xdsl.printer import Printer

from tflc.dialects import make_context
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


def parse_module(text: str | bytes, name: str = "<stdin>") -> ModuleOp:
    """Parse MLIR text into a module with tflc's dialects."""
    return Parser(make_context(), text, name).parse_module()


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
