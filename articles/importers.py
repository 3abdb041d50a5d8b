"""Write parsed articles into the archive: idempotent, one transaction per file.

``ingest`` parses and detects (pure functions); this module decides what a file means for the
database (created, updated, unchanged, near-duplicate) and records the importer's proposals
(meeting, speakers, quotes) for editors to check.
"""

from __future__ import annotations

import enum
import glob
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.ingest import IngestError, ParsedDocument, parse_file
from articles.ingest.detection import (
    Detection,
    MeetingRef,
    OfficeRef,
    PersonRef,
    detect,
)
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Person,
    Quote,
    Source,
    content_hash,
)

IMPORTER_VERSION = "1.0"
SUPPORTED_SUFFIXES = {".txt", ".html", ".htm"}
# Above this word-shingle overlap, two articles are the same dispatch republished with edits.
NEAR_DUPLICATE_THRESHOLD = 0.6
SHINGLE_SIZE = 5
# The importer proposes a meeting only when detection is at least this sure; editors see the
# evidence either way.
MEETING_CONFIDENCE_FLOOR = 0.2


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass
class ImportResult:
    name: str
    outcome: Outcome
    message: str = ""
    article: Article | None = None
    duplicate_of: Article | None = None


@dataclass
class ImportSummary:
    results: list[ImportResult] = field(default_factory=list)

    def add(self, result: ImportResult) -> None:
        self.results.append(result)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failed(self) -> list[ImportResult]:
        return [result for result in self.results if result.outcome == Outcome.FAILED]

    def line(self) -> str:
        return ", ".join(
            f"{label} {self.count(outcome)}"
            for label, outcome in [
                ("created", Outcome.CREATED),
                ("updated", Outcome.UPDATED),
                ("unchanged", Outcome.UNCHANGED),
                ("duplicates", Outcome.DUPLICATE),
                ("failed", Outcome.FAILED),
            ]
        )


class DryRunRollback(Exception):
    """Raised inside a dry run's transaction so that nothing it wrote is kept."""


# --- Reference data for detection -----------------------------------------------------------


@dataclass
class ReferenceData:
    """Meetings and people as detection sees them, loaded once per import run."""

    meetings: list[MeetingRef]
    people: list[PersonRef]

    @classmethod
    def load(cls) -> ReferenceData:
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
            for meeting in Meeting.objects.all()
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
            for person in Person.objects.prefetch_related("offices")
        ]
        return cls(meetings=meetings, people=people)

    def add_person(self, person: Person) -> None:
        self.people.append(PersonRef(slug=person.slug, name=person.name, aliases=(), offices=()))


# --- Files -----------------------------------------------------------------------------------


