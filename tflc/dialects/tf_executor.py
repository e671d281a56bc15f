"""The `tf_executor` dialect: TensorFlow graphs as TensorFlow's importers write them.

`tf_executor.graph` holds `tf_executor.island`s, each wrapping tf ops and yielding
their values plus a `!tf_executor.control` token that later islands take as control
dependencies; `tf_executor.fetch` returns the graph's values. Both of TensorFlow's
syntaxes parse and print:

    %out, %ctl = tf_executor.island(%c0) wraps "tf.Relu"(%x) : (...) -> tensor<2xf32>
    %out:2, %ctl = tf_executor.island { ...; tf_executor.yield %a, %b : ... }

`tf-executor-to-functional` (tflc.passes.executor) turns graphs into plain tf ops.
TF1 dataflow control flow (`tf_executor.Switch`, `Merge`, `Enter`, `NextIteration`, ...)
is not supported: convert such graphs with TensorFlow's functional control flow (TF2).
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import Attribute, Block, Dialect, Operation, ParametrizedAttribute, Region, SSAValue, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import HasParent, IsTerminator
from xdsl.utils.exceptions import VerifyException


@irdl_attr_definition
class ControlType(ParametrizedAttribute, TypeAttribute):
    """`!tf_executor.control`: an island's control token (ordering only, no data)."""

    name = "tf_executor.control"


@irdl_attr_definition
class TokenType(ParametrizedAttribute, TypeAttribute):
    """`!tf_executor.token`: pairs a NextIteration source with its sink (TF1 loops)."""

    name = "tf_executor.token"


def _is_control(value: SSAValue | Attribute) -> bool:
    ty = value if isinstance(value, Attribute) else value.type
    return isinstance(ty, ControlType)


def _parse_typed_operands(parser: Parser) -> list[SSAValue]:
    """`%a, %b : type, type` (or nothing): operands with their types after a colon."""
    names = parser.parse_optional_undelimited_comma_separated_list(
        parser.parse_optional_unresolved_operand, parser.parse_unresolved_operand
    ) or []
    if not names:
        return []
    parser.parse_punctuation(":")
    types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
    return list(parser.resolve_operands(names, types, parser.pos))


def _print_typed_operands(printer: Printer, values: Sequence[SSAValue]) -> None:
    if not values:
        return
    printer.print_string(" ")
    printer.print_list(values, printer.print_operand)
    printer.print_string(" : ")
    printer.print_list([v.type for v in values], printer.print_attribute)


def _print_without_results(printer: Printer, op: Operation) -> None:
    """Print `op` without its `%r = ` (the island's results name its values)."""
    printer._print_results = lambda _op: None  # type: ignore[method-assign, assignment]
    try:
        printer.print_op(op)
    finally:
        del printer._print_results


@irdl_op_definition
class YieldOp(IRDLOperation):
    """`tf_executor.yield`: the values an island produces."""

    name = "tf_executor.yield"
    fetches = var_operand_def()
    traits = traits_def(IsTerminator())

    def __init__(self, values: Sequence[SSAValue]):
        super().__init__(operands=[values])

    @classmethod
    def parse(cls, parser: Parser) -> YieldOp:
        return cls(_parse_typed_operands(parser))

    def print(self, printer: Printer) -> None:
        _print_typed_operands(printer, self.fetches)


@irdl_op_definition
class FetchOp(IRDLOperation):
    """`tf_executor.fetch`: the graph's results, then control tokens it waits for."""

    name = "tf_executor.fetch"
    fetches = var_operand_def()
    traits = traits_def(IsTerminator())

    def __init__(self, values: Sequence[SSAValue]):
        super().__init__(operands=[values])

    @classmethod
    def parse(cls, parser: Parser) -> FetchOp:
        return cls(_parse_typed_operands(parser))

    def print(self, printer: Printer) -> None:
        _print_typed_operands(printer, self.fetches)

    def data_values(self) -> list[SSAValue]:
        """The fetched values that are not control tokens."""
        return [v for v in self.fetches if not _is_control(v)]


