"""The random, quantize-dequantize, segment-sum, matrix-set-diag and any-rank-result
lowerings, run in ai-edge-litert: draws checked statistically and against TensorFlow's
own draws for the same seeds, the rest against numpy (and TensorFlow where its op
computes the same)."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter
from helpers import mlir_to_tflite, run_signature

RNG = np.random.default_rng(314)
SHAPE = (400, 250)  # 100k draws


def _runner(text: str):
    """The serving_default runner of the MLIR text converted by tflc (a fresh interpreter)."""
    return Interpreter(model_content=mlir_to_tflite(text)).get_signature_runner("serving_default")


def _draws(seed: int, seed2: int) -> str:
    """A model drawing uniform and normal tensors of a run-time shape, and a second uniform
    draw with the same seeds."""
    attrs = f"{{seed = {seed} : i64, seed2 = {seed2} : i64, dtype = f32}}"
    return f"""func.func @main(%s: tensor<2xi32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {{
  %u = "tf.RandomUniform"(%s) {attrs} : (tensor<2xi32>) -> tensor<?x?xf32>
  %n = "tf.RandomStandardNormal"(%s) {attrs} : (tensor<2xi32>) -> tensor<?x?xf32>
  %v = "tf.RandomUniform"(%s) {attrs} : (tensor<2xi32>) -> tensor<?x?xf32>
  func.return %u, %n, %v : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}}"""


@pytest.fixture(scope="module")
def seeded() -> str:
    """The draws model with seeds (5, 9)."""
    return _draws(5, 9)


def _call(runner) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out = runner(arg0=np.array(SHAPE, np.int32))
    return out["output_0"], out["output_1"], out["output_2"]


def test_uniform_and_normal_statistics(seeded: str) -> None:
    """RANDOM_UNIFORM: float32 in [0, 1), mean 1/2, std 1/sqrt(12), flat deciles;
    RANDOM_STANDARD_NORMAL: mean 0, std 1, 68.27 % within one std."""
    uniform, normal, _ = _call(_runner(seeded))
    for x in (uniform, normal):
        assert x.shape == SHAPE and x.dtype == np.float32
    assert uniform.min() >= 0.0 and uniform.max() < 1.0
    assert abs(uniform.mean() - 0.5) < 0.005
    assert abs(uniform.std() - 12**-0.5) < 0.003
    deciles = np.histogram(uniform, bins=10, range=(0.0, 1.0))[0] / uniform.size
    np.testing.assert_allclose(deciles, 0.1, atol=0.005)
    assert abs(normal.mean()) < 0.01
    assert abs(normal.std() - 1.0) < 0.01
    assert abs(np.mean(np.abs(normal) < 1.0) - 0.6827) < 0.005


def test_seeds_repeat_draws(seeded: str) -> None:
    """Same seeds: two ops draw the same tensor, a fresh interpreter repeats its first draws,
    and the next invocation draws anew (the generator's state advances, as TF's stateful op)."""
    runner = _runner(seeded)
    uniform, normal, again = _call(runner)
    np.testing.assert_array_equal(uniform, again)
    next_uniform, next_normal, _ = _call(runner)
    assert not np.array_equal(uniform, next_uniform) and not np.array_equal(normal, next_normal)
    fresh_uniform, fresh_normal, _ = _call(_runner(seeded))
    np.testing.assert_array_equal(fresh_uniform, uniform)
    np.testing.assert_array_equal(fresh_normal, normal)


def test_seed_zero_draws_differ_per_interpreter() -> None:
    """Seeds (0, 0), TF's "no seed": each interpreter draws from its own random seed."""
    text = _draws(0, 0)
    first, second = _call(_runner(text))[0], _call(_runner(text))[0]
    assert not np.array_equal(first, second)


def test_draws_are_tensorflows(seeded: str) -> None:
    """TFLite's kernels run TensorFlow's Philox generator: the same seeds draw TF's exact values."""
    import tensorflow as tf

    uniform, normal, _ = _call(_runner(seeded))
    raw = tf.raw_ops
    np.testing.assert_array_equal(uniform, raw.RandomUniform(shape=SHAPE, dtype=tf.float32, seed=5, seed2=9).numpy())
    np.testing.assert_array_equal(
        normal, raw.RandomStandardNormal(shape=SHAPE, dtype=tf.float32, seed=5, seed2=9).numpy()
    )


@pytest.mark.parametrize("dtype", ["i32", "i64"])
def test_multinomial_frequencies(dtype: str) -> None:
    """MULTINOMIAL: 100k samples per row follow softmax(logits); a -inf logit is never drawn;
    the same seeds give the same samples in a fresh interpreter."""
    text = f"""func.func @main(%l: tensor<2x4xf32>) -> tensor<2x100000x{dtype}> {{
  %n = "tf.Const"() {{value = dense<100000> : tensor<i32>}} : () -> tensor<i32>
  %m = "tf.Multinomial"(%l, %n) {{seed = 3 : i64, seed2 = 4 : i64, output_dtype = {dtype}}}
    : (tensor<2x4xf32>, tensor<i32>) -> tensor<2x100000x{dtype}>
  func.return %m : tensor<2x100000x{dtype}>
}}"""
    probabilities = np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.5, 0.0]])
    with np.errstate(divide="ignore"):
        logits = (np.log(probabilities) + RNG.normal(size=(2, 1))).astype(np.float32)  # shifted: unnormalized
    samples = _runner(text)(arg0=logits)["output_0"]
    assert samples.shape == (2, 100000) and samples.dtype == {"i32": np.int32, "i64": np.int64}[dtype]
    frequencies = np.stack([np.bincount(row, minlength=4) / row.size for row in samples])
    np.testing.assert_allclose(frequencies, probabilities, atol=0.006)  # ~6 standard errors
    assert not np.any(samples[1] == 3)
    np.testing.assert_array_equal(_runner(text)(arg0=logits)["output_0"], samples)


