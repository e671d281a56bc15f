"""`prepare-composite-functions`: a tf-keras LSTM layer becomes one fused
`tfl.unidirectional_sequence_lstm`, as TensorFlow's converter fuses it.

tf-keras traces its LSTM as a function marked `tf.api_implements = "lstm_<id>"` (kept
from the FunctionDef's `api_implements`), taking (inputs, init_h, init_c, kernel,
recurrent_kernel, bias) and returning (last output, the output sequence, h, c, runtime).
Its body (a while loop over the time steps) is replaced by the fused op: the kernels
transposed and split into the i, f, c, o gates, the state operands the zeros the layer
starts from. The function is fused only when TFLite's op computes what the layer does:
static weight and state shapes, every caller passing zero initial states (tf.Fill of 0
or a zero constant, as Keras's `get_initial_state` writes them) and reading only the
last output and the sequence, no mask argument. Otherwise the loop stays (and still
converts, as a WHILE).

Runs before `tf-inline`, while the layer is still its own function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, IntegerAttr, ModuleOp, StringAttr, TensorType, f32
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass

from tflc.dialects import tf, tfl
from tflc.dialects.tf import tf_op_name
from tflc.dialects.tfl_rnn import UnidirectionalSequenceLstmOp
from tflc.passes import stats
from tflc.passes.inline import _callee
from tflc.tensors import has_numpy_dtype, numpy_to_dense, zeros_attr

KERAS_LSTM = "lstm_"
"""The `tf.api_implements` prefix of tf-keras's LSTM functions."""

API_IMPLEMENTS = "tf.api_implements"


@dataclass(frozen=True)
class PrepareCompositeFunctions(ModulePass):
    """Replace tf-keras LSTM functions by a fused tfl.unidirectional_sequence_lstm."""

    name = "prepare-composite-functions"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        calls: dict[str, list[Operation]] = defaultdict(list)
        for inner in op.walk():
            callee = _callee(inner)
            if callee is not None:
                calls[callee].append(inner)
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            implements = func.attributes.get(API_IMPLEMENTS)
            if not isinstance(implements, StringAttr) or not implements.data.startswith(KERAS_LSTM):
                continue
            if _fusable_keras_lstm(func, calls.get(func.sym_name.data, [])):
                _fuse_keras_lstm(func)
                stats.record("fused a Keras LSTM layer into tfl.unidirectional_sequence_lstm")


def _flag(func: FuncOp, name: str) -> bool:
    """A boolean function attribute (`tf.time_major`), False when absent."""
    attr = func.attributes.get(name)
    return isinstance(attr, IntegerAttr) and bool(attr.value.data)


def _static(ty: Attribute, rank: int) -> TensorType | None:
    """`ty` if it is a static f32 tensor of this rank."""
    if isinstance(ty, TensorType) and ty.element_type == f32 and ty.get_num_dims() == rank and ty.has_static_shape():
        return ty
    return None


def _is_zeros(value: SSAValue) -> bool:
    """Whether `value` is all zeros: a zero constant or tf.Fill of a zero constant."""
    owner = value.owner
    if isinstance(owner, Operation) and tf_op_name(owner) == "tf.Fill" and len(owner.operands) == 2:
        return _is_zeros(owner.operands[1])
    if isinstance(owner, tf.ConstOp | tfl.ConstOp) and isinstance(owner.value, DenseIntOrFPElementsAttr):
        from tflc.tensors import dense_to_numpy

        return not np.any(dense_to_numpy(owner.value))
    return False


def _fusable_keras_lstm(func: FuncOp, calls: list[Operation]) -> bool:
    """Whether TFLite's fused LSTM computes what this tf-keras LSTM function does for its callers."""
    args = func.body.block.args
    if len(args) != 6 or len(func.function_type.outputs.data) != 5 or not calls:
        return False
    x, h, c, kernel, recurrent, bias = (a.type for a in args)
    if not (isinstance(x, TensorType) and x.element_type == f32 and x.get_num_dims() == 3):
        return False
    shapes = [_static(h, 2), _static(c, 2), _static(kernel, 2), _static(recurrent, 2), _static(bias, 1)]
    if any(s is None for s in shapes):
        return False
    h_shape, c_shape, k_shape, r_shape, b_shape = (tuple(s.get_shape()) for s in shapes if s is not None)
    units = r_shape[0]
    if r_shape != (units, 4 * units) or k_shape[1] != 4 * units or b_shape != (4 * units,):
        return False
    if h_shape[1] != units or c_shape != h_shape or k_shape[0] != x.get_shape()[2]:
        return False
    for call in calls:
        if len(call.operands) != 6 or len(call.results) != 5:
            return False
        if any(r.uses for r in call.results[2:]):
            return False  # the final states (or the runtime) are read: the fused op does not give them
        if not (_is_zeros(call.operands[1]) and _is_zeros(call.operands[2])):
            return False  # an initial state: TFLite's state tensors start at zero
    return True


