"""Detect which coalition meeting an article reports on, who speaks in it and what they said.

Pure functions over plain text and reference data (no Django, no database). Every clue that can
tie an article to a meeting (dates, weekday, city or country, kind of meeting, number of members,
who held which office when, events such as a death) is scored against every reference meeting;
clues in the title, the lead and sentences that report the event weigh most, clues near words
that point elsewhere in time ("la semaine dernière", "prochaine", "depuis") weigh little.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from articles.ingest.dates import DateMention, find_dates
from articles.ingest.names import (
    TITLE_WORDS,
    FoldedText,
    bounded,
    find_names,
    fold,
    leading_word,
    stands_whole,
    words,
)
from articles.ingest.scanning import scan

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "migrations" / "reference_data.json"


# --- Interface ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeRef:
    role: str
    title: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class PersonRef:
    slug: str
    name: str
    aliases: tuple[str, ...]
    offices: tuple[OfficeRef, ...]


@dataclass(frozen=True)
class MeetingRef:
    slug: str
    title: str
    kind: str
    city: str
    city_aliases: tuple[str, ...]
    country: str
    country_aliases: tuple[str, ...]
    start_date: datetime.date
    end_date: datetime.date
    member_count: int | None


@dataclass(frozen=True)
class MeetingGuess:
    slug: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class QuoteFound:
    speaker_name: str
    speaker_slug: str | None
    text: str
    kind: str  # 'direct' | 'indirect'
    start: int  # offset in the body


@dataclass(frozen=True)
class PersonFound:
    name: str
    slug: str | None
    role: str  # 'quoted' | 'mentioned'
    quote_kind: str  # 'direct' | 'indirect' | ''
    evidence: str


@dataclass(frozen=True)
class Detection:
    meetings: tuple[MeetingGuess, ...]
    people: tuple[PersonFound, ...]
    quotes: tuple[QuoteFound, ...]


def load_reference(path: str | Path = REFERENCE_PATH) -> tuple[list[MeetingRef], list[PersonRef]]:
    """Read the meetings and people of the reference JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    meetings = [
        MeetingRef(
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            city=item["city"],
            city_aliases=tuple(item.get("city_aliases") or ()),
            country=item["country"],
            country_aliases=tuple(item.get("country_aliases") or ()),
            start_date=datetime.date.fromisoformat(item["start_date"]),
            end_date=datetime.date.fromisoformat(item.get("end_date") or item["start_date"]),
            member_count=item.get("member_count"),
        )
        for item in data["meetings"]
    ]
    people = [
        PersonRef(
            slug=item["slug"],
            name=item["name"],
            aliases=tuple(item.get("aliases") or ()),
            offices=tuple(
                OfficeRef(
                    role=office["role"],
                    title=office["title"],
                    start=datetime.date.fromisoformat(office["start"]),
                    end=datetime.date.fromisoformat(office["end"]) if office.get("end") else None,
                )
                for office in item.get("offices") or ()
            ),
        )
        for item in data["people"]
    ]
    return meetings, people


def detect(
    *,
    title: str,
    body: str,
    published_on: datetime.date | None,
    meetings: Sequence[MeetingRef],
    people: Sequence[PersonRef],
) -> Detection:
    """Guess the meeting an article reports on, the people in it and their quotes."""
    document = _Document.of(title, body)
    by_slug = {person.slug: person for person in people}
    mentions = _find_mentions(document, people, meetings)
    # Speakers first without a meeting date (roles resolve through names only), then again
    # with the best meeting's date, so that a bare "le secrétaire d'État" finds its holder.
    resolved = _resolved(mentions, by_slug, published_on)
    speech = _attribute_speech(document, resolved)
    ranked = _rank_meetings(document, mentions, speech, published_on, meetings, by_slug)
    meeting_by_slug = {meeting.slug: meeting for meeting in meetings}
    reference_date = published_on
    if ranked:
        reference_date = meeting_by_slug[ranked[0].slug].start_date
    if reference_date != published_on:
        # Only a role's holder depends on the date: the same people give the same speech.
        again = _resolved(mentions, by_slug, reference_date)
        if again != resolved:
            speech = _attribute_speech(document, again)
    return Detection(
        meetings=tuple(ranked),
        people=_people_found(document, mentions, speech, by_slug),
        quotes=tuple(speech.quotes),
    )


def could_name(title: str, body: str, people: Sequence[PersonRef]) -> bool:
    """Whether detection could find one of ``people`` in this article.

    A person without offices is found by a name or alias only, and never where the word each
    begins with is missing from the folded text (``find_names`` skips such spellings): then a
    detection made without these people is the one made with them.
    """
    if any(person.offices for person in people):
        return True
    title = (title or "").strip()
    folded = FoldedText.of(f"{title}\n\n{body or ''}" if title else body or "").folded
    return any(
        stands_whole(lead, folded)
        if (lead := leading_word(spelling))
        else spelling.split(" ")[0] in folded
        for person in people
        for spelling in map(fold, (person.name, *person.aliases))
        if spelling
    )


# --- Text structure -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    in_title: bool
    is_credit: bool
    index: int


_ABBREVIATIONS = frozenset(words("m mme mlle mr mrs ms dr st no etc av j.-c cf p ex vol"))
_CREDIT_LINE = re.compile(
    r"^\s*(?:photos?|cr[ée]dits?(?:\s+photo)?|credit|illustration|source|©|\(?c\)|par|by|"
    r"propos recueillis par|avec)\b\s*:?",
    re.IGNORECASE,
)
_AGENCY = re.compile(r"/\s*(?:AFP|AP|Reuters|MAP|EPA|Getty)\b|\((?:AFP|AP|Reuters|MAP)\)")


@dataclass
class _Document:
    text: str
    body_offset: int
    folded: FoldedText
    sentences: list[_Sentence]
    quotes: list[tuple[int, int]]  # spans of quoted text, marks included

    @classmethod
    def of(cls, title: str, body: str) -> _Document:
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
        self._verbs: list[_Verb] | None = None

    def sentence_at(self, offset: int) -> _Sentence:
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

    def verbs(self) -> list[_Verb]:
        """Fresh copies of the verbs of speech (found once; each pass fills in speakers)."""
        if self._verbs is None:
            self._verbs = _find_verbs(self)
        return [dataclasses.replace(verb) for verb in self._verbs]


_OPENING = {"«": "»", "“": "”", "„": "“"}
# A statement quoted over several paragraphs opens its mark at the start of a paragraph (or
# after a colon) and closes it paragraphs later; each new paragraph may repeat the opening mark.
_MAX_QUOTED_PARAGRAPHS = 12


# The only characters the quote scanner acts on: opening and closing marks, straight quotes.
_QUOTE_MARKS = re.compile("[" + "".join(sorted({*_OPENING, *_OPENING.values(), '"'})) + "]")


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
            if line[stripped : stripped + 1] in _OPENING:
                begin = stripped + 1  # the repeated opening mark of a new paragraph
        for mark in _QUOTE_MARKS.finditer(line, begin):
            char, position = mark.group(), line_start + mark.start()
            if char in _OPENING and not (char == "“" and stack and stack[-1][0] == "„"):
                stack.append((_OPENING[char], position))
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
    spans.sort()
    outermost: list[tuple[int, int]] = []
    for span in spans:
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


