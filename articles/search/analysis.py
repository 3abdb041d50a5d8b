"""French text analysis: one definition, run by the Whoosh index, the highlighter and every
query, and translated into the Elasticsearch mapping (:mod:`articles.search.engine.elasticsearch`).

The chain, on documents and on queries alike: words (hyphens split compounds into adjacent
positions, apostrophes inside a word kept, so *aujourd’hui* stays whole) → one apostrophe →
elisions dropped (l’, d’, qu’ …) → lowercase → accents folded → French stop words → French
stemmer. Folding comes before stemming so that *sécurité* and *securite* give the same stem
(``securit``); folding after stemming does not (``sécur`` against ``securit``).

Conflations this gives (Snowball on folded words, see tests/search/test_analysis.py):
*libérer / libérées / libération* → ``liber``; *négociation / négociations* → ``negoci``;
*terroriste / terroristes / terrorisme* → ``terror``; *réfugié / réfugiés* → ``refug``.
"""

import functools
import re
from dataclasses import dataclass

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

from articles.ingest.folding import fold_accents

# Every apostrophe a French text uses, typed or typographic.
APOSTROPHES = "'’‘ʼ`´′"
# A word: letters or digits, with apostrophes inside it (l’État, aujourd’hui); a hyphen ends it,
# so États-Unis gives two words at adjacent positions and a phrase query still finds it whole.
WORD_PATTERN = rf"\w+(?:[{APOSTROPHES}]\w+)*"

ELISIONS = frozenset(
    ["l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"]
)

_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))


# Accents are folded before stemming, so that a query typed with or without them reaches the
# same stem (SEARCH_NOTES: folding after stemming leaves "sécur" and "securit" apart).
fold = fold_accents


def normalize_apostrophes(text: str) -> str:
    return text.translate(_APOSTROPHE_TABLE)


@functools.lru_cache(maxsize=200_000)
def normalize_word(word: str) -> tuple[str, int]:
    """A word as indexed before stop words and stemming, and how many leading characters
    (an elision) it lost: ``L’État`` → ``("etat", 2)``, ``aujourd’hui`` → ``("aujourd'hui", 0)``.

    Lowercase, one apostrophe, elision dropped (l’, d’, qu’, jusqu’ …), accents folded.
    Cached: a corpus has far fewer distinct words than words.
    """
    text = normalize_apostrophes(word.lower())
    elided = 0
    head, apostrophe, rest = text.partition("'")
    if apostrophe and rest and head in ELISIONS:
        text, elided = rest, len(head) + 1
    return fold(text), elided


class FrenchWordFilter(Filter):
    """Lowercase, apostrophes, elisions and accents in one pass (see :func:`normalize_word`).

    After an elision the token's start character moves past it, so highlights cover the word.
    """

    def __call__(self, tokens):
        for token in tokens:
            token.text, elided = normalize_word(token.text)
            if elided and token.chars:
                token.startchar += elided
            yield token


# Whoosh's (Snowball's) French list, folded, plus plural and demonstrative forms it lacks.
FRENCH_STOP_WORDS = frozenset(fold(word) for word in stoplists["fr"]) | {
    "les",
    "ils",
    "elles",
    "cet",
    "cette",
}


@dataclass(frozen=True)
class Analysis:
    """What a language's analysis is made of, engine-neutral: each engine builds its analyzer
    from these values, in the order of ``steps``."""

    apostrophes: str
    word_pattern: str
    elisions: frozenset[str]
    stop_words: frozenset[str]
    stemmer_language: str
    steps: tuple[str, ...] = (
        "words",
        "apostrophes",
        "elisions",
        "lowercase",
        "accents",
        "stop_words",
        "stemmer",
    )


FRENCH = Analysis(
    apostrophes=APOSTROPHES,
    word_pattern=WORD_PATTERN,
    elisions=ELISIONS,
    stop_words=FRENCH_STOP_WORDS,
    stemmer_language="fr",
)

_snowball_french = stemmer_for_language(FRENCH.stemmer_language)


@functools.lru_cache(maxsize=100_000)
def french_stem(word: str) -> str:
    """Snowball French on a folded word, then folded again.

    Snowball recognises the participle endings *-ée(s)* only with their accent, so a folded
    ``frappees`` would stem to ``frappe`` but ``frapper`` to ``frapp``: the accent goes back on
    that ending before stemming (French words ending in *-ee* are these participles and nouns).
    """
    if word.endswith("ees") and len(word) > 4:
        word = word[:-3] + "ées"
    elif word.endswith("ee") and len(word) > 3:
        word = word[:-2] + "ée"
    return fold(_snowball_french(word))


def _base_chain():
    return RegexTokenizer(FRENCH.word_pattern) | FrenchWordFilter()


@functools.cache
def folding_analyzer():
    """Words, elisions removed, lowercased and folded, no stop words and no stemming.

    Real word forms, for spelling suggestions and exact comparisons.
    """
    return _base_chain()


@functools.cache
def french_analyzer():
    """The analyzer of every full-text field and of every query on it."""
    return (
        _base_chain()
        | StopFilter(stoplist=FRENCH.stop_words, minsize=1)
        | StemFilter(stemfn=french_stem, cachesize=None)
    )


@functools.cache
def spelling_analyzer():
    """Folded, unstemmed words without stop words: the vocabulary spelling suggests from."""
    return _base_chain() | StopFilter(stoplist=FRENCH.stop_words, minsize=2)


def analyzed_terms(text: str) -> list[tuple[str, int, int]]:
    """Each indexed term of ``text`` with its start and end character in ``text``.

    The search page highlights snippets from the database text with this: a word is a hit when
    its term is one of the query's terms.
    """
    analyzer = french_analyzer()
    return [
        (token.text, token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="index")
    ]


def query_terms(text: str) -> set[str]:
    """The set of terms a query string asks for, analysed like the index."""
    return {token.text for token in french_analyzer()(text, mode="query")}


def spelling_words(text: str) -> list[str]:
    """Folded, unstemmed words of ``text`` without stop words (the form spelling works on)."""
    return [
        word
        for word in (normalize_word(match)[0] for match in _WORD_RE.findall(text))
        if len(word) > 1 and word not in FRENCH_STOP_WORDS and not word.isdigit()
    ]


def vocabulary(text: str) -> str:
    """The distinct spelling words of ``text``, space-separated (what the spelling field holds)."""
    return " ".join(sorted(set(spelling_words(text))))


_WORD_RE = re.compile(WORD_PATTERN)
