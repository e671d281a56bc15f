"""Import TensorFlow FunctionDefs into the tf dialect.

Nodes become tf ops carrying their TF attributes, named by their node name (as a
location); `_output_shapes` and resource handle data give the result types.
`Identity`, `NoOp` and control edges are dropped. Calls to library functions
(`StatefulPartitionedCall`, `PartitionedCall`) become calls to private functions
(`f = @name`) that the `tf-inline` pass inlines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    FloatAttr,
    FunctionType,
    IntegerAttr,
    ModuleOp,
    NameLoc,
    NoneAttr,
    StringAttr,
    SymbolRefAttr,
    UnrankedTensorType,
    f32,
    i1,
    i64,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Region, SSAValue

from tflc.dialects import make_context
from tflc.dialects.tf import ResourceType, StringType, TensorProtoAttr
from tflc.frontend.errors import FrontendError
from tflc.frontend.op_defs import input_layout, op_def, output_layout
from tflc.frontend.proto import attr_value_pb2, function_pb2, node_def_pb2, types_pb2
from tflc.frontend.saved_model_reader import (
    arg_handle_data,
    shape_from_proto,
    tensor_proto_to_numpy,
)
from tflc.tensors import UnsupportedTypeError, element_type_from_tf, make_tensor_type, numpy_to_dense, tf_dtype
from tflc.frontend.checkpoint import dtype_name

DT = types_pb2.DataType

# Ops whose outputs are dropped in favour of their inputs.
FORWARDING_OPS = frozenset({"Identity", "IdentityN"})
DROPPED_OPS = frozenset({"NoOp"})

# Attributes that configure TF's runtime, not the computation.
RUNTIME_ATTRS = frozenset({"config_proto", "config", "executor_type", "device"})
# Of those, the ones MLIR's TensorFlow dialect requires where the op declares them (the
# call ops): written empty, as TensorFlow's importer completes them, so MLIR tools
# (Model Explorer) load the text; their runtime values are not kept.
REQUIRED_RUNTIME_ATTRS = ("config", "config_proto", "executor_type")


@cache
def _required_runtime_attrs(op_name: str) -> tuple[str, ...]:
    """The REQUIRED_RUNTIME_ATTRS the op's OpDef declares."""
    definition = op_def(op_name)
    declared = {a.name for a in definition.attr} if definition is not None else set()
    return tuple(key for key in REQUIRED_RUNTIME_ATTRS if key in declared)

# For ops TensorFlow's registry does not know (custom ops): attributes naming the
# output dtype, in order of preference, else the first input's dtype.
FALLBACK_DTYPE_ATTRS = ("dtype", "out_type", "Tout", "T")


def _attr(value: attr_value_pb2.AttrValue, on_func: Callable[[str], object]) -> Attribute | None:
    """A TF AttrValue as an MLIR attribute (None to drop it)."""
    kind = value.WhichOneof("value")
    if kind == "s":
        return StringAttr(value.s.decode("utf-8", errors="replace"))
    if kind == "i":
        return IntegerAttr(value.i, i64)
    if kind == "f":
        return FloatAttr(value.f, f32)
    if kind == "b":
        return BoolAttr.from_bool(value.b)
    if kind == "type":
        return _element_type_or_none(value.type)
    if kind == "shape":
        dims = shape_from_proto(value.shape)
        if dims is None:
            return StringAttr("*")
        return ArrayAttr([IntegerAttr(d, i64) for d in dims])
    if kind == "tensor":
        return _tensor_attr(value.tensor)
    if kind == "func":
        on_func(value.func.name)
        return SymbolRefAttr(value.func.name)
    if kind == "list":
        lst = value.list
        items: list[Attribute | None] = []
        items += [StringAttr(s.decode("utf-8", errors="replace")) for s in lst.s]
        items += [IntegerAttr(i, i64) for i in lst.i]
        items += [FloatAttr(f, f32) for f in lst.f]
        items += [BoolAttr.from_bool(b) for b in lst.b]
        items += [_element_type_or_none(t) for t in lst.type]
        items += [_attr(attr_value_pb2.AttrValue(shape=s), on_func) for s in lst.shape]
        items += [_tensor_attr(t) for t in lst.tensor]
        for f in lst.func:
            on_func(f.name)
            items.append(SymbolRefAttr(f.name))
        return ArrayAttr([a for a in items if a is not None])
    return None


def _element_type_or_none(dtype: int) -> Attribute | None:
    try:
        return element_type_from_tf(dtype)
    except UnsupportedTypeError:
        return None


