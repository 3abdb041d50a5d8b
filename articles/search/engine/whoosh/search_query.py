"""Haystack's Whoosh query, keeping the last search's outcome for every slice of it."""

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshSearchQuery

# A slice ending at or before this many hits ranks only those; a deeper one ranks every hit.
RANK_ONLY_UP_TO = 1000
# Rank at least this many, so a count, the first pages and a short list share one search.
RANK_AT_LEAST = 100


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
            if self.backend.is_exact_field(fieldname):
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
