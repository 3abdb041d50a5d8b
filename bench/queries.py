"""The benchmark's queries: 1–3 words, phrases and speaker names, with and without filters.

Each query is the search page's own query string (``{"q": …, "lieu": …}``); the raw Whoosh and
PostgreSQL runs translate the same parameters.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from django.utils.text import slugify

from articles.search.analysis import FRENCH_STOP_WORDS, fold

# URL parameter → index field (articles.search.FACETS)
FILTER_FIELDS = {
    "lieu": "location",
    "intervenant": "speakers",
    "reunion": "meeting",
    "source": "source",
    "annee": "year",
}
FACET_FIELDS = ("location", "speakers", "meeting", "meeting_kind", "source", "year", "language")
MULTIVALUED = {"location", "speakers", "meeting", "meeting_kind"}


def build_queries(text_model, universe, *, count: int = 240, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    words = Counter(
        word
        for sentence in text_model.sentences
        for word in re.findall(r"[^\W\d_]+", sentence.lower())
        if len(word) >= 4 and fold(word) not in FRENCH_STOP_WORDS
    )
    ranked = [word for word, _ in words.most_common()]
    common, middle, rare = ranked[:40], ranked[40:400], ranked[400:]
    phrases = []
    for sentence in text_model.sentences:
        tokens = sentence.rstrip(".!?").split()
        if len(tokens) > 6:
            start = rng.randrange(0, len(tokens) - 3)
            phrases.append(" ".join(tokens[start : start + rng.choice([2, 3])]).strip(",;:"))
    surnames = [person.name.split(" ", 1)[-1] for person in universe.people]

    def word():
        band = rng.choices([common, middle, rare], [0.3, 0.5, 0.2])[0]
        return rng.choice(band)

    queries = []
    for i in range(count):
        kind = i % 6
        if kind == 0:
            q = word()
        elif kind == 1:
            q = f"{word()} {word()}"
        elif kind == 2:
            q = f"{word()} {word()} {word()}"
        elif kind == 3:
            q = f"« {rng.choice(phrases)} »".replace("« ", '"').replace(" »", '"')
        elif kind == 4:
            q = rng.choice(surnames)
        else:
            q = f"{rng.choice(common)} {rng.choice(middle)}"
        params = {"q": q}
        if rng.random() < 0.4:
            for key in rng.sample(list(FILTER_FIELDS), rng.choice([1, 1, 2])):
                params[key] = _filter_value(rng, key, universe)
        queries.append(params)
    return queries


def _filter_value(rng, key, universe) -> str:
    meetings = universe.meetings
    if key == "lieu":
        return slugify(rng.choice(meetings).city)
    if key == "reunion":
        return rng.choice(meetings).slug
    if key == "intervenant":
        return rng.choice(universe.people[:30]).slug
    if key == "source":
        return rng.choice(universe.sources[:20]).slug
    return str(rng.randint(2014, 2025))


def filters_of(params: dict) -> dict[str, str]:
    """Index field → value for the query's filters."""
    return {FILTER_FIELDS[key]: value for key, value in params.items() if key in FILTER_FIELDS}
