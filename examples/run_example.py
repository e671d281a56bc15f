"""Load a converted model in ai-edge-litert, print its signatures and run `add`."""

from __future__ import annotations

import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def main(path: str) -> None:
    """Print the signature list of `path` and run its `add` signature on two inputs."""
    interpreter = Interpreter(model_path=path)
    print("signatures:", interpreter.get_signature_list())
    x = np.array([[1.0, 2.0, 3.0, 4.0]], np.float32)
    y = np.array([[10.0, 20.0, 30.0, 40.0]], np.float32)
    result = interpreter.get_signature_runner("add")(input1=x, input2=y)
    print("add(input1, input2) =", result["result"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "addsub.tflite")
