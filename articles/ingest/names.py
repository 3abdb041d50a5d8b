"""Fold text for matching names and phrases: case, accents, hyphens and apostrophes don't count.

`fold` keeps one folded character per original character (or a known expansion such as œ → oe),
so a match found in folded text maps back to an exact span of the original text.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from articles.ingest.scanning import heads, leading_words, scan

_DASHES = "-‐‑‒–—−"
_APOSTROPHES = "’‘ʼ′`´"
_EXPANSIONS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_SPACES = re.compile(r"\s+")
_BOUNDARY = r"(?<!\w)"
# Words are looked up by their first two characters: "mi" for "ministre", "se" for "secretaire".
# (A word begins two characters at least after the previous one: taking two never skips one.)
_HEAD_SIZE = 2
_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
_WORD_CHARACTER = re.compile(r"\w")


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


class _FoldTable(dict):
    """`str.translate` table of `fold_char`, filled in as new characters show up."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase, accentless text with hyphens as spaces and one kind of apostrophe."""
    return _SPACES.sub(" ", text.translate(_FOLD_TABLE)).strip()


@dataclass(frozen=True)
class FoldedText:
    """Folded text plus, for each folded character, the offset of the original character."""

    original: str
    folded: str
    offsets: Sequence[int]
    # Whether the words of the folded text are those of the original, folded: each character
    # folds to characters that are word characters if and only if it is one. Not so for a lone
    # combining accent (a non-word character folded to nothing), "™" (folded to "tm"), or "ı",
    # which ``re`` matches to "i" when ignoring case but which folds to itself.
    keeps_words: bool = False

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded = text.translate(_FOLD_TABLE)
        characters = set(text)
        keeps_words = all(_keeps_word(char) for char in characters)
        uneven = "".join(char for char in characters if len(_FOLD_TABLE[ord(char)]) != 1)
        if not uneven:
            # One folded character per original one (the usual case): offsets are positions.
            return cls(text, folded, range(len(text)), keeps_words)
        # Runs of ordinary characters between the few that fold to none or several ("…", "œ").
        offsets: list[int] = []
        last = 0
        for match in re.finditer(f"[{re.escape(uneven)}]", text):
            index = match.start()
            offsets.extend(range(last, index))
            offsets.extend([index] * len(_FOLD_TABLE[ord(text[index])]))
            last = index + 1
        offsets.extend(range(last, len(text)))
        return cls(text, folded, offsets, keeps_words)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covered by folded characters `start:end`."""
        if start >= len(self.offsets):
            return len(self.original), len(self.original)
        return self.offsets[start], self.offsets[end - 1] + 1 if end > start else self.offsets[
            start
        ]

    def finditer(
        self, pattern: re.Pattern[str], *, lead: str = ""
    ) -> Iterable[tuple[int, int, re.Match[str]]]:
        """Matches of a pattern written for folded text, as original spans.

        ``lead``: the whole word every match of a bounded pattern begins with, when known (see
        `leading_word`); the pattern is then tried only where that word stands.
        """
        for match in self._matches(pattern, lead):
            if match.end() > match.start():
                start, end = self.span(match.start(), match.end())
                yield start, end, match

    def _matches(self, pattern: re.Pattern[str], lead: str = "") -> Iterable[re.Match[str]]:
        """`pattern.finditer(self.folded)`, trying a bounded pattern only where words begin.

        `re` tries a pattern behind `(?<!\\w)` at every position of the text; the words a
        match can begin with are few, the words starting like one (when those are unknown)
        not many more.
        """
        words = self._word_index
        if lead:
            candidates = words.starts_of([lead])
        elif not pattern.flags & re.IGNORECASE and (leading := leading_words(pattern)) is not None:
            candidates = words.starts_of(leading)
        else:
            beginnings = _word_heads(pattern)
            if beginnings is None:
                yield from pattern.finditer(self.folded)
                return
            candidates = words.starts_by_head(beginnings, self.folded)
        match, folded, end = pattern.match, self.folded, 0
        size, prefixes = _prefixes(pattern) if not lead else (0, None)
        for start in candidates:
            if start < end or (
                prefixes is not None and folded[start : start + size] not in prefixes
            ):
                continue
            if (found := match(folded, start)) is not None:
                yield found
                end = found.end()

    def scan(self, pattern: re.Pattern[str], *, before: str = "") -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(self.original)``, a pattern written for the original
        text, tried only where a word it can begin with stands (see `leading_words`).

        ``before`` is passed to `scanning.scan` when the words are unknown."""
        words = _folded_leading_words(pattern)
        starts = self.word_starts(words) if words is not None else None
        if starts is None:
            yield from scan(pattern, self.original, before=before)
            return
        match, original, end = pattern.match, self.original, 0
        for start in starts:
            if start >= end and (found := match(original, start)) is not None:
                yield found
                end = found.end() if found.end() > start else start + 1

    def word_starts(self, folded_words: Iterable[str]) -> list[int] | None:
        """Where these words (folded, each a run of word characters) stand whole in the original
        text, in order; None when folding moved a word boundary of this text (see
        ``keeps_words``)."""
        if not self.keeps_words:
            return None
        starts = self._word_index.starts_of(folded_words)
        if isinstance(self.offsets, range):
            return starts
        offsets = self.offsets
        return [offsets[start] for start in starts]

    def has_word(self, word: str) -> bool:
        """Whether ``word`` (a run of word characters) stands whole in the folded text."""
        return word in self._word_index.ids

    @functools.cached_property
    def _word_index(self) -> _WordIndex:
        return _WordIndex.of(self.folded)