def _tensor_attr(proto) -> Attribute:
    """A TensorProto as a dense attribute (numbers) or a tensor_proto attribute (strings)."""
    element = element_type_from_tf(proto.dtype)
    dims = shape_from_proto(proto.tensor_shape) or ()
    if isinstance(element, StringType) or proto.dtype in (DT.DT_RESOURCE, DT.DT_VARIANT):
        return TensorProtoAttr(proto.SerializeToString(), make_tensor_type(element, dims))
    return numpy_to_dense(tensor_proto_to_numpy(proto), element)


def tensor_type(dtype: int, shape: tuple[int, ...] | None, subtypes: Sequence[Attribute] = ()) -> Attribute:
    """The MLIR tensor type for a TF dtype and shape (None: unknown rank)."""
    element = ResourceType(subtypes) if dtype % 100 == DT.DT_RESOURCE else element_type_from_tf(dtype)
    if shape is None:
        return UnrankedTensorType(element)
    return make_tensor_type(element, shape)


def _resource_subtypes(handle_data: list[tuple[int, tuple[int, ...] | None]]) -> list[Attribute]:
    return [tensor_type(d, s) for d, s in handle_data]


class FunctionImporter:
    """Imports FunctionDefs of one library into a module, each function once."""

    def __init__(self, library: Mapping[str, function_pb2.FunctionDef], module: ModuleOp, source: str):
        self.library = library
        self.module = module
        self.source = source
        self.imported: dict[str, FuncOp] = {}
        self.importing: list[str] = []  # the chain of functions being imported (cycle detection)
        self.ctx = make_context()

    def error(self, message: str, node: str | None = None) -> FrontendError:
        where = f"node '{node}': " if node else ""
        return FrontendError(f"{where}{message}", self.source)

    def private_function(self, name: str) -> FuncOp:
        """Import a library function as a private func (once)."""
        if name in self.imported:
            return self.imported[name]
        if name not in self.library:
            raise self.error(f"function '{name}' is not in the function library; re-export the SavedModel")
        if name in self.importing:
            chain = " -> ".join([*self.importing[self.importing.index(name):], name])
            raise self.error(f"function '{name}' calls itself ({chain}); TFLite cannot run recursive functions")
        from tflc.limits import MAX_CALL_DEPTH

        if len(self.importing) >= MAX_CALL_DEPTH:
            raise self.error(f"function calls nest deeper than {MAX_CALL_DEPTH} levels at '{name}'")
        fdef = self.library[name]
        self.importing.append(name)
        try:
            func = self.build(fdef, name)
        finally:
            self.importing.pop()
        func.sym_visibility = StringAttr("private")
        _keep_function_attributes(fdef, func)
        self.imported[name] = func
        self.module.body.block.add_op(func)
        return func

    def arg_types(self, fdef: function_pb2.FunctionDef) -> list[Attribute]:
        """The argument types of a FunctionDef, from `_output_shapes` and handle data."""
        types: list[Attribute] = []
        for index, arg in enumerate(fdef.signature.input_arg):
            attrs = fdef.arg_attr[index].attr if index in fdef.arg_attr else {}
            shape: tuple[int, ...] | None = None
            if "_output_shapes" in attrs and attrs["_output_shapes"].list.shape:
                shape = shape_from_proto(attrs["_output_shapes"].list.shape[0])
            if not arg.type:
                raise self.error(f"argument '{arg.name}' of '{fdef.signature.name}' has a polymorphic type")
            try:
                if arg.type == DT.DT_RESOURCE:
                    types.append(tensor_type(arg.type, (), _resource_subtypes(arg_handle_data(fdef, index))))
                else:
                    types.append(tensor_type(arg.type, shape))
            except UnsupportedTypeError as err:
                raise self.error(f"argument '{arg.name}' of '{fdef.signature.name}': {err}") from None
        return types

    def build(self, fdef: function_pb2.FunctionDef, name: str, arg_types: Sequence[Attribute] | None = None) -> FuncOp:
        """A func.func computing `fdef`."""
        block = Block(arg_types=arg_types or self.arg_types(fdef))
        body = _BodyImporter(self, fdef, block)
        results = body.run()
        block.add_op(ReturnOp(*results))
        ftype = FunctionType.from_lists(block.arg_types, [r.type for r in results])
        return FuncOp(name, ftype, Region(block))


