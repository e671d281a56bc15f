"""MLIR syntax TensorFlow's tools print that xDSL's parser does not read as is.

`TFSyntaxMixin` is mixed into `tflc.ir.TflcParser`; each method is one small, separate
extension of xDSL's parser:

- location aliases used before their definition (`loc(#loc12)` in the body, `#loc12 =
  loc(...)` after the module, as every `show_debug_info=True` export writes them);
- whitespace inside shapes (`tensor<? x f32>`), which MLIR allows;
- large splat constants (`dense<1.0> : tensor<4096x1024xbf16>`), stored as one element;
- TF op attributes written as properties (`"tf.MatMul"(...) <{transpose_a = false}>`):
  tf ops keep TF attributes in the attribute dictionary, so they move there, and any
  op's attribute dictionary entries that it defines as properties move the other way;
- tfl properties TensorFlow omits at their default value (the op class's `DEFAULTS`);
- the functional form of ops with a custom syntax (`tfl.add(%a, %b) <{...}> : (...) ->
  ...`), which TensorFlow's tfl parsers accept for every op.
"""

from __future__ import annotations

import math

import re
from typing import Any

from xdsl.dialects.builtin import UnregisteredOp
from xdsl.ir import Attribute, Operation
from xdsl.irdl import IRDLOperation
from xdsl.utils.lexer import Position

_ALIAS_DEF = re.compile(r"^(#[A-Za-z_][\w$.-]*)[ \t]*=[ \t]*", re.MULTILINE)
_FUNCTIONAL_FORM_DIALECTS = ("tfl.", "tf.")



# The highest tensor rank tflc accepts: numpy's (TFLite's kernels take far fewer).
MAX_RANK = 64
# The most elements a tensor type may have (int64 indices, as numpy's).
MAX_ELEMENTS = 2**63 - 1

class _FunctionalForm:
    """Stands in for an op class whose name is followed by `(`: parses the generic body."""

    def __init__(self, op_type: type[Operation]):
        self.op_type = op_type

    def dialect_name(self) -> str:
        """The wrapped op's dialect."""
        return self.op_type.dialect_name()

    def parse(self, parser: Any) -> Operation:
        """Parse `(operands) <{props}> {attrs} : (types) -> types` into the wrapped op."""
        return parser._parse_generic_operation(self.op_type)