class _WordIndex:
    """Where each word (run of word characters) of a text begins, grouped by word.

    Built with C loops (``re.split``, ``dict``, numpy) rather than one Python step per word: a
    text has hundreds of words, and only a few dozen are ever looked up.
    """

    def __init__(self, ids: dict[str, int], starts: np.ndarray, bounds: list[int]) -> None:
        self.ids = ids  # word → its number, in order of first appearance
        self._starts = starts  # the words' starts, grouped by word number, in order in a group
        self._bounds = bounds  # word number n's starts: _starts[bounds[n] : bounds[n + 1]]

    @classmethod
    def of(cls, text: str) -> _WordIndex:
        parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, …, gap
        words = parts[1::2]
        starts = list(itertools.accumulate(map(len, parts)))[0:-1:2]
        ids = dict(zip(dict.fromkeys(words), itertools.count()))
        numbers = np.fromiter(map(ids.__getitem__, words), dtype=np.intp, count=len(words))
        bounds = np.zeros(len(ids) + 1, dtype=np.intp)
        np.cumsum(np.bincount(numbers, minlength=len(ids)), out=bounds[1:])
        grouped = np.array(starts, dtype=np.intp)[np.argsort(numbers, kind="stable")]
        return cls(ids, grouped, bounds.tolist())

    def starts_of(self, words: Iterable[str]) -> list[int]:
        """Where these words begin, in order."""
        found: list[int] = []
        ids, bounds = self.ids, self._bounds
        for word in words:
            if (number := ids.get(word)) is not None:
                found.extend(self._starts[bounds[number] : bounds[number + 1]].tolist())
        found.sort()
        return found

    def starts_by_head(self, heads: Iterable[str], text: str) -> list[int]:
        """Where the words beginning with one of these two-character heads begin, in order (a
        one-letter word with the character after it: "l'")."""
        heads = set(heads)
        found = self.starts_of(
            word for word in self.ids if len(word) >= _HEAD_SIZE and word[:_HEAD_SIZE] in heads
        )
        short_words = [word for word in self.ids if len(word) < _HEAD_SIZE]
        if short_words:
            found.extend(
                start
                for start in self.starts_of(short_words)
                if text[start : start + _HEAD_SIZE] in heads
            )
            found.sort()
        return found


@functools.lru_cache(maxsize=512)
def _folded_leading_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    words = leading_words(pattern)
    return None if words is None else frozenset(fold(word) for word in words)


@functools.lru_cache(maxsize=4096)
def _keeps_word(char: str) -> bool:
    if char == "ı":
        return False
    folded = _FOLD_TABLE[ord(char)]
    is_word = _WORD_CHARACTER.match(char) is not None
    return bool(folded) and all(
        (_WORD_CHARACTER.match(part) is not None) == is_word for part in folded
    )


