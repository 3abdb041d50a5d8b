"""Haystack's Whoosh backend, made French, exact on facets, and one Whoosh search per query.

What differs from ``haystack.backends.whoosh_backend`` and why (see SEARCH_NOTES.md):

* every analysed text field uses the French analysis, on the index and on the query, and facet
  fields are whole values (:mod:`.schema`);
* ``narrow()`` queries and the model restriction are document-number filters inside the one
  search; facet counts, the total and the spelling suggestion come from that same search, for any
  ``[start:end]`` slice (a slice past the end still has the total and the facets);
* facets, matching and ranking are numpy arrays over document numbers (:mod:`.facets`,
  :mod:`.matching`, :mod:`.scoring`), with Whoosh's own results and scores;
* one searcher per index and process (:mod:`.handle`); a missing or unreadable index raises
  :class:`SearchUnavailable`;
* no backend highlighting (the document text is not stored; the read side highlights from the
  database text with the same analysis);
* writes go through the single writer (:mod:`.writer`, one lock for every process).
"""

import datetime

import numpy as np
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query
from whoosh.qparser import FuzzyTermPlugin, QueryParser

from articles.search.analysis import normalize_word
from articles.search.engine.whoosh import writer
from articles.search.engine.whoosh.facets import (
    MaskDocs,
    facet_counts,
    unknown_facet,
)
from articles.search.engine.whoosh.handle import SearcherHandle, searcher_handle
from articles.search.engine.whoosh.index import WhooshIndex
from articles.search.engine.whoosh.matching import fast_docs, filter_docs, matching_docs
from articles.search.engine.whoosh.outcome import SearchOutcome, sort_order
from articles.search.engine.whoosh.schema import (
    build_schema,
    document_for,
    is_exact_fieldname,
)
from articles.search.engine.whoosh.scoring import bm25_scores, top_scored
from articles.search.engine.whoosh.search_query import FrenchWhooshSearchQuery
from articles.search.engine.whoosh.spelling import (
    spelling_source,
    spelling_suggestion,
    written_words,
)

# How many key terms of an article make its more-like-this query.
MORE_LIKE_THIS_TERMS = 12


class FrenchWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if self.use_file_storage is False:
            raise SearchBackendError("FrenchWhooshSearchBackend needs a file index (PATH).")
        # Spelling is part of the one search; it costs nothing when every word is known.
        self.include_spelling = connection_options.get("INCLUDE_SPELLING", True)

    # Schema and documents --------------------------------------------------------------------

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
        return build_schema(fields)

    def whoosh_document(self, index, obj) -> dict | None:
        """The Whoosh document for ``obj`` (None when the index skips it)."""
        if not self.setup_complete:
            self.setup()
        return document_for(
            self.schema, self.content_field_name, index, obj, from_python=self._from_python
        )

    def is_exact_field(self, fieldname) -> bool:
        """Exact fields (ids, slugs, codes) whose values' documents the searcher caches."""
        return is_exact_fieldname(self.schema, fieldname)

    # Haystack's writes ------------------------------------------------------------------------

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        writer.write_documents(self, index, list(iterable))

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        writer.delete_documents(self, [obj_or_string])

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        writer.clear_index(self)

    def delete_index(self):
        self.clear()

    def optimize(self):
        if not self.setup_complete:
            self.setup()
        writer.optimize_index(self)

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
        self, handle, searcher, query_string, *, sort_by, facets, narrow_queries, spelling_query,
        models, top=None,
    ) -> SearchOutcome:  # fmt: skip
        order = sort_order(sort_by)
        parsed = None
        if query_string and (len(query_string) > 1 or query_string == "*"):
            parsed = self.parser.parse(query_string)
        allowed = self.allowed_docs(handle, searcher, narrow_queries, models)
        if (
            parsed is None
            or parsed is query.NullQuery
            or (allowed is not None and not allowed.any())
        ):
            docnums, scores, matched = [], None, None
        elif order is None and (top is None or not fast_docs(self.schema, parsed)):
            # Phrases, prefixes, fuzzy terms: Whoosh walks their candidates in Python anyway, so
            # one scored walk gives the order, the total and the facets together.
            docnums, scores = self._whoosh_ranked(searcher, parsed, allowed, limit=None)
            matched = None
        else:
            # Which documents match, without scoring them (for the total and the facets) …
            mask = matching_docs(handle, searcher, parsed)
            if allowed is not None:
                mask &= allowed
            matched = np.flatnonzero(mask)
            docnums, scores = self._ranked(handle, searcher, parsed, allowed, matched, order, top)
        outcome = SearchOutcome(
            handle=handle,
            searcher=searcher,
            docnums=docnums,
            scores=scores,
            hits=len(docnums) if matched is None else len(matched),
        )
        if facets:
            outcome.facets = self._facets(handle, facets, matched, docnums)
        if self.include_spelling:
            outcome.spelling_suggestion = spelling_suggestion(
                self.schema, searcher, spelling_query or query_string
            )
        return outcome

    def _ranked(self, handle, searcher, parsed, allowed, matched, order, top):
        """The first ``top`` (all: None) of the matching documents in order, and their scores."""
        if order is None and isinstance(parsed, query.Every):
            return matched[:top].tolist(), {}
        if order is None:
            # … and only the first ``top`` ranked: Whoosh skips the posting blocks that cannot
            # reach them.
            if not (top and len(matched)):
                return [], {}
            bm25 = bm25_scores(handle, searcher, parsed)
            if bm25 is not None:
                return top_scored(matched, bm25[matched], top)
            # Phrases are ranked by a full walk, as they always were: Whoosh's block-quality
            # skipping does not re-check a span matcher's spans.
            has_phrase = any(isinstance(q, query.Phrase) for q in parsed.leaves())
            return self._whoosh_ranked(searcher, parsed, allowed, limit=None if has_phrase else top)
        ascending, descending = handle.sort_keys()
        keys = (descending if order == "desc" else ascending)[matched]
        if top is not None and top < len(matched):
            first = np.argpartition(keys, top)[:top] if top else matched[:0]
            ranked = first[np.argsort(keys[first], kind="stable")]
        else:
            ranked = np.argsort(keys, kind="stable")
        return matched[ranked].tolist(), None

    @staticmethod
    def _whoosh_ranked(searcher, parsed, allowed, *, limit):
        results = searcher.search(
            parsed, limit=limit, filter=MaskDocs(allowed) if allowed is not None else None
        )
        return [docnum for _, docnum in results.top_n], {
            docnum: score for score, docnum in results.top_n
        }

    def _facets(self, handle, facets, matched, docnums) -> dict:
        matched_mask = np.zeros(handle.doc_count(), dtype=bool)
        if matched is not None:
            matched_mask[matched] = True
        elif docnums:
            matched_mask[np.asarray(docnums, dtype=np.int64)] = True
        fields = {}
        for fieldname, options in facets.items():
            if not self.is_exact_field(fieldname):
                raise unknown_facet(fieldname)
            fields[fieldname] = facet_counts(
                handle.facet_table(fieldname),
                matched_mask,
                options or {},
                self._facet_converter(fieldname),
            )
        return {"fields": fields, "dates": {}, "queries": {}}

    def _facet_converter(self, fieldname):
        field_class = self.haystack_fields.get(fieldname)
        if field_class is not None and field_class.field_type == "integer":
            return int
        return str

    def allowed_docs(self, handle, searcher, narrow_queries, models):
        """A boolean mask of the documents the narrow queries and models allow, or None for all."""
        masks = []
        if models:
            wanted = {get_model_ct(model) for model in models}
            indexed = {get_model_ct(model) for model in self._indexed_models()}
            if not indexed <= wanted:
                models_query = query.Or([query.Term(DJANGO_CT, ct) for ct in sorted(wanted)])
                masks.append(filter_docs(handle, searcher, models_query))
        for narrow in sorted(narrow_queries):
            parsed = self.parser.parse(force_str(narrow))
            masks.append(filter_docs(handle, searcher, parsed))
        if not masks:
            return None
        allowed = masks[0].copy()
        for mask in masks[1:]:
            allowed &= mask
        return allowed

    def _indexed_models(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index().get_indexed_models()

    def spelling_source(self, text: str) -> str:
        """The words of a query string that spelling should look at (text fields only)."""
        return spelling_source(self.schema, text)

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
        found = written_words(self.handle(), prefix)
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


class FrenchWhooshEngine(BaseEngine):
    backend = FrenchWhooshSearchBackend
    query = FrenchWhooshSearchQuery
    # What the search package's queue, maintenance and health check use (articles.search.engine).
    search_engine = WhooshIndex
