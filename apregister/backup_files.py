"""Writing a backup file safely: a private temporary file beside it, moved into place in one
step (never over an existing file unless asked), and synced to disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in plain words."""


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """A new, private (0600) file beside `path`, removed unless it was moved into place."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    part = Path(name)
    try:
        yield part
    finally:
        part.unlink(missing_ok=True)


def place(part: Path, path: Path, *, force: bool) -> None:
    """Move the finished copy to `path` in one step; without `force`, never over a file."""
    if force:
        os.replace(part, path)
    else:
        try:
            os.link(part, path)  # fails, rather than replaces, if a file appeared meanwhile
        except FileExistsError:
            raise BackupError(
                f"{path} already exists. Nothing was written: choose another name, or add "
                "--force to replace it."
            ) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise BackupError(f"{path} already exists. Nothing was written.") from None
            os.replace(part, path)
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        fsync(path.parent)


def fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
