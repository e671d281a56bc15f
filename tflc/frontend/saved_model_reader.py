"""TensorFlow-free loading of a TF2 SavedModel directory into plain data (no IR).

For each signature this resolves the FunctionDef computing it, how the
function's arguments map to signature inputs and captured values
(variables from the checkpoint, captured constants from graph_def), and how
its results map to signature outputs.
"""

from __future__ import annotations

import math

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from google.protobuf.message import DecodeError, Message

from tflc.fileio import check_regular_file
from tflc.frontend.checkpoint import Checkpoint, dtype_name, numpy_dtype
from tflc.frontend.errors import FrontendError
from tflc.frontend.proto import (
    function_pb2,
    graph_pb2,
    lazy_saved_model_pb2,
    meta_graph_pb2,
    node_def_pb2,
    saved_object_graph_pb2,
    tensor_pb2,
    tensor_shape_pb2,
    trackable_object_graph_pb2,
    types_pb2,
)

__all__ = [
    "Capture",
    "SavedModelData",
    "Signature",
    "TensorSpec",
    "arg_handle_data",
    "list_signature_keys",
    "read_saved_model",
    "shape_from_proto",
    "tensor_proto_to_numpy",
]

if TYPE_CHECKING:
    from tflc.frontend.lookup_tables import TableSource

Shape = tuple[int, ...]
_M = TypeVar("_M", bound=Message)

INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
DEFAULT_TAGS = frozenset({"serve"})
_CALL_OPS = ("StatefulPartitionedCall", "PartitionedCall")
_VARIABLE_ATTRIBUTE = "VARIABLE_VALUE"
_REEXPORT = "re-export the SavedModel"
_TF2_ONLY = "only TF2 SavedModels written by tf.saved_model.save are supported"


@dataclass(frozen=True)
class TensorSpec:
    """A signature input/output: key, DataType enum, shape (-1: unknown dim, None: unknown rank)."""

    name: str
    dtype: int
    shape: Shape | None


@dataclass
class Capture:
    """A variable or constant bound to a trailing argument of a signature function."""

    arg_index: int
    kind: str  # "variable", "constant" or "table"
    node_path: str  # object path from the root, e.g. "inner.w" ("" if unknown)
    checkpoint_key: str | None  # tensor name in the checkpoint, for variables
    dtype: int
    shape: Shape | None
    graph_node: str  # name of the graph_def node feeding the argument (VarHandleOp, Const)
    _loader: Callable[[], np.ndarray] = field(repr=False, compare=False)
    table: TableSource | None = None  # for lookup tables: how the table is made and filled

    def value(self) -> np.ndarray:
        """Read the captured value (from the checkpoint for variables); not cached."""
        return self._loader()


@dataclass
class Signature:
    """One signature: the function computing it and how its arguments and results map to keys."""

    key: str
    function_name: str
    inputs: list[TensorSpec]  # the function's leading arguments, in order
    outputs: list[TensorSpec]  # the function's results, in order; names are output keys
    captures: list[Capture]  # the function's trailing arguments, in order
    method_name: str = ""


@dataclass
class SavedModelData:
    """A SavedModel as plain data: the selected signatures, the graph and its function library."""

    path: str
    tags: frozenset[str]
    signatures: dict[str, Signature]
    library: Mapping[str, function_pb2.FunctionDef]
    graph_def: graph_pb2.GraphDef | lazy_saved_model_pb2.LazyGraphDef
    object_graph: saved_object_graph_pb2.SavedObjectGraph | None = None


# --------------------------------------------------------------------------- small helpers


def shape_from_proto(shape: tensor_shape_pb2.TensorShapeProto) -> Shape | None:
    """Return the dims of `shape` (-1 for unknown), or None for an unknown rank."""
    if shape.unknown_rank:
        return None
    return tuple(int(d.size) if d.size >= 0 else -1 for d in shape.dim)


