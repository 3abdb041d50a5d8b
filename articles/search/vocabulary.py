"""The words behind a search: readable names for facet slugs, the editors' synonyms, and the
index words a prefix (``secur*``) stands for.

A ``Vocabulary`` lives for one request and caches what it read from the database and the index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import slugify

from articles.models import ArticleLanguage, Meeting, MeetingKind, Person, Source, SynonymGroup
from articles.search.analysis import analyzed_terms
from articles.search.engine import configured_engine
from articles.search.errors import engine_errors
from articles.search.syntax import ParsedQuery, Prefix, leaves

MIN_YEAR, MAX_YEAR = 1900, 2100
# What a query's prefixes may expand to, in index words, shared between them (the most frequent
# first). A prefix is searched as an OR of its words and each word costs a pass over its
# postings, so the bound keeps a three-letter prefix (con*, pré*: thousands of words, most of
# them rare) from costing seconds; the most frequent words carry most of its occurrences, and
# the page says when it cut. Measurements: docs/benchmarks.md, "Prefix expansion".
MAX_PREFIX_WORDS = 100


def analysed_key(text: str) -> tuple[str, ...]:
    """The terms the index holds for ``text``, in order (stop words dropped, words stemmed)."""
    return tuple(term for term, _start, _end in analyzed_terms(text))


class Vocabulary:
    """Readable names for facet slugs, and the synonym table; one per request (it caches)."""

    def __init__(self):
        self._labels: dict[str, dict[str, str]] = defaultdict(dict)
        self._looked_up: dict[str, set[str]] = defaultdict(set)
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
            with engine_errors():
                found = configured_engine().expand_prefix(prefix, limit=limit)
            self._expansions[key] = (
                None if found is None else Expansion(prefix, tuple(found[0]), found[1])
            )
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
        {leaf.text for leaf, _negated in leaves(query.tree) if isinstance(leaf, Prefix)}
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
