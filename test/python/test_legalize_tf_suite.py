"""The lowerings TensorFlow's legalize-tf lit tests name (issue 12), numerically: tiny TF
functions saved as one SavedModel (one signature per case), converted once by tflc, run
in ai-edge-litert and compared with TensorFlow eager (or numpy where TF's CPU kernels do
not run the op, as NCHW pooling)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from helpers import check_case_builtins, check_case_outputs

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

RNG = np.random.default_rng(12)


def _normal(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


@dataclass
class Case:
    fn: Callable
    inputs: list[np.ndarray]
    builtins: tuple[str, ...]  # TFLite builtins the lowering must use
    shapes: list[tuple[int | None, ...] | None] | None = None  # signature shapes (None: the inputs')
    reference: Callable | None = None  # computes the expected outputs when TF eager cannot
    rtol: float = 1e-5
    atol: float = 1e-6


def _pool_nchw(kind: str) -> Callable:
    """A TF NCHW pool as a reference: the NHWC pool of the transposed input (TF's CPU
    kernels take NHWC only)."""

    def reference(a: np.ndarray) -> tuple:
        import tensorflow as tf

        pool = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
        out = pool(np.transpose(a, (0, 2, 3, 1)), ksize=(3, 2), strides=(2, 1), padding="VALID")
        return (np.transpose(out.numpy(), (0, 3, 1, 2)),)

    return reference


def _cases() -> dict[str, Case]:
    import tensorflow as tf

    raw = tf.raw_ops
    ints = RNG.integers(-9, 9, (2, 5)).astype(np.int32)
    nonzero = np.where(ints == 0, 3, ints).astype(np.int32)
    boxes = np.array(
        [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101]],
        np.float32,
    )
    scores = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
    nms_args = [boxes, scores, np.array(4, np.int32), np.array(0.5, np.float32), np.array(0.4, np.float32)]
    return {
        # Explicit broadcast_to above each kernel's broadcast rank (static shapes).
        "pow_6d": Case(
            lambda a, b: tf.pow(a, b),
            [np.abs(_normal(1, 2, 1, 4, 1, 3)) + 0.5, _normal(1, 2, 3, 1, 2, 1)],
            ("BROADCAST_TO", "POW"),
        ),
        "maximum_6d": Case(
            lambda a, b: tf.maximum(a, b), [_normal(1, 1, 1, 1, 8, 16), _normal(8, 16)], ("BROADCAST_TO", "MAXIMUM")
        ),
        "less_5d": Case(
            lambda a, b: tf.less(a, b), [_normal(2, 1, 3, 1, 2), _normal(1, 4, 1, 2, 1)], ("BROADCAST_TO", "LESS")
        ),
        "floor_mod_5d": Case(
            lambda a, b: tf.math.floormod(a, b),
            [RNG.integers(-20, 20, (2, 1, 3, 1, 2)).astype(np.int32), np.array([[[[[3], [-4]]]]] * 1, np.int32)],
            ("BROADCAST_TO", "FLOOR_MOD"),
        ),
        "select_v2_6d": Case(
            lambda c, a, b: tf.where(c, a, b),
            [RNG.random((1, 2, 1, 2, 1, 3)) < 0.5, _normal(1, 1, 2, 1, 2, 1), _normal(2, 1, 1, 1, 1, 3)],
            ("BROADCAST_TO", "SELECT_V2"),
        ),
        "add_7d": Case(
            lambda a, b: a + b,
            [
                RNG.integers(-5, 5, (1, 1, 1, 1, 1, 3, 1)).astype(np.int32),
                RNG.integers(-5, 5, (1, 1, 1, 1, 1, 1, 4)).astype(np.int32),
            ],
            ("BROADCAST_TO", "ADD"),
        ),
        # ... and with dynamic shapes: broadcast_args of the shapes.
        "mul_8d_dynamic": Case(
            lambda a, b: a * b,
            [_normal(2, 1, 2, 1, 2, 3, 2, 1), _normal(1, 3, 1, 4)],
            ("BROADCAST_TO", "BROADCAST_ARGS", "SHAPE", "MUL"),
            shapes=[None, (None, 3, 1, 4)],
        ),
        # Math written with several ops.
        "reciprocal_i32": Case(
            lambda a: tf.math.reciprocal(a),
            [nonzero],
            ("DIV",),
            reference=lambda a: (np.fix(1 / a).astype(np.int32),),  # XLA's kernel: truncating division
        ),
        "relu_i32": Case(lambda a: tf.nn.relu(a), [ints], ("MAXIMUM",)),
        "relu_i64": Case(lambda a: tf.nn.relu(a), [ints.astype(np.int64)], ("MAXIMUM",)),
        "sigmoid_grad": Case(
            lambda y, dy: raw.SigmoidGrad(y=y, dy=dy),
            [RNG.random((3, 4)).astype(np.float32), _normal(3, 4)],
            ("MUL", "SUB"),
        ),
        "mul_u32": Case(
            lambda a, b: a * b,
            [RNG.integers(0, 1000, (14,)).astype(np.uint32), RNG.integers(0, 1000, (14,)).astype(np.uint32)],
            ("MUL",),
        ),
        # Search and selection.
        "unique_i32": Case(lambda a: tuple(tf.unique(a)), [np.array([3, 1, 3, 7, 1, 0], np.float32)], ("UNIQUE",)),
        "unique_i64": Case(
            lambda a: tuple(tf.unique(a, out_idx=tf.int64)), [np.array([5, 5, 2, 9, 2], np.int32)], ("UNIQUE",)
        ),
        "bucketize": Case(
            lambda a: raw.Bucketize(input=a, boundaries=[-1.0, 0.0, 0.5, 2.0]), [_normal(3, 4)], ("BUCKETIZE",)
        ),
        "nms_v4_padded": Case(
            lambda b, s, m, i, t: tuple(
                raw.NonMaxSuppressionV4(
                    boxes=b,
                    scores=s,
                    max_output_size=m,
                    iou_threshold=i,
                    score_threshold=t,
                    pad_to_max_output_size=True,
                )
            ),
            nms_args,
            ("NON_MAX_SUPPRESSION_V4",),
        ),
        "nms_v4": Case(
            lambda b, s, m, i, t: tuple(
                raw.NonMaxSuppressionV4(boxes=b, scores=s, max_output_size=m, iou_threshold=i, score_threshold=t)
            ),
            nms_args,
            ("NON_MAX_SUPPRESSION_V4", "SLICE"),
        ),
        "nms_v5": Case(
            lambda b, s, m, i, t, sigma: tuple(
                raw.NonMaxSuppressionV5(
                    boxes=b, scores=s, max_output_size=m, iou_threshold=i, score_threshold=t, soft_nms_sigma=sigma
                )
            ),
            [*nms_args, np.array(0.0, np.float32)],
            ("NON_MAX_SUPPRESSION_V5", "SLICE"),
        ),
        "approx_top_k": Case(
            lambda a: tuple(raw.ApproxTopK(input=a, k=3, reduction_dimension=-1, is_max_k=True)),
            [_normal(2, 7)],
            ("TOPK_V2",),
            reference=lambda a: tuple(t.numpy() for t in tf.math.top_k(a, 3)),
        ),
        # Masks the kernel takes itself when the indices are not constants.
        "strided_slice_ellipsis": Case(
            lambda a, b, e: a[..., b:e],
            [_normal(2, 3, 6), np.array(1, np.int32), np.array(5, np.int32)],
            ("STRIDED_SLICE",),
        ),
        "strided_slice_new_axis": Case(
            lambda a, b: a[b:, tf.newaxis], [_normal(4, 3), np.array(1, np.int32)], ("STRIDED_SLICE",)
        ),
        "unsorted_segment_max_i64_ids": Case(
            lambda a, i: tf.math.unsorted_segment_max(a, i, 4),
            [_normal(6, 3), np.array([0, 3, 1, 0, 3, 1], np.int64)],
            ("UNSORTED_SEGMENT_MAX", "CAST"),
        ),
        "matrix_diag_v2_vectors": Case(
            lambda d: raw.MatrixDiagV2(diagonal=d, k=tf.constant([0]), num_rows=-1, num_cols=-1, padding_value=0.0),
            [_normal(3, 4)],
            ("MATRIX_DIAG",),
        ),
        # Layouts and convolutions.
        "max_pool_nchw": Case(
            lambda a: tf.nn.max_pool2d(a, ksize=(3, 2), strides=(2, 1), padding="VALID", data_format="NCHW"),
            [_normal(1, 3, 7, 5)],
            ("MAX_POOL_2D", "TRANSPOSE"),
            reference=_pool_nchw("max"),
        ),
        "avg_pool_nchw": Case(
            lambda a: tf.nn.avg_pool2d(a, ksize=(3, 2), strides=(2, 1), padding="VALID", data_format="NCHW"),
            [_normal(1, 3, 7, 5)],
            ("AVERAGE_POOL_2D", "TRANSPOSE"),
            reference=_pool_nchw("avg"),
        ),
        "conv3d_transpose": Case(
            lambda a, w: tf.nn.conv3d_transpose(a, w, [1, 5, 6, 7, 3], strides=(1, 2, 2, 2, 1), padding="SAME"),
            [_normal(1, 3, 3, 4, 2), _normal(2, 2, 3, 3, 2)],
            ("CONV_3D_TRANSPOSE",),
            rtol=1e-4,
            atol=1e-5,
        ),
    }


def _dict_outputs(fn: Callable) -> Callable:
    def wrapped(*args):
        out = fn(*args)
        out = out if isinstance(out, tuple | list) else (out,)
        return {f"out{i}": o for i, o in enumerate(out)}

    return wrapped


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):
    """(cases, tflite bytes, references): one SavedModel with a signature per case."""
    import tensorflow as tf

    from tflc import Converter

    cases = _cases()
    module = tf.Module()
    signatures = {}
    references = {}
    for name, case in cases.items():
        shapes = case.shapes or [None] * len(case.inputs)
        specs = [
            tf.TensorSpec(a.shape if s is None else s, tf.as_dtype(a.dtype), name=f"x{i}")
            for i, (a, s) in enumerate(zip(case.inputs, shapes))
        ]
        wrapped = _dict_outputs(case.fn)
        fn = tf.function(wrapped, input_signature=specs)
        setattr(module, name, fn)
        signatures[name] = fn.get_concrete_function()
        if case.reference is not None:
            references[name] = {f"out{i}": np.asarray(o) for i, o in enumerate(case.reference(*case.inputs))}
        else:
            references[name] = {k: v.numpy() for k, v in wrapped(*[tf.constant(a) for a in case.inputs]).items()}
    path = tmp_path_factory.mktemp("legalize_tf_suite") / "model"
    tf.saved_model.save(module, str(path), signatures=signatures)
    return cases, Converter.from_saved_model(path).convert(), references


CASE_NAMES = [
    "pow_6d",
    "maximum_6d",
    "less_5d",
    "floor_mod_5d",
    "select_v2_6d",
    "add_7d",
    "mul_8d_dynamic",
    "reciprocal_i32",
    "relu_i32",
    "relu_i64",
    "sigmoid_grad",
    "mul_u32",
    "unique_i32",
    "unique_i64",
    "bucketize",
    "nms_v4_padded",
    "nms_v4",
    "nms_v5",
    "approx_top_k",
    "strided_slice_ellipsis",
    "strided_slice_new_axis",
    "unsorted_segment_max_i64_ids",
    "matrix_diag_v2_vectors",
    "max_pool_nchw",
    "avg_pool_nchw",
    "conv3d_transpose",
]


def test_case_names_cover_cases() -> None:
    assert sorted(CASE_NAMES) == sorted(_cases())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_lowering_matches_tensorflow(converted, name: str) -> None:
    cases, model, references = converted
    check_case_outputs(cases[name], model, name, references[name])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_lowering_uses_its_builtins(converted, name: str) -> None:
    """Each signature is all builtins, with the ones its lowering writes."""
    cases, model, _ = converted
    check_case_builtins(cases[name], model, name)
