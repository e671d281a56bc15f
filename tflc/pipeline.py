"""Running pass pipelines: by spec string or by pass list, verifying after every pass."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO
from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline

from tflc.dialects import make_context
from tflc.errors import TflcError


@dataclass
class PassTiming:
    """Wall time of each pass of a pipeline run, in run order."""

    entries: list[tuple[str, float]] = field(default_factory=list)


def parse_pipeline(spec: str) -> tuple[ModulePass, ...]:
    """The passes of a pipeline spec (`legalize-tf,canonicalize`)."""
    from tflc.passes import PASSES

    if not spec.strip():
        return ()
    try:
        return PassPipeline.parse_spec(PASSES, spec).passes
    except (ValueError, Exception) as err:
        if isinstance(err, TflcError):
            raise
        raise TflcError(
            f"bad pass pipeline '{spec}': {err}; available passes: {', '.join(sorted(PASSES))}"
        ) from None


def run_passes(
    module: ModuleOp,
    passes: Sequence[ModulePass],
    *,
    verify_each: bool = True,
    print_ir_after_all: bool = False,
    ir_stream: TextIO | None = None,
    time_passes: bool = False,
    timing: PassTiming | None = None,
    on_pass: Callable[[str, float], None] | None = None,
) -> None:
    """Apply passes in order (the one pass runner of the tools, the API and the quantizer).

    The module is verified after every pass unless `verify_each` is False; `on_pass(name,
    seconds)` is told of each pass; `print_ir_after_all` prints the IR to `ir_stream`
    (stderr by default)."""
    from tflc.ir import module_to_text, verify_module

    ctx = make_context()
    for p in passes:
        start = time.perf_counter()
        p.apply(ctx, module)
        elapsed = time.perf_counter() - start
        if verify_each:
            verify_module(module)
        if timing is not None:
            timing.entries.append((p.name, elapsed))
        if on_pass is not None:
            on_pass(p.name, elapsed)
        if time_passes:
            print(f"// pass {p.name}: {elapsed * 1000:.1f} ms", file=sys.stderr)
        if print_ir_after_all:
            stream = ir_stream if ir_stream is not None else sys.stderr
            print(f"// -----// IR Dump After {p.name} //----- //", file=stream)
            print(module_to_text(module), file=stream)


def run_pipeline(module: ModuleOp, spec: str, **options: Any) -> None:
    """Apply the passes of a spec string to a module."""
    run_passes(module, parse_pipeline(spec), **options)
