"""Regenerate tflc/frontend/data/tf_op_defs.pb.gz: TensorFlow's op registry as an OpList.

tflc reads SavedModels without TensorFlow; the op definitions (output arguments and
types, attribute defaults) come from this file, generated once with TensorFlow:

    python tools/gen_op_defs.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tflc" / "frontend" / "data" / "tf_op_defs.pb.gz"


def main() -> None:
    """Dump every registered op's OpDef, without documentation, sorted by name."""
    import tensorflow as tf  # noqa: F401  (registers the ops)
    from tensorflow.core.framework import op_def_pb2
    from tensorflow.python.client import pywrap_tf_session

    buffer = pywrap_tf_session.TF_GetAllOpList()
    ops = op_def_pb2.OpList.FromString(pywrap_tf_session.TF_GetBuffer(buffer))
    out = op_def_pb2.OpList()
    for op in sorted(ops.op, key=lambda o: o.name):
        op.ClearField("summary")
        op.ClearField("description")
        for arg in (*op.input_arg, *op.output_arg, *op.attr):
            arg.ClearField("description")
        out.op.append(op)
    OUT.write_bytes(gzip.compress(out.SerializeToString(), compresslevel=9, mtime=0))
    print(f"wrote {OUT} ({len(out.op)} ops)")


if __name__ == "__main__":
    main()
