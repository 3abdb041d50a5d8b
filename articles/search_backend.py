"""Haystack's Whoosh backend, made French, exact on facets, and one Whoosh search per query.

What differs from ``haystack.backends.whoosh_backend`` and why (see SEARCH_NOTES.md):

* every analysed text field uses :func:`articles.analysis.french_analyzer`, on the index and on
  the query (the stock backend stems everything in English);
* facet fields (Haystack ``Facet*Field``) are Whoosh ``ID``/``KEYWORD``: whole values, so a facet
  counts slugs and a filter on ``le-monde`` never matches ``le-monde-diplomatique``;
* ``narrow()`` queries and the model restriction are document-number filters inside the one
  search; facet counts, the total and the spelling suggestion come from that same search, for any
  ``[start:end]`` slice (a slice past the end still has the total and the facets);
* facet counts intersect the result's document numbers with each value's document numbers,
  cached once per index generation, instead of walking every hit in Python for every facet;
* words and phrases are matched and ranked from posting blocks with numpy (phrases from their
  words' positions, :mod:`articles.search_phrases`), with Whoosh's own results and scores;
* one searcher per index and process, shared by threads and replaced only when the index's
  table of contents changes; a missing or unreadable index raises :class:`SearchUnavailable`;
* no backend highlighting (the document text is not stored; ``articles.search`` highlights from
  the database text with :func:`articles.analysis.analyzed_terms`);
* spelling suggestions come from a ``spelling`` field of folded, unstemmed words, also when the
  query finds nothing;
* writes go through the single writer of :mod:`articles.indexing` (one lock for every process).
"""

import datetime
import os
import pickle
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field

import numpy as np
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import columns, query, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.fields import BOOLEAN, COLUMN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.idsets import DocIdSet
from whoosh.index import TOC
from whoosh.qparser import FuzzyTermPlugin, QueryParser
from whoosh.util.numeric import byte_to_length

from articles.analysis import (
    FRENCH_STOP_WORDS,
    french_analyzer,
    normalize_word,
    spelling_analyzer,
    spelling_words,
    vocabulary,
)
from articles.search_phrases import phrase_docs, phrase_fits, term_positions

# How many key terms of an article make its more-like-this query.
MORE_LIKE_THIS_TERMS = 12


class SearchUnavailable(Exception):
    """The search index is missing or unreadable; ``manage.py sync_index`` rebuilds it."""


INDEX_NAME = "MAIN"
# Whoosh-only fields the backend adds to every document (Haystack never sees them).
SPELLING_FIELD = "spelling"
ORDER_FIELD = "date_order"
# The article's ``updated_at`` (microseconds) when indexed: how ``sync_index`` finds stale ones.
VERSION_FIELD = "indexed_version"
# ``date_order`` packs the publication date and the primary key: ordinal << PK_BITS | pk.
PK_BITS = 34
UNDATED = 1 << 62

# Errors a damaged index raises from deep inside Whoosh.
INDEX_READ_ERRORS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)

# How many times a reader reopens the index when writers keep committing under it.
OPEN_ATTEMPTS = 5

# Decoded postings a searcher keeps (per index version) for the terms searched most recently:
# 8 bytes a posting, so 64 MB hold a few hundred common words of a 100,000-article index.
TERM_CACHE_BYTES = 64 * 1024 * 1024

# Raw position values a searcher keeps (per index version) for the words of recent phrases:
# about 20 bytes a posting, so a common word of a 100,000-article index takes 2 MB.
POSITIONS_CACHE_BYTES = 32 * 1024 * 1024

# Prefix expansions a searcher keeps (per index version); past this the cache starts afresh.
PREFIX_CACHE_SIZE = 2_000

# Matching documents of recent phrases a searcher keeps (per index version): 4 bytes a match.
PHRASE_CACHE_BYTES = 16 * 1024 * 1024

# A slice ending at or before this many hits ranks only those; a deeper one ranks every hit.
RANK_ONLY_UP_TO = 1000
# Rank at least this many, so a count, the first pages and a short list share one search.
RANK_AT_LEAST = 100

_SORT_ALIASES = {"published_on": "published_on", "year": "published_on"}
_RELEVANCE = {"score", "-score", "_score", "-_score", "relevance", "-relevance"}


def toc_signature(path) -> tuple | None:
    """What identifies the index's current version on disk, or None when there is no index.

    The generation alone is not enough: a rebuilt index starts again at generation 0.
    """
    storage = FileStorage(str(path))
    try:
        generation = TOC._latest_generation(storage, INDEX_NAME)
    except OSError:
        return None
    if generation < 0:
        return None
    try:
        stat = os.stat(os.path.join(path, TOC._filename(INDEX_NAME, generation)))
    except OSError:
        return None
    return (generation, stat.st_ino, stat.st_mtime_ns, stat.st_size)


