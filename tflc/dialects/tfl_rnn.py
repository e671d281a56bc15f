"""TFLite's fused recurrent builtins: `tfl.unidirectional_sequence_rnn` and
`tfl.unidirectional_sequence_lstm`.

Each runs a whole sequence in one kernel. Its state operands (`StatefulOperands`) are
variable tensors the interpreter keeps between invocations and starts at zero, so the
model writes them without data. Operands a variant does not use (peepholes, projection,
CIFG's input gate, layer norm) are `tfl.no_value`.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import BoolAttr, FloatAttr
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def, traits_def

from tflc.dialects.tfl import TFLOp
from tflc.dialects.tfl_traits import ACTIVATION, F32, QI8, StatefulOperands, tensor

WEIGHTS = (F32, QI8)


@irdl_op_definition
class UnidirectionalSequenceRnnOp(TFLOp):
    """`tfl.unidirectional_sequence_rnn`: h_t = activation(x_t W^T + h_{t-1} R^T + b) over the sequence."""

    name = "tfl.unidirectional_sequence_rnn"
    input = operand_def(tensor(F32, rank=3))
    input_to_input_weights = operand_def(tensor(*WEIGHTS, rank=2))
    recurrent_to_input_weights = operand_def(tensor(*WEIGHTS, rank=2))
    input_gate_bias = operand_def(tensor(F32, rank=1))
    hidden_state = operand_def(tensor(F32, rank=2))
    output = result_def(tensor(F32, rank=3))
    time_major = prop_def(BoolAttr)
    fused_activation_function = prop_def(ACTIVATION)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    traits = traits_def(StatefulOperands(("hidden_state",)))
    OPTIONS: ClassVar[str | None] = "SequenceRNNOptions"


@irdl_op_definition
class UnidirectionalSequenceLstmOp(TFLOp):
    """`tfl.unidirectional_sequence_lstm`: an LSTM cell (optionally with peepholes,
    projection, CIFG and layer norm) over the sequence; the result is every step's output."""

    name = "tfl.unidirectional_sequence_lstm"
    input = operand_def(tensor(F32, min_rank=2))
    input_to_input_weights = operand_def(tensor(*WEIGHTS, rank=2, optional=True))
    input_to_forget_weights = operand_def(tensor(*WEIGHTS, rank=2))
    input_to_cell_weights = operand_def(tensor(*WEIGHTS, rank=2))
    input_to_output_weights = operand_def(tensor(*WEIGHTS, rank=2))
    recurrent_to_input_weights = operand_def(tensor(*WEIGHTS, max_rank=2, optional=True))
    recurrent_to_forget_weights = operand_def(tensor(*WEIGHTS, max_rank=2))
    recurrent_to_cell_weights = operand_def(tensor(*WEIGHTS, max_rank=2))
    recurrent_to_output_weights = operand_def(tensor(*WEIGHTS, max_rank=2))
    cell_to_input_weights = operand_def(tensor(*WEIGHTS, rank=1, optional=True))
    cell_to_forget_weights = operand_def(tensor(*WEIGHTS, rank=1, optional=True))
    cell_to_output_weights = operand_def(tensor(*WEIGHTS, rank=1, optional=True))
    input_gate_bias = operand_def(tensor(F32, rank=1, optional=True))
    forget_gate_bias = operand_def(tensor(F32, rank=1))
    cell_bias = operand_def(tensor(F32, rank=1))
    output_gate_bias = operand_def(tensor(F32, rank=1))
    projection_weights = operand_def(tensor(*WEIGHTS, rank=2, optional=True))
    projection_bias = operand_def(tensor(F32, rank=1, optional=True))
    input_activation_state = operand_def(tensor(F32))
    input_cell_state = operand_def(tensor(F32))
    input_layer_norm_coefficients = operand_def(tensor(*WEIGHTS, optional=True))
    forget_layer_norm_coefficients = operand_def(tensor(*WEIGHTS, optional=True))
    cell_layer_norm_coefficients = operand_def(tensor(*WEIGHTS, optional=True))
    output_layer_norm_coefficients = operand_def(tensor(*WEIGHTS, optional=True))
    output = result_def(tensor(F32, QI8))
    fused_activation_function = prop_def(ACTIVATION)
    cell_clip = opt_prop_def(FloatAttr)
    proj_clip = opt_prop_def(FloatAttr)
    time_major = prop_def(BoolAttr)
    asymmetric_quantize_inputs = opt_prop_def(BoolAttr)
    diagonal_recurrent_tensors = opt_prop_def(BoolAttr)
    traits = traits_def(StatefulOperands(("input_activation_state", "input_cell_state")))
    OPTIONS: ClassVar[str | None] = "UnidirectionalSequenceLSTMOptions"


RNN_OPS = (UnidirectionalSequenceRnnOp, UnidirectionalSequenceLstmOp)