KEPT_FUNCTION_ATTRIBUTES = ("api_implements", "time_major", "go_backwards")
"""FunctionDef attributes kept on the func as `tf.<name>` (as TensorFlow's importer does):
what tf-keras marks its recurrent layers' functions with, for prepare-composite-functions."""


def _keep_function_attributes(fdef: function_pb2.FunctionDef, func: FuncOp) -> None:
    for key in KEPT_FUNCTION_ATTRIBUTES:
        if key not in fdef.attr:
            continue
        value = fdef.attr[key]
        kind = value.WhichOneof("value")
        if kind == "s":
            func.attributes[f"tf.{key}"] = StringAttr(value.s.decode("utf-8", errors="replace"))
        elif kind == "b":
            func.attributes[f"tf.{key}"] = BoolAttr(value.b, i1)


class _BodyImporter:
    """Imports the nodes of one FunctionDef into a block."""

    def __init__(self, functions: FunctionImporter, fdef: function_pb2.FunctionDef, block: Block):
        self.functions = functions
        self.fdef = fdef
        self.block = block
        self.nodes = {n.name: n for n in fdef.node_def}
        self.values: dict[str, list[SSAValue]] = {}
        for arg, value in zip(fdef.signature.input_arg, block.args):
            self.values[arg.name] = [value]

    def run(self) -> list[SSAValue]:
        for node in self._topological_order():
            self.values[node.name] = self.node(node)
        results = []
        for out in self.fdef.signature.output_arg:
            ref = self.fdef.ret.get(out.name)
            if ref is None:
                raise self.functions.error(f"function '{self.fdef.signature.name}' does not return '{out.name}'")
            results.append(self.resolve(ref, node=None))
        return results

    def _topological_order(self) -> list[node_def_pb2.NodeDef]:
        """Nodes ordered so that data inputs come first (control edges ignored)."""
        order: list[node_def_pb2.NodeDef] = []
        state: dict[str, int] = {}
        for root in self.fdef.node_def:
            stack = [(root.name, False)]
            while stack:
                name, done = stack.pop()
                if done:
                    state[name] = 2
                    order.append(self.nodes[name])
                    continue
                if state.get(name):  # visiting or done
                    continue
                state[name] = 1
                stack.append((name, True))
                for ref in self.nodes[name].input:
                    dep = ref.split(":")[0]
                    if ref.startswith("^") or dep not in self.nodes or state.get(dep):
                        continue
                    stack.append((dep, False))
        return order

    def resolve(self, ref: str, node: str | None) -> SSAValue:
        """The value a FunctionDef tensor reference (`x`, `node:out:1`) names."""
        parts = ref.split(":")
        name = parts[0]
        if name not in self.values:
            raise self.functions.error(f"input '{ref}' is not defined", node)
        values = self.values[name]
        index = 0
        if not parts[-1].isdigit() and len(parts) > 1:
            raise self.functions.error(f"input '{ref}' has a bad output index", node)
        if len(parts) == 3:
            index = int(parts[2]) + self._output_offset(name, parts[1])
        elif len(parts) == 2:
            index = int(parts[1])
        if index >= len(values):
            raise self.functions.error(f"input '{ref}' refers to a missing output", node)
        return values[index]

    def _output_offset(self, name: str, arg: str) -> int:
        """The flat index of the first tensor of output argument `arg` of node `name`."""
        producer = self.nodes.get(name)
        if producer is None:
            return 0
        definition = op_def(producer.op)
        try:
            layout = output_layout(definition, producer.attr) if definition is not None else None
        except ValueError as err:
            raise self.functions.error(f"{producer.op}: {err}", name) from None
        if layout is not None:
            offset = 0
            for arg_name, dtypes in layout:
                if arg_name == arg:
                    return offset
                offset += len(dtypes)
        return 0

    def node(self, node: node_def_pb2.NodeDef) -> list[SSAValue]:
        inputs = [self.resolve(r, node.name) for r in node.input if not r.startswith("^")]
        if node.op in FORWARDING_OPS:
            return inputs
        if node.op in DROPPED_OPS:
            return []
        if node.op == "XlaCallModule":  # jax2tf: a StableHLO module, imported as stablehlo ops
            from tflc.frontend.xla_call_module import import_xla_call_module

            return import_xla_call_module(node, inputs, self.block, self.functions.source)
        try:
            self.check_inputs(node, inputs)
            result_types = self.result_types(node, inputs)
        except ValueError as err:  # an implausible attribute the layout depends on
            raise self.functions.error(f"{node.op}: {err}", node.name) from None
        attributes: dict[str, Attribute] = {}
        for key, value in sorted(node.attr.items()):
            if key.startswith("_") or key in RUNTIME_ATTRS:
                continue
            try:
                attr = _attr(value, self.functions.private_function)
            except (ValueError, UnsupportedTypeError) as err:  # a corrupt or unsupported constant
                raise self.functions.error(f"attribute '{key}' of {node.op}: {err}", node.name) from None
            if attr is not None:
                attributes[key] = attr
        attributes.update((key, StringAttr("")) for key in _required_runtime_attrs(node.op))
        op_class = self.functions.ctx.get_optional_op("tf." + node.op)
        assert op_class is not None
        op = op_class.create(operands=inputs, result_types=result_types, attributes=attributes)
        op.location = NameLoc(StringAttr(node.name), NoneAttr())
        self.block.add_op(op)
        return list(op.results)

    def check_inputs(self, node: node_def_pb2.NodeDef, inputs: list[SSAValue]) -> None:
        """The node's inputs must match its OpDef: their count, and the dtypes it fixes."""
        definition = op_def(node.op)
        if definition is None:
            return
        expected = input_layout(definition, node.attr)
        if expected is None:
            return
        if len(expected) != len(inputs):
            raise self.functions.error(f"{node.op} takes {len(expected)} input(s) but has {len(inputs)}", node.name)
        for n, (dtype, value) in enumerate(zip(expected, inputs)):
            element = getattr(value.type, "element_type", None)
            if element is None or not dtype:
                continue
            try:
                actual = tf_dtype(element)
            except (UnsupportedTypeError, KeyError, ValueError):
                continue
            if actual % 100 != dtype % 100:
                raise self.functions.error(
                    f"input {n} of {node.op} is {dtype_name(actual)} but the op takes {dtype_name(dtype)}", node.name
                )

    def result_types(self, node: node_def_pb2.NodeDef, inputs: list[SSAValue]) -> list[Attribute]:
        """Result types from `_output_shapes` and the dtype attributes of the node."""
        shapes: list[tuple[int, ...] | None] | None = None
        if "_output_shapes" in node.attr:
            shapes = [shape_from_proto(s) for s in node.attr["_output_shapes"].list.shape]
        dtypes = self.output_dtypes(node, inputs, None if shapes is None else len(shapes))
        if shapes is None and node.op == "Const" and "value" in node.attr:  # a frozen GraphDef has no shapes
            shapes = [shape_from_proto(node.attr["value"].tensor.tensor_shape)]
        if shapes is None:
            shapes = [None] * len(dtypes)
        if len(shapes) != len(dtypes):
            raise self.functions.error(
                f"{node.op} has {len(shapes)} output shapes but {len(dtypes)} output types", node.name
            )
        types = []
        for dtype, shape in zip(dtypes, shapes):
            try:
                types.append(tensor_type(dtype, () if dtype == DT.DT_RESOURCE else shape, self._handle(node)))
            except UnsupportedTypeError as err:
                raise self.functions.error(str(err), node.name) from None
        return types

    def _handle(self, node: node_def_pb2.NodeDef) -> list[Attribute]:
        if node.op != "VarHandleOp":
            return []
        return [tensor_type(node.attr["dtype"].type, shape_from_proto(node.attr["shape"].shape))]

    @staticmethod
    def _type_attr(attrs, keys: Sequence[str]) -> int:
        """The first of `keys` that is a type attribute, or 0."""
        for key in keys:
            if key in attrs and attrs[key].WhichOneof("value") == "type":
                return attrs[key].type
        return 0

    def output_dtypes(self, node: node_def_pb2.NodeDef, inputs: list[SSAValue], count: int | None) -> list[int]:
        """The DataType of each output of a node (from its OpDef when TF registers it)."""
        attrs = node.attr
        definition = op_def(node.op)
        layout = output_layout(definition, attrs) if definition is not None else None
        if layout is not None:
            return [dtype for _, dtypes in layout for dtype in dtypes]
        dtype = self._type_attr(attrs, FALLBACK_DTYPE_ATTRS)
        if not dtype and inputs:
            from tflc.tensors import tf_dtype

            ty = inputs[0].type
            element = getattr(ty, "element_type", None)
            dtype = tf_dtype(element) if element is not None else 0
        if not dtype:
            if count == 0:
                return []
            raise self.functions.error(f"cannot tell the output type of {node.op}", node.name)
        return [dtype] * (1 if count is None else count)
