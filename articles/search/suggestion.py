"""The spelling suggestion of a search that found few articles: the engine's, kept only when
it differs from what was typed and can be trusted, in the capitals the user typed."""

from __future__ import annotations

import re

from articles.ingest.folding import fold_accents_and_case as fold
from articles.search.analysis import spelling_words
from articles.search.syntax import And, ParsedQuery, Term
from articles.search.vocabulary import SynonymTable

# A word with fewer hits than this gets a spelling suggestion, if the engine has one.
FEW_HITS = 3
MIN_CORRECTED_LENGTH = 5
WORD_SPLIT = re.compile(r"\w+")


def correctable_words(query: ParsedQuery) -> list[str]:
    """The query's words (folded, no stop words) when it is nothing but plain words."""
    tree = query.tree
    if isinstance(tree, Term):
        terms = [tree]
    elif isinstance(tree, And) and all(isinstance(child, Term) for child in tree.children):
        terms = list(tree.children)
    else:
        return []
    return spelling_words(" ".join(term.text for term in terms))


def suggestion_for(
    query: ParsedQuery, words: list[str], suggestion: str | None, total: int, synonyms: SynonymTable
) -> str | None:
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
