"""Tests of tflc.frontend.checkpoint on checkpoints written by TensorFlow (in a subprocess)."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tflc.frontend.checkpoint import OBJECT_GRAPH_KEY, Checkpoint, crc32c
from tflc.frontend.errors import FrontendError
from tflc.frontend.proto import types_pb2


def _fixture_module() -> Any:
    """test_saved_model_reader, which builds the TF models once a session for both modules."""
    path = Path(__file__).with_name("test_saved_model_reader.py")
    spec = importlib.util.spec_from_file_location("_tflc_tf_model_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_FIXTURES = _fixture_module()


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory holding the SavedModels written by TensorFlow."""
    return _FIXTURES.build_tf_models(tmp_path_factory)


@pytest.fixture
def codec(models: Path) -> Checkpoint:
    """The checkpoint of the model with variables of many dtypes."""
    return Checkpoint(models / "codec" / "variables" / "variables")


def expected(models: Path, name: str) -> Any:
    """A value TensorFlow saved next to the models."""
    return np.load(models / f"{name}.npy", allow_pickle=True)


def private_copy(models: Path, tmp_path: Path) -> Path:
    """Prefix of a private copy of the codec checkpoint, to damage."""
    shutil.copytree(models / "codec" / "variables", tmp_path / "variables")
    return tmp_path / "variables" / "variables"


