"""Checksums of the index's files, so that damaged bytes read as damage and not as results.

Whoosh keeps no checksums: a segment with a few flipped bytes opens, and its searches answer
with wrong documents or raise errors from deep inside the codec (a pickle, a ``struct`` unpack,
an index out of range), while a health check that only opens the index finds it fine. So every
commit records the size and SHA-256 of each file of the new version (the table of contents and
the ``.seg`` files) in a manifest beside them; opening a searcher, the health check and
``sync_index`` compare the files with it.

Segments never change once written, so a process hashes a file again only when its size, inode
or modification time changed (``verify(..., cached=False)`` hashes everything, for sync_index).
A manifest of another version than the folder's current one means a commit is in progress (the
writer records it right after): that version is *unverified*, not damaged; so is an index
written before manifests existed, until its next commit (``sync_index`` rebuilds such an index
once, since nothing else can tell whether its bytes are still those Whoosh wrote).
"""

import hashlib
import json
import os
import threading

from whoosh.filedb.filestore import FileStorage

from articles.search.engine.whoosh import internals
from articles.search.engine.whoosh.schema import INDEX_NAME

# Not "MAIN_…": Whoosh deletes files named like its own segments when it commits.
MANIFEST_NAME = f"{INDEX_NAME.lower()}-checksums.json"

# (path, inode, mtime_ns, size) → SHA-256, for files already hashed in this process.
_digests: dict[tuple, str] = {}
_digests_lock = threading.Lock()


def _current_toc(path) -> str | None:
    try:
        generation = internals.latest_generation(FileStorage(str(path)), INDEX_NAME)
    except OSError:
        return None
    return internals.toc_filename(INDEX_NAME, generation) if generation >= 0 else None


def _digest(file_path: str, *, cached: bool) -> tuple[int, str]:
    stat = os.stat(file_path)
    key = (file_path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if cached:
        with _digests_lock:
            found = _digests.get(key)
        if found is not None:
            return stat.st_size, found
    with open(file_path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    with _digests_lock:
        _digests[key] = digest
    return stat.st_size, digest


def record(path) -> None:
    """Write the manifest of the index version in ``path`` (call with the writer lock held,
    right after a commit)."""
    path = str(path)
    toc = _current_toc(path)
    if toc is None:
        return
    names = [toc, *sorted(name for name in os.listdir(path) if name.endswith(".seg"))]
    files = {}
    for name in names:
        size, digest = _digest(os.path.join(path, name), cached=True)
        files[name] = [size, digest]
    temporary = os.path.join(path, f"{MANIFEST_NAME}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"toc": toc, "files": files}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, os.path.join(path, MANIFEST_NAME))


def recorded(path) -> bool:
    """The index in ``path`` has a manifest (one written before manifests existed has none)."""
    return os.path.exists(os.path.join(str(path), MANIFEST_NAME))


def damage(path, *, cached: bool = True) -> str:
    """What is wrong with the files of the index version in ``path`` ("" when they match the
    manifest, or when there is no manifest of this version to compare them with)."""
    path = str(path)
    try:
        with open(os.path.join(path, MANIFEST_NAME), encoding="utf-8") as handle:
            manifest = json.load(handle)
    except FileNotFoundError:
        return ""
    except (OSError, ValueError) as error:
        return f"the checksum manifest cannot be read ({type(error).__name__})"
    if manifest.get("toc") != _current_toc(path):
        return ""  # a commit in progress: its writer records the new manifest next
    for name, (size, digest) in manifest.get("files", {}).items():
        try:
            found_size, found_digest = _digest(os.path.join(path, name), cached=cached)
        except OSError:
            return f"{name} is missing"
        if found_size != size:
            return f"{name} has {found_size} bytes, {size} were written"
        if found_digest != digest:
            return f"{name} does not hold the bytes that were written"
    return ""
