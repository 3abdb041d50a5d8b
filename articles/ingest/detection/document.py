"""The text detection reads: title and body as one text, its sentences and quoted spans."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from dataclasses import dataclass

from articles.ingest.names import FoldedText
from articles.ingest.patterns import PatternSet
from articles.ingest.vocabulary.agencies import CREDIT_AGENCIES, PHOTO_AGENCIES
from articles.ingest.vocabulary.meetings import FOLDED_MEETING_PHRASES
from articles.ingest.vocabulary.prose import SENTENCE_ABBREVIATIONS
from articles.ingest.vocabulary.roles import FOLDED_ROLE_PHRASES

from .verbs import SPEECH_VERB, Verb, find_verbs

# Every phrase detection looks for in the folded text, found in one reading of it.
FOLDED_PHRASES = PatternSet({**FOLDED_ROLE_PHRASES, **FOLDED_MEETING_PHRASES})


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    in_title: bool
    is_credit: bool
    index: int


_CREDIT_LINE = re.compile(
    r"^\s*(?:photos?|cr[ée]dits?(?:\s+photo)?|credit|illustration|source|©|\(?c\)|par|by|"
    r"propos recueillis par|avec)\b\s*:?",
    re.IGNORECASE,
)
# "… / AFP" after a photographer's name, or "(Reuters)" after a caption.
_AGENCY = re.compile(
    rf"/\s*(?:{'|'.join((*CREDIT_AGENCIES, *PHOTO_AGENCIES))})\b"
    rf"|\((?:{'|'.join(CREDIT_AGENCIES)})\)"
)


@dataclass
class Document:
    text: str
    body_offset: int
    folded: FoldedText
    sentences: list[Sentence]
    quotes: list[tuple[int, int]]  # spans of quoted text, marks included

    @classmethod
    def of(cls, title: str, body: str) -> Document:
        title = (title or "").strip()
        text = f"{title}\n\n{body or ''}" if title else body or ""
        body_offset = len(title) + 2 if title else 0
        quotes = _quote_spans(text)
        sentences = _split_sentences(text, body_offset, quotes)
        return cls(text, body_offset, FoldedText.of(text), sentences, quotes)

    def __post_init__(self) -> None:
        self._sentence_starts = [sentence.start for sentence in self.sentences]
        self._sentences_ordered = all(
            before.end <= after.start for before, after in itertools.pairwise(self.sentences)
        )
        self._quote_starts = [start for start, _end in self.quotes]
        self._verbs: list[Verb] | None = None
        self._folded_matches: dict[str, list[re.Match[str]]] | None = None

    def sentence_at(self, offset: int) -> Sentence:
        if self._sentences_ordered:
            index = bisect.bisect_right(self._sentence_starts, offset) - 1
            if index >= 0 and offset < self.sentences[index].end:
                return self.sentences[index]
            return self.sentences[-1]
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return self.sentences[-1]

    def in_quote(self, offset: int) -> bool:
        # The spans are the outermost ones, sorted and disjoint: only one can hold `offset`.
        index = bisect.bisect_left(self._quote_starts, offset) - 1
        return index >= 0 and offset < self.quotes[index][1]

    def folded_matches(self, name: str) -> list[tuple[int, int, re.Match[str]]]:
        """The matches of one of `FOLDED_PHRASES` in the folded text, with their original spans."""
        if self._folded_matches is None:
            self._folded_matches = FOLDED_PHRASES.find(self.folded.folded)
        return [
            (*self.folded.span(match.start(), match.end()), match)
            for match in self._folded_matches[name]
        ]

    def verbs(self) -> list[Verb]:
        """Fresh copies of the verbs of speech (found once; each pass fills in speakers)."""
        if self._verbs is None:
            self._verbs = find_verbs(self)
        return [dataclasses.replace(verb) for verb in self._verbs]


OPENING_MARKS = {"«": "»", "“": "”", "„": "“"}
# A statement quoted over several paragraphs opens its mark at the start of a paragraph (or
# after a colon) and closes it paragraphs later; each new paragraph may repeat the opening mark.
_MAX_QUOTED_PARAGRAPHS = 12


# The only characters the quote scanner acts on: opening and closing marks, straight quotes.
_QUOTE_MARKS = re.compile(
    "[" + "".join(sorted({*OPENING_MARKS, *OPENING_MARKS.values(), '"'})) + "]"
)


def _quote_spans(text: str) -> list[tuple[int, int]]:
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
_WORD_BEFORE_MARK = re.compile(r"([\w.-]+)$")
_INITIAL = re.compile(r"[A-Z]")


def _split_sentences(text: str, body_offset: int, quotes: list[tuple[int, int]]) -> list[Sentence]:
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
            if (
                char == "."
                and word
                and (
                    word.group(1).lower() in SENTENCE_ABBREVIATIONS
                    or _INITIAL.fullmatch(word.group(1))
                )
            ):
                continue
            end = index + 1
            if text[end : end + 1] in '»”"' and text[end : end + 1]:
                end += 1
            boundaries.append(end)
    boundaries.append(len(text))
    sentences: list[Sentence] = []
    credit_lines: dict[int, bool] = {}  # by where the line starts: a paragraph is one line
    for start, end in itertools.pairwise(boundaries):
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if (is_credit := credit_lines.get(line_start)) is None:
            line_end = text.find("\n", start)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            is_credit = credit_lines[line_start] = _is_credit_line(line)
        sentences.append(
            Sentence(
                start=start,
                end=end,
                in_title=start < body_offset,
                is_credit=is_credit,
                index=len(sentences),
            )
        )
    if not sentences:
        sentences.append(Sentence(0, len(text), False, False, 0))
    return sentences


def _is_credit_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 14:
        return False
    if _AGENCY.search(line) and len(words) <= 10:
        return True
    return bool(_CREDIT_LINE.match(line)) and not SPEECH_VERB.search(line) and len(words) <= 9
