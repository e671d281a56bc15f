"""`tflc-translate`: MLIR (tfl dialect) to .tflite and back."""

from __future__ import annotations

import argparse
import sys

from tflc.fileio import write_atomically
from tflc.limits import DEFAULT_MAX_MODEL_BYTES, parse_size
from tflc.tools.common import add_version, read_input, run_tool


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of tflc-translate (no heavy imports)."""
    parser = argparse.ArgumentParser(
        prog="tflc-translate", description="Translate between tfl-dialect MLIR and TFLite FlatBuffers."
    )
    direction = parser.add_mutually_exclusive_group(required=True)
    direction.add_argument("--mlir-to-tflite", action="store_true", help="MLIR text -> .tflite")
    direction.add_argument("--tflite-to-mlir", action="store_true", help=".tflite -> MLIR text")
    parser.add_argument("input_file", nargs="?", help="input file (default: stdin)")
    parser.add_argument("-o", "--output-file", help="output file (default: stdout for MLIR)")
    parser.add_argument("--print-debuginfo", "--mlir-print-debuginfo", action="store_true",
                        help="print op locations (tensor names) when writing MLIR")
    parser.add_argument("--mlir-elide-elementsattrs-if-larger", type=int, metavar="N",
                        help="elide constants with more than N elements when writing MLIR")
    parser.add_argument("--select-tf-ops", action="store_true",
                        help="--mlir-to-tflite: export tf ops left in the module as Flex ops")
    parser.add_argument("--allow-custom-ops", action="store_true",
                        help="--mlir-to-tflite: export tf ops left in the module as CUSTOM ops named like the TF op")
    parser.add_argument("--max-model-bytes", type=parse_size, default=DEFAULT_MAX_MODEL_BYTES, metavar="N",
                        help="--mlir-to-tflite: refuse models with more constant data (default 2G, FlatBuffers' "
                        "limit; above it buffers go after the FlatBuffer)")
    parser.add_argument("--allow-unregistered-dialect", action="store_true",
                        help="parse ops of dialects tflc does not know (they cannot be exported)")
    add_version(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of tflc-translate."""
    args = build_parser().parse_args(argv)
    return run_tool("tflc-translate", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    from tflc.errors import TflcError

    data, source = read_input(args.input_file)
    if args.mlir_to_tflite:
        from tflc.backend.export import write_model
        from tflc.ir import parse_module, verify_module

        if not args.output_file:
            raise TflcError("--mlir-to-tflite needs -o OUT.tflite (a FlatBuffer is binary)")
        module = parse_module(data, source, allow_unregistered=args.allow_unregistered_dialect)
        verify_module(module)
        if _has_stablehlo(module):  # a StableHLO file (e.g. jax's lowered text): convert it fully
            from tflc.converter import Converter, OpsSet

            converter = Converter.from_module(module)
            if args.select_tf_ops:
                converter.target_spec.supported_ops = {OpsSet.TFLITE_BUILTINS, OpsSet.SELECT_TF_OPS}
            converter.allow_custom_ops = args.allow_custom_ops
            converter.max_model_bytes = args.max_model_bytes
            write_atomically(args.output_file, [converter.convert()])
            return 0
        write_model(  # streamed into the file: no second copy of a large model in memory
            module,
            args.output_file,
            select_tf_ops=args.select_tf_ops,
            allow_custom_ops=args.allow_custom_ops,
            max_model_bytes=args.max_model_bytes,
        )
        return 0
    from tflc.backend.importer import import_model
    from tflc.ir import module_to_text, verify_module

    module = import_model(data, source)
    verify_module(module)
    text = module_to_text(
        module,
        debuginfo=args.print_debuginfo,
        elide_elements_larger=args.mlir_elide_elementsattrs_if_larger,
    )
    if args.output_file:
        write_atomically(args.output_file, [text])
    else:
        sys.stdout.write(text)
    return 0


def _has_stablehlo(module) -> bool:
    """Whether the module holds stablehlo ops (which need legalize-stablehlo before export)."""
    from tflc.dialects.stablehlo import StableHLOOp

    return any(isinstance(op, StableHLOOp) for op in module.walk())


if __name__ == "__main__":
    sys.exit(main())
