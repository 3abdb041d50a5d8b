"""The search's words marked in a text, whatever their inflection, accents or elisions.

The page reads titles and snippets from the database, not from the index: ``Highlighter``
reads a text as the index analyzer does and marks the words, phrases and prefixes a matching
article contains. A snippet is the passage around the first match; the text past what a
snippet can reach is not analysed.
"""

from __future__ import annotations

import functools
import math
import re
from collections import deque

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from articles.ingest.folding import fold_accents_and_case as fold
from articles.search.analysis import FRENCH_STOP_WORDS, WORD_PATTERN, french_stem, normalize_word
from articles.search.errors import SearchUnavailable
from articles.search.params import SearchParams
from articles.search.query import merge_synonym_runs
from articles.search.syntax import And, Phrase, Prefix, positive_leaves
from articles.search.vocabulary import Expansion, analysed_key, expansions

SNIPPET_LENGTH = 260
# Bodies are analysed up to this many characters to find the snippet.
SNIPPET_SCAN_LIMIT = 60_000


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
        for leaf in positive_leaves(params.query.tree):
            if isinstance(leaf, Prefix):
                self._add_prefix(leaf.text, expanded.get(leaf.text))
            else:
                for variant in synonyms.variants(leaf.text) or (leaf.text,):
                    self._add_terms(analysed_key(variant))
        # Consecutive plain words may spell a multi-word synonym (État islamique).
        if isinstance(params.query.tree, And):
            for node in merge_synonym_runs(params.query.tree, synonyms):
                if isinstance(node, Phrase):
                    for variant in synonyms.variants(node.text) or ():
                        self._add_terms(analysed_key(variant))

    def _add_prefix(self, prefix: str, expansion: Expansion | None) -> None:
        if expansion and expansion.words:
            # Exactly the words searched for, in any inflection.
            self.words.update(term for word in expansion.words for term in analysed_key(word))
        else:
            self.prefixes.add(fold(prefix))

    def _add_terms(self, key: tuple[str, ...]) -> None:
        """One term is a word to mark; several are a phrase; none (stop words) is nothing."""
        if len(key) == 1:
            self.words.add(key[0])
        elif key:
            self.phrases.add(key)

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
        for word, term, start, end in indexed_terms(text):
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

    def leading_spans(self, text: str) -> list[tuple[int, int]]:
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
        spans = self.leading_spans(scanned)
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


def indexed_terms(text: str):
    """``(word, term, start, end)`` for each indexed term of ``text``, lazily: the terms and
    spans of :func:`articles.search.analysis.analyzed_terms`, through the analyzer's word functions
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
