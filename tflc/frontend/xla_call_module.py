"""Import `tf.XlaCallModule` (what jax2tf writes): its StableHLO module becomes stablehlo ops.

The node's `module` attribute is a StableHLO portable artifact (VHLO bytecode). jaxlib's
MLIR bindings read it (`stablehlo.deserialize_portable_artifact`) and print it in MLIR's
generic form, which tflc's `stablehlo` dialect parses. The module's `main` is inlined
where the node was, with every `func.call` inside it inlined too, so the
`legalize-stablehlo` pass sees one flat body. jax2tf's calling convention is kept: a
platform-index argument when the module was exported for several platforms (CPU is
chosen), a leading token argument and result when `has_token_input_output`, and, for
old modules, dimension arguments read from the inputs' shapes (`dim_args_spec`).
Shape-polymorphic dims stay dynamic (`?`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import ModuleOp, NameLoc, NoneAttr, StringAttr, TensorType, i32
from xdsl.dialects.func import CallOp, FuncOp, ReturnOp
from xdsl.ir import Block, Operation, SSAValue

from tflc.dialects import stablehlo as hlo
from tflc.frontend.errors import FrontendError
from tflc.tensors import numpy_to_dense

INSTALL_HINT = "install jax to read it: pip install 'tflc[jax]' (or pip install jax)"


def stablehlo_text(data: bytes, where: str) -> str:
    """The generic-form MLIR text of a serialized StableHLO module (needs jaxlib)."""
    try:
        from jaxlib.mlir import ir
        from jaxlib.mlir.dialects import stablehlo
    except ImportError:
        raise FrontendError(f"{where}: tf.XlaCallModule holds a StableHLO module (jax2tf); {INSTALL_HINT}") from None
    with ir.Context() as ctx:
        stablehlo.register_dialect(ctx)
        try:
            module = stablehlo.deserialize_portable_artifact(ctx, data)
        except Exception as err:  # jaxlib raises MLIRError / ValueError
            try:
                module = ir.Module.parse(data)
            except Exception:
                message = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise FrontendError(
                    f"{where}: the StableHLO module of tf.XlaCallModule cannot be read ({message}); "
                    "re-export it with the installed jax, or install the jax that wrote it"
                ) from None
        return module.operation.get_asm(print_generic_op_form=True, enable_debug_info=False)


def parse_stablehlo(text: str, where: str) -> ModuleOp:
    """Parse StableHLO MLIR text (generic form) into a module of stablehlo ops."""
    from xdsl.utils.exceptions import ParseError, VerifyException

    from tflc.ir import parse_module

    try:
        module = parse_module(text, where)
        module.verify()
    except (ParseError, VerifyException) as err:
        first = str(err).strip().splitlines()
        raise FrontendError(
            f"{where}: the StableHLO module uses what tflc's stablehlo dialect does not cover: "
            f"{first[-1] if first else err}; report the op (tflc-opt parses the module's text)"
        ) from None
    return module


class XlaCallModuleImporter:
    """Inlines the StableHLO `main` of one tf.XlaCallModule node into a block."""

    def __init__(self, module: ModuleOp, node_name: str, source: str):
        self.funcs = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
        self.node_name = node_name
        self.source = source
        self.location = NameLoc(StringAttr(node_name), NoneAttr())

    def error(self, message: str) -> FrontendError:
        """A frontend error naming the node."""
        return FrontendError(f"node '{self.node_name}': {message}", self.source)

    def main(self) -> FuncOp:
        """The module's entry function."""
        if "main" not in self.funcs:
            raise self.error("the StableHLO module has no @main function")
        return self.funcs["main"]

    def inline(self, func: FuncOp, args: Sequence[SSAValue], block: Block, depth: int = 0) -> list[SSAValue]:
        """Clone `func`'s body into `block` (calls inlined too); its results."""
        if depth > 64:
            raise self.error(f"@{func.sym_name.data} calls itself; recursive StableHLO functions are not supported")
        mapping: dict[SSAValue, SSAValue] = dict(zip(func.body.block.args, args))
        for op in func.body.block.ops:
            if isinstance(op, ReturnOp):
                return [mapping.get(v, v) for v in op.arguments]
            if isinstance(op, CallOp):
                results = self.inline(self.callee(op), [mapping[v] for v in op.arguments], block, depth + 1)
                mapping.update(zip(op.results, results))
                continue
            clone = op.clone(value_mapper=mapping)
            block.add_op(clone)
            self.inline_nested_calls(clone, depth)
        raise self.error(f"@{func.sym_name.data} has no return")

    def inline_nested_calls(self, op: Operation, depth: int) -> None:
        """Inline calls inside the regions of `op` (loop bodies, reducers, branches); set locations."""
        for inner in list(op.walk()):
            inner.location = self.location
            if not isinstance(inner, CallOp):
                continue
            block = inner.parent_block()
            assert block is not None
            staging = Block()
            results = self.inline(self.callee(inner), list(inner.arguments), staging, depth + 1)
            for new in list(staging.ops):
                new.detach()
                block.insert_op_before(new, inner)
            for old, value in zip(inner.results, results):
                old.replace_all_uses_with(value)
            inner.detach()
            inner.erase()

    def callee(self, call: CallOp) -> FuncOp:
        """The function a call names."""
        name = call.callee.root_reference.data
        if name not in self.funcs:
            raise self.error(f"the StableHLO module calls @{name}, which it does not define")
        return self.funcs[name]