def collect_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Expand files, folders (recursively) and globs into importable files, sorted by name.

    Returns the files and the arguments that matched nothing, so the caller can report them.
    A file named explicitly is always tried (and fails clearly if its type is unsupported).
    """
    found: dict[Path, None] = {}
    unmatched: list[str] = []
    for argument in paths:
        path = Path(argument)
        if path.is_file():
            found[path] = None
            continue
        roots = (
            [path]
            if path.is_dir()
            else [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
        )
        matched = False
        for root in roots:
            files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
            for candidate in files:
                if candidate.suffix.lower() in SUPPORTED_SUFFIXES:
                    found[candidate] = None
                    matched = True
        if not matched:
            unmatched.append(argument)
    return list(found), unmatched


def import_files(
    files: Iterable[Path],
    *,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
    dry_run: bool = False,
    progress=None,
) -> ImportSummary:
    """Import each file in its own transaction; a failing file never stops the others."""
    summary = ImportSummary()
    reference = ReferenceData.load()
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as error:
            result = ImportResult(path.name, Outcome.FAILED, f"cannot read the file: {error}")
        else:
            result = import_article(
                raw=raw,
                filename=path.name,
                source_name=source_name,
                status=status,
                dry_run=dry_run,
                reference=reference,
            )
        summary.add(result)
        if progress is not None:
            progress(result)
    return summary


# --- One article -----------------------------------------------------------------------------


def import_article(
    *,
    raw: bytes,
    filename: str,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
    dry_run: bool = False,
    reference: ReferenceData | None = None,
) -> ImportResult:
    """Parse one file and write it, all or nothing. Never raises for bad input."""
    try:
        document = parse_file(raw, filename=filename)
    except IngestError as error:
        return ImportResult(filename, Outcome.FAILED, str(error))
    if status not in Article.Status.values:
        return ImportResult(filename, Outcome.FAILED, f"unknown status {status!r}")
    reference = reference or ReferenceData.load()
    try:
        with transaction.atomic():
            result = _write_article(
                document,
                raw=raw,
                filename=filename,
                source_name=source_name,
                status=status,
                reference=reference,
            )
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        result.article = None
        return result
    except Exception as error:  # one bad file must not stop an import run
        return ImportResult(filename, Outcome.FAILED, f"{type(error).__name__}: {error}")
    return result


def _write_article(
    document: ParsedDocument,
    *,
    raw: bytes,
    filename: str,
    source_name: str,
    status: str,
    reference: ReferenceData,
) -> ImportResult:
    digest = content_hash(document.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        return ImportResult(filename, Outcome.UNCHANGED, "already in the archive", existing)

    article = None
    if document.canonical_url:
        article = Article.objects.filter(canonical_url=document.canonical_url).first()
    outcome = Outcome.UPDATED if article is not None else Outcome.CREATED
    if article is None:
        article = Article(status=status, slug=unique_article_slug(document.title))

    article.title = document.title[:500]
    article.title_is_derived = document.title_is_derived
    article.lead = document.lead
    article.body = document.body
    article.language = (
        document.language
        if document.language in Article.Language.values
        else Article.Language.OTHER
    )
    article.published_on = document.published_on
    article.date_evidence = document.date_evidence[:255]
    article.source = resolve_source(document.source_name or source_name)
    article.canonical_url = document.canonical_url
    article.content_hash = digest
    article.original_filename = filename[:500]
    article.source_format = document.format
    article.raw_file = raw
    article.raw_encoding = document.encoding
    article.imported_at = timezone.now()
    article.importer_version = IMPORTER_VERSION
    article.full_clean(validate_unique=False)
    article.save()

    detection = detect(
        title=document.title,
        body=document.body,
        published_on=document.published_on,
        meetings=reference.meetings,
        people=reference.people,
    )
    record_detection(article, detection, reference=reference)

    twin, shared = find_near_duplicate(article)
    if twin is not None:
        article.near_duplicate_of = twin
        article.near_duplicate_similarity = round(shared, 3)
        article.save(update_fields=["near_duplicate_of", "near_duplicate_similarity"])
        return ImportResult(
            filename,
            Outcome.DUPLICATE,
            f"near-duplicate of « {twin.title} » ({shared:.0%} shared)",
            article,
            duplicate_of=twin,
        )
    return ImportResult(filename, outcome, "", article)


def record_detection(article: Article, detection: Detection, *, reference: ReferenceData) -> None:
    """Replace the importer's unconfirmed proposals with fresh ones; keep editors' choices."""
    article.meeting_links.filter(confirmed=False).delete()
    article.person_links.filter(confirmed=False).delete()
    article.quotes.all().delete()

    confirmed_meetings = set(article.meeting_links.values_list("meeting__slug", flat=True))
    meetings_by_slug = Meeting.objects.in_bulk(
        [g.slug for g in detection.meetings], field_name="slug"
    )
    for guess in detection.meetings[:1]:
        if guess.confidence < MEETING_CONFIDENCE_FLOOR or guess.slug in confirmed_meetings:
            continue
        meeting = meetings_by_slug.get(guess.slug)
        if meeting is not None:
            ArticleMeeting.objects.create(
                article=article,
                meeting=meeting,
                confidence=max(0.0, min(1.0, guess.confidence)),
                evidence="\n".join(guess.evidence),
            )

    confirmed_people = set(article.person_links.values_list("person__slug", flat=True))
    people_by_slug = Person.objects.in_bulk(
        [found.slug for found in detection.people if found.slug], field_name="slug"
    )
    person_for_name: dict[str, Person] = {}
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
        ArticlePerson.objects.create(
            article=article,
            person=person,
            role=found.role,
            quote_kind=found.quote_kind if found.role == ArticlePerson.Role.QUOTED else "",
            evidence=found.evidence,
        )

    for quote in detection.quotes:
        person = people_by_slug.get(quote.speaker_slug) if quote.speaker_slug else None
        person = person or person_for_name.get(quote.speaker_name)
        if person is None or not quote.text.strip():
            continue
        Quote.objects.create(
            article=article,
            person=person,
            text=quote.text.strip(),
            kind=quote.kind,
            position=max(0, quote.start),
        )


def person_for_unknown_speaker(name: str, *, reference: ReferenceData) -> Person:
    """The Person for a quoted speaker detection did not know, created for editors to review."""
    slug = slugify(name)[:100] or "intervenant"
    person, created = Person.objects.get_or_create(
        slug=slug, defaults={"name": name[:200], "needs_review": True}
    )
    if created:
        reference.add_person(person)
    return person


def resolve_source(name: str) -> Source | None:
    """The Source a file names, matched on name or alias whatever the accents and case."""
    name = " ".join(name.split())
    if not name:
        return None
    wanted = fold(name)
    for source in Source.objects.all():
        if wanted in {fold(source.name), *(fold(alias) for alias in source.aliases)}:
            return source
    slug = slugify(name)[:100] or "source"
    source, _ = Source.objects.get_or_create(slug=slug, defaults={"name": name[:200]})
    return source


def unique_article_slug(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "article"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


# --- Near-duplicates -------------------------------------------------------------------------


WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    words = WORD.findall(fold(text))
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def shingle_overlap(first: set, second: set) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def near_duplicate_candidates(article: Article) -> Iterator[Article]:
    """Articles that could be the same dispatch: same meeting, or published within two days."""
    candidates = Article.objects.exclude(pk=article.pk).filter(near_duplicate_of__isnull=True)
    meeting_ids = list(article.meeting_links.values_list("meeting_id", flat=True))
    if meeting_ids:
        candidates = candidates.filter(meeting_links__meeting_id__in=meeting_ids)
    elif article.published_on:
        window = timezone.timedelta(days=2)
        candidates = candidates.filter(
            published_on__range=(article.published_on - window, article.published_on + window)
        )
    else:
        return iter(())
    return candidates.only("id", "title", "body").order_by("id").distinct()[:500].iterator()


def find_near_duplicate(article: Article) -> tuple[Article | None, float]:
    own = shingles(article.body)
    best, best_score = None, 0.0
    for candidate in near_duplicate_candidates(article):
        score = shingle_overlap(own, shingles(candidate.body))
        if score > best_score:
            best, best_score = candidate, score
    if best_score >= NEAR_DUPLICATE_THRESHOLD:
        return best, best_score
    return None, best_score