class SearcherHandle:
    """The process's searcher for one index folder, with what it has computed about it.

    Whoosh readers share file positions, so a search holds ``lock`` while it reads; a new
    searcher is opened (never ``refresh()``-ed, which would close readers an older result still
    uses) when the index's signature changes.
    """

    def __init__(self, path, schema):
        self.path = str(path)
        self.schema = schema
        self.lock = threading.RLock()
        self.signature = None
        self.searcher = None
        self.facet_docs = {}
        self.order_keys = None

    def current(self):
        """The up-to-date searcher (call with ``lock`` held)."""
        if not os.path.isdir(self.path):
            raise SearchUnavailable(
                f"no search index at {self.path}: run `manage.py sync_index` to build it"
            )
        signature = toc_signature(self.path)
        if signature is None:
            raise SearchUnavailable(
                f"the search index at {self.path} is empty or damaged: "
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
            self.facet_docs = {}
            self.order_keys = None
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

    def doc_count(self) -> int:
        """Document numbers run from 0 to this (deleted ones included)."""
        return self.searcher.reader().doc_count_all()

    def live_docs(self) -> np.ndarray:
        """A boolean mask of the documents not deleted."""
        live = self.facet_docs.get(_LIVE)
        if live is None:
            live = np.zeros(self.doc_count(), dtype=bool)
            ids = np.fromiter(self.searcher.reader().all_doc_ids(), dtype=np.int64)
            live[ids] = True
            self.facet_docs[_LIVE] = live
        return live

    def facet_table(self, fieldname) -> "FacetTable":
        """Every value of an exact field and the documents that have it, read once per index
        generation from the postings."""
        table = self.facet_docs.get(fieldname)
        if table is None:
            table = FacetTable.read(self.searcher.reader(), self.schema[fieldname], fieldname)
            self.facet_docs[fieldname] = table
        return table

    def field_lengths(self, fieldname) -> np.ndarray:
        """Each document's length in a text field as Whoosh scores it (stored as one byte)."""
        key = (_LENGTHS, fieldname)
        lengths = self.facet_docs.get(key)
        if lengths is None:
            lengths = np.zeros(self.doc_count(), dtype=np.float64)
            for subsearcher, offset in self.searcher.leaf_searchers():
                reader = subsearcher.reader()
                count = reader.doc_count_all()
                # The segment's per-document lengths column, read whole (Whoosh reads it one
                # document at a time); a segment without it answers per document.
                perdoc = getattr(reader, "_perdoc", None)
                column = (
                    perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                    if hasattr(perdoc, "_cached_reader")
                    else None
                )
                if column is not None:
                    codes = np.fromiter(column, dtype=np.uint8, count=count)
                    lengths[offset : offset + count] = _LENGTH_OF_BYTE[codes]
                else:
                    lengths[offset : offset + count] = [
                        reader.doc_field_length(docnum, fieldname, 0) or 0
                        for docnum in range(count)
                    ]
            self.facet_docs[key] = lengths
        return lengths

    def _bounded_cache(self, marker, budget: int) -> "_TermCache":
        """This index version's cache named by ``marker``, holding at most ``budget`` bytes."""
        cache = self.facet_docs.get(marker)
        if cache is None:
            cache = self.facet_docs[marker] = _TermCache(budget)
        return cache

    def term_postings(self, fieldname, text) -> tuple[np.ndarray, np.ndarray | None]:
        """The documents with ``text`` in ``fieldname`` (deleted ones included) and the term's
        weight in each (None where the postings have no weights), read a block at a time
        and kept for this index version within ``TERM_CACHE_BYTES``."""
        cache = self._bounded_cache(_POSTINGS, TERM_CACHE_BYTES)
        key = (fieldname, text)
        found = cache.get(key)
        if found is None:
            found = _read_postings(self.searcher, fieldname, text)
            cache.put(key, found)
        return found

    def term_positions(self, fieldname, text):
        """A term's documents and raw position values (see :mod:`articles.search_phrases`),
        kept for this index version within ``POSITIONS_CACHE_BYTES``; None when they are not
        in the layout that module decodes."""
        cache = self._bounded_cache(_POSITIONS, POSITIONS_CACHE_BYTES)
        key = (fieldname, text)
        found = cache.get(key)
        if found is None:
            # One walk of the posting blocks gives the weights too: kept for scoring.
            values = []
            postings = _read_postings(self.searcher, fieldname, text, values=values)
            found = term_positions(postings[0], values) or ()
            cache.put(key, found)
            term_cache = self._bounded_cache(_POSTINGS, TERM_CACHE_BYTES)
            if term_cache.get(key) is None:
                term_cache.put(key, postings)
        return found or None

    def phrase_docs(self, phrase) -> np.ndarray | None:
        """The documents (deleted ones included) where ``phrase`` matches as Whoosh matches it,
        from its words' positions; None when they cannot be decoded (Whoosh matches it)."""
        cache = self._bounded_cache(_PHRASES, PHRASE_CACHE_BYTES)
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
        if self.order_keys is None:
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
            self.order_keys = (ascending, descending)
        return self.order_keys


_LIVE = object()
_POSTINGS = object()
_POSITIONS = object()
_PHRASES = object()
_LENGTHS = object()
_LENGTH_OF_BYTE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)
_PREFIXES = object()


class FacetTable:
    """One exact field: its values, and (document, value) pairs as numpy arrays grouped by value.

    Counting the values of a set of documents is one ``bincount`` over the pairs whose document
    is in the set, instead of a Python loop over every hit for every field.
    """

    def __init__(self, values, docs, starts):
        self.values = values
        self.codes = {value: code for code, value in enumerate(values)}
        self.docs = docs
        self.starts = starts
        self.pair_codes = np.repeat(np.arange(len(values), dtype=np.int32), np.diff(starts))

    @classmethod
    def read(cls, reader, fieldobj, fieldname):
        values, chunks, starts = [], [], [0]
        for btext in reader.lexicon(fieldname):
            ids = np.fromiter(reader.postings(fieldname, btext).all_ids(), dtype=np.int32)
            if len(ids):
                values.append(fieldobj.from_bytes(btext))
                chunks.append(ids)
                starts.append(starts[-1] + len(ids))
        docs = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        return cls(values, docs, np.array(starts, dtype=np.int64))

    def docs_of(self, value) -> np.ndarray:
        code = self.codes.get(value)
        if code is None:
            return self.docs[:0]
        return self.docs[self.starts[code] : self.starts[code + 1]]

    def counts(self, matched: np.ndarray) -> np.ndarray:
        """How many of the documents in the boolean mask ``matched`` have each value."""
        return np.bincount(self.pair_codes[matched[self.docs]], minlength=len(self.values))


