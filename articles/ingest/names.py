"""Fold text for matching names and phrases: case, accents, hyphens and apostrophes don't count.

`fold` keeps one folded character per original character (or a known expansion such as œ → oe),
so a match found in folded text maps back to an exact span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_DASHES = "-‐‑‒–—−"
_APOSTROPHES = "’‘ʼ′`´"
_EXPANSIONS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_SPACES = re.compile(r"\s+")


def words(text: str) -> list[str]:
    """The whitespace-separated words of a word list written as one string."""
    return text.split()


def fold_char(char: str) -> str:
    """The folded form of one character (may be empty or longer than one character)."""
    if char in _DASHES or char.isspace():
        return " "
    if char in _APOSTROPHES:
        return "'"
    lowered = char.lower()
    if lowered in _EXPANSIONS:
        return _EXPANSIONS[lowered]
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def fold(text: str) -> str:
    """Lowercase, accentless text with hyphens as spaces and one kind of apostrophe."""
    return _SPACES.sub(" ", "".join(fold_char(char) for char in text)).strip()


@dataclass(frozen=True)
class FoldedText:
    """Folded text plus, for each folded character, the offset of the original character."""

    original: str
    folded: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        parts: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(text):
            folded = fold_char(char)
            parts.append(folded)
            offsets.extend([index] * len(folded))
        return cls(original=text, folded="".join(parts), offsets=tuple(offsets))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covered by folded characters `start:end`."""
        if start >= len(self.offsets):
            return len(self.original), len(self.original)
        return self.offsets[start], self.offsets[end - 1] + 1 if end > start else self.offsets[
            start
        ]

    def finditer(self, pattern: re.Pattern[str]) -> Iterable[tuple[int, int, re.Match[str]]]:
        """Matches of a pattern written for folded text, as original spans."""
        for match in pattern.finditer(self.folded):
            if match.end() > match.start():
                start, end = self.span(match.start(), match.end())
                yield start, end, match


def phrase_pattern(phrase: str) -> str:
    """A regex source matching `phrase` in folded text, with any run of spaces between words."""
    words = fold(phrase).split(" ")
    return r"\s+".join(re.escape(word) for word in words if word)


def bounded(source: str) -> re.Pattern[str]:
    """Compile a folded-text pattern that must start and end on word boundaries."""
    return re.compile(rf"(?<!\w)(?:{source})(?!\w)")


@dataclass(frozen=True)
class NameMatch:
    key: str
    start: int
    end: int
    text: str


# Words that may precede a surname without being a first name: titles and honorifics.
TITLE_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    m mme mlle mr mrs ms dr me president presidente ministre secretaire chef roi reine prince
    princesse cheikh sheikh emir general generale capitaine colonel commandant lieutenant
    ambassadeur ambassadrice senateur senatrice envoye envoyee secretary minister king queen
    envoy senator ambassador chief sa son majeste sir lord monsieur madame docteur
    """
    )
)


def find_names(text: FoldedText, names: Sequence[tuple[str, Sequence[str]]]) -> list[NameMatch]:
    """Occurrences of any of the given (key, spellings) in `text`, longest spelling first.

    A one-word spelling next to another capitalised word that is not a title ("Ivanka Trump",
    "Jeffrey Feltman") is someone else's name and does not count.
    """
    spellings = sorted(
        ((key, spelling) for key, values in names for spelling in values if fold(spelling)),
        key=lambda item: len(fold(item[1])),
        reverse=True,
    )
    taken: list[tuple[int, int]] = []
    found: list[NameMatch] = []
    for key, spelling in spellings:
        pattern = bounded(phrase_pattern(spelling))
        single_word = " " not in fold(spelling)
        for start, end, _match in text.finditer(pattern):
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            matched = text.original[start:end]
            if not any(char.isupper() for char in matched):
                continue
            if single_word and _inside_longer_name(text.original, start, end):
                continue
            taken.append((start, end))
            found.append(NameMatch(key=key, start=start, end=end, text=matched))
    return sorted(found, key=lambda match: match.start)


# Capitalised words that start sentences before a surname ("Selon Tillerson, …").
_SENTENCE_WORDS = frozenset(
    words(
        """
    selon pour mais et quant pendant apres avant lors hier aujourd'hui ainsi alors donc enfin
    puis pourtant cependant ensuite le la les l' un une ce cette si quand lorsque comme face
    according but and for when after before yesterday today then so as while if the
    """
    )
)
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
    return not (
        word in TITLE_WORDS or word.split("'")[-1] in TITLE_WORDS or word in _SENTENCE_WORDS
    )