# -- QuantizeAndDequantizeV2/V4 ---------------------------------------------------------


def _fake_quant_reference(x: np.ndarray, low: float, high: float, num_bits: int, narrow: bool) -> np.ndarray:
    """The FakeQuant formula TensorFlow's converter lowers QuantizeAndDequantizeV4 to: [low, high]
    nudged so that 0 is a step, values clamped to it and rounded to the nearest step."""
    quant_min, quant_max = (1 if narrow else 0), 2**num_bits - 1
    scale = (high - low) / (quant_max - quant_min)
    zero_point = np.clip(np.round(quant_min - low / scale), quant_min, quant_max)
    nudged_low, nudged_high = (quant_min - zero_point) * scale, (quant_max - zero_point) * scale
    steps = np.floor((np.clip(x, nudged_low, nudged_high) - nudged_low) / scale + 0.5)
    return (steps * scale + nudged_low).astype(np.float32)


def _qdq(version: str, low: float, high: float, attrs: str) -> str:
    return f"""func.func @main(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {{
  %lo = "tf.Const"() {{value = dense<{low:.6e}> : tensor<f32>}} : () -> tensor<f32>
  %hi = "tf.Const"() {{value = dense<{high:.6e}> : tensor<f32>}} : () -> tensor<f32>
  %r = "tf.QuantizeAndDequantize{version}"(%x, %lo, %hi) {{{attrs}}}
    : (tensor<4x64xf32>, tensor<f32>, tensor<f32>) -> tensor<4x64xf32>
  func.return %r : tensor<4x64xf32>
}}"""


QDQ_CASES = {
    "v4_unit_steps": ("V4", 0.0, 255.0, "", 8, False, 100.0),
    "v4_asymmetric": ("V4", -1.0, 2.0, "num_bits = 8 : i64", 8, False, 1.5),
    "v2_narrow_4_bits": ("V2", -1.0, 1.0, "num_bits = 4 : i64, narrow_range = true", 4, True, 1.5),
}


@pytest.mark.parametrize("case", sorted(QDQ_CASES))
def test_quantize_dequantize_fake_quant_numbers(case: str) -> None:
    """QUANTIZE + DEQUANTIZE compute the FakeQuant formula of the op's min, max, num_bits and
    narrow_range (values outside the range included)."""
    version, low, high, attrs, num_bits, narrow, spread = QDQ_CASES[case]
    x = ((RNG.random((4, 64)) * 2 - 0.5) * spread * 2).astype(np.float32)
    out = run_signature(mlir_to_tflite(_qdq(version, low, high, attrs)), "serving_default", arg0=x)["output_0"]
    ref = _fake_quant_reference(x.astype(np.float64), low, high, num_bits, narrow)
    step = (high - low) / (2**num_bits - 1 - int(narrow))
    np.testing.assert_allclose(out, ref, atol=step * 1e-3)


def test_quantize_dequantize_symmetric_is_tensorflows() -> None:
    """For a symmetric narrow range (QAT's usual form) TensorFlow's own op computes the same."""
    import tensorflow as tf

    x = (RNG.standard_normal((4, 64)) * 2).astype(np.float32)
    attrs = "signed_input = true, num_bits = 8 : i64, range_given = true, narrow_range = true"
    out = run_signature(mlir_to_tflite(_qdq("V4", -3.0, 3.0, attrs)), "serving_default", arg0=x)["output_0"]
    ref = tf.raw_ops.QuantizeAndDequantizeV4(
        input=x, input_min=-3.0, input_max=3.0, signed_input=True, num_bits=8, range_given=True, narrow_range=True
    ).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-6)


# -- SegmentSum, MatrixSetDiag, any-rank results ----------------------------------------------


