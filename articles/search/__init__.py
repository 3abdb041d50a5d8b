"""The researcher's search, in three steps: ``parse`` → ``run`` → a ``SearchPage``.

``parse(query_dict)`` validates the query string (French parameter names, slugs) into
``SearchParams``; ``run(params)`` asks the search engine, loads the articles from the database and
returns everything a page, a JSON or CSV export or a feed shows. This is the only module outside the
engine layer that talks to Haystack, and only through its backend-neutral API.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from haystack import connections as haystack_connections
from haystack.constants import DEFAULT_ALIAS
from haystack.exceptions import SearchBackendError
from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from articles.analysis import (
    FRENCH_STOP_WORDS,
    WORD_PATTERN,
    analyzed_terms,
    french_stem,
    normalize_word,
    spelling_words,
)
from articles.analysis import fold as fold_accents
from articles.models import (
    Article,
    ArticleLanguage,
    Meeting,
    MeetingKind,
    Person,
    Source,
    SynonymGroup,
)
from articles.search import syntax as query_syntax
from articles.search.syntax import And, Not, Or, ParsedQuery, Phrase, Prefix, Term

# The engine layer's exception; a view catches ``search.SearchUnavailable`` and answers 503.
from articles.search_backend import SearchUnavailable

__all__ = [
    "FACETS",
    "SORTS",
    "Highlighter",
    "SearchHit",
    "SearchPage",
    "SearchParams",
    "SearchUnavailable",
    "Vocabulary",
    "article_url",
    "highlight",
    "iter_results",
    "more_like_this",
    "parse",
    "restate",
    "run",
]

PER_PAGE = getattr(settings, "HAYSTACK_SEARCH_RESULTS_PER_PAGE", 20)
MAX_PER_PAGE = 100
# Deeper pages make the engine rank that many documents; nobody reads page 500 of a search.
MAX_PAGE = 500
MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 100
# A word with fewer hits than this gets a spelling suggestion, if the engine has one.
FEW_HITS = 3
# What a query's prefixes (``secur*``) may expand to, in index words, shared between them (the
# most frequent words first). A prefix is searched as an OR of its words, and each word costs a
# pass over its postings: on the 10,000-article benchmark index (2 busy cores), an OR of
# 100/200/800 frequent words took 0.9/1.1/2.2 s with cold postings (0.1/0.16/0.6 s warm), where
# a plain word's page takes about 0.1 s; Whoosh's own ranking took 4.9 s for 100 and 9.5 s for
# 200. A real lexicon gives a three-letter prefix (con*, pré*) thousands of words, most of them
# rare: the most frequent 100 carry most of its occurrences, and the page says when it cut.
MAX_PREFIX_WORDS = 100
MIN_CORRECTED_LENGTH = 5
SNIPPET_LENGTH = 260
# Bodies are analysed up to this many characters to find the snippet.
SNIPPET_SCAN_LIMIT = 60_000
EXPORT_BATCH = 250
FACET_VALUES_SHOWN = 10
WORD_SPLIT = re.compile(r"\w+")
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")

SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST = "pertinence", "recent", "ancien"
SORTS = {
    SORT_RELEVANCE: gettext_lazy("pertinence"),
    SORT_NEWEST: gettext_lazy("les plus récents"),
    SORT_OLDEST: gettext_lazy("les plus anciens"),
}
ORDERING = {SORT_RELEVANCE: None, SORT_NEWEST: "-published_on", SORT_OLDEST: "published_on"}
DATE_PARAMS = ("du", "au")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class FacetSpec:
    """A facet group: its URL parameter (French), its index field (slugs) and its label."""

    key: str
    field: str
    label: str

    @property
    def exclude_key(self) -> str:
        return f"sauf_{self.key}"


FACETS = (
    FacetSpec("lieu", "location", gettext_lazy("Lieu")),
    FacetSpec("intervenant", "speakers", gettext_lazy("Intervenant")),
    FacetSpec("reunion", "meeting", gettext_lazy("Réunion")),
    FacetSpec("type", "meeting_kind", gettext_lazy("Type de réunion")),
    FacetSpec("source", "source", gettext_lazy("Source")),
    FacetSpec("annee", "year", gettext_lazy("Année")),
    FacetSpec("langue", "language", gettext_lazy("Langue")),
)
FACETS_BY_KEY = {spec.key: spec for spec in FACETS}


# --- Names for slugs, read from the database in one query per model -------------------------


class Vocabulary:
    """Readable names for facet slugs, and the synonym table; one per request (it caches)."""

    def __init__(self):
        self._labels: dict[str, dict[str, str]] = {spec.key: {} for spec in FACETS}
        self._looked_up: dict[str, set[str]] = {spec.key: set() for spec in FACETS}
        self._meetings_loaded = False
        self._synonyms: SynonymTable | None = None
        self._expansions: dict[tuple[str, int], Expansion | None] = {}

    def labels(self, key: str, slugs) -> dict[str, str]:
        """``{slug: name}`` for the known ``slugs`` of facet ``key`` (unknown ones are left out)."""
        slugs = {str(slug) for slug in slugs if slug is not None}
        missing = slugs - self._looked_up[key]
        if missing:
            self._load(key, missing)
            self._looked_up[key] |= missing
        known = self._labels[key]
        return {slug: known[slug] for slug in slugs if slug in known}

    def _load(self, key: str, slugs: set[str]) -> None:
        labels = self._labels[key]
        if key in {"lieu", "reunion"}:
            self._load_meetings()
        elif key == "intervenant":
            labels.update(Person.objects.filter(slug__in=slugs).values_list("slug", "name"))
        elif key == "source":
            labels.update(Source.objects.filter(slug__in=slugs).values_list("slug", "name"))
        elif key == "type":
            labels.update({value: str(label) for value, label in MeetingKind.choices})
        elif key == "langue":
            labels.update({value: str(label) for value, label in ArticleLanguage.choices})
        elif key == "annee":
            labels.update({slug: slug for slug in slugs if _valid_year(slug)})

    def _load_meetings(self) -> None:
        if self._meetings_loaded:
            return
        self._meetings_loaded = True
        for meeting in Meeting.objects.only("slug", "title", "kind", "city", "start_date"):
            self._labels["reunion"][meeting.slug] = str(meeting)
            self._labels["lieu"].setdefault(slugify(meeting.city), meeting.city)

    @property
    def synonyms(self) -> SynonymTable:
        if self._synonyms is None:
            self._synonyms = SynonymTable.load()
        return self._synonyms

    def expansion(self, prefix: str, limit: int) -> Expansion | None:
        """The index words ``prefix*`` stands for (at most ``limit``), or None when the engine
        expands prefixes itself. Raises ``SearchUnavailable`` when the index cannot answer."""
        key = (prefix, limit)
        if key not in self._expansions:
            expand = getattr(
                haystack_connections[DEFAULT_ALIAS].get_backend(), "expand_prefix", None
            )
            if expand is None:
                self._expansions[key] = None
            else:
                with _engine_errors():
                    words, total = expand(prefix, limit=limit)
                self._expansions[key] = Expansion(prefix, tuple(words), total)
        return self._expansions[key]


@dataclass(frozen=True)
class Expansion:
    """The words of the index a prefix stands for: the most frequent ``words`` of ``total``."""

    prefix: str
    words: tuple[str, ...]
    total: int

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.words)


def expansions(query: ParsedQuery, vocabulary: Vocabulary) -> dict[str, Expansion]:
    """What each prefix of the query stands for in the index (none when the engine expands
    prefixes itself); the query's prefixes share ``MAX_PREFIX_WORDS`` words."""
    if query.tree is None:
        return {}
    prefixes = sorted(
        {
            leaf.text
            for leaf, _negated in query_syntax.leaves(query.tree)
            if isinstance(leaf, Prefix)
        }
    )
    found = {}
    for prefix in prefixes:
        expansion = vocabulary.expansion(prefix, max(1, MAX_PREFIX_WORDS // len(prefixes)))
        if expansion is not None:
            found[prefix] = expansion
    return found


def _valid_year(value: str) -> bool:
    return (
        value.isascii()
        and value.isdigit()
        and len(value) == 4
        and MIN_YEAR <= int(value) <= MAX_YEAR
    )


class SynonymTable:
    """Editors' synonym groups, keyed by their analysed form (so « Etat islamique » matches)."""

    def __init__(self, groups):
        self.by_key: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.longest = 1
        for terms in groups:
            variants: dict[tuple[str, ...], str] = {}
            for term in terms or []:
                if not isinstance(term, str):
                    continue
                key = analysed_key(term)
                if key:
                    variants.setdefault(key, term)
            for key in variants:
                self.by_key[key] = tuple(variants.values())
                self.longest = max(self.longest, len(key))

    @classmethod
    def load(cls) -> SynonymTable:
        return cls(SynonymGroup.objects.values_list("terms", flat=True))

    def variants(self, text: str) -> tuple[str, ...] | None:
        return self.by_key.get(analysed_key(text))


def analysed_key(text: str) -> tuple[str, ...]:
    return tuple(term for term, _start, _end in analyzed_terms(text))


# --- Step 1: parse ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """A validated search: what to look for, which filters, which order, which page."""

    query: ParsedQuery = field(default_factory=lambda: query_syntax.parse_query(""))
    selected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort_param: str | None = None
    page: int = 1
    per_page: int = PER_PAGE
    notices: tuple[str, ...] = ()
    vocabulary: Vocabulary = field(default_factory=Vocabulary, compare=False, repr=False)

    @property
    def q(self) -> str:
        return self.query.text

    @property
    def sort(self) -> str:
        if self.sort_param == SORT_RELEVANCE and self.query.is_empty:
            return SORT_NEWEST
        return self.sort_param or (SORT_NEWEST if self.query.is_empty else SORT_RELEVANCE)

    @property
    def has_filters(self) -> bool:
        return bool(self.selected or self.excluded or self.date_from or self.date_to)

    @property
    def is_browsing(self) -> bool:
        return self.query.is_empty and not self.has_filters

    def for_feed(self, size: int) -> SearchParams:
        """The same search, newest first, its first ``size`` articles (for an Atom feed)."""
        return dataclasses.replace(self, sort_param=SORT_NEWEST, page=1, per_page=size)

    def label(self, key: str, slug: str) -> str:
        return self.vocabulary.labels(key, [slug]).get(slug, slug)

    # Links: every state of the page is a URL. Changing anything but the page drops ``page``.

    def pairs(self, *, page: int | None = None) -> list[tuple[str, str]]:
        pairs = [("q", self.q)] if self.q else []
        for spec in FACETS:
            pairs += [(spec.key, value) for value in self.selected.get(spec.key, ())]
        for spec in FACETS:
            pairs += [(spec.exclude_key, value) for value in self.excluded.get(spec.key, ())]
        pairs += self._other_pairs()
        if page and page > 1:
            pairs.append(("page", str(page)))
        return pairs

    def _other_pairs(self) -> list[tuple[str, str]]:
        """Dates, order and page size: the pairs after the query and the facets."""
        pairs = []
        if self.date_from:
            pairs.append(("du", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("au", self.date_to.isoformat()))
        if self.sort_param:
            pairs.append(("tri", self.sort_param))
        if self.per_page != PER_PAGE:
            pairs.append(("par_page", str(self.per_page)))
        return pairs

    def url(self, **changes) -> str:
        """``?…`` for this search with ``changes`` applied (``dataclasses.replace`` names)."""
        changed = dataclasses.replace(self, **changes) if changes else self
        return "?" + urlencode(changed.pairs(page=changes.get("page")))

    def url_for_page(self, page: int) -> str:
        return "?" + urlencode(self.pairs(page=page))

    def url_without(self, key: str, value: str, *, excluded: bool = False) -> str:
        selected = self.selected.get(key, ())
        excluded_values = self.excluded.get(key, ())
        if excluded:
            excluded_values = tuple(v for v in excluded_values if v != value)
        else:
            selected = tuple(v for v in selected if v != value)
        return self._facet_url(key, selected, excluded_values)

    def url_with(self, key: str, value: str, *, excluded: bool = False) -> str:
        """Add ``value`` to (or exclude it from) facet ``key``, removing it from the other side."""
        selected = tuple(v for v in self.selected.get(key, ()) if v != value)
        excluded_values = tuple(v for v in self.excluded.get(key, ()) if v != value)
        if excluded:
            excluded_values += (value,)
        else:
            selected += (value,)
        return self._facet_url(key, selected, excluded_values)

    def _facet_url(self, key: str, selected: tuple, excluded: tuple) -> str:
        """``url()`` with facet ``key``'s values changed; the rest of the query string is
        encoded once per search, since a page links every facet value twice."""
        spec = FACETS_BY_KEY[key]
        before, between, after = self._facet_surroundings[key]
        parts = (
            before,
            urlencode([(spec.key, value) for value in selected]),
            between,
            urlencode([(spec.exclude_key, value) for value in excluded]),
            after,
        )
        return "?" + "&".join(part for part in parts if part)

    @cached_property
    def _facet_surroundings(self) -> dict[str, tuple[str, str, str]]:
        """For each facet, ``pairs()`` without the page, encoded, in the three parts around that
        facet's selected values and its excluded values."""
        sections = [("q", urlencode([("q", self.q)]) if self.q else "")]
        for spec in FACETS:
            values = self.selected.get(spec.key, ())
            sections.append((("+", spec.key), urlencode([(spec.key, v) for v in values])))
        for spec in FACETS:
            values = self.excluded.get(spec.key, ())
            sections.append((("-", spec.key), urlencode([(spec.exclude_key, v) for v in values])))
        sections.append(("rest", urlencode(self._other_pairs())))
        names = [name for name, _ in sections]

        def joined(parts):
            return "&".join(part for _, part in parts if part)

        surroundings = {}
        for spec in FACETS:
            plus, minus = names.index(("+", spec.key)), names.index(("-", spec.key))
            surroundings[spec.key] = (
                joined(sections[:plus]),
                joined(sections[plus + 1 : minus]),
                joined(sections[minus + 1 :]),
            )
        return surroundings

    def url_with_query(self, text: str) -> str:
        return self.url(query=query_syntax.parse_query(text))

    def url_without_filters(self) -> str:
        return self.url(selected={}, excluded={}, date_from=None, date_to=None)


def parse(query_dict, *, vocabulary: Vocabulary | None = None) -> SearchParams:
    """Validate a query string (a ``QueryDict`` or a plain mapping) into ``SearchParams``.

    Never raises on user input: unknown facet values, malformed dates or a broken query are
    dropped with a notice; the page number is clamped.
    """
    vocabulary = vocabulary or Vocabulary()
    notices: list[str] = []
    query = query_syntax.parse_query(_single(query_dict, "q"))
    notices += [str(notice) for notice in query.notices]

    selected, excluded = {}, {}
    for spec in FACETS:
        for key, target in ((spec.key, selected), (spec.exclude_key, excluded)):
            values = _facet_values(query_dict, key)
            if not values:
                continue
            # Only slug-shaped values reach the database (no NUL byte, no stray markup).
            known = vocabulary.labels(spec.key, [v for v in values if SLUG_RE.fullmatch(v)])
            unknown = [value for value in values if value not in known]
            if unknown:
                notices.append(
                    _("Valeur inconnue ignorée pour « %(facet)s » : %(values)s.")
                    % {"facet": spec.label, "values": ", ".join(map(_printable, unknown))}
                )
            kept = tuple(value for value in values if value in known)
            if kept:
                target[spec.key] = kept
    for key, values in list(selected.items()):
        # Excluding a value wins over selecting it.
        kept = tuple(value for value in values if value not in excluded.get(key, ()))
        if kept:
            selected[key] = kept
        else:
            del selected[key]

    dates = {}
    for key in DATE_PARAMS:
        raw = _single(query_dict, key)
        if raw:
            dates[key] = _parse_date(raw)
            if dates[key] is None:
                notices.append(
                    _("Date non reconnue ignorée : « %(value)s » (attendu : AAAA-MM-JJ).")
                    % {"value": _printable(raw[:40])}
                )
    date_from, date_to = dates.get("du"), dates.get("au")
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        notices.append(_("Les dates étaient inversées : la période a été remise dans l’ordre."))

    sort_param = _single(query_dict, "tri")
    if sort_param not in SORTS:
        sort_param = None

    return SearchParams(
        query=query,
        selected=selected,
        excluded=excluded,
        date_from=date_from,
        date_to=date_to,
        sort_param=sort_param,
        page=min(_positive_int(_single(query_dict, "page"), default=1), MAX_PAGE),
        per_page=min(
            _positive_int(_single(query_dict, "par_page"), default=PER_PAGE), MAX_PER_PAGE
        ),
        notices=tuple(notices),
        vocabulary=vocabulary,
    )


def _single(query_dict, key: str) -> str:
    if hasattr(query_dict, "getlist"):
        values = query_dict.getlist(key)
        value = values[-1] if values else ""
    else:
        value = query_dict.get(key, "")
        if isinstance(value, list | tuple):
            value = value[-1] if value else ""
    return str(value).strip()


def _facet_values(query_dict, key: str) -> list[str]:
    if hasattr(query_dict, "getlist"):
        raw = query_dict.getlist(key)
    else:
        raw = query_dict.get(key, [])
        raw = [raw] if isinstance(raw, str) else list(raw)
    values = []
    for value in raw:
        value = str(value).strip()[:MAX_VALUE_LENGTH]
        if value and value not in values:
            values.append(value)
    return values[:MAX_VALUES_PER_FACET]


def _printable(text: str) -> str:
    """User input fit to echo in a notice: invisible and control characters removed."""
    return "".join(char for char in text if char.isprintable())


def _parse_date(raw: str) -> datetime.date | None:
    for date_pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(raw.strip(), date_pattern).date()
        except ValueError:
            continue
        if MIN_YEAR <= day.year <= MAX_YEAR:
            return day
    return None


def _positive_int(raw: str, *, default: int) -> int:
    if not raw or not raw.isascii() or not raw.isdigit():
        return default
    value = int(raw[:9])
    return value if value >= 1 else default


# --- Step 2: build the engine query (backend-neutral SQ objects) --------------------------------


def build_text_query(node, synonyms: SynonymTable, expanded=None) -> SQ | None:
    """The Haystack ``SQ`` tree for a parsed query; None when nothing is searchable.

    ``expanded`` maps a prefix to the index words it stands for (see :func:`expansions`).
    """
    if node is None:
        return None
    if isinstance(node, Term | Phrase):
        return _text_sq(node.text, synonyms)
    if isinstance(node, Prefix):
        return _prefix_sq(node.text, (expanded or {}).get(node.text))
    if isinstance(node, Not):
        child = build_text_query(node.child, synonyms, expanded)
        return ~child if child is not None else None
    if isinstance(node, And):
        parts = [
            build_text_query(child, synonyms, expanded)
            for child in _merge_synonym_runs(node, synonyms)
        ]
        return _combine([part for part in parts if part is not None], SQ.AND)
    if isinstance(node, Or):
        parts = [build_text_query(child, synonyms, expanded) for child in node.children]
        return _combine([part for part in parts if part is not None], SQ.OR)
    raise TypeError(f"unknown query node {node!r}")


def _prefix_sq(prefix: str, expansion: Expansion | None) -> SQ:
    """Any of the words the prefix expanded to (each with its inflections, as a typed word
    is), one per stem; the engine's own prefix query when it expands prefixes itself or when
    no written word starts so."""
    by_stem: dict[tuple[str, ...], str] = {}
    for word in expansion.words if expansion else ():
        by_stem.setdefault(analysed_key(word), word)
    parts = [_word_or_phrase_sq(word) for key, word in by_stem.items() if key]
    combined = _combine([part for part in parts if part is not None], SQ.OR)
    return combined if combined is not None else SQ(content__startswith=Clean(fold(prefix)))


def _text_sq(text: str, synonyms: SynonymTable) -> SQ | None:
    variants = synonyms.variants(text) or (text,)
    parts = [_word_or_phrase_sq(variant) for variant in variants]
    return _combine([part for part in parts if part is not None], SQ.OR)


def _word_or_phrase_sq(text: str) -> SQ | None:
    terms = analysed_key(text)
    if not terms:
        # Stop words only: nothing an index holds.
        return None
    # Lower case keeps a word from being read as an engine operator; ’ is never a quote.
    text = text.lower().replace("'", "’")
    if len(terms) == 1 and " " not in text:
        return SQ(content=Clean(text))
    # A compound (États-Unis, al-Baghdadi) or a phrase: its words, in this order.
    return SQ(content=Exact(text))


def _merge_synonym_runs(node: And, synonyms: SynonymTable):
    """Consecutive words that spell a synonym (État islamique) are searched as that synonym."""
    children = list(node.children)
    merged = []
    i = 0
    while i < len(children):
        if isinstance(children[i], Term):
            for length in range(min(synonyms.longest, len(children) - i), 1, -1):
                run = children[i : i + length]
                if all(isinstance(child, Term) for child in run):
                    text = " ".join(child.text for child in run)
                    if synonyms.variants(text):
                        merged.append(Phrase(text))
                        i += length
                        break
            else:
                merged.append(children[i])
                i += 1
        else:
            merged.append(children[i])
            i += 1
    return merged


def _combine(parts: list[SQ], connector: str) -> SQ | None:
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if connector == SQ.AND else (combined | part)
    return combined


def fold(text: str) -> str:
    """Lower case without accents, as the index stores words."""
    return fold_accents(text.casefold())


def _facet_filter(spec: FacetSpec, values, *, exclude: bool) -> SQ:
    if spec.key == "annee":
        values = [int(value) for value in values]
    condition = SQ(**{f"{spec.field}__in": list(values)})
    return ~condition if exclude else condition


def _filters(params: SearchParams, *, without: str | None = None) -> list[SQ]:
    """Filter queries for every active facet (except ``without``) and the date range."""
    filters = []
    for spec in FACETS:
        if spec.key == without:
            continue
        if params.selected.get(spec.key):
            filters.append(_facet_filter(spec, params.selected[spec.key], exclude=False))
        if params.excluded.get(spec.key):
            filters.append(_facet_filter(spec, params.excluded[spec.key], exclude=True))
    if params.date_from:
        filters.append(SQ(published_on__gte=params.date_from))
    if params.date_to:
        filters.append(SQ(published_on__lte=params.date_to))
    return filters


def _searchqueryset(params: SearchParams, text: SQ | None, *, without: str | None = None):
    sqs = SearchQuerySet()
    if text is not None:
        sqs = sqs.filter(text)
    for condition in _filters(params, without=without):
        sqs = sqs.narrow(condition)
    ordering = ORDERING[params.sort]
    if ordering:
        sqs = sqs.order_by(ordering)
    return sqs


# --- Step 3: run and shape the page ----------------------------------------------------------


@dataclass
class SearchHit:
    article: Article
    url: str | None
    title_html: SafeString
    snippet_html: SafeString
    snippet_text: str
    urls: PageUrls = field(default_factory=lambda: PageUrls(), repr=False, compare=False)

    @cached_property
    def meetings(self) -> list[Meeting]:
        return [link.meeting for link in self.article.meeting_links.all()]

    @cached_property
    def speakers(self) -> list[Person]:
        return [link.person for link in getattr(self.article, "quoted_links", [])]

    @property
    def source_url(self) -> str | None:
        source = self.article.source
        return self.urls.of(source) if source else None

    @property
    def meeting_links(self) -> list[tuple[Meeting, str]]:
        return [(meeting, self.urls.of(meeting)) for meeting in self.meetings]

    @property
    def speaker_links(self) -> list[tuple[Person, str]]:
        return [(person, self.urls.of(person)) for person in self.speakers]


class PageUrls:
    """Pages of sources, meetings and people, each reversed once per results page (the same
    few names recur from hit to hit)."""

    def __init__(self):
        self._urls: dict[tuple[type, str], str] = {}

    def of(self, obj) -> str:
        key = (type(obj), obj.slug)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = obj.get_absolute_url()
        return url


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
    with _engine_errors():
        expanded = expansions(params.query, params.vocabulary)
    text = build_text_query(params.query.tree, params.vocabulary.synonyms, expanded)
    notices = list(params.notices)
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

    start = (params.page - 1) * params.per_page
    sqs = _searchqueryset(params, text)
    if facets:
        for spec in FACETS:
            if not (params.selected.get(spec.key) or params.excluded.get(spec.key)):
                sqs = sqs.facet(spec.field)
    spelling_query = _spelling_words(params.query)
    if spelling_query:
        sqs = sqs.set_spelling_query(" ".join(spelling_query))

    with _engine_errors():
        results = list(sqs[start : start + params.per_page])
        total = sqs.count()
        counts = dict(sqs.facet_counts().get("fields", {})) if facets else {}
        suggestion = sqs.spelling_suggestion() if spelling_query else None
        searches = 1
        if facets:
            for spec in FACETS:
                if params.selected.get(spec.key) or params.excluded.get(spec.key):
                    facet_sqs = _searchqueryset(params, text, without=spec.key).facet(spec.field)
                    # One search: a one-result page, for this group's counts only.
                    facet_sqs[0:1]
                    group_counts = facet_sqs.facet_counts().get("fields", {})
                    counts[spec.field] = group_counts.get(spec.field, [])
                    searches += 1

    redirect_url = None
    if not results and params.page > 1:
        if not total:
            with _engine_errors():
                total = _searchqueryset(params, text).count()
                searches += 1
        last = max(1, math.ceil(total / params.per_page))
        if last < params.page:
            redirect_url = params.url_for_page(last)

    hits = _load_hits(results, params)
    groups = _facet_groups(params, counts) if facets else []
    suggestion_text = _suggestion(
        params.query, spelling_query, suggestion, total, params.vocabulary.synonyms
    )
    return SearchPage(
        params=params,
        hits=hits,
        total=total,
        facets=groups,
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
    with _engine_errors():
        expanded = expansions(params.query, params.vocabulary)
    text = build_text_query(params.query.tree, params.vocabulary.synonyms, expanded)
    sqs = _searchqueryset(params, text)
    produced = 0
    start = 0
    while produced < limit:
        size = min(EXPORT_BATCH, limit - produced)
        with _engine_errors():
            batch = list(sqs[start : start + size])
        if not batch:
            return
        for hit in _load_hits(batch, params):
            yield hit
            produced += 1
            if produced >= limit:
                return
        if len(batch) < size:
            return
        start += size


class _engine_errors:
    """Turn the engine's failures (index missing, corrupt, unreachable) into SearchUnavailable."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None or issubclass(exc_type, SearchUnavailable):
            return False
        if issubclass(exc_type, SearchBackendError | OSError):
            raise SearchUnavailable(str(exc)) from exc
        return False


def _load_hits(results, params: SearchParams) -> list[SearchHit]:
    """The articles behind engine results, from the database, in the engine's order.

    Articles unpublished or deleted since they were indexed are dropped: a ghost never shows.
    """
    ids = []
    for result in results:
        try:
            ids.append(int(result.pk))
        except (TypeError, ValueError):
            continue
    if not ids:
        return []
    # The imported file (``raw_file``) can weigh more than everything a result shows.
    rows = Article.objects.published().with_listing_data().defer("raw_file").filter(pk__in=ids)
    articles = {article.pk: article for article in rows}
    matcher = Highlighter(params)
    urls = PageUrls()
    hits = []
    for pk in ids:
        article = articles.get(pk)
        if article is None:
            continue
        snippet_html, snippet_text = matcher.snippet(article.body or article.lead)
        hits.append(
            SearchHit(
                article=article,
                url=article_url(article, params.q),
                title_html=matcher.mark(article.title),
                snippet_html=snippet_html,
                snippet_text=snippet_text,
                urls=urls,
            )
        )
    return hits


def article_url(article: Article, q: str = "") -> str | None:
    """The article's page, carrying the search terms; None while that page does not exist."""
    try:
        url = article.get_absolute_url()
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'q': q})}" if q else url


def more_like_this(article: Article, *, limit: int = 5) -> list[Article]:
    """Published articles the index finds closest to ``article`` by its key terms, best first.

    Every Haystack engine answers ``more_like_this`` its own way (Whoosh: key terms of the
    indexed text; Elasticsearch and Solr: their MLT queries). Empty when the index is down.
    """
    try:
        ids = [int(result.pk) for result in SearchQuerySet().more_like_this(article)[: limit * 2]]
    except (SearchUnavailable, SearchBackendError):
        return []
    found = Article.objects.published().select_related("source").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found and pk != article.pk][:limit]


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