def arg_handle_data(
    fdef: function_pb2.FunctionDef, arg_index: int
) -> list[tuple[int, Shape | None]]:
    """Return the (dtype, shape) pairs behind resource argument `arg_index` of `fdef`, or []."""
    arg = fdef.signature.input_arg[arg_index]
    if arg.handle_data:
        return [(int(h.dtype), shape_from_proto(h.shape)) for h in arg.handle_data]
    attrs = fdef.arg_attr[arg_index].attr if arg_index in fdef.arg_attr else {}
    if "_handle_dtypes" in attrs:
        dtypes = list(attrs["_handle_dtypes"].list.type)
        shapes: list[Shape | None] = []
        if "_handle_shapes" in attrs:
            shapes = [shape_from_proto(s) for s in attrs["_handle_shapes"].list.shape]
        shapes += [None] * (len(dtypes) - len(shapes))
        return [(int(d), s) for d, s in zip(dtypes, shapes, strict=False)]
    return []


def asset_path(root: str, filename: str, pb_path: str) -> str:
    """The absolute path of an asset file, which must lie in the SavedModel's assets/ directory."""
    assets = os.path.abspath(os.path.join(root, "assets"))
    path = os.path.abspath(os.path.join(assets, filename))
    if not filename or os.path.commonpath([assets, path]) != assets or path == assets:
        raise FrontendError(
            f"asset file {filename!r} is not a file in the SavedModel's assets/ directory; re-export the SavedModel",
            pb_path,
        )
    return path


def _element_count(shape: Shape) -> int:
    """Number of elements of a fully known shape (exact: no int64 wrap-around)."""
    return math.prod(int(d) for d in shape)


def tensor_proto_to_numpy(proto: tensor_pb2.TensorProto) -> np.ndarray:
    """Decode a TensorProto (tensor_content or *_val fields, with TF's fill rule) into an array."""
    shape = shape_from_proto(proto.tensor_shape) or ()
    if any(d < 0 for d in shape):
        raise ValueError(f"tensor has a partially unknown shape {shape}")
    count = _element_count(shape)
    dt = types_pb2.DataType
    if proto.dtype == dt.DT_STRING:
        strings = np.empty(len(proto.string_val), dtype=object)
        strings[:] = list(proto.string_val)
        return _fill(strings, count, shape, b"")
    dtype = numpy_dtype(proto.dtype)
    if dtype is None:
        raise ValueError(f"cannot decode a constant of dtype {dtype_name(proto.dtype)}")
    if proto.tensor_content:
        if len(proto.tensor_content) != count * dtype.itemsize:
            raise ValueError(
                f"tensor_content holds {len(proto.tensor_content)} bytes but shape {list(shape)} of "
                f"{dtype_name(proto.dtype)} needs {count * dtype.itemsize}"
            )
        return np.frombuffer(proto.tensor_content, dtype=dtype).reshape(shape).copy()
    kind = proto.dtype
    values: np.ndarray
    if kind in (dt.DT_HALF, dt.DT_BFLOAT16):
        values = np.asarray(proto.half_val, dtype=np.int32).astype(np.uint16).view(dtype)
    elif kind == dt.DT_FLOAT:
        values = np.asarray(proto.float_val, dtype=np.float32)
    elif kind == dt.DT_DOUBLE:
        values = np.asarray(proto.double_val, dtype=np.float64)
    elif kind == dt.DT_INT64:
        values = np.asarray(proto.int64_val, dtype=np.int64)
    elif kind == dt.DT_BOOL:
        values = np.asarray(proto.bool_val, dtype=np.bool_)
    elif kind == dt.DT_COMPLEX64:
        values = np.asarray(proto.scomplex_val, dtype=np.float32).view(np.complex64)
    elif kind == dt.DT_COMPLEX128:
        values = np.asarray(proto.dcomplex_val, dtype=np.float64).view(np.complex128)
    elif kind == dt.DT_UINT32:
        values = np.asarray(proto.uint32_val, dtype=np.uint32)
    elif kind == dt.DT_UINT64:
        values = np.asarray(proto.uint64_val, dtype=np.uint64)
    elif dtype.itemsize == 1 and proto.float8_val:
        values = np.frombuffer(proto.float8_val, dtype=dtype)
    else:  # int32, int16, int8, uint8, uint16 and quantized ints live in int_val
        values = np.asarray(proto.int_val, dtype=np.int64).astype(dtype)
    return _fill(values.astype(dtype, copy=False), count, shape, 0)