def _split_sentences(text: str, body_offset: int, quotes: list[tuple[int, int]]) -> list[_Sentence]:
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
                and (word.group(1).lower() in _ABBREVIATIONS or _INITIAL.fullmatch(word.group(1)))
            ):
                continue
            end = index + 1
            if text[end : end + 1] in '»”"' and text[end : end + 1]:
                end += 1
            boundaries.append(end)
    boundaries.append(len(text))
    sentences: list[_Sentence] = []
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
            _Sentence(
                start=start,
                end=end,
                in_title=start < body_offset,
                is_credit=is_credit,
                index=len(sentences),
            )
        )
    if not sentences:
        sentences.append(_Sentence(0, len(text), False, False, 0))
    return sentences


def _is_credit_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 14:
        return False
    if _AGENCY.search(line) and len(words) <= 10:
        return True
    return bool(_CREDIT_LINE.match(line)) and not _SPEECH_VERB.search(line) and len(words) <= 9


# --- People and role phrases ----------------------------------------------------------------


@dataclass
class _Mention:
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


_NATIONALITIES = {
    "france": ("francais", "francaise", "french"),
    "morocco": ("marocain", "marocaine", "moroccan"),
    "jordan": ("jordanien", "jordanienne", "jordanian"),
    "italy": ("italien", "italienne", "italian"),
    "iraq": ("irakien", "irakienne", "iraquien", "iraquienne", "iraqi"),
    "kuwait": ("koweitien", "koweitienne", "kuwaiti"),
    "saudi": ("saoudien", "saoudienne", "saudi"),
    "us": ("americain", "americaine", "american", "us", "u.s."),
    "uk": ("britannique", "british"),
    "germany": ("allemand", "allemande", "german"),
    "belgium": ("belge", "belgian"),
    "turkey": ("turc", "turque", "turkish"),
    "egypt": ("egyptien", "egyptienne", "egyptian"),
}


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _role_patterns() -> list[tuple[str, re.Pattern[str]]]:
    state = r"d'etat"
    patterns = [
        (
            "morocco-deputy-foreign-minister",
            r"ministre delegue aupres du ministre (?:marocain )?des affaires etrangeres?",
        ),
        (
            "us-under-secretary-political-affairs",
            rf"sous secretaire {state}(?: americaine?)? aux affaires politiques"
            r"|under secretary(?: of state)? for political affairs",
        ),
        (
            "us-secretary-of-state",
            rf"(?<!sous )secretaire {state}(?: americain| des etats unis| us)?"
            r"|chef de la diplomatie (?:americaine|des etats unis)|diplomate americain"
            r"|(?:(?:u\.s\.|us|american) )?secretary of state|top (?:us|u\.s\.|american) diplomat",
        ),
        (
            "nato-secretary-general",
            r"secretaire general de l'(?:otan|alliance(?: atlantique)?)|(?:chef|patron) de l'otan"
            r"|nato secretary general|secretary general of nato",
        ),
        (
            "us-special-envoy-coalition",
            r"envoye special(?: americain| des etats unis| du president(?: americain)?)?"
            r"(?: aupres de la coalition(?: mondiale| internationale)?| pour la coalition)?"
            r"|(?:us |u\.s\. )?special (?:presidential )?envoy(?: for the global coalition)?",
        ),
        (
            "us-secretary-of-defense",
            r"secretaire (?:americain )?a la defense|chef du pentagone"
            r"|(?:us |u\.s\. )?(?:secretary of defen[cs]e|defen[cs]e secretary)",
        ),
        (
            "us-president",
            r"president (?:americain|des etats unis)|(?:us|u\.s\.|american) president"
            r"|locataire de la maison blanche",
        ),
        (
            "eu-high-representative",
            r"haute? representante? (?:de l'union europeenne|de l'ue)"
            r"(?: pour les affaires etrangeres(?: et la politique de securite)?)?"
            r"|chef de la diplomatie europeenne|eu (?:foreign policy chief|high representative)",
        ),
        ("iraq-prime-minister", r"premier ministre (?:irakien|iraquien)|iraqi prime minister"),
        (
            "isis-leader",
            r"chef (?:de daech|de l'ei|de l'etat islamique|du groupe (?:etat islamique|ei))"
            r"|(?:isis|isil|daesh|is) leader|leader (?:of|de) (?:isis|daech|l'ei)",
        ),
        ("jordan-king", r"roi de jordanie|souverain jordanien|king of jordan|jordan's king"),
        ("france-defence-minister", r"ministre (?:francaise? )?(?:des armees|de la defense)"),
    ]
    for country, adjectives in _NATIONALITIES.items():
        adjective = _alternatives(adjectives)
        feminine = _alternatives([word for word in adjectives if word.endswith("e")] or adjectives)
        patterns.append(
            (
                f"{country}-foreign-minister",
                rf"ministre (?:{adjective}) (?:de l'europe et )?des affaires etrangeres?"
                rf"|ministre (?:de l'europe et )?des affaires etrangeres? (?:{adjective})\b"
                rf"|chef de la diplomatie (?:{feminine})|(?:{adjective}) foreign minister",
            )
        )
    return [(role, bounded(source)) for role, source in patterns]


_ROLE_PATTERNS = _role_patterns()
_ITS_SECRETARY_GENERAL = bounded(r"(?:son|its) secretaire general|(?:its|his) secretary general")
_NATO = bounded(r"otan|nato|l'alliance atlantique")

# A person's name as written: capitalised words, with the particles names carry.
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ’']+(?:-[A-ZÀ-Ý]?[a-zà-ÿ]+)*"
_PARTICLE = r"(?:de|di|da|del|van|von|der|ben|bin|ibn|el|al|Al|El|Abu|Abou|le|La|Le)"
_NAME = rf"{_NAME_WORD}(?:[ -](?:{_PARTICLE}[ -])?{_NAME_WORD})*"
_HONORIFIC_NAME = re.compile(
    r"\b(?P<title>M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|[Cc]apitaine|[Gg][ée]n[ée]ral|[Cc]olonel"
    r"|[Cc]ommandant|[Ll]ieutenant|[Pp]rince|[Cc]heikh|[Ss]heikh|[Ss][ée]nat(?:eur|rice)"
    r"|[Ss]enator|[Aa]mbassad(?:eur|rice|or))"
    # Spaces, a line break at most: a title ending a paragraph is not the next one's subject.
    r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)(?P<name>" + _NAME + ")"
)
_BARE_NAME = re.compile(rf"(?<![\w’'-]){_NAME}")
_PRONOUN = re.compile(r"\b(?:[Ii]l|[Ee]lle|[Hh]e|[Ss]he)\b(?!-)")

