"""Element types across MLIR, numpy, TFLite and TensorFlow, and dense constants as numpy.

Constant data stays bytes: `dense_to_numpy` is a zero-copy view of an attribute's
bytes, `numpy_to_dense` copies an array's bytes once into an attribute.

Splats stay splats: an attribute whose bytes hold one element of a larger shape is a
splat (xDSL's own reading of such data); `dense_to_numpy` gives it as a broadcast view
(every stride 0), `numpy_to_dense` stores such a view as its one element, and
`elementwise`/`astype` compute on the distinct elements of broadcast views only. So a
`dense<1.0> : tensor<100000x100000x100000xf32>` costs four bytes until export writes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import numpy as np
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    AnyDenseElement,
    BFloat16Type,
    BytesAttr,
    ComplexType,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    Signedness,
    TensorType,
    bf16,
    f16,
    f32,
    f64,
)
from xdsl.ir import Attribute

from tflc.dialects.tf import ResourceType, StringType, VariantType

if TYPE_CHECKING:
    from tflc.frontend.proto.types_pb2 import DataType

# (element type, numpy dtype, TFLite TensorType name, TF DataType number)
_TABLE: list[tuple[Attribute, np.dtype | None, str, int]] = [
    (f32, np.dtype(np.float32), "FLOAT32", 1),
    (f64, np.dtype(np.float64), "FLOAT64", 2),
    (IntegerType(32), np.dtype(np.int32), "INT32", 3),
    (IntegerType(8, Signedness.UNSIGNED), np.dtype(np.uint8), "UINT8", 4),
    (IntegerType(16), np.dtype(np.int16), "INT16", 5),
    (IntegerType(8), np.dtype(np.int8), "INT8", 6),
    (StringType(), np.dtype(object), "STRING", 7),
    (ComplexType(f32), np.dtype(np.complex64), "COMPLEX64", 8),
    (IntegerType(64), np.dtype(np.int64), "INT64", 9),
    (IntegerType(1), np.dtype(np.bool_), "BOOL", 10),
    (bf16, np.dtype(np.uint16), "BFLOAT16", 14),
    (IntegerType(16, Signedness.UNSIGNED), np.dtype(np.uint16), "UINT16", 17),
    (ComplexType(f64), np.dtype(np.complex128), "COMPLEX128", 18),
    (f16, np.dtype(np.float16), "FLOAT16", 19),
    (ResourceType(), None, "RESOURCE", 20),
    (VariantType(), None, "VARIANT", 21),
    (IntegerType(32, Signedness.UNSIGNED), np.dtype(np.uint32), "UINT32", 22),
    (IntegerType(64, Signedness.UNSIGNED), np.dtype(np.uint64), "UINT64", 23),
]
_BY_TF = {tf: el for el, _, _, tf in _TABLE}
_BY_TFLITE_NAME = {name: el for el, _, name, _ in _TABLE}


def _key(element: Attribute) -> Attribute:
    """Normalize parametrized element types (resource subtypes) for lookups."""
    if isinstance(element, ResourceType):
        return ResourceType()
    if isinstance(element, VariantType):
        return VariantType()
    return element


_BY_ELEMENT = {el: (dt, name, tf) for el, dt, name, tf in _TABLE}


class UnsupportedTypeError(ValueError):
    """An element type with no counterpart on the other side."""


def numpy_dtype(element: Attribute) -> np.dtype:
    """The numpy dtype holding elements of this MLIR element type."""
    entry = _BY_ELEMENT.get(_key(element))
    if entry is None or entry[0] is None:
        raise UnsupportedTypeError(f"no numpy dtype for element type {element}")
    return entry[0]


def storage_array(values: np.ndarray | float | int, element: Attribute) -> np.ndarray:
    """`values` in the numpy dtype holding `element` (bfloat16 as its 16 high bits of float32)."""
    if element == bf16:
        bits = np.asarray(values, np.float32).view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16  # to nearest, ties to even
        return np.where(np.isnan(np.asarray(values, np.float32)), 0x7FC0, rounded).astype(np.uint16)
    return np.asarray(values, numpy_dtype(element))


def numeric_array(array: np.ndarray, element: Attribute) -> np.ndarray:
    """The numbers a storage array of `element` holds, in a dtype numpy computes with
    (bfloat16 bits widened to float32; other types as they are)."""
    if element == bf16:
        return (np.asarray(array, np.uint16).astype(np.uint32) << 16).view(np.float32)
    return array


def has_numpy_dtype(element: Attribute) -> bool:
    """Whether elements of this type are numbers numpy holds (not handles or variants)."""
    entry = _BY_ELEMENT.get(_key(element))
    return entry is not None and entry[0] is not None


def has_tf_dtype(element: Attribute) -> bool:
    """Whether this element type is one of TF's data types (not `index` or an odd width)."""
    return _key(element) in _BY_ELEMENT


