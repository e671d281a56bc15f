"""Dialect registry: name to lazy factory, and the context tflc parses with."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.context import Context
from xdsl.ir import Dialect, Operation


def _tf() -> Dialect:
    from tflc.dialects.tf import TF

    return TF


def _tf_type() -> Dialect:
    from tflc.dialects.tf import TFType

    return TFType


def _tfl() -> Dialect:
    from tflc.dialects.tfl import TFL

    return TFL


def _builtin() -> Dialect:
    from xdsl.dialects.builtin import Builtin

    return Builtin


def _func() -> Dialect:
    from xdsl.dialects.func import Func

    return Func


def _tf_saved_model() -> Dialect:
    from tflc.dialects.tf_saved_model import TFSavedModel

    return TFSavedModel


def _tf_executor() -> Dialect:
    from tflc.dialects.tf_executor import TFExecutor

    return TFExecutor


def _arith() -> Dialect:
    from xdsl.dialects.arith import Arith

    return Arith


def _quant() -> Dialect:
    from tflc.dialects.quant import QUANT

    return QUANT


def _stablehlo() -> Dialect:
    from tflc.dialects.stablehlo import StableHLO

    return StableHLO


DIALECTS: dict[str, Callable[[], Dialect]] = {
    "tf_saved_model": _tf_saved_model,
    "builtin": _builtin,
    "func": _func,
    "tf": _tf,
    "tf_type": _tf_type,
    "tfl": _tfl,
    "quant": _quant,
    "tf_executor": _tf_executor,
    "arith": _arith,
    "stablehlo": _stablehlo,
}


class TflcContext(Context):
    """A context with tflc's dialects where unregistered `tf.*` ops still parse."""

    def get_optional_op(
        self, name: str, *, dialect_stack: Sequence[str] = ()
    ) -> type[Operation] | None:
        op = super().get_optional_op(name, dialect_stack=dialect_stack)
        if op is not None or not name.startswith("tf."):
            return op
        from xdsl.dialects.builtin import UnregisteredOp

        from tflc.dialects.tf import verify_tf_types

        generic = UnregisteredOp.with_name(name)
        op = type(generic.__name__, (generic,), {"verify_": verify_tf_types})  # TF ops take TF types
        self._loaded_ops[name] = op
        return op


def make_context(allow_unregistered: bool = False) -> TflcContext:
    """A fresh context with every tflc dialect registered (loaded lazily); with
    `allow_unregistered`, ops, attributes and types of unknown dialects parse too."""
    ctx = TflcContext(allow_unregistered=allow_unregistered)
    for name, factory in DIALECTS.items():
        ctx.register_dialect(name, factory)
    ctx.load_registered_dialect("builtin")
    return ctx
