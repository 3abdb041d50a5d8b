"""Step 1 of a search: the query string, validated into ``SearchParams``.

``parse(query_dict)`` reads the French parameter names (``q``, ``lieu``, ``sauf_lieu``, ``du``,
``au``, ``tri``, ``page``, ``par_page``), keeps only the facet values the archive knows, clamps
the page and never raises on user input. ``SearchParams`` also writes every state of the page
back as a URL: changing anything but the page drops ``page``.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.search.syntax import ParsedQuery, parse_query
from articles.search.vocabulary import MAX_YEAR, MIN_YEAR, Vocabulary

PER_PAGE = getattr(settings, "HAYSTACK_SEARCH_RESULTS_PER_PAGE", 20)
MAX_PER_PAGE = 100
# Deeper pages make the engine rank that many documents; nobody reads page 500 of a search.
MAX_PAGE = 500
MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 100
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")

SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST = "pertinence", "recent", "ancien"
SORTS = {
    SORT_RELEVANCE: gettext_lazy("pertinence"),
    SORT_NEWEST: gettext_lazy("les plus récents"),
    SORT_OLDEST: gettext_lazy("les plus anciens"),
}
DATE_PARAMS = ("du", "au")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


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


@dataclass(frozen=True)
class SearchParams:
    """A validated search: what to look for, which filters, which order, which page."""

    query: ParsedQuery = field(default_factory=lambda: parse_query(""))
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
        return self.url(query=parse_query(text))

    def url_without_filters(self) -> str:
        return self.url(selected={}, excluded={}, date_from=None, date_to=None)


def parse(query_dict, *, vocabulary: Vocabulary | None = None) -> SearchParams:
    """Validate a query string (a ``QueryDict`` or a plain mapping) into ``SearchParams``.

    Never raises on user input: unknown facet values, malformed dates or a broken query are
    dropped with a notice; the page number is clamped.
    """
    vocabulary = vocabulary or Vocabulary()
    query = parse_query(_single(query_dict, "q"))
    notices = [str(notice) for notice in query.notices]
    selected, excluded = _facet_selection(query_dict, vocabulary, notices)
    date_from, date_to = _date_range(query_dict, notices)
    sort_param = _single(query_dict, "tri")
    return SearchParams(
        query=query,
        selected=selected,
        excluded=excluded,
        date_from=date_from,
        date_to=date_to,
        sort_param=sort_param if sort_param in SORTS else None,
        page=min(_positive_int(_single(query_dict, "page"), default=1), MAX_PAGE),
        per_page=min(
            _positive_int(_single(query_dict, "par_page"), default=PER_PAGE), MAX_PER_PAGE
        ),
        notices=tuple(notices),
        vocabulary=vocabulary,
    )


def _facet_selection(query_dict, vocabulary: Vocabulary, notices: list[str]):
    """The known values selected and excluded per facet key; a notice for the unknown ones."""
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
    return selected, excluded


def _date_range(query_dict, notices: list[str]):
    """``(du, au)`` as dates, each None when absent or malformed (with a notice), in order."""
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
    return date_from, date_to


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