def _spelling_words(query: ParsedQuery) -> list[str]:
    """The query's words (folded, no stop words) when it is nothing but plain words."""
    tree = query.tree
    if isinstance(tree, Term):
        terms = [tree]
    elif isinstance(tree, And) and all(isinstance(child, Term) for child in tree.children):
        terms = list(tree.children)
    else:
        return []
    return spelling_words(" ".join(term.text for term in terms))


def _suggestion(query, words, suggestion, total, synonyms) -> str | None:
    """The engine's suggestion, when the search found few articles and it differs."""
    if not words or not suggestion or total >= FEW_HITS:
        return None
    suggested = suggestion.split()
    if len(suggested) != len(words) or suggested == words:
        return None
    # The engine suggests folded lower-case words: keep the capitals the user typed.
    typed = {fold(word): word for word in WORD_SPLIT.findall(query.text)}
    shaped = []
    for word, candidate in zip(words, suggested, strict=True):
        original = typed.get(word, word)
        if candidate == word or synonyms.variants(original) or len(word) < MIN_CORRECTED_LENGTH:
            # Known, found through its synonyms (Daech finds Daesh), or too short to guess
            # (« abc » is two edits from « al »): nothing to correct.
            shaped.append(original)
        else:
            shaped.append(candidate.capitalize() if original[:1].isupper() else candidate)
    if [fold(word) for word in shaped] == words:
        return None
    return " ".join(shaped)


