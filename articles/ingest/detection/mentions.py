"""Where the article names people: known names, role phrases, titles with a name, pronouns."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from articles.ingest.names import find_names, fold
from articles.ingest.patterns import bounded
from articles.ingest.spans import Occupied
from articles.ingest.vocabulary.people import (
    DEATH_PENDING_WORDS,
    DEATH_WORDS,
    DETERMINERS,
    HONORIFICS,
    NAME_PARTICLES,
    NOT_NAME_WORDS,
    OBJECT_WORDS,
    TITLE_WORDS,
)
from articles.ingest.vocabulary.roles import ROLES

from .document import Document, Sentence
from .types import MeetingRef, PersonRef


@dataclass
class Mention:
    kind: str  # 'name' | 'role' | 'unknown' | 'pronoun'
    start: int
    end: int
    span_start: int  # with the title or role phrase written before the name
    text: str
    slug: str | None = None
    role: str | None = None
    object_context: bool = False
    honorific: bool = False
    credit: bool = False
    dead: bool = False


_NATO = bounded(r"otan|nato|l'alliance atlantique")

# A person's name as written: capitalised words, with the particles names carry.
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ’']+(?:-[A-ZÀ-Ý]?[a-zà-ÿ]+)*"
_PARTICLE = rf"(?:{NAME_PARTICLES})"
_NAME = rf"{_NAME_WORD}(?:[ -](?:{_PARTICLE}[ -])?{_NAME_WORD})*"
_HONORIFIC_NAME = re.compile(
    rf"\b(?P<title>{HONORIFICS})"
    # Spaces, a line break at most: a title ending a paragraph is not the next one's subject.
    r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)(?P<name>" + _NAME + ")"
)
_BARE_NAME = re.compile(rf"(?<![\w’'-]){_NAME}")
_PRONOUN = re.compile(r"\b(?:[Ii]l|[Ee]lle|[Hh]e|[Ss]he)\b(?!-)")


@functools.lru_cache(maxsize=16)
def _spellings_of(people: tuple[PersonRef, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((person.slug, (person.name, *person.aliases)) for person in people)


def find_mentions(
    document: Document, people: Sequence[PersonRef], meetings: Sequence[MeetingRef]
) -> list[Mention]:
    """Every mention of a person, in order: known names first, then role phrases, then the
    names of people the reference data does not know, then pronouns."""
    text = document.text
    known = find_names(document.folded, _spellings_of(tuple(people)))
    mentions = [
        Mention("name", match.start, match.end, match.start, match.text, slug=match.key)
        for match in known
    ]
    roles = _role_mentions(document, mentions)
    taken = Occupied(len(text), ((m.start, m.end) for m in mentions + roles))
    mentions.extend(_unknown_names(text, _not_name_words(tuple(meetings)), taken))
    roles.sort(key=lambda mention: mention.start)
    nearby = _NamesNearby(mentions)
    standalone_roles = [role for role in roles if not _attach_to_name(text, role, nearby)]
    mentions.extend(standalone_roles)
    mentions.sort(key=lambda mention: mention.start)
    for match in _PRONOUN.finditer(text):
        mentions.append(Mention("pronoun", match.start(), match.end(), match.start(), match[0]))
    mentions.sort(key=lambda mention: mention.start)
    for mention in mentions:
        sentence = document.sentence_at(mention.start)
        mention.credit = sentence.is_credit
        mention.span_start = _extend_over_titles(text, mention.span_start, sentence.start)
        mention.object_context = _is_object(text, mention.span_start, sentence.start)
        mention.dead = _speaks_of_death(text, mention, sentence)
    return mentions


def _role_mentions(document: Document, names: list[Mention]) -> list[Mention]:
    """Role phrases that overlap no name and no earlier role phrase."""
    text = document.text
    roles: list[Mention] = []
    taken = Occupied(len(text), ((name.start, name.end) for name in names))
    for role in ROLES:
        for start, end, _match in document.folded_matches(f"role:{role}"):
            if taken.overlaps(start, end):
                continue
            taken.take(start, end)
            roles.append(Mention("role", start, end, start, text[start:end], role=role))
    for start, end, _match in document.folded_matches("its-secretary-general"):
        sentence = document.sentence_at(start)
        earlier = document.sentences[max(0, sentence.index - 1)].start
        if _NATO.search(fold(text[earlier:start])):
            roles.append(
                Mention("role", start, end, start, text[start:end], role="nato-secretary-general")
            )
    return roles


def _unknown_names(text: str, not_names: frozenset[str], taken: Occupied) -> list[Mention]:
    """Names after a title ("M. Dupont"), then names of two words or more, where no mention is."""
    found: list[Mention] = []
    for match in _HONORIFIC_NAME.finditer(text):
        start, end = match.span("name")
        name = _clean_name(match.group("name"), not_names)
        if name is None or taken.overlaps(start, end):
            continue
        start = text.index(name, start)
        taken.take(start, start + len(name))
        found.append(
            Mention("unknown", start, start + len(name), match.start(), name, honorific=True)
        )
    for match in _BARE_NAME.finditer(text):
        name = _clean_name(match.group(0), not_names)
        if name is None or len(name.split()) < 2:
            continue
        start = text.index(name, match.start())
        end = start + len(name)
        if taken.overlaps(start, end):
            continue
        taken.take(start, end)
        found.append(Mention("unknown", start, end, start, name))
    return found


class _NamesNearby:
    """The names ending or starting at each position, in the order detection found them."""

    def __init__(self, names: list[Mention]) -> None:
        self._order = {id(name): number for number, name in enumerate(names)}
        self._starting: dict[int, list[Mention]] = {}
        self._ending: dict[int, list[Mention]] = {}
        for name in names:
            self._starting.setdefault(name.start, []).append(name)
            self._ending.setdefault(name.end, []).append(name)

    def around(self, start: int, end: int, *, before: int, after: int) -> list[Mention]:
        """The names ending up to ``before`` characters before ``start`` or starting up to
        ``after`` characters after ``end``, in the order they were found."""
        found = [
            name
            for position in range(max(0, start - before), start + 1)
            for name in self._ending.get(position, ())
        ]
        found += [
            name
            for position in range(end, end + after + 1)
            for name in self._starting.get(position, ())
        ]
        unique = {id(name): name for name in found}.values()
        return sorted(unique, key=lambda name: self._order[id(name)])


def _attach_to_name(text: str, role: Mention, names: _NamesNearby) -> bool:
    """Whether a role phrase right before or right after a name describes that person (it then
    gives the name its role)."""
    for mention in names.around(role.start, role.end, before=8, after=4):
        gap_after = text[role.end : mention.start]
        gap_before = text[mention.end : role.start]
        if 0 <= mention.start - role.end <= 4 and re.fullmatch(r"[\s,]*", gap_after):
            mention.span_start = min(mention.span_start, role.start)
        elif not (
            0 <= role.start - mention.end <= 8
            and re.fullmatch(r"\s*,\s*(?:l['’]|le |la |the )?", gap_before)
        ):
            continue
        mention.role = mention.role or role.role
        return True
    return False


@functools.lru_cache(maxsize=16)
def _not_name_words(meetings: tuple[MeetingRef, ...]) -> frozenset[str]:
    """Words that are never part of a person's name, with the places of the meetings."""
    not_names = set(NOT_NAME_WORDS)
    for meeting in meetings:
        for place in (
            meeting.city,
            *meeting.city_aliases,
            meeting.country,
            *meeting.country_aliases,
        ):
            not_names.update(fold(place).split())
    return frozenset(not_names)


