"""Errors raised by the SavedModel frontend."""

from __future__ import annotations

import os

from tflc.errors import TflcError


class FrontendError(TflcError):
    """A model could not be read; the message is one line naming the file and what to do."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None) -> None:
        """Build "<path>: <message>" (or just the message) and keep `path` for callers."""
        self.path: str | None = None if path is None else os.fspath(path)
        text = " ".join(message.split())
        super().__init__(f"{self.path}: {text}" if self.path is not None else text)
