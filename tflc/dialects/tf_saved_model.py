"""The `tf_saved_model` signature attributes, as TensorFlow writes them.

- module: `tf_saved_model.semantics` (unit attribute)
- exported function: `tf_saved_model.exported_names = ["encode"]`
- argument and result: `{tf_saved_model.index_path = ["x"]}`
- graph-imported functions: `tf.entry_function = {inputs = "a,b", outputs = "c"}`
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    UnitAttr,
)
from xdsl.dialects.func import FuncOp
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, SymbolRefAttr, TensorType
from xdsl.ir import Attribute, Dialect
from xdsl.irdl import IRDLOperation, irdl_op_definition, opt_prop_def, prop_def, traits_def
from xdsl.traits import SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from tflc.errors import describe_location


@irdl_op_definition
class GlobalTensorOp(IRDLOperation):
    """`tf_saved_model.global_tensor`: a SavedModel variable with its checkpoint value.

    Exported functions take it as a resource argument marked
    `{tf_saved_model.bound_input = @name}`; `freeze-variables` turns read-only ones
    into constants.
    """

    name = "tf_saved_model.global_tensor"
    sym_name = prop_def(StringAttr)
    type = prop_def(TensorType)
    value = opt_prop_def(Attribute)
    is_mutable = opt_prop_def(UnitAttr)
    traits = traits_def(SymbolOpInterface())

    def __init__(self, name: str, type: TensorType, value: Attribute | None, mutable: bool = True):
        props: dict[str, Attribute] = {"sym_name": StringAttr(name), "type": type}
        if value is not None:
            props["value"] = value
        if mutable:
            props["is_mutable"] = UnitAttr()
        super().__init__(properties=props)

    def checkpoint_value(self) -> DenseIntOrFPElementsAttr:
        """The value of a variable that has one (only those are frozen into constants)."""
        value = self.value
        assert isinstance(value, DenseIntOrFPElementsAttr), f"global tensor @{self.sym_name.data} has no dense value"
        return value

    def verify_(self) -> None:
        value_type = getattr(self.value, "type", None)
        if isinstance(value_type, TensorType) and value_type != self.type:
            from xdsl.utils.exceptions import VerifyException

            raise VerifyException(f"value has type {value_type} but the global tensor is {self.type}")


@irdl_op_definition
class SessionInitializerOp(IRDLOperation):
    """`tf_saved_model.session_initializer`: the functions a TF1 session runs once before
    any signature (`initializers = [@init]`, each with `tf_saved_model.initializer_type`)."""

    name = "tf_saved_model.session_initializer"
    initializers = prop_def(ArrayAttr[SymbolRefAttr])

    def __init__(self, initializers: Sequence[str]):
        super().__init__(properties={"initializers": ArrayAttr([SymbolRefAttr(n) for n in initializers])})

    def names(self) -> list[str]:
        """The initializer functions' names."""
        return [ref.root_reference.data for ref in self.initializers.data]


@irdl_op_definition
class AssetOp(IRDLOperation):
    """`tf_saved_model.asset`: a file of the SavedModel's assets/ directory, bound to an
    initializer's string argument."""

    name = "tf_saved_model.asset"
    sym_name = prop_def(StringAttr)
    filename = prop_def(StringAttr)
    traits = traits_def(SymbolOpInterface())

    def __init__(self, name: str, filename: str):
        super().__init__(properties={"sym_name": StringAttr(name), "filename": StringAttr(filename)})


TFSavedModel = Dialect("tf_saved_model", [GlobalTensorOp, SessionInitializerOp, AssetOp], [])
INITIALIZER_TYPE = "tf_saved_model.initializer_type"


def bound_input(func: FuncOp, index: int) -> str | None:
    """The global tensor an argument is bound to (`@v`), if any."""
    if func.arg_attrs is None:
        return None
    attrs = func.arg_attrs.data[index]
    ref = attrs.data.get(BOUND_INPUT)
    return ref.root_reference.data if isinstance(ref, SymbolRefAttr) else None

BOUND_INPUT = "tf_saved_model.bound_input"
SEMANTICS = "tf_saved_model.semantics"
EXPORTED_NAMES = "tf_saved_model.exported_names"
INDEX_PATH = "tf_saved_model.index_path"
ENTRY_FUNCTION = "tf.entry_function"
USER_SPECIFIED_NAME = "tf._user_specified_name"
DEFAULT_SIGNATURE_KEY = "serving_default"


@dataclass(frozen=True)
class Signature:
    """A function's signature: its key and its input and output names, in order."""

    key: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def _index_path_name(attrs: DictionaryAttr | None) -> str | None:
    """The name in a `{tf_saved_model.index_path = [...]}` argument dictionary."""
    if attrs is None:
        return None
    path = attrs.data.get(INDEX_PATH)
    if not isinstance(path, ArrayAttr) or not path.data:
        return None
    for part in path.data:
        if not isinstance(part, StringAttr | IntegerAttr):
            raise VerifyException(f"{INDEX_PATH} holds {part}; it lists strings and integers (as [\"x\"] or [0])")
    user_name = attrs.data.get(USER_SPECIFIED_NAME)
    if isinstance(user_name, StringAttr) and not any(isinstance(p, StringAttr) for p in path.data):
        # A positional argument (`index_path = [0]`): TF names it after the Python argument.
        return user_name.data
    return ".".join(p.data if isinstance(p, StringAttr) else str(p.value.data) for p in path.data)


