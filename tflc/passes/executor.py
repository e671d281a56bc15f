"""`tf-executor-to-functional`: TensorFlow's executor graphs as plain functional tf ops.

TensorFlow's importers (`convert_saved_model`, `convert_graph_def(pass_pipeline='')`,
`convert_saved_model_v1`) wrap every tf op in a `tf_executor.island` of a
`tf_executor.graph`. The islands' ops move into the enclosing block in graph order (an
order that already respects data and control dependencies, since MLIR values dominate
their uses), island results become the values they yield, the graph's results the
values `tf_executor.fetch` returns, and control tokens disappear.

Also cleaned up here, as TensorFlow's importers write them:
- a graph-def `@main` without arguments or results (`convert_graph_def`): its
  `tf.Placeholder` ops become the arguments and the values no op reads its results,
  named after the nodes (from their locations) in `tf.entry_function`;
- `tf.Cast` between resource types (a resource handle is the same handle);
- `tf.NoOp`, which only groups control dependencies;
- `tf_saved_model.session_initializer` whose initializer functions do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    FunctionType,
    ModuleOp,
    StringAttr,
    SymbolRefAttr,
    TensorType,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass

from tflc.dialects.tf import ResourceType, tf_op_name
from tflc.dialects.tf_executor import ControlType, FetchOp, GraphOp, IslandOp, YieldOp
from tflc.dialects.tf_saved_model import ENTRY_FUNCTION, SessionInitializerOp
from tflc.errors import ConversionError, describe_location, location_name


@dataclass(frozen=True)
class TFExecutorToFunctional(ModulePass):
    """Flatten `tf_executor.graph`s into their functions' blocks."""

    name = "tf-executor-to-functional"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        graphs = [g for g in op.walk() if isinstance(g, GraphOp)]
        for graph in graphs:
            func = graph.parent_op()
            if isinstance(func, FuncOp) and _is_graph_def_main(func, graph):
                graph = _make_graph_def_signature(func, graph)
            flatten_graph(graph)
        for cast in [o for o in op.walk() if tf_op_name(o) == "tf.Cast"]:
            _drop_resource_cast(cast)
        for noop in [o for o in op.walk() if tf_op_name(o) == "tf.NoOp" and not o.results]:
            noop.detach()
            noop.erase()
        _drop_empty_session_initializers(op)


def flatten_graph(graph: GraphOp) -> None:
    """Move the ops of every island before `graph`, then replace `graph` by its fetches."""
    block = graph.parent_block()
    assert block is not None
    for inner in list(graph.body.block.ops):
        if isinstance(inner, IslandOp):
            yielded = inner.body.block.last_op
            assert isinstance(yielded, YieldOp)
            for moved in list(inner.body.block.ops):
                if moved is yielded:
                    break
                moved.detach()
                block.insert_op_before(moved, graph)
            for result, value in zip(inner.outputs, yielded.fetches):
                result.replace_all_uses_with(value)
        elif isinstance(inner, FetchOp):
            for result, value in zip(graph.outputs, inner.data_values()):
                result.replace_all_uses_with(value)
        else:
            raise ConversionError(
                f"{describe_location(inner.location)}: '{inner.name}' is TF1 dataflow control flow, "
                "which tflc does not convert; export the model with TF2 control flow "
                "(tf.compat.v1.enable_control_flow_v2()) or as a SavedModel"
            )
    for inner in reversed(list(graph.body.block.ops)):
        for result in inner.results:
            result.erase(safe_erase=False)  # control tokens only reach other islands and fetch
        inner.detach()
        inner.erase(safe_erase=False)
    graph.detach()
    graph.erase()


def _is_graph_def_main(func: FuncOp, graph: GraphOp) -> bool:
    """A graph-def import: no arguments, no results, and placeholders for inputs."""
    ftype = func.function_type
    if ftype.inputs.data or ftype.outputs.data or graph.outputs:
        return False
    return any(tf_op_name(o) == "tf.Placeholder" for o in _graph_ops(graph))


def _graph_ops(graph: GraphOp) -> list[Operation]:
    return [
        o
        for island in graph.body.block.ops
        if isinstance(island, IslandOp)
        for o in island.body.block.ops
        if not isinstance(o, YieldOp)
    ]