# Capitalised words that are never part of a person's name: places, organisations, calendar
# words and words that start sentences.
_NOT_NAME_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    le la les l un une des du de d il elle ils elles nous on ce cette ces cet selon dans lors
    pour par en au aux mais et ou alors apres avant depuis the a an he she they we it in on at
    according sa son ses leur leurs sous avec sur contre entre tous toutes tout plus ainsi
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december daech daesh isis isil etat etats unis islamique coalition otan nato onu
    union europeenne ligue arabe conseil securite nations unies maison blanche pentagone
    departement bureau ministere ministre affaires etrangeres defense cooperation
    internationale mondiale global globale forum groupe alliance majeste washington bruxelles
    brussels paris rome amman koweit kuwait marrakech riyad riyadh irak iraq syrie syria
    jordanie jordan maroc morocco libye libya afrique africa sahel mozambique europe moyen
    orient turquie russie mossoul mosul raqqa tabqa afghanistan philippines bagdad baghdad
    damas lutte anti communique compte rendu reunion ministres membres partenaires president
    secretaire general envoye special state department secretary minister foreign affairs
    united states america american etat-major interpol internet sahara iran israel liban
    londres berlin moscou ankara caire doha abou dhabi emirats qatar arabie saoudite egypte
    france italie belgique allemagne espagne royaume uni canada australie japon chine inde
    photo credit source afp reuters map ap nous vous je human rights watch amnesty presse press
    agence news times post ministry office house forces armee army democratiques democratic
    syriennes kurdes kurdish croix rouge red cross programme banque mondial fonds
    """
    )
)

# Words after which a name is the object of something, not the subject of a sentence.
_OBJECT_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    par avec a à au aux de du des d' pour contre sur aupres envers chez entre sans invitation
    by with to of from for about against between than rencontre recu remercie
    felicite salue accueilli
    """
    )
)
_DETERMINERS = frozenset(
    words("le la l' les son sa ses leur un une the its his her their m. mme mr mr. dr dr.")
)


