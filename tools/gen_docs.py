"""Generate the parts of the documentation that are derived from the code.

- docs/supported-ops.md: which TF ops legalize-tf lowers, and to which TFLite builtins;
- the table of TensorFlow converter options and the default pipeline in docs/converting.md
  (from tflc.compat and tflc.converter);
- the option lists of docs/cli.md (from each tool's argparse parser).

The supported-ops table is derived from the legalization registry: every pattern of
`legalize_tf.LEGALIZE_PATTERNS` names the tf ops it matches (`TFRewrite.OPS`, or the op
class in its `match_and_rewrite` signature); the builtins are taken from the pattern
module's op tables (tf op -> tfl op class) when it has one for the op, else from the tfl
op classes the pattern's code (and the module functions it calls) creates. Control flow
comes from legalize_control_flow's op lists.

    python tools/gen_docs.py            # rewrite the generated parts
    python tools/gen_docs.py --check    # exit 1 if any is out of date
"""

from __future__ import annotations

import argparse
import inspect
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

DOCS = Path(__file__).resolve().parents[1] / "docs"
TOOL_MODULES = {
    "tflc-convert": "tflc.tools.convert",
    "tflc-opt": "tflc.tools.opt",
    "tflc-translate": "tflc.tools.translate",
}
OUTPUT = DOCS / "supported-ops.md"


def _tf_name(op: Any) -> str:
    return op if isinstance(op, str) else op.name


def _is_tfl_class(value: Any) -> bool:
    from tflc.dialects import tfl

    return isinstance(value, type) and issubclass(value, tfl.TFLOp) and value.name.startswith("tfl.")


def _matched_ops(pattern: type) -> list[str]:
    """The tf op names a pattern rewrites."""
    from tflc.passes.legalize_util import TFRewrite

    if issubclass(pattern, TFRewrite):
        return [_tf_name(o) for o in pattern.OPS]
    expected = inspect.getclosurevars(pattern.match_and_rewrite).nonlocals.get("expected_type")
    if expected is None:
        return []
    return [name for t in (get_args(expected) or (expected,)) for name in _concrete_names(t)]


def _concrete_names(cls: type) -> list[str]:
    """The op names of a class and, for a family base class (tf.ReductionOp), its subclasses."""
    name = getattr(cls, "name", None)
    if isinstance(name, str):
        return [name]
    return [n for sub in cls.__subclasses__() for n in _concrete_names(sub)]


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _created_tfl_classes(pattern: type) -> set[type]:
    """tfl op classes named in the pattern's methods and the module functions they call."""
    from tflc.dialects import tfl

    module = sys.modules[pattern.__module__]
    seen: set[Any] = set()
    found: set[type] = set()
    todo: list[Any] = [f for f in vars(pattern).values() if inspect.isfunction(f)]
    while todo:
        fn = inspect.unwrap(todo.pop())
        fn = inspect.getclosurevars(fn).nonlocals.get("func", fn) if fn.__name__ == "impl" else fn
        if fn in seen or not hasattr(fn, "__code__"):
            continue
        seen.add(fn)
        for code in _code_objects(fn.__code__):
            for name in code.co_names:
                value = getattr(tfl, name, None)
                if _is_tfl_class(value):
                    found.add(value)
                helper = getattr(module, name, None)
                if inspect.isfunction(helper) and helper.__module__ == module.__name__:
                    todo.append(helper)
    return found


def _referenced_names(pattern: type) -> set[str]:
    """Global names the pattern's methods use."""
    names: set[str] = set()
    for fn in vars(pattern).values():
        if inspect.isfunction(fn):
            fn = inspect.getclosurevars(fn).nonlocals.get("func", fn) if fn.__name__ == "impl" else fn
            for code in _code_objects(fn.__code__):
                names.update(code.co_names)
    return names


def _tables(pattern: type) -> dict[str, set[type]]:
    """The tables the pattern reads (module dicts tf op name or class -> tfl op class(es))."""
    module = sys.modules[pattern.__module__]
    out: dict[str, set[type]] = {}
    for name in _referenced_names(pattern) | {n for n in vars(module) if n.isupper()}:
        value = getattr(module, name, None)
        if not isinstance(value, dict):
            continue
        for key, target in value.items():
            if not (isinstance(key, str) and key.startswith("tf.") or isinstance(key, type) and
                    getattr(key, "name", "").startswith("tf.")):
                continue
            targets = target if isinstance(target, tuple) else (target,)
            classes = {t for t in targets if _is_tfl_class(t)}
            if classes:
                out.setdefault(_tf_name(key), set()).update(classes)
    return out


def _table_names(pattern: type, op: str) -> list[str]:
    """The module tables (by global name) that have `op` as a key."""
    module = sys.modules[pattern.__module__]
    return [
        name for name, value in vars(module).items()
        if isinstance(value, dict) and any(_tf_name(k) == op for k in value if isinstance(k, str | type))
    ]


