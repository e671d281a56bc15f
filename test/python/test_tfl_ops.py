"""The tfl op classes are the one source of their facts: options tables, enums, constraints,
traits and builders agree with the TFLite schema, and every op round-trips through a .tflite."""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as fb
from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    ComplexType,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    FunctionType,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
    i1,
    i32,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.irdl import OptPropertyDef, VarOperandDef, VarResultDef
from xdsl.utils.exceptions import VerifyException

from tflc.backend import schema
from tflc.backend.ops import RESULT_TYPE_FIELDS
from tflc.backend.export import export_module
from tflc.backend.importer import import_model
from tflc.dialects import tfl
from tflc.dialects.quant import UniformQuantizedType
from tflc.dialects.tf import ResourceType
from tflc.dialects.tf_saved_model import mark_exported, mark_module
from tflc.dialects.tfl_traits import (
    AffineWeights,
    HybridKernel,
    StatefulOperands,
    Int8Quantization,
    SubgraphRefs,
    TFLEnum,
    TFLTensor,
)
from tflc.ir import verify_module

OPS = tfl.op_classes()
SPECIAL = {tfl.ConstOp, tfl.QConstOp, tfl.NoValueOp, tfl.CustomOp}  # tfl.custom: raw custom options (test_robustness)


def _fields(table: str) -> set[str]:
    return set(vars(getattr(fb, table + "T")()))


@pytest.mark.parametrize("op_class", OPS, ids=lambda c: c.name)
def test_builtin_and_options_exist(op_class: type[tfl.TFLOp]) -> None:
    """Every op names a BuiltinOperator and (if any) a BuiltinOptions table of the schema."""
    if op_class in SPECIAL:
        return
    assert hasattr(fb.BuiltinOperator, op_class.builtin_name()), op_class.builtin_name()
    table = op_class.options_table()
    if table is not None:
        assert hasattr(fb.BuiltinOptions, table), table
        assert hasattr(fb, table + "T"), table


@pytest.mark.parametrize("op_class", OPS, ids=lambda c: c.name)
def test_properties_map_to_option_fields_and_back(op_class: type[tfl.TFLOp]) -> None:
    """Each property is a field of the op's options table, and each field is a property,
    a subgraph index, the result type, or declared as left at its default."""
    if op_class in SPECIAL:
        return
    props = set(op_class.property_constraints())
    refs = dict(op_class.get_trait(SubgraphRefs).fields) if op_class.has_trait(SubgraphRefs) else {}
    table = op_class.options_table()
    if table is None:
        assert not props, f"{op_class.name} has properties {props} but no options table"
        return
    fields = _fields(table)
    for prop in props - set(refs):
        assert schema.camel_case(prop) in fields, f"{op_class.name}.{prop} has no field in {table}"
    for field in refs.values():
        assert field in fields
    covered = {schema.camel_case(p) for p in props} | set(refs.values()) | set(RESULT_TYPE_FIELDS)
    left = fields - covered - set(op_class.UNMODELED_OPTIONS)
    assert not left, f"{table} fields without a property of {op_class.name}: {sorted(left)}"


@pytest.mark.parametrize("op_class", OPS, ids=lambda c: c.name)
def test_enum_properties_name_schema_enums(op_class: type[tfl.TFLOp]) -> None:
    """An enum property's values are exactly its FlatBuffer enum's member names (or a subset)."""
    for prop, constr in op_class.property_constraints().items():
        if isinstance(constr, TFLEnum):
            enum_class = getattr(fb, constr.flatbuffer_enum)
            members = {k for k in vars(enum_class) if not k.startswith("_")}
            assert set(constr.values) <= members, (op_class.name, prop, set(constr.values) - members)


@pytest.mark.parametrize("op_class", OPS, ids=lambda c: c.name)
def test_traits_name_real_operands(op_class: type[tfl.TFLOp]) -> None:
    """Operand names in traits (weights, int8 activations) are operands of the op."""
    operands = {name for name, _ in op_class.get_irdl_definition().operands}
    weights = op_class.get_trait(AffineWeights)
    if weights is not None:
        for name in (weights.filter, weights.input, *([weights.bias] if weights.bias else [])):
            assert name in operands, (op_class.name, name)
            op_class.operand_index(name)
    quant = op_class.get_trait(Int8Quantization)
    if quant is not None and quant.activations is not None:
        for name in quant.activations:
            assert name in operands, (op_class.name, name)


# -- every op through a .tflite and back ---------------------------------------------------


