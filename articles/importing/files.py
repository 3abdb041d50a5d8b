"""Which files an import reads: named files, folders (recursively) and globs.

Only regular files up to ``settings.IMPORT_MAX_FILE_BYTES`` are read, their size known from the
file system before reading: detection time grows with the text, and one huge file must not hold
a whole import. A symbolic link (to a file or a folder) and a special file (a named pipe, a
device, a socket) are refused with their reason, never followed nor opened: a link in an import
folder can point anywhere on the server (``/etc/passwd``), and opening a named pipe blocks until
something writes to it.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

SUPPORTED_SUFFIXES = {".txt", ".html", ".htm"}
_GLOB_MAGIC = frozenset("*?[")


class CollectedFiles(NamedTuple):
    """The files to import, the paths refused with their reason, and the arguments that
    matched nothing."""

    files: list[Path]
    refused: list[tuple[Path, str]]
    unmatched: list[str]


def collect_files(paths: Iterable[str]) -> CollectedFiles:
    """Expand files, folders (recursively) and globs into importable files, sorted by name.

    A file named explicitly is always tried (and fails clearly if its type is unsupported). In
    a folder, links and special files with a supported suffix are refused, as is every linked
    folder; the other files are left out, as before.
    """
    found: dict[Path, None] = {}
    refused: dict[Path, str] = {}
    unmatched: list[str] = []
    for argument in paths:
        path = Path(argument)
        if os.path.lexists(path):
            matched = _collect(path, found, refused, named=True)
        else:
            matched = False
            for match in sorted(glob.glob(argument, recursive=True)):
                link = _link_on_the_way(Path(match), Path(argument))
                if link is not None:
                    refused[Path(match)] = f"refused: reached through the symbolic link {link}"
                    matched = True
                else:
                    matched = _collect(Path(match), found, refused, named=False) or matched
        if not matched:
            unmatched.append(argument)
    return CollectedFiles(list(found), list(refused.items()), unmatched)


def max_file_bytes() -> int:
    """The largest file any import reads: the command, the importer and the admin's upload."""
    return settings.IMPORT_MAX_FILE_BYTES


def size_refusal(size: int) -> str | None:
    """Why a file of ``size`` bytes is not read, or None when it is within the limit."""
    limit = max_file_bytes()
    if size <= limit:
        return None
    size_text, limit_text = _readable_size(size), _readable_size(limit)
    if size_text == limit_text:  # just over: rounding would hide the difference
        size_text, limit_text = f"{size} bytes", f"{limit} bytes"
    return f"{size_text}, over the {limit_text} limit (IMPORT_MAX_FILE_BYTES)"


def refusal(path: Path, status: os.stat_result | None = None) -> str | None:
    """Why ``path`` is not read, from its ``lstat`` (``status``), or None for a regular file
    within the size limit."""
    if status is None:
        try:
            status = path.lstat()
        except OSError as error:
            return f"cannot read the file: {error}"
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return size_refusal(status.st_size)
    if stat.S_ISLNK(mode):
        kind = "a folder" if path.is_dir() else "a file" if path.exists() else "nothing"
        return f"refused: a symbolic link to {kind} ({os.readlink(path)}); links are not followed"
    if stat.S_ISDIR(mode):
        return "refused: a folder, not a file"
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "a special file"
    return f"refused: {kind}, not a regular file"


def _readable_size(size: int) -> str:
    """``3.4 MB``, ``2 MB``, ``12.5 KB``, ``500 bytes`` (binary multiples, as the setting is)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _collect(path: Path, found: dict, refused: dict, *, named: bool) -> bool:
    """Add ``path`` (a folder: what it holds) to ``found`` or ``refused``; True if it gave
    anything to either."""
    try:
        status = path.lstat()
    except OSError as error:
        refused[path] = f"cannot read: {error}"
        return True
    if stat.S_ISDIR(status.st_mode):
        matched = False
        for candidate, candidate_status in sorted(_walk(path, refused)):
            matched = _collect_one(candidate, candidate_status, found, refused) or matched
        return matched
    if named:
        reason = refusal(path, status)
        if reason is None:
            found[path] = None
        else:
            refused[path] = reason
        return True
    return _collect_one(path, status, found, refused)


def _collect_one(path: Path, status: os.stat_result, found: dict, refused: dict) -> bool:
    """A file met in a folder or a glob: kept if supported, refused if a link or special."""
    linked_folder = stat.S_ISLNK(status.st_mode) and path.is_dir()
    if path.suffix.lower() not in SUPPORTED_SUFFIXES and not linked_folder:
        return False
    reason = refusal(path, status)
    if reason is None:
        found[path] = None
    else:
        refused[path] = reason
    return True


def _walk(root: Path, refused: dict) -> Iterator[tuple[Path, os.stat_result]]:
    """Every file, link and special file under ``root`` with its ``lstat``; folders are entered,
    linked folders are not."""
    try:
        with os.scandir(root) as entries:
            listed = [(Path(entry.path), entry.stat(follow_symlinks=False)) for entry in entries]
    except OSError as error:
        refused[root] = f"cannot read the folder: {error}"
        return
    for path, status in listed:
        if stat.S_ISDIR(status.st_mode):
            yield from _walk(path, refused)
        else:
            yield path, status


def _link_on_the_way(match: Path, pattern: Path) -> Path | None:
    """The first symbolic link among the folders a glob went through to reach ``match`` (glob
    follows linked folders), below the pattern's literal start."""
    literal = 0
    for part in pattern.parts:
        if _GLOB_MAGIC & set(part):
            break
        literal += 1
    folders = match.parts[:-1]
    for depth in range(max(literal, 1), len(folders) + 1):
        folder = Path(*folders[:depth])
        if folder.is_symlink():
            return folder
    return None
