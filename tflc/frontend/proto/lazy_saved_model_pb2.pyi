from tflc.frontend.proto import meta_graph_pb2 as _meta_graph_pb2
from tflc.frontend.proto import meta_graph_v1_pb2 as _meta_graph_v1_pb2
from tflc.frontend.proto import node_def_pb2 as _node_def_pb2
from tflc.frontend.proto import saved_object_graph_pb2 as _saved_object_graph_pb2
from tflc.frontend.proto import versions_pb2 as _versions_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LazySavedModel(_message.Message):
    __slots__ = ("saved_model_schema_version", "meta_graphs")
    SAVED_MODEL_SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    META_GRAPHS_FIELD_NUMBER: _ClassVar[int]
    saved_model_schema_version: int
    meta_graphs: _containers.RepeatedCompositeFieldContainer[LazyMetaGraphDef]
    def __init__(self, saved_model_schema_version: _Optional[int] = ..., meta_graphs: _Optional[_Iterable[_Union[LazyMetaGraphDef, _Mapping]]] = ...) -> None: ...

class LazyMetaGraphDef(_message.Message):
    __slots__ = ("meta_info_def", "graph_def", "saver_def", "collection_def", "signature_def", "asset_file_def", "object_graph_def")
    class CollectionDefEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _meta_graph_v1_pb2.CollectionDef
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_meta_graph_v1_pb2.CollectionDef, _Mapping]] = ...) -> None: ...
    class SignatureDefEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _meta_graph_pb2.SignatureDef
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_meta_graph_pb2.SignatureDef, _Mapping]] = ...) -> None: ...
    META_INFO_DEF_FIELD_NUMBER: _ClassVar[int]
    GRAPH_DEF_FIELD_NUMBER: _ClassVar[int]
    SAVER_DEF_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_DEF_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_DEF_FIELD_NUMBER: _ClassVar[int]
    ASSET_FILE_DEF_FIELD_NUMBER: _ClassVar[int]
    OBJECT_GRAPH_DEF_FIELD_NUMBER: _ClassVar[int]
    meta_info_def: _meta_graph_pb2.MetaGraphDef.MetaInfoDef
    graph_def: LazyGraphDef
    saver_def: _meta_graph_v1_pb2.SaverDef
    collection_def: _containers.MessageMap[str, _meta_graph_v1_pb2.CollectionDef]
    signature_def: _containers.MessageMap[str, _meta_graph_pb2.SignatureDef]
    asset_file_def: _containers.RepeatedCompositeFieldContainer[_meta_graph_pb2.AssetFileDef]
    object_graph_def: _saved_object_graph_pb2.SavedObjectGraph
    def __init__(self, meta_info_def: _Optional[_Union[_meta_graph_pb2.MetaGraphDef.MetaInfoDef, _Mapping]] = ..., graph_def: _Optional[_Union[LazyGraphDef, _Mapping]] = ..., saver_def: _Optional[_Union[_meta_graph_v1_pb2.SaverDef, _Mapping]] = ..., collection_def: _Optional[_Mapping[str, _meta_graph_v1_pb2.CollectionDef]] = ..., signature_def: _Optional[_Mapping[str, _meta_graph_pb2.SignatureDef]] = ..., asset_file_def: _Optional[_Iterable[_Union[_meta_graph_pb2.AssetFileDef, _Mapping]]] = ..., object_graph_def: _Optional[_Union[_saved_object_graph_pb2.SavedObjectGraph, _Mapping]] = ...) -> None: ...

class LazyGraphDef(_message.Message):
    __slots__ = ("node", "versions", "version", "library")
    NODE_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LIBRARY_FIELD_NUMBER: _ClassVar[int]
    node: _containers.RepeatedCompositeFieldContainer[_node_def_pb2.NodeDef]
    versions: _versions_pb2.VersionDef
    version: int
    library: SerializedFunctionDefLibrary
    def __init__(self, node: _Optional[_Iterable[_Union[_node_def_pb2.NodeDef, _Mapping]]] = ..., versions: _Optional[_Union[_versions_pb2.VersionDef, _Mapping]] = ..., version: _Optional[int] = ..., library: _Optional[_Union[SerializedFunctionDefLibrary, _Mapping]] = ...) -> None: ...

class SerializedFunctionDefLibrary(_message.Message):
    __slots__ = ("function",)
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    function: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, function: _Optional[_Iterable[bytes]] = ...) -> None: ...

class FunctionDefName(_message.Message):
    __slots__ = ("signature",)
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    signature: OpDefName
    def __init__(self, signature: _Optional[_Union[OpDefName, _Mapping]] = ...) -> None: ...

class OpDefName(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...