class TFSyntaxMixin:
    """Parser extensions for the MLIR TensorFlow's exporters and lit tests write."""

    _pending_aliases: dict[str, int] | None = None
    _resolving_aliases: set[str]
    _literal_count: int | None = None  # elements of the last dense literal (TflcParser's size check)

    # -- location aliases defined after their use ---------------------------------

    def _alias_positions(self) -> dict[str, int]:
        """Where each top-level `#name = ...` definition's value starts (one scan)."""
        if self._pending_aliases is None:
            content = self.lexer.input.content  # type: ignore[attr-defined]
            self._pending_aliases = {m.group(1): m.end() for m in _ALIAS_DEF.finditer(content)}
            self._resolving_aliases = set()
        return self._pending_aliases

    def _parse_extended_type_or_attribute(self, attr_or_dialect_name: str, is_type: bool) -> Attribute:
        alias = ("!" if is_type else "#") + attr_or_dialect_name
        aliases = self.attribute_aliases  # type: ignore[attr-defined]
        if (
            not is_type
            and "." not in attr_or_dialect_name
            and alias not in aliases
            and self._current_token.text != "<"  # type: ignore[attr-defined]
        ):
            position = self._alias_positions().get(alias)
            if position is not None and alias not in self._resolving_aliases:
                aliases[alias] = self._parse_alias_at(alias, position)
        start = self._current_token.span  # type: ignore[attr-defined]
        try:
            attr = super()._parse_extended_type_or_attribute(attr_or_dialect_name, is_type)  # type: ignore[misc]
        except (ValueError, TypeError) as err:  # parameters the attribute's class does not take
            self.raise_error(f"{alias} does not take these parameters ({err})", start)  # type: ignore[attr-defined]
        return self._complete_tensor_proto(attr)

    def _complete_tensor_proto(self, attr: Attribute) -> Attribute:
        """TF's `#tf_type<tensor_proto : "0x..."> : tensor<...>`: read the trailing type."""
        from xdsl.dialects.builtin import NoneType

        from tflc.dialects.tf import TensorProtoAttr

        if isinstance(attr, TensorProtoAttr) and isinstance(attr.type, NoneType):
            self.parse_punctuation(":", "after a tensor_proto attribute")  # type: ignore[attr-defined]
            return TensorProtoAttr(attr.data.data, self.parse_type())  # type: ignore[attr-defined]
        return attr

    def _parse_alias_at(self, alias: str, position: Position) -> Attribute:
        """Parse the value of a later alias definition, then resume where we were."""
        resume = self._current_token.span.start  # type: ignore[attr-defined]
        self._resolving_aliases.add(alias)
        try:
            self._resume_from(position)  # type: ignore[attr-defined]
            value = self.parse_attribute()  # type: ignore[attr-defined]
        finally:
            self._resolving_aliases.discard(alias)
            self._resume_from(resume)  # type: ignore[attr-defined]
        return value

    def _parse_alias_def(self) -> None:
        token = self._current_token  # type: ignore[attr-defined]
        aliases = self.attribute_aliases  # type: ignore[attr-defined]
        if token.text in aliases and self._pending_aliases and token.text in self._pending_aliases:
            # Already parsed on first use: read past the definition.
            self._consume_token()  # type: ignore[attr-defined]
            self.parse_punctuation("=", "after attribute alias name")  # type: ignore[attr-defined]
            self.parse_attribute()  # type: ignore[attr-defined]
            return
        super()._parse_alias_def()  # type: ignore[misc]

    # -- large splat constants --------------------------------------------------------

    def parse_dense_int_or_fp_elements_attr(self, type: Any) -> Any:
        """`dense<1.0> : tensor<4096x1024xbf16>`: a splat of over 4096 elements keeps its
        one element (tflc.tensors reads it as a broadcast view); xDSL would build a list
        of every element."""
        start = self._current_token.span.start  # type: ignore[attr-defined]
        fast = self._parse_large_splat(type)
        if fast is not None:
            return fast
        self._resume_from(start)  # type: ignore[attr-defined]
        return super().parse_dense_int_or_fp_elements_attr(type)  # type: ignore[misc]

    def _parse_large_splat(self, type: Any) -> Any:
        """The attribute if the text is a splat (one value or one hex element) of over
        4096 elements, else None (the caller rewinds)."""
        import math

        from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType
        from xdsl.utils.mlir_lexer import MLIRTokenKind

        if self.parse_optional_punctuation("<") is None:  # type: ignore[attr-defined]
            return None
        kind = self._current_token.kind  # type: ignore[attr-defined]
        if kind in (MLIRTokenKind.L_SQUARE, MLIRTokenKind.GREATER):
            return None
        hex_bytes: bytes | None = None
        if kind == MLIRTokenKind.STRING_LIT:
            text = self.parse_str_literal()  # type: ignore[attr-defined]
            if not text.startswith("0x") or len(text) > 2 + 2 * 16:
                return None
            try:
                hex_bytes = bytes.fromhex(text[2:])
            except ValueError:
                return None
            self._literal_count = 1  # read by TflcParser's size check: one element stored
        else:
            values, shape = self._parse_tensor_literal()  # type: ignore[attr-defined]
            if shape or len(values) != 1:
                return None
        if self.parse_optional_punctuation(">") is None:  # type: ignore[attr-defined]
            return None
        if type is None:
            if self.parse_optional_punctuation(":") is None:  # type: ignore[attr-defined]
                return None
            type = self._parse_dense_literal_type()  # type: ignore[attr-defined]
        if math.prod(type.get_shape()) <= 4096:
            return None
        element = type.element_type
        if hex_bytes is not None:
            if len(hex_bytes) != element.compile_time_size:
                return None
            return DenseIntOrFPElementsAttr(type, BytesAttr(hex_bytes))
        one = DenseIntOrFPElementsAttr.from_list(TensorType(element, [1]), [values[0].to_type(self, element)])
        return DenseIntOrFPElementsAttr(type, BytesAttr(one.data.data))

    # -- whitespace inside shapes ---------------------------------------------------

    def parse_dimension_list(self) -> list[int]:
        """`(dimension 'x')* dimension`, with or without whitespace around each `x`."""
        from xdsl.utils.mlir_lexer import MLIRTokenKind

        accepted = (MLIRTokenKind.INTEGER_LIT, MLIRTokenKind.QUESTION)
        if self._current_token.kind not in accepted:  # type: ignore[attr-defined]
            return []
        start = self._current_token.span.start  # type: ignore[attr-defined]
        dims = [self.parse_shape_dimension()]  # type: ignore[attr-defined]
        while True:
            delimiter = self._current_token.span.start  # type: ignore[attr-defined]
            if self._parse_optional_shape_delimiter() is None:  # type: ignore[attr-defined]
                break
            if self._current_token.kind not in accepted:  # type: ignore[attr-defined]
                self._resume_from(delimiter)  # type: ignore[attr-defined]
                break
            dims.append(self.parse_shape_dimension())  # type: ignore[attr-defined]
            if len(dims) > MAX_RANK:
                self.raise_error(  # type: ignore[attr-defined]
                    f"a shape of more than {MAX_RANK} dimensions; tflc (like numpy) holds tensors of rank "
                    f"{MAX_RANK} at most"
                )
        if math.prod(d for d in dims if d > 0) > MAX_ELEMENTS:
            self.raise_error(  # type: ignore[attr-defined]
                f"a shape of more than 2^63-1 elements ({'x'.join(map(str, dims))}); no tensor holds that many",
                start,
            )
        return dims

    # -- ops ----------------------------------------------------------------------------

    def _get_op_by_name(self, name: str) -> Any:
        op_type = super()._get_op_by_name(name)  # type: ignore[misc]
        if name.startswith(_FUNCTIONAL_FORM_DIALECTS) and self._current_token.text == "(":  # type: ignore[attr-defined]
            start = self._current_token.span.start  # type: ignore[attr-defined]
            content = self.lexer.input.content  # type: ignore[attr-defined]
            if content[max(0, start - len(name) - 2) : start].rstrip().endswith(name):
                # Written as a bare name (custom syntax) followed by a functional body.
                return _FunctionalForm(op_type)
        return op_type

    def parse_operation(self) -> Operation:
        op = super().parse_operation()  # type: ignore[misc]
        if op.properties:
            move_tf_properties(op)
            read_enum_attributes(op)
        fill_default_properties(op)
        return op


