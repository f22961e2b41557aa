"""Atomic writes: a file is always whole, the old one or the new one, whatever happens during the write.

``write_atomically`` is the one way purenet writes whole files (models, checkpoints,
safetensors, ONNX, reports); ``purenet.serialization`` re-exports it.
tests/test_atomic_save.py kills a saving process at 200 moments to check it.
"""

from __future__ import annotations

import os
import tempfile


def write_atomically(path: str | os.PathLike, data: bytes | str) -> None:
    """Write ``data`` (bytes, or text written as UTF-8) to ``path`` so that ``path`` is always whole.

    A temporary file in the same folder is written, flushed and synced to
    disk, then renamed over ``path`` (``os.replace`` is atomic on POSIX and
    Windows); the folder is synced too where the platform allows, so that
    the rename itself survives a power cut. A crash or a kill at any moment
    leaves either the old file or the new one, never a fragment; on failure
    the temporary file is removed. The file keeps the old file's mode, or
    gets 0644. Every purenet writer of whole files goes through here.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"write_atomically: data must be bytes or str, got {type(data).__name__}")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=".purenet-", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); give it the mode the old file had, or 0644.
        mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
        os.chmod(temporary, mode)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """fsync the folder, so that the rename is on disk; Windows cannot open a folder, and says so."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is already on disk
    finally:
        os.close(descriptor)
