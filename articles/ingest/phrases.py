"""Find many folded phrases (names, aliases, places) in a folded text in one pass.

An Aho-Corasick automaton (pyahocorasick) holds every phrase of a reference set; one walk over
the text finds all their occurrences at once, where one regex per phrase would read the text once
per phrase. The matches are those of the bounded pattern `names.bounded(phrase_pattern(phrase))`
tried with ``finditer``, phrase by phrase: whole words only, any run of spaces between words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

import ahocorasick

# The runs of spaces that are not already one plain space.
_UNEVEN_SPACES = re.compile(r"\s{2,}|[^\S ]")
_WORD_CHARACTER = re.compile(r"\w")


class PhraseIndex:
    """The occurrences of folded phrases (words separated by single spaces) in folded texts."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = tuple(phrases)
        self._automaton = ahocorasick.Automaton()
        for number, phrase in enumerate(self.phrases):
            # The first of two equal phrases takes every match: the second would find none.
            if phrase and phrase not in self._automaton:
                self._automaton.add_word(phrase, (number, len(phrase)))
        self._searchable = len(self._automaton) > 0
        if self._searchable:
            self._automaton.make_automaton()

    def find(self, folded: str) -> dict[int, list[tuple[int, int]]]:
        """Each phrase's matches in ``folded`` as spans of it, by phrase number, in order.

        A phrase's matches never overlap one another (as with ``finditer``); matches of
        different phrases may.
        """
        if not self._searchable:
            return {}
        text, to_folded = _single_spaced(folded)
        found: dict[int, list[tuple[int, int]]] = {}
        for last, (number, length) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if _word_around(text, start, end):
                continue
            spans = found.setdefault(number, [])
            if spans and start < spans[-1][1]:
                continue  # overlaps this phrase's previous match
            spans.append((start, end))
        return {
            number: [(to_folded(start), to_folded(end - 1) + 1) for start, end in spans]
            for number, spans in found.items()
        }


def _word_around(text: str, start: int, end: int) -> bool:
    """Whether a word character touches the span: then it is part of a longer word."""
    return bool(
        (start > 0 and _WORD_CHARACTER.match(text[start - 1]))
        or (end < len(text) and _WORD_CHARACTER.match(text[end]))
    )


def _single_spaced(folded: str) -> tuple[str, Callable[[int], int]]:
    """The text with each run of spaces as one space, and the position in ``folded`` of each of
    its characters."""
    pieces: list[str] = []
    run_ends: list[int] = []  # where each collapsed run's space stands in the new text
    shifts: list[int] = []  # how far the characters after it moved back
    last = shift = 0
    for run in _UNEVEN_SPACES.finditer(folded):
        pieces.append(folded[last : run.start()])
        pieces.append(" ")
        run_ends.append(run.start() - shift)
        shift += len(run.group()) - 1
        shifts.append(shift)
        last = run.end()
    pieces.append(folded[last:])

    def to_folded(position: int) -> int:
        # A run's space keeps the position of the run's first character.
        index = bisect.bisect_left(run_ends, position) - 1
        return position + (shifts[index] if index >= 0 else 0)

    return "".join(pieces), to_folded