def _fill(values: np.ndarray, count: int, shape: Shape, zero: object) -> np.ndarray:
    """Apply TF's rule: a short value list is padded with its last value (or zeros if empty)."""
    if values.size == count:
        return values.reshape(shape)
    if values.size > count:
        raise ValueError(f"tensor has {values.size} values for shape {shape}")
    if values.size <= 1 and values.dtype != object:  # one value (or none: zeros) is a splat, kept lazy
        one = values.reshape(-1)[:1] if values.size else np.zeros(1, values.dtype)
        return np.broadcast_to(one.reshape(()), shape)
    from tflc.errors import TflcError
    from tflc.limits import check_expansion

    try:
        what = f"a constant of shape {list(shape)} filled from {values.size} value(s)"
        check_expansion(count, values.dtype.itemsize, what)
    except TflcError as err:
        raise ValueError(str(err)) from None
    out = np.empty(count, dtype=values.dtype)
    out[:] = zero if values.size == 0 else values[-1]
    out[: values.size] = values
    return out.reshape(shape)


def _split_tensor_name(name: str) -> tuple[str, int]:
    """Split a graph tensor name "node:3" / "node" into (node, 3) / (node, 0)."""
    node, sep, index = name.rpartition(":")
    if sep and index.isdigit():
        return node, int(index)
    return name, 0


_ObjectNode = (
    saved_object_graph_pb2.SavedObject
    | trackable_object_graph_pb2.TrackableObjectGraph.TrackableObject
)


def _object_paths(nodes: Sequence[_ObjectNode]) -> dict[int, str]:
    """Shortest dotted path from the root (node 0) to every reachable object node."""
    if not nodes:
        return {}
    paths = {0: ""}
    queue = deque([0])
    while queue:
        node_id = queue.popleft()
        for ref in nodes[node_id].children:
            if ref.node_id not in paths and 0 <= ref.node_id < len(nodes):
                prefix = paths[node_id]
                paths[ref.node_id] = f"{prefix}.{ref.local_name}" if prefix else ref.local_name
                queue.append(ref.node_id)
    return paths


# --------------------------------------------------------------------------- loading


class FunctionLibrary(Mapping[str, function_pb2.FunctionDef]):
    """A graph's function library by name, each FunctionDef parsed on first use."""

    def __init__(self, serialized: Sequence[bytes], pb_path: str) -> None:
        self._serialized = serialized
        self._pb_path = pb_path
        self._index = {_function_name(blob, pb_path): i for i, blob in enumerate(serialized)}
        self._parsed: dict[str, function_pb2.FunctionDef] = {}

    def __getitem__(self, name: str) -> function_pb2.FunctionDef:
        fdef = self._parsed.get(name)
        if fdef is None:
            fdef = _parse(function_pb2.FunctionDef(), self._serialized[self._index[name]], self._pb_path)
            self._parsed[name] = fdef
        return fdef

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, name: object) -> bool:
        return name in self._index


def _parse(message: _M, data: bytes, pb_path: str) -> _M:
    """`message` parsed from `data`, or a FrontendError naming the file."""
    try:
        message.ParseFromString(data)
    except (DecodeError, ValueError, RuntimeError):
        raise FrontendError(
            f"cannot parse the SavedModel proto (truncated or corrupt); {_REEXPORT}", pb_path
        ) from None
    return message


def _function_name(serialized: bytes, pb_path: str) -> str:
    """The name of a serialized FunctionDef (its signature's name)."""
    return _parse(lazy_saved_model_pb2.FunctionDefName(), serialized, pb_path).signature.name