def supported_ops() -> dict[str, set[str]]:
    """tf op name -> the TFLite builtins its lowering may emit."""
    from tflc.dialects import tfl
    from tflc.passes import legalize_control_flow as control_flow
    from tflc.passes.legalize_tf import LEGALIZE_PATTERNS

    result: dict[str, set[str]] = {}
    skip = {"tfl.pseudo_const", "tfl.pseudo_qconst", "tfl.no_value"}
    for pattern in LEGALIZE_PATTERNS:
        tables = _tables(pattern)
        created = {c for c in _created_tfl_classes(pattern) if c.name not in skip}
        matched = _matched_ops(pattern) or [
            op for op in tables if any(n in _referenced_names(pattern) for n in _table_names(pattern, op))
        ]
        for op in matched:
            classes = tables.get(op) or created
            result.setdefault(op, set()).update(tfl.builtin_code(c.name) for c in classes if c.name not in skip)
    for op in getattr(control_flow, "WHILE_OPS", ()):
        result.setdefault(op, set()).add("WHILE")
    for op in getattr(control_flow, "IF_OPS", ()):
        result.setdefault(op, set()).add("IF")
    for op in ("tf.Case", "tf.StatelessCase"):
        result.setdefault(op, set()).add("IF")
    from tflc.passes.lookup_tables import LOWERINGS  # legalize-hashtables

    for op, classes in LOWERINGS.items():
        result.setdefault(op, set()).update(c.builtin_name() for c in classes)
    return result


def render() -> str:
    """The supported-ops page."""
    ops = supported_ops()
    lines = [
        "# Supported TensorFlow ops",
        "",
        "<!-- Generated by tools/gen_docs.py from the legalize-tf registry; do not edit. -->",
        "",
        f"`legalize-tf` lowers these {len(ops)} TensorFlow ops (the lookup-table ops: `legalize-hashtables`).",
        "The second column lists the TFLite",
        "builtins the op's lowering may emit (some lowerings pick one of them by the op's attributes,",
        "or decompose the op into several). An empty column means the op is folded away or forwarded",
        "(identities, gradients stops, static shape queries). Any other op is reported by",
        "`tflc-convert` (grouped, with the location of its first use), kept for TensorFlow's Flex",
        "delegate with `--select-tf-ops`, or exported as a CUSTOM op with `--allow-custom-ops`",
        "(see [Converting](converting.md)).",
        "",
        "| TensorFlow op | TFLite builtins the lowering may emit |",
        "|---|---|",
    ]
    for op in sorted(ops, key=str.lower):
        builtins = ", ".join(f"`{b}`" for b in sorted(ops[op]))
        lines.append(f"| `{op.removeprefix('tf.')}` | {builtins} |")
    return "\n".join(lines) + "\n"


def tf_options_table() -> str:
    """The Markdown table of TensorFlow's converter options and what tflc does with each."""
    from tflc.compat import TF_OPTIONS, TF_TARGET_SPEC_OPTIONS

    status = {
        "supported": "works as in TensorFlow",
        "no-effect": "accepted; nothing to do in tflc",
        "default-only": "only TensorFlow's default; other values raise `UnsupportedOptionError`",
    }
    lines = ["| option | TensorFlow's default | in tflc |", "|---|---|---|"]
    for owner, options in (("converter", TF_OPTIONS), ("converter.target_spec", TF_TARGET_SPEC_OPTIONS)):
        for name, opt in options.items():
            default = f"`{opt.shown}`" if opt.shown else "`set()`" if opt.default == set() else f"`{opt.default!r}`"
            note = f" ({opt.note})" if opt.note else ""
            lines.append(f"| `{owner}.{name}` | {default} | {status[opt.status]}{note} |")
    return "\n".join(lines) + "\n"


def cli_reference(tool: str) -> str:
    """The option list of one tool, from its parser."""
    import importlib

    module = importlib.import_module(TOOL_MODULES[tool])
    parser = module.build_parser()
    lines = ["| option | meaning |", "|---|---|"]
    for action in parser._actions:  # argparse has no public API for this listing
        if action.help == "==SUPPRESS==":
            continue
        names = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.dest}`"
        if action.choices and not action.option_strings == ["-h", "--help"]:
            names += " {" + ",".join(str(c) for c in action.choices) + "}"
        elif action.metavar:
            names += f" `{action.metavar}`"
        help_text = (action.help or "").replace("|", "\\|").replace("%(prog)s", tool)
        if action.option_strings == ["--version"]:
            help_text = "print the tool's, tflc's and xDSL's versions"
        lines.append(f"| {names} | {help_text} |")
    return "\n".join(lines) + "\n"


def default_pipeline_list() -> str:
    """The default pipeline's passes with their one-line descriptions."""
    from tflc.converter import default_pipeline
    from tflc.passes import pass_summary

    return "".join(f"1. `{p.name}`: {pass_summary(type(p))}\n" for p in default_pipeline())


def _replace_block(text: str, marker: str, body: str) -> str:
    begin, end = f"<!-- BEGIN GENERATED {marker} -->", f"<!-- END GENERATED {marker} -->"
    if begin not in text or end not in text:
        raise SystemExit(f"missing {begin} ... {end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def outputs() -> dict[Path, str]:
    """Every generated file with its new content."""
    converting = DOCS / "converting.md"
    cli = DOCS / "cli.md"
    cli_text = cli.read_text()
    for tool in ("tflc-convert", "tflc-opt", "tflc-translate"):
        cli_text = _replace_block(cli_text, tool, cli_reference(tool))
    return {
        OUTPUT: render(),
        converting: _replace_block(
            _replace_block(converting.read_text(), "tf-options", tf_options_table()),
            "default-pipeline", default_pipeline_list(),
        ),
        cli: cli_text,
    }


def main(argv: list[str] | None = None) -> int:
    """Write the generated documentation, or check it (--check)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated part is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        if not path.exists() or path.read_text() != text:
            stale.append(path)
            if not args.check:
                path.write_text(text)
                print(f"wrote {path}")
    if args.check and stale:
        print(f"out of date: {', '.join(map(str, stale))}: run python tools/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
