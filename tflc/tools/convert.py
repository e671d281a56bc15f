"""`tflc-convert`: convert a SavedModel to a .tflite file, one line per stage and a summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tflc.tools.common import run_tool


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of tflc-convert (no heavy imports)."""
    parser = argparse.ArgumentParser(
        prog="tflc-convert",
        description="Convert a TensorFlow SavedModel to TensorFlow Lite, keeping every signature.",
    )
    parser.add_argument("--saved-model-dir", help="the SavedModel directory")
    _add_graph_def_arguments(parser)
    parser.add_argument("--output-file", help="the .tflite file to write")
    parser.add_argument("--signature-keys", help="comma-separated signatures to convert (default: all)")
    parser.add_argument("--tags", help="comma-separated MetaGraph tags (default: serve)")
    parser.add_argument("--select-tf-ops", action="store_true",
                        help="allow TensorFlow ops without a TFLite builtin (Flex)")
    parser.add_argument("--quantize", choices=("float16", "dynamic-range", "int8"),
                        help="post-training quantization (int8 needs --representative-data)")
    parser.add_argument("--representative-data", metavar="FILE.npz",
                        help="calibration inputs: arrays named by signature input, first axis = samples")
    parser.add_argument("--inference-type", choices=("float32", "int8", "uint8"), default="float32",
                        help="input and output type of an int8 model (default float32)")
    parser.add_argument("--emit-mlir", choices=("tf", "tfl"),
                        help="print the module after import (tf) or after the pipeline (tfl)")
    parser.add_argument("--print-ir-after-all", action="store_true", help="print the IR after every pass")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    return parser


def _add_graph_def_arguments(parser: argparse.ArgumentParser) -> None:
    """TF1 frozen GraphDefs, spelled as tflite_convert spells them."""
    group = parser.add_argument_group("TF1 frozen GraphDef (tflite_convert spelling)")
    group.add_argument("--graph_def_file", "--graph-def-file", dest="graph_def_file", metavar="FILE.pb",
                       help="a frozen GraphDef (binary .pb or text .pbtxt) instead of --saved-model-dir")
    group.add_argument("--input_arrays", "--input-arrays", dest="input_arrays", metavar="A,B",
                       help="comma-separated input tensors of the GraphDef")
    group.add_argument("--output_arrays", "--output-arrays", dest="output_arrays", metavar="C,D",
                       help="comma-separated output tensors of the GraphDef")
    group.add_argument("--input_shapes", "--input-shapes", dest="input_shapes", metavar="1,2:3",
                       help="shapes of the input arrays, ':'-separated in their order (e.g. 1,224,224,3:1,10)")


def _graph_def_converter(args: argparse.Namespace):
    """The Converter for --graph_def_file, its arrays and shapes checked."""
    from tflc.converter import Converter
    from tflc.errors import TflcError

    if args.saved_model_dir:
        raise TflcError("give either --saved-model-dir or --graph_def_file, not both")
    inputs, outputs = _split(args.input_arrays), _split(args.output_arrays)
    if not inputs or not outputs:
        raise TflcError("--graph_def_file needs --input_arrays and --output_arrays (comma-separated tensor names)")
    shapes: dict[str, Sequence[int] | None] | None = None
    if args.input_shapes:
        parts = args.input_shapes.split(":")
        if len(parts) != len(inputs):
            raise TflcError(f"--input_shapes gives {len(parts)} shape(s) for {len(inputs)} input array(s)")
        try:
            shapes = {name: [int(d) for d in part.split(",") if d] for name, part in zip(inputs, parts)}
        except ValueError:
            raise TflcError(f"--input_shapes '{args.input_shapes}' is not comma-separated integers per input") from None
    return Converter.from_frozen_graph(args.graph_def_file, inputs, outputs, shapes)


def main(argv: list[str] | None = None) -> int:
    """Entry point of tflc-convert."""
    args = build_parser().parse_args(argv)
    return run_tool("tflc-convert", lambda: _run(args))


def _split(value: str | None) -> list[str] | None:
    return [v for v in value.split(",") if v] if value else None


def _run(args: argparse.Namespace) -> int:
    from tflc.converter import Converter, OpsSet
    from tflc.errors import TflcError
    from tflc.ir import module_to_text

    if not args.output_file and not args.emit_mlir:
        raise TflcError("give --output-file OUT.tflite (or --emit-mlir tf|tfl to print the IR)")
    if args.graph_def_file:
        converter = _graph_def_converter(args)
    elif args.saved_model_dir:
        converter = Converter.from_saved_model(args.saved_model_dir, _split(args.signature_keys), _split(args.tags))
    else:
        raise TflcError("give --saved-model-dir DIR (or --graph_def_file FILE.pb with --input_arrays/--output_arrays)")
    if args.select_tf_ops:
        converter.target_spec.supported_ops = {OpsSet.TFLITE_BUILTINS, OpsSet.SELECT_TF_OPS}
    converter.print_ir_after_all = args.print_ir_after_all
    if args.quantize or args.representative_data:
        from tflc.quantization import configure_from_cli

        configure_from_cli(converter, args.quantize, args.representative_data, args.inference_type)
    if not args.quiet:
        converter.on_stage = lambda name, seconds: print(f"[{name}] {seconds * 1000:.1f} ms")
    module = converter.import_module()
    if args.emit_mlir == "tf":
        sys.stdout.write(module_to_text(module))
        if not args.output_file:
            return 0
    if args.output_file:
        converter.convert_module_to_file(module, args.output_file)
    else:
        converter.convert_module(module)
    if args.emit_mlir == "tfl":
        sys.stdout.write(module_to_text(module))
    if not args.quiet:
        print(converter.report.summary())
        if args.output_file:
            print(f"wrote {args.output_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
