"""Each legalize-stablehlo lowering, checked for the numbers it computes: small JAX functions
go through Converter.from_jax and run in ai-edge-litert against JAX itself."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter
from jax import lax

import tflc

RNG = np.random.default_rng(7)


def f32(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def positive(*shape: int) -> np.ndarray:
    return (RNG.random(shape) + 0.1).astype(np.float32)


def convert_and_run(fn: Callable, args: list[np.ndarray], poly: list[str] | None = None, run_args=None):
    """The model's ops and its outputs on `run_args` (default `args`)."""
    converter = tflc.Converter.from_jax(fn, [(f"x{i}", a) for i, a in enumerate(args)], polymorphic_shapes=poly)
    model = converter.convert()
    ops = [op["op_name"] for op in Interpreter(model_content=model)._get_ops_details()]
    runner = Interpreter(model_content=model).get_signature_runner()
    outputs = runner(**{f"x{i}": a for i, a in enumerate(run_args or args)})
    return ops, [outputs[f"output_{i}"] for i in range(len(outputs))]


def check(fn: Callable, args: list[np.ndarray], atol: float = 1e-5, poly=None, run_args=None) -> list[str]:
    ops, got = convert_and_run(fn, args, poly, run_args)
    want = jax.tree_util.tree_leaves(fn(*(run_args or args)))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (g.shape, w.shape, g.dtype, w.dtype)
        np.testing.assert_allclose(g, w, atol=atol, rtol=1e-5)
    assert "CUSTOM" not in ops
    return ops


UNARY = {
    "negate": (jnp.negative, f32),
    "exponential": (jnp.exp, f32),
    "log": (jnp.log, positive),
    "sqrt": (jnp.sqrt, positive),
    "rsqrt": (lax.rsqrt, positive),
    "tanh": (jnp.tanh, f32),
    "logistic": (jax.nn.sigmoid, f32),
    "abs": (jnp.abs, f32),
    "floor": (jnp.floor, f32),
    "ceil": (jnp.ceil, f32),
    "sine": (jnp.sin, f32),
    "cosine": (jnp.cos, f32),
    "sign": (jnp.sign, f32),
    "round_nearest_even": (lambda x: jnp.round(x * 2.0), f32),
    "log_plus_one": (jnp.log1p, positive),
    "exponential_minus_one": (jnp.expm1, f32),
    "tan": (lambda x: jnp.tan(x * 0.5), f32),
    "cbrt": (jnp.cbrt, f32),
    "round_nearest_afz": (lambda x: lax.round(x * 2.0, lax.RoundingMethod.AWAY_FROM_ZERO), f32),
    "is_finite": (lambda x: jnp.isfinite(jnp.log(x)), f32),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name: str) -> None:
    fn, make = UNARY[name]
    ops = check(fn, [make(3, 5)])
    assert len(ops) <= 6


BINARY = {
    "add": jnp.add,
    "subtract": jnp.subtract,
    "multiply": jnp.multiply,
    "divide": jnp.divide,
    "maximum": jnp.maximum,
    "minimum": jnp.minimum,
    "power": lambda x, y: jnp.power(jnp.abs(x) + 0.5, y),
    "remainder": lambda x, y: lax.rem(x * 4.0, y),
    "atan2": jnp.arctan2,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name: str) -> None:
    check(BINARY[name], [f32(3, 5), f32(3, 5)], atol=1e-4)


@pytest.mark.parametrize("direction", ["gt", "ge", "lt", "le", "eq", "ne"])
def test_compare_select(direction: str) -> None:
    names = {"gt": "greater", "ge": "greater_equal", "lt": "less", "le": "less_equal", "eq": "equal", "ne": "not_equal"}
    compare = getattr(jnp, names[direction])
    x = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    y = np.array([[3, 2, 1], [4, 0, 7]], np.float32)
    check(lambda a, b: (jnp.where(compare(a, b), a, b * 10), compare(a, b)), [x, y])


def test_logical_ops() -> None:
    def fn(x, y):
        a, b = x > 0, y > 0
        return jnp.logical_and(a, b), jnp.logical_or(a, b), jnp.logical_not(a), jnp.logical_xor(a, b)

    check(fn, [f32(4, 4), f32(4, 4)])


def test_clamp_and_convert() -> None:
    def fn(x):
        return lax.clamp(-0.5, x, 0.5), (x * 3).astype(jnp.int32), (x > 0).astype(jnp.float32)

    check(fn, [f32(4, 6)])