def _load_proto(path: str) -> lazy_saved_model_pb2.LazySavedModel:
    """Parse saved_model.pb under `path`, its function library left serialized."""
    pb_path = os.path.join(path, "saved_model.pb")
    if not os.path.isdir(path):
        raise FrontendError(
            "not a directory; pass the SavedModel directory written by tf.saved_model.save", path
        )
    try:
        check_regular_file(pb_path, "SavedModel's saved_model.pb")
        with open(pb_path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        hint = " (saved_model.pbtxt is not supported)" if os.path.exists(pb_path + "txt") else ""
        raise FrontendError(
            f"file not found{hint}; pass a SavedModel directory written by tf.saved_model.save",
            pb_path,
        ) from None
    except OSError as exc:
        raise FrontendError(f"cannot read the file ({exc.strerror})", pb_path) from exc
    model = _parse(lazy_saved_model_pb2.LazySavedModel(), data, pb_path)
    if not model.meta_graphs:
        raise FrontendError(
            f"the SavedModel has no MetaGraphDef (truncated or corrupt); {_REEXPORT}", pb_path
        )
    return model


def _format_tag_set(tags: Iterable[str]) -> str:
    """Render a tag set as {a, b}."""
    return "{" + ", ".join(sorted(tags)) + "}"


def _select_meta_graph(
    model: lazy_saved_model_pb2.LazySavedModel, tags: Iterable[str] | None, pb_path: str
) -> lazy_saved_model_pb2.LazyMetaGraphDef:
    """Return the MetaGraphDef whose tag set equals `tags` (default {"serve"})."""
    wanted = DEFAULT_TAGS if tags is None else frozenset(tags)
    for meta_graph in model.meta_graphs:
        if frozenset(meta_graph.meta_info_def.tags) == wanted:
            return meta_graph
    available = ", ".join(_format_tag_set(m.meta_info_def.tags) for m in model.meta_graphs)
    raise FrontendError(
        f"no MetaGraphDef with tags {_format_tag_set(wanted)}; available tag sets: {available}; "
        "pass one of them as tags",
        pb_path,
    )


def _public_signature_keys(meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef) -> list[str]:
    """Sorted signature keys, without the init-op pseudo signature."""
    return sorted(k for k in meta_graph.signature_def if k != INIT_OP_SIGNATURE_KEY)


def _default_signature_keys(meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef, available: list[str]) -> list[str]:
    """All signatures, except for Keras `model.export` artifacts: only `serving_default`
    (its `serve` endpoint under TensorFlow's default key), as TensorFlow's converter does."""
    if len(available) < 2 or "serving_default" not in available or not meta_graph.HasField("object_graph_def"):
        return available
    nodes = meta_graph.object_graph_def.nodes
    children = {child.local_name for child in nodes[0].children} if nodes else set()
    if "serve" in children and "_default_save_signature" not in children:
        return ["serving_default"]
    return available


def list_signature_keys(
    path: str | os.PathLike[str], tags: Iterable[str] | None = None
) -> list[str]:
    """Return the sorted signature keys of the SavedModel at `path`, without the init op."""
    root = os.fspath(path)
    model = _load_proto(root)
    return _public_signature_keys(
        _select_meta_graph(model, tags, os.path.join(root, "saved_model.pb"))
    )


class _Resolver:
    """Resolves signatures of one MetaGraphDef; opens the checkpoint only if a variable needs it."""

    def __init__(
        self, root: str, meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef, verify_checksums: bool
    ) -> None:
        """Index the graph nodes, function library and object graph of `meta_graph`."""
        self.root = root
        self.verify_checksums = verify_checksums
        self.pb_path = os.path.join(root, "saved_model.pb")
        self.meta_graph = meta_graph
        self.nodes: dict[str, node_def_pb2.NodeDef] = {n.name: n for n in meta_graph.graph_def.node}
        self.library = FunctionLibrary(meta_graph.graph_def.library.function, self.pb_path)
        self.object_graph = (
            meta_graph.object_graph_def if meta_graph.HasField("object_graph_def") else None
        )
        self.object_paths = _object_paths(self.object_graph.nodes) if self.object_graph else {}
        self._checkpoint: Checkpoint | None = None
        self._trackable: trackable_object_graph_pb2.TrackableObjectGraph | None = None
        self._trackable_paths: dict[str, int] | None = None

    # ---------------------------------------------------------------- checkpoint

    def checkpoint(self) -> Checkpoint:
        """Open variables/variables (once)."""
        if self._checkpoint is None:
            prefix = os.path.join(self.root, "variables", "variables")
            self._checkpoint = Checkpoint(prefix, verify_checksums=self.verify_checksums)
        return self._checkpoint

    def checkpoint_key(self, node_id: int, path: str, attribute_name: str = _VARIABLE_ATTRIBUTE) -> str | None:
        """Checkpoint key of the variable (or the saveable `attribute_name`) at object node
        `node_id` (same id in both graphs)."""
        if self._trackable is None:
            graph = self.checkpoint().object_graph()
            self._trackable = (
                graph if graph is not None else trackable_object_graph_pb2.TrackableObjectGraph()
            )
        nodes = self._trackable.nodes
        candidates = [node_id]
        if path:  # fall back to matching the object path if the indices disagree
            if self._trackable_paths is None:
                self._trackable_paths = {p: i for i, p in _object_paths(nodes).items()}
            if path in self._trackable_paths:
                candidates.append(self._trackable_paths[path])
        for index in (i for i in candidates if 0 <= i < len(nodes)):  # ids from the file: bounded
            for attribute in nodes[index].attributes:
                if attribute.name == attribute_name and attribute.checkpoint_key:
                    return attribute.checkpoint_key
        return None

    # ---------------------------------------------------------------- signatures

    def signature(self, key: str) -> Signature:
        """Resolve signature `key`."""
        sig = self.meta_graph.signature_def[key]
        call, outputs = self._call_and_outputs(key, sig)
        function_name = call.attr["f"].func.name
        if function_name not in self.library:
            raise FrontendError(
                f"signature {key!r} calls function {function_name!r}, which is not in the graph's "
                f"library; {_REEXPORT}",
                self.pb_path,
            )
        fdef = self.library[function_name]
        data_inputs = [i for i in call.input if not i.startswith("^")]
        if len(data_inputs) != len(fdef.signature.input_arg) or len(
            fdef.signature.output_arg
        ) < len(outputs):
            raise FrontendError(
                f"signature {key!r}: call node {call.name!r} does not match the arguments/results "
                f"of {function_name!r}; {_REEXPORT}",
                self.pb_path,
            )
        inputs = self._inputs(key, sig, data_inputs)
        outputs_list = self._outputs(key, fdef, outputs)
        captures = self._captures(key, function_name, fdef, data_inputs, len(inputs))
        return Signature(key, function_name, inputs, outputs_list, captures, sig.method_name)

    def _dense_name(self, key: str, what: str, info: meta_graph_pb2.TensorInfo) -> tuple[str, int]:
        """The (node, index) a dense TensorInfo names; composite/sparse ones are rejected."""
        if info.WhichOneof("encoding") != "name":
            raise FrontendError(
                f"signature {key!r} {what} is a sparse or composite tensor, which is not "
                "supported; export the signature with dense tensors only",
                self.pb_path,
            )
        return _split_tensor_name(info.name)

    def _call_and_outputs(
        self, key: str, sig: meta_graph_pb2.SignatureDef
    ) -> tuple[node_def_pb2.NodeDef, dict[str, tuple[int, meta_graph_pb2.TensorInfo]]]:
        """Find the one call node producing every output; map output key -> (result index, info)."""
        if not sig.outputs:
            raise FrontendError(
                f"signature {key!r} has no outputs; export a function that returns tensors",
                self.pb_path,
            )
        outputs: dict[str, tuple[int, meta_graph_pb2.TensorInfo]] = {}
        call_name: str | None = None
        for out_key, info in sig.outputs.items():
            node_name, index = self._dense_name(key, f"output {out_key!r}", info)
            node = self.nodes.get(node_name)
            if node is None or node.op not in _CALL_OPS or not node.attr["f"].func.name:
                found = "a missing node" if node is None else f"node {node_name!r} (op {node.op})"
                raise FrontendError(
                    f"signature {key!r} output {out_key!r} comes from {found}, not from a function "
                    f"call; {_TF2_ONLY}",
                    self.pb_path,
                )
            if call_name not in (None, node_name):
                raise FrontendError(
                    f"signature {key!r} outputs come from several call nodes ({call_name!r}, "
                    f"{node_name!r}); {_TF2_ONLY}",
                    self.pb_path,
                )
            call_name = node_name
            outputs[out_key] = (index, info)
        assert call_name is not None
        return self.nodes[call_name], outputs

    def _inputs(
        self, key: str, sig: meta_graph_pb2.SignatureDef, data_inputs: list[str]
    ) -> list[TensorSpec]:
        """Signature inputs, ordered as the leading call inputs (= function arguments) they feed."""
        by_tensor = {
            self._dense_name(key, f"input {k!r}", info): k for k, info in sig.inputs.items()
        }
        inputs: list[TensorSpec] = []
        for tensor in data_inputs:
            in_key = by_tensor.get(_split_tensor_name(tensor))
            if in_key is None:  # the first captured value ends the signature inputs
                break
            info = sig.inputs[in_key]
            inputs.append(TensorSpec(in_key, int(info.dtype), shape_from_proto(info.tensor_shape)))
        fed = {spec.name for spec in inputs}
        missing = sorted(set(sig.inputs) - fed)
        if missing or len(fed) != len(inputs):
            raise FrontendError(
                f"signature {key!r} inputs {missing} are not leading arguments of its function "
                f"call; {_TF2_ONLY}",
                self.pb_path,
            )
        return inputs

    def _outputs(
        self,
        key: str,
        fdef: function_pb2.FunctionDef,
        outputs: dict[str, tuple[int, meta_graph_pb2.TensorInfo]],
    ) -> list[TensorSpec]:
        """Signature outputs ordered by the function result each one names."""
        by_index = {index: out_key for out_key, (index, _) in outputs.items()}
        if sorted(by_index) != list(range(len(fdef.signature.output_arg))):
            raise FrontendError(
                f"signature {key!r} outputs do not name each result of {fdef.signature.name!r} "
                f"exactly once; {_TF2_ONLY}",
                self.pb_path,
            )
        specs = []
        for index in range(len(by_index)):
            info = outputs[by_index[index]][1]
            specs.append(
                TensorSpec(by_index[index], int(info.dtype), shape_from_proto(info.tensor_shape))
            )
        return specs

    def _captures(
        self,
        key: str,
        function_name: str,
        fdef: function_pb2.FunctionDef,
        data_inputs: list[str],
        first: int,
    ) -> list[Capture]:
        """Resolve the trailing call inputs (captured values) of a signature function."""
        trailing = data_inputs[first:]
        bound: list[int] | None = None
        if self.object_graph is not None and function_name in self.object_graph.concrete_functions:
            bound = list(self.object_graph.concrete_functions[function_name].bound_inputs)
            if len(bound) != len(trailing):
                raise FrontendError(
                    f"signature {key!r}: {function_name!r} has {len(trailing)} captured inputs but "
                    f"the object graph binds {len(bound)}; {_REEXPORT}",
                    self.pb_path,
                )
        captures = []
        for offset, tensor in enumerate(trailing):
            node_name, _ = _split_tensor_name(tensor)
            node = self.nodes.get(node_name)
            if node is None:
                raise FrontendError(
                    f"signature {key!r} captures missing node {node_name!r}; {_REEXPORT}",
                    self.pb_path,
                )
            node_id = bound[offset] if bound is not None else None
            captures.append(self._capture(key, fdef, first + offset, node, node_id))
        return captures

    def _capture(
        self,
        key: str,
        fdef: function_pb2.FunctionDef,
        arg_index: int,
        node: node_def_pb2.NodeDef,
        node_id: int | None,
    ) -> Capture:
        """Resolve one captured input fed by graph node `node` (object node `node_id` if known)."""
        obj = None
        if (
            node_id is not None
            and self.object_graph is not None
            and 0 <= node_id < len(self.object_graph.nodes)
        ):
            obj = self.object_graph.nodes[node_id]
        kind = obj.WhichOneof("kind") if obj is not None else None
        path = self.object_paths.get(node_id, "") if node_id is not None else ""
        if kind == "variable" or (kind is None and node.op == "VarHandleOp"):
            return self._variable_capture(key, fdef, arg_index, node, obj, node_id, path)
        if kind == "constant" or (kind is None and node.op == "Const"):
            return self._constant_capture(key, arg_index, node, obj, path)
        if kind == "resource" and self.object_graph is not None:
            from tflc.frontend.lookup_tables import saved_model_table

            table = saved_model_table(self, key, node, obj, node_id, path)
            return Capture(arg_index, "table", path, None, types_pb2.DT_RESOURCE, (), node.name, _no_value, table)
        what = kind or f"{node.op} node {node.name!r}"
        raise FrontendError(
            f"signature {key!r} captures a {what} at {path or node.name!r}, which is not supported "
            "(only variables and constants can be captured)",
            self.pb_path,
        )

    def _variable_capture(
        self,
        key: str,
        fdef: function_pb2.FunctionDef,
        arg_index: int,
        node: node_def_pb2.NodeDef,
        obj: saved_object_graph_pb2.SavedObject | None,
        node_id: int | None,
        path: str,
    ) -> Capture:
        """A captured variable; its value comes from the checkpoint."""
        if obj is not None:
            dtype, shape = int(obj.variable.dtype), shape_from_proto(obj.variable.shape)
        elif node.op == "VarHandleOp":
            dtype, shape = int(node.attr["dtype"].type), shape_from_proto(node.attr["shape"].shape)
        else:
            handle = arg_handle_data(fdef, arg_index)
            dtype, shape = handle[0] if handle else (types_pb2.DT_INVALID, None)
        ckpt_key = self.checkpoint_key(node_id, path) if node_id is not None else None
        if ckpt_key is None and node.op == "VarHandleOp":  # TF1-style: the variable name is the key
            shared = node.attr["shared_name"].s.decode("utf-8", "replace") or node.name
            ckpt = self.checkpoint()
            ckpt_key = next(
                (k for k in (shared, f"{shared}/.ATTRIBUTES/VARIABLE_VALUE") if k in ckpt), None
            )
        if ckpt_key is None:
            raise FrontendError(
                f"signature {key!r}: variable {path or node.name!r} has no value in the "
                f"checkpoint; {_REEXPORT}",
                os.path.join(self.root, "variables", "variables.index"),
            )
        if ckpt_key not in self.checkpoint():
            raise FrontendError(
                f"signature {key!r}: variable {path or node.name!r} (key {ckpt_key!r}) is missing "
                f"from the checkpoint; {_REEXPORT}",
                self.checkpoint().index_path,
            )
        checkpoint = self.checkpoint()
        resolved_key: str = ckpt_key

        def load() -> np.ndarray:
            """Read the variable and check it against what the model declares."""
            value = checkpoint.read(resolved_key)
            if checkpoint.dtype(resolved_key) != dtype or (
                shape is not None and not _shape_compatible(shape, value.shape)
            ):
                raise FrontendError(
                    f"checkpoint tensor {resolved_key!r} is "
                    f"{dtype_name(checkpoint.dtype(resolved_key))}{list(value.shape)} but the "
                    f"model expects {dtype_name(dtype)}{list(shape or ())}; {_REEXPORT}",
                    checkpoint.index_path,
                )
            return value

        return Capture(arg_index, "variable", path, resolved_key, dtype, shape, node.name, load)

    def _constant_capture(
        self,
        key: str,
        arg_index: int,
        node: node_def_pb2.NodeDef,
        obj: saved_object_graph_pb2.SavedObject | None,
        path: str,
    ) -> Capture:
        """A captured constant; its value is the `value` attr of a Const node in graph_def."""
        const = node
        if obj is not None and obj.constant.operation and obj.constant.operation in self.nodes:
            const = self.nodes[obj.constant.operation]
        if const.op != "Const" or "value" not in const.attr:
            raise FrontendError(
                f"signature {key!r}: captured constant {path or node.name!r} is not a Const "
                f"node; {_REEXPORT}",
                self.pb_path,
            )
        proto = const.attr["value"].tensor
        pb_path = self.pb_path

        def load() -> np.ndarray:
            """Decode the Const node's tensor."""
            try:
                return tensor_proto_to_numpy(proto)
            except ValueError as exc:
                raise FrontendError(
                    f"captured constant {const.name!r}: {exc}; {_REEXPORT}", pb_path
                ) from None

        shape = shape_from_proto(proto.tensor_shape)
        return Capture(arg_index, "constant", path, None, int(proto.dtype), shape, const.name, load)


def _no_value() -> np.ndarray:
    raise AssertionError("a lookup table has no tensor value")


def _shape_compatible(expected: Shape, actual: Shape) -> bool:
    """Whether `actual` matches `expected` where -1 means any size."""
    return len(expected) == len(actual) and all(
        e in (-1, a) for e, a in zip(expected, actual, strict=True)
    )


def load_meta_graph(
    path: str | os.PathLike[str], tags: Iterable[str] | None = None
) -> lazy_saved_model_pb2.LazyMetaGraphDef:
    """The MetaGraphDef with tag set `tags` (default {"serve"}) of the SavedModel at `path`."""
    root = os.fspath(path)
    return _select_meta_graph(_load_proto(root), tags, os.path.join(root, "saved_model.pb"))


def read_saved_model(
    path: str | os.PathLike[str],
    signature_keys: Sequence[str] | None = None,
    tags: Iterable[str] | None = None,
    verify_checksums: bool = True,
    meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef | None = None,
) -> SavedModelData:
    """Read signatures `signature_keys` (default: all) of the `tags` MetaGraph at `path`."""
    root = os.fspath(path)
    pb_path = os.path.join(root, "saved_model.pb")
    if meta_graph is None:
        meta_graph = load_meta_graph(root, tags)
    keys = select_signature_keys(meta_graph, signature_keys, pb_path)
    resolver = _Resolver(root, meta_graph, verify_checksums)
    signatures = {key: resolver.signature(key) for key in keys}
    return SavedModelData(
        path=root,
        tags=frozenset(meta_graph.meta_info_def.tags),
        signatures=signatures,
        library=resolver.library,
        graph_def=meta_graph.graph_def,
        object_graph=resolver.object_graph,
    )


def select_signature_keys(
    meta_graph: lazy_saved_model_pb2.LazyMetaGraphDef, signature_keys: Sequence[str] | None, pb_path: str
) -> list[str]:
    """The signature keys to convert: `signature_keys` checked against the MetaGraph's, or all of them."""
    available = _public_signature_keys(meta_graph)
    if signature_keys is None:
        if not available:
            raise FrontendError(
                "the SavedModel has no signatures; "
                "save it with tf.saved_model.save(..., signatures=...)",
                pb_path,
            )
        keys = _default_signature_keys(meta_graph, available)
    else:
        if isinstance(signature_keys, str):
            signature_keys = [signature_keys]
        keys = list(dict.fromkeys(signature_keys))
        unknown = [k for k in keys if k not in available]
        if unknown or not keys:
            problem = (
                f"unknown signature key(s) {unknown}" if unknown else "no signature keys given"
            )
            raise FrontendError(
                f"{problem}; available: {', '.join(available) or '(none)'}", pb_path
            )
    return keys
