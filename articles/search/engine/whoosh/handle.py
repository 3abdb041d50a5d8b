"""One searcher per index folder and process, and what it computes once per index version.

Whoosh readers share file positions, so a search holds the handle's ``lock`` while it reads. A
new searcher is opened (never ``refresh()``-ed, which would close readers an older result still
uses) when the index's table of contents changes; everything computed from the old one (facet
tables, lengths, sort keys, decoded postings) is dropped with it. A missing or unreadable index
raises :class:`SearchUnavailable`.
"""

import os
import pickle
import struct
import threading
import zlib

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length

from articles.search.engine.whoosh import checksums, internals
from articles.search.engine.whoosh.facets import FacetTable
from articles.search.engine.whoosh.phrases import phrase_docs, term_positions
from articles.search.engine.whoosh.schema import INDEX_NAME, ORDER_FIELD, PK_BITS, UNDATED
from articles.search.errors import SearchUnavailable

# Errors a damaged index raises from deep inside Whoosh (the checksums catch damage when a
# searcher opens; these are for an index without a manifest, or bytes damaged since): decoding
# garbage fails as a bad pickle, zlib stream or struct, a value out of range or a missing key.
INDEX_READ_ERRORS = (
    OSError,
    EOFError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
)

# How many times a reader reopens the index when writers keep committing under it.
OPEN_ATTEMPTS = 5

# Decoded postings a searcher keeps (per index version) for the terms searched most recently:
# 8 bytes a posting, so 64 MB hold a few hundred common words of a 100,000-article index.
TERM_CACHE_BYTES = 64 * 1024 * 1024

# Raw position values a searcher keeps (per index version) for the words of recent phrases:
# about 20 bytes a posting, so a common word of a 100,000-article index takes 2 MB.
POSITIONS_CACHE_BYTES = 32 * 1024 * 1024

# Matching documents of recent phrases a searcher keeps (per index version): 4 bytes a match.
PHRASE_CACHE_BYTES = 16 * 1024 * 1024

# Prefix expansions a searcher keeps (per index version); past this the cache starts afresh.
PREFIX_CACHE_SIZE = 2_000

# The bounded caches of a handle, by name (see SearcherHandle.cache).
POSTINGS = "postings"
POSITIONS = "positions"
PHRASES = "phrases"

_LENGTH_OF_BYTE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


def toc_signature(path) -> tuple | None:
    """What identifies the index's current version on disk, or None when there is no index.

    The generation alone is not enough: a rebuilt index starts again at generation 0.
    """
    storage = FileStorage(str(path))
    try:
        generation = internals.latest_generation(storage, INDEX_NAME)
    except OSError:
        return None
    if generation < 0:
        return None
    try:
        stat = os.stat(os.path.join(path, internals.toc_filename(INDEX_NAME, generation)))
    except OSError:
        return None
    return (generation, stat.st_ino, stat.st_mtime_ns, stat.st_size)