def _type_for(constr: object, rank_default: int = 1) -> Attribute:
    """A tensor type satisfying a TFLTensor constraint (f32 if allowed)."""
    while not isinstance(constr, TFLTensor):
        constr = getattr(constr, "constr", None) or constr.constraint  # unwrap ranges
    assert isinstance(constr, TFLTensor), constr
    allowed = constr.allowed
    rank = constr.min_rank if constr.min_rank is not None else min(rank_default, constr.max_rank or 4)
    shape = [1] * rank
    order = ["f32", "i32", "i1", "qi8", "i64", "resource", "f16", "i8", "complex64"]
    kind = next(k for k in order if allowed is None or k in allowed)
    element: Attribute = {
        "complex64": ComplexType(f32),
        "f32": f32,
        "i32": i32,
        "i1": i1,
        "i64": tfl.IntegerType(64),
        "i8": tfl.IntegerType(8),
        "f16": tfl.TensorType(tfl.IntegerType(8), []).element_type,
        "qi8": UniformQuantizedType("i8", [0.5], [0]),
        "resource": ResourceType(),
    }[kind]
    if kind == "f16":
        from xdsl.dialects.builtin import f16

        element = f16
    return TensorType(element, shape)


def _prop_for(op_class: type[tfl.TFLOp], name: str, constr: object) -> Attribute | None:
    if isinstance(constr, TFLEnum):
        return StringAttr(constr.values[0])
    sample: list[Attribute] = [
        tfl.i32_attr(1),
        IntegerAttr(1, tfl.IntegerType(64)),  # RandomOptions' seeds
        BoolAttr.from_bool(False),
        FloatAttr(0.5, f32),
        StringAttr("v"),
        ArrayAttr([]),
    ]
    for attr in sample:
        if constr.verifies(attr):  # type: ignore[attr-defined]
            return attr
    return None


def _instance(op_class: type[tfl.TFLOp], block: Block) -> tfl.TFLOp | None:
    """One op of the class over block arguments of types its constraints accept."""
    definition = op_class.get_irdl_definition()
    operand_types = []
    for _, d in definition.operands:
        count = 2 if isinstance(d, VarOperandDef) else 1
        operand_types += [_type_for(d.constr)] * count
    result_types = []
    for _, d in definition.results:
        count = 2 if isinstance(d, VarResultDef) else 1
        result_types += [_type_for(d.constr)] * count
    if op_class in (tfl.DequantizeOp,):
        operand_types = [TensorType(UniformQuantizedType("i8", [0.5], [0]), [1])]
    if op_class in (tfl.QuantizeOp,):
        operand_types = [TensorType(f32, [1])]
    if op_class is tfl.RFFT2dOp:  # two lengths
        operand_types[1] = TensorType(i32, [2])
    stateful = op_class.get_trait(StatefulOperands)
    state_indices = {op_class.operand_index(n) for n in stateful.names} if stateful is not None else set()
    args: list[SSAValue] = []
    for i, ty in enumerate(operand_types):
        if i in state_indices:  # a recurrent state: the zeros TFLite starts its variable tensor at
            assert isinstance(ty, TensorType)
            zeros = tfl.ConstOp(DenseIntOrFPElementsAttr.from_list(ty, [0.0] * max(1, int(np.prod(ty.get_shape())))))
            block.add_op(zeros)
            args.append(zeros.results[0])
        else:
            args.append(block.insert_arg(ty, len(block.args)))
    props = {}
    optional = {n for n, d in definition.properties.items() if isinstance(d, OptPropertyDef)}
    hybrid = op_class.get_trait(HybridKernel)
    if hybrid is not None and hybrid.asymmetric_inputs:  # read back whatever its value, as TensorFlow does
        optional.discard("asymmetric_quantize_inputs")
    for name, constr in op_class.property_constraints().items():
        if name in optional and name not in op_class.DEFAULTS:
            continue  # left absent (the schema default)
        refs = op_class.get_trait(SubgraphRefs)
        if isinstance(constr, object) and name in dict(refs.fields if refs is not None else ()):
            return None
        value = _prop_for(op_class, name, constr)
        if value is None:
            return None
        props[name] = value
    if op_class is tfl.PackOp:
        props["values_count"] = tfl.i32_attr(2)
    if op_class is tfl.SplitOp or op_class is tfl.SplitVOp:
        props["num_splits"] = tfl.i32_attr(2)
    if op_class is tfl.UnpackOp:
        props["num"] = tfl.i32_attr(2)
    if op_class is tfl.HashtableOp:  # a key/value pair TFLite's kernels take
        props.update(key_dtype=StringAttr("STRING"), value_dtype=StringAttr("INT64"))
    op = op_class.create(operands=args, result_types=result_types, properties=props)
    assert isinstance(op, tfl.TFLOp)
    return op


ROUND_TRIP = [c for c in OPS if c not in SPECIAL and not c.has_trait(SubgraphRefs)]


