"""Local files as uploads send them: a SHA-256 first (the server checks it), then 1 MiB pieces."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator

from mlops._progress import Progress

CHUNK_BYTES = 1 << 20


def sha256_of(path: str) -> str:
    """The file's SHA-256 as 64 lowercase hex characters, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def pieces(path: str, progress: Progress) -> Iterator[bytes]:
    """The file's bytes in 1 MiB pieces, moving ``progress`` as each is handed over."""
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            progress.advance(len(chunk))
            yield chunk


def upload_progress(size: int, description: str) -> Progress:
    """A bar for uploads over 8 MiB when on a terminal; nothing for smaller ones."""
    return Progress(size, description, "B", enabled=None if size > 8 * CHUNK_BYTES else False)