def _make_graph_def_signature(func: FuncOp, graph: GraphOp) -> GraphOp:
    """Placeholders become arguments; values nothing reads become results (returns the
    graph, rebuilt with those results)."""
    block = func.body.block
    ops = _graph_ops(graph)
    inputs: list[str] = []
    for index, placeholder in enumerate(o for o in ops if tf_op_name(o) == "tf.Placeholder"):
        [result] = placeholder.results
        arg = block.insert_arg(result.type, len(block.args))
        result.replace_all_uses_with(arg)
        inputs.append(location_name(placeholder.location) or f"placeholder_{index}")
        placeholder.detach()
        placeholder.erase()
    outputs: list[SSAValue] = []
    names: list[str] = []
    for o in ops:
        if o.parent is None or tf_op_name(o) in ("tf.NoOp", "tf.Placeholder"):
            continue
        for index, result in enumerate(o.results):
            island = o.parent_op()
            yielded = island.body.block.last_op if isinstance(island, IslandOp) else None
            island_result = (
                island.outputs[list(yielded.fetches).index(result)]
                if isinstance(island, IslandOp) and isinstance(yielded, YieldOp) and result in yielded.fetches
                else None
            )
            if isinstance(result.type, ControlType) or (island_result is not None and island_result.uses):
                continue
            if tf_op_name(o) == "tf.Const":
                continue
            outputs.append(result)
            name = location_name(o.location) or f"output_{len(names)}"
            names.append(name if len(o.results) == 1 else f"{name}:{index}")
    if not outputs:
        raise ConversionError(f"@{func.sym_name.data}: the graph computes nothing from its placeholders")
    fetch = graph.body.block.last_op
    assert isinstance(fetch, FetchOp)
    new_fetch = FetchOp([*_island_values(outputs), *fetch.fetches])
    graph.body.block.insert_op_before(new_fetch, fetch)
    fetch.detach()
    fetch.erase()
    graph = _retype_graph(graph, [v.type for v in outputs])
    ret = block.last_op
    assert isinstance(ret, ReturnOp)
    new_ret = ReturnOp(*graph.outputs)
    block.insert_op_before(new_ret, ret)
    ret.detach()
    ret.erase()
    func.function_type = FunctionType.from_lists([a.type for a in block.args], [v.type for v in outputs])
    func.attributes[ENTRY_FUNCTION] = DictionaryAttr(
        {"inputs": StringAttr(",".join(inputs)), "outputs": StringAttr(",".join(names))}
    )
    return graph


def _island_values(values: list[SSAValue]) -> list[SSAValue]:
    """The island results that carry op results out of their islands."""
    out: list[SSAValue] = []
    for value in values:
        op = value.owner
        island = op.parent_op() if isinstance(op, Operation) else None
        assert isinstance(island, IslandOp)
        yielded = island.body.block.last_op
        assert isinstance(yielded, YieldOp)
        out.append(island.outputs[list(yielded.fetches).index(value)])
    return out


def _retype_graph(graph: GraphOp, types: list[Attribute]) -> GraphOp:
    """Give a result-less graph the results its new fetch returns."""
    block = graph.parent_block()
    assert block is not None
    body = graph.detach_region(graph.body)
    new = GraphOp(body, types)
    new.attributes.update(graph.attributes)
    block.insert_op_before(new, graph)
    graph.detach()
    graph.erase()
    return new


def _drop_resource_cast(cast: Operation) -> None:
    """`tf.Cast` of a resource to a resource is the same handle."""
    if len(cast.operands) != 1 or len(cast.results) != 1:
        return
    source, result = cast.operands[0].type, cast.results[0].type
    if not all(isinstance(t, TensorType) and isinstance(t.element_type, ResourceType) for t in (source, result)):
        return
    cast.results[0].replace_all_uses_with(cast.operands[0])
    cast.detach()
    cast.erase()


def _drop_empty_session_initializers(module: ModuleOp) -> None:
    """Drop session initializers (and their functions) that run no op."""
    funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
    from tflc.passes.lookup_tables import TABLE_OPS

    for init in [o for o in module.ops if isinstance(o, SessionInitializerOp)]:
        empty = []
        keep = False
        for name in init.names():
            func = funcs.get(name)
            if func is None:
                raise ConversionError(
                    f"tf_saved_model.session_initializer names @{name}, which the module does not define"
                )
            if any(tf_op_name(o) in TABLE_OPS for o in func.walk()):
                keep = True  # fills lookup tables: legalize-hashtables runs it through tfl.call_once
                continue
            if len(func.body.block.ops) != 1:
                raise ConversionError(
                    f"session initializer @{name} runs {len(func.body.block.ops) - 1} op(s) "
                    "(tables or assets); tflc converts SavedModels whose initializers do nothing"
                )
            empty.append(func)
        for func in empty:
            module.body.block.erase_op(func)
        if keep:
            dropped = {f.sym_name.data for f in empty}
            init.initializers = ArrayAttr([SymbolRefAttr(n) for n in init.names() if n not in dropped])
        else:
            module.body.block.erase_op(init)
