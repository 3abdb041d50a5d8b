"""Shared passages between articles, and the marking of passages in escaped text.

Wire copy is republished nearly word for word: an 8-word window over normalised text (case,
accents and punctuation ignored) that occurs in two articles marks a passage they share. What is
left unmarked is what each outlet added. Pure functions: text in, character offsets out.
"""

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.ingest.folding import fold_accents_and_case

SHINGLE_SIZE = 8

# Words are runs of letters and digits: elisions (l’, d’, qu’) and hyphens split words, so
# "l’État" and "l'Etat" give the same two words.
WORD_PATTERN = re.compile(r"\w+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True)
class Word:
    """A normalised word and where it stands in the original text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """Characters ``start:end`` of a text, also found word for word in the ``shared_with`` texts."""

    start: int
    end: int
    shared_with: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Highlight:
    """A span to mark in a text: ``css_class`` on the ``<mark>``, ``label`` as its tooltip."""

    start: int
    end: int
    css_class: str = ""
    label: str = ""


# Casefolded, without accents or ligatures: spelling variants of one word compare equal.
normalise_word = fold_accents_and_case


def words(text: str) -> list[Word]:
    """The words of ``text``, normalised, with their character offsets in ``text``."""
    return [
        Word(normalise_word(match.group()), match.start(), match.end())
        for match in WORD_PATTERN.finditer(text)
    ]


def shingles(text_words: list[Word], size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive normalised words."""
    return {
        tuple(word.text for word in text_words[index : index + size])
        for index in range(len(text_words) - size + 1)
    }


def shared_passages(
    texts: Mapping[Hashable, str],
    size: int = SHINGLE_SIZE,
    *,
    keys: Iterable[Hashable] | None = None,
) -> dict[Hashable, list[Passage]]:
    """For each text, the passages of at least ``size`` words that another text also contains.

    Overlapping windows merge into one passage; ``shared_with`` names every other text that
    shares some window of it. With ``keys``, only those texts get passages (compared with all):
    a page that shows a few texts of many costs what those few cost.
    """
    words_by_key = {key: words(text) for key, text in texts.items()}
    owners: dict[tuple[str, ...], set[Hashable]] = defaultdict(set)
    for key, text_words in words_by_key.items():
        for shingle in shingles(text_words, size):
            owners[shingle].add(key)

    result = {}
    wanted = words_by_key.keys() if keys is None else keys
    for key in wanted:
        text_words = words_by_key[key]
        shared_by_word: list[set[Hashable]] = [set() for _ in text_words]
        for index in range(len(text_words) - size + 1):
            others = owners[tuple(word.text for word in text_words[index : index + size])] - {key}
            if others:
                for position in range(index, index + size):
                    shared_by_word[position] |= others
        result[key] = _merge_runs(text_words, shared_by_word)
    return result


def _merge_runs(text_words: list[Word], shared_by_word: list[set]) -> list[Passage]:
    passages = []
    run_start = None
    run_owners: set = set()
    for index, others in enumerate([*shared_by_word, set()]):
        if others and run_start is None:
            run_start, run_owners = index, set(others)
        elif others:
            run_owners |= others
        elif run_start is not None:
            passages.append(
                Passage(
                    text_words[run_start].start,
                    text_words[index - 1].end,
                    frozenset(run_owners),
                )
            )
            run_start = None
    return passages


def shared_fraction(text: str, passages: Iterable[Passage]) -> float:
    """The share of the words of ``text`` that lie inside ``passages`` (0 for an empty text)."""
    text_words = words(text)
    if not text_words:
        return 0.0
    # One walk over words and passages sorted by start, not every passage for every word: a
    # passage that ends before a word ends holds neither that word nor any later one.
    spans = sorted(passages, key=lambda passage: passage.start)
    inside = 0
    current = 0
    for word in text_words:
        while current < len(spans) and spans[current].end < word.end:
            current += 1
        if current < len(spans) and spans[current].start <= word.start:
            inside += 1
    return inside / len(text_words)


def find_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text``, ignoring differences of spacing; [] if nowhere."""
    parts = [re.escape(part) for part in needle.split()]
    if not parts:
        return []
    pattern = re.compile(r"\s+".join(parts))
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the paragraphs of ``text`` (split on blank lines)."""
    spans = []
    position = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            start = position + chunk.index(stripped)
            spans.append((start, start + len(stripped)))
        if match:
            position = match.end()
    return spans


def marked_paragraphs(text: str, highlights: Iterable[Highlight] = ()) -> list[SafeString]:
    """The paragraphs of ``text`` as escaped HTML, with each highlight wrapped in ``<mark>``.

    Overlapping highlights are cut at their boundaries, so the markup always nests; adjacent
    pieces with the same marks are rendered as one element.
    """
    marks = [h for h in highlights if h.end > h.start]
    rendered = []
    for start, end in paragraphs(text):
        cuts = {start, end}
        for mark in marks:
            cuts.update(edge for edge in (mark.start, mark.end) if start < edge < end)
        bounds = sorted(cuts)
        pieces: list[tuple[tuple[Highlight, ...], str]] = []
        for left, right in pairwise(bounds):
            active = tuple(m for m in marks if m.start <= left and right <= m.end)
            if pieces and pieces[-1][0] == active:
                pieces[-1] = (active, pieces[-1][1] + text[left:right])
            else:
                pieces.append((active, text[left:right]))
        rendered.append(
            mark_safe("".join(_render_piece(active, chunk) for active, chunk in pieces))
        )
    return rendered


def _render_piece(active: tuple[Highlight, ...], chunk: str) -> str:
    if not active:
        return escape(chunk)
    classes = " ".join(dict.fromkeys(h.css_class for h in active if h.css_class))
    labels = " · ".join(dict.fromkeys(h.label for h in active if h.label))
    if labels:
        return format_html('<mark class="{}" title="{}">{}</mark>', classes, labels, chunk)
    return format_html('<mark class="{}">{}</mark>', classes, chunk)