def _clean_name(candidate: str, not_names: frozenset[str]) -> str | None:
    words = re.split(r"(?<=\S)\s+", candidate.strip())
    while words and fold(words[0]) in not_names:
        words.pop(0)
    while words and fold(words[-1]) in not_names:
        words.pop()
    if not words or any(part in not_names for word in words for part in fold(word).split()):
        return None
    if any(len(word.strip("’'")) < 2 for word in words):
        return None
    return " ".join(words)


# The word ending a stretch of text, but for spaces: word characters, apostrophes, periods, hyphens.
_LAST_TOKEN = re.compile(r"([\w’'.-]+)\s*$")


def _token_before(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The word ending ``text[start:end]`` (but for spaces), with its span in ``text``."""
    found = _LAST_TOKEN.search(text, start, end)
    if found is None:
        return None
    return found.start(1), found.end(1), found.group(1)


def _extend_over_titles(text: str, start: int, sentence_start: int) -> int:
    """Move the start of a mention back over the determiner and titles written before it."""
    while start > sentence_start:
        token = _token_before(text, sentence_start, start)
        if token is None:
            break
        token_start, token_end, token_text = token
        if text[token_end:start].strip(" \t"):
            break
        word = fold(token_text)
        if word not in DETERMINERS and word.rstrip(".").split("'")[-1] not in TITLE_WORDS:
            break
        start = token_start
    return start


def _is_object(text: str, start: int, sentence_start: int) -> bool:
    """Whether the person written at `start` follows "par", "avec", "du", "à l'invitation de"…

    Up to two lowercase words (adjectives of a title: "par le président américain Trump")
    may stand between the preposition and the name."""
    first = fold(text[start : start + 12]).split(" ")[0]
    if first in {"du", "des", "au", "aux"} or first.startswith("d'"):
        return True
    skipped = 0
    position = start
    while position > sentence_start:
        if text[sentence_start:position].rstrip()[-1:] in _CLAUSE_MARKS:
            return False
        token = _token_before(text, sentence_start, position)
        if token is None:
            return False
        token_start, _token_end, token_text = token
        word = fold(token_text)
        if word in OBJECT_WORDS:
            return True
        if word in DETERMINERS or word.rstrip(".").split("'")[-1] in TITLE_WORDS:
            position = token_start
            continue
        if not token_text[:1].islower() or skipped >= 2:
            return False
        skipped += 1
        position = token_start
    return False


# Punctuation that ends the clause before a name: no preposition before it governs the name.
_CLAUSE_MARKS = frozenset(",;:(«“»”")


_DEATH = re.compile(rf"\b(?:{DEATH_WORDS})\b")
_DEATH_PENDING = re.compile(rf"\b(?:{DEATH_PENDING_WORDS})\b")


def _speaks_of_death(text: str, mention: Mention, sentence: Sentence) -> bool:
    before = fold(text[max(sentence.start, mention.span_start - 40) : mention.start])
    if not _DEATH.search(before):
        return False
    return not _DEATH_PENDING.search(fold(text[mention.end : sentence.end]))


def person_key(mention: Mention) -> str:
    return mention.slug or "?" + fold(mention.text).split(" ")[-1]