@irdl_op_definition
class GraphOp(IRDLOperation):
    """`tf_executor.graph`: a dataflow graph of islands ending in `tf_executor.fetch`."""

    name = "tf_executor.graph"
    outputs = var_result_def()
    body = region_def("single_block")

    def __init__(self, body: Region, result_types: Sequence[Attribute]):
        super().__init__(regions=[body], result_types=[result_types])

    @classmethod
    def parse(cls, parser: Parser) -> GraphOp:
        body = parser.parse_region()
        attrs = parser.parse_optional_attr_dict()
        block = body.block
        fetch = block.last_op
        types = [v.type for v in fetch.data_values()] if isinstance(fetch, FetchOp) else []
        op = cls(body, types)
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)
        printer.print_op_attributes(self.attributes)

    def verify_(self) -> None:
        fetch = self.body.block.last_op
        if not isinstance(fetch, FetchOp):
            raise VerifyException("must end with tf_executor.fetch")
        types = [v.type for v in fetch.data_values()]
        if types != [r.type for r in self.outputs]:
            raise VerifyException("results must match the types of the values tf_executor.fetch returns")


@irdl_op_definition
class IslandOp(IRDLOperation):
    """`tf_executor.island`: tf ops run as one unit, after its control operands."""

    name = "tf_executor.island"
    controls = var_operand_def(ControlType)
    outputs = var_result_def()
    body = region_def("single_block")
    traits = traits_def(HasParent(GraphOp))

    def __init__(self, controls: Sequence[SSAValue], body: Region, result_types: Sequence[Attribute]):
        super().__init__(
            operands=[controls], regions=[body], result_types=[[*result_types, ControlType()]]
        )

    @classmethod
    def parse(cls, parser: Parser) -> IslandOp:
        controls: list[SSAValue] = []
        if parser.parse_optional_punctuation("(") is not None:
            if parser.parse_optional_punctuation(")") is None:
                names = parser.parse_comma_separated_list(
                    parser.Delimiter.NONE, parser.parse_unresolved_operand
                )
                parser.parse_punctuation(")")
                controls = [parser.resolve_operand(n, ControlType()) for n in names]
        if parser.parse_optional_keyword("wraps") is not None:
            inner = parser.parse_operation()
            body = Region(Block([inner, YieldOp(list(inner.results))]))
            types = [r.type for r in inner.results]
        else:
            body = parser.parse_region()
            last = body.block.last_op
            types = [v.type for v in last.fetches] if isinstance(last, YieldOp) else []
        attrs = parser.parse_optional_attr_dict()
        op = cls(controls, body, types)
        op.attributes.update(attrs)
        return op

    def wrapped_op(self) -> Operation | None:
        """The single op of an island that yields exactly that op's results."""
        ops = list(self.body.block.ops)
        if len(ops) != 2 or not isinstance(ops[1], YieldOp):
            return None
        if list(ops[1].fetches) != list(ops[0].results):
            return None
        return ops[0]

    def print(self, printer: Printer) -> None:
        if self.controls:
            printer.print_string("(")
            printer.print_list(self.controls, printer.print_operand)
            printer.print_string(")")
        inner = self.wrapped_op()
        if inner is not None and not self.attributes:
            printer.print_string(" wraps ")
            _print_without_results(printer, inner)
            return
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)
        printer.print_op_attributes(self.attributes)

    def verify_(self) -> None:
        last = self.body.block.last_op
        if not isinstance(last, YieldOp):
            raise VerifyException("must end with tf_executor.yield")
        if [v.type for v in last.fetches] != [r.type for r in self.outputs][:-1]:
            raise VerifyException("results must match tf_executor.yield's values and one control token")


TFExecutor = Dialect(
    "tf_executor",
    [GraphOp, IslandOp, YieldOp, FetchOp],
    [ControlType, TokenType],
)
