"""Word shingles of an article's text, and the compact signature the importer stores for them.

Two articles are near-duplicates when most of the 5-word sequences (shingles) of the shorter one
also occur in the other. Comparing shingle sets is exact but costly when the text must be folded
and cut again for every candidate, so each article keeps its shingles as a sorted array of
64-bit hashes: comparing two signatures counts the same shared shingles, barring a hash
collision (about one chance in 10^13 per comparison of two 500-shingle texts).

A shingle's hash is a weighted sum of its words' hashes, computed for all shingles at once
with numpy: each word is hashed once (and once per process, for the words seen before), not
each 5-word string. Two different shingles differ in at least one word, whose 64-bit hash is
as good as random: their sums differ but for a chance of about 2^-60.
"""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np

from articles.ingest.folding import fold_for_shingles as fold

SHINGLE_SIZE = 5
WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    words = WORD.findall(fold(text))
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def shingle_overlap(first: set, second: set) -> float:
    """Shared shingles as a share of the smaller set (a short reprint inside a long article
    counts as a duplicate)."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _blake2b_int(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


@functools.lru_cache(maxsize=4)
def _position_weights(size: int) -> np.ndarray:
    """One odd 64-bit weight per position in a shingle: "a b" and "b a" give different sums."""
    return np.array(
        [_blake2b_int(f"position {index}".encode()) | 1 for index in range(size)], dtype=np.uint64
    )


# An import meets the same few tens of thousands of words again and again: each is hashed once
# per process, and the cache stays bounded.
@functools.lru_cache(maxsize=200_000)
def word_hash(word: str) -> int:
    return _blake2b_int(word.encode())


def signature(text: str, size: int = SHINGLE_SIZE) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the text's shingles (stable across processes:
    stored fingerprints are compared with signatures cut later; a change of hashing comes with a
    migration that drops them, as 0007 does)."""
    words = WORD.findall(fold(text))
    count = len(words) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter(map(word_hash, words), dtype=np.uint64, count=len(words))
    # uint64 arithmetic wraps around: the sums are taken modulo 2^64.
    weights = _position_weights(size)
    hashes = word_hashes[:count] * weights[0]
    for position in range(1, size):
        hashes += word_hashes[position : position + count] * weights[position]
    return np.unique(hashes)


def signature_to_bytes(hashes: np.ndarray) -> bytes:
    return hashes.astype("<u8", copy=False).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u8").astype(np.uint64)