class MaskDocs(DocIdSet):
    """A boolean document mask as the ``filter`` of a Whoosh search."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask

    def __contains__(self, docnum):
        return docnum < len(self.mask) and bool(self.mask[docnum])

    def __len__(self):
        return int(self.mask.sum())

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(np.flatnonzero(self.mask).tolist())


def _read_postings(
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
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():
                if matcher._ids is None:
                    matcher._read_ids()
                if matcher._weights is None:
                    matcher._read_weights()
                if values is not None and matcher._values is None:
                    matcher._read_values()
                first = matcher._i
                if values is not None:
                    values.extend(matcher._values[first:])
                doc_chunks.append(np.asarray(matcher._ids[first:], dtype=np.int32) + offset)
                if weight_chunks is not None:
                    weight_chunks.append(np.asarray(matcher._weights[first:], dtype=np.float32))
                matcher._next_block()
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


class _TermCache:
    """Decoded postings of recent terms, the oldest dropped past a size in bytes."""

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


def _top_scored(docs: np.ndarray, scores: np.ndarray, top: int) -> tuple[list, dict]:
    """The ``top`` best of ``docs`` (ascending document numbers) by ``scores``: highest score
    first, ties to the lower document number, as Whoosh's collector orders them."""
    if top < len(docs):
        kth = np.partition(scores, len(scores) - top)[len(scores) - top]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(docs))
    order = candidates[np.lexsort((docs[candidates], -scores[candidates]))][:top]
    docnums = docs[order].tolist()
    return docnums, dict(zip(docnums, scores[order].tolist(), strict=True))


_handles: dict[str, SearcherHandle] = {}
_handles_lock = threading.Lock()


def searcher_handle(path, schema) -> SearcherHandle:
    with _handles_lock:
        handle = _handles.get(str(path))
        if handle is None or handle.schema is not schema:
            handle = _handles[str(path)] = SearcherHandle(path, schema)
        return handle


def reset_searchers():
    """Forget every cached searcher (tests, and after the index folder moved)."""
    with _handles_lock:
        _handles.clear()


@dataclass
class SearchOutcome:
    """Everything one Whoosh search found; any slice of it is a page."""

    handle: SearcherHandle
    searcher: object
    docnums: list
    scores: dict | None
    hits: int
    facets: dict = field(default_factory=dict)
    spelling_suggestion: str | None = None

    @property
    def complete(self) -> bool:
        """Every hit is ranked (not only the first ``top``)."""
        return len(self.docnums) >= self.hits

    def covers(self, end) -> bool:
        """This outcome can serve the slice ending at ``end`` (None: to the last hit)."""
        return self.complete or (end is not None and end <= len(self.docnums))


def is_exact_field(field_class) -> bool:
    """Fields indexed as whole values: Haystack facet fields and unindexed strings."""
    return hasattr(field_class, "facet_for") or (
        field_class.field_type == "string" and field_class.indexed is False
    )


class FrenchWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if self.use_file_storage is False:
            raise SearchBackendError("FrenchWhooshSearchBackend needs a file index (PATH).")
        # Spelling is part of the one search; it costs nothing when every word is known.
        self.include_spelling = connection_options.get("INCLUDE_SPELLING", True)

    # Schema -------------------------------------------------------------------------------

    def setup(self):
        """Build the schema and the parser; never creates or opens the index (writers do)."""
        from haystack import connections

        unified_index = connections[self.connection_alias].get_unified_index()
        self.haystack_fields = unified_index.all_searchfields()
        self.content_field_name, self.schema = self.build_schema(self.haystack_fields)
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.parser.add_plugins([FuzzyTermPlugin()])
        self.setup_complete = True

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
            SPELLING_FIELD: TEXT(analyzer=spelling_analyzer(), phrase=False),
            ORDER_FIELD: COLUMN(columns.NumericColumn("q", default=0)),
            VERSION_FIELD: COLUMN(columns.NumericColumn("q", default=0)),
        }
        content_field_name = ""
        for field_class in fields.values():
            name = field_class.index_fieldname
            if field_class.document:
                content_field_name = name
            if is_exact_field(field_class):
                if field_class.is_multivalued:
                    schema_fields[name] = KEYWORD(
                        stored=True, commas=True, scorable=False, lowercase=False
                    )
                else:
                    schema_fields[name] = WHOOSH_ID(stored=True)
            elif field_class.is_multivalued:
                schema_fields[name] = KEYWORD(
                    stored=True, commas=True, scorable=True, field_boost=field_class.boost
                )
            elif field_class.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field_class.stored)
            elif field_class.field_type in ("integer", "float"):
                numtype = int if field_class.field_type == "integer" else float
                schema_fields[name] = NUMERIC(
                    stored=field_class.stored, numtype=numtype, field_boost=field_class.boost
                )
            elif field_class.field_type == "boolean":
                schema_fields[name] = BOOLEAN(stored=field_class.stored)
            else:
                # Analysed French text. The document field is not stored: results are loaded
                # from the database, snippets highlighted from the database text.
                schema_fields[name] = TEXT(
                    analyzer=french_analyzer(),
                    stored=field_class.stored and not field_class.document,
                    field_boost=field_class.boost,
                    multitoken_query="phrase",
                )
        if not content_field_name:
            raise SearchBackendError("No document=True field in any search index.")
        return content_field_name, Schema(**schema_fields)

    # Documents ------------------------------------------------------------------------------

    def whoosh_document(self, index, obj) -> dict | None:
        """The Whoosh document for ``obj`` (None when the index skips it)."""
        if not self.setup_complete:
            self.setup()
        try:
            prepared = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc = {}
        for name, value in prepared.items():
            if name == "boost" or value is None:
                continue
            fieldobj = self.schema._fields.get(name)
            if isinstance(fieldobj, (WHOOSH_ID, KEYWORD)):
                if isinstance(value, (list, tuple, set)):
                    value = ",".join(force_str(v) for v in value if v not in (None, ""))
                else:
                    value = force_str(value)
                if value == "":
                    continue
            else:
                value = self._from_python(value)
            doc[name] = value
        doc[SPELLING_FIELD] = vocabulary(doc.get(self.content_field_name, ""))
        doc[ORDER_FIELD] = self._order_key(prepared)
        updated_field = index.get_updated_field()
        updated_at = getattr(obj, updated_field, None) if updated_field else None
        doc[VERSION_FIELD] = int(updated_at.timestamp() * 1_000_000) if updated_at else 0
        return doc

    @staticmethod
    def _order_key(prepared) -> int:
        pk = int(prepared[DJANGO_ID])
        published_on = prepared.get("published_on")
        if published_on is None:
            return pk
        if isinstance(published_on, datetime.datetime):
            published_on = published_on.date()
        return (published_on.toordinal() << PK_BITS) | pk

    def update(self, index, iterable, commit=True):
        from articles.indexing import write_documents

        if not self.setup_complete:
            self.setup()
        write_documents(self, index, list(iterable), using=self.connection_alias)

    def remove(self, obj_or_string, commit=True):
        from articles.indexing import delete_documents

        if not self.setup_complete:
            self.setup()
        delete_documents(self, [obj_or_string], using=self.connection_alias)

    def clear(self, models=None, commit=True):
        from articles.indexing import create_empty_index

        if not self.setup_complete:
            self.setup()
        create_empty_index(using=self.connection_alias)

    def delete_index(self):
        self.clear()

    def optimize(self):
        from articles.indexing import optimize_index

        optimize_index(using=self.connection_alias)

    # Searching ------------------------------------------------------------------------------

    def handle(self) -> SearcherHandle:
        if not self.setup_complete:
            self.setup()
        return searcher_handle(self.path, self.schema)

    @log_query
    def search(self, query_string, start_offset=0, end_offset=None, result_class=None, **kw):
        """Haystack's search API: one Whoosh search, then the asked slice of it."""
        outcome = kw.pop("outcome", None) or self.execute(query_string, **kw)
        return self.page(outcome, start_offset, end_offset, result_class=result_class)

    def execute(
        self,
        query_string,
        sort_by=None,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        models=None,
        limit_to_registered_models=None,
        top=None,
        **kwargs,
    ) -> SearchOutcome:
        """Run the one Whoosh search: the hits in order (only the first ``top`` when given),
        the total, facets and spelling."""
        if date_facets:
            raise SearchBackendError(
                "Date facets are not supported here: facet on the 'year' field instead."
            )
        if query_facets:
            raise SearchBackendError("Whoosh does not handle query facets.")
        handle = self.handle()
        return handle.read(
            lambda searcher: self._execute(
                handle,
                searcher,
                force_str(query_string or ""),
                sort_by=sort_by,
                facets=facets or {},
                narrow_queries=narrow_queries or (),
                spelling_query=spelling_query,
                models=models,
                top=top,
            )
        )

    def _execute(
        self,
        handle,
        searcher,
        query_string,
        *,
        sort_by,
        facets,
        narrow_queries,
        spelling_query,
        models,
        top=None,
    ) -> SearchOutcome:
        order = self._order(sort_by)
        parsed = None
        if query_string and (len(query_string) > 1 or query_string == "*"):
            parsed = self.parser.parse(query_string)
        allowed = self._allowed_docs(handle, searcher, narrow_queries, models)

        matched = None  # the matching document numbers, when known apart from docnums
        if (
            parsed is None
            or parsed is query.NullQuery
            or (allowed is not None and not allowed.any())
        ):
            docnums, scores = [], None
        elif order is None and (top is None or not self._fast_docs(parsed)):
            # Phrases, prefixes, fuzzy terms: Whoosh walks their candidates in Python anyway, so
            # one scored walk gives the order, the total and the facets together.
            results = searcher.search(
                parsed, limit=None, filter=MaskDocs(allowed) if allowed is not None else None
            )
            docnums = [docnum for _, docnum in results.top_n]
            scores = {docnum: score for score, docnum in results.top_n}
        else:
            # Which documents match, without scoring them (for the total and the facets) …
            mask = self._matching_docs(handle, searcher, parsed)
            if allowed is not None:
                mask &= allowed
            matched = np.flatnonzero(mask)
            if order is None and isinstance(parsed, query.Every):
                docnums, scores = matched[:top].tolist(), {}
            elif order is None:
                # … and only the first ``top`` ranked: Whoosh skips the posting blocks that
                # cannot reach them.
                docnums, scores = [], {}
                if top and len(matched):
                    bm25 = self._bm25_scores(handle, searcher, parsed)
                    if bm25 is not None:
                        docnums, scores = _top_scored(matched, bm25[matched], top)
                    else:
                        # Phrases are ranked by a full walk, as they always were: Whoosh's
                        # block-quality skipping does not re-check a span matcher's spans.
                        has_phrase = any(isinstance(q, query.Phrase) for q in parsed.leaves())
                        results = searcher.search(
                            parsed,
                            limit=None if has_phrase else top,
                            filter=MaskDocs(allowed) if allowed is not None else None,
                        )
                        docnums = [docnum for _, docnum in results.top_n]
                        scores = {docnum: score for score, docnum in results.top_n}
            else:
                ascending, descending = handle.sort_keys()
                keys = (descending if order == "desc" else ascending)[matched]
                if top is not None and top < len(matched):
                    first = np.argpartition(keys, top)[:top] if top else matched[:0]
                    ranked = first[np.argsort(keys[first], kind="stable")]
                else:
                    ranked = np.argsort(keys, kind="stable")
                docnums = matched[ranked].tolist()
                scores = None

        outcome = SearchOutcome(
            handle=handle,
            searcher=searcher,
            docnums=docnums,
            scores=scores,
            hits=len(docnums) if matched is None else len(matched),
        )
        if facets:
            matched_mask = np.zeros(handle.doc_count(), dtype=bool)
            if matched is not None:
                matched_mask[matched] = True
            elif docnums:
                matched_mask[np.asarray(docnums, dtype=np.int64)] = True
            outcome.facets = {"fields": {}, "dates": {}, "queries": {}}
            for fieldname, options in facets.items():
                outcome.facets["fields"][fieldname] = self._facet_counts(
                    handle, fieldname, matched_mask, options or {}
                )
        if self.include_spelling:
            outcome.spelling_suggestion = self._spelling_suggestion(
                searcher, spelling_query or query_string
            )
        return outcome

    def _order(self, sort_by):
        """None for relevance, or "asc"/"desc" by publication date."""
        if not sort_by:
            return None
        directions = set()
        for order_by in sort_by:
            if order_by in _RELEVANCE:
                continue
            name = order_by.lstrip("-")
            if _SORT_ALIASES.get(name) != "published_on":
                raise SearchBackendError(
                    f"Cannot sort by {order_by!r}: sort by relevance or by (-)published_on."
                )
            directions.add("desc" if order_by.startswith("-") else "asc")
        if len(directions) > 1:
            raise SearchBackendError("Sort by published_on one way only.")
        return directions.pop() if directions else None

    def _allowed_docs(self, handle, searcher, narrow_queries, models):
        """A boolean mask of the documents the narrow queries and models allow, or None for all."""
        masks = []
        if models:
            wanted = {get_model_ct(model) for model in models}
            indexed = {get_model_ct(model) for model in self._indexed_models()}
            if not indexed <= wanted:
                models_query = query.Or([query.Term(DJANGO_CT, ct) for ct in sorted(wanted)])
                masks.append(self._docs_for(handle, searcher, models_query))
        for narrow in sorted(narrow_queries):
            parsed = self.parser.parse(force_str(narrow))
            masks.append(self._docs_for(handle, searcher, parsed))
        if not masks:
            return None
        allowed = masks[0].copy()
        for mask in masks[1:]:
            allowed &= mask
        return allowed

    def _indexed_models(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index().get_indexed_models()

    def _docs_for(self, handle, searcher, parsed) -> np.ndarray:
        """A boolean mask of the documents matching a filter query; exact-field terms come
        from the handle's tables (no search)."""
        if isinstance(parsed, query.Term) and self._is_cached_field(parsed.fieldname):
            return handle.docs_mask(parsed.fieldname, [parsed.text])
        if isinstance(parsed, query.Or) and all(
            isinstance(sub, query.Term) and self._is_cached_field(sub.fieldname)
            for sub in parsed.subqueries
        ):
            mask = np.zeros(handle.doc_count(), dtype=bool)
            for sub in parsed.subqueries:
                mask |= handle.docs_mask(sub.fieldname, [sub.text])
            return mask
        if isinstance(parsed, query.And) and parsed.subqueries:
            mask = self._docs_for(handle, searcher, parsed.subqueries[0]).copy()
            for sub in parsed.subqueries[1:]:
                mask &= self._docs_for(handle, searcher, sub)
            return mask
        if isinstance(parsed, query.Not):
            return handle.live_docs() & ~self._docs_for(handle, searcher, parsed.query)
        return self._matching_docs(handle, searcher, parsed)

    def _matching_docs(self, handle, searcher, parsed) -> np.ndarray:
        """A boolean mask of the live documents matching ``parsed``, unscored.

        Terms are read a posting block at a time into numpy arrays, and the boolean operators
        become array operations; other queries (phrases, prefixes, ranges) go through Whoosh.
        ``*`` is every live document (Whoosh's ``Every`` on a field reads every posting of it).
        """
        live = handle.live_docs()
        if isinstance(parsed, query.Every):
            return live.copy()
        if parsed is query.NullQuery:
            return np.zeros(len(live), dtype=bool)
        if isinstance(parsed, query.Term):
            mask = np.zeros(len(live), dtype=bool)
            mask[handle.term_postings(parsed.fieldname, parsed.text)[0]] = True
            return mask & live
        if isinstance(parsed, query.And) and parsed.subqueries:
            mask = self._matching_docs(handle, searcher, parsed.subqueries[0])
            for sub in parsed.subqueries[1:]:
                mask &= self._matching_docs(handle, searcher, sub)
            return mask
        if (
            type(parsed) in (query.Or, query.DisjunctionMax)
            and getattr(parsed, "minmatch", 0) in (0, 1)
            and parsed.subqueries
        ):
            mask = np.zeros(len(live), dtype=bool)
            for sub in parsed.subqueries:
                mask |= self._matching_docs(handle, searcher, sub)
            return mask
        if isinstance(parsed, query.AndNot):
            return self._matching_docs(handle, searcher, parsed.a) & ~self._matching_docs(
                handle, searcher, parsed.b
            )
        if isinstance(parsed, query.Not):
            return live & ~self._matching_docs(handle, searcher, parsed.query)
        if self._fast_phrase(parsed):
            docs = handle.phrase_docs(parsed)
            if docs is not None:
                mask = np.zeros(len(live), dtype=bool)
                mask[docs] = True
                return mask & live
        mask = np.zeros(len(live), dtype=bool)
        mask[np.fromiter(searcher.docs_for_query(parsed), dtype=np.int64)] = True
        return mask

    def _fast_docs(self, parsed) -> bool:
        """True when :meth:`_matching_docs` reads ``parsed`` from posting blocks only."""
        if isinstance(parsed, (query.Term, query.Every)) or parsed is query.NullQuery:
            return True
        if isinstance(parsed, query.Phrase):
            return self._fast_phrase(parsed)
        if isinstance(parsed, query.AndNot):
            return self._fast_docs(parsed.a) and self._fast_docs(parsed.b)
        if isinstance(parsed, query.Not):
            return self._fast_docs(parsed.query)
        if type(parsed) in (query.And, query.Or, query.DisjunctionMax):
            return getattr(parsed, "minmatch", 0) in (0, 1) and all(
                self._fast_docs(sub) for sub in parsed.subqueries
            )
        return False

    def _fast_phrase(self, parsed) -> bool:
        """A phrase :meth:`SearcherHandle.phrase_docs` matches exactly as Whoosh does."""
        if not isinstance(parsed, query.Phrase) or parsed.fieldname not in self.schema:
            return False
        return phrase_fits(self.schema[parsed.fieldname], parsed)

    def _bm25_scores(self, handle, searcher, parsed) -> np.ndarray | None:
        """Whoosh's BM25F score of every document for a query of terms and phrases joined by
        AND, OR and NOT, computed a posting block at a time with numpy; None for any other
        query (Whoosh ranks it). Documents that do not match a term have 0 (the caller ranks
        matching ones only)."""
        weighting = searcher.weighting
        if type(weighting) is not scoring.BM25F:
            return None
        if isinstance(parsed, query.Term):
            if parsed.fieldname not in self.schema or not self.schema[parsed.fieldname].scorable:
                return None
            return self._term_scores(handle, searcher, weighting, parsed)
        if self._fast_phrase(parsed):
            return self._phrase_scores(handle, searcher, weighting, parsed)
        if type(parsed) in (query.And, query.Or) and getattr(parsed, "minmatch", 0) in (0, 1):
            # Whoosh adds up the scores of the subqueries a document matches.
            total = None
            for sub in parsed.subqueries:
                if isinstance(sub, query.Not):
                    if isinstance(parsed, query.Or):
                        return None
                    # Whoosh's InverseMatcher scores 1.0 (the same for every match of the AND).
                    sub_scores = 1.0
                else:
                    sub_scores = self._bm25_scores(handle, searcher, sub)
                if sub_scores is None:
                    return None
                total = sub_scores if total is None else total + sub_scores
            if not isinstance(total, np.ndarray):
                return None  # nothing but NOTs: Whoosh ranks it
            return total * parsed.boost if parsed.boost != 1 else total
        if isinstance(parsed, query.AndNot):
            return self._bm25_scores(handle, searcher, parsed.a)
        return None

    def _term_scores(self, handle, searcher, weighting, term) -> np.ndarray | None:
        fieldname, text = term.fieldname, term.text
        docs, tf = handle.term_postings(fieldname, text)
        if tf is None:
            return None
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = handle.field_lengths(fieldname)[docs]
        tf = tf.astype(np.float64)
        scores = np.zeros(handle.doc_count(), dtype=np.float64)
        # whoosh.scoring.bm25, operation by operation in the same order (the same floats).
        scores[docs] = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        return scores * term.boost if term.boost != 1 else scores

    def _phrase_scores(self, handle, searcher, weighting, phrase) -> np.ndarray | None:
        """A phrase scores as the AND of its words where it matches, 0 elsewhere: Whoosh's span
        matcher wraps a binary tree of its words' intersection matchers and scores as that."""
        if not self.schema[phrase.fieldname].scorable:
            return None
        docs = handle.phrase_docs(phrase)
        if docs is None:
            return None
        word_scores = []
        for word in phrase.words:
            scores = self._term_scores(
                handle, searcher, weighting, query.Term(phrase.fieldname, word)
            )
            if scores is None:
                return None
            word_scores.append(scores)

        def tree_sum(parts):
            # make_binary_tree's shape, so the floats add up in Whoosh's order.
            if len(parts) == 1:
                return parts[0]
            half = len(parts) // 2
            return tree_sum(parts[:half]) + tree_sum(parts[half:])

        total = tree_sum(word_scores)
        scores = np.zeros(handle.doc_count(), dtype=np.float64)
        scores[docs] = total[docs]
        return scores * phrase.boost if phrase.boost != 1 else scores

    def _is_cached_field(self, fieldname):
        """Exact fields (ids, slugs, codes) whose values' documents the handle caches."""
        if fieldname == ID or fieldname not in self.schema:
            return False
        return isinstance(self.schema[fieldname], (WHOOSH_ID, KEYWORD))

    def _facet_counts(self, handle, fieldname, matched, options):
        if fieldname not in self.schema or not self._is_cached_field(fieldname):
            raise SearchBackendError(
                f"Cannot facet on {fieldname!r}: facet fields are Haystack Facet*Field fields."
            )
        mincount = max(int(options.get("mincount", 1)), 1)
        table = handle.facet_table(fieldname)
        counts = []
        if len(table.values) and matched.any():
            per_value = table.counts(matched)
            for code in np.flatnonzero(per_value >= mincount).tolist():
                counts.append((table.values[code], int(per_value[code])))
        convert = self._facet_converter(fieldname)
        counts = [(convert(value), count) for value, count in counts]
        if options.get("sort") == "index":
            counts.sort(key=lambda item: item[0])
        else:
            counts.sort(key=lambda item: (-item[1], item[0]))
        limit = options.get("limit")
        if limit is not None and int(limit) >= 0:
            counts = counts[: int(limit)]
        return counts

    def _facet_converter(self, fieldname):
        field_class = self.haystack_fields.get(fieldname)
        if field_class is not None and field_class.field_type == "integer":
            return int
        return str

    # Spelling ---------------------------------------------------------------------------------

    _FIELD_CLAUSE = re.compile(r"""(\w+):(\([^)]*\)|"[^"]*"|\[[^\]]*\]|\{[^}]*\}|'[^']*'|\S+)""")
    _OPERATORS = re.compile(r"\b(AND|OR|NOT|TO)\b")

    def spelling_source(self, text: str) -> str:
        """The words of a query string that spelling should look at (text fields only)."""
        text_fields = {
            name for name, fieldobj in self.schema.items() if isinstance(fieldobj, TEXT)
        } - {SPELLING_FIELD}

        def keep_text_clauses(match):
            return match.group(2) if match.group(1) in text_fields else " "

        text = self._FIELD_CLAUSE.sub(keep_text_clauses, text)
        return self._OPERATORS.sub(" ", text)

    def _spelling_suggestion(self, searcher, text):
        words = spelling_words(self.spelling_source(text))
        if not words:
            return None
        reader = searcher.reader()
        suggested, changed = [], False
        for word in words:
            if (SPELLING_FIELD, word) in reader:
                suggested.append(word)
                continue
            best = None
            for distance in (1, 2):
                candidates = [
                    candidate
                    for candidate in reader.terms_within(SPELLING_FIELD, word, distance, prefix=1)
                    if candidate not in FRENCH_STOP_WORDS
                ]
                if candidates:
                    best = max(
                        candidates,
                        key=lambda c: (reader.doc_frequency(SPELLING_FIELD, c), c),
                    )
                    break
            if best is not None and best != word:
                changed = True
                suggested.append(best)
            else:
                suggested.append(word)
        return " ".join(suggested) if changed else None

    # Pages ------------------------------------------------------------------------------------

    def page(self, outcome: SearchOutcome, start_offset=0, end_offset=None, result_class=None):
        """The Haystack response for ``[start_offset:end_offset]`` of a search outcome."""
        start = max(int(start_offset or 0), 0)
        end = len(outcome.docnums) if end_offset is None else max(int(end_offset), start)
        result_class = result_class or SearchResult
        results = []
        with outcome.handle.lock:
            for docnum in outcome.docnums[start:end]:
                stored = outcome.searcher.stored_fields(docnum)
                score = outcome.scores.get(docnum, 0) if outcome.scores else 0
                results.append(self._result(stored, score, result_class))
        return {
            "results": results,
            "hits": outcome.hits,
            "facets": outcome.facets,
            "spelling_suggestion": outcome.spelling_suggestion,
        }

    def _result(self, stored, score, result_class):
        app_label, model_name = stored[DJANGO_CT].split(".")
        model = haystack_get_model(app_label, model_name)
        additional = {}
        for key, value in stored.items():
            if key in (ID, DJANGO_CT, DJANGO_ID):
                continue
            field_class = self.haystack_fields.get(key)
            if field_class is None:
                additional[key] = self._to_python(value)
            elif field_class.is_multivalued:
                additional[key] = value.split(",") if value else []
            elif field_class.field_type == "date" and isinstance(value, datetime.datetime):
                additional[key] = value.date()
            else:
                additional[key] = field_class.convert(value)
        if model is None:
            raise SearchBackendError(f"Indexed model {stored[DJANGO_CT]!r} no longer exists.")
        return result_class(app_label, model_name, stored[DJANGO_ID], score, **additional)

    # Prefixes ---------------------------------------------------------------------------------

    def expand_prefix(self, prefix: str, *, limit: int) -> tuple[list[str], int]:
        """The words of the index (folded, unstemmed: as written) that start with ``prefix``,
        the most frequent first and at most ``limit`` of them, and how many there are in all.

        Expanding over the written words and searching their stems finds *libération* for
        ``libérat*``, which the stems (``liber``) do not start with.
        """
        prefix = normalize_word(prefix)[0]
        if not prefix:
            return [], 0
        handle = self.handle()

        def words_by_frequency(searcher):
            # The cache lives as long as this index version's searcher (facet_docs is reset
            # when a newer one is opened).
            cache = handle.facet_docs.setdefault(_PREFIXES, {})
            found = cache.get(prefix)
            if found is None:
                found = sorted(
                    (-info.doc_frequency(), text.decode("utf-8"))
                    for text, info in searcher.reader().iter_prefix(SPELLING_FIELD, prefix)
                )
                if len(cache) >= PREFIX_CACHE_SIZE:
                    cache.clear()
                cache[prefix] = found
            return found

        found = handle.read(words_by_frequency)
        return [word for _, word in found[:limit]], len(found)

    # More like this ---------------------------------------------------------------------------

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Documents sharing the key terms of ``model_instance``'s document, best first.

        The body is not stored in the index, so the key terms come from the document the index
        would write for the instance, weighed against the index's own term statistics.
        """
        from haystack import connections
        from haystack.utils import get_identifier

        index = (
            connections[self.connection_alias].get_unified_index().get_index(type(model_instance))
        )
        content_field = index.get_content_field()
        if hasattr(index, "more_like_this_text"):
            text = index.more_like_this_text(model_instance)
        else:
            text = index.full_prepare(model_instance).get(content_field) or ""
        result_class = result_class or SearchResult
        start = max(int(start_offset or 0), 0)
        top = max(int(end_offset or 10), start + 1)

        def similar(searcher):
            if not text.strip():
                return []
            own_docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
            hits = searcher.more_like(
                own_docnum, content_field, text=text, top=top, numterms=MORE_LIKE_THIS_TERMS
            )
            return [self._result(hit.fields(), hit.score, result_class) for hit in hits[start:]]

        results = self.handle().read(similar)
        return {"results": results, "hits": len(results)}


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(_freeze(item) for item in value))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return value


class FrenchWhooshSearchQuery(WhooshSearchQuery):
    """Keeps the last search's outcome, so ``count()``, any slice and ``facet_counts()`` of one
    SearchQuerySet cost one Whoosh search between them (Haystack re-runs the query for each).
    """

    _outcome_key = None
    _outcome = None

    def build_query_fragment(self, field, filter_type, value):
        """Exact fields get a quoted whole value, whatever Haystack's cleaning would do to it.

        (Haystack writes ``filter(source__exact="le-monde")`` as ``source:"'le-monde'"``.)
        """
        if field != "content" and filter_type in ("content", "exact", "in"):
            from haystack import connections

            fieldname = connections[self._using].get_unified_index().get_index_fieldname(field)
            if not self.backend.setup_complete:
                self.backend.setup()
            if self.backend._is_cached_field(fieldname):
                values = value if filter_type == "in" else [value]
                if hasattr(values, "values_list"):
                    values = list(values)
                quoted = [f'"{self._exact_text(item)}"' for item in values]
                if not quoted:
                    return f'{fieldname}:("")'
                return f"{fieldname}:({' OR '.join(quoted)})"
        return super().build_query_fragment(field, filter_type, value)

    @staticmethod
    def _exact_text(value):
        value = getattr(value, "query_string", value)
        return force_str(value).replace('"', "")

    def run(self, spelling_query=None, **kwargs):
        final_query = self.build_query()
        search_kwargs = self.build_params(spelling_query=spelling_query)
        if kwargs:
            search_kwargs.update(kwargs)
        start = search_kwargs.pop("start_offset", 0)
        end = search_kwargs.pop("end_offset", None)
        result_class = search_kwargs.pop("result_class", None)
        key = (final_query, _freeze(search_kwargs))
        if self._outcome is None or self._outcome_key != key or not self._outcome.covers(end):
            # A first page ranks only what it shows; deep slices and exports rank every hit.
            top = max(end, RANK_AT_LEAST) if end is not None and end <= RANK_ONLY_UP_TO else None
            self._outcome = self.backend.execute(final_query, top=top, **search_kwargs)
            self._outcome_key = key
        results = self.backend.search(
            final_query,
            start_offset=start,
            end_offset=end,
            result_class=result_class,
            outcome=self._outcome,
        )
        self._results = results.get("results", [])
        self._hit_count = results.get("hits", 0)
        self._facet_counts = self.post_process_facets(results)
        self._spelling_suggestion = results.get("spelling_suggestion", None)


class FrenchWhooshEngine(BaseEngine):
    backend = FrenchWhooshSearchBackend
    query = FrenchWhooshSearchQuery


# Scale-out: Elasticsearch 7 through Haystack, with the same French analysis ------------------

FRENCH_ANALYZER = "french_archive"

# Elisions the Whoosh analysis drops (articles.analysis.ELISIONS), as Elasticsearch articles.
_ELISION_ARTICLES = sorted(
    ["l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"]
)


def elasticsearch_settings() -> dict:
    """The index settings of the Elasticsearch 7 engine: one French analyzer for documents and
    queries, in the order of :func:`articles.analysis.french_analyzer` (typographic apostrophes
    made plain, elisions dropped, lowercase, accents folded, the same folded stop words, the
    ``light_french`` stemmer)."""
    return {
        "settings": {
            "analysis": {
                "char_filter": {
                    "french_apostrophes": {
                        "type": "mapping",
                        "mappings": ["’ => '", "‘ => '", "ʼ => '", "` => '", "´ => '"],
                    }
                },
                "filter": {
                    "french_elision": {
                        "type": "elision",
                        "articles_case": True,
                        "articles": _ELISION_ARTICLES,
                    },
                    "french_stop": {"type": "stop", "stopwords": sorted(FRENCH_STOP_WORDS)},
                    "french_stemmer": {"type": "stemmer", "language": "light_french"},
                },
                "analyzer": {
                    FRENCH_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "char_filter": ["french_apostrophes"],
                        "filter": [
                            "french_elision",
                            "lowercase",
                            "asciifolding",
                            "french_stop",
                            "french_stemmer",
                        ],
                    }
                },
            }
        }
    }


try:  # the engine exists where the elasticsearch client (>=7,<8) is installed
    from haystack.backends.elasticsearch7_backend import (
        Elasticsearch7SearchBackend,
        Elasticsearch7SearchEngine,
    )
except Exception:  # haystack raises MissingDependency without the elasticsearch package
    Elasticsearch7SearchBackend = Elasticsearch7SearchEngine = None


def merged_settings(base: dict, extra: dict) -> dict:
    """``base`` with ``extra`` merged in, dictionaries key by key (neither is changed)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merged_settings(merged[key], value)
        else:
            merged[key] = value
    return merged


if Elasticsearch7SearchBackend is not None:

    class FrenchElasticsearch7SearchBackend(Elasticsearch7SearchBackend):
        """Haystack's ES 7 backend with the French analyzer on every text field; facet fields
        stay ``keyword`` (Haystack maps ``Facet*Field`` fields so)."""

        # Haystack's own n-gram analyzers stay; the French one is added.
        DEFAULT_SETTINGS = merged_settings(
            Elasticsearch7SearchBackend.DEFAULT_SETTINGS, elasticsearch_settings()
        )
        DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": FRENCH_ANALYZER}

    class FrenchElasticsearch7Engine(Elasticsearch7SearchEngine):
        backend = FrenchElasticsearch7SearchBackend
