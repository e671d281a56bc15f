"""`tflc-opt`: run a pass pipeline on an MLIR file (xdsl-opt / mlir-opt conventions)."""

from __future__ import annotations

import argparse
import sys

from tflc.fileio import write_atomically
from tflc.tools.common import add_version, read_input, run_tool


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of tflc-opt (no heavy imports)."""
    parser = argparse.ArgumentParser(
        prog="tflc-opt",
        description="Run tflc passes on MLIR text (tf, tfl and tf_saved_model dialects).",
    )
    parser.add_argument("input_file", nargs="?", help="MLIR file (default: stdin)")
    parser.add_argument("-p", "--passes", default="", help="comma-separated pass pipeline, "
                        "e.g. legalize-tf,canonicalize or 'legalize-tf{allow-unsupported=true}'")
    parser.add_argument("-o", "--output-file", help="write the result here (default: stdout)")
    parser.add_argument("--split-input-file", action="store_true",
                        help="process each chunk separated by '// -----' on its own")
    parser.add_argument("--verify-diagnostics", action="store_true",
                        help="print parse and verification errors to stdout and exit 0")
    parser.add_argument("--print-ir-after-all", "--print-between-passes", action="store_true",
                        dest="print_ir_after_all", help="print the IR after every pass (stderr)")
    parser.add_argument("--time-passes", action="store_true", help="print each pass's time (stderr)")
    parser.add_argument("--print-op-generic", "--mlir-print-op-generic", action="store_true",
                        help="print every op in the generic form")
    parser.add_argument("--print-debuginfo", "--mlir-print-debuginfo", action="store_true",
                        help="print op locations")
    parser.add_argument("--mlir-elide-elementsattrs-if-larger", type=int, metavar="N",
                        help="elide constants with more than N elements")
    parser.add_argument("--list-passes", action="store_true",
                        help="list the available passes with their descriptions and options")
    parser.add_argument("--allow-unregistered-dialect", action="store_true",
                        help="parse ops, attributes and types of dialects tflc does not know")
    parser.add_argument("--load-pass-plugin", "--load-dialect-plugin", action="append", default=[], metavar="MODULE",
                        help="import a Python module (name or .py file) and register the passes and "
                        "dialects it defines (repeatable); installed packages with a 'tflc.passes' or "
                        "'xdsl.universe' entry point are found without it")
    parser.add_argument("--view-op-graph", action="store_true",
                        help="write the op graph as Graphviz DOT to stderr after the passes (as mlir-opt)")
    parser.add_argument("--op-graph-file", metavar="FILE.dot",
                        help="write the op graph as Graphviz DOT to FILE.dot instead")
    parser.add_argument("--op-graph-function", metavar="NAME", help="draw only the function @NAME")
    add_version(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of tflc-opt."""
    args = build_parser().parse_args(argv)
    return run_tool("tflc-opt", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    from xdsl.utils.exceptions import DiagnosticException, ParseError

    from tflc.errors import TflcError
    from tflc.plugins import load_plugin

    for plugin in args.load_pass_plugin:
        load_plugin(plugin)
    if args.list_passes:
        from tflc.passes import describe_passes

        print(describe_passes())
        return 0
    from tflc.pipeline import parse_pipeline

    passes = parse_pipeline(args.passes)
    text, source = read_input(args.input_file)
    chunks = text.split(b"// -----") if args.split_input_file else [text]
    outputs: list[str] = []
    line = 0
    for chunk in chunks:
        try:
            outputs.append(_process(chunk, source, line, passes, args))
        except (ParseError, DiagnosticException, TflcError) as err:
            if not args.verify_diagnostics:
                raise
            outputs.append(str(err).rstrip() + "\n")
        line += chunk.count(b"\n")
    result = "// -----\n".join(outputs)
    if args.output_file:
        write_atomically(args.output_file, [result])
    else:
        sys.stdout.write(result)
    return 0


def _process(
    chunk: bytes, source: str, line_offset: int, passes: tuple, args: argparse.Namespace
) -> str:
    from tflc.ir import module_to_text, parse_module, verify_module
    from tflc.pipeline import run_passes

    module = parse_module(b"\n" * line_offset + chunk, source, allow_unregistered=args.allow_unregistered_dialect)
    verify_module(module)
    run_passes(
        module,
        passes,
        print_ir_after_all=args.print_ir_after_all,
        time_passes=args.time_passes,
        source=source,
    )
    if args.view_op_graph or args.op_graph_file:
        from tflc.graph import op_graph_dot

        dot = op_graph_dot(module, args.op_graph_function)
        if args.op_graph_file:
            write_atomically(args.op_graph_file, [dot])
        else:
            sys.stderr.write(dot)
    return module_to_text(
        module,
        generic=args.print_op_generic,
        debuginfo=args.print_debuginfo,
        elide_elements_larger=args.mlir_elide_elementsattrs_if_larger,
    )


if __name__ == "__main__":
    sys.exit(main())
