"""Files kept by their SHA-256 under one folder: equal files once, no name a user chose."""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from models.errors import N_, DomainError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Received:
    """An upload written to a temporary file beside the store, not yet kept."""

    path: Path
    content_hash: str
    size: int


class Store:
    """The materials folder: `<root>/<2 hex>/<64 hex>`, written once, never overwritten."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, content_hash: str) -> Path:
        """Where a file with this hash is kept (the hash is ours, never the user's)."""
        if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / content_hash[:2] / content_hash

    def receive(self, source: BinaryIO, *, max_bytes: int) -> Received:
        """Copy an upload in chunks to a temporary file, hashing it; refuse it when too large."""
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, name = tempfile.mkstemp(dir=incoming)
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as target:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise DomainError(
                            N_("This file is too large: at most %(megabytes)s MB."),
                            field="file",
                            megabytes=max_bytes // (1024 * 1024),
                        )
                    digest.update(chunk)
                    target.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Received(path=path, content_hash=digest.hexdigest(), size=size)

    def keep(self, received: Received) -> Path:
        """Move a received file to its place; a file already kept with that hash is reused."""
        target = self.path_of(received.content_hash)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            received.path.unlink(missing_ok=True)
        else:
            os.replace(received.path, target)
        return target

    def discard(self, received: Received) -> None:
        """Forget a received file that was refused."""
        received.path.unlink(missing_ok=True)

    def copy_to(self, content_hash: str, target: IO[bytes]) -> None:
        """Write a kept file into `target` (for the meeting pack)."""
        with self.path_of(content_hash).open("rb") as source:
            shutil.copyfileobj(source, target, CHUNK)
