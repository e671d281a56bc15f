"""Running pass pipelines: by spec string or by pass list, verifying after every pass."""

from __future__ import annotations

import difflib
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO
from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from tflc.dialects import make_context
from tflc.errors import TflcError


@dataclass
class PassTiming:
    """Wall time of each pass of a pipeline run, in run order."""

    entries: list[tuple[str, float]] = field(default_factory=list)


def parse_pipeline(spec: str) -> tuple[ModulePass, ...]:
    """The passes of a pipeline spec (`legalize-tf,canonicalize`), options as the spec spells them."""
    from xdsl.utils.arg_spec import parse_pipeline as parse_specs

    from tflc.passes import all_passes, pass_options

    passes = all_passes()
    if not spec.strip():
        return ()
    from xdsl.utils.exceptions import ArgSpecParseError

    try:
        specs = list(parse_specs(spec))
    except (Exception, ArgSpecParseError) as err:  # xDSL's spec errors are BaseExceptions
        raise TflcError(f"bad pass pipeline '{spec}': {err}") from None
    result = []
    for item in specs:
        if item.name not in passes:
            raise TflcError(
                f"bad pass pipeline '{spec}': unknown pass '{item.name}'"
                + _closest(item.name, passes)
                + f"; available passes: {', '.join(sorted(passes))} (tflc-opt --list-passes)"
            )
        cls = passes[item.name]()
        options = {name: (kind, default) for name, kind, default in pass_options(cls)}
        for given in item.parameters:
            spelled = given.replace("_", "-")
            if spelled not in options:
                known = ", ".join(f"{n}: {k}" for n, (k, _) in options.items()) or "none"
                raise TflcError(
                    f"bad pass pipeline '{spec}': pass '{item.name}' has no option '{given}'"
                    + _closest(spelled, options)
                    + f"; its options: {known}"
                )
        try:
            result.append(cls.from_pass_spec(item))
        except (ValueError, TypeError, ArgSpecParseError) as err:
            raise TflcError(f"bad pass pipeline '{spec}': {_option_error(cls, item, options, err)}") from None
    return tuple(result)


def _option_error(
    cls: type[ModulePass], item: Any, options: dict[str, tuple[str, str]], err: BaseException
) -> str:
    """Which option of a pass spec is wrong, spelled as in the spec, and what it expects."""
    for given, value in item.parameters.items():
        try:
            cls.from_pass_spec(type(item)(item.name, {given: value}))
        except (ValueError, TypeError):
            spelled = given.replace("_", "-")
            shown = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
            return f"option '{spelled}' of pass '{item.name}' expects {options[spelled][0]}, got '{shown}'"
    message = str(err)
    for name in options:
        message = message.replace(f'"{name.replace("-", "_")}"', f"'{name}'")
    return f"pass '{item.name}': {message}"


def _closest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
    before_pass: Callable[[str, ModuleOp], None] | None = None,
    after_pass: Callable[[str, ModuleOp, float], None] | None = None,
    source: str | None = None,
) -> None:
    """Apply passes in order (the one pass runner of the tools, the API and the quantizer).

    The module is verified after every pass unless `verify_each` is False; `on_pass(name,
    seconds)` is told of each pass; `print_ir_after_all` prints the IR to `ir_stream`
    (stderr by default); `before_pass(name, module)` and `after_pass(name, module, seconds)`
    see the module around each pass (the converter's TensorFlow-style debug options).
    An error of a pass (or of the verifier after it) names `source`, the user's input."""
    from tflc.ir import module_to_text

    ctx = make_context()
    for p in passes:
        if before_pass is not None:
            before_pass(p.name, module)
        start = time.perf_counter()
        with pass_errors(p.name, source):
            p.apply(ctx, module)
        elapsed = time.perf_counter() - start
        if verify_each:
            with pass_errors(None, source):
                verify_after(module, p.name)
        if after_pass is not None:
            after_pass(p.name, module, elapsed)
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


@contextmanager
def pass_errors(
    pass_name: str | None, source: str | None, kinds: tuple[type[TflcError], ...] = (TflcError,)
) -> Iterator[None]:
    """Errors raised inside a pass (of `kinds`) become one TflcError naming the input file
    (`source`, when the message does not already) and, for xDSL's own diagnostics, the pass."""
    from xdsl.utils.exceptions import DiagnosticException

    try:
        yield
    except kinds as err:
        message = str(err)
        if source and source not in message:
            try:
                named = type(err)(f"{source}: {message}")
            except TypeError:  # a subclass with its own constructor
                named = TflcError(f"{source}: {message}")
            raise named from None
        raise
    except DiagnosticException as err:  # xDSL's verifier or rewriter, raised inside a pass
        from tflc.ir import verify_message

        where = f"{source}: " if source else ""
        stage = f"in pass {pass_name}: " if pass_name else ""
        raise TflcError(f"{where}{stage}{verify_message(err)}") from None


def verify_after(module: ModuleOp, pass_name: str) -> None:
    """Verify the module after a pass; a failure names the pass (the input passed before it)."""
    from tflc.ir import verify_module

    try:
        verify_module(module)
    except TflcError as err:
        raise TflcError(f"after pass {pass_name}: {err}") from None


def run_pipeline(module: ModuleOp, spec: str, **options: Any) -> None:
    """Apply the passes of a spec string to a module."""
    run_passes(module, parse_pipeline(spec), **options)
