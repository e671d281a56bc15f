#!/usr/bin/env bash
# Regenerates the *_pb2.py modules beside this script from the *.proto files.
# The protos import each other as "tflc/frontend/proto/x.proto", so running
# protoc from the repository root makes the generated modules import each
# other as tflc.frontend.proto.x_pb2 without any fix-ups.
# Needs grpcio-tools (pip install -e '.[dev]'); pass PYTHON=... to choose one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
"${PYTHON:-python}" -m grpc_tools.protoc -I. --python_out=. --pyi_out=. \
  tflc/frontend/proto/*.proto
