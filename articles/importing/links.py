"""The importer's proposals for one article: its meeting, the people it names, their quotes.

Proposals are unconfirmed links that editors accept or correct; detecting again replaces the
unconfirmed ones and keeps what editors confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from articles.bulk_rows import insert_rows
from articles.importing.references import ReferenceData, person_for_unknown_speaker
from articles.ingest.detection import Detection, could_name
from articles.ingest.pipeline import PreparedFile, detect_document
from articles.models import Article, ArticleMeeting, ArticlePerson, Meeting, Person, Quote
from articles.search.queue import queue_index_updates

# The importer proposes a meeting only when detection is at least this sure; editors see the
# evidence either way.
MEETING_CONFIDENCE_FLOOR = 0.2


def current_detection(prepared: PreparedFile, reference: ReferenceData) -> Detection:
    """The worker's detection, or a new one if it was made with older reference data that
    lacked people the article could name."""
    if prepared.detection is not None and 0 <= prepared.detected_with < reference.version:
        added = reference.people_added_since(prepared.detected_with)
        if not could_name(prepared.document.title, prepared.document.body, added):
            # Every file parsed ahead would be detected again each time a run creates a person.
            prepared.detected_with = reference.version
    if prepared.detection is None or prepared.detected_with != reference.version:
        prepared.detection = detect_document(
            prepared.document, reference.meetings, reference.people
        )
        prepared.detected_with = reference.version
    return prepared.detection


def record_detection(article: Article, detection: Detection, *, reference: ReferenceData) -> None:
    """Replace a saved article's unconfirmed proposals with fresh ones; keep editors' choices."""
    confirmed_meetings, confirmed_people = clear_proposals(article)
    proposals = propose_links(
        article,
        detection,
        reference=reference,
        confirmed_meetings=confirmed_meetings,
        confirmed_people=confirmed_people,
    )
    insert_proposals([proposals])
    # The rows go in without a post_save signal: the index hears of them here.
    if proposals.meeting_links or proposals.person_links or proposals.quotes:
        queue_index_updates([article.pk])


def clear_proposals(article: Article) -> tuple[dict[str, int], set[str]]:
    """Delete the article's unconfirmed links and its quotes; return what editors confirmed:
    the meetings (slug to id) and the people (slugs)."""
    article.meeting_links.filter(confirmed=False).delete()
    article.person_links.filter(confirmed=False).delete()
    article.quotes.all().delete()
    confirmed_meetings = dict(article.meeting_links.values_list("meeting__slug", "meeting_id"))
    confirmed_people = set(article.person_links.values_list("person__slug", flat=True))
    return confirmed_meetings, confirmed_people


def insert_proposals(proposals: Sequence[Proposals]) -> None:
    """The rows of these proposals, one statement per kind of row for all of them."""
    for model, rows in (
        (ArticleMeeting, [row for each in proposals for row in each.meeting_links]),
        (ArticlePerson, [row for each in proposals for row in each.person_links]),
        (Quote, [row for each in proposals for row in each.quotes]),
    ):
        insert_rows(model, rows)


class Proposals(NamedTuple):
    """The rows the importer proposes for one article, and the meetings it is then linked to
    (the editors' confirmed ones included)."""

    meeting_links: list[ArticleMeeting]
    person_links: list[ArticlePerson]
    quotes: list[Quote]
    meeting_ids: list[int]


def propose_links(
    article: Article,
    detection: Detection,
    *,
    reference: ReferenceData,
    confirmed_meetings: dict[str, int] | None = None,
    confirmed_people: set[str] | None = None,
) -> Proposals:
    """The meeting, people and quotes detection found, as unsaved rows; links editors have
    confirmed (by slug) are not proposed again. A quoted speaker detection did not know is
    created as a person for editors to review."""
    confirmed_meetings = confirmed_meetings or {}
    confirmed_people = set(confirmed_people or ())
    meeting_ids = list(confirmed_meetings.values())
    meetings_by_slug = reference.rows_by_slug(
        Meeting, reference.meeting_rows, [g.slug for g in detection.meetings[:1]]
    )
    meeting_links = []
    for guess in detection.meetings[:1]:
        if guess.confidence < MEETING_CONFIDENCE_FLOOR or guess.slug in confirmed_meetings:
            continue
        meeting = meetings_by_slug.get(guess.slug)
        if meeting is not None:
            meeting_links.append(
                ArticleMeeting(
                    article=article,
                    meeting=meeting,
                    confidence=max(0.0, min(1.0, guess.confidence)),
                    evidence="\n".join(guess.evidence),
                )
            )
            meeting_ids.append(meeting.pk)

    people_by_slug = reference.rows_by_slug(
        Person, reference.person_rows, [found.slug for found in detection.people]
    )
    person_for_name: dict[str, Person] = {}
    person_links = []
    for found in detection.people:
        person = people_by_slug.get(found.slug) if found.slug else None
        if person is None:
            if found.role != ArticlePerson.Role.QUOTED:
                continue  # unknown people merely mentioned are not worth a record
            person = person_for_unknown_speaker(found.name, reference=reference)
        person_for_name[found.name] = person
        if person.slug in confirmed_people:
            continue
        confirmed_people.add(person.slug)
        person_links.append(
            ArticlePerson(
                article=article,
                person=person,
                role=found.role,
                quote_kind=found.quote_kind if found.role == ArticlePerson.Role.QUOTED else "",
                evidence=found.evidence,
            )
        )

    quotes = []
    for quote in detection.quotes:
        person = people_by_slug.get(quote.speaker_slug) if quote.speaker_slug else None
        person = person or person_for_name.get(quote.speaker_name)
        if person is None or not quote.text.strip():
            continue
        quotes.append(
            Quote(
                article=article,
                person=person,
                text=quote.text.strip(),
                kind=quote.kind,
                position=max(0, quote.start),
            )
        )
    return Proposals(meeting_links, person_links, quotes, meeting_ids)