def test_bfloat16_constants_keep_their_values() -> None:
    """Mixed precision: bfloat16 weights and an iota widened to f32 fold to the numbers they hold."""
    w = jnp.asarray(f32(3, 5), jnp.bfloat16)

    def fn(x):
        return x * w.astype(jnp.float32) + jnp.arange(5, dtype=jnp.bfloat16).astype(jnp.float32)

    ops = check(fn, [f32(3, 5)])
    assert ops == ["MUL", "ADD"]


def test_broadcast_in_dim() -> None:
    def fn(x, y, z):
        outer = x[:, None] * y[None, :]
        transposed = lax.broadcast_in_dim(z, (4, 3, 2), (2, 1))  # z is [3, 2] -> dims swapped? no: [2,1]
        return outer + 1.0, transposed * 2.0

    check(fn, [f32(3), f32(5), f32(2, 3)])


def test_reshape_transpose_slice() -> None:
    def fn(x):
        return x.reshape(4, 6).T[1:5:2, ::3], jnp.transpose(x, (2, 0, 1))[:, 1:, :]

    check(fn, [f32(2, 3, 4)])


def test_dynamic_slice_clamps_indices() -> None:
    def fn(x, i):
        return lax.dynamic_slice(x, (i[0], 1), (2, 3)), lax.dynamic_update_slice(x, jnp.ones((2, 2)), (i[0], i[1]))

    x = f32(5, 6)
    for index in ([1, 2], [4, 5], [-3, 0]):
        check(fn, [x, np.array([0, 0], np.int32)], run_args=[x, np.array(index, np.int32)])


def test_concatenate_pad_reverse_iota() -> None:
    def fn(x, y):
        joined = jnp.concatenate([x, y, x], axis=1)
        padded = jnp.pad(joined, ((1, 2), (0, 1)))
        filled = jnp.pad(x, ((0, 1), (2, 0)), constant_values=3.0)
        cropped = lax.pad(x, 0.0, ((-1, 1, 0), (1, -2, 0)))
        return padded, filled, cropped, jnp.flip(x, axis=1) + jnp.arange(4, dtype=jnp.float32)

    check(fn, [f32(3, 4), f32(3, 2)])


@pytest.mark.parametrize(
    "spec,shapes",
    [
        ("ij,jk->ik", [(3, 4), (4, 5)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("bqhd,bkhd->bhqk", [(2, 3, 2, 4), (2, 5, 2, 4)]),
        ("i,i->", [(6,), (6,)]),
        ("bij,jk->bik", [(2, 3, 4), (4, 5)]),
        ("ijk,jkl->il", [(2, 3, 4), (3, 4, 5)]),
    ],
)
def test_dot_general(spec: str, shapes) -> None:
    check(lambda a, b: jnp.einsum(spec, a, b), [f32(*s) for s in shapes], atol=1e-4)


def test_dot_general_constant_weights_become_fully_connected() -> None:
    w = f32(8, 4)
    ops = check(lambda x: x @ w, [f32(3, 8)], atol=1e-4)
    assert ops == ["FULLY_CONNECTED"]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(window_strides=(1, 1), padding="SAME"),
        dict(window_strides=(2, 1), padding="VALID"),
        dict(window_strides=(1, 1), padding=((1, 2), (0, 1))),
        dict(window_strides=(1, 1), padding="SAME", rhs_dilation=(2, 2)),
    ],
)
def test_convolution_nchw(kwargs) -> None:
    """lax.conv's default layouts (NCHW input, OIHW kernel) are transposed around tfl.conv_2d."""
    w = f32(4, 3, 3, 3)
    ops = check(lambda x: lax.conv_general_dilated(x, w, **kwargs), [f32(2, 3, 9, 8)], atol=1e-4)
    assert "CONV_2D" in ops


def test_depthwise_convolution() -> None:
    w = f32(3, 3, 1, 6)

    def fn(x):
        return lax.conv_general_dilated(
            x, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=3
        )

    assert check(fn, [f32(1, 7, 7, 3)], atol=1e-4) == ["DEPTHWISE_CONV_2D"]


