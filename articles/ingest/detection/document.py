"""The text detection reads: title and body as one text, its sentences and quoted spans."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from dataclasses import dataclass

from articles.ingest.names import FoldedText
from articles.ingest.patterns import PatternSet
from articles.ingest.sentences import quote_spans, sentence_spans
from articles.ingest.vocabulary.agencies import CREDIT_AGENCIES, PHOTO_AGENCIES
from articles.ingest.vocabulary.meetings import FOLDED_MEETING_PHRASES
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
        quotes = quote_spans(text)
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


def _split_sentences(text: str, body_offset: int, quotes: list[tuple[int, int]]) -> list[Sentence]:
    sentences: list[Sentence] = []
    credit_lines: dict[int, bool] = {}  # by where the line starts: a paragraph is one line
    for start, end in sentence_spans(text, quotes):
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