def _dim_arg(block: Block, inputs: Sequence[SSAValue], spec: str, ty: TensorType, location: NameLoc) -> SSAValue:
    """A legacy dimension argument `"<arg>.<dim>"`: that input's dim size as `ty`."""
    match = re.fullmatch(r"(\d+)\.(\d+)", spec)
    if match is None or int(match.group(1)) >= len(inputs):
        raise ValueError(spec)
    size = hlo.GetDimensionSizeOp.create(
        operands=[inputs[int(match.group(1))]],
        result_types=[TensorType(i32, [])],
        properties={"dimension": hlo.IntegerAttr(int(match.group(2)), 64)},
    )
    block.add_op(size)
    value = size.result
    if ty.element_type != i32:
        convert = hlo.ConvertOp.create(operands=[value], result_types=[ty])
        block.add_op(convert)
        value = convert.result
    for op in (size, value.owner):
        op.location = location  # type: ignore[union-attr]
    return value


def inline_module(
    module: ModuleOp,
    block: Block,
    inputs: Sequence[SSAValue],
    *,
    node_name: str,
    source: str,
    platforms: Sequence[str] = (),
    has_token: bool = False,
    dim_specs: Sequence[str] = (),
) -> list[SSAValue]:
    """Inline a StableHLO module's @main into `block` as jax2tf calls it; its results."""
    where = f"node '{node_name}'"
    importer = XlaCallModuleImporter(module, node_name, source)
    main = importer.main()
    params = list(main.function_type.inputs.data)
    args: list[SSAValue] = []
    if len(platforms) > 1:
        upper = [p.upper() for p in platforms]
        if "CPU" not in upper:
            raise FrontendError(
                f"{where}: the module was exported for {', '.join(platforms)} only; TFLite runs it on the CPU: "
                "export with jax2tf.convert(..., native_serialization_platforms=('cpu', ...))",
                source,
            )
        index = hlo.ConstantOp(numpy_to_dense(np.array(upper.index("CPU"), dtype=np.int32)))
        index.location = importer.location
        block.add_op(index)
        args.append(index.output)
    if has_token or (len(params) > len(args) and isinstance(params[len(args)], hlo.TokenType)):
        token = hlo.CreateTokenOp.create(result_types=[hlo.TokenType()])
        token.location = importer.location
        block.add_op(token)
        args.append(token.output)
    for spec in dim_specs:
        ty = params[len(args)] if len(params) > len(args) else None
        if not isinstance(ty, TensorType):
            raise FrontendError(f"{where}: dim_args_spec '{spec}' has no matching module argument", source)
        try:
            args.append(_dim_arg(block, inputs, spec, ty, importer.location))
        except ValueError:
            raise FrontendError(f"{where}: dim_args_spec '{spec}' is not '<argument>.<dimension>'", source) from None
    args.extend(inputs)
    if len(args) != len(params):
        raise FrontendError(
            f"{where}: the StableHLO @main takes {len(params)} arguments but {len(args)} are passed; "
            "re-export the model with the installed jax",
            source,
        )
    results = importer.inline(main, args, block)
    if results and isinstance(results[0].type, hlo.TokenType):
        results = results[1:]
    return results


def main_input_types(module: ModuleOp) -> list[TensorType]:
    """The tensor (non-token) argument types of a module's @main."""
    for func in module.ops:
        if isinstance(func, FuncOp) and func.sym_name.data == "main":
            return [t for t in func.function_type.inputs.data if isinstance(t, TensorType)]
    return []


def import_xla_call_module(node, inputs: Sequence[SSAValue], block: Block, source: str) -> list[SSAValue]:
    """Inline the StableHLO computation of a tf.XlaCallModule NodeDef into `block`; its results."""
    where = f"node '{node.name}'"
    attrs = node.attr
    if "module" not in attrs:
        raise FrontendError(f"{where}: tf.XlaCallModule has no 'module' attribute; re-export the model", source)
    if "function_list" in attrs and list(attrs["function_list"].list.func):
        raise FrontendError(
            f"{where}: tf.XlaCallModule calls back into TensorFlow functions (jax2tf call_tf); "
            "tflc cannot convert such modules: avoid call_tf in the exported JAX function",
            source,
        )
    module = parse_stablehlo(stablehlo_text(attrs["module"].s, where), source)
    return inline_module(
        module,
        block,
        inputs,
        node_name=node.name,
        source=source,
        platforms=[p.decode() for p in attrs["platforms"].list.s] if "platforms" in attrs else [],
        has_token=bool(attrs["has_token_input_output"].b) if "has_token_input_output" in attrs else False,
        dim_specs=[s.decode() for s in attrs["dim_args_spec"].list.s] if "dim_args_spec" in attrs else [],
    )