def exported_names(func: FuncOp) -> list[str]:
    """The `tf_saved_model.exported_names` of a function (empty if not exported)."""
    names = func.attributes.get(EXPORTED_NAMES)
    if not isinstance(names, ArrayAttr):
        return []
    return [n.data for n in names.data if isinstance(n, StringAttr)]


def _entry_function_names(func: FuncOp, key: str) -> list[str] | None:
    entry = func.attributes.get(ENTRY_FUNCTION)
    if not isinstance(entry, DictionaryAttr):
        return None
    names = entry.data.get(key)
    if not isinstance(names, StringAttr) or not names.data:
        return None
    return names.data.split(",")


def _names(
    attrs: Sequence[DictionaryAttr] | None, count: int, entry: list[str] | None, fallback: str
) -> tuple[str, ...]:
    result = []
    for i in range(count):
        name = _index_path_name(attrs[i] if attrs else None)
        if name is None and entry is not None and i < len(entry):
            name = entry[i].split(":")[0]
        result.append(name or f"{fallback}{i}")
    return tuple(result)


def function_signature(func: FuncOp, key: str) -> Signature:
    """The signature a function exports under `key`, with its input and output names."""
    arg_attrs = func.arg_attrs.data if func.arg_attrs else None
    if arg_attrs is not None and any(BOUND_INPUT in a.data for a in arg_attrs):
        raise VerifyException(
            f"@{func.sym_name.data} still takes variables (tf_saved_model.bound_input); "
            "run freeze-variables first"
        )
    res_attrs = func.res_attrs.data if func.res_attrs else None
    ftype = func.function_type
    try:
        inputs = _names(arg_attrs, len(ftype.inputs), _entry_function_names(func, "inputs"), "arg")
        outputs = _names(res_attrs, len(ftype.outputs), _entry_function_names(func, "outputs"), "output_")
    except VerifyException as err:
        raise VerifyException(f"{describe_location(func.location)}: @{func.sym_name.data}: {err}") from None
    return Signature(key, inputs, outputs)


def is_graph_entry(module: ModuleOp, func: FuncOp) -> bool:
    """Whether `func` is the entry of an imported GraphDef (`tf.entry_function`, no SavedModel
    semantics): TFLite models get no SignatureDef for it, as TensorFlow's converter writes."""
    return SEMANTICS not in module.attributes and ENTRY_FUNCTION in func.attributes


def module_signatures(module: ModuleOp) -> list[tuple[FuncOp, Signature]]:
    """The exported functions of a module with their signatures.

    Functions marked with `tf_saved_model.exported_names` export under each name; a
    module with no marked function exports its `main` (or only public function) as
    `serving_default`.
    """
    funcs = [op for op in module.ops if isinstance(op, FuncOp)]
    exported = [(f, name) for f in funcs for name in exported_names(f)]
    if not exported:
        mains = [f for f in funcs if f.sym_name.data == "main"]
        public = [f for f in funcs if f.sym_visibility is None or f.sym_visibility.data == "public"]
        entry = mains or (public if len(public) == 1 else [])
        exported = [(f, DEFAULT_SIGNATURE_KEY) for f in entry[:1]]
    return [(f, function_signature(f, key)) for f, key in exported]


def mark_exported(
    func: FuncOp, key: str, inputs: Sequence[str], outputs: Sequence[str]
) -> None:
    """Mark `func` as exported under `key`, naming its arguments and results."""
    func.attributes[EXPORTED_NAMES] = ArrayAttr([StringAttr(key)])
    func.arg_attrs = ArrayAttr(
        [DictionaryAttr({INDEX_PATH: ArrayAttr([StringAttr(n)])}) for n in inputs]
    )
    func.res_attrs = ArrayAttr(
        [DictionaryAttr({INDEX_PATH: ArrayAttr([StringAttr(n)])}) for n in outputs]
    )


TF_VERSIONS = "tf.versions"


def mark_module(module: ModuleOp) -> None:
    """Mark a module as having SavedModel semantics.

    `tf.versions` (empty: versions unknown) comes first, as in TensorFlow's MLIR, so
    that MLIR tools (Model Explorer) load the tf dialect before parsing any
    `!tf_type` type in a function signature.
    """
    if TF_VERSIONS not in module.attributes:
        attrs = dict(module.attributes)
        module.attributes.clear()
        module.attributes[TF_VERSIONS] = DictionaryAttr({})
        module.attributes.update(attrs)
    module.attributes[SEMANTICS] = UnitAttr()


def verify_signatures(module: ModuleOp) -> None:
    """Check that signature keys are unique and names unique within each signature."""
    seen: dict[str, str] = {}
    for func, sig in module_signatures(module):
        if sig.key in seen:
            raise VerifyException(
                f"signature key '{sig.key}' is exported by both @{seen[sig.key]} and "
                f"@{func.sym_name.data}"
            )
        seen[sig.key] = func.sym_name.data
        for kind, names in (("input", sig.inputs), ("output", sig.outputs)):
            if len(set(names)) != len(names):
                raise VerifyException(
                    f"signature '{sig.key}' has duplicate {kind} names {list(names)}"
                )