# --- Highlighting ----------------------------------------------------------------------------


class Highlighter:
    """Marks the query's words in a text, whatever their inflection, accents or elisions."""

    def __init__(self, params: SearchParams):
        synonyms = params.vocabulary.synonyms
        self.words: set[str] = set()
        self.phrases: set[tuple[str, ...]] = set()
        self.prefixes: set[str] = set()
        try:
            expanded = expansions(params.query, params.vocabulary)
        except SearchUnavailable:
            expanded = {}
        for leaf in query_syntax.positive_leaves(params.query.tree):
            if isinstance(leaf, Prefix):
                expansion = expanded.get(leaf.text)
                if expansion and expansion.words:
                    # Exactly the words searched for, in any inflection.
                    self.words.update(
                        term for word in expansion.words for term in analysed_key(word)
                    )
                else:
                    self.prefixes.add(fold(leaf.text))
                continue
            for variant in synonyms.variants(leaf.text) or (leaf.text,):
                key = analysed_key(variant)
                if len(key) == 1:
                    self.words.add(key[0])
                elif key:
                    self.phrases.add(key)
        # Consecutive plain words may spell a multi-word synonym (État islamique).
        if isinstance(params.query.tree, And):
            for node in _merge_synonym_runs(params.query.tree, synonyms):
                if isinstance(node, Phrase):
                    for variant in synonyms.variants(node.text) or ():
                        key = analysed_key(variant)
                        if len(key) > 1:
                            self.phrases.add(key)
                        else:
                            self.words.update(key)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` to mark, in order, without overlaps."""
        if self.is_empty or not text:
            return []
        return _merged(self._matches(text))

    def _matches(self, text: str, until: list[float] | None = None):
        """Spans of matches as ``text`` is read, a phrase's at its last word. Reading stops once
        no match can start before ``until[0]`` (a bound the caller may lower meanwhile)."""
        longest = max((len(phrase) for phrase in self.phrases), default=1)
        recent: deque = deque(maxlen=longest)
        for word, term, start, end in _terms(text):
            recent.append((term, start))
            if until is not None and recent[0][1] >= until[0] and len(recent) == longest:
                return
            if term in self.words or (
                self.prefixes
                and any(word.startswith(p) or term.startswith(p) for p in self.prefixes)
            ):
                yield start, end
            for phrase in self.phrases:
                size = len(phrase)
                if size <= len(recent) and all(
                    recent[i - size][0] == phrase[i] for i in range(size)
                ):
                    yield recent[-size][1], end

    def _leading_spans(self, text: str) -> list[tuple[int, int]]:
        """``spans(text)`` as far as a snippet can reach past the first match: the rest of the
        text is not analysed."""
        if self.is_empty or not text:
            return []
        until = [math.inf]
        matches = []
        for start, end in self._matches(text, until):
            matches.append((start, end))
            until[0] = min(until[0], start + SNIPPET_LENGTH)
        return _merged(matches)

    def mark(self, text: str, spans=None) -> SafeString:
        """``text`` escaped, with ``<mark>`` around the matched words."""
        spans = self.spans(text) if spans is None else spans
        pieces = []
        position = 0
        for start, end in spans:
            pieces.append((text[position:start], text[start:end]))
            position = end
        return format_html(
            "{}{}",
            format_html_join("", "{}<mark>{}</mark>", pieces),
            escape(text[position:]),
        )

    def snippet(self, body: str) -> tuple[SafeString, str]:
        """A passage of ``body`` around the first match, as marked HTML and as plain text."""
        body = " ".join((body or "").split())
        scanned = body[:SNIPPET_SCAN_LIMIT]
        spans = self._leading_spans(scanned)
        if spans:
            first = spans[0][0]
            start = max(0, first - SNIPPET_LENGTH // 3)
            if start:
                space = scanned.find(" ", start, first)
                start = space + 1 if space != -1 else start
        else:
            start = 0
        end = min(len(body), start + SNIPPET_LENGTH)
        if end < len(body):
            space = body.rfind(" ", start, end)
            end = space if space > start else end
        passage = body[start:end]
        inner = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
        lead = "…" if start > 0 else ""
        tail = "…" if end < len(body) else ""
        html = format_html("{}{}{}", lead, self.mark(passage, inner), tail)
        return html, f"{lead}{passage}{tail}"


_WORD = re.compile(WORD_PATTERN)


def _terms(text: str):
    """``(word, term, start, end)`` for each indexed term of ``text``, lazily: the terms and
    spans of :func:`articles.analysis.analyzed_terms`, through the analyzer's word functions
    instead of Whoosh's token stream (``word`` is the folded word before stemming)."""
    for match in _WORD.finditer(text):
        analysed = _analysed_word(match.group())
        if analysed is not None:
            word, term, elided = analysed
            yield word, term, match.start() + elided, match.end()


@functools.lru_cache(maxsize=100_000)
def _analysed_word(raw: str) -> tuple[str, str, int] | None:
    """A written word's folded form, its term and the length of its elision; None for a stop
    word. Cached: snippets see the same few thousand words again and again."""
    word, elided = normalize_word(raw)
    if not word or word in FRENCH_STOP_WORDS:
        return None
    return word, french_stem(word), elided


def _merged(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, params: SearchParams) -> SafeString:
    """``text`` escaped, with the search's words marked (for the article page's ``?q=``)."""
    return Highlighter(params).mark(text)


# --- The sentence that restates the search -------------------------------------------------


def restate(params: SearchParams, total: int) -> str:
    """« 12 articles contenant « frontières », à Rome, citant Antony Blinken »."""
    count = number_format(total, force_grouping=True)
    if total == 0:
        head = _("Aucun article")
    else:
        head = ngettext("%(count)s article", "%(count)s articles", total) % {"count": count}
    if params.is_browsing:
        head = ngettext("%(count)s article publié", "%(count)s articles publiés", total) % {
            "count": count
        }
    parts = [head + _describe_query(params.query.tree)]
    label = params.label
    described = [
        ("lieu", _("à %(value)s"), _("sauf à %(value)s")),
        ("intervenant", _("citant %(value)s"), _("sans citer %(value)s")),
        ("reunion", _("sur la réunion %(value)s"), _("hors de la réunion %(value)s")),
        ("type", _("lors d’une réunion de type « %(value)s »"), _("hors réunions « %(value)s »")),
        ("annee", _("en %(value)s"), _("sauf en %(value)s")),
        ("langue", _("en %(value)s"), _("sauf en %(value)s")),
    ]
    for key, positive, negative in described:
        selected = params.selected.get(key, ())
        excluded = params.excluded.get(key, ())
        if selected:
            parts.append(
                _join_or(
                    [positive % {"value": _lower_language(key, label(key, v))} for v in selected]
                )
            )
        if excluded:
            parts.append(
                ", ".join(
                    negative % {"value": _lower_language(key, label(key, v))} for v in excluded
                )
            )
    sources = params.selected.get("source", ())
    if sources:
        names = _join_or([label("source", v) for v in sources])
        parts.append(
            ngettext("paru dans %(sources)s", "parus dans %(sources)s", total) % {"sources": names}
        )
    for slug in params.excluded.get("source", ()):
        parts.append(_("hors %(source)s") % {"source": label("source", slug)})
    if params.date_from and params.date_to:
        parts.append(
            _("du %(start)s au %(end)s")
            % {"start": date_format(params.date_from), "end": date_format(params.date_to)}
        )
    elif params.date_from:
        parts.append(_("depuis le %(date)s") % {"date": date_format(params.date_from)})
    elif params.date_to:
        parts.append(_("jusqu’au %(date)s") % {"date": date_format(params.date_to)})
    sentence = parts[0]
    if parts[1:]:
        # « 3 articles à Rome, citant … » but « 3 articles contenant « x », à Rome, … ».
        sentence += (", " if params.query.tree is not None else " ") + ", ".join(parts[1:])
    order = {
        SORT_RELEVANCE: _("par pertinence"),
        SORT_NEWEST: _("du plus récent au plus ancien"),
        SORT_OLDEST: _("du plus ancien au plus récent"),
    }[params.sort]
    return f"{sentence} ({order})." if total > 1 else f"{sentence}."


def _lower_language(key: str, label: str) -> str:
    # « en Français » reads wrong: language names are common nouns in French.
    return label.lower() if key == "langue" else label


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s ou %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _quoted(node) -> str:
    text = f"{node.text}…" if isinstance(node, Prefix) else node.text
    return _("« %(text)s »") % {"text": text}


def _describe_query(tree) -> str:
    if tree is None:
        return ""
    children = tree.children if isinstance(tree, And) else (tree,)
    required = [child for child in children if isinstance(child, Term | Phrase | Prefix)]
    excluded = [
        child.child
        for child in children
        if isinstance(child, Not) and isinstance(child.child, Term | Phrase | Prefix)
    ]
    if len(required) + len(excluded) != len(children):
        return " " + _("correspondant à « %(query)s »") % {"query": _render(tree)}
    text = ""
    if required:
        text += " " + _("contenant %(words)s") % {
            "words": _join_and([_quoted(n) for n in required])
        }
    if excluded:
        text += (" " if not required else ", ") + _("sans %(words)s") % {
            "words": _join_or([_quoted(n) for n in excluded])
        }
    return text


def _render(node) -> str:
    """The query tree written back in the query syntax (for the restated sentence)."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Prefix):
        return f"{node.text}*"
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Not):
        return f"-{_render(node.child)}"
    if isinstance(node, And):
        return " ".join(
            f"({_render(child)})" if isinstance(child, Or) else _render(child)
            for child in node.children
        )
    if isinstance(node, Or):
        return " OR ".join(_render(child) for child in node.children)
    return ""