@functools.lru_cache(maxsize=16)
def _spellings_of(people: tuple[PersonRef, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((person.slug, (person.name, *person.aliases)) for person in people)


def _find_mentions(
    document: _Document, people: Sequence[PersonRef], meetings: Sequence[MeetingRef]
) -> list[_Mention]:
    text, folded = document.text, document.folded
    known = find_names(folded, _spellings_of(tuple(people)))
    mentions = [
        _Mention("name", match.start, match.end, match.start, match.text, slug=match.key)
        for match in known
    ]
    roles = []
    for role, pattern in _ROLE_PATTERNS:
        for start, end, _match in folded.finditer(pattern):
            if any(start < other.end and other.start < end for other in roles):
                continue
            if any(start < m.end and m.start < end for m in mentions):
                continue
            roles.append(_Mention("role", start, end, start, text[start:end], role=role))
    for start, end, _match in folded.finditer(_ITS_SECRETARY_GENERAL):
        sentence = document.sentence_at(start)
        earlier = document.sentences[max(0, sentence.index - 1)].start
        if _NATO.search(fold(text[earlier:start])):
            roles.append(
                _Mention("role", start, end, start, text[start:end], role="nato-secretary-general")
            )
    not_names = _not_name_words(tuple(meetings))
    taken = [(m.start, m.end) for m in mentions + roles]
    for match in folded.scan(_HONORIFIC_NAME, before=r"\b"):
        start, end = match.span("name")
        name = _clean_name(match.group("name"), not_names)
        if name is None or any(start < e and s < end for s, e in taken):
            continue
        start = text.index(name, start)
        taken.append((start, start + len(name)))
        mentions.append(
            _Mention("unknown", start, start + len(name), match.start(), name, honorific=True)
        )
    for match in scan(_BARE_NAME, text):
        name = _clean_name(match.group(0), not_names)
        if name is None or len(name.split()) < 2:
            continue
        start = text.index(name, match.start())
        end = start + len(name)
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        mentions.append(_Mention("unknown", start, end, start, name))
    roles.sort(key=lambda mention: mention.start)
    # A role phrase right before or right after a name describes that person.
    standalone_roles = []
    for role in roles:
        attached = None
        for mention in mentions:
            gap_after = text[role.end : mention.start]
            gap_before = text[mention.end : role.start]
            if 0 <= mention.start - role.end <= 4 and re.fullmatch(r"[\s,]*", gap_after):
                attached = mention
                mention.span_start = min(mention.span_start, role.start)
            elif 0 <= role.start - mention.end <= 8 and re.fullmatch(
                r"\s*,\s*(?:l['’]|le |la |the )?", gap_before
            ):
                attached = mention
            if attached:
                attached.role = attached.role or role.role
                break
        if attached is None:
            standalone_roles.append(role)
    mentions.extend(standalone_roles)
    mentions.sort(key=lambda mention: mention.start)

    for match in folded.scan(_PRONOUN, before=r"\b"):
        mentions.append(_Mention("pronoun", match.start(), match.end(), match.start(), match[0]))

    mentions.sort(key=lambda mention: mention.start)
    for mention in mentions:
        sentence = document.sentence_at(mention.start)
        mention.credit = sentence.is_credit
        mention.span_start = _extend_over_titles(text, mention.span_start, sentence.start)
        mention.object_context = _is_object(text, mention.span_start, sentence.start)
        mention.dead = _speaks_of_death(text, mention, sentence)
    return mentions


@functools.lru_cache(maxsize=16)
def _not_name_words(meetings: tuple[MeetingRef, ...]) -> frozenset[str]:
    """Words that are never part of a person's name, with the places of the meetings."""
    not_names = set(_NOT_NAME_WORDS)
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


# A word as the lookbacks below read it: word characters, apostrophes, periods and hyphens.
_TOKEN_REVERSED = re.compile(r"[\w’'.-]+")


def _token_before(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    r"""The word ending ``text[start:end]`` but for spaces, with its span: what
    ``re.search(r"([\w’'.-]+)\s*$", text[start:end])`` finds, read from the end instead of
    tried at every position from the start."""
    trimmed = text[start:end].rstrip()
    found = _TOKEN_REVERSED.match(trimmed[::-1])
    if found is None:
        return None
    token_end = start + len(trimmed)
    return token_end - found.end(), token_end, found.group()[::-1]


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
        if word not in _DETERMINERS and word.rstrip(".").split("'")[-1] not in TITLE_WORDS:
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
        if word in _OBJECT_WORDS:
            return True
        if word in _DETERMINERS or word.rstrip(".").split("'")[-1] in TITLE_WORDS:
            position = token_start
            continue
        if not token_text[:1].islower() or skipped >= 2:
            return False
        skipped += 1
        position = token_start
    return False


# Punctuation that ends the clause before a name: no preposition before it governs the name.
_CLAUSE_MARKS = frozenset(",;:(«“»”")


_DEATH = re.compile(
    r"\b(?:deces|mort|death|killing|elimination|tue|killed|disparition|neutralisation)\b"
)
_DEATH_PENDING = re.compile(r"\b(?:proche|imminente?|bientot|sous peu|va |soon|will)\b")


def _speaks_of_death(text: str, mention: _Mention, sentence: _Sentence) -> bool:
    before = fold(text[max(sentence.start, mention.span_start - 40) : mention.start])
    if not _DEATH.search(before):
        return False
    return not _DEATH_PENDING.search(fold(text[mention.end : sentence.end]))


# --- Speech ---------------------------------------------------------------------------------

_ADVERBS = (
    r"encore|également|egalement|aussi|toutefois|pourtant|par\s+ailleurs|en\s+outre|ensuite|"
    r"notamment|enfin|d['’]ailleurs|cependant|néanmoins|donc|alors|ainsi|surtout|aussitôt|"
    r"de\s+son\s+côté|lui-même|elle-même|à\s+son\s+tour|pour\s+sa\s+part|une\s+nouvelle\s+fois|"
    r"en\s+substance|plus\s+tard|clairement|fermement|vivement|déjà|bien|d['’]abord|de\s+nouveau|"
    r"quant\s+à\s+lui|quant\s+à\s+elle|de\s+même|mercredi|mardi|lundi|jeudi|vendredi|samedi|"
    r"dimanche|hier|aujourd['’]hui"
)
_PARTICIPLES = (
    r"déclaré|ajouté|souligné|affirmé|réaffirmé|appelé|plaidé|indiqué|précisé|relevé|estimé|"
    r"insisté|rappelé|expliqué|annoncé|assuré|averti|martelé|noté|jugé|dit|confié|lancé|"
    r"fait\s+valoir|fait\s+savoir|fait\s+observer|fait\s+remarquer|prévenu|exhorté|demandé|"
    r"mis\s+en\s+garde|mis\s+en\s+avant|mis\s+en\s+exergue|reconnu|déploré|dénoncé|poursuivi|"
    r"enchaîné|conclu|répondu|répété|observé|évoqué|commenté|réitéré|signalé|proclamé|promis|"
    r"écrit|tweeté|témoigné|admis|confirmé|exprimé|plaidé|invité|encouragé|exigé|"
    # Verbs that announce the statement that follows ("a fait la déclaration suivante :").
    r"fait\s+(?:la|une|cette|sa)\s+déclaration(?:\s+suivante)?|fait\s+les\s+déclarations"
    r"\s+suivantes|tenu\s+(?:les|ces)\s+propos(?:\s+suivants)?"
)
_REFLEXIVE = r"félicitée?|réjouie?|dite?|inquiétée?|exprimée?|prononcée?|interrogée?|engagée?"
_PRESENT = (
    r"déclare|affirme|réaffirme|souligne|estime|assure|indique|précise|explique|rappelle|"
    r"insiste|appelle|plaide|annonce|ajoute|avertit|dit|martèle|juge|relève|prévient|exhorte|"
    r"reconnaît|déplore|dénonce|se\s+félicite|se\s+dit|se\s+réjouit|met\s+en\s+garde"
)
_PRESENT_PARTICIPLES = (
    r"soulignant|précisant|ajoutant|affirmant|estimant|rappelant|indiquant|expliquant|"
    r"assurant|notant|relevant|appelant|insistant|réaffirmant|avertissant|déclarant|jugeant"
)
_ENGLISH = (
    r"said|says|told|added|stressed|noted|warned|urged|explained|announced|emphasi[sz]ed|"
    r"underlined|highlighted|affirmed|reaffirmed|reiterated|insisted|argued|declared|pledged|"
    r"called\s+(?:on|for)|pointed\s+out|remarked|observed|acknowledged|recalled|asserted|"
    r"commented|tweeted|wrote|welcomed"
)
_SPEECH_VERB = re.compile(
    r"(?P<past>\b(?:a|ont|avait|aurait|avaient)(?:-t-(?P<pron>il|elle|on))?"
    r"(?:\s*,[^,.«»\n]{1,40},)?(?:\s+(?:" + _ADVERBS + r"))*"
    r"(?:\s*,[^,.«»\n]{1,40},)?\s+(?:" + _PARTICIPLES + r")s?\b)"
    r"|(?P<reflexive>\bs['’](?:est|était)(?:-(?P<rpron>il|elle))?(?:\s+(?:" + _ADVERBS + r"))*"
    r"\s+(?:" + _REFLEXIVE + r")\b)"
    r"|(?P<participle>\b(?:" + _PRESENT_PARTICIPLES + r")\b)"
    r"|(?P<selon>\b(?:selon|d['’]après|according\s+to)\s)"
    r"|(?P<english>\b(?:has\s+|had\s+)?(?:" + _ENGLISH + r")\b)"
    r"|(?P<present>\b(?:" + _PRESENT + r")(?:-t-(?P<ppron>il|elle))?\b)",
    re.IGNORECASE,
)
_THAT = re.compile(r"\b(?:que|qu['’]|that)\b", re.IGNORECASE)
_TO_INFINITIVE = re.compile(r"\bà\s+(?=[a-zàâéèêîôûç])")


@dataclass
class _Verb:
    start: int
    end: int
    kind: str
    pronoun: bool
    sentence: _Sentence
    inverted: bool = False
    speaker: _Mention | None = None
    nobody: bool = False
    used_by_quote: bool = False


@dataclass
class _Speaker:
    name: str
    slug: str | None
    evidence: str
    direct: bool = False
    first_at: int = 0


@dataclass
class _Speech:
    quotes: list[QuoteFound] = field(default_factory=list)
    speakers: dict[str, _Speaker] = field(default_factory=dict)  # key: slug or folded name


def _person_key(mention: _Mention) -> str:
    return mention.slug or "?" + fold(mention.text).split(" ")[-1]


def _resolved(
    mentions: list[_Mention], people: dict[str, PersonRef], reference_date: datetime.date | None
) -> list[_Mention | None]:
    """Each mention as the person it stands for at the reference date (see `_resolve`)."""
    named = {mention.slug for mention in mentions if mention.kind == "name"}
    return [_resolve(mention, named, people, reference_date) for mention in mentions]


def _attribute_speech(document: _Document, resolved: list[_Mention | None]) -> _Speech:
    """Who says what: ``resolved`` are the mentions as the people they stand for."""
    text = document.text
    candidates = [
        m for m in resolved if m is not None and not m.credit and not document.in_quote(m.start)
    ]
    verbs = document.verbs()
    speech = _Speech()
    last_speaker: _Mention | None = None
    last_speaker_at = -1

    def antecedent(offset: int) -> _Mention | None:
        subject = _last_subject(candidates, offset, document)
        if subject is not None and (last_speaker is None or subject.start > last_speaker_at):
            return subject
        return last_speaker

    for verb in verbs:
        sentence = verb.sentence
        previous_in_sentence = [
            other
            for other in verbs
            if other.sentence is sentence and other.start < verb.start and other.speaker
        ]
        if verb.pronoun:
            verb.speaker = antecedent(verb.start)
        elif verb.kind == "selon":
            verb.speaker = _first_after(candidates, verb.end, sentence, max_gap=12)
            if verb.speaker is None or verb.speaker.kind == "pronoun":
                verb.speaker, verb.nobody = None, True
        elif verb.inverted:
            verb.speaker = _first_after(candidates, verb.end, sentence, max_gap=70)
            if verb.speaker is None or _THAT.search(text[verb.end : verb.speaker.start]):
                # "X, qui a participé à la réunion, a souligné": a comma, but no inversion.
                verb.inverted = False
                verb.speaker = _subject_before(candidates, verb, text)
        elif verb.kind == "participle":
            verb.speaker = previous_in_sentence[-1].speaker if previous_in_sentence else None
        else:
            verb.speaker = _subject_before(candidates, verb, text)
        if verb.speaker is not None and verb.speaker.kind == "pronoun":
            verb.speaker = antecedent(verb.speaker.start)
        if verb.speaker is not None:
            last_speaker, last_speaker_at = verb.speaker, verb.start

    # Direct quotes: the attribution after the quote wins, then the verb before it in the
    # sentence, then a speaker introducing it from the sentence before.
    for quote_start, quote_end in document.quotes:
        inner = text[quote_start + 1 : quote_end - 1].strip().rstrip(",;:").rstrip()
        if len(re.findall(r"\w+", inner)) < 3:
            continue
        sentence = document.sentence_at(quote_start)
        if sentence.is_credit:
            continue
        in_sentence = [verb for verb in verbs if verb.sentence is sentence]
        next_quote = min(
            (start for start, _ in document.quotes if start > quote_start), default=sentence.end
        )
        chosen = None
        for verb in in_sentence:
            if verb.kind == "selon" or (
                quote_end <= verb.start < next_quote and (verb.inverted or verb.pronoun)
            ):
                chosen = verb
                break
        if chosen is None:
            before = [verb for verb in in_sentence if verb.end <= quote_start]
            if before:
                chosen = before[-1]
        if chosen is None:
            after = [verb for verb in in_sentence if verb.start >= quote_end]
            if after:
                chosen = after[0]
        speaker = chosen.speaker if chosen else None
        introducing = None
        if chosen is None:
            introducing = _introduced_before(document, verbs, sentence, quote_start, quote_end)
            speaker = introducing.speaker if introducing else None
        if chosen is not None and chosen.nobody:
            continue
        if speaker is None:
            continue
        # The verb introducing or closing a quote is that quote's attribution, not a second,
        # indirect quote — unless it introduces a "que" clause the quote is part of.
        if chosen is not None and (
            chosen.start >= quote_end
            or (chosen.end <= quote_start and not _THAT.search(text[chosen.end : quote_start]))
        ):
            chosen.used_by_quote = True
        if introducing is not None and text[
            introducing.end : introducing.sentence.end
        ].rstrip().endswith(":"):
            introducing.used_by_quote = True  # "a fait la déclaration suivante :" « … »
        _record(speech, document, speaker, inner, "direct", quote_start + 1, chosen or introducing)

    for verb in verbs:
        if verb.speaker is None or verb.used_by_quote or verb.nobody:
            continue
        statement = _statement_after_colon(document, verb)
        if statement is not None:
            verb.used_by_quote = True
            start, end = statement
            _record(speech, document, verb.speaker, text[start:end].strip(), "direct", start, verb)

    for verb in verbs:
        if verb.speaker is None or verb.used_by_quote:
            continue
        if verb.kind == "participle" and not _THAT.match(text, _skip_spaces(text, verb.end)):
            continue
        clause = _reported_clause(document, verb, verbs)
        _record(speech, document, verb.speaker, clause, "indirect", verb.start, verb)

    speech.quotes.sort(key=lambda quote: quote.start)
    return speech


def _skip_spaces(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def _find_verbs(document: _Document) -> list[_Verb]:
    text = document.text
    verbs = []
    for match in document.folded.scan(_SPEECH_VERB, before=r"\b"):
        sentence = document.sentence_at(match.start())
        if sentence.is_credit or document.in_quote(match.start()):
            continue
        kind = next(
            name
            for name in ("past", "reflexive", "participle", "selon", "english", "present")
            if match.group(name)
        )
        pronoun = bool(match.group("pron") or match.group("rpron") or match.group("ppron"))
        before = text[sentence.start : match.start()].rstrip()
        inverted = (
            not pronoun
            and kind not in {"selon", "participle"}
            and (not before or before[-1] in ',»”"')
        )
        # A present tense is speech only right after its subject ("Blinken appelle à").
        if (
            kind == "present"
            and not inverted
            and not pronoun
            and not re.search(r"(?:\b[A-ZÀ-Ý][\w’'-]+|\b(?:il|elle)|\w+aine?)\s*$", before)
        ):
            continue
        if kind == "english" and not inverted and match.group(0).lower().startswith("said"):
            inverted = bool(re.search(r"[,”\"]\s*$", before))
        verbs.append(_Verb(match.start(), match.end(), kind, pronoun, sentence, inverted=inverted))
    return verbs


def _resolve(
    mention: _Mention,
    named: set[str | None],
    people: dict[str, PersonRef],
    reference_date: datetime.date | None,
) -> _Mention | None:
    """A role phrase stands for the person holding that role: one named in the article, or
    the holder at the reference date. Other mentions stand for themselves."""
    if mention.kind != "role":
        return mention
    holders = [p for p in people.values() if any(o.role == mention.role for o in p.offices)]

    def holds(person: PersonRef) -> bool:
        return reference_date is not None and any(
            office.role == mention.role
            and office.start <= reference_date
            and (office.end is None or reference_date <= office.end)
            for office in person.offices
        )

    choice = next((p for p in holders if p.slug in named and holds(p)), None)
    if choice is None and reference_date is None:
        named_holders = [p for p in holders if p.slug in named]
        choice = named_holders[0] if len(named_holders) == 1 else None
    if choice is None:
        choice = next((p for p in holders if holds(p)), None)
    if choice is None:
        return None
    return _Mention(
        "name",
        mention.start,
        mention.end,
        mention.span_start,
        mention.text,
        slug=choice.slug,
        role=mention.role,
        object_context=mention.object_context,
        credit=mention.credit,
    )


def _first_after(
    candidates: list[_Mention], offset: int, sentence: _Sentence, *, max_gap: int
) -> _Mention | None:
    for mention in candidates:
        if mention.start < offset or mention.start >= sentence.end:
            continue
        if max(mention.span_start, offset) - offset <= max_gap:
            return mention
        return None
    return None


def _subject_before(candidates: list[_Mention], verb: _Verb, text: str) -> _Mention | None:
    """The nearest person before the verb in its sentence that is not an object."""
    sentence = verb.sentence
    before = [
        mention
        for mention in candidates
        if sentence.start <= mention.start
        and mention.end <= verb.start
        and not mention.object_context
        and not _between_quotes(text, mention.end, verb.start)
    ]
    if not before:
        return None
    nearest = before[-1]
    if verb.kind == "present" and text[nearest.end : verb.start].strip(" ,"):
        return None
    return nearest


def _between_quotes(text: str, start: int, end: int) -> bool:
    # A person named inside a clause that a quote closes off is not the subject after it.
    return bool(re.search(r"[«“]", text[start:end]))


def _last_subject(candidates: list[_Mention], offset: int, document: _Document) -> _Mention | None:
    """For "il a souligné" with no speaker yet: the last person named as a subject nearby."""
    sentence = document.sentence_at(offset)
    window_start = document.sentences[max(0, sentence.index - 2)].start
    for mention in reversed(candidates):
        if mention.end > offset or mention.start < window_start:
            continue
        if mention.kind in {"pronoun"} or mention.object_context:
            continue
        if mention.kind == "unknown" and not mention.honorific:
            continue
        before = document.text[max(window_start, mention.span_start - 5) : mention.span_start]
        if re.search(r"\bqu(?:e\s+|['’])$", before):
            continue  # the subject of a reported clause, not of the sentence
        return mention
    return None


def _introduced_before(
    document: _Document,
    verbs: list[_Verb],
    sentence: _Sentence,
    quote_start: int,
    quote_end: int,
) -> _Verb | None:
    """A quote standing alone as a sentence belongs to whoever spoke just before it (most
    clearly when that sentence ends on a colon: "X a fait la déclaration suivante :")."""
    text = document.text
    outside = text[sentence.start : quote_start] + text[quote_end : sentence.end]
    if len(outside.strip(" .,:;\n")) > 3 or sentence.index == 0:
        return None
    previous = document.sentences[sentence.index - 1]
    earlier = [verb for verb in verbs if verb.sentence is previous and verb.speaker]
    return earlier[-1] if earlier else None


_STATEMENT_INTRODUCTION_MAX = 40


def _statement_after_colon(document: _Document, verb: _Verb) -> tuple[int, int] | None:
    """ "Le ministre a déclaré :" closing a paragraph introduces the next paragraph, written
    without quotation marks, as his own words. Returns that paragraph's span."""
    text, sentence = document.text, verb.sentence
    rest = text[verb.end : sentence.end]
    if not rest.rstrip().endswith(":") or len(rest.strip()) > _STATEMENT_INTRODUCTION_MAX:
        return None
    if "\n" not in text[sentence.end : _skip_spaces(text, sentence.end)]:
        return None  # the statement goes on in the same paragraph: an ordinary sentence
    start = _skip_spaces(text, sentence.end)
    if start >= len(text) or text[start] in _OPENING or text[start] == '"':
        return None  # quoted: the quotation itself is the statement
    end = text.find("\n", start)
    return start, end if end >= 0 else len(text)


def _reported_clause(document: _Document, verb: _Verb, verbs: list[_Verb]) -> str:
    text, sentence = document.text, verb.sentence
    if verb.inverted or verb.kind == "selon":
        start = sentence.start
        for _quote_start, quote_end in document.quotes:
            if sentence.start <= quote_end <= verb.start:
                start = quote_end
        clause = text[start : verb.start]
        if verb.kind == "selon":
            tail = text[verb.end : sentence.end]
            clause = clause.strip() or tail.split(",", 1)[-1]
    else:
        after = text[verb.end : sentence.end]
        that = _THAT.search(after[:60])
        to = (
            _TO_INFINITIVE.search(after[:80])
            if re.search(r"appel", text[verb.start : verb.end], re.I)
            else None
        )
        if that:
            clause = after[that.start() :]
        elif to:
            clause = after[to.start() :]
        else:
            # Without "que", the object runs to the next verb of speech in the sentence.
            following = [
                other.start
                for other in verbs
                if other.sentence is sentence and other.start > verb.end and not other.pronoun
            ]
            clause = after[: min(following, default=sentence.end) - verb.end]
            clause = re.sub(
                r"(?:\s+(?:et|puis|mais|and|then))?\s*(?:\b(?:qui|who)\s*)?$", "", clause
            )
    clause = re.sub(r"\s+", " ", clause).strip(" ,;:.-—–\n")
    return clause


def _record(
    speech: _Speech,
    document: _Document,
    speaker: _Mention,
    text: str,
    kind: str,
    start: int,
    verb: _Verb | None,
) -> None:
    if not text:
        return
    key = _person_key(speaker)
    name = speaker.text if speaker.slug is None else ""
    existing = speech.speakers.get(key)
    at = min(start, verb.start) if verb else start
    if existing is None or at < existing.first_at:
        sentence = verb.sentence if verb else document.sentence_at(start)
        evidence = _evidence_snippet(document, verb, speaker, sentence)
        if existing is None:
            existing = _Speaker(name=name, slug=speaker.slug, evidence=evidence, first_at=at)
            speech.speakers[key] = existing
        existing.evidence, existing.first_at = evidence, at
    existing.direct = existing.direct or kind == "direct"
    if start < document.body_offset:
        return  # the title restates the body; its quotes are not quotes of the article
    speech.quotes.append(
        QuoteFound(
            speaker_name=name,
            speaker_slug=speaker.slug,
            text=text,
            kind=kind,
            start=start - document.body_offset,
        )
    )


def _evidence_snippet(
    document: _Document, verb: _Verb | None, speaker: _Mention, sentence: _Sentence
) -> str:
    text = document.text
    if verb is None:
        return f"« {_shorten(text[sentence.start : sentence.end])} »"
    start = (
        min(verb.start, speaker.span_start) if speaker.span_start >= sentence.start else verb.start
    )
    end = max(verb.end, speaker.end) if speaker.end <= sentence.end else verb.end
    if verb.pronoun or speaker.start < sentence.start:
        start, end = verb.start, verb.end
    return f"« {_shorten(text[start:end])} »"


def _shorten(snippet: str, limit: int = 90) -> str:
    snippet = re.sub(r"\s+", " ", snippet).strip()
    return snippet if len(snippet) <= limit else snippet[: limit - 1].rstrip() + "…"


# --- People found ---------------------------------------------------------------------------


def _people_found(
    document: _Document,
    mentions: list[_Mention],
    speech: _Speech,
    people: dict[str, PersonRef],
) -> tuple[PersonFound, ...]:
    found: list[tuple[int, PersonFound]] = []
    seen: set[str] = set()
    unknown_full: dict[str, str] = {}
    for mention in mentions:
        if mention.kind == "unknown":
            last = fold(mention.text).split(" ")[-1]
            if len(mention.text) > len(unknown_full.get(last, "")):
                unknown_full[last] = mention.text
    for key, speaker in speech.speakers.items():
        if speaker.slug:
            name = people[speaker.slug].name
        else:
            name = unknown_full.get(key[1:], speaker.name)
        seen.add(key)
        found.append(
            (
                speaker.first_at,
                PersonFound(
                    name=name,
                    slug=speaker.slug,
                    role="quoted",
                    quote_kind="direct" if speaker.direct else "indirect",
                    evidence=speaker.evidence,
                ),
            )
        )
    for mention in mentions:
        if mention.kind == "pronoun" or mention.kind == "role":
            continue
        if mention.kind == "unknown" and not mention.honorific:
            continue
        key = _person_key(mention)
        if key in seen:
            continue
        seen.add(key)
        sentence = document.sentence_at(mention.start)
        start = max(sentence.start, mention.span_start - 30)
        end = min(sentence.end, mention.end + 20)
        name = (
            people[mention.slug].name if mention.slug else unknown_full.get(key[1:], mention.text)
        )
        evidence = f"« {_shorten(document.text[start:end])} »"
        if mention.credit:
            evidence = f"crédit ou signature : {evidence}"
        found.append(
            (
                10**9 + mention.start,
                PersonFound(
                    name=name, slug=mention.slug, role="mentioned", quote_kind="", evidence=evidence
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    return tuple(person for _, person in found)


# --- Meetings -------------------------------------------------------------------------------

_MAIN_EVENT = bounded(
    r"se sont reunis|reunis aujourd'hui|se reunissent|se reunit|se reunira"
    r"|ont? debute|a commence|s'est ouverte?|s'ouvre|qui se tient|se tient|se tenait"
    r"|s'est tenue? (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|aujourd'hui|hier"
    r"|ce|le \d)"
    r"|a eu lieu (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|aujourd'hui|hier|ce)"
    r"|a pris part|ont pris part|participe|prend part|accueille|a accueilli|a l'ouverture"
    r"|met (?:today|on)|gathered|convened|hosted|is hosting|took place|opened|kicked off"
)
_MONTHS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_ELSEWHERE_IN_TIME = bounded(
    r"la semaine (?:derniere|passee|precedente|prochaine)|le mois (?:dernier|prochain|precedent)"
    r"|l'an (?:dernier|prochain|passe)|l'annee (?:derniere|prochaine|passee|precedente)"
    r"|en (?:debut|fin) d'annee|a l'automne|au printemps|a l'ete|en ete|a l'hiver|en hiver"
    r"|last (?:week|month|year)|next (?:week|month|year)|earlier this year"
    r"|previous (?:meeting|ministerial)"
    r"|in the (?:spring|fall|autumn|summer|winter)|(?:derniere|precedente) reunion"
    r"|(?:en|de|d'|in|since|au mois de|du mois de) (?:" + _MONTHS + r")(?! \d)"
    r"|(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
    r" (?:dernier|prochain)"
)
_POINTS_AHEAD = bounded(
    r"depuis(?! (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|ce |aujourd))"
    r"|prochaine?s?|d'ici|jusqu'a|cree(?:e|s)? (?:lors|en|par)|a ete creee?|formation|fondee?"
    r"|lors de la reunion|jeter les bases|se tiendra|aura lieu|devrait se tenir|prevue?s?"
    r"|intention de tenir|de tenir|will (?:host|be held|meet)|upcoming|since|founded|established"
    r"|created|formed|launched in|lancee? en"
)
_KIND_PHRASES: list[tuple[re.Pattern[str], dict[str, float], str]] = [
    (
        bounded(r"groupe restreint|petit groupe|small group|core group"),
        {"small_group": 1.0, "small_group_ministerial": 1.0},
        "groupe restreint",
    ),
    (
        bounded(
            r"directeurs politiques|political directors|hauts fonctionnaires|senior officials"
            r"|representants diplomatiques de haut rang|de haut niveau"
        ),
        {"small_group": 1.0},
        "hauts fonctionnaires",
    ),
    (
        bounded(
            r"reunion ministerielle|ministerielle|ministerial|ministres des affaires etrangeres"
            r"|foreign ministers|les ministres|des ministres|chefs de la diplomatie"
        ),
        {"ministerial": 1.0, "small_group_ministerial": 0.7},
        "ministres",
    ),
]
_MEMBER_COUNT = bounded(
    r"(?P<count>\d{2,3}) (?:pays|membres|partenaires|nations|etats|members|countries|partners)"
)
_YEAR = bounded(r"(?P<year>20[0-3]\d)")
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
_WEEKDAY = bounded("|".join(_WEEKDAYS))
_LOCATIVE = re.compile(r"(?:\b(?:a|au|aux|en|in|at|dans la capitale|a l'hotel|de la ville de))\s+$")


@dataclass
class _Clue:
    key: str
    weight: float
    evidence: str


def _rank_meetings(
    document: _Document,
    mentions: list[_Mention],
    speech: _Speech,
    published_on: datetime.date | None,
    meetings: Sequence[MeetingRef],
    people: dict[str, PersonRef],
) -> list[MeetingGuess]:
    clues: dict[str, dict[str, _Clue]] = {meeting.slug: {} for meeting in meetings}

    def vote(meeting: MeetingRef, key: str, weight: float, evidence: str) -> None:
        if weight <= 0:
            return
        current = clues[meeting.slug].get(key)
        if current is None or weight > current.weight:
            clues[meeting.slug][key] = _Clue(key, weight, evidence)

    context = _Context(document)
    _date_clues(document, context, published_on, meetings, vote)
    _place_clues(document, context, meetings, vote)
    _kind_and_size_clues(document, context, meetings, vote)
    _office_clues(document, context, mentions, speech, meetings, people, vote)

    scored = sorted(
        ((sum(clue.weight for clue in found.values()), slug) for slug, found in clues.items()),
        reverse=True,
    )
    if not scored or scored[0][0] < 1.0:
        return []
    best = scored[0][0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    strength = 1 - math.exp(-best / 4)
    guesses = []
    for score, slug in scored:
        if score < max(1.0, 0.3 * best) or len(guesses) == 5:
            break
        if slug == scored[0][1]:
            confidence = strength * (0.4 + 0.6 * (best - second) / best)
        else:
            confidence = strength * 0.4 * score / best
        evidence = tuple(
            clue.evidence
            for clue in sorted(clues[slug].values(), key=lambda clue: clue.weight, reverse=True)
        )
        guesses.append(MeetingGuess(slug=slug, confidence=round(confidence, 2), evidence=evidence))
    return guesses


class _Context:
    """How much a clue at a given place in the text speaks for the meeting being reported."""

    def __init__(self, document: _Document) -> None:
        self.document = document
        folded = document.folded
        self.main = {document.sentence_at(s).index for s, _e, _m in folded.finditer(_MAIN_EVENT)}
        self.elsewhere = [(s, e) for s, e, _m in folded.finditer(_ELSEWHERE_IN_TIME)]
        self.ahead = [(s, e) for s, e, _m in folded.finditer(_POINTS_AHEAD)]
        body_sentences = [s for s in document.sentences if not s.in_title and not s.is_credit]
        self.lead = {sentence.index for sentence in body_sentences[:2]}

    def weight(self, start: int, end: int) -> float:
        sentence = self.document.sentence_at(start)
        if sentence.is_credit:
            return 0.2
        weight = 1.0
        if sentence.in_title:
            weight = 1.8
        elif sentence.index in self.lead:
            weight = 1.5
        if sentence.index in self.main:
            weight = max(weight * 1.2, 1.6)
        if self.points_elsewhere(start, end, sentence):
            weight *= 0.15
        return weight

    def points_elsewhere(self, start: int, end: int, sentence: _Sentence) -> bool:
        for s, e in self.elsewhere:
            if max(sentence.start, start - 60) <= s and e <= min(sentence.end, end + 45):
                return True
        return any(max(sentence.start, start - 90) <= s and e <= start + 1 for s, e in self.ahead)


def _date_clues(document, context, published_on, meetings, vote) -> None:
    text = document.text
    mentions = find_dates(text, reference=published_on, folded=document.folded)
    reference = published_on
    if reference is None:
        # A dateline or header date near the top stands in for the publication date.
        header = [m for m in mentions if m.kind == "explicit" and m.start < 600]
        if header:
            reference = header[0].value
            mentions = find_dates(text, reference=reference, folded=document.folded)
    covered: list[tuple[int, int]] = []
    for mention in mentions:
        end = mention.start + len(mention.text)
        covered.append((mention.start, end))
        weight = context.weight(mention.start, end)
        for meeting in meetings:
            distance = _days_outside(mention.value, meeting)
            strength = _date_strength(distance, mention)
            if strength:
                vote(
                    meeting,
                    f"date:{mention.kind}",
                    strength * weight,
                    f"« {mention.text.strip()} » → {mention.value.isoformat()}",
                )
    for start, end, match in document.folded.finditer(_WEEKDAY):
        if any(s <= start < e for s, e in covered):
            continue
        weekday = _WEEKDAYS[match.group(0)]
        weight = context.weight(start, end)
        for meeting in meetings:
            days = (meeting.end_date - meeting.start_date).days + 1
            weekdays = {(meeting.start_date.weekday() + i) % 7 for i in range(min(days, 7))}
            if weekday in weekdays:
                vote(
                    meeting,
                    "weekday",
                    0.8 * weight,
                    f"« {text[start:end]} » = jour de la réunion ({meeting.start_date})",
                )
    for start, end, match in document.folded.finditer(_YEAR):
        if any(s <= start < e for s, e in covered):
            continue
        year = int(match.group("year"))
        weight = context.weight(start, end)
        for meeting in meetings:
            if meeting.start_date.year == year:
                vote(meeting, "year", 0.5 * weight, f"« {year} »")
    if published_on is not None:
        for meeting in meetings:
            delta = (published_on - meeting.start_date).days
            if -1 <= delta <= 3:
                strength = 2.0
            elif -7 <= delta <= 10:
                strength = 1.0
            elif 0 <= delta <= 45:
                strength = 0.3
            else:
                continue
            vote(meeting, "published", strength, f"publié le {published_on.isoformat()}")


def _days_outside(day: datetime.date, meeting: MeetingRef) -> int:
    if day < meeting.start_date:
        return (meeting.start_date - day).days
    if day > meeting.end_date:
        return (day - meeting.end_date).days
    return 0


def _date_strength(distance: int, mention: DateMention) -> float:
    if distance == 0:
        return 3.0
    if distance <= 1:
        return 2.0
    if distance <= 3:
        return 1.2
    if distance <= 10 and mention.kind == "explicit":
        return 0.4
    return 0.0


@functools.lru_cache(maxsize=16)
def _place_patterns(
    meetings: tuple[MeetingRef, ...],
) -> tuple[tuple[str, re.Pattern[str], tuple[tuple[MeetingRef, str], ...]], ...]:
    """Each place of the meetings: the word its name begins with (folded), its pattern and the
    meetings held there."""
    places: dict[str, list[tuple[MeetingRef, str]]] = {}
    for meeting in meetings:
        for name in (meeting.city, *meeting.city_aliases):
            places.setdefault(fold(name), []).append((meeting, "city"))
        for name in (meeting.country, *meeting.country_aliases):
            places.setdefault(fold(name), []).append((meeting, "country"))
    return tuple(
        (
            leading_word(place),
            bounded(r"\s+".join(re.escape(word) for word in place.split())),
            tuple(targets),
        )
        for place, targets in places.items()
    )


def _place_clues(document, context, meetings, vote) -> None:
    folded, text = document.folded, document.text
    for lead, pattern, targets in _place_patterns(tuple(meetings)):
        if lead and not folded.has_word(lead):
            continue
        for start, end, match in folded.finditer(pattern, lead=lead):
            written = text[start:end]
            if not written[:1].isupper():
                continue
            locative = bool(
                _LOCATIVE.search(folded.folded[max(0, match.start() - 25) : match.start()])
            )
            weight = context.weight(start, end)
            for meeting, kind in targets:
                if kind == "city":
                    strength = 1.5 if locative else 0.5
                else:
                    strength = 1.2 if locative else 0.0
                before = text[max(0, start - 3) : start].strip()
                label = f"« {before + ' ' if locative and before else ''}{written} »"
                vote(meeting, "place", strength * weight, label.replace("«  ", "« "))


def _kind_and_size_clues(document, context, meetings, vote) -> None:
    folded, text = document.folded, document.text
    for pattern, kinds, _label in _KIND_PHRASES:
        for start, end, _match in folded.finditer(pattern):
            weight = context.weight(start, end)
            for meeting in meetings:
                if meeting.kind in kinds:
                    vote(meeting, "kind", kinds[meeting.kind] * weight, f"« {text[start:end]} »")
    for start, end, match in folded.finditer(_MEMBER_COUNT):
        count = int(match.group("count"))
        weight = context.weight(start, end)
        for meeting in meetings:
            if meeting.member_count is None:
                continue
            strength = {0: 1.8, 1: 1.0, 2: 0.5}.get(abs(meeting.member_count - count), 0.0)
            vote(meeting, "members", strength * weight, f"« {text[start:end]} »")


def _office_clues(document, context, mentions, speech, meetings, people, vote) -> None:
    by_person: dict[str, list[_Mention]] = {}
    for mention in mentions:
        if mention.kind == "name" and mention.slug in people:
            by_person.setdefault(mention.slug, []).append(mention)
    speakers = {speaker.slug for speaker in speech.speakers.values() if speaker.slug}
    for slug, found in by_person.items():
        person = people[slug]
        if not person.offices:
            continue
        weight = max(context.weight(m.start, m.end) for m in found)
        weight = min(weight, 1.2) if weight > 0.3 else weight
        short = found[0].text
        if any(mention.dead for mention in found):
            last_end = max((o.end for o in person.offices if o.end), default=None)
            if last_end is not None:
                for meeting in meetings:
                    if meeting.start_date > last_end:
                        vote(
                            meeting,
                            f"after:{slug}",
                            1.5 * weight,
                            f"{short} : mort ({last_end.isoformat()}), réunion après",
                        )
                continue
        roles = {m.role for m in found if m.role}
        offices = [o for o in person.offices if o.role in roles] or list(person.offices)
        strength = 1.5 if slug in speakers else 0.8
        for meeting in meetings:
            for office in offices:
                if office.start <= meeting.start_date and (
                    office.end is None or meeting.start_date <= office.end
                ):
                    years = f"{office.start.year}–{office.end.year if office.end else ''}"
                    title = office.title[:1].lower() + office.title[1:]
                    vote(meeting, f"office:{slug}", strength * weight, f"{short}, {title} {years}")
                    break
