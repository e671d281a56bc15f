"""Import a TF1 SavedModel (tf.compat.v1.saved_model.Builder / simple_save) without TensorFlow.

A TF1 MetaGraphDef has no object graph: each SignatureDef names tensors of one
GraphDef directly. Each signature becomes an exported function computing its outputs
from its inputs (both ordered by key), the graph cut and pruned as for a frozen
GraphDef (v1 control flow functionalized). Variables (`VariableV2` ref variables and
`VarHandleOp` resource variables) are frozen into constants, as TensorFlow's converter
freezes TF1 SavedModels: their values come from the checkpoint under the key the
graph's Saver restores them from (its RestoreV2 -> Assign edges), or, for variables the
checkpoint does not hold (local variables), from the constant initial value their
VariableDef in the `variables` / `local_variables` collections names.
"""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import MutableMapping, Sequence
from typing import cast

import numpy as np
from google.protobuf.message import DecodeError
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, StringAttr

from tflc.dialects.tf_saved_model import EXPORTED_NAMES, INDEX_PATH, mark_module
from tflc.frontend.checkpoint import Checkpoint, dtype_name
from tflc.frontend.errors import FrontendError
from tflc.frontend.functionalize import parse_ref
from tflc.frontend.graph_def import GraphInput, graph_function, input_types
from tflc.frontend.graph_import import FunctionImporter
from tflc.frontend.proto import (
    function_pb2,
    lazy_saved_model_pb2,
    meta_graph_pb2,
    meta_graph_v1_pb2,
    node_def_pb2,
    tensor_pb2,
    types_pb2,
)
from tflc.frontend.saved_model_reader import FunctionLibrary, shape_from_proto
from tflc.frontend.tables_v1 import INIT_OP_SIGNATURE_KEY, add_v1_table_initializer

__all__ = ["import_saved_model_v1", "is_v1_meta_graph"]

_REF_VARIABLES = ("VariableV2", "Variable")
_ASSIGNS = ("Assign", "AssignVariableOp", "AssignAdd", "AssignSub", "AssignAddVariableOp", "AssignSubVariableOp")
_VARIABLE_COLLECTIONS = ("variables", "local_variables", "model_variables", "trainable_variables")
_RESOURCE = types_pb2.DT_RESOURCE


def is_v1_meta_graph(meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef) -> bool:
    """Whether a MetaGraphDef was written by TF1 (signatures name graph tensors, no object graph)."""
    return not meta_graph.HasField("object_graph_def")


def _identity_source(nodes: dict[str, node_def_pb2.NodeDef], ref: str) -> tuple[str, int]:
    tensor = parse_ref(ref)
    seen = {tensor[0]}
    while tensor[0] in nodes and nodes[tensor[0]].op == "Identity" and nodes[tensor[0]].input:
        tensor = parse_ref(nodes[tensor[0]].input[0])
        if tensor[0] in seen:  # an Identity cycle: no source
            break
        seen.add(tensor[0])
    return tensor


def _restored_keys(nodes: dict[str, node_def_pb2.NodeDef], saver: meta_graph_v1_pb2.SaverDef) -> dict[str, str]:
    """Variable node -> the checkpoint key the Saver restores it from (its RestoreV2 -> Assign edges)."""
    reachable: set[str] | None = None
    restore = saver.restore_op_name.split(":")[0]
    if restore in nodes:  # only the Assigns the SavedModel's own restore op runs
        reachable, pending = set(), [restore]
        while pending:
            name = pending.pop()
            if name in reachable or name not in nodes:
                continue
            reachable.add(name)
            pending.extend(r.lstrip("^").split(":")[0] for r in nodes[name].input)
    keys: dict[str, str] = {}
    for node in nodes.values():
        if node.op not in ("Assign", "AssignVariableOp") or len(node.input) < 2:
            continue
        if reachable is not None and node.name not in reachable:
            continue
        source, index = _identity_source(nodes, node.input[1])
        restore_node = nodes.get(source)
        if restore_node is None or restore_node.op not in ("RestoreV2", "Restore", "RestoreSlice"):
            continue
        names = nodes.get(parse_ref(restore_node.input[1])[0]) if len(restore_node.input) > 1 else None
        if names is None or names.op != "Const":
            continue
        values = list(names.attr["value"].tensor.string_val)
        if index < len(values):
            keys[parse_ref(node.input[0])[0]] = values[index].decode("utf-8", "replace")
    return keys


