"""Complex tensors and real FFTs, numerically: tf.RFFT2D / tf.RFFT / tf.ComplexAbs / tf.Real /
tf.Imag lowered by tflc and run in ai-edge-litert against numpy, complex64 and complex128
tensors as inputs, outputs and constants, and spectrograms converted from a tf.function."""

from __future__ import annotations

import os

import numpy as np
import pytest
from helpers import mlir_to_tflite, run_signature

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(3)
TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}


def _signal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def _complex(dtype: type, *shape: int) -> np.ndarray:
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def _ty(shape: tuple[int, ...] | list[int], element: str) -> str:
    return "tensor<" + "".join("?x" if d < 0 else f"{d}x" for d in shape) + element + ">"


def _run_tf_op(op: str, x: np.ndarray, lengths: list[int] | None, out: str, arg_type: str | None = None) -> np.ndarray:
    """One tf op on `x` (and constant fft lengths), converted by tflc and run in ai-edge-litert."""
    element = {np.float32: "f32", np.complex64: "complex<f32>", np.complex128: "complex<f64>"}[x.dtype.type]
    arg = arg_type or _ty(x.shape, element)
    body, operands, types = "", "%x", arg
    if lengths is not None:
        n = _ty([len(lengths)], "i32")
        body = f'  %n = "tf.Const"() {{value = dense<{lengths}> : {n}}} : () -> {n}\n'
        operands, types = "%x, %n", f"{arg}, {n}"
    text = (
        f"func.func @main(%x: {arg}) -> {out} {{\n{body}"
        f'  %r = "tf.{op}"({operands}) : ({types}) -> {out}\n  func.return %r : {out}\n}}'
    )
    return run_signature(mlir_to_tflite(text), "serving_default", arg0=x)["output_0"]


@pytest.mark.parametrize(
    ("shape", "lengths"),
    [((3, 8, 16), [8, 16]), ((2, 6, 10), [8, 4]), ((4, 32), [4, 64])],
    ids=["exact", "pad_and_crop", "rank2"],
)
def test_rfft2d(shape: tuple[int, ...], lengths: list[int]) -> None:
    """tf.RFFT2D matches numpy's rfft2, the inner dims cropped or zero-padded to the lengths."""
    x = _signal(*shape)
    ref = np.fft.rfft2(x, s=lengths, axes=(-2, -1))
    out = _run_tf_op("RFFT2D", x, lengths, _ty(ref.shape, "complex<f32>"))
    assert out.dtype == np.complex64 and out.shape == ref.shape
    np.testing.assert_allclose(out, ref, **TOLERANCE)


@pytest.mark.parametrize(("shape", "length"), [((2, 5, 16), 16), ((3, 12), 16), ((7,), 8)], ids=str)
def test_rfft(shape: tuple[int, ...], length: int) -> None:
    """tf.RFFT (through a one-row RFFT2D) matches numpy's rfft."""
    x = _signal(*shape)
    ref = np.fft.rfft(x, n=length)
    out = _run_tf_op("RFFT", x, [length], _ty(ref.shape, "complex<f32>"))
    np.testing.assert_allclose(out, ref, **TOLERANCE)


def test_rfft_dynamic_batch() -> None:
    """A dynamic batch: the unit row comes from expand_dims and goes with squeeze."""
    x = _signal(3, 16)
    out = _run_tf_op("RFFT", x, [16], _ty([-1, 9], "complex<f32>"), arg_type=_ty([-1, 16], "f32"))
    np.testing.assert_allclose(out, np.fft.rfft(x), **TOLERANCE)


def test_computed_lengths() -> None:
    """FFT lengths fed at run time (the kernel sizes its output then): RFFT2D takes them as
    they are, RFFT after a 1 is concatenated to them."""
    x = _signal(3, 8, 16)
    spectrum, frames = _ty([3, -1, -1], "complex<f32>"), _ty([3, 8, -1], "complex<f32>")
    args = "%x: tensor<3x8x16xf32>, %n: tensor<2xi32>, %m: tensor<1xi32>"
    text = f"""func.func @main({args}) -> ({spectrum}, {frames}) {{
  %0 = "tf.RFFT2D"(%x, %n) : (tensor<3x8x16xf32>, tensor<2xi32>) -> {spectrum}
  %1 = "tf.RFFT"(%x, %m) : (tensor<3x8x16xf32>, tensor<1xi32>) -> {frames}
  func.return %0, %1 : {spectrum}, {frames}
}}"""
    lengths = {"arg1": np.array([4, 32], np.int32), "arg2": np.array([8], np.int32)}
    out = run_signature(mlir_to_tflite(text), "serving_default", arg0=x, **lengths)
    np.testing.assert_allclose(out["output_0"], np.fft.rfft2(x, s=(4, 32)), **TOLERANCE)
    np.testing.assert_allclose(out["output_1"], np.fft.rfft(x, n=8), **TOLERANCE)


