"""Which files an import reads: named files, folders (recursively) and globs."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".html", ".htm"}


def collect_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Expand files, folders (recursively) and globs into importable files, sorted by name.

    Returns the files and the arguments that matched nothing, so the caller can report them.
    A file named explicitly is always tried (and fails clearly if its type is unsupported).
    """
    found: dict[Path, None] = {}
    unmatched: list[str] = []
    for argument in paths:
        path = Path(argument)
        if path.is_file():
            found[path] = None
            continue
        roots = (
            [path]
            if path.is_dir()
            else [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
        )
        matched = False
        for root in roots:
            files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
            for candidate in files:
                if candidate.suffix.lower() in SUPPORTED_SUFFIXES:
                    found[candidate] = None
                    matched = True
        if not matched:
            unmatched.append(argument)
    return list(found), unmatched
