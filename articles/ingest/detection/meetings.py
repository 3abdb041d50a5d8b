"""Which reference meeting the article reports on: clues scored against every meeting."""

from __future__ import annotations

import datetime
import functools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from articles.ingest.dates import DateMention, find_dates
from articles.ingest.names import fold
from articles.ingest.phrases import PhraseIndex
from articles.ingest.spans import ByPosition, Occupied
from articles.ingest.vocabulary.meetings import KIND_WEIGHTS, WEEKDAYS

from .document import Document, Sentence
from .mentions import Mention
from .speech import Speech
from .types import MeetingGuess, MeetingRef, PersonRef

_LOCATIVE = re.compile(r"(?:\b(?:a|au|aux|en|in|at|dans la capitale|a l'hotel|de la ville de))\s+$")


@dataclass
class _Clue:
    key: str
    weight: float
    evidence: str


def rank_meetings(
    document: Document,
    mentions: list[Mention],
    speech: Speech,
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

    def __init__(self, document: Document) -> None:
        self.document = document
        self.main = {
            document.sentence_at(s).index for s, _e, _m in document.folded_matches("main-event")
        }
        self.elsewhere = ByPosition(
            [(s, e) for s, e, _m in document.folded_matches("elsewhere-in-time")],
            operator.itemgetter(0),
        )
        self.ahead = ByPosition(
            [(s, e) for s, e, _m in document.folded_matches("points-ahead")], operator.itemgetter(0)
        )
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

    def points_elsewhere(self, start: int, end: int, sentence: Sentence) -> bool:
        # A phrase within the window both starts and ends in it.
        high = min(sentence.end, end + 45)
        if any(
            e <= high for _s, e in self.elsewhere.within(max(sentence.start, start - 60), high + 1)
        ):
            return True
        return any(
            e <= start + 1
            for _s, e in self.ahead.within(max(sentence.start, start - 90), start + 2)
        )


def _date_clues(document, context, published_on, meetings, vote) -> None:
    covered = _written_date_clues(document, context, published_on, meetings, vote)
    _weekday_and_year_clues(document, context, covered, meetings, vote)
    if published_on is not None:
        for meeting in meetings:
            strength = _publication_strength((published_on - meeting.start_date).days)
            if strength:
                vote(meeting, "published", strength, f"publié le {published_on.isoformat()}")


def _written_date_clues(document, context, published_on, meetings, vote) -> Occupied:
    """Vote for the meetings near each date of the text; returns the characters those dates
    cover."""
    text = document.text
    mentions = find_dates(text, reference=published_on)
    if published_on is None:
        # A dateline or header date near the top stands in for the publication date.
        header = [m for m in mentions if m.kind == "explicit" and m.start < 600]
        if header:
            mentions = find_dates(text, reference=header[0].value)
    covered = Occupied(len(text))
    for mention in mentions:
        end = mention.start + len(mention.text)
        covered.take(mention.start, end)
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
    return covered


def _weekday_and_year_clues(document, context, covered, meetings, vote) -> None:
    """A weekday or a year alone (outside a full date) that matches a meeting's."""
    text = document.text
    for start, end, match in document.folded_matches("weekday"):
        if covered.overlaps(start, start + 1):
            continue
        weekday = WEEKDAYS[match.group(0)]
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
    for start, end, match in document.folded_matches("year"):
        if covered.overlaps(start, start + 1):
            continue
        year = int(match.group("year"))
        weight = context.weight(start, end)
        for meeting in meetings:
            if meeting.start_date.year == year:
                vote(meeting, "year", 0.5 * weight, f"« {year} »")


def _publication_strength(days_after_start: int) -> float:
    """How much a publication that many days after a meeting began speaks for it."""
    if -1 <= days_after_start <= 3:
        return 2.0
    if -7 <= days_after_start <= 10:
        return 1.0
    if 0 <= days_after_start <= 45:
        return 0.3
    return 0.0


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
def _places(
    meetings: tuple[MeetingRef, ...],
) -> tuple[tuple[tuple[tuple[MeetingRef, str], ...], ...], PhraseIndex]:
    """The meetings held at each place (city or country, folded), and an index of the places."""
    places: dict[str, list[tuple[MeetingRef, str]]] = {}
    for meeting in meetings:
        for name in (meeting.city, *meeting.city_aliases):
            places.setdefault(fold(name), []).append((meeting, "city"))
        for name in (meeting.country, *meeting.country_aliases):
            places.setdefault(fold(name), []).append((meeting, "country"))
    targets = tuple(tuple(found) for found in places.values())
    return targets, PhraseIndex([" ".join(place.split()) for place in places])


def _place_clues(document, context, meetings, vote) -> None:
    folded, text = document.folded, document.text
    targets_by_place, index = _places(tuple(meetings))
    matches = index.find(folded.folded)
    for number in sorted(matches):
        for folded_start, folded_end in matches[number]:
            start, end = folded.span(folded_start, folded_end)
            written = text[start:end]
            if not written[:1].isupper():
                continue
            locative = bool(
                _LOCATIVE.search(folded.folded[max(0, folded_start - 25) : folded_start])
            )
            weight = context.weight(start, end)
            for meeting, kind in targets_by_place[number]:
                if kind == "city":
                    strength = 1.5 if locative else 0.5
                else:
                    strength = 1.2 if locative else 0.0
                before = text[max(0, start - 3) : start].strip()
                label = f"« {before + ' ' if locative and before else ''}{written} »"
                vote(meeting, "place", strength * weight, label.replace("«  ", "« "))


def _kind_and_size_clues(document, context, meetings, vote) -> None:
    text = document.text
    for label, kinds in KIND_WEIGHTS.items():
        for start, end, _match in document.folded_matches(f"kind:{label}"):
            weight = context.weight(start, end)
            for meeting in meetings:
                if meeting.kind in kinds:
                    vote(meeting, "kind", kinds[meeting.kind] * weight, f"« {text[start:end]} »")
    for start, end, match in document.folded_matches("member-count"):
        count = int(match.group("count"))
        weight = context.weight(start, end)
        for meeting in meetings:
            if meeting.member_count is None:
                continue
            strength = {0: 1.8, 1: 1.0, 2: 0.5}.get(abs(meeting.member_count - count), 0.0)
            vote(meeting, "members", strength * weight, f"« {text[start:end]} »")


def _office_clues(document, context, mentions, speech, meetings, people, vote) -> None:
    by_person: dict[str, list[Mention]] = {}
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