@pytest.mark.parametrize("ids_dtype", [np.int32, np.int64])
def test_segment_sum(ids_dtype: type) -> None:
    """SEGMENT_SUM of run-time sorted ids (int64 ids through a cast) matches numpy."""
    data = RNG.standard_normal((7, 3)).astype(np.float32)
    ids = np.array([0, 0, 1, 2, 2, 2, 3], ids_dtype)
    ty = "i32" if ids_dtype is np.int32 else "i64"
    text = f"""func.func @main(%d: tensor<7x3xf32>, %i: tensor<7x{ty}>) -> tensor<?x3xf32> {{
  %r = "tf.SegmentSum"(%d, %i) : (tensor<7x3xf32>, tensor<7x{ty}>) -> tensor<?x3xf32>
  func.return %r : tensor<?x3xf32>
}}"""
    out = run_signature(mlir_to_tflite(text), "serving_default", arg0=data, arg1=ids)["output_0"]
    ref = np.stack([data[ids == s].sum(0) for s in range(4)])
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


def test_matrix_set_diag_casts_diagonal() -> None:
    """MATRIX_SET_DIAG of int64 matrices with an int32 diagonal (TF's test's types) and of a float
    batch (MatrixSetDiagV3, k = 0) matches numpy."""
    text = """func.func @main(%x: tensor<3x3xi64>, %d: tensor<3xi32>, %f: tensor<2x3x4xf32>, %g: tensor<2x3xf32>)
    -> (tensor<3x3xi64>, tensor<2x3x4xf32>) {
  %k = "tf.Const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %0 = "tf.MatrixSetDiagV3"(%x, %d, %k) {align = "RIGHT_LEFT"}
    : (tensor<3x3xi64>, tensor<3xi32>, tensor<i32>) -> tensor<3x3xi64>
  %1 = "tf.MatrixSetDiagV3"(%f, %g, %k) : (tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<i32>) -> tensor<2x3x4xf32>
  func.return %0, %1 : tensor<3x3xi64>, tensor<2x3x4xf32>
}"""
    x = RNG.integers(-(2**40), 2**40, (3, 3))
    d = np.array([7, -8, 2**30], np.int32)
    f = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    g = RNG.standard_normal((2, 3)).astype(np.float32)
    out = run_signature(mlir_to_tflite(text), "serving_default", arg0=x, arg1=d, arg2=f, arg3=g)
    ref_int = x.copy()
    np.fill_diagonal(ref_int, d)
    ref_float = f.copy()
    for b in range(2):
        np.fill_diagonal(ref_float[b], g[b])
    np.testing.assert_array_equal(out["output_0"], ref_int)
    np.testing.assert_array_equal(out["output_1"], ref_float)


def test_any_rank_results_compute_nhwc() -> None:
    """Resize and space-to-depth declared with a tensor<?xf32> result (as TF's tests write them)
    give the kernels' 4-D results: the same numbers as with the 4-D result type."""
    x = RNG.standard_normal((1, 4, 6, 2)).astype(np.float32)

    def model(result: str, resize_result: str) -> str:
        return f"""func.func @main(%x: tensor<1x4x6x2xf32>) -> ({resize_result}, {resize_result}, {result}) {{
  %size = "tf.Const"() {{value = dense<[8, 9]> : tensor<2xi32>}} : () -> tensor<2xi32>
  %0 = "tf.ResizeBilinear"(%x, %size) {{half_pixel_centers = true}}
    : (tensor<1x4x6x2xf32>, tensor<2xi32>) -> {resize_result}
  %1 = "tf.ResizeNearestNeighbor"(%x, %size) {{align_corners = true}}
    : (tensor<1x4x6x2xf32>, tensor<2xi32>) -> {resize_result}
  %2 = "tf.SpaceToDepth"(%x) {{block_size = 2 : i64, data_format = "NHWC"}} : (tensor<1x4x6x2xf32>) -> {result}
  func.return %0, %1, %2 : {resize_result}, {resize_result}, {result}
}}"""

    loose = run_signature(mlir_to_tflite(model("tensor<?xf32>", "tensor<?xf32>")), "serving_default", arg0=x)
    exact = run_signature(
        mlir_to_tflite(model("tensor<1x2x3x8xf32>", "tensor<1x8x9x2xf32>")), "serving_default", arg0=x
    )
    assert sorted(loose) == sorted(exact)
    np.testing.assert_allclose(loose["output_0"], exact["output_0"], atol=1e-5)  # the kernels' own rounding
    for key in ("output_1", "output_2"):
        np.testing.assert_array_equal(loose[key], exact[key])
    space_to_depth = x.reshape(1, 2, 2, 3, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(1, 2, 3, 8)
    np.testing.assert_array_equal(loose["output_2"], space_to_depth)
