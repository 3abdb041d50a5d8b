"""Step 3 of a search: ``run(params)`` asks the engine and returns a ``SearchPage``.

A page holds everything the HTML page, the JSON and the feed show: the hits, the total, the
facet groups with their counts, the chips of the active filters, the sentence that restates
the search, notices and a spelling suggestion. ``iter_results`` walks every hit for the CSV.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.ingest.folding import fold_accents_and_case as fold
from articles.search.errors import engine_errors
from articles.search.hits import SearchHit, load_hits
from articles.search.params import (
    FACETS,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_RELEVANCE,
    SORTS,
    SearchParams,
)
from articles.search.query import build_text_query, searchqueryset
from articles.search.restatement import restate
from articles.search.suggestion import correctable_words, suggestion_for
from articles.search.vocabulary import Expansion, expansions

EXPORT_BATCH = 250
FACET_VALUES_SHOWN = 10


@dataclass
class FacetValue:
    slug: str
    label: str
    count: int
    selected: bool
    excluded: bool
    toggle_url: str
    exclude_url: str
    input_id: str

    @property
    def exclude_label(self) -> str:
        """The exclude link's accessible name (« Exclure Rome », « Ne plus exclure Rome »)."""
        if self.excluded:
            return _("Ne plus exclure %(label)s") % {"label": self.label}
        return _("Exclure %(label)s") % {"label": self.label}


@dataclass
class FacetGroup:
    key: str
    label: str
    values: list[FacetValue]

    @property
    def exclude_key(self) -> str:
        return f"sauf_{self.key}"

    @cached_property
    def shown(self) -> list[FacetValue]:
        return [v for i, v in enumerate(self.values) if i < FACET_VALUES_SHOWN or v.selected]

    @cached_property
    def more(self) -> list[FacetValue]:
        return [v for i, v in enumerate(self.values) if i >= FACET_VALUES_SHOWN and not v.selected]

    @cached_property
    def excluded(self) -> list[FacetValue]:
        return [v for v in self.values if v.excluded]


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class SortLink:
    value: str
    label: str
    url: str
    is_current: bool


@dataclass
class PageLink:
    number: int | None  # None: a gap (…)
    url: str = ""
    is_current: bool = False