def _const(block: Block, array: np.ndarray) -> SSAValue:
    op = tfl.ConstOp(numpy_to_dense(array))
    block.add_op(op)
    return op.results[0]


def _add(block: Block, op: Operation) -> Operation:
    block.add_op(op)
    return op


def _gates(block: Block, matrix: SSAValue, shape: tuple[int, ...]) -> list[SSAValue]:
    """A [n, 4u] kernel (or [4u] bias) as the four gates' [u, n] matrices (or [u] vectors)."""
    if len(shape) == 2:
        transposed = TensorType(f32, [shape[1], shape[0]])
        perm = _const(block, np.array([1, 0], np.int32))
        matrix = _add(block, tfl.TransposeOp(matrix, perm, transposed)).results[0]
        gate = TensorType(f32, [shape[1] // 4, shape[0]])
    else:
        gate = TensorType(f32, [shape[0] // 4])
    axis = _const(block, np.array(0, np.int32))
    split = _add(block, tfl.SplitOp.build([axis, matrix], [gate] * 4, num_splits=4))
    return list(split.results)


def _fuse_keras_lstm(func: FuncOp) -> None:
    """Replace the function's body by the fused op (as TensorFlow's ConvertKerasLSTMLayer builds it)."""
    old = func.body.block
    major = _flag(func, "tf.time_major")
    block = Block(arg_types=[a.type for a in old.args])
    for new_arg, old_arg in zip(block.args, old.args):
        new_arg.name_hint = old_arg.name_hint
    arg, h, c, kernel, recurrent, bias = block.args
    x_type, k_type, r_type, b_type = arg.type, kernel.type, recurrent.type, bias.type
    assert isinstance(x_type, TensorType) and isinstance(k_type, TensorType)  # checked by _fusable_keras_lstm
    assert isinstance(r_type, TensorType) and isinstance(b_type, TensorType)
    shape = list(x_type.get_shape())
    r_shape = tuple(r_type.get_shape())
    n_units = r_shape[0]
    x: SSAValue = arg
    if _flag(func, "tf.go_backwards"):  # Keras reverses the sequence (the outputs stay in that order)
        axis = _const(block, np.array([0 if major else 1], np.int32))
        x = _add(block, tfl.ReverseV2Op.build([x, axis], [x_type])).results[0]
    w = _gates(block, kernel, tuple(k_type.get_shape()))
    r = _gates(block, recurrent, r_shape)
    b = _gates(block, bias, tuple(b_type.get_shape()))
    none = _add(block, tfl.NoValueOp()).results[0]
    out_shape = [*shape[:2], n_units]
    sequence = TensorType(f32, out_shape)
    lstm = _add(
        block,
        UnidirectionalSequenceLstmOp.build(
            [x, *w, *r, none, none, none, *b, none, none, h, c, none, none, none, none],
            [sequence],
            fused_activation_function="TANH",
            time_major=major,
        ),
    )
    begin = _const(block, np.array([-1, 0, 0] if major else [0, -1, 0], np.int32))
    end = _const(block, np.zeros(3, np.int32))
    strides = _const(block, np.ones(3, np.int32))
    batch = out_shape[1] if major else out_shape[0]
    masks = {"begin_mask": 6, "end_mask": 6, "shrink_axis_mask": 1} if major else {
        "begin_mask": 5, "end_mask": 5, "shrink_axis_mask": 2
    }
    last = _add(
        block,
        tfl.StridedSliceOp.build(
            [lstm.results[0], begin, end, strides], [TensorType(f32, [batch, n_units])],
            ellipsis_mask=0, new_axis_mask=0, offset=False, **masks,
        ),
    ).results[0]
    results: list[SSAValue] = [last, lstm.results[0]]
    for ty in func.function_type.outputs.data[2:]:  # the states and the runtime: unread (checked)
        if isinstance(ty, TensorType) and has_numpy_dtype(ty.element_type):
            dims = ty.get_shape() if ty.has_static_shape() else ()
            zeros = tfl.ConstOp(zeros_attr(ty.element_type, dims))  # a splat: the shape may be huge
            block.add_op(zeros)
            results.append(zeros.results[0])
        else:
            results.append(_const(block, np.zeros((), np.float32)))
    block.add_op(ReturnOp(*results))
    func.body.detach_block(old)
    old.erase(safe_erase=False)
    func.body.add_block(block)
    func.update_function_type()