PARTS = {"ComplexAbs": np.abs, "Real": np.real, "Imag": np.imag}


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=["complex64", "complex128"])
@pytest.mark.parametrize("op", sorted(PARTS))
def test_complex_parts(op: str, dtype: type) -> None:
    """ComplexAbs, Real and Imag of complex64 (float32 results) and complex128 (float64) inputs."""
    z = _complex(dtype, 2, 3, 4)
    ref = PARTS[op](z)
    out = _run_tf_op(op, z, None, _ty(z.shape, "f32" if dtype == np.complex64 else "f64"))
    assert out.dtype == ref.dtype
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


def test_complex_constants_inputs_and_outputs() -> None:
    """A complex64 input times a complex64 constant (MUL takes complex64), returned as is and
    through real/imag: the constant's bytes, the input and the output keep their values."""
    w = _complex(np.complex64, 2, 3)
    z = _complex(np.complex64, 2, 3)
    t, f = _ty((2, 3), "complex<f32>"), _ty((2, 3), "f32")
    values = ", ".join("[" + ", ".join(f"({v.real!r}, {v.imag!r})" for v in row) + "]" for row in w.tolist())
    text = f"""func.func @main(%z: {t}) -> ({t}, {f}, {f}) {{
  %w = "tf.Const"() {{value = dense<[{values}]> : {t}}} : () -> {t}
  %p = "tf.Mul"(%z, %w) : ({t}, {t}) -> {t}
  %re = "tf.Real"(%p) : ({t}) -> {f}
  %im = "tf.Imag"(%p) : ({t}) -> {f}
  func.return %p, %re, %im : {t}, {f}, {f}
}}"""
    out = run_signature(mlir_to_tflite(text), "serving_default", arg0=z)
    product = z * w
    np.testing.assert_allclose(out["output_0"], product, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(out["output_1"], product.real, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(out["output_2"], product.imag, rtol=1e-6, atol=1e-6)


# -- spectrograms from a tf.function ----------------------------------------------------------

FRAME, STEP = 64, 32


def _numpy_stft_magnitude(x: np.ndarray) -> np.ndarray:
    """|STFT| as tf.signal.stft computes it: periodic Hann-windowed frames, one rfft each."""
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / FRAME)
    count = 1 + (x.shape[-1] - FRAME) // STEP
    frames = np.stack([x[..., i * STEP : i * STEP + FRAME] for i in range(count)], axis=-2)
    return np.abs(np.fft.rfft(frames * window, n=FRAME))


@pytest.fixture(scope="module")
def spectrogram_model() -> tuple[bytes, int]:
    """|rfft2d| of a batch of 16x16 patches and |stft| of a batch of signals, converted once by
    tflc; with the op count of TensorFlow's converter for the same function."""
    import tensorflow as tf

    from tflc import Converter

    @tf.function(
        input_signature=[
            tf.TensorSpec([2, 16, 16], tf.float32, name="image"),
            tf.TensorSpec([2, 256], tf.float32, name="audio"),
        ],
        autograph=False,
    )
    def spectra(image, audio):
        return {
            "patch_spectrum": tf.abs(tf.signal.rfft2d(image)),
            "spectrogram": tf.abs(tf.signal.stft(audio, frame_length=FRAME, frame_step=STEP, fft_length=FRAME)),
        }

    concrete = spectra.get_concrete_function()
    tf_ops = len(_tf_lite_ops(tf.lite.TFLiteConverter.from_concrete_functions([concrete], spectra)))
    return Converter.from_concrete_functions([concrete]).convert(), tf_ops


def _tf_lite_ops(converter) -> list[str]:
    """The op names of the model TensorFlow's converter writes."""
    from ai_edge_litert.interpreter import Interpreter

    return [op["op_name"] for op in Interpreter(model_content=converter.convert())._get_ops_details()]


def test_spectrograms_match_numpy(spectrogram_model: tuple[bytes, int]) -> None:
    """abs(rfft2d(x)) and abs(stft(x)) from TF match numpy's FFTs within 1e-4."""
    image, audio = _signal(2, 16, 16), _signal(2, 256)
    out = run_signature(spectrogram_model[0], "serving_default", image=image, audio=audio)
    np.testing.assert_allclose(out["patch_spectrum"], np.abs(np.fft.rfft2(image)), **TOLERANCE)
    np.testing.assert_allclose(out["spectrogram"], _numpy_stft_magnitude(audio), **TOLERANCE)


def test_spectrograms_are_builtins(spectrogram_model: tuple[bytes, int]) -> None:
    """The FFTs are RFFT2D builtins (no Flex, no custom ops) and the magnitudes COMPLEX_ABS."""
    from ai_edge_litert import schema_py_generated as fb

    names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
    ours, tf_ops = spectrogram_model
    model = fb.ModelT.InitFromPackedBuf(ours, 0)
    codes = [model.operatorCodes[o.opcodeIndex] for o in model.subgraphs[0].operators]
    used = [names[max(c.builtinCode, c.deprecatedBuiltinCode)] for c in codes]
    assert used.count("RFFT2D") == 2 and used.count("COMPLEX_ABS") == 2
    assert "CUSTOM" not in used
    assert all(c.version == 1 for c, name in zip(codes, used) if name in ("RFFT2D", "COMPLEX_ABS"))
    # The constant framing and window arithmetic of the stft folds: no more ops than TensorFlow writes.
    assert len(used) <= tf_ops, (used, tf_ops)