@dataclass
class SearchPage:
    params: SearchParams
    hits: list[SearchHit]
    total: int
    facets: list[FacetGroup]
    chips: list[Chip]
    notices: list[str]
    sentence: str
    suggestion: str | None = None
    suggestion_url: str | None = None
    redirect_url: str | None = None
    searches: int = 0

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def per_page(self) -> int:
        return self.params.per_page

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def previous_url(self) -> str | None:
        return self.params.url_for_page(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.params.url_for_page(self.page + 1) if self.page < self.num_pages else None

    @property
    def page_links(self) -> list[PageLink]:
        wanted = {1, self.num_pages, *range(self.page - 2, self.page + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.num_pages)
        links, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                links.append(PageLink(None))
            links.append(PageLink(number, self.params.url_for_page(number), number == self.page))
            previous = number
        return links

    @property
    def clear_url(self) -> str:
        return self.params.url_without_filters()

    @property
    def sort_links(self) -> list[SortLink]:
        choices = [SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST]
        if self.params.query.is_empty:
            choices.remove(SORT_RELEVANCE)
        return [
            SortLink(
                value,
                str(SORTS[value]),
                self.params.url(sort_param=value),
                value == self.params.sort,
            )
            for value in choices
        ]

    @property
    def json_query(self) -> str:
        return "?" + urlencode([*self.params.pairs(page=self.page), ("format", "json")])

    @property
    def csv_query(self) -> str:
        return "?" + urlencode([*self.params.pairs(), ("format", "csv")])

    @property
    def query_string(self) -> str:
        """This search (first page) as ``?…``, for the feed and export links."""
        return self.params.url_for_page(1)


def run(params: SearchParams, *, facets: bool = True) -> SearchPage:
    """Search, count, facet and load one page of articles.

    One engine search for the page (with the counts of every facet without a selection), plus one
    per facet group with a selection: its counts follow every *other* filter (disjunctive facets).
    Raises ``SearchUnavailable`` when the engine cannot answer.
    """
    text, expanded = _text_query(params)
    notices = [*params.notices, *_query_notices(params, text, expanded)]
    start = (params.page - 1) * params.per_page
    sqs = searchqueryset(params, text)
    if facets:
        for spec in FACETS:
            if not _has_selection(params, spec.key):
                sqs = sqs.facet(spec.field)
    correctable = correctable_words(params.query)
    if correctable:
        sqs = sqs.set_spelling_query(" ".join(correctable))

    with engine_errors():
        results = list(sqs[start : start + params.per_page])
        total = sqs.count()
        counts = dict(sqs.facet_counts().get("fields", {})) if facets else {}
        suggestion = sqs.spelling_suggestion() if correctable else None
        searches = 1
        if facets:
            selected_counts = _selected_group_counts(params, text)
            counts.update(selected_counts)
            searches += len(selected_counts)

    redirect_url = None
    if not results and params.page > 1:
        if not total:
            with engine_errors():
                total = searchqueryset(params, text).count()
                searches += 1
        last = max(1, math.ceil(total / params.per_page))
        if last < params.page:
            redirect_url = params.url_for_page(last)

    suggestion_text = suggestion_for(
        params.query, correctable, suggestion, total, params.vocabulary.synonyms
    )
    return SearchPage(
        params=params,
        hits=load_hits(results, params),
        total=total,
        facets=_facet_groups(params, counts) if facets else [],
        chips=_chips(params),
        notices=notices,
        sentence=restate(params, total),
        suggestion=suggestion_text,
        suggestion_url=params.url_with_query(suggestion_text) if suggestion_text else None,
        redirect_url=redirect_url,
        searches=searches,
    )


def iter_results(params: SearchParams, *, limit: int) -> Iterator[SearchHit]:
    """Every matching article (up to ``limit``), in the search's order, fetched in batches."""
    text, _expanded = _text_query(params)
    sqs = searchqueryset(params, text)
    produced = 0
    start = 0
    while produced < limit:
        size = min(EXPORT_BATCH, limit - produced)
        with engine_errors():
            batch = list(sqs[start : start + size])
        if not batch:
            return
        for hit in load_hits(batch, params):
            yield hit
            produced += 1
            if produced >= limit:
                return
        if len(batch) < size:
            return
        start += size


def _text_query(params: SearchParams):
    """The engine query for the search's words, and what its prefixes expanded to."""
    with engine_errors():
        expanded = expansions(params.query, params.vocabulary)
    return build_text_query(params.query.tree, params.vocabulary.synonyms, expanded), expanded


def _query_notices(params: SearchParams, text, expanded: dict[str, Expansion]) -> list[str]:
    """What the page says about how the words were searched: a prefix cut, only stop words."""
    notices = []
    for expansion in expanded.values():
        if expansion.is_capped:
            notices.append(
                ngettext(
                    "Trop de mots commencent par « %(prefix)s » : la recherche porte sur le "
                    "plus fréquent.",
                    "Trop de mots commencent par « %(prefix)s » : la recherche porte sur les "
                    "%(count)s plus fréquents.",
                    len(expansion.words),
                )
                % {"prefix": expansion.prefix, "count": len(expansion.words)}
            )
    if text is None and not params.query.is_empty:
        notices.append(
            _("Mots trop courants pour être recherchés : tous les articles sont listés.")
        )
    return notices


def _has_selection(params: SearchParams, key: str) -> bool:
    return bool(params.selected.get(key) or params.excluded.get(key))


def _selected_group_counts(params: SearchParams, text) -> dict[str, list]:
    """The counts of each facet group with a selection, under every filter but its own: one
    search per group."""
    counts = {}
    for spec in FACETS:
        if _has_selection(params, spec.key):
            facet_sqs = searchqueryset(params, text, without=spec.key).facet(spec.field)
            # One search: a one-result page, for this group's counts only.
            facet_sqs[0:1]
            group_counts = facet_sqs.facet_counts().get("fields", {})
            counts[spec.field] = group_counts.get(spec.field, [])
    return counts


def _facet_groups(params: SearchParams, counts: dict) -> list[FacetGroup]:
    vocabulary = params.vocabulary
    groups = []
    for spec in FACETS:
        raw = counts.get(spec.field) or []
        value_counts: dict[str, int] = {}
        for value, count in raw:
            if value is None or value == "":
                continue
            value_counts[str(value)] = value_counts.get(str(value), 0) + int(count)
        selected = params.selected.get(spec.key, ())
        excluded = params.excluded.get(spec.key, ())
        for value in (*selected, *excluded):
            value_counts.setdefault(value, 0)
        labels = vocabulary.labels(spec.key, value_counts)
        values = [
            FacetValue(
                slug=slug,
                label=labels.get(slug, slug),
                count=count,
                selected=slug in selected,
                excluded=slug in excluded,
                toggle_url=(
                    params.url_without(spec.key, slug)
                    if slug in selected
                    else params.url_with(spec.key, slug)
                ),
                exclude_url=(
                    params.url_without(spec.key, slug, excluded=True)
                    if slug in excluded
                    else params.url_with(spec.key, slug, excluded=True)
                ),
                input_id=f"f-{spec.key}-{slugify(slug) or 'x'}",
            )
            for slug, count in value_counts.items()
            if slug in labels or slug in selected or slug in excluded
        ]
        if spec.key == "annee":
            values.sort(key=lambda v: v.slug, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, fold(v.label)))
        if values:
            groups.append(FacetGroup(spec.key, str(spec.label), values))
    return groups


def _chips(params: SearchParams) -> list[Chip]:
    chips = []
    for spec in FACETS:
        for slug in params.selected.get(spec.key, ()):
            chips.append(
                Chip(
                    _("%(facet)s : %(value)s")
                    % {"facet": spec.label, "value": params.label(spec.key, slug)},
                    params.url_without(spec.key, slug),
                )
            )
        for slug in params.excluded.get(spec.key, ()):
            chips.append(
                Chip(
                    _("%(facet)s : sauf %(value)s")
                    % {"facet": spec.label, "value": params.label(spec.key, slug)},
                    params.url_without(spec.key, slug, excluded=True),
                )
            )
    if params.date_from:
        chips.append(
            Chip(
                _("Depuis le %(date)s") % {"date": date_format(params.date_from)},
                params.url(date_from=None),
            )
        )
    if params.date_to:
        chips.append(
            Chip(
                _("Jusqu’au %(date)s") % {"date": date_format(params.date_to)},
                params.url(date_to=None),
            )
        )
    return chips