def read_enum_attributes(op: Operation) -> None:
    """Enum properties TensorFlow writes as its enum attributes (`#tfl<mirror_pad_attr
    SYMMETRIC>`) become the strings tflc keeps; integer arrays written with another width
    (`squeeze_dims = [1 : i32]`, as older tflc wrote them) take the width the op defines."""
    from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, StringAttr, i64

    from tflc.dialects.tfl import TFLEnumAttr, TFLOp

    if not isinstance(op, TFLOp):
        return
    constraints = type(op).property_constraints()
    for name, value in list(op.properties.items()):
        if isinstance(value, TFLEnumAttr):
            op.properties[name] = StringAttr(value.data)
        elif isinstance(value, ArrayAttr) and value.data and name in constraints:
            wide = [IntegerAttr(d.value.data, i64) if isinstance(d, IntegerAttr) else d for d in value.data]
            if wide != list(value.data) and constraints[name].verifies(ArrayAttr(wide)):
                op.properties[name] = ArrayAttr(wide)


def fill_default_properties(op: Operation) -> None:
    """Required properties TensorFlow omits when they hold their default
    (`fused_activation_function = "NONE"`, `keep_dims = false`, ...) get the op class's
    `DEFAULTS`."""
    from tflc.dialects.tfl import TFLOp, _prop_value

    if not isinstance(op, TFLOp):
        return
    from xdsl.irdl import OptPropertyDef

    definitions = type(op).get_irdl_definition().properties
    for name, value in type(op).DEFAULTS.items():
        definition = definitions.get(name)
        if definition is None or isinstance(definition, OptPropertyDef) or name in op.properties:
            continue  # optional properties stay absent, as written
        op.properties[name] = _prop_value(definition.constr, value)


def move_tf_properties(op: Operation) -> None:
    """Keep TF attributes where tflc reads them: properties a tf op does not define
    become attributes (TensorFlow prints op-defined attributes as `<{...}>`)."""
    if isinstance(op, UnregisteredOp):
        is_tf = op.op_name.data.startswith("tf.")
        defined: set[str] = set()
    elif isinstance(op, IRDLOperation):
        is_tf = op.name.startswith("tf.")
        defined = set(op.get_irdl_definition().properties)
    else:
        return
    for key in [k for k in op.properties if k not in defined]:
        if is_tf or (isinstance(op, IRDLOperation) and key in op.get_irdl_definition().attributes):
            op.attributes.setdefault(key, op.properties.pop(key))


def print_tf_attribute(printer: Any, attribute: Attribute) -> bool:
    """Print attributes TensorFlow spells in opaque form (`#tf_type<tensor_proto : ...>`);
    False for every other attribute."""
    from tflc.dialects.tf import TensorProtoAttr

    if not isinstance(attribute, TensorProtoAttr):
        return False
    printer.print_string(f'#tf_type<tensor_proto : "0x{attribute.data.data.hex().upper()}"> : ')
    printer.print_attribute(attribute.type)
    return True
