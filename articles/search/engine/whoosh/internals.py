"""Every private part of Whoosh (Whoosh-Reloaded 2.7.5) the engine still relies on, in one place.

Each has no public equivalent that is fast enough, and each is checked against Whoosh's public
behaviour by ``tests/search/engine/whoosh/test_internals.py``, which fails on an upgrade that
removes or changes it. What uses public APIs instead: the stored schema (``ix.schema``), field
lookups (``name in schema``, ``schema[name]``), BM25F's parameters (``weighting.scorer()``).

* :func:`latest_generation`, :func:`toc_filename`: the index's version on disk, read from the
  folder's file names on every search. ``FileIndex.latest_generation()`` is public but needs an
  opened index, which unpickles the table of contents each time.
* :func:`posting_blocks`: a term's postings a block at a time (``W3LeafMatcher``'s decoded
  arrays). The public matcher API costs one Python call per posting.
* :func:`length_codes`: a segment's per-document field lengths, read whole. The public
  ``doc_field_length()`` reads one document at a time (the fallback when this returns None).
* :class:`ZeroCopyBufferFile`, :func:`install_zero_copy_files`: compound segments read in place
  (see :mod:`articles.search.engine.whoosh.files`); Whoosh offers no hook for its file class.
"""

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC

from articles.search.engine.whoosh.files import MemoryviewReader


def latest_generation(storage, indexname: str) -> int:
    """The newest generation of the index's table of contents in ``storage`` (-1: none)."""
    return TOC._latest_generation(storage, indexname)


def toc_filename(indexname: str, generation: int) -> str:
    """The file name of one generation's table of contents."""
    return TOC._filename(indexname, generation)


def is_block_matcher(matcher) -> bool:
    """True when :func:`posting_blocks` can read ``matcher`` (a term of a single document is
    inlined in the term index and has a plain matcher instead)."""
    return isinstance(matcher, W3LeafMatcher)


def posting_blocks(matcher, *, with_values: bool = False):
    """``(ids, weights, values)`` for each posting block of a block matcher, from its current
    posting to its last (``values`` None unless asked); the matcher is used up."""
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        if with_values and matcher._values is None:
            matcher._read_values()
        first = matcher._i
        values = matcher._values[first:] if with_values else None
        yield matcher._ids[first:], matcher._weights[first:], values
        matcher._next_block()


def length_codes(reader, fieldname: str, count: int) -> np.ndarray | None:
    """The one-byte length codes (``whoosh.util.numeric.byte_to_length``) of a segment's
    ``count`` documents in a text field; None when the segment does not store them so."""
    perdoc = getattr(reader, "_perdoc", None)
    if not hasattr(perdoc, "_cached_reader"):
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return np.fromiter(column, dtype=np.uint8, count=count)


class ZeroCopyBufferFile(BufferFile):
    """Whoosh's ``BufferFile`` whose sequential reads share the mapped buffer."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = MemoryviewReader(buf)

    def subset(self, position, length, name=None):
        return ZeroCopyBufferFile(self._buf[position : position + length], name=name or self._name)


def install_zero_copy_files():
    """Make Whoosh's compound storage hand out zero-copy files (once, when the app starts with
    the Whoosh engine configured)."""
    compound.BufferFile = ZeroCopyBufferFile