def const_node(name: str, value: np.ndarray, dtype: int) -> node_def_pb2.NodeDef:
    """A Const NodeDef holding `value`."""
    node = node_def_pb2.NodeDef(name=name, op="Const")
    node.attr["dtype"].type = dtype  # type: ignore[assignment]
    proto: tensor_pb2.TensorProto = node.attr["value"].tensor
    proto.dtype = dtype  # type: ignore[assignment]
    for d in value.shape:
        proto.tensor_shape.dim.add(size=d)
    if value.dtype == object:
        proto.string_val.extend(bytes(v) for v in value.reshape(-1))
    else:
        proto.tensor_content = np.ascontiguousarray(value).tobytes()
    return node


class _Variables:
    """Freezes the variables of one TF1 graph: their values from the checkpoint or initial values."""

    def __init__(
        self,
        root: str,
        meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef,
        nodes: dict[str, node_def_pb2.NodeDef],
        verify_checksums: bool,
    ):
        self.root = root
        self.nodes = nodes
        self.verify_checksums = verify_checksums
        self.keys = _restored_keys(nodes, meta_graph.saver_def)
        self.initial_values: dict[str, str] = {}
        for collection in _VARIABLE_COLLECTIONS:
            if collection not in meta_graph.collection_def:
                continue
            for blob in meta_graph.collection_def[collection].bytes_list.value:
                try:
                    var = meta_graph_v1_pb2.VariableDef.FromString(blob)
                except DecodeError as err:
                    raise FrontendError(
                        f"collection '{collection}' holds a corrupt VariableDef ({err}); re-export the SavedModel",
                        os.path.join(root, "saved_model.pb"),
                    ) from None
                if var.initial_value_name:
                    self.initial_values.setdefault(var.variable_name.split(":")[0], var.initial_value_name)
        self._checkpoint: Checkpoint | None = None
        self.signature = ""

    def checkpoint(self) -> Checkpoint:
        if self._checkpoint is None:
            self._checkpoint = Checkpoint(os.path.join(self.root, "variables", "variables"), self.verify_checksums)
        return self._checkpoint

    def replace(self, node: node_def_pb2.NodeDef) -> node_def_pb2.NodeDef:
        """A variable read as a Const of the variable's value; other nodes unchanged."""
        if node.op in _REF_VARIABLES:
            return const_node(node.name, self.value(node), node.attr["dtype"].type)
        if node.op == "ReadVariableOp" and node.input:
            handle = self.nodes.get(parse_ref(node.input[0])[0])
            if handle is not None and handle.op == "VarHandleOp":
                return const_node(node.name, self.value(handle), node.attr["dtype"].type)
        if node.op in _ASSIGNS:
            raise FrontendError(
                f"signature '{self.signature}' assigns variable '{parse_ref(node.input[0])[0]}' (node "
                f"'{node.name}'); TF1 SavedModel variables are frozen to constants, so a signature "
                "cannot write them: export a signature that only reads them",
                os.path.join(self.root, "saved_model.pb"),
            )
        return node

    def value(self, var: node_def_pb2.NodeDef) -> np.ndarray:
        """The value of a variable node, checked against its dtype and shape."""
        shared = var.attr["shared_name"].s.decode("utf-8", "replace") if "shared_name" in var.attr else ""
        candidates = [self.keys.get(var.name), var.name, shared]
        ckpt_key = next((k for k in candidates if k and k in self._checkpoint_keys()), None)
        dtype = var.attr["dtype"].type
        shape = shape_from_proto(var.attr["shape"].shape) if "shape" in var.attr else None
        if ckpt_key is None:
            value = self._initial_value(var)
            where = "its initial value"
        else:
            value = self.checkpoint().read(ckpt_key)
            where = f"checkpoint tensor '{ckpt_key}'"
            stored = self.checkpoint().dtype(ckpt_key)
            if stored != dtype:
                raise FrontendError(
                    f"{where} is {dtype_name(stored)} but variable '{var.name}' is {dtype_name(dtype)}; "
                    "re-export the SavedModel", self.checkpoint().index_path,
                )
        if shape is not None and (
            len(shape) != value.ndim or any(s not in (-1, v) for s, v in zip(shape, value.shape))
        ):
            raise FrontendError(
                f"{where} has shape {list(value.shape)} but variable '{var.name}' is {list(shape)}; "
                "re-export the SavedModel", os.path.join(self.root, "variables", "variables.index"),
            )
        return value

    def _checkpoint_keys(self) -> Checkpoint | tuple[()]:
        index = os.path.join(self.root, "variables", "variables.index")
        return self.checkpoint() if os.path.exists(index) else ()

    def _initial_value(self, var: node_def_pb2.NodeDef) -> np.ndarray:
        """The constant initial value of a variable the checkpoint does not hold."""
        from tflc.frontend.saved_model_reader import tensor_proto_to_numpy

        name = self.initial_values.get(var.name)
        source = _identity_source(self.nodes, name)[0] if name else None
        const = self.nodes.get(source) if source else None
        if const is None or const.op != "Const":
            raise FrontendError(
                f"signature '{self.signature}' reads variable '{var.name}', which the checkpoint does not "
                "hold and whose initial value is not a constant; re-export the SavedModel with the "
                "variable saved", os.path.join(self.root, "variables", "variables.index"),
            )
        try:
            return tensor_proto_to_numpy(const.attr["value"].tensor)
        except ValueError as err:  # a corrupt constant, or a dtype tflc cannot decode
            raise FrontendError(
                f"node '{const.name}', the initial value of variable '{var.name}': {err}",
                os.path.join(self.root, "saved_model.pb"),
            ) from None


