"""The meetings, people and sources an import links to: read once per run, created when missing.

Rows created by a file join the run's cache only once that file's transaction commits, so a
failed or dry-run file leaves nothing behind here either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from articles.importing.near_duplicates import NearDuplicateIndex
from articles.ingest.detection import Detection, MeetingRef, OfficeRef, PersonRef
from articles.ingest.shingles import fold
from articles.models import ArticlePerson, Meeting, Person, Source


@dataclass
class ReferenceData:
    """Meetings, people and sources as one import run sees them, loaded once and reused.

    ``meetings`` and ``people`` are what detection reads; the rows are what the importer links
    to. ``version`` counts the people added during the run: a detection made with an older
    version is made again.
    """

    meetings: list[MeetingRef]
    people: list[PersonRef]
    meeting_rows: dict[str, Meeting] = field(default_factory=dict)
    person_rows: dict[str, Person] = field(default_factory=dict)
    sources: list[Source] | None = None
    version: int = 0
    near_duplicates: NearDuplicateIndex = field(default_factory=lambda: NearDuplicateIndex())
    _loaded_people: int = 0

    def __post_init__(self) -> None:
        self._loaded_people = len(self.people)

    @classmethod
    def load(cls) -> ReferenceData:
        meeting_rows = list(Meeting.objects.all())
        person_rows = list(Person.objects.prefetch_related("offices"))
        meetings = [
            MeetingRef(
                slug=meeting.slug,
                title=meeting.title,
                kind=meeting.kind,
                city=meeting.city,
                city_aliases=tuple(meeting.city_aliases),
                country=meeting.country,
                country_aliases=tuple(meeting.country_aliases),
                start_date=meeting.start_date,
                end_date=meeting.end_date,
                member_count=meeting.member_count,
            )
            for meeting in meeting_rows
        ]
        people = [
            PersonRef(
                slug=person.slug,
                name=person.name,
                aliases=tuple(person.aliases),
                offices=tuple(
                    OfficeRef(
                        role=office.role,
                        title=office.title,
                        start=office.start_date,
                        end=office.end_date,
                    )
                    for office in person.offices.all()
                ),
            )
            for person in person_rows
        ]
        return cls(
            meetings=meetings,
            people=people,
            meeting_rows={meeting.slug: meeting for meeting in meeting_rows},
            person_rows={person.slug: person for person in person_rows},
            sources=list(Source.objects.all()),
        )

    def add_person(self, person: Person) -> None:
        """A person created during the run: detection knows the name from the next file on."""
        self.people.append(PersonRef(slug=person.slug, name=person.name, aliases=(), offices=()))
        self.version += 1

    @property
    def added_people(self) -> tuple[PersonRef, ...]:
        return tuple(self.people[self._loaded_people :])

    def people_added_since(self, version: int) -> list[PersonRef]:
        return self.people[self._loaded_people + version :]

    def rows_by_slug(self, model, cache: dict, slugs: Iterable[str]) -> dict:
        """Rows of ``model`` for these slugs, from the cache or (once) from the database."""
        slugs = [slug for slug in dict.fromkeys(slugs) if slug]
        missing = [slug for slug in slugs if slug not in cache]
        if missing:
            cache.update(model.objects.in_bulk(missing, field_name="slug"))
        return {slug: cache[slug] for slug in slugs if slug in cache}

    def after_commit(self, action) -> None:
        """Apply ``action`` to the cache when the current transaction commits, never before."""
        transaction.on_commit(action)


def creates_people(detection: Detection, *, reference: ReferenceData) -> bool:
    """Whether proposing this detection's links would create a person (a quoted speaker
    neither detection nor the run's people know)."""
    known = reference.rows_by_slug(
        Person, reference.person_rows, [found.slug for found in detection.people]
    )
    return any(
        found.role == ArticlePerson.Role.QUOTED
        and not (found.slug and found.slug in known)
        and unknown_speaker_slug(found.name) not in reference.person_rows
        for found in detection.people
    )


def unknown_speaker_slug(name: str) -> str:
    return slugify(name)[:100] or "intervenant"


def person_for_unknown_speaker(name: str, *, reference: ReferenceData) -> Person:
    """The Person for a quoted speaker detection did not know, created for editors to review."""
    slug = unknown_speaker_slug(name)
    person = reference.person_rows.get(slug)
    if person is not None:
        return person
    person, created = Person.objects.get_or_create(
        slug=slug, defaults={"name": name[:200], "needs_review": True}
    )
    if created:
        reference.add_person(person)
    reference.after_commit(lambda: reference.person_rows.setdefault(slug, person))
    return person


def find_source(name: str, *, reference: ReferenceData | None = None) -> tuple[bool, Source | None]:
    """Whether the Source a file names is known (True for no name), and that source: matched
    on name or alias whatever the accents and case."""
    name = " ".join(name.split())
    if not name:
        return True, None
    wanted = fold(name)
    sources = reference.sources if reference is not None else None
    if sources is None:
        sources = list(Source.objects.all())
        if reference is not None:
            reference.sources = sources
    for source in sources:
        if wanted in {fold(source.name), *(fold(alias) for alias in source.aliases)}:
            return True, source
    return False, None


def resolve_source(name: str, *, reference: ReferenceData | None = None) -> Source | None:
    """The Source a file names, created if no source has that name or alias."""
    found, source = find_source(name, reference=reference)
    if found:
        return source
    name = " ".join(name.split())
    slug = slugify(name)[:100] or "source"
    source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name[:200]})
    if reference is not None:
        # Reloaded in name order on next use, once this file's transaction has committed.
        reference.after_commit(lambda: setattr(reference, "sources", None))
    return source
