"""Import a SavedModel into a tf-dialect module, one function per signature, without TensorFlow.

Each signature becomes a public function exported under its key, its arguments and
results named by the SignatureDef (`tf_saved_model.index_path`). Captured variables
become `tf_saved_model.global_tensor` ops holding their checkpoint values, passed
as resource arguments bound to them; captured constants become `tf.Const` ops.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, NameLoc, NoneAttr, StringAttr, SymbolRefAttr
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Operation

from tflc.dialects.tf_saved_model import BOUND_INPUT, INDEX_PATH, EXPORTED_NAMES, GlobalTensorOp, mark_module
from tflc.frontend.errors import FrontendError
from tflc.frontend.graph_import import FunctionImporter, tensor_type
from tflc.frontend.saved_model_reader import Capture, SavedModelData, Signature, read_saved_model
from tflc.frontend.lookup_tables import TableSource, add_table_initializers, table_op
from tflc.tensors import UnsupportedTypeError, element_type_from_tf, make_tensor_type, numpy_to_dense, strings_to_attr

__all__ = ["import_saved_model", "module_from_saved_model_data", "signature_function"]


def import_saved_model(
    path: str | os.PathLike[str],
    signature_keys: Sequence[str] | None = None,
    tags: Iterable[str] | None = None,
) -> ModuleOp:
    """Read a SavedModel directory (TF2, or TF1 with graph signatures) into a tf-dialect module
    (never imports TensorFlow)."""
    from tflc.frontend.saved_model_reader import load_meta_graph, select_signature_keys
    from tflc.frontend.saved_model_v1 import import_saved_model_v1, is_v1_meta_graph

    meta_graph = load_meta_graph(path, tags)
    if is_v1_meta_graph(meta_graph):
        root = os.fspath(path)
        keys = select_signature_keys(meta_graph, signature_keys, os.path.join(root, "saved_model.pb"))
        return import_saved_model_v1(root, meta_graph, keys)
    return module_from_saved_model_data(read_saved_model(path, signature_keys, tags, meta_graph=meta_graph))


def module_from_saved_model_data(data: SavedModelData) -> ModuleOp:
    """Build the tf-dialect module for the signatures a SavedModel reader selected."""
    module = ModuleOp([])
    mark_module(module)
    source = os.path.join(data.path, "saved_model.pb")
    functions = FunctionImporter(data.library, module, source)
    globals_: dict[str, str] = {}
    for key, signature in data.signatures.items():
        try:
            func = signature_function(functions, data, signature, module, globals_)
        except UnsupportedTypeError as err:
            raise FrontendError(f"signature '{key}': {err}; TFLite has no such tensor type", source) from None
        module.body.block.add_op(func)
    add_table_initializers(functions, module, table_captures(data.signatures.values()))
    return module


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_1`, `name_2`, ... whichever is not taken."""
    candidate, suffix = name, 0
    while candidate in taken:
        suffix += 1
        candidate = f"{name}_{suffix}"
    return candidate


def _global_tensor(capture: Capture, module: ModuleOp, globals_: dict[str, str]) -> str:
    """The symbol of the global tensor holding a captured variable (created once)."""
    key = capture.checkpoint_key or capture.graph_node
    if key in globals_:
        return globals_[key]
    name = _unique(capture.node_path or capture.graph_node or "variable", set(globals_.values()))
    value = capture.value()
    element = element_type_from_tf(capture.dtype)
    attr: Attribute | None = None if value.dtype == object else numpy_to_dense(value, element)
    op = GlobalTensorOp(name, make_tensor_type(element, value.shape), attr)
    op.location = NameLoc(StringAttr(key), NoneAttr())
    first = module.body.block.first_op
    module.body.block.insert_op_before(op, first) if first else module.body.block.add_op(op)
    globals_[key] = name
    return name


def signature_function(
    functions: FunctionImporter,
    data: SavedModelData,
    signature: Signature,
    module: ModuleOp,
    globals_: dict[str, str],
) -> FuncOp:
    """The exported function computing one signature, its variables bound to global tensors."""
    fdef = data.library.get(signature.function_name)
    if fdef is None:
        raise FrontendError(
            f"signature '{signature.key}' calls the missing function '{signature.function_name}'", functions.source
        )
    arg_types = functions.arg_types(fdef)
    for i, spec in enumerate(signature.inputs):  # the SignatureDef's shapes are authoritative
        if spec.shape is not None:
            arg_types[i] = tensor_type(spec.dtype, spec.shape)
    func = functions.build(fdef, signature.key, arg_types)
    arg_attrs = [_index_path(spec.name) for spec in signature.inputs]
    for capture in signature.captures:
        if capture.kind == "variable":
            symbol = _global_tensor(capture, module, globals_)
            arg_attrs.append(DictionaryAttr({BOUND_INPUT: SymbolRefAttr(symbol)}))
        elif capture.kind == "table":
            arg_attrs.append(DictionaryAttr({}))
        else:
            arg_attrs.append(DictionaryAttr({"tf_saved_model.captured_constant": _const_marker(capture)}))
    func.arg_attrs = ArrayAttr(arg_attrs)
    func.res_attrs = ArrayAttr([_index_path(spec.name) for spec in signature.outputs])
    func.attributes[EXPORTED_NAMES] = ArrayAttr([StringAttr(signature.key)])
    _inline_constant_captures(func, signature)
    return func


def table_captures(signatures: Iterable[Signature]) -> list[TableSource]:
    """The lookup tables the signatures capture."""
    return [c.table for s in signatures for c in s.captures if c.table is not None]


def _const_marker(capture: Capture) -> Attribute:
    return StringAttr(capture.graph_node)


def _inline_constant_captures(func: FuncOp, signature: Signature) -> None:
    """Replace arguments bound to captured constants by tf.Const ops, and tables by the ops making them."""
    from tflc.dialects import tf

    block = func.body.block
    constants = [c for c in signature.captures if c.kind in ("constant", "table")]
    for capture in sorted(constants, key=lambda c: c.arg_index, reverse=True):
        arg = block.args[capture.arg_index]
        const: Operation
        if capture.table is not None:
            const = table_op(capture.table)
        else:
            array = capture.value()
            element = element_type_from_tf(capture.dtype)
            value = strings_to_attr(array) if array.dtype == object else numpy_to_dense(array, element)
            const = tf.ConstOp.create(result_types=[arg.type], attributes={"value": value})
            const.location = NameLoc(StringAttr(capture.graph_node), NoneAttr())
        first = block.first_op
        assert first is not None and func.arg_attrs is not None  # a function ends in its return
        block.insert_op_before(const, first)
        arg.replace_all_uses_with(const.results[0])
        block.erase_arg(arg)
        attrs = list(func.arg_attrs.data)
        del attrs[capture.arg_index]
        func.arg_attrs = ArrayAttr(attrs)
    func.update_function_type()


def _index_path(name: str) -> DictionaryAttr:
    return DictionaryAttr({INDEX_PATH: ArrayAttr([StringAttr(name)])})
