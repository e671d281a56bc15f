"""`tflc-convert`: convert a SavedModel to a .tflite file, one line per stage and a summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tflc.limits import DEFAULT_MAX_MODEL_BYTES, parse_size
from tflc.tools.common import add_version, run_tool


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of tflc-convert (no heavy imports)."""
    parser = argparse.ArgumentParser(
        prog="tflc-convert",
        description="Convert a TensorFlow SavedModel (or Keras model file) to TensorFlow Lite, keeping "
        "every signature. tflite_convert's spellings (--saved_model_dir, --output_file, ...) work too.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--saved-model-dir", "--saved_model_dir", dest="saved_model_dir", metavar="DIR",
                        help="the SavedModel directory")
    source.add_argument("--keras-model-file", "--keras_model_file", dest="keras_model_file", metavar="FILE",
                        help="a Keras model file (.keras or .h5; needs TensorFlow/Keras installed)")
    _add_graph_def_arguments(parser)
    parser.add_argument("--output-file", "--output_file", dest="output_file", metavar="FILE.tflite",
                        help="the .tflite file to write")
    parser.add_argument("--signature-keys", "--saved_model_signature_key", dest="signature_keys", metavar="KEYS",
                        help="comma-separated signatures to convert (default: all)")
    parser.add_argument("--tags", "--saved_model_tag_set", dest="tags", metavar="TAGS",
                        help="comma-separated MetaGraph tags (default: serve)")
    parser.add_argument("--select-tf-ops", action="store_true",
                        help="allow TensorFlow ops without a TFLite builtin (Flex)")
    parser.add_argument("--allow-custom-ops", "--allow_custom_ops", dest="allow_custom_ops", action="store_true",
                        help="export TensorFlow ops without a TFLite builtin as CUSTOM ops named like the TF op")
    parser.add_argument("--target-ops", "--target_ops", dest="target_ops", metavar="OPS",
                        help="comma-separated OpsSet names, as tflite_convert: TFLITE_BUILTINS,SELECT_TF_OPS")
    parser.add_argument("--max-model-bytes", type=parse_size, default=DEFAULT_MAX_MODEL_BYTES, metavar="N",
                        help="refuse models with more constant data (default 2G, FlatBuffers' limit; above it "
                        "buffers go after the FlatBuffer; converter.max_model_bytes)")
    parser.add_argument("--exclude-conversion-metadata", action="store_true",
                        help="do not write the CONVERSION_METADATA entry")
    parser.add_argument("--unfold-batchmatmul", action="store_true",
                        help="unfold batch_matmul into fully_connected ops (converter.unfold_batchmatmul)")
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
    add_version(parser)
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


def _keras_converter(path: str):
    """A converter for a Keras model file (loads Keras, hence TensorFlow, on this path only)."""
    import os

    from tflc.converter import Converter
    from tflc.errors import TflcError

    if not os.path.exists(path):
        raise TflcError(f"{path}: no such file")
    if not path.endswith((".keras", ".h5", ".hdf5")):
        raise TflcError(
            f"{path}: --keras-model-file takes a .keras or .h5 file (for a SavedModel use --saved-model-dir)"
        )
    try:
        import keras
    except ImportError:
        raise TflcError(
            f"{path}: reading Keras model files needs Keras and TensorFlow: pip install 'tflc[tensorflow]'"
        ) from None
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as err:  # Keras raises many types for unreadable files
        raise TflcError(f"{path}: Keras cannot load this model: {str(err).splitlines()[0]}") from None
    return Converter.from_keras_model(model)


def _run(args: argparse.Namespace) -> int:
    from tflc.converter import Converter, OpsSet
    from tflc.errors import TflcError
    from tflc.ir import module_to_text

    from tflc.fileio import register_input

    if not args.output_file and not args.emit_mlir:
        raise TflcError("give --output-file OUT.tflite (or --emit-mlir tf|tfl to print the IR)")
    for path in (args.saved_model_dir, args.graph_def_file, args.representative_data):
        if path:
            register_input(path)
    if args.graph_def_file:
        if args.keras_model_file:
            raise TflcError("give one of --saved-model-dir, --keras-model-file and --graph_def_file")
        converter = _graph_def_converter(args)
    elif args.keras_model_file:
        converter = _keras_converter(args.keras_model_file)
    elif args.saved_model_dir:
        converter = Converter.from_saved_model(args.saved_model_dir, _split(args.signature_keys), _split(args.tags))
    else:
        raise TflcError(
            "give --saved-model-dir DIR (or --keras-model-file FILE, or --graph_def_file FILE.pb with "
            "--input_arrays/--output_arrays)"
        )
    if args.select_tf_ops:
        converter.target_spec.supported_ops = {OpsSet.TFLITE_BUILTINS, OpsSet.SELECT_TF_OPS}
    if args.target_ops:
        converter.target_spec.supported_ops = _split(args.target_ops)
    converter.allow_custom_ops = args.allow_custom_ops
    converter.max_model_bytes = args.max_model_bytes
    converter.exclude_conversion_metadata = args.exclude_conversion_metadata
    converter.unfold_batchmatmul = args.unfold_batchmatmul
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
