"""Turn TF1 (v1) control flow in a GraphDef into functional While and If nodes.

TensorFlow 1 graphs express loops with frames: `Enter` nodes start a frame, each loop
variable cycles through `Merge` -> `Switch` (on the `LoopCond`) -> body ->
`NextIteration` -> back into the `Merge`, and `Exit` nodes leave the frame. A `cond`
is a set of `Switch` nodes on one predicate whose branch outputs meet again in
`Merge` nodes. This module rewrites both into the functional ops TF2 uses (`While`
with cond/body functions, `If` with then/else functions), as TensorFlow's own
functionalize_control_flow does, so that the FunctionDef importer and the existing
control-flow legalization handle TF1 graphs like TF2 ones.

Loops are collapsed innermost frame first; each extracted body or condition then has
its conds functionalized, outermost first, recursing into the branches. Everything
here is plain protobuf data: no IR, no TensorFlow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from tflc.frontend.errors import FrontendError
from tflc.frontend.op_defs import op_def, output_layout
from tflc.frontend.proto import attr_value_pb2, function_pb2, node_def_pb2, types_pb2

__all__ = ["Graph", "V1_CONTROL_FLOW_OPS", "functionalize", "parse_ref", "tensor_dtype"]

Tensor = tuple[str, int]
State = tuple[tuple[Tensor, int], ...]  # (predicate, branch) pairs, outermost first

V1_CONTROL_FLOW_OPS = frozenset(
    {"Switch", "RefSwitch", "Merge", "RefMerge", "Enter", "RefEnter", "Exit", "RefExit",
     "NextIteration", "RefNextIteration", "LoopCond"}
)
_FIX = "re-export the model with TF2 control flow (tf.compat.v1.enable_control_flow_v2())"


def parse_ref(ref: str) -> Tensor:
    """A GraphDef data input `node` / `node:3` as (node, output index)."""
    node, sep, index = ref.rpartition(":")
    if sep and index.isdigit():
        return node, int(index)
    return ref, 0


def _format(tensor: Tensor) -> str:
    return tensor[0] if tensor[1] == 0 else f"{tensor[0]}:{tensor[1]}"


def _base(op: str) -> str:
    """`RefSwitch` -> `Switch` (reference variants behave alike once frozen)."""
    return op[3:] if op.startswith("Ref") and op[3:] in V1_CONTROL_FLOW_OPS else op


@dataclass
class Graph:
    """A mutable graph body: nodes by name (in order), arguments (name, dtype), returned tensors."""

    nodes: dict[str, node_def_pb2.NodeDef]
    args: list[tuple[str, int]] = field(default_factory=list)
    rets: list[str] = field(default_factory=list)

    def data_inputs(self, node: node_def_pb2.NodeDef) -> list[Tensor]:
        """The tensors a node reads."""
        return [parse_ref(r) for r in node.input if not r.startswith("^")]

    def op_of(self, name: str) -> str:
        """The (v1 base) op of node `name`; "" for a function argument or a missing node."""
        node = self.nodes.get(name)
        return "" if node is None else _base(node.op)

    def control_inputs(self, node: node_def_pb2.NodeDef) -> list[str]:
        """The nodes a node waits for."""
        return [r[1:] for r in node.input if r.startswith("^")]


class _Context:
    """Shared state of one functionalization: the library built so far, names taken, the file."""

    def __init__(self, source: str, library: dict[str, function_pb2.FunctionDef], taken: set[str]):
        self.source = source
        self.library = library
        self.taken = taken
        self._dtypes: dict[str, list[int]] = {}

    def error(self, message: str, node: str | None = None) -> FrontendError:
        where = f"node '{node}': " if node else ""
        return FrontendError(f"{where}{message}", self.source)

    def unique(self, name: str) -> str:
        """`name`, or `name_1`, ... whichever no node or function uses yet (then taken)."""
        candidate, n = name, 0
        while candidate in self.taken or candidate in self.library:
            n += 1
            candidate = f"{name}_{n}"
        self.taken.add(candidate)
        return candidate

    def dtype(self, graph: Graph, tensor: Tensor) -> int:
        """The DataType of a tensor of `graph` (from the op registry and node attributes)."""
        name, index = tensor
        for arg, dtype in graph.args:
            if arg == name:
                return dtype
        node = graph.nodes.get(name)
        if node is None:
            raise self.error(f"input '{_format(tensor)}' names no node")
        dtypes = self._dtypes.get(name)  # node names are unique across all extracted functions
        if dtypes is None:
            definition = op_def(node.op)
            layout = output_layout(definition, node.attr) if definition is not None else None
            if layout is None:
                attr = next((node.attr[k] for k in ("T", "dtype") if k in node.attr), None)
                if attr is None or attr.WhichOneof("value") != "type":
                    raise self.error(f"cannot tell the output type of {node.op}", name)
                dtypes = [attr.type]
            else:
                dtypes = [d for _, ds in layout for d in ds]
            self._dtypes[name] = dtypes
        if index >= len(dtypes):
            raise self.error(f"input '{_format(tensor)}' refers to a missing output of {node.op}", name)
        return dtypes[index]


# The data inputs the control flow nodes (and the Identity chains followed through them) read.
_DATA_INPUTS = {"Enter": 1, "Exit": 1, "NextIteration": 1, "LoopCond": 1, "Switch": 2, "Merge": 1, "Identity": 1}


def _check_arity(graph: Graph, context: _Context) -> None:
    """Every control flow node has the data inputs its op reads (a corrupt graph may drop them)."""
    for node in graph.nodes.values():
        needed = _DATA_INPUTS.get(_base(node.op), 0)
        if needed and len(graph.data_inputs(node)) < needed:
            raise context.error(
                f"{node.op} has {len(graph.data_inputs(node))} data inputs but reads {needed}; the graph is "
                "corrupt: re-export it",
                node.name,
            )


def tensor_dtype(nodes: Mapping[str, node_def_pb2.NodeDef], tensor: Tensor, source: str) -> int:
    """The DataType of output `tensor` of a graph node (from TF's op registry and the node attrs)."""
    return _Context(source, {}, set()).dtype(Graph(nodes if isinstance(nodes, dict) else dict(nodes)), tensor)


def functionalize(graph: Graph, source: str, taken: Iterable[str] = ()) -> dict[str, function_pb2.FunctionDef]:
    """Rewrite v1 loops and conds of `graph` in place into While/If nodes; the functions they call."""
    library: dict[str, function_pb2.FunctionDef] = {}
    context = _Context(source, library, set(taken) | set(graph.nodes))
    _check_arity(graph, context)
    _collapse_loops(graph, context)
    _functionalize_conds(graph, context)
    _check_no_control_flow(graph, context)
    return library


def _check_no_control_flow(graph: Graph, context: _Context) -> None:
    for node in graph.nodes.values():
        if node.op in V1_CONTROL_FLOW_OPS:
            raise context.error(
                f"{node.op} is part of v1 control flow tflc cannot turn into While/If; {_FIX}", node.name
            )


# --------------------------------------------------------------------------- graph helpers


def _topological_order(graph: Graph, context: _Context) -> list[str]:
    """Node names with every node after its inputs; NextIteration -> Merge edges are back edges."""
    indegree: dict[str, int] = {}
    users: dict[str, list[str]] = defaultdict(list)
    for name, node in graph.nodes.items():
        deps = set()
        for src, _ in graph.data_inputs(node):
            if src in graph.nodes and not (
                _base(node.op) == "Merge" and _base(graph.nodes[src].op) == "NextIteration"
            ):
                deps.add(src)
        deps.update(c for c in graph.control_inputs(node) if c in graph.nodes)
        indegree[name] = len(deps)
        for dep in deps:
            users[dep].append(name)
    ready = [n for n in graph.nodes if indegree[n] == 0]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for user in users[name]:
            indegree[user] -= 1
            if indegree[user] == 0:
                ready.append(user)
    if len(order) != len(graph.nodes):
        stuck = next(n for n in graph.nodes if indegree[n] > 0)
        raise context.error(f"the graph has a cycle that is not a v1 while loop; {_FIX}", stuck)
    return order


class _Users:
    """Who reads each node's outputs (data) and who waits for it (control), as nodes are replaced.

    Entries are added as nodes change and never dropped, so a lookup may name a node that
    no longer reads the value or is gone: callers check.
    """

    def __init__(self, graph: Graph):
        self.readers: dict[str, set[str]] = defaultdict(set)
        self.waiters: dict[str, set[str]] = defaultdict(set)
        for name, node in graph.nodes.items():
            self.add(graph, name, node)

    def add(self, graph: Graph, name: str, node: node_def_pb2.NodeDef) -> None:
        """Register the inputs of `node`."""
        for src, _ in graph.data_inputs(node):
            self.readers[src].add(name)
        for control in graph.control_inputs(node):
            self.waiters[control].add(name)

    def of(self, graph: Graph, tensor: Tensor) -> list[str]:
        """The nodes reading `tensor` now, in graph order of their names (sorted)."""
        return sorted(
            n for n in self.readers.get(tensor[0], ())
            if n in graph.nodes and tensor in graph.data_inputs(graph.nodes[n])
        )


def _resolve(renames: Mapping[Tensor, str], ref: str) -> str:
    """`ref` after renames (which may chain: a Switch input that was itself a Merge)."""
    for _ in range(len(renames) + 1):
        new = renames.get(parse_ref(ref))
        if new is None:
            return ref
        ref = new
    return ref


def _replace_removed(
    graph: Graph,
    users: _Users,
    renames: Mapping[Tensor, str],
    removed: Mapping[str, tuple[str | None, str]],
    context: _Context,
    extra: Iterable[str] = (),
) -> None:
    """After `removed` nodes left the graph: point reads of renamed tensors at their new refs and
    control edges on a removed node at its replacement (`removed[name] = (replacement, what)`);
    any other read of a removed node is an error naming `what` it was."""
    affected = set(extra)
    for name in removed:
        affected |= users.readers.get(name, set()) | users.waiters.get(name, set())
    for name in sorted(affected):
        node = graph.nodes.get(name)
        if node is None:
            continue
        data, control = [], []
        for ref in node.input:
            if ref.startswith("^"):
                source = ref[1:]
                target = removed[source][0] if source in removed else source
                if target is not None and target != name:
                    control.append(f"^{target}")
                continue
            data.append(_resolve(renames, ref))
        del node.input[:]
        node.input.extend(data + list(dict.fromkeys(control)))
        users.add(graph, name, node)
        for tensor in graph.data_inputs(node):
            if tensor[0] in removed:
                what = removed[tensor[0]][1]
                raise context.error(f"reads '{_format(tensor)}', a value of {what}; {_FIX}", name)
    graph.rets = [_resolve(renames, r) for r in graph.rets]
    for ret in graph.rets:
        if parse_ref(ret)[0] in removed:
            raise context.error(f"the result '{ret}' is a value of {removed[parse_ref(ret)[0]][1]}; {_FIX}")


def _copy_into(node: node_def_pb2.NodeDef, stops: Mapping[Tensor, str], members: set[str]) -> node_def_pb2.NodeDef:
    """A copy of `node` reading arguments for stop tensors, control edges kept only inside `members`."""
    copy = node_def_pb2.NodeDef()
    copy.CopyFrom(node)
    del copy.input[:]
    data, control = [], []
    for ref in node.input:
        if ref.startswith("^"):
            if ref[1:] in members:
                control.append(ref)
            continue
        tensor = parse_ref(ref)
        data.append(stops.get(tensor, ref))
    copy.input.extend(data + control)
    return copy


def _function_def(name: str, graph: Graph, context: _Context) -> function_pb2.FunctionDef:
    """A FunctionDef of a (functionalized) graph: its args, nodes and returned tensors."""
    fdef = function_pb2.FunctionDef()
    fdef.signature.name = name
    for arg, dtype in graph.args:
        fdef.signature.input_arg.add(name=arg, type=dtype)
    for i, ret in enumerate(graph.rets):
        out = f"output_{i}"
        fdef.signature.output_arg.add(name=out, type=context.dtype(graph, parse_ref(ret)))
        fdef.ret[out] = ret
    fdef.node_def.extend(graph.nodes.values())
    return fdef


def _data_type(dtype: int) -> types_pb2.DataType:
    """`dtype` as the protobuf enum type (the stubs type enum fields with a NewType of int)."""
    return cast(types_pb2.DataType, dtype)


def _type_list(dtypes: Iterable[int]) -> attr_value_pb2.AttrValue:
    value = attr_value_pb2.AttrValue()
    value.list.type.extend(_data_type(d) for d in dtypes)
    return value


def _func(name: str) -> attr_value_pb2.AttrValue:
    value = attr_value_pb2.AttrValue()
    value.func.name = name
    return value


def _arg_names(count: int, prefix: str, taken: set[str]) -> list[str]:
    """Argument names no node of the function uses."""
    names = []
    for i in range(count):
        name = f"{prefix}{i}"
        while name in taken:
            name += "_"
        names.append(name)
    return names


def _copy_shape(graph: Graph, tensor: Tensor, fdef: function_pb2.FunctionDef, index: int) -> None:
    """Give argument `index` of `fdef` the `_output_shapes` entry the graph has for `tensor`."""
    node = graph.nodes.get(tensor[0])
    if node is None or "_output_shapes" not in node.attr:
        return
    shapes = node.attr["_output_shapes"].list.shape
    if tensor[1] < len(shapes):
        fdef.arg_attr[index].attr["_output_shapes"].list.shape.add().CopyFrom(shapes[tensor[1]])


# --------------------------------------------------------------------------- loops


@dataclass(eq=False)
class _Frame:
    name: str
    parent: _Frame | None
    depth: int


def _frames(graph: Graph, order: list[str], context: _Context) -> dict[str, _Frame | None]:
    """The frame every node runs in (None: outside any loop), as TF's executor assigns them."""
    frames: dict[str, _Frame | None] = {}
    children: dict[tuple[int, str], _Frame] = {}
    for name in order:
        node = graph.nodes[name]
        op = _base(node.op)
        inputs = [src for src, _ in graph.data_inputs(node) if src in graph.nodes]
        if op == "Merge":
            inputs = [s for s in inputs if _base(graph.nodes[s].op) != "NextIteration"] or inputs
        sources = inputs or [c for c in graph.control_inputs(node) if c in graph.nodes]
        outer = frames.get(sources[0]) if sources else None
        if op == "Enter":
            frame_name = node.attr["frame_name"].s.decode("utf-8", "replace")
            key = (id(outer), frame_name)
            if key not in children:
                children[key] = _Frame(frame_name, outer, (outer.depth if outer else 0) + 1)
            frames[name] = children[key]
        elif op == "Exit":
            if outer is None:
                raise context.error("Exit outside of any loop frame", name)
            frames[name] = outer.parent
        else:
            frames[name] = outer
    return frames


def _collapse_loops(graph: Graph, context: _Context) -> None:
    """Replace every v1 while loop of `graph` by a While node, innermost first."""
    if not any(_base(n.op) == "Enter" for n in graph.nodes.values()):
        return
    order = _topological_order(graph, context)
    frames = _frames(graph, order, context)
    members: dict[_Frame, list[str]] = defaultdict(list)
    for name in graph.nodes:  # graph order: loop variables as TF orders them
        frame = frames.get(name)
        if frame is not None:
            members[frame].append(name)
    users = _Users(graph)
    for frame in sorted(members, key=lambda f: -f.depth):  # stable: inner loops first
        _collapse_loop(graph, frame, frames, members, users, context)


def _single(names: list[str], what: str, at: str, context: _Context) -> str:
    if len(names) != 1:
        raise context.error(f"expected one {what}, found {len(names)}; {_FIX}", at)
    return names[0]


def _collapse_loop(
    graph: Graph,
    frame: _Frame,
    frames: dict[str, _Frame | None],
    frame_members: dict[_Frame, list[str]],
    users: _Users,
    context: _Context,
) -> None:
    """Replace the nodes of one loop frame by a While node calling new cond/body functions."""
    nodes = graph.nodes
    _hoist_invariants(graph, frame, frames, frame_members, users, context)
    members = frame_members[frame]
    enters = [n for n in members if n in nodes and _base(nodes[n].op) == "Enter"]
    sources: list[Tensor] = []  # the While operands
    cond_stops: dict[Tensor, int] = {}
    body_stops: dict[Tensor, int] = {}
    body_rets: list[Tensor | int] = []  # a tensor, or the index of an argument returned as is
    exits: dict[int, str] = {}
    loop_cond: str | None = None
    structural: set[str] = set()
    sunk: dict[Tensor, str] = {}  # constant loop invariants, copied into cond and body
    shaped: list[Tensor] = []  # the tensor whose `_output_shapes` (if any) types each loop variable
    for enter in enters:
        node = nodes[enter]
        structural.add(enter)
        source = graph.data_inputs(node)[0]
        if node.attr["is_constant"].b:
            constant = _constant_source(graph, source)
            if constant is not None:
                sunk[(enter, 0)] = constant
                continue
        index = len(sources)
        sources.append(source)
        shaped.append(source)
        if node.attr["is_constant"].b:
            cond_stops[(enter, 0)] = body_stops[(enter, 0)] = index
            body_rets.append(index)
            continue
        merges = [c for c in users.of(graph, (enter, 0)) if _base(nodes[c].op) == "Merge"]
        merge = _single(merges, "Merge after the Enter", enter, context)
        others = [t for t in graph.data_inputs(nodes[merge]) if t[0] != enter]
        nexts = [t[0] for t in others if graph.op_of(t[0]) == "NextIteration"]
        nxt = _single(nexts, "NextIteration into the Merge", merge, context)
        switch = _single(
            [c for c in users.of(graph, (merge, 0)) if _base(nodes[c].op) == "Switch"],
            "Switch after the loop Merge",
            merge,
            context,
        )
        pred = graph.data_inputs(nodes[switch])[1][0]
        if graph.op_of(pred) != "LoopCond":
            raise context.error(f"the loop Switch does not switch on a LoopCond; {_FIX}", switch)
        if loop_cond not in (None, pred):
            raise context.error(f"the loop has two LoopCond nodes ({loop_cond}, {pred}); {_FIX}", pred)
        loop_cond = pred
        structural.update((merge, nxt, switch))
        shaped[index] = (merge, 0)  # the Merge has the shape invariant, the Enter the first value's shape
        cond_stops[(merge, 0)] = index
        body_stops[(switch, 1)] = index
        body_rets.append(graph.data_inputs(nodes[nxt])[0])
        for user in users.of(graph, (switch, 0)):
            if _base(nodes[user].op) != "Exit":
                raise context.error(f"reads the exit side of loop Switch '{switch}'; {_FIX}", user)
            exits[index] = user
    if loop_cond is None:
        raise context.error(f"loop frame '{frame.name}' has no loop variable (no Merge/Switch/LoopCond)", enters[0])
    structural.add(loop_cond)
    base = loop_cond.rsplit("/", 1)[0] if "/" in loop_cond else frame.name
    while_name = context.unique(base)
    dtypes = [context.dtype(graph, t) for t in sources]
    names = _arg_names(len(sources), "arg", set(members) | set(sunk.values()))
    cond_graph = _extract(
        graph, [graph.data_inputs(nodes[loop_cond])[0]], cond_stops, sunk, names, dtypes, frame, frames, structural,
        context,
    )
    body_graph = _extract(
        graph, [r for r in body_rets if not isinstance(r, int)], body_stops, sunk, names, dtypes, frame, frames,
        structural, context,
    )
    returned = iter(body_graph.rets)
    body_graph.rets = [names[r] if isinstance(r, int) else next(returned) for r in body_rets]
    library = context.library
    cond_name, body_name = context.unique(f"{while_name}_cond"), context.unique(f"{while_name}_body")
    for fname, fgraph in ((cond_name, cond_graph), (body_name, body_graph)):
        _functionalize_conds(fgraph, context)
        _check_no_control_flow(fgraph, context)
        fdef = _function_def(fname, fgraph, context)
        for i, tensor in enumerate(shaped):
            _copy_shape(graph, tensor, fdef, i)
        library[fname] = fdef
    node = node_def_pb2.NodeDef(name=while_name, op="While", input=[_format(t) for t in sources])
    node.attr["T"].CopyFrom(_type_list(dtypes))
    node.attr["cond"].CopyFrom(_func(cond_name))
    node.attr["body"].CopyFrom(_func(body_name))
    first_enter = nodes[enters[0]]
    iterations = first_enter.attr["parallel_iterations"].i if "parallel_iterations" in first_enter.attr else 10
    node.attr["parallel_iterations"].i = iterations or 10
    what = (while_name, f"loop '{while_name}' other than its Exit nodes")
    removed = {n: what for n in [*members, *exits.values()] if n in nodes}
    renames = {(exit_, 0): f"{while_name}:{i}" for i, exit_ in exits.items()}
    for name in removed:
        del nodes[name]
        frames.pop(name, None)
    nodes[while_name] = node
    frames[while_name] = frame.parent
    if frame.parent is not None:
        frame_members[frame.parent].append(while_name)
    users.add(graph, while_name, node)
    _replace_removed(graph, users, renames, removed, context)


_PIVOTS = frozenset({"Identity", "Merge", "Switch"})


def _hoist_invariants(
    graph: Graph,
    frame: _Frame,
    frames: dict[str, _Frame | None],
    frame_members: dict[_Frame, list[str]],
    users: _Users,
    context: _Context,
) -> None:
    """Move the stateless single-output nodes of a loop frame that read only loop invariants
    (constant Enters, constants, nodes moved before them) out of the loop: each is computed
    once in the outer frame and enters the loop through a new constant Enter, as TF's
    converter hoists loop invariants."""
    nodes = graph.nodes
    members = frame_members[frame]
    local = Graph({n: nodes[n] for n in members if n in nodes})
    outer: dict[Tensor, str] = {}  # invariant tensor in the frame -> the outer ref it equals
    for name in members:
        node = nodes.get(name)
        if node is not None and _base(node.op) == "Enter" and node.attr["is_constant"].b:
            outer[(name, 0)] = node.input[0]
    if not outer:
        return
    copies: dict[str, str] = {}  # frame constant -> its copy in the outer frame
    position = {n: i for i, n in enumerate(members)}
    for name in _topological_order(local, context):
        node = nodes[name]
        inputs = graph.data_inputs(node)
        definition = op_def(node.op)
        if (
            not inputs or node.op in V1_CONTROL_FLOW_OPS or definition is None or definition.is_stateful
            or len(definition.output_arg) != 1 or definition.output_arg[0].number_attr
            or definition.output_arg[0].type_list_attr
            or any(nodes.get(c) is None or _base(nodes[c].op) not in _PIVOTS for c in graph.control_inputs(node))
            or not all(t in outer or _is_constant(graph, t[0]) for t in inputs)
        ):
            continue
        refs = []
        for tensor in inputs:
            if tensor in outer:
                refs.append(outer[tensor])
                continue
            if tensor[0] not in copies:  # a constant of the frame: copy it out
                copy = node_def_pb2.NodeDef()
                copy.CopyFrom(nodes[tensor[0]])
                copy.name = context.unique(f"{tensor[0]}/hoisted")
                del copy.input[:]
                nodes[copy.name] = copy
                frames[copy.name] = frame.parent
                if frame.parent is not None:
                    frame_members[frame.parent].append(copy.name)
                copies[tensor[0]] = copy.name
            refs.append(_format((copies[tensor[0]], tensor[1])))
        del node.input[:]
        node.input.extend(refs)  # `node` keeps its name, now in the outer frame
        enter = node_def_pb2.NodeDef(name=context.unique(f"{name}/Enter"), op="Enter", input=[name])
        enter.attr["T"].type = _data_type(context.dtype(graph, (name, 0)))
        enter.attr["frame_name"].s = frame.name.encode()
        enter.attr["is_constant"].b = True
        nodes[enter.name] = enter
        frames[name] = frame.parent
        frames[enter.name] = frame
        members[position[name]] = enter.name
        if frame.parent is not None:
            frame_members[frame.parent].append(name)
        for reader in sorted(users.readers.get(name, ())):
            user = nodes.get(reader)
            if user is None or reader == enter.name or frames.get(reader) is not frame:
                continue
            fixed = [enter.name if not r.startswith("^") and parse_ref(r) == (name, 0) else r for r in user.input]
            del user.input[:]
            user.input.extend(fixed)
            users.add(graph, reader, user)
        users.add(graph, name, node)
        users.add(graph, enter.name, enter)
        for copy_name in copies.values():
            users.add(graph, copy_name, nodes[copy_name])
        outer[(enter.name, 0)] = name


def _extract(
    graph: Graph,
    roots: list[Tensor],
    stops: Mapping[Tensor, int],
    constants: Mapping[Tensor, str],
    arg_names: list[str],
    arg_dtypes: list[int],
    frame: _Frame,
    frames: Mapping[str, _Frame | None],
    structural: set[str],
    context: _Context,
) -> Graph:
    """The part of a loop frame computing `roots` from the stop tensors (the loop arguments);
    tensors in `constants` read the Const node named there, copied in."""
    included: set[str] = set()
    pending = [t for t in roots if t not in stops]
    while pending:
        name, _ = tensor = pending.pop()
        if tensor in constants:
            included.add(constants[tensor])
            continue
        if name in included:
            continue
        node = graph.nodes.get(name)
        if node is None:
            raise context.error(f"input '{_format(tensor)}' names no node")
        if name in structural:
            raise context.error(f"the loop reads its own {node.op} in an unsupported way; {_FIX}", name)
        inputs = graph.data_inputs(node)
        if frames.get(name) is not frame and inputs:
            raise context.error(f"reads '{name}' from outside its loop without an Enter; {_FIX}", name)
        included.add(name)
        pending.extend(t for t in inputs if t not in stops and t[0] not in included)
        # Constants hang on the loop's pivot by a control edge: keep that edge, it places
        # them in the branch of a cond inside the loop.
        pending.extend(
            (c, 0) for c in graph.control_inputs(node)
            if c not in included and c not in structural and frames.get(c) is frame
        )
    stop_refs = {t: arg_names[i] for t, i in stops.items()} | dict(constants)
    nodes = {n: _copy_into(graph.nodes[n], stop_refs, included) for n in graph.nodes if n in included}
    rets = [stop_refs.get(t, _format(t)) for t in roots]
    return Graph(nodes, list(zip(arg_names, arg_dtypes)), rets)


# --------------------------------------------------------------------------- conds


def _canonical(graph: Graph, tensor: Tensor) -> Tensor:
    """A predicate tensor with Identity nodes looked through."""
    seen = set()
    while tensor[0] in graph.nodes and graph.nodes[tensor[0]].op == "Identity" and tensor[0] not in seen:
        seen.add(tensor[0])
        tensor = graph.data_inputs(graph.nodes[tensor[0]])[0]
    return tensor


def _constant_source(graph: Graph, tensor: Tensor) -> str | None:
    """The Const node a tensor is, through Identity nodes and constant Enters, else None."""
    seen: set[str] = set()
    while tensor[0] not in seen:
        seen.add(tensor[0])
        node = graph.nodes.get(tensor[0])
        if node is None:
            return None
        if node.op == "Const" and not graph.data_inputs(node):
            return node.name
        if node.op == "Identity" or (_base(node.op) == "Enter" and node.attr["is_constant"].b):
            tensor = graph.data_inputs(node)[0]
            continue
        return None
    return None


def _is_constant(graph: Graph, name: str) -> bool:
    node = graph.nodes.get(name)
    return node is not None and node.op == "Const" and not graph.data_inputs(node)


def _join(a: State, b: State, at: str, context: _Context) -> State:
    if a[: len(b)] == b:
        return a
    if b[: len(a)] == a:
        return b
    raise context.error(f"combines values from different branches of v1 conds; {_FIX}", at)


@dataclass
class _Merge:
    name: str
    outer: State
    pred: Tensor
    branches: dict[int, Tensor]


def _cond_states(graph: Graph, context: _Context) -> tuple[list[str], dict[str, State], list[_Merge]]:
    """Each node's branch state (which Switch outputs it depends on), and every Merge."""
    order = _topological_order(graph, context)
    states: dict[str, State] = {}
    merges: list[_Merge] = []

    def tensor_state(tensor: Tensor) -> State:
        name, index = tensor
        node = graph.nodes.get(name)
        state = states.get(name, ())
        if node is not None and _base(node.op) == "Switch":
            pred = _canonical(graph, graph.data_inputs(node)[1])
            return (*state, (pred, index))
        return state

    for name in order:
        node = graph.nodes[name]
        inputs = graph.data_inputs(node)
        if _base(node.op) == "Merge":
            merge = _merge_state(name, [(t, tensor_state(t)) for t in inputs], context)
            merges.append(merge)
            states[name] = merge.outer
            continue
        state: State = ()
        for tensor in inputs:
            state = _join(state, tensor_state(tensor), name, context)
        for control in graph.control_inputs(node):
            if control in graph.nodes:
                state = _join(state, states.get(control, ()), name, context)
        states[name] = state
    return order, states, merges


def _merge_state(name: str, inputs: list[tuple[Tensor, State]], context: _Context) -> _Merge:
    """The cond a Merge closes: its outer state, predicate and the tensor of each branch."""
    if not inputs or any(not s for _, s in inputs):
        raise context.error(f"Merge of values that are not from the branches of one cond; {_FIX}", name)
    outer = inputs[0][1][:-1]
    pred = inputs[0][1][-1][0]
    branches: dict[int, Tensor] = {}
    for tensor, state in inputs:
        if state[:-1] != outer or state[-1][0] != pred or state[-1][1] in branches:
            raise context.error(f"Merge of values that are not from the two branches of one cond; {_FIX}", name)
        branches[state[-1][1]] = tensor
    return _Merge(name, outer, pred, branches)


def _functionalize_conds(graph: Graph, context: _Context) -> None:
    """Replace the outermost v1 conds of `graph` by If nodes (their branches recursively).

    A cond on a constant predicate (a `placeholder_with_default(False)` training flag
    that is not an input) keeps only its taken branch; conds inside it come next. Each
    round handles every outermost cond, then rewires the graph once.
    """
    while any(_base(n.op) == "Merge" for n in graph.nodes.values()):
        order, states, merges = _cond_states(graph, context)
        groups: dict[Tensor, list[_Merge]] = {}
        for merge in merges:
            if not merge.outer:
                groups.setdefault(merge.pred, []).append(merge)
        if not groups:
            return
        branches: dict[Tensor, dict[int, list[str]]] = defaultdict(lambda: {0: [], 1: []})
        switches: dict[Tensor, list[str]] = defaultdict(list)
        for name in order:
            state = states.get(name, ())
            if state:
                branches[state[0][0]][state[0][1]].append(name)
            elif _base(graph.nodes[name].op) == "Switch":
                switches[_canonical(graph, graph.data_inputs(graph.nodes[name])[1])].append(name)
        users = _Users(graph)
        renames: dict[Tensor, str] = {}
        removed: dict[str, tuple[str | None, str]] = {}
        created: list[str] = []
        for pred, group in groups.items():
            cond = _Cond(pred, group, branches[pred], switches[pred])
            value = _constant_predicate(graph, pred)
            if value is None:
                created.append(_replace_cond(graph, order, states, cond, renames, removed, context))
            else:
                _fold_cond(graph, cond, value, renames, removed, context)
        for name in removed:
            graph.nodes.pop(name, None)
        _replace_removed(graph, users, renames, removed, context, extra=created)


@dataclass
class _Cond:
    """One outermost cond: its predicate, Merges, the nodes of each branch and its entry Switches."""

    pred: Tensor
    merges: list[_Merge]
    branches: dict[int, list[str]]
    switches: list[str]


def _constant_predicate(graph: Graph, pred: Tensor) -> int | None:
    """1 or 0 if `pred` is a constant scalar boolean, else None."""
    from tflc.frontend.saved_model_reader import tensor_proto_to_numpy

    node = graph.nodes.get(pred[0])
    if node is None or node.op != "Const" or "value" not in node.attr:
        return None
    try:
        value = tensor_proto_to_numpy(node.attr["value"].tensor)
    except ValueError:
        return None
    return int(bool(value.reshape(-1)[0])) if value.size == 1 and value.dtype == bool else None


def _fold_cond(
    graph: Graph,
    cond: _Cond,
    taken: int,
    renames: dict[Tensor, str],
    removed: dict[str, tuple[str | None, str]],
    context: _Context,
) -> None:
    """Keep the `taken` branch of a cond on a constant predicate: Switches and Merges pass values through."""
    for switch in cond.switches:
        renames[(switch, taken)] = graph.nodes[switch].input[0]
    for merge in cond.merges:
        tensor = merge.branches.get(taken)
        if tensor is None:
            raise context.error(f"Merge has no input from the branch its constant predicate takes; {_FIX}", merge.name)
        renames[(merge.name, 0)] = _format(tensor)
    what = (None, "a v1 cond branch its constant predicate never takes")
    for name in [*cond.branches[1 - taken], *cond.switches, *(m.name for m in cond.merges)]:
        removed[name] = what


def _replace_cond(
    graph: Graph,
    order: list[str],
    states: dict[str, State],
    cond: _Cond,
    renames: dict[Tensor, str],
    removed: dict[str, tuple[str | None, str]],
    context: _Context,
) -> str:
    """Replace one cond (its Merges, branches and Switches) by an If node; its name."""
    nodes = graph.nodes
    pred, group, switches = cond.pred, cond.merges, cond.switches
    # Arguments: the tensor each entry Switch switches (once per tensor), then outer
    # tensors a branch reads directly; outer constants are copied into the branch.
    operands: list[Tensor] = []
    position: dict[Tensor, int] = {}
    stop_refs: dict[int, dict[Tensor, int]] = {0: {}, 1: {}}

    def operand(tensor: Tensor) -> int:
        if tensor not in position:
            position[tensor] = len(operands)
            operands.append(tensor)
        return position[tensor]

    entry = set(switches)
    members: dict[int, set[str]] = {}
    constants: dict[int, dict[Tensor, str]] = {0: {}, 1: {}}
    for branch in (0, 1):
        closure: set[str] = set()
        pending = [m.branches[branch] for m in group if branch in m.branches]
        while pending:
            tensor = pending.pop()
            name_, _ = tensor
            if name_ in closure or tensor in stop_refs[branch] or tensor in constants[branch]:
                continue
            if name_ in entry:
                if tensor[1] != branch:
                    raise context.error(f"a branch reads the other side of Switch '{name_}'; {_FIX}", name_)
                switched = graph.data_inputs(nodes[name_])[0]
                constant = _constant_source(graph, switched)
                if constant is not None:  # a switched constant is copied into the branch
                    constants[branch][tensor] = constant
                    closure.add(constant)
                    continue
                stop_refs[branch][tensor] = operand(switched)
                continue
            node = nodes.get(name_)
            state = states.get(name_, ())
            inside = bool(state) and state[0] == (pred, branch)
            if node is None or not (inside or _is_constant(graph, name_)):
                stop_refs[branch][tensor] = operand(tensor)  # an outer value the branch reads
                continue
            closure.add(name_)
            pending.extend(graph.data_inputs(node))
        members[branch] = closure
    name = context.unique(group[0].name.rsplit("/", 1)[0] if "/" in group[0].name else group[0].name + "_if")
    dtypes = [context.dtype(graph, t) for t in operands]
    arg_names = _arg_names(len(operands), "arg", members[0] | members[1])
    out_dtypes = [context.dtype(graph, (m.name, 0)) for m in group]
    functions = []
    for branch, label in ((1, "then"), (0, "else")):
        refs = {t: arg_names[i] for t, i in stop_refs[branch].items()} | constants[branch]
        inside_nodes = [n for n in cond.branches[branch] if n in members[branch]]
        copied = sorted(members[branch] - set(inside_nodes))  # outer constants: no inputs, so first
        ordered = copied + inside_nodes
        branch_graph = Graph(
            {n: _copy_into(nodes[n], refs, members[branch]) for n in ordered},
            list(zip(arg_names, dtypes)),
            [],
        )
        for merge in group:
            incoming = merge.branches.get(branch)
            if incoming is None:
                raise context.error(f"Merge has no input from the {label} branch; {_FIX}", merge.name)
            branch_graph.rets.append(refs.get(incoming, _format(incoming)))
        _functionalize_conds(branch_graph, context)
        _check_no_control_flow(branch_graph, context)
        fname = context.unique(f"{name}_{label}")
        fdef = _function_def(fname, branch_graph, context)
        for i, tensor in enumerate(operands):
            _copy_shape(graph, tensor, fdef, i)
        context.library[fname] = fdef
        functions.append(fname)
    node = node_def_pb2.NodeDef(name=name, op="If", input=[_format(pred), *(_format(t) for t in operands)])
    node.attr["Tcond"].type = _data_type(context.dtype(graph, pred))
    node.attr["Tin"].CopyFrom(_type_list(dtypes))
    node.attr["Tout"].CopyFrom(_type_list(out_dtypes))
    node.attr["then_branch"].CopyFrom(_func(functions[0]))
    node.attr["else_branch"].CopyFrom(_func(functions[1]))
    what = (name, f"the v1 cond '{name}' (only its Merge outputs leave it)")
    for removed_name in [*cond.branches[0], *cond.branches[1], *switches, *(m.name for m in group)]:
        removed[removed_name] = what
    nodes[name] = node
    renames.update({(m.name, 0): f"{name}:{i}" for i, m in enumerate(group)})
    return name
