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

from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import columns, query
from whoosh.fields import BOOLEAN, COLUMN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.qparser import FuzzyTermPlugin, QueryParser

from articles.analysis import (
    FRENCH_STOP_WORDS,
    french_analyzer,
    spelling_analyzer,
    spelling_words,
    vocabulary,
)

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
            try:
                ix = FileStorage(self.path).open_index(INDEX_NAME, schema=self.schema)
                searcher = ix.searcher()
            except Exception as error:  # any damage: unpickling, missing segment, bad TOC …
                raise SearchUnavailable(
                    f"the search index at {self.path} cannot be read ({error!r}): "
                    "run `manage.py sync_index` to rebuild it"
                ) from error
            self.searcher = searcher
            self.signature = signature
            self.facet_docs = {}
            self.order_keys = None
        return self.searcher

    def docs_for_value(self, fieldname, value):
        return self.values_of(fieldname).get(value, frozenset())

    def values_of(self, fieldname) -> dict:
        """Every value of an exact field, with the set of document numbers that have it."""
        values = self.facet_docs.get(fieldname)
        if values is None:
            reader = self.searcher.reader()
            fieldobj = self.schema[fieldname]
            values = {}
            for btext in reader.lexicon(fieldname):
                docs = frozenset(reader.postings(fieldname, btext).all_ids())
                if docs:
                    values[fieldobj.from_bytes(btext)] = docs
            self.facet_docs[fieldname] = values
        return values

    def sort_keys(self):
        """Two lists indexed by document number: keys for oldest-first and newest-first order.

        Undated articles sort last both ways; equal dates sort by primary key.
        """
        if self.order_keys is None:
            reader = self.searcher.reader()
            # An index without segments has an EmptyReader, which has no columns.
            packed = list(reader.column_reader(ORDER_FIELD)) if reader.doc_count_all() else []
            ascending = [key if key >= (1 << PK_BITS) else UNDATED + key for key in packed]
            descending = [-key if key >= (1 << PK_BITS) else UNDATED - key for key in packed]
            self.order_keys = (ascending, descending)
        return self.order_keys


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
        **kwargs,
    ) -> SearchOutcome:
        """Run the one Whoosh search: every hit in order, the total, facets and spelling."""
        if date_facets:
            raise SearchBackendError(
                "Date facets are not supported here: facet on the 'year' field instead."
            )
        if query_facets:
            raise SearchBackendError("Whoosh does not handle query facets.")
        handle = self.handle()
        with handle.lock:
            searcher = handle.current()
            try:
                return self._execute(
                    handle,
                    searcher,
                    force_str(query_string or ""),
                    sort_by=sort_by,
                    facets=facets or {},
                    narrow_queries=narrow_queries or (),
                    spelling_query=spelling_query,
                    models=models,
                )
            except INDEX_READ_ERRORS as error:
                raise SearchUnavailable(
                    f"the search index at {self.path} cannot be read ({error!r})"
                ) from error

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
    ) -> SearchOutcome:
        order = self._order(sort_by)
        parsed = None
        if query_string and (len(query_string) > 1 or query_string == "*"):
            parsed = self.parser.parse(query_string)
        allowed = self._allowed_docs(handle, searcher, narrow_queries, models)

        if parsed is None or parsed is query.NullQuery or allowed == set():
            docnums, scores = [], None
        elif order is None:
            results = searcher.search(parsed, limit=None, filter=allowed)
            docnums = [docnum for _, docnum in results.top_n]
            scores = {docnum: score for score, docnum in results.top_n}
        else:
            matched = set(searcher.docs_for_query(parsed))
            if allowed is not None:
                matched &= allowed
            ascending, descending = handle.sort_keys()
            keys = descending if order == "desc" else ascending
            docnums = sorted(matched, key=keys.__getitem__)
            scores = None

        outcome = SearchOutcome(
            handle=handle, searcher=searcher, docnums=docnums, scores=scores, hits=len(docnums)
        )
        if facets:
            matched_set = set(docnums)
            outcome.facets = {"fields": {}, "dates": {}, "queries": {}}
            for fieldname, options in facets.items():
                outcome.facets["fields"][fieldname] = self._facet_counts(
                    handle, fieldname, matched_set, options or {}
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
        """The document numbers the narrow queries and models allow, or None for all."""
        sets = []
        if models:
            wanted = {get_model_ct(model) for model in models}
            indexed = {get_model_ct(model) for model in self._indexed_models()}
            if not indexed <= wanted:
                models_query = query.Or([query.Term(DJANGO_CT, ct) for ct in sorted(wanted)])
                sets.append(self._docs_for(handle, searcher, models_query))
        for narrow in sorted(narrow_queries):
            parsed = self.parser.parse(force_str(narrow))
            sets.append(self._docs_for(handle, searcher, parsed))
        if not sets:
            return None
        sets.sort(key=len)
        return set(sets[0]).intersection(*sets[1:])

    def _indexed_models(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index().get_indexed_models()

    def _docs_for(self, handle, searcher, parsed):
        """Document numbers matching a filter query; exact-field terms come from the cache."""
        if isinstance(parsed, query.Term) and self._is_cached_field(parsed.fieldname):
            return handle.docs_for_value(parsed.fieldname, parsed.text)
        if isinstance(parsed, query.Or) and all(
            isinstance(sub, query.Term) and self._is_cached_field(sub.fieldname)
            for sub in parsed.subqueries
        ):
            return frozenset().union(
                *(handle.docs_for_value(sub.fieldname, sub.text) for sub in parsed.subqueries)
            )
        if isinstance(parsed, query.And) and parsed.subqueries:
            parts = [self._docs_for(handle, searcher, sub) for sub in parsed.subqueries]
            parts.sort(key=len)
            return set(parts[0]).intersection(*parts[1:])
        return frozenset(searcher.docs_for_query(parsed))

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
        counts = []
        if matched:
            for value, docs in handle.values_of(fieldname).items():
                count = len(docs & matched) if len(docs) < len(matched) else len(matched & docs)
                if count >= mincount:
                    counts.append((value, count))
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

        index = connections[self.connection_alias].get_unified_index().get_index(
            type(model_instance)
        )
        content_field = index.get_content_field()
        if hasattr(index, "more_like_this_text"):
            text = index.more_like_this_text(model_instance)
        else:
            text = index.full_prepare(model_instance).get(content_field) or ""
        result_class = result_class or SearchResult
        start = max(int(start_offset or 0), 0)
        top = max(int(end_offset or 10), start + 1)
        handle = self.handle()
        results = []
        with handle.lock:
            searcher = handle.current()
            if text.strip():
                own_docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
                hits = searcher.more_like(
                    own_docnum,
                    content_field,
                    text=text,
                    top=top,
                    numterms=MORE_LIKE_THIS_TERMS,
                )
                results = [
                    self._result(hit.fields(), hit.score, result_class) for hit in hits[start:]
                ]
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
        if self._outcome is None or self._outcome_key != key:
            self._outcome = self.backend.execute(final_query, **search_kwargs)
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