def test_reduce() -> None:
    def fn(x):
        return (
            jnp.sum(x, axis=1),
            jnp.max(x, axis=(0, 2)),
            jnp.min(x, axis=2),
            jnp.prod(x, axis=0),
            lax.reduce(x, np.float32(1.5), lax.add, (1,)),
            jnp.mean(x, axis=-1),
        )

    check(fn, [f32(2, 3, 4)], atol=1e-4)


def test_argmax_argmin() -> None:
    check(lambda x: (jnp.argmax(x, axis=1), jnp.argmin(x, axis=0)), [f32(4, 6)])


def test_reduce_window() -> None:
    def fn(x):
        return (
            lax.reduce_window(x, -jnp.inf, lax.max, (1, 3, 3, 1), (1, 2, 2, 1), "SAME"),
            lax.reduce_window(x, 0.0, lax.add, (1, 2, 2, 1), (1, 2, 2, 1), "VALID") / 4.0,
            lax.reduce_window(x, 0.0, lax.add, (1, 2, 3, 1), (1, 1, 1, 1), ((0, 0), (1, 0), (1, 1), (0, 0))),
        )

    check(fn, [f32(2, 8, 8, 3)], atol=1e-4)


def test_idioms_fold_into_tflite_ops() -> None:
    """softmax, log_softmax, gelu (tanh), relu and relu6 become single TFLite ops."""
    assert check(jax.nn.softmax, [f32(3, 7)]) == ["SOFTMAX"]
    assert check(jax.nn.log_softmax, [f32(3, 7)]) == ["LOG_SOFTMAX"]
    assert check(lambda x: jax.nn.gelu(x, approximate=True), [f32(3, 7)]) == ["GELU"]
    assert check(jax.nn.relu, [f32(3, 7)]) == ["RELU"]
    assert check(jax.nn.relu6, [f32(3, 7)]) == ["RELU6"]


def test_dimension_size_of_polymorphic_input() -> None:
    """get_dimension_size reads the run-time batch (jax's dimension variable)."""

    def fn(x):
        return jnp.sum(x, axis=0) / x.shape[0]

    x = f32(5, 3)
    for batch in (2, 9):
        check(fn, [x], poly=["(b, 3)"], run_args=[f32(batch, 3)])


def test_while_loop() -> None:
    """stablehlo.while -> tfl.while; values the body reads from outside become loop values."""
    w = f32(4, 4) * 0.5

    def fn(x, n):
        return lax.fori_loop(0, n[0], lambda i, h: jnp.tanh(h @ w + x), x)

    ops = check(fn, [f32(2, 4), np.array([3], np.int32)], atol=1e-4)
    assert "WHILE" in ops


def test_cond_and_switch() -> None:
    """stablehlo.if -> tfl.if; stablehlo.case -> a chain of tfl.if (out-of-range index: last branch)."""

    def fn(x, p, k):
        y = lax.cond(p[0] > 0, lambda v: v * 2.0, lambda v: v - 1.0, x)
        z = lax.switch(k[0], [lambda v: v + 1.0, lambda v: v * 3.0, lambda v: -v], x)
        return y, z

    x = f32(3)
    for p, k in ((1, 0), (-1, 1), (1, 2), (0, 7)):
        ops = check(
            fn,
            [x, np.array([1], np.int32), np.array([0], np.int32)],
            run_args=[x, np.array([p], np.int32), np.array([k], np.int32)],
        )
    assert "IF" in ops


def test_gather() -> None:
    """Indexing, jnp.take along an inner axis and 2-D point lookups -> tfl.gather_nd (indices clamped)."""

    def fn(table, idx, points):
        return (
            table[idx],
            jnp.take(table, idx, axis=1, mode="clip"),
            table[points[:, 0], points[:, 1]],
        )

    table = f32(6, 5)
    idx = np.array([0, 3, 5, 2], np.int32)
    points = np.array([[0, 1], [5, 4], [2, 2]], np.int32)
    ops = check(fn, [table, idx, points])
    assert "GATHER_ND" in ops


def test_scatter() -> None:
    """x.at[idx].add(v) (duplicates summed) and .set(v) with unique constant indices -> tfl.scatter_nd."""
    rows = np.array([1, 3, 1], np.int32)

    def fn(x, v, w):
        x = jnp.asarray(x)
        return x.at[rows].add(v), x.at[np.array([0, 2])].set(w), x.at[:, np.array([4])].add(1.0)

    ops = check(fn, [f32(4, 5), f32(3, 5), f32(2, 5)])
    assert "SCATTER_ND" in ops
