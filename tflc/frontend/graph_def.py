"""Import a TF1 frozen GraphDef into a tf-dialect module, without TensorFlow.

As TensorFlow's `TFLiteConverter.from_frozen_graph`: the graph is cut at the named
input arrays (which become the arguments of `@main`, shaped by their Placeholder or
by `input_shapes`) and pruned to what the output arrays need. v1 control flow is
functionalized into While/If (see `functionalize`). `@main` carries
`tf.entry_function = {inputs = "x", outputs = "y"}` as TensorFlow's graph importer
writes it, and like TensorFlow's converter the model gets no SignatureDef.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Mapping, Sequence

from google.protobuf import text_format
from google.protobuf.message import DecodeError
from xdsl.dialects.builtin import DictionaryAttr, ModuleOp, StringAttr
from xdsl.ir import Attribute

from tflc.dialects.tf_saved_model import ENTRY_FUNCTION
from tflc.fileio import read_user_file
from tflc.frontend.errors import FrontendError
from tflc.frontend.functionalize import V1_CONTROL_FLOW_OPS, Graph, functionalize, parse_ref, tensor_dtype
from tflc.frontend.graph_import import FunctionImporter, tensor_type
from tflc.frontend.proto import function_pb2, graph_pb2, node_def_pb2
from tflc.frontend.saved_model_reader import shape_from_proto
from tflc.tensors import UnsupportedTypeError

__all__ = ["GraphInput", "graph_function", "import_frozen_graph", "module_from_graph_def", "read_graph_def"]

Shape = tuple[int, ...]
_PLACEHOLDERS = ("Placeholder", "PlaceholderV2")
_VARIABLES = ("VariableV2", "Variable", "VarHandleOp")


def read_graph_def(path: str | os.PathLike[str]) -> graph_pb2.GraphDef:
    """Parse a GraphDef file (binary, or text for .pbtxt), with one clear error if it is not one."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise FrontendError("is a directory; pass the frozen GraphDef file (.pb) or use a SavedModel option", path)
    try:
        data = read_user_file(path)
    except FileNotFoundError:
        raise FrontendError("file not found; pass a frozen GraphDef (.pb) file", path) from None
    except OSError as exc:
        raise FrontendError(f"cannot read the file ({exc.strerror})", path) from None
    graph = graph_pb2.GraphDef()
    hint = "pass a GraphDef written by tf.io.write_graph or graph_util.convert_variables_to_constants"
    try:  # binary first, then text, as TensorFlow's converter reads graph_def_file
        graph.ParseFromString(data)
    except (DecodeError, ValueError, RuntimeError):
        graph.Clear()
        try:
            text_format.Parse(data.decode("utf-8"), graph)
        except (text_format.ParseError, UnicodeDecodeError) as exc:
            detail = f" ({exc})" if path.endswith((".pbtxt", ".txt")) else " (truncated or corrupt)"
            raise FrontendError(f"cannot parse the GraphDef{detail}; {hint}", path) from None
        except RecursionError:  # protobuf's text parser recurses once per nested message
            raise FrontendError(f"cannot parse the GraphDef: its messages nest too deeply; {hint}", path) from None
        try:  # the binary decoder's nesting limit, which copying messages applies later, holds for text too
            graph.ParseFromString(graph.SerializeToString())
        except DecodeError:
            raise FrontendError(f"cannot parse the GraphDef: its messages nest too deeply; {hint}", path) from None
    names = [n.name for n in graph.node]
    if not graph.node or any(not n.name or not n.op for n in graph.node) or len(set(names)) != len(names):
        raise FrontendError(f"not a GraphDef (no nodes, or nodes without a name or op); {hint}", path)
    return graph


@dataclass(frozen=True)
class GraphInput:
    """An input array: its name as given, the tensor it names, its dtype and shape."""

    name: str
    tensor: tuple[str, int]
    dtype: int
    shape: Shape | None


def input_types(inputs: Sequence[GraphInput], source: str) -> list[Attribute]:
    """The tensor types of the input arrays; an unsupported dtype is an error naming the input."""
    types: list[Attribute] = []
    for graph_input in inputs:
        try:
            types.append(tensor_type(graph_input.dtype, graph_input.shape))
        except UnsupportedTypeError as err:
            raise FrontendError(f"input '{graph_input.name}': {err}", source) from None
    return types