def stands_whole(word: str, folded: str) -> bool:
    """Whether ``word`` (a run of word characters) stands whole in the folded text: what
    `FoldedText.has_word` answers, without indexing all the text's words first."""
    return word in folded and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) is not None


def leading_word(folded_phrase: str) -> str:
    """The run of word characters a bounded pattern of this folded phrase begins with, whole:
    where a match begins, the text's word is that run (what follows it in the phrase, a space,
    an apostrophe or the end, is no word character). Empty when the phrase does not begin with
    a word character."""
    found = _WORD.match(folded_phrase)
    return found.group() if found else ""


@functools.lru_cache(maxsize=4096)
def _word_heads(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The first two characters of every match of a bounded pattern, when each begins a word;
    otherwise None (the pattern may match anywhere)."""
    if not pattern.pattern.startswith(_BOUNDARY):
        return None
    found = heads(pattern, _HEAD_SIZE)
    if found is None or not all(_WORD_CHARACTER.match(head) for head in found):
        return None
    return found


# Prefix lengths tried, longest first, to turn away a word before trying the pattern there.
_PREFIX_SIZES = (8, 6, 4)


@functools.lru_cache(maxsize=4096)
def _prefixes(pattern: re.Pattern[str]) -> tuple[int, frozenset[str] | None]:
    """The first characters of every match of a bounded pattern, as many as known (at most 8):
    a slice of the text is a cheaper test than a failing ``match`` at "la" of "la coalition"
    for "la semaine derniere"."""
    for size in _PREFIX_SIZES:
        found = heads(pattern, size)
        if found is not None:
            return size, found
    return 0, None


def phrase_pattern(phrase: str) -> str:
    """A regex source matching `phrase` in folded text, with any run of spaces between words."""
    words = fold(phrase).split(" ")
    return r"\s+".join(re.escape(word) for word in words if word)


def bounded(source: str) -> re.Pattern[str]:
    """Compile a folded-text pattern that must start and end on word boundaries."""
    return re.compile(rf"{_BOUNDARY}(?:{source})(?!\w)")


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


@dataclass(frozen=True)
class _Spelling:
    key: str
    lead: str  # the word every match begins with, or "" (see `leading_word`)
    first_word: str  # folded: a cheap substring test when there is no lead
    pattern: re.Pattern[str]
    single_word: bool


@functools.lru_cache(maxsize=16)
def _spellings(names: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[_Spelling, ...]:
    """The compiled spellings of a reference set, longest first; built once per set."""
    ordered = sorted(
        ((key, fold(spelling)) for key, values in names for spelling in values if fold(spelling)),
        key=lambda item: len(item[1]),
        reverse=True,
    )
    return tuple(
        _Spelling(
            key=key,
            lead=leading_word(folded),
            first_word=folded.split(" ")[0],
            pattern=bounded(phrase_pattern(folded)),
            single_word=" " not in folded,
        )
        for key, folded in ordered
    )


def find_names(text: FoldedText, names: Sequence[tuple[str, Sequence[str]]]) -> list[NameMatch]:
    """Occurrences of any of the given (key, spellings) in `text`, longest spelling first.

    A one-word spelling next to another capitalised word that is not a title ("Ivanka Trump",
    "Jeffrey Feltman") is someone else's name and does not count.
    """
    names = tuple((key, tuple(values)) for key, values in names)
    taken: list[tuple[int, int]] = []
    found: list[NameMatch] = []
    for spelling in _spellings(names):
        if not (
            text.has_word(spelling.lead) if spelling.lead else spelling.first_word in text.folded
        ):
            continue
        for start, end, _match in text.finditer(spelling.pattern, lead=spelling.lead):
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            matched = text.original[start:end]
            if not any(char.isupper() for char in matched):
                continue
            if spelling.single_word and _inside_longer_name(text.original, start, end):
                continue
            taken.append((start, end))
            found.append(NameMatch(key=spelling.key, start=start, end=end, text=matched))
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
