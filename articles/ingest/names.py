"""Find people's names in a text folded for matching (`folding.fold_name`), and map what is
found in the folded text back to spans of the original."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from articles.ingest.folding import fold_name as fold
from articles.ingest.folding import fold_name_char, fold_name_characters
from articles.ingest.phrases import PhraseIndex
from articles.ingest.spans import Occupied
from articles.ingest.vocabulary.people import SENTENCE_WORDS, TITLE_WORDS

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FoldedText:
    """Folded text plus, for each folded character, the offset of the original character."""

    original: str
    folded: str
    offsets: Sequence[int]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded = fold_name_characters(text)
        uneven = "".join(char for char in set(text) if len(fold_name_char(char)) != 1)
        if not uneven:
            # One folded character per original one (the usual case): offsets are positions.
            return cls(text, folded, range(len(text)))
        # Runs of ordinary characters between the few that fold to none or several ("…", "œ").
        offsets: list[int] = []
        last = 0
        for match in re.finditer(f"[{re.escape(uneven)}]", text):
            index = match.start()
            offsets.extend(range(last, index))
            offsets.extend([index] * len(fold_name_char(text[index])))
            last = index + 1
        offsets.extend(range(last, len(text)))
        return cls(text, folded, offsets)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covered by folded characters `start:end`."""
        if start >= len(self.offsets):
            return len(self.original), len(self.original)
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, re.Match[str]]]:
        """Matches of a pattern written for folded text, as original spans (empty ones left out)."""
        for match in pattern.finditer(self.folded):
            if match.end() > match.start():
                start, end = self.span(match.start(), match.end())
                yield start, end, match


def stands_whole(word: str, folded: str) -> bool:
    """Whether ``word`` (a run of word characters) stands whole in the folded text."""
    return word in folded and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) is not None


def leading_word(folded_phrase: str) -> str:
    """The run of word characters a bounded pattern of this folded phrase begins with, whole:
    where a match begins, the text's word is that run (what follows it in the phrase, a space,
    an apostrophe or the end, is no word character). Empty when the phrase does not begin with
    a word character."""
    found = _WORD.match(folded_phrase)
    return found.group() if found else ""


def phrase_pattern(phrase: str) -> str:
    """A regex source matching `phrase` in folded text, with any run of spaces between words."""
    words = fold(phrase).split(" ")
    return r"\s+".join(re.escape(word) for word in words if word)


@dataclass(frozen=True)
class NameMatch:
    key: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Spelling:
    key: str
    single_word: bool


@functools.lru_cache(maxsize=16)
def _spellings(
    names: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[_Spelling, ...], PhraseIndex]:
    """The spellings of a reference set, longest first, and their index; built once per set."""
    ordered = sorted(
        ((key, fold(spelling)) for key, values in names for spelling in values if fold(spelling)),
        key=lambda item: len(item[1]),
        reverse=True,
    )
    spellings = tuple(_Spelling(key=key, single_word=" " not in folded) for key, folded in ordered)
    return spellings, PhraseIndex([" ".join(fold(folded).split()) for _key, folded in ordered])


def find_names(text: FoldedText, names: Sequence[tuple[str, Sequence[str]]]) -> list[NameMatch]:
    """Occurrences of any of the given (key, spellings) in `text`, longest spelling first.

    A one-word spelling next to another capitalised word that is not a title ("Ivanka Trump",
    "Jeffrey Feltman") is someone else's name and does not count.
    """
    spellings, index = _spellings(tuple((key, tuple(values)) for key, values in names))
    matches = index.find(text.folded)
    taken = Occupied(len(text.original))
    found: list[NameMatch] = []
    for number in sorted(matches):
        spelling = spellings[number]
        for folded_start, folded_end in matches[number]:
            start, end = text.span(folded_start, folded_end)
            if taken.overlaps(start, end):
                continue
            matched = text.original[start:end]
            if not any(char.isupper() for char in matched):
                continue
            if spelling.single_word and _inside_longer_name(text.original, start, end):
                continue
            taken.take(start, end)
            found.append(NameMatch(key=spelling.key, start=start, end=end, text=matched))
    return sorted(found, key=lambda match: match.start)


_NEXT_WORD = re.compile(r"[ \t]([A-ZÀ-Ý][a-zà-ÿ]+)")
_PREVIOUS_WORD = re.compile(r"([A-ZÀ-Ý][\w’'.-]*)[ \t]$")


def _inside_longer_name(original: str, start: int, end: int) -> bool:
    following = _NEXT_WORD.match(original, end)
    if following and fold(following.group(1)) not in TITLE_WORDS:
        return True
    before = original[max(0, start - 40) : start]
    previous = _PREVIOUS_WORD.search(before)
    if previous is None:
        return False
    word = fold(previous.group(1)).rstrip(".")
    return not (word in TITLE_WORDS or word.split("'")[-1] in TITLE_WORDS or word in SENTENCE_WORDS)
