"""Where sentences end, and which spans of a text are quoted: the one sentence splitter.

A period, "!", "?" or "…" ends a sentence when the next one starts (a capital, a digit, an
opening quote) or the text ends, unless it closes an abbreviation or an initial ("M. Kerry",
"U.S.") or stands inside a quotation; a line break ends one unless the next line goes on in
lowercase.
"""

from __future__ import annotations

import bisect
import itertools
import re

from articles.ingest.vocabulary.prose import ABBREVIATIONS, SENTENCE_ABBREVIATIONS

OPENING_MARKS = {"«": "»", "“": "”", "„": "“"}
# A statement quoted over several paragraphs opens its mark at the start of a paragraph (or
# after a colon) and closes it paragraphs later; each new paragraph may repeat the opening mark.
_MAX_QUOTED_PARAGRAPHS = 12


# The only characters the quote scanner acts on: opening and closing marks, straight quotes.
_QUOTE_MARKS = re.compile(
    "[" + "".join(sorted({*OPENING_MARKS, *OPENING_MARKS.values(), '"'})) + "]"
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quoted spans, line by line; an opening mark never closed is ignored, unless it
    opens a paragraph (or follows a colon) and a later paragraph closes it."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    carried: tuple[str, int] | None = None
    carried_paragraphs = 0
    for line in text.split("\n"):
        stack: list[tuple[str, int]] = []
        straight: int | None = None
        begin = 0
        if carried is not None:
            stack.append(carried)
            stripped = len(line) - len(line.lstrip())
            if line[stripped : stripped + 1] in OPENING_MARKS:
                begin = stripped + 1  # the repeated opening mark of a new paragraph
        for mark in _QUOTE_MARKS.finditer(line, begin):
            char, position = mark.group(), line_start + mark.start()
            if char in OPENING_MARKS and not (char == "“" and stack and stack[-1][0] == "„"):
                stack.append((OPENING_MARKS[char], position))
            elif stack and char == stack[-1][0]:
                _closing, opened = stack.pop()
                if not stack and straight is None:
                    spans.append((opened, position + 1))
            elif char == '"':
                if straight is None:
                    straight = position
                else:
                    if not stack:
                        spans.append((straight, position + 1))
                    straight = None
        if carried is not None and not line.strip():
            pass  # a blank line between the paragraphs of the statement
        elif len(stack) == 1 and carried_paragraphs < _MAX_QUOTED_PARAGRAPHS:
            opened = stack[0][1]
            before = text[text.rfind("\n", 0, opened) + 1 : opened].strip()
            if carried is not None or not before or before.endswith(":"):
                carried_paragraphs = carried_paragraphs + 1 if carried is not None else 1
                carried = stack[0]
            else:
                carried = None
        else:
            carried = None
        line_start += len(line) + 1
    return _outermost(spans)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside an earlier one, in order."""
    outermost: list[tuple[int, int]] = []
    for span in sorted(spans):
        if outermost and span[0] < outermost[-1][1]:
            continue
        outermost.append(span)
    return outermost


# The only characters that can end a sentence (the others are skipped by the search).
_SENTENCE_MARKS = re.compile(r"[\n.!?…]")


_NEXT_SENTENCE_STARTS = re.compile(r"[»”\"]?\s+[«“\"(A-ZÀ-Ý0-9]")
_TEXT_ENDS = re.compile(r"[»”\"]?\s*$")
_WORD_BEFORE_MARK = re.compile(r"([\w°.-]+)$")
_INITIAL = re.compile(r"[A-Z]")


def sentence_spans(text: str, quotes: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text`` as spans, without the spaces before them. ``quotes``: the
    spans of `quote_spans` (found here when not given); a mark inside a quote ends nothing."""
    if quotes is None:
        quotes = quote_spans(text)
    boundaries = [0]
    quote_starts = [start for start, _end in quotes]  # sorted and disjoint (`_quote_spans`)

    def inside_quote(index: int) -> bool:
        # Only the last quote opening before `index` can hold it.
        last = bisect.bisect_left(quote_starts, index) - 1
        return last >= 0 and index < quotes[last][1] - 1

    for mark in _SENTENCE_MARKS.finditer(text):
        index, char = mark.start(), mark.group()
        if char == "\n":
            following = text[index + 1 : index + 2]
            before = index - 1
            while before >= 0 and text[before] in " \t":
                before -= 1
            previous = text[before] if before >= 0 else ""
            # A line broken mid-sentence goes on in lowercase: not a boundary.
            if following and following.islower() and previous not in '.!?»”"':
                continue
            boundaries.append(index + 1)
        elif char in ".!?…" and not inside_quote(index):
            rest = text[index + 1 : index + 4]
            if not _NEXT_SENTENCE_STARTS.match(rest) and not _TEXT_ENDS.match(rest):
                continue
            word = _WORD_BEFORE_MARK.search(text[max(0, index - 12) : index])
            if char == "." and word and _is_abbreviation(word.group(1)):
                continue
            end = index + 1
            if text[end : end + 1] in '»”"' and text[end : end + 1]:
                end += 1
            boundaries.append(end)
    boundaries.append(len(text))
    spans = []
    for start, end in itertools.pairwise(boundaries):
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans


_ABBREVIATIONS = SENTENCE_ABBREVIATIONS | ABBREVIATIONS
_DOTTED = re.compile(r"(?:\w\.)+\w")  # "u.s", "j.-c" is in the lists


def _is_abbreviation(word: str) -> bool:
    """Whether a period after ``word`` closes an abbreviation or an initial."""
    lowered = word.lower()
    return lowered in _ABBREVIATIONS or bool(_INITIAL.fullmatch(word) or _DOTTED.fullmatch(lowered))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as stripped strings (one empty string for an empty text)."""
    found = [text[start:end].strip() for start, end in sentence_spans(text)]
    return [sentence for sentence in found if sentence] or [text.strip()]