@pytest.mark.parametrize("op_class", ROUND_TRIP, ids=lambda c: c.name)
def test_every_op_exports_and_imports(op_class: type[tfl.TFLOp]) -> None:
    """A module holding one op of each class exports and imports back to the same op."""
    block = Block()
    op = _instance(op_class, block)
    assert op is not None, f"no sample instance of {op_class.name}"
    op.verify()
    block.add_op(op)
    outputs = [r for r in op.results]
    block.add_op(ReturnOp(*outputs))
    func = FuncOp("main", FunctionType.from_lists(block.arg_types, [r.type for r in outputs]), Region(block))
    inputs = [f"in{i}" for i in range(len(block.args))]
    mark_exported(func, "serving_default", inputs, [f"out{i}" for i in range(len(outputs))])
    module = ModuleOp([func])
    mark_module(module)
    verify_module(module)
    data = export_module(module, validate=False)  # sample shapes: the mapping is tested, not a runnable model
    back = import_model(data, "<test>")
    ops = [o for o in back.walk() if isinstance(o, tfl.TFLOp) and not isinstance(o, tfl.ConstOp | tfl.NoValueOp)]
    assert [type(o) for o in ops] == [op_class]
    (imported,) = ops
    assert dict(imported.properties) == {
        k: v for k, v in op.properties.items()
    }, f"{op_class.name}: {dict(imported.properties)} != {dict(op.properties)}"
    assert [r.type for r in imported.results] == [r.type for r in op.results]


def test_while_refers_to_existing_functions() -> None:
    """A tfl.while whose body does not exist fails verification naming it."""
    from tflc.ir import parse_module

    text = """
    func.func @cond(%x: tensor<f32>) -> tensor<i1> {
      %0 = "tfl.pseudo_const"() <{value = dense<true> : tensor<i1>}> : () -> tensor<i1>
      func.return %0 : tensor<i1>
    }
    func.func @main(%x: tensor<f32>) -> tensor<f32> {
      %0 = "tfl.while"(%x) <{cond = @cond, body = @missing}> : (tensor<f32>) -> tensor<f32>
      func.return %0 : tensor<f32>
    }
    """
    with pytest.raises(Exception, match="body refers to @missing, which the module does not define"):
        verify_module(parse_module(text))


def test_builders_take_python_values() -> None:
    """`build` converts Python values by the property constraints and fills defaults."""
    block = Block(arg_types=[TensorType(f32, [2, 3]), TensorType(i32, [1])])
    op = tfl.GatherOp.build(block.args, [TensorType(f32, [2, 1])], axis=1, batch_dims=0)
    assert op.properties["axis"] == tfl.i32_attr(1)
    add = tfl.AddOp(block.args[0], block.args[0])
    assert add.properties["fused_activation_function"] == StringAttr("NONE")
    assert add.output.type == block.args[0].type
    with pytest.raises(TypeError, match="no property bogus"):
        tfl.GatherOp.build(block.args, [TensorType(f32, [2, 1])], bogus=1)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda a, b: tfl.AddOp(a, b, TensorType(f32, [2])), "differs from the f32"),
        (lambda a, b: tfl.LogicalAndOp(a, a, TensorType(i1, [2])), "expected a tensor of i1"),
        (lambda a, b: tfl.SquareOp(b), "expected a tensor of f32"),
    ],
)
def test_mistyped_ops_fail_verification(build, message: str) -> None:
    """Element-type constraints reject what TFLite's kernels reject."""
    block = Block(arg_types=[TensorType(f32, [2]), TensorType(i32, [2])])
    op = build(*block.args)
    with pytest.raises(VerifyException, match=message):
        op.verify()


def test_rank_constraints() -> None:
    """A 3-D conv input fails: conv_2d takes NHWC tensors."""
    block = Block(arg_types=[TensorType(f32, [1, 4, 3]), TensorType(f32, [2, 1, 1, 3])])
    none = tfl.NoValueOp()
    op = tfl.Conv2DOp.build(
        [block.args[0], block.args[1], none.results[0]],
        [TensorType(f32, [1, 4, 4, 2])],
        padding="SAME", stride_h=1, stride_w=1, dilation_h_factor=1, dilation_w_factor=1,
    )
    with pytest.raises(VerifyException, match="expected a 4-D tensor"):
        op.verify()


def test_no_name_keyed_op_tables_left() -> None:
    """The old name-keyed tables are gone from the dialect and the passes."""
    import tflc.passes.optimize as optimize
    import tflc.passes.quantize as quantize
    import tflc.passes.quantize_int8 as quantize_int8

    for module, names in (
        (tfl, ("BUILTIN_OPTIONS", "NN_OPTIONS", "BUILTIN_CODES", "CONTROL_FLOW_SUBGRAPHS", "ENUM_PROPS")),
        (optimize, ("FOLDERS", "REDUCERS_NUMPY", "AFFINE_OPS", "FUSABLE_ACTIVATIONS", "ACTIVATION_PRODUCERS")),
        (quantize, ("WEIGHTS", "BIASES", "ACTIVATION_INPUT")),
        (quantize_int8, ("SPECS", "INT8_WEIGHT_OPS")),
    ):
        for name in names:
            assert not hasattr(module, name), f"{module.__name__}.{name}"
    assert np.__name__  # numpy is used by the module under test
