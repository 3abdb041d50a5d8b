"""Detect which coalition meeting an article reports on, who speaks in it and what they said.

Pure functions over plain text and reference data (no Django, no database). Every clue that can
tie an article to a meeting (dates, weekday, city or country, kind of meeting, number of members,
who held which office when, events such as a death) is scored against every reference meeting;
clues in the title, the lead and sentences that report the event weigh most, clues near words
that point elsewhere in time ("la semaine dernière", "prochaine", "depuis") weigh little.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from articles.ingest.names import FoldedText, fold, leading_word, stands_whole

from .document import Document
from .meetings import rank_meetings
from .mentions import find_mentions
from .roles import people_found, resolve_mentions
from .speech import attribute_speech
from .types import (
    REFERENCE_PATH,
    Detection,
    MeetingGuess,
    MeetingRef,
    OfficeRef,
    PersonFound,
    PersonRef,
    QuoteFound,
    load_reference,
)

__all__ = [
    "REFERENCE_PATH",
    "Detection",
    "MeetingGuess",
    "MeetingRef",
    "OfficeRef",
    "PersonFound",
    "PersonRef",
    "QuoteFound",
    "could_name",
    "detect",
    "load_reference",
]


def detect(
    *,
    title: str,
    body: str,
    published_on: datetime.date | None,
    meetings: Sequence[MeetingRef],
    people: Sequence[PersonRef],
) -> Detection:
    """Guess the meeting an article reports on, the people in it and their quotes."""
    document = Document.of(title, body)
    by_slug = {person.slug: person for person in people}
    mentions = find_mentions(document, people, meetings)
    # Speakers first without a meeting date (roles resolve through names only), then again
    # with the best meeting's date, so that a bare "le secrétaire d'État" finds its holder.
    resolved = resolve_mentions(mentions, by_slug, published_on)
    speech = attribute_speech(document, resolved)
    ranked = rank_meetings(document, mentions, speech, published_on, meetings, by_slug)
    meeting_by_slug = {meeting.slug: meeting for meeting in meetings}
    reference_date = published_on
    if ranked:
        reference_date = meeting_by_slug[ranked[0].slug].start_date
    if reference_date != published_on:
        # Only a role's holder depends on the date: the same people give the same speech.
        again = resolve_mentions(mentions, by_slug, reference_date)
        if again != resolved:
            speech = attribute_speech(document, again)
    return Detection(
        meetings=tuple(ranked),
        people=people_found(document, mentions, speech, by_slug),
        quotes=tuple(speech.quotes),
    )


def could_name(title: str, body: str, people: Sequence[PersonRef]) -> bool:
    """Whether detection could find one of ``people`` in this article.

    A person without offices is found by a name or alias only, and never where the word each
    begins with is missing from the folded text (``find_names`` finds a spelling only where it
    stands whole): then a detection made without these people is the one made with them.
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
