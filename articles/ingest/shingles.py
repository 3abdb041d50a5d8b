"""Word shingles of an article's text, and the compact signature the importer stores for them.

Two articles are near-duplicates when most of the 5-word sequences (shingles) of the shorter one
also occur in the other. Comparing shingle sets is exact but costly when the text must be folded
and cut again for every candidate, so each article keeps its shingles as a sorted array of
64-bit hashes: comparing two signatures counts the same shared shingles, barring a hash
collision (about one chance in 10^13 per comparison of two 500-shingle texts).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

SHINGLE_SIZE = 5
WORD = re.compile(r"\w+", re.UNICODE)


class _FoldTable(dict):
    """``str.translate`` table of the per-character fold, filled in as characters show up.

    Decomposition, dropping combining marks and case folding all work character by character,
    so folding each character alone gives the same text as folding the whole string at once.
    """

    def __missing__(self, code: int) -> str:
        char = "'" if code == 0x2019 else chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Text without accents, case or curly apostrophes, for matching names and shingles."""
    return text.translate(_FOLD_TABLE).strip()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    words = WORD.findall(fold(text))
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def shingle_overlap(first: set, second: set) -> float:
    """Shared shingles as a share of the smaller set (a short reprint inside a long article
    counts as a duplicate)."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def signature(text: str, size: int = SHINGLE_SIZE) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the text's shingles (stable across processes)."""
    words = WORD.findall(fold(text))
    blake2b = hashlib.blake2b
    # The digests read as little-endian integers in one go, then sorted and made distinct by
    # numpy: a third less time than building a set of Python integers.
    digests = b"".join(
        [
            blake2b(" ".join(words[i : i + size]).encode(), digest_size=8).digest()
            for i in range(max(0, len(words) - size + 1))
        ]
    )
    return np.unique(np.frombuffer(digests, dtype="<u8").astype(np.uint64))


def signature_to_bytes(hashes: np.ndarray) -> bytes:
    return hashes.astype("<u8", copy=False).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u8").astype(np.uint64)