def _closest(name: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _tensor(
    nodes: Mapping[str, node_def_pb2.NodeDef], name: str, what: str, source: str
) -> tuple[str, int]:
    node, index = parse_ref(name)
    if node not in nodes:
        placeholders = [n for n, d in nodes.items() if d.op in _PLACEHOLDERS]
        listed = f"; the graph's placeholders: {', '.join(placeholders)}" if what == "input" and placeholders else ""
        hint = _closest(node, list(nodes))
        raise FrontendError(f"{what} array '{name}' is not a node of the graph{hint}{listed}", source)
    return node, index


def _input(
    nodes: Mapping[str, node_def_pb2.NodeDef], name: str, shapes: Mapping[str, Sequence[int] | None], source: str
) -> GraphInput:
    """The argument an input array becomes, its shape from `input_shapes` or the graph."""
    node_name, index = _tensor(nodes, name, "input", source)
    node = nodes[node_name]
    dtype = tensor_dtype(nodes, (node_name, index), source)
    shape: Shape | None = None
    if node.op in _PLACEHOLDERS and "shape" in node.attr:
        shape = shape_from_proto(node.attr["shape"].shape)
    elif "_output_shapes" in node.attr and index < len(node.attr["_output_shapes"].list.shape):
        shape = shape_from_proto(node.attr["_output_shapes"].list.shape[index])
    for key in (name, node_name, f"{node_name}:{index}"):
        if key in shapes and shapes[key] is not None:
            given = tuple(-1 if d is None else int(d) for d in shapes[key])  # type: ignore[union-attr]
            if shape is not None and (len(shape) != len(given) or any(s not in (-1, g) for s, g in zip(shape, given))):
                raise FrontendError(
                    f"input_shapes gives '{name}' the shape {list(given)} but the graph declares {list(shape)}", source
                )
            shape = given
            break
    if shape is None:
        raise FrontendError(
            f"input array '{name}' has an unknown shape; give it with input_shapes={{'{name}': [...]}} "
            "(--input_shapes on the command line)", source,
        )
    return GraphInput(name, (node_name, index), dtype, shape)


def graph_function(
    nodes: Mapping[str, node_def_pb2.NodeDef],
    inputs: Sequence[GraphInput],
    outputs: Sequence[str],
    source: str,
    replace: Callable[[node_def_pb2.NodeDef], node_def_pb2.NodeDef] | None = None,
    taken: Iterable[str] = (),
    name: str = "main",
) -> tuple[function_pb2.FunctionDef, dict[str, function_pb2.FunctionDef]]:
    """The FunctionDef computing `outputs` from `inputs` (pruned, functionalized) and its library.

    `replace` may substitute a node (a variable read by a constant) before its inputs are
    followed; `taken` are function names already in use.
    """
    replaced: dict[str, node_def_pb2.NodeDef] = {}
    by_tensor = {i.tensor: _arg_name(i) for i in inputs}
    cut = {t[0] for t in by_tensor}
    keep: dict[str, None] = {}
    out_tensors = [_tensor(nodes, o, "output", source) for o in outputs]
    pending = [t[0] for t in out_tensors if t not in by_tensor]
    while pending:
        name = pending.pop()
        if name in keep:
            continue
        node = nodes.get(name)
        if node is None:
            raise FrontendError(f"a node reads '{name}', which is not in the graph", source)
        if replace is not None:
            node = replaced[name] = replace(node)
        keep[name] = None
        for ref in node.input:
            if ref.startswith("^"):
                if _is_pivot(nodes, ref[1:]) and ref[1:] not in cut:
                    pending.append(ref[1:])
                continue
            tensor = parse_ref(ref)
            if tensor not in by_tensor:
                pending.append(tensor[0])
    body: dict[str, node_def_pb2.NodeDef] = {}
    for node in nodes.values():  # graph order, so that the output is deterministic
        if node.name not in keep:
            continue
        node = replaced.get(node.name, node)
        if node.op in _PLACEHOLDERS:
            raise FrontendError(
                f"the outputs depend on placeholder '{node.name}', which is not in input_arrays; add it", source
            )
        if node.op in _VARIABLES:
            raise FrontendError(
                f"node '{node.name}' is a variable ({node.op}); freeze the graph first "
                "(tf.compat.v1.graph_util.convert_variables_to_constants) or convert the SavedModel", source
            )
        copy = node_def_pb2.NodeDef()
        copy.CopyFrom(node)
        if copy.op == "PlaceholderWithDefault":  # not fed: it is its default
            if "dtype" not in copy.attr:
                raise FrontendError(f"node '{node.name}' (PlaceholderWithDefault) has no dtype attribute", source)
            copy.op = "Identity"
            copy.attr["T"].CopyFrom(copy.attr["dtype"])
            for key in ("dtype", "shape"):
                if key in copy.attr:
                    del copy.attr[key]
        del copy.input[:]
        for ref in node.input:
            if ref.startswith("^"):
                if ref[1:] in keep:
                    copy.input.append(ref)
            else:
                copy.input.append(by_tensor.get(parse_ref(ref), ref))
        body[node.name] = copy
    rets = [by_tensor.get(t, f"{t[0]}:{t[1]}") for t in out_tensors]
    graph = Graph(body, [(by_tensor[i.tensor], i.dtype) for i in inputs], rets)
    library = functionalize(graph, source, taken={*nodes.keys(), *taken})
    fdef = function_pb2.FunctionDef()
    fdef.signature.name = name
    for index, item in enumerate(inputs):
        fdef.signature.input_arg.add(name=by_tensor[item.tensor], type=item.dtype)
        if item.shape is not None:
            shape = fdef.arg_attr[index].attr["_output_shapes"].list.shape.add()
            for d in item.shape:
                shape.dim.add(size=d)
    for index, ret in enumerate(graph.rets):
        out = f"output_{index}"
        fdef.signature.output_arg.add(name=out)
        fdef.ret[out] = ret
    fdef.node_def.extend(graph.nodes.values())
    return fdef, library


def _is_pivot(nodes: Mapping[str, node_def_pb2.NodeDef], name: str) -> bool:
    """Whether a control edge on `name` places a node in a loop frame or cond branch: a v1
    control-flow node or the Identity of a Switch output (TF's pivots), so pruning follows it."""
    node = nodes.get(name)
    if node is None:
        return False
    if node.op in V1_CONTROL_FLOW_OPS:
        return True
    if node.op != "Identity" or not node.input or node.input[0].startswith("^"):
        return False
    source = nodes.get(parse_ref(node.input[0])[0])
    return source is not None and source.op in ("Switch", "RefSwitch")


def _arg_name(item: GraphInput) -> str:
    node, index = item.tensor
    return node if index == 0 else f"{node}_{index}"


def import_frozen_graph(
    path: str | os.PathLike[str],
    input_arrays: Sequence[str],
    output_arrays: Sequence[str],
    input_shapes: Mapping[str, Sequence[int] | None] | None = None,
) -> ModuleOp:
    """A tf-dialect module whose `@main` computes `output_arrays` from `input_arrays` of a GraphDef file."""
    source = os.fspath(path)
    graph_def = read_graph_def(source)
    return module_from_graph_def(graph_def, input_arrays, output_arrays, input_shapes, source)


def _names(value: Sequence[str] | str, what: str, source: str) -> list[str]:
    names = [value] if isinstance(value, str) else list(value)
    if not names:
        raise FrontendError(f"no {what} arrays given; name the graph's {what} tensors", source)
    if len(set(names)) != len(names):
        raise FrontendError(f"{what} arrays {names} name a tensor twice", source)
    return names


def module_from_graph_def(
    graph_def: graph_pb2.GraphDef,
    input_arrays: Sequence[str],
    output_arrays: Sequence[str],
    input_shapes: Mapping[str, Sequence[int] | None] | None,
    source: str,
) -> ModuleOp:
    """The tf-dialect module of a parsed GraphDef cut at `input_arrays`, computing `output_arrays`."""
    nodes = {n.name: n for n in graph_def.node}
    inputs_names = _names(input_arrays, "input", source)
    output_names = _names(output_arrays, "output", source)
    shapes = dict(input_shapes or {})
    inputs = [_input(nodes, name, shapes, source) for name in inputs_names]
    unknown = [k for k in shapes if parse_ref(k)[0] not in {i.tensor[0] for i in inputs}]
    if unknown:
        raise FrontendError(f"input_shapes names {unknown}, which are not input arrays {inputs_names}", source)
    fdef, library = graph_function(nodes, inputs, output_names, source)
    for fn in graph_def.library.function:
        library.setdefault(fn.signature.name, function_pb2.FunctionDef.FromString(fn.SerializeToString()))
    module = ModuleOp([])
    functions = FunctionImporter(library, module, source)
    arg_types = input_types(inputs, source)
    func = functions.build(fdef, "main", arg_types)
    func.attributes[ENTRY_FUNCTION] = DictionaryAttr(
        {"inputs": StringAttr(",".join(inputs_names)), "outputs": StringAttr(",".join(output_names))}
    )
    block = module.body.block
    block.insert_op_before(func, block.first_op) if block.first_op else block.add_op(func)
    return module
