"""Phrase matching from posting blocks with numpy, exactly as Whoosh's ``Phrase`` matches.

Whoosh turns ``Phrase(field, words, slop)`` into ``SpanNear2(terms, slop, ordered=True,
mindist=1)``: a document matches when it has the words at positions p0 < p1 < … with
1 <= p(i) - p(i-1) <= slop (each word's span ends at the position of its last word, and
overlapping spans are at distance 0, under ``mindist``). Stop words are gone before positions
are numbered, in the index and in the query alike, so the phrase's words are consecutive terms.

The ``Positions`` format stores, per posting, a 4-byte count and a protocol-2 pickle of the
position deltas. A term's raw values are kept as one byte buffer; for a phrase only the
documents that have every word are decoded, all of them by a single ``pickle.loads``.
"""

import pickle
from itertools import chain
from typing import NamedTuple

import numpy as np
from whoosh import formats

# Every value is b"<count:4>\x80\x02" + a list's opcodes + b"."; a list's opcodes push the list
# on the pickle stack, so many of them between a MARK and a LIST make one list of lists.
_HEADER = 6
_PROTO_2 = b"\x80\x02"
_MARK = b"("
_LIST_AND_STOP = b"l."
_STOP = ord(".")
_EMPTY_LIST = ord("]")

# A position key is (candidate number << 32) | position: sorted keys, and a difference of at
# most ``slop`` only within one document.
_DOC_SHIFT = 32


class TermPositions(NamedTuple):
    """One term's postings over every segment: document numbers (ascending, deleted ones
    included) and each posting's raw ``Positions`` value, ``values[offsets[i]:offsets[i+1]]``."""

    docs: np.ndarray
    values: np.ndarray
    offsets: np.ndarray


def phrase_fits(fieldobj, phrase) -> bool:
    """True when :func:`phrase_docs` matches ``phrase`` exactly as Whoosh does: a field whose
    postings are plain ``Positions``, two words or more, a whole-number slop of at least 1."""
    return (
        type(fieldobj.format) is formats.Positions
        and len(phrase.words) >= 2
        and all(isinstance(word, str) for word in phrase.words)
        and type(phrase.slop) is int
        and phrase.slop >= 1
    )


def term_positions(docs: np.ndarray, raw: list) -> TermPositions | None:
    """A term's document numbers and raw position values (one per document, in order) packed
    for :func:`phrase_docs`; None when they are not in the layout this module decodes."""
    if not all(isinstance(value, bytes) for value in raw) or len(raw) != len(docs):
        return None
    offsets = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, raw), dtype=np.int64, count=len(raw)), out=offsets[1:])
    values = np.frombuffer(b"".join(raw), dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    if (ends - starts < _HEADER + 2).any():
        return None
    if not (
        (values[starts + 4] == _PROTO_2[0]).all()
        and (values[starts + 5] == _PROTO_2[1]).all()
        and (values[starts + _HEADER] == _EMPTY_LIST).all()
        and (values[ends - 1] == _STOP).all()
    ):
        return None
    return TermPositions(docs, values, offsets)


def _positions_of(term: TermPositions, candidates: np.ndarray) -> np.ndarray | None:
    """The position keys of ``term`` in ``candidates`` (ascending document numbers that all
    have the term), sorted; None when a value does not decode to its stored count."""
    rows = np.searchsorted(term.docs, candidates)
    starts = term.offsets[rows]
    ends = term.offsets[rows + 1]
    # The counts, big-endian uint32 (whoosh.system.pack_uint), checked against the lists.
    header = term.values[starts[:, None] + np.arange(4)].astype(np.int64)
    counts = (header[:, 0] << 24) | (header[:, 1] << 16) | (header[:, 2] << 8) | header[:, 3]
    # Each value's list opcodes: from after the protocol header to before its STOP.
    body_starts = starts + _HEADER
    lengths = ends - 1 - body_starts
    total = int(lengths.sum())
    gather = np.repeat(body_starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    blob = _PROTO_2 + _MARK + term.values[gather].tobytes() + _LIST_AND_STOP
    try:
        lists = pickle.loads(blob)  # the values Whoosh itself unpickles
    except Exception:
        return None
    if not isinstance(lists, list) or len(lists) != len(candidates):
        return None
    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    if not np.array_equal(sizes, counts):
        return None
    try:
        deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(sizes.sum()))
    except (TypeError, ValueError, OverflowError):
        return None
    # Positions are running sums of the deltas, restarting at each document.
    running = np.cumsum(deltas)
    before = np.concatenate(([0], running))[np.cumsum(sizes) - sizes]
    positions = running - np.repeat(before, sizes)
    if len(positions) and (positions.min() < 0 or positions.max() >= 1 << (_DOC_SHIFT - 1)):
        return None
    owners = np.repeat(np.arange(len(candidates), dtype=np.int64), sizes)
    return (owners << _DOC_SHIFT) | positions


def phrase_docs(terms: list[TermPositions], slop: int) -> np.ndarray | None:
    """The documents (ascending, deleted ones included) where the terms occur in this order,
    each 1 to ``slop`` positions after the one before; None when a value does not decode."""
    candidates = terms[0].docs
    for term in terms[1:]:
        candidates = candidates[np.isin(candidates, term.docs, assume_unique=True)]
    if not len(candidates):
        return candidates.astype(np.int64)
    decoded = {}
    ends = None
    for term in terms:
        keys = decoded.get(id(term))
        if keys is None:
            keys = decoded[id(term)] = _positions_of(term, candidates)
            if keys is None:
                return None
        if ends is None:
            ends = keys
            continue
        # The nearest end of a partial match before each position of this word.
        before = np.searchsorted(ends, keys, side="left") - 1
        reached = before >= 0
        reached[reached] = keys[reached] - ends[before[reached]] <= slop
        ends = keys[reached]
        if not len(ends):
            break
    return candidates[np.unique(ends >> _DOC_SHIFT)].astype(np.int64)