class BoundedCache:
    """Decoded arrays of recent keys, the least recently used dropped past a size in bytes."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.entries: dict = {}

    def get(self, key):
        found = self.entries.pop(key, None)
        if found is not None:
            self.entries[key] = found  # most recently used last
        return found

    def put(self, key, value):
        self.entries[key] = value
        self.size += sum(array.nbytes for array in value if array is not None)
        while self.size > self.budget and len(self.entries) > 1:
            oldest = next(iter(self.entries))
            self.size -= sum(a.nbytes for a in self.entries.pop(oldest) if a is not None)


def read_postings(
    searcher, fieldname, text, *, values=None
) -> tuple[np.ndarray, np.ndarray | None]:
    """A term's document numbers and weights over every segment, a posting block at a time
    (not a Python call per posting); with a ``values`` list, each posting's raw value is
    appended to it in the same order."""
    doc_chunks, weight_chunks = [], []
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        if (fieldname, text) not in reader:
            continue
        matcher = reader.postings(fieldname, text)
        matcher = getattr(matcher, "child", matcher)  # deletions: the caller masks them
        if internals.is_block_matcher(matcher):
            for ids, weights, raw in internals.posting_blocks(
                matcher, with_values=values is not None
            ):
                if values is not None:
                    values.extend(raw)
                doc_chunks.append(np.asarray(ids, dtype=np.int32) + offset)
                if weight_chunks is not None:
                    weight_chunks.append(np.asarray(weights, dtype=np.float32))
        elif values is not None:  # a term of one document is inlined in the term index
            ids = []
            while matcher.is_active():
                ids.append(matcher.id())
                values.append(matcher.value())
                matcher.next()
            doc_chunks.append(np.asarray(ids, dtype=np.int32) + offset)
            weight_chunks = None
        else:
            doc_chunks.append(np.fromiter(matcher.all_ids(), dtype=np.int32) + offset)
            weight_chunks = None
    docs = np.concatenate(doc_chunks) if doc_chunks else np.zeros(0, dtype=np.int32)
    if weight_chunks is None:
        return docs, None
    weights = np.concatenate(weight_chunks) if weight_chunks else np.zeros(0, dtype=np.float32)
    return docs, weights


class SearcherHandle:
    """The process's searcher for one index folder, with what it has computed about it."""

    def __init__(self, path, schema):
        self.path = str(path)
        self.schema = schema
        self.lock = threading.RLock()
        self.signature = None
        self.searcher = None
        # Everything computed from this index version, dropped when a newer one is opened.
        self.computed = {}

    def current(self):
        """The up-to-date searcher (call with ``lock`` held)."""
        if not os.path.isdir(self.path):
            raise SearchUnavailable(
                f"no search index at {self.path}: run `manage.py sync_index --rebuild` to build it"
            )
        signature = toc_signature(self.path)
        if signature is None:
            raise SearchUnavailable(
                f"the search index at {self.path} is empty or damaged: "
                "run `manage.py sync_index` to rebuild it"
            )
        # Every search, not only on opening: bytes damaged under an open searcher are read
        # too. Cheap: a file is hashed again only when its size or modification time changed.
        damage = checksums.damage(self.path)
        if damage:
            self.forget()
            raise SearchUnavailable(
                f"the search index at {self.path} is damaged ({damage}): "
                "run `manage.py sync_index` to rebuild it"
            )
        if signature != self.signature or self.searcher is None:
            self._open(signature)
        return self.searcher

    def _open(self, signature):
        """Open the searcher for ``signature``; when a writer commits meanwhile and merges away
        a segment that version listed, open the newer version instead."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                ix = FileStorage(self.path).open_index(INDEX_NAME, schema=self.schema)
                searcher = ix.searcher()
            except Exception as error:  # any damage: unpickling, missing segment, bad TOC …
                newer = toc_signature(self.path)
                if newer is not None and newer != signature and attempt + 1 < OPEN_ATTEMPTS:
                    signature = newer
                    continue
                raise SearchUnavailable(
                    f"the search index at {self.path} cannot be read ({error!r}): "
                    "run `manage.py sync_index` to rebuild it"
                ) from error
            self.searcher = searcher
            self.signature = signature
            self.computed = {}
            return

    def moved_on(self) -> bool:
        """A writer committed a newer version since this searcher was opened."""
        return self.searcher is not None and toc_signature(self.path) != self.signature

    def forget(self):
        """Drop the searcher so the next ``current()`` opens the index afresh."""
        self.searcher = None
        self.signature = None

    def read(self, work):
        """``work(searcher)`` on the up-to-date searcher, under the lock.

        A file Whoosh opens lazily can vanish when a writer's commit merges its segment away:
        that is not damage, so ``work`` runs again on the newer version; a read error with no
        newer version is :class:`SearchUnavailable`.
        """
        with self.lock:
            for attempt in range(OPEN_ATTEMPTS):
                searcher = self.current()
                try:
                    return work(searcher)
                except INDEX_READ_ERRORS as error:
                    if self.moved_on() and attempt + 1 < OPEN_ATTEMPTS:
                        self.forget()
                        continue
                    raise SearchUnavailable(
                        f"the search index at {self.path} cannot be read ({error!r})"
                    ) from error

    def _computed(self, key, compute):
        found = self.computed.get(key)
        if found is None:
            found = self.computed[key] = compute()
        return found

    def doc_count(self) -> int:
        """Document numbers run from 0 to this (deleted ones included)."""
        return self.searcher.reader().doc_count_all()

    def live_docs(self) -> np.ndarray:
        """A boolean mask of the documents not deleted."""

        def compute():
            live = np.zeros(self.doc_count(), dtype=bool)
            live[np.fromiter(self.searcher.reader().all_doc_ids(), dtype=np.int64)] = True
            return live

        return self._computed("live", compute)

    def facet_table(self, fieldname) -> FacetTable:
        """Every value of an exact field and the documents that have it, read once per index
        version from the postings."""
        return self._computed(
            ("facets", fieldname),
            lambda: FacetTable.read(self.searcher.reader(), self.schema[fieldname], fieldname),
        )

    def field_lengths(self, fieldname) -> np.ndarray:
        """Each document's length in a text field as Whoosh scores it (stored as one byte)."""

        def compute():
            lengths = np.zeros(self.doc_count(), dtype=np.float64)
            for subsearcher, offset in self.searcher.leaf_searchers():
                reader = subsearcher.reader()
                count = reader.doc_count_all()
                codes = internals.length_codes(reader, fieldname, count)
                if codes is not None:
                    lengths[offset : offset + count] = _LENGTH_OF_BYTE[codes]
                else:
                    lengths[offset : offset + count] = [
                        reader.doc_field_length(docnum, fieldname, 0) or 0
                        for docnum in range(count)
                    ]
            return lengths

        return self._computed(("lengths", fieldname), compute)

    def cache(self, name) -> BoundedCache:
        """This index version's bounded cache ``name`` (POSTINGS, POSITIONS or PHRASES)."""
        budgets = {
            POSTINGS: TERM_CACHE_BYTES,
            POSITIONS: POSITIONS_CACHE_BYTES,
            PHRASES: PHRASE_CACHE_BYTES,
        }
        return self._computed(name, lambda: BoundedCache(budgets[name]))

    def prefix_cache(self) -> dict:
        """This index version's prefix expansions (the caller keeps it to ``PREFIX_CACHE_SIZE``)."""
        return self._computed("prefixes", dict)

    def term_postings(self, fieldname, text) -> tuple[np.ndarray, np.ndarray | None]:
        """The documents with ``text`` in ``fieldname`` (deleted ones included) and the term's
        weight in each (None where the postings have no weights), read a block at a time
        and kept for this index version within ``TERM_CACHE_BYTES``."""
        cache = self.cache(POSTINGS)
        key = (fieldname, text)
        found = cache.get(key)
        if found is None:
            found = read_postings(self.searcher, fieldname, text)
            cache.put(key, found)
        return found

    def term_positions(self, fieldname, text):
        """A term's documents and raw position values (see :mod:`.phrases`), kept for this
        index version within ``POSITIONS_CACHE_BYTES``; None when they are not in the layout
        that module decodes."""
        cache = self.cache(POSITIONS)
        key = (fieldname, text)
        found = cache.get(key)
        if found is None:
            # One walk of the posting blocks gives the weights too: kept for scoring.
            values = []
            postings = read_postings(self.searcher, fieldname, text, values=values)
            found = term_positions(postings[0], values) or ()
            cache.put(key, found)
            term_cache = self.cache(POSTINGS)
            if term_cache.get(key) is None:
                term_cache.put(key, postings)
        return found or None

    def phrase_docs(self, phrase) -> np.ndarray | None:
        """The documents (deleted ones included) where ``phrase`` matches as Whoosh matches it,
        from its words' positions; None when they cannot be decoded (Whoosh matches it)."""
        cache = self.cache(PHRASES)
        key = (phrase.fieldname, tuple(phrase.words), phrase.slop)
        found = cache.get(key)
        if found is None:
            terms = []
            for word in phrase.words:
                term = self.term_positions(phrase.fieldname, word)
                if term is None:
                    break
                terms.append(term)
            docs = phrase_docs(terms, phrase.slop) if len(terms) == len(phrase.words) else None
            found = () if docs is None else (docs.astype(np.int32),)
            cache.put(key, found)
        return found[0] if found else None

    def docs_mask(self, fieldname, values) -> np.ndarray:
        """A boolean mask of the documents with any of ``values`` in an exact field."""
        mask = np.zeros(self.doc_count(), dtype=bool)
        table = self.facet_table(fieldname)
        for value in values:
            mask[table.docs_of(value)] = True
        return mask

    def sort_keys(self):
        """Two int64 arrays indexed by document number: keys for oldest-first and newest-first
        order. Undated articles sort last both ways; equal dates sort by primary key.
        """

        def compute():
            reader = self.searcher.reader()
            # An index without segments has an EmptyReader, which has no columns.
            packed = (
                np.fromiter(reader.column_reader(ORDER_FIELD), dtype=np.int64)
                if reader.doc_count_all()
                else np.zeros(0, dtype=np.int64)
            )
            dated = packed >= (1 << PK_BITS)
            ascending = np.where(dated, packed, UNDATED + packed)
            descending = np.where(dated, -packed, UNDATED - packed)
            return (ascending, descending)

        return self._computed("order", compute)


_handles: dict[str, SearcherHandle] = {}
_handles_lock = threading.Lock()


def searcher_handle(path, schema) -> SearcherHandle:
    """The process's handle for the index at ``path`` (a new one when the schema changed)."""
    with _handles_lock:
        handle = _handles.get(str(path))
        if handle is None or handle.schema is not schema:
            handle = _handles[str(path)] = SearcherHandle(path, schema)
        return handle


def reset_searchers():
    """Forget every cached searcher (tests, and after the index folder moved)."""
    with _handles_lock:
        _handles.clear()