def _mask(crc: int) -> int:
    """LevelDB/TF crc masking."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


# --------------------------------------------------------------------------- reading


def test_keys_and_header(codec: Checkpoint) -> None:
    assert codec.header.num_shards == 1
    assert codec.header.endianness == codec.header.LITTLE
    keys = codec.keys()
    assert "" not in keys
    assert OBJECT_GRAPH_KEY in keys
    for name in ["inner/w", "inner/b", "scale", "flag", "h", "bf", "s", "i64", "big"]:
        assert f"{name}/.ATTRIBUTES/VARIABLE_VALUE" in codec
    assert len(codec) == len(keys)
    assert codec.dtype("inner/w/.ATTRIBUTES/VARIABLE_VALUE") == types_pb2.DT_FLOAT
    assert codec.shape("inner/w/.ATTRIBUTES/VARIABLE_VALUE") == (2, 3)
    entry = codec.entry("big/.ATTRIBUTES/VARIABLE_VALUE")
    assert entry.size == 300 * 300 * 4 and entry.shard_id == 0
    with pytest.raises(KeyError):
        codec.entry("missing")


@pytest.mark.parametrize(
    ("name", "dtype"),
    [
        ("inner.w", np.float32),
        ("inner.b", np.float32),
        ("scale", np.int32),
        ("flag", np.bool_),
        ("h", np.float16),
        ("i64", np.int64),
        ("big", np.float32),
    ],
)
def test_read_numeric(models: Path, codec: Checkpoint, name: str, dtype: Any) -> None:
    value = codec.read(name.replace(".", "/") + "/.ATTRIBUTES/VARIABLE_VALUE")
    want = expected(models, f"codec.{name}")
    assert isinstance(value, np.ndarray) and value.dtype == np.dtype(dtype)
    assert value.shape == want.shape
    np.testing.assert_array_equal(value, want)


def test_read_bfloat16(models: Path, codec: Checkpoint) -> None:
    value = codec.read("bf/.ATTRIBUTES/VARIABLE_VALUE")
    want = expected(models, "codec.bf_as_f32")
    assert value.shape == (3,) and value.dtype.itemsize == 2
    if value.dtype == np.uint16:  # no ml_dtypes: raw bits
        value = (value.astype(np.uint32) << 16).view(np.float32)
    np.testing.assert_array_equal(value.astype(np.float32), want)


def test_read_strings(models: Path, codec: Checkpoint) -> None:
    value = codec.read("s/.ATTRIBUTES/VARIABLE_VALUE")
    assert value.dtype == object and value.shape == (3,)
    assert value.tolist() == [b"alpha", b"", b"gamma\x00delta"]
    assert value.tolist() == expected(models, "codec.s").tolist()


def test_read_empty_and_scalar_tensors(codec: Checkpoint) -> None:
    empty_s = codec.read("empty_s/.ATTRIBUTES/VARIABLE_VALUE")
    assert empty_s.dtype == object and empty_s.shape == (0,)
    empty_f = codec.read("empty_f/.ATTRIBUTES/VARIABLE_VALUE")
    assert empty_f.dtype == np.float32 and empty_f.shape == (0, 3)
    word = codec.read("word/.ATTRIBUTES/VARIABLE_VALUE")
    assert word.shape == () and word.item() == b"scalar"


def test_object_graph(codec: Checkpoint) -> None:
    graph = codec.object_graph()
    assert graph is not None
    root_children = {ref.local_name: ref.node_id for ref in graph.nodes[0].children}
    assert {"inner", "scale", "flag"} <= set(root_children)
    inner = {ref.local_name: ref.node_id for ref in graph.nodes[root_children["inner"]].children}
    (attribute,) = graph.nodes[inner["w"]].attributes
    assert attribute.name == "VARIABLE_VALUE"
    assert attribute.checkpoint_key == "inner/w/.ATTRIBUTES/VARIABLE_VALUE"


def test_crc32c() -> None:
    assert crc32c(b"") == 0
    assert crc32c(b"123456789") == 0xE3069283  # the standard CRC-32C check value
    data = np.random.default_rng(1).integers(0, 256, 1_000_003, dtype=np.uint8).tobytes()
    whole = crc32c(data)
    assert crc32c(data[700_001:], crc32c(data[:700_001])) == whole  # large path vs chained
    assert crc32c(data[:300_001]) == crc32c(data[1:300_001], crc32c(data[:1]))


# --------------------------------------------------------------------------- damage


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(FrontendError, match=r"variables\.index: checkpoint index not found"):
        Checkpoint(tmp_path / "variables")


@pytest.mark.parametrize(
    ("keep", "message"),
    [(0, "truncated table footer"), (20, "truncated table footer"), (-10, "bad table magic")],
)
def test_truncated_index(models: Path, tmp_path: Path, keep: int, message: str) -> None:
    prefix = private_copy(models, tmp_path)
    index = Path(f"{prefix}.index")
    data = index.read_bytes()
    index.write_bytes(data[:keep] if keep >= 0 else data[:keep])
    with pytest.raises(FrontendError, match=rf"variables\.index: {message}.*re-export") as info:
        Checkpoint(prefix)
    assert "\n" not in str(info.value)


def test_corrupt_index_block(models: Path, tmp_path: Path) -> None:
    prefix = private_copy(models, tmp_path)
    index = Path(f"{prefix}.index")
    data = bytearray(index.read_bytes())
    data[10] ^= 0xFF  # inside the first data block
    index.write_bytes(bytes(data))
    with pytest.raises(FrontendError, match=r"variables\.index: checksum mismatch"):
        Checkpoint(prefix)


def _index_block_handle(data: bytes) -> tuple[int, int]:
    """(offset, size) of the index block, decoded from the table footer."""
    pos = len(data) - 48
    values = []
    for _ in range(4):
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values[2], values[3]


def test_compressed_block_is_rejected(models: Path, tmp_path: Path) -> None:
    prefix = private_copy(models, tmp_path)
    index = Path(f"{prefix}.index")
    data = bytearray(index.read_bytes())
    offset, size = _index_block_handle(bytes(data))
    data[offset + size] = 1  # claim snappy compression, with a valid checksum
    struct.pack_into(
        "<I", data, offset + size + 1, _mask(crc32c(bytes(data[offset : offset + size + 1])))
    )
    index.write_bytes(bytes(data))
    with pytest.raises(FrontendError, match="snappy compression, which is not supported"):
        Checkpoint(prefix)


def test_truncated_data_file(models: Path, tmp_path: Path) -> None:
    prefix = private_copy(models, tmp_path)
    shard = Path(f"{prefix}.data-00000-of-00001")
    shard.write_bytes(shard.read_bytes()[:-1])
    with pytest.raises(FrontendError, match=r"variables\.data-00000-of-00001: truncated data file"):
        Checkpoint(prefix)


def test_missing_data_file(models: Path, tmp_path: Path) -> None:
    prefix = private_copy(models, tmp_path)
    Path(f"{prefix}.data-00000-of-00001").unlink()
    with pytest.raises(
        FrontendError, match=r"variables\.data-00000-of-00001: checkpoint data file is missing"
    ):
        Checkpoint(prefix)


def test_corrupt_data_is_detected(models: Path, tmp_path: Path) -> None:
    prefix = private_copy(models, tmp_path)
    key = "big/.ATTRIBUTES/VARIABLE_VALUE"
    entry = Checkpoint(prefix).entry(key)
    shard = Path(f"{prefix}.data-00000-of-00001")
    data = bytearray(shard.read_bytes())
    data[entry.offset + 1234] ^= 0x01
    shard.write_bytes(bytes(data))
    with pytest.raises(
        FrontendError, match=r"data-00000-of-00001: checksum mismatch for tensor 'big/"
    ):
        Checkpoint(prefix).read(key)
    assert Checkpoint(prefix, verify_checksums=False).read(key).shape == (300, 300)


def test_tensorflow_not_imported() -> None:
    """Reading checkpoints never imports TensorFlow (checked in a fresh process)."""
    import subprocess
    from pathlib import Path

    prefix = Path(__file__).resolve().parents[1] / "fixtures" / "savedmodels" / "pow" / "variables" / "variables"
    script = (
        "import sys\n"
        "from tflc.frontend.checkpoint import Checkpoint\n"
        f"ckpt = Checkpoint({str(prefix)!r})\n"
        "assert all(ckpt.read(k) is not None for k in ckpt.keys())\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
