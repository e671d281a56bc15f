"""Import JAX functions directly (`tflc.Converter.from_jax`), through `jax.export`.

Each function is exported for the CPU as a StableHLO module (the artifact jax2tf puts
in tf.XlaCallModule), which becomes one signature: `serving_default` for a single
function, else the function's name. Inputs are named as given (`[("x", x)]`) or
`args_<i>`; outputs `output_<i>`. `polymorphic_shapes` (as in jax.export, e.g.
`["(b, 16)"]`) keeps dims dynamic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Block, Region

from tflc.dialects.tf_saved_model import mark_exported, mark_module
from tflc.errors import ConversionError
from tflc.frontend.xla_call_module import INSTALL_HINT, inline_module, main_input_types, parse_stablehlo, stablehlo_text


def _named_inputs(args: Sequence[Any]) -> tuple[list[str], list[Any]]:
    """Names and arrays from `[x, y]` or `[("x", x), ("y", y)]`."""
    names, arrays = [], []
    for i, item in enumerate(args):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            names.append(item[0])
            arrays.append(item[1])
        else:
            names.append(f"args_{i}")
            arrays.append(item)
    return names, arrays


def export_stablehlo(fn: Callable[..., Any], arrays: Sequence[Any], polymorphic_shapes: Sequence[str] | None) -> bytes:
    """The serialized StableHLO module of `fn` for the CPU (jax.export)."""
    try:
        import jax
        from jax import export
    except ImportError:
        raise ConversionError(f"Converter.from_jax needs jax; {INSTALL_HINT}") from None
    if polymorphic_shapes is not None:
        specs = export.symbolic_args_specs(list(arrays), list(polymorphic_shapes))
    else:
        specs = [jax.ShapeDtypeStruct(getattr(a, "shape", ()), getattr(a, "dtype", None) or type(a)) for a in arrays]
    exported = export.export(jax.jit(fn), platforms=["cpu"])(*specs)
    if exported.ordered_effects:
        raise ConversionError("the JAX function has ordered effects (e.g. io_callback); TFLite cannot run them")
    return exported.mlir_module_serialized


def import_jax_functions(
    funcs: Callable[..., Any] | Sequence[Callable[..., Any]],
    inputs: Sequence[Any],
    polymorphic_shapes: Sequence[str] | Sequence[Sequence[str]] | None = None,
) -> ModuleOp:
    """A module with one exported function (signature) per JAX function."""
    single = callable(funcs)
    fn_list = [funcs] if single else list(funcs)  # type: ignore[list-item]
    input_lists = [inputs] if single else list(inputs)
    poly_lists = [polymorphic_shapes] if single else list(polymorphic_shapes or [None] * len(fn_list))  # type: ignore[list-item]
    if len(input_lists) != len(fn_list) or len(poly_lists) != len(fn_list):
        raise ConversionError(f"from_jax got {len(fn_list)} functions but {len(input_lists)} input lists")
    module = ModuleOp([])
    mark_module(module)
    keys: set[str] = set()
    for fn, args, poly in zip(fn_list, input_lists, poly_lists):
        key = "serving_default" if len(fn_list) == 1 else getattr(fn, "__name__", "fn")
        while key in keys:
            key += "_"
        keys.add(key)
        names, arrays = _named_inputs(args)
        where = f"<jax function {key}>"
        stablehlo = parse_stablehlo(stablehlo_text(export_stablehlo(fn, arrays, poly), where), where)  # type: ignore[arg-type]
        block = Block(arg_types=main_input_types(stablehlo))
        if len(block.args) != len(arrays):
            raise ConversionError(f"{where}: takes {len(block.args)} array inputs, {len(arrays)} example inputs given")
        results = inline_module(stablehlo, block, list(block.args), node_name=key, source=where, platforms=["cpu"])
        block.add_op(ReturnOp(*results))
        func = FuncOp(key, FunctionType.from_lists(block.arg_types, [r.type for r in results]), Region(block))
        mark_exported(func, key, names, [f"output_{i}" for i in range(len(results))])
        module.body.block.add_op(func)
    return module