def element_type_of(dtype: np.dtype) -> Attribute:
    """The MLIR element type for a numpy dtype."""
    for el, dt, _, _ in _TABLE:
        if dt == np.dtype(dtype) and el != bf16:
            return el
    raise UnsupportedTypeError(f"no element type for numpy dtype {dtype}")


def tflite_type_name(element: Attribute) -> str:
    """The TFLite TensorType name (`FLOAT32`) for an element type."""
    entry = _BY_ELEMENT.get(_key(element))
    if entry is None:
        raise UnsupportedTypeError(f"TFLite has no tensor type for element type {element}")
    return entry[1]


def element_type_from_tflite(name: str) -> Attribute:
    """The element type for a TFLite TensorType name."""
    if name not in _BY_TFLITE_NAME:
        raise UnsupportedTypeError(f"unsupported TFLite tensor type {name}")
    return _BY_TFLITE_NAME[name]


def element_type_from_tf(dtype: int) -> Attribute:
    """The element type for a TF DataType enum value (reference types included)."""
    el = _BY_TF.get(dtype % 100)
    if el is None:
        raise UnsupportedTypeError(f"unsupported TF DataType {dtype}")
    return el


def tf_dtype(element: Attribute) -> DataType:
    """The TF DataType enum value for an element type."""
    entry = _BY_ELEMENT.get(_key(element))
    if entry is None:
        raise UnsupportedTypeError(f"TF has no DataType for element type {element}")
    return cast("DataType", entry[2])  # protobuf enums are ints at run time


