"""Quantized element types <-> TFLite tensor types and `QuantizationParameters`, both ways."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import IntegerType
from xdsl.ir import Attribute

from tflc.backend import schema
from tflc.dialects.quant import UniformQuantizedType, is_storage_type
from tflc.tensors import element_type_from_tflite, tflite_type_name

fb = schema.fb_module


def tensor_type_code(element: Attribute) -> int:
    """The TensorType code of an element type (a quantized type's storage type)."""
    if isinstance(element, UniformQuantizedType):
        element = element.storage_type
    return schema.tensor_type(tflite_type_name(element))


def quantization_parameters(element: Attribute) -> Any | None:
    """The QuantizationParameters table for a quantized element type, else None."""
    if not isinstance(element, UniformQuantizedType):
        return None
    params = fb.QuantizationParametersT()
    params.scale = np.asarray(element.scale_values, np.float32)
    params.zeroPoint = np.asarray(element.zero_point_values, np.int64)
    params.quantizedDimension = element.axis or 0
    return params


def element_type_from_tensor(tensor: Any) -> Attribute:
    """The element type of a FlatBuffer tensor: quantized when it has scales."""
    element = element_type_from_tflite(schema.tensor_type_name(tensor.type))
    params = tensor.quantization
    scales = None if params is None else params.scale
    if scales is None or not len(scales) or not _is_integer(element):
        return element
    zero_points = params.zeroPoint if params.zeroPoint is not None and len(params.zeroPoint) else [0] * len(scales)
    if len(zero_points) == 1 and len(scales) > 1:
        zero_points = list(zero_points) * len(scales)
    per_axis = len(scales) > 1
    assert isinstance(element, IntegerType)  # a storage type
    return UniformQuantizedType(
        element,
        [float(s) for s in scales],
        [int(z) for z in zero_points],
        axis=int(params.quantizedDimension) if per_axis else -1,
    )


def _is_integer(element: Attribute) -> bool:
    return is_storage_type(element)
