"""Whom a mention stands for (a role phrase, its holder at a date) and the people found."""

from __future__ import annotations

import datetime

from articles.ingest.names import fold

from .document import Document
from .mentions import Mention, person_key
from .speech import Speech, shorten
from .types import PersonFound, PersonRef


def resolve_mentions(
    mentions: list[Mention], people: dict[str, PersonRef], reference_date: datetime.date | None
) -> list[Mention | None]:
    """Each mention as the person it stands for at the reference date (see `resolve`)."""
    named = {mention.slug for mention in mentions if mention.kind == "name"}
    return [resolve(mention, named, people, reference_date) for mention in mentions]


def resolve(
    mention: Mention,
    named: set[str | None],
    people: dict[str, PersonRef],
    reference_date: datetime.date | None,
) -> Mention | None:
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
    return Mention(
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


def people_found(
    document: Document,
    mentions: list[Mention],
    speech: Speech,
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
        key = person_key(mention)
        if key in seen:
            continue
        seen.add(key)
        sentence = document.sentence_at(mention.start)
        start = max(sentence.start, mention.span_start - 30)
        end = min(sentence.end, mention.end + 20)
        name = (
            people[mention.slug].name if mention.slug else unknown_full.get(key[1:], mention.text)
        )
        evidence = f"« {shorten(document.text[start:end])} »"
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