def _dense(key: str, what: str, info: meta_graph_pb2.TensorInfo, pb_path: str) -> str:
    if info.WhichOneof("encoding") != "name":
        raise FrontendError(
            f"signature '{key}' {what} is a sparse or composite tensor, which is not supported; "
            "export the signature with dense tensors only", pb_path,
        )
    return info.name


def import_saved_model_v1(
    root: str,
    meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef,
    keys: Sequence[str],
    verify_checksums: bool = True,
) -> ModuleOp:
    """A tf-dialect module with one exported function per TF1 signature in `keys`."""
    pb_path = os.path.join(root, "saved_model.pb")
    nodes = {n.name: n for n in meta_graph.graph_def.node}
    variables = _Variables(root, meta_graph, nodes, verify_checksums)
    generated: dict[str, function_pb2.FunctionDef] = {}
    # ChainMap only writes to its first map; typeshed wants every map mutable.
    lazy = cast(
        "MutableMapping[str, function_pb2.FunctionDef]",
        FunctionLibrary(meta_graph.graph_def.library.function, pb_path),
    )
    library = ChainMap(generated, lazy)
    module = ModuleOp([])
    mark_module(module)
    functions = FunctionImporter(library, module, pb_path)
    for key in keys:
        sig = meta_graph.signature_def[key]
        if not sig.outputs:
            raise FrontendError(f"signature '{key}' has no outputs", pb_path)
        input_keys, output_keys = sorted(sig.inputs), sorted(sig.outputs)
        inputs = []
        for name in input_keys:
            info = sig.inputs[name]
            tensor = parse_ref(_dense(key, f"input '{name}'", info, pb_path))
            if tensor[0] not in nodes:
                raise FrontendError(f"signature '{key}' input '{name}' names the missing node '{tensor[0]}'", pb_path)
            inputs.append(GraphInput(name, tensor, int(info.dtype), shape_from_proto(info.tensor_shape)))
        outputs = [_dense(key, f"output '{name}'", sig.outputs[name], pb_path) for name in output_keys]
        variables.signature = key
        fdef, made = graph_function(
            nodes, inputs, outputs, pb_path, replace=variables.replace, taken=library.keys(), name=key
        )
        generated.update(made)
        func = functions.build(fdef, key, input_types(inputs, pb_path))
        func.attributes[EXPORTED_NAMES] = ArrayAttr([StringAttr(key)])
        func.arg_attrs = ArrayAttr([DictionaryAttr({INDEX_PATH: ArrayAttr([StringAttr(n)])}) for n in input_keys])
        func.res_attrs = ArrayAttr([DictionaryAttr({INDEX_PATH: ArrayAttr([StringAttr(n)])}) for n in output_keys])
        module.body.block.add_op(func)
    variables.signature = INIT_OP_SIGNATURE_KEY
    add_v1_table_initializer(
        root, meta_graph, nodes, functions, module, variables.replace, generated, variables.checkpoint
    )
    return module