def dense_to_numpy(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """A read-only numpy view of a dense attribute's bytes, in its shape (a splat as a
    broadcast view of its one element)."""
    dtype = numpy_dtype(attr.get_element_type())
    flat = np.frombuffer(attr.data.data, dtype=dtype)
    shape = attr.get_shape()
    if flat.size == 1 and math.prod(shape) != 1:
        return np.broadcast_to(flat.reshape(()), shape)
    return flat.reshape(shape)


def is_splat_attr(attr: DenseIntOrFPElementsAttr) -> bool:
    """Whether a dense attribute stores one element for a shape of more (a lazy splat)."""
    return len(attr.data.data) == attr.get_element_type().compile_time_size and math.prod(attr.get_shape()) != 1


def is_splat(array: np.ndarray) -> bool:
    """Whether an array is one element broadcast to its shape (every stride 0, size > 1)."""
    return array.size > 1 and all(s == 0 or d == 1 for s, d in zip(array.strides, array.shape))


def compact(array: np.ndarray) -> np.ndarray:
    """The distinct part of a broadcast view: its stride-0 dimensions cut to length 1."""
    if not any(s == 0 and d > 1 for s, d in zip(array.strides, array.shape)):
        return array
    return array[tuple(slice(0, 1) if s == 0 else slice(None) for s in array.strides)]


def elementwise(fn: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """`fn(*arrays)` for an elementwise (broadcasting) numpy function, computed on the
    arrays' distinct elements and broadcast back: a splat in gives a splat out."""
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    if not any(compact(a) is not a for a in arrays):
        return np.asarray(fn(*arrays))
    return np.broadcast_to(np.asarray(fn(*(compact(a) for a in arrays))), shape)


def astype(array: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """`array.astype(dtype)` that keeps a broadcast view a broadcast view."""
    small = compact(array)
    if small is array:
        return array.astype(dtype, copy=False)
    return np.broadcast_to(small.astype(dtype, copy=False), array.shape)


def numpy_to_dense(array: np.ndarray, element: Attribute | None = None) -> DenseIntOrFPElementsAttr:
    """A dense attribute holding the bytes of `array` (little-endian, C order); a splat
    (a broadcast view of one element) keeps one element. A partly broadcast view is
    expanded within the limit of tflc.limits."""
    if element is None:
        element = element_type_of(array.dtype)
    ty = cast("TensorType[AnyDenseElement]", TensorType(element, array.shape))
    if is_splat(array):
        return DenseIntOrFPElementsAttr(ty, BytesAttr(np.ascontiguousarray(array.reshape(-1)[:1]).tobytes()))
    if compact(array) is not array:
        from tflc.limits import check_expansion

        check_expansion(array.size, array.dtype.itemsize, f"a constant of shape {list(array.shape)}")
    array = np.require(array, requirements="C")
    return DenseIntOrFPElementsAttr(ty, BytesAttr(array.tobytes()))


def zeros_attr(element: Attribute, dims: Sequence[int]) -> DenseIntOrFPElementsAttr:
    """A dense attribute of zeros of a numeric element type: one stored element (a lazy
    splat) whatever the shape, so a huge declared shape costs nothing."""
    ty = cast("TensorType[AnyDenseElement]", TensorType(element, list(dims)))
    count = math.prod(dims)
    return DenseIntOrFPElementsAttr(ty, BytesAttr(bytes(numpy_dtype(element).itemsize * min(count, 1))))


def is_float(element: Attribute) -> bool:
    """Whether an element type is a floating-point type."""
    return isinstance(element, Float16Type | Float32Type | Float64Type | BFloat16Type)


def make_tensor_type(element: Attribute, dims) -> TensorType:
    """A tensor type from dims where any negative dim (TF's -1) is dynamic (`?`)."""
    return TensorType(element, [DYNAMIC_INDEX if int(d) < 0 else int(d) for d in dims])


def signature_dims(ty: TensorType) -> list[int]:
    """A tensor type's dims with dynamic ones as -1, as TF and TFLite write them."""
    return [-1 if d < 0 else d for d in ty.get_shape()]


def strings_to_attr(strings: np.ndarray) -> Attribute:
    """A string constant (an array of bytes) as the `tensor_proto` attribute TF keeps strings in."""
    from tflc.dialects.tf import TensorProtoAttr
    from tflc.frontend.proto import tensor_pb2

    array = np.asarray(strings, dtype=object)
    from tflc.frontend.proto import types_pb2

    proto = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING)
    for d in array.shape:
        proto.tensor_shape.dim.add(size=int(d))
    proto.string_val.extend(s if isinstance(s, bytes) else str(s).encode() for s in array.reshape(-1))
    return TensorProtoAttr(proto.SerializeToString(), make_tensor_type(StringType(), array.shape))


def constant_to_numpy(attr: Attribute) -> np.ndarray:
    """The value of a dense or `tensor_proto` constant (strings as an object array of bytes)."""
    from tflc.dialects.tf import TensorProtoAttr

    if isinstance(attr, DenseIntOrFPElementsAttr):
        return dense_to_numpy(attr)
    if isinstance(attr, TensorProtoAttr):
        from tflc.backend.flex import decode_tensor_proto
        from tflc.frontend.saved_model_reader import tensor_proto_to_numpy

        array = tensor_proto_to_numpy(decode_tensor_proto(attr.data.data))
        ty = attr.tensor_type()
        element = ty.element_type
        if has_numpy_dtype(element) and array.dtype != numpy_dtype(element):
            raise ValueError(f"its TensorProto holds {array.dtype} values, not {element}")
        return array.reshape(ty.get_shape())
    raise UnsupportedTypeError(f"{attr} is not a constant tensor")
