"""Write parsed articles into the archive: idempotent, each file all or nothing.

``ingest`` parses and detects (pure functions, run in worker processes for large imports); this
module decides what a file means for the database (created, updated, unchanged, near-duplicate)
and records the importer's proposals (meeting, speakers, quotes) for editors to check.

A run writes the files that simply add an article in batches, one transaction and one statement
per kind of row for the whole batch; a file that needs more (an earlier version, a new person or
source, a message of its own) gets its own transaction. A batch that fails is written again file
by file, so a bad file fails alone and the others are kept.
"""

from __future__ import annotations

import enum
import glob
import logging
import multiprocessing
import os
from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.bulk_rows import insert_rows
from articles.indexing import queue_index_updates
from articles.ingest.detection import (
    Detection,
    MeetingRef,
    OfficeRef,
    PersonRef,
    could_name,
)
from articles.ingest.pipeline import (
    PreparedFile,
    detect_document,
    prepare_in_worker,
    prepare_path,
    prepare_raw,
    start_worker,
)
from articles.ingest.shingles import (
    SHINGLE_SIZE,
    fold,
    shingle_overlap,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)
from articles.models import (
    Article,
    ArticleFingerprint,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Person,
    Quote,
    Source,
    content_hash,
)

logger = logging.getLogger(__name__)

__all__ = [
    "SHINGLE_SIZE",
    "fold",
    "import_article",
    "import_files",
    "shingle_overlap",
    "shingles",
]

IMPORTER_VERSION = "1.0"
SUPPORTED_SUFFIXES = {".txt", ".html", ".htm"}
# Above this word-shingle overlap, two articles are the same dispatch republished with edits.
NEAR_DUPLICATE_THRESHOLD = 0.6
# A new file is compared with at most this many earlier articles (the oldest first).
NEAR_DUPLICATE_CANDIDATES = 500
# The importer proposes a meeting only when detection is at least this sure; editors see the
# evidence either way.
MEETING_CONFIDENCE_FLOOR = 0.2
# Below this many files, starting worker processes costs more than it saves.
POOL_MIN_FILES = 100
# New articles written in one transaction: the statements a file costs on its own (its lookup,
# the article, its index update, links, quotes, signature, near-duplicate candidates) are then
# sent once for the batch.
WRITE_BATCH_SIZE = 32


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


# --- Reference data, loaded once per import run ---------------------------------------------


@dataclass
class ReferenceData:
    """Meetings, people and sources as one import run sees them, loaded once and reused.

    ``meetings`` and ``people`` are what detection reads; the rows are what the importer links
    to. Rows created by a file join the cache only once that file's transaction commits, so a
    failed or dry-run file leaves nothing behind here either. ``version`` counts the people
    added during the run: a detection made with an older version is made again.
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
    workers: int | None = None,
    batch_size: int = WRITE_BATCH_SIZE,
) -> ImportSummary:
    """Import each file all or nothing; a failing file never stops the others.

    Reading, parsing and detection run in ``workers`` processes (default: one per core, up to
    two, for imports of at least ``POOL_MIN_FILES`` files); the database writes stay in this
    process, in file order, so the result is the same whatever the number of workers. New
    articles are written ``batch_size`` files at a time (1: each file in its own transaction,
    as a dry run does); the result is the same as file by file. ``progress`` hears of each file
    once it is written.
    """
    files = list(files)
    summary = ImportSummary()
    reference = ReferenceData.load()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(files) >= POOL_MIN_FILES else 1
    if (
        dry_run
        or status not in Article.Status.values
        or not connection.features.can_return_rows_from_bulk_insert  # the links need the ids
    ):
        batch_size = 1
    options = {"source_name": source_name, "status": status, "reference": reference}

    def report(result: ImportResult) -> None:
        summary.add(result)
        if progress is not None:
            progress(result)

    batch: list[PreparedFile] = []
    prepared_files = _prepared_files(files, reference=reference, workers=workers, ahead=batch_size)
    for prepared in prepared_files:
        if batch_size <= 1:
            report(_import_prepared(prepared, dry_run=dry_run, **options))
            continue
        batch.append(prepared)
        if len(batch) >= batch_size:
            for result in _import_batch(batch, **options):
                report(result)
            batch = []
    for result in _import_batch(batch, **options):
        report(result)
    return summary


def _prepared_files(files: list[Path], *, reference: ReferenceData, workers: int, ahead: int = 1):
    """The files read and parsed, in order: here, or ahead of the writes in worker processes.

    The workers keep a batch's worth of files (``ahead``) and a few more in hand, so they go on
    while the batch before is being written.
    """
    if workers <= 1 or len(files) < 2:
        for path in files:
            yield prepare_path(path)
        return
    # Spawned, not forked: a forked child would share this process's database connection.
    context = multiprocessing.get_context("spawn")
    window = 8 * workers + ahead
    try:
        pool = context.Pool(
            workers, initializer=start_worker, initargs=(reference.meetings, reference.people)
        )
    except OSError:  # no processes to be had here (limits, sandbox): one process it is
        for path in files:
            yield prepare_path(path)
        return
    with pool:
        pending: deque = deque()
        queued = iter(files)

        def submit() -> None:
            path = next(queued, None)
            if path is not None:
                task = (str(path), reference.version, reference.added_people)
                pending.append((path, pool.apply_async(prepare_in_worker, (task,))))

        for _ in range(window):
            submit()
        while pending:
            path, outcome = pending.popleft()
            prepared = outcome.get()
            submit()
            # A worker that met an unexpected parsing error leaves it to be met here again.
            yield prepare_path(path) if prepared.parse_crashed else prepared


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
    return _import_prepared(
        prepare_raw(raw, filename=filename),
        source_name=source_name,
        status=status,
        dry_run=dry_run,
        reference=reference,
    )


def _import_prepared(
    prepared: PreparedFile,
    *,
    source_name: str,
    status: str,
    dry_run: bool,
    reference: ReferenceData | None,
) -> ImportResult:
    filename = prepared.name
    if prepared.error or prepared.document is None:
        return ImportResult(filename, Outcome.FAILED, prepared.error)
    if status not in Article.Status.values:
        return ImportResult(filename, Outcome.FAILED, f"unknown status {status!r}")
    reference = reference or ReferenceData.load()
    try:
        with transaction.atomic():
            result = _write_article(
                prepared,
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
    prepared: PreparedFile,
    *,
    source_name: str,
    status: str,
    reference: ReferenceData,
) -> ImportResult:
    document, filename = prepared.document, prepared.name
    digest = content_hash(document.body)
    url = document.canonical_url
    base = slug_base(document.title)
    # One round trip: the same text, the same page (canonical URL) in an earlier version, and
    # the slugs already taken by this title.
    lookup = Q(content_hash=digest) | Q(slug__startswith=base)
    if url:
        lookup |= Q(canonical_url=url)
    matches = list(
        Article.objects.filter(lookup)
        .order_by()
        .values_list("pk", "content_hash", "canonical_url", "slug")
    )
    existing = next((pk for pk, hashed, _url, _slug in matches if hashed == digest), None)
    if existing is not None:
        existing = Article.objects.get(pk=existing)
        return ImportResult(filename, Outcome.UNCHANGED, "already in the archive", existing)

    article = None
    if url:
        same_page = next((pk for pk, _hash, other, _slug in matches if other == url), None)
        if same_page is not None:
            article = Article.objects.get(pk=same_page)
    outcome = Outcome.UPDATED if article is not None else Outcome.CREATED
    if article is None:
        taken = {slug for _pk, _hash, _url, slug in matches}
        article = Article(status=status, slug=first_free_slug(base, taken))

    source = resolve_source(document.source_name or source_name, reference=reference)
    fill_article(article, prepared, digest=digest, source=source)
    article.save()

    detection = current_detection(prepared, reference)
    meeting_ids = record_detection(
        article,
        detection,
        reference=reference,
        is_new=outcome == Outcome.CREATED,
        queue_index=False,  # saving the article above queued its index update
    )

    own = prepared.signature if prepared.signature is not None else signature(document.body)
    store_fingerprint(article, own, is_new=outcome == Outcome.CREATED, reference=reference)
    twin, shared = find_near_duplicate(
        article, meeting_ids=meeting_ids, own=own, reference=reference
    )
    if outcome == Outcome.CREATED:
        _joins_candidates(article, meeting_ids, flagged=twin is not None, reference=reference)
    if twin is not None:
        return flag_near_duplicate(article, twin, shared, filename=filename)
    return ImportResult(filename, outcome, "", article)


def fill_article(
    article: Article, prepared: PreparedFile, *, digest: str, source: Source | None
) -> None:
    """Set what the file says on ``article`` and check the fields; raises ValidationError."""
    document = prepared.document
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
    article.source = source
    article.canonical_url = document.canonical_url
    article.content_hash = digest
    article.original_filename = prepared.name[:500]
    article.source_format = document.format
    article.raw_file = prepared.raw
    article.raw_encoding = document.encoding
    article.imported_at = timezone.now()
    article.importer_version = IMPORTER_VERSION
    # Field checks give clear messages; the unique and check constraints are the database's
    # (the lookups already matched the content hash and the canonical URL), and so is the
    # source's foreign key (the source was just read or created).
    article.full_clean(exclude=["source"], validate_unique=False, validate_constraints=False)


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


def flag_near_duplicate(
    article: Article, twin: Article, shared: float, *, filename: str
) -> ImportResult:
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


# --- Batches of new articles -----------------------------------------------------------------


@dataclass
class _NewArticle:
    """A file of a batch that only adds an article: no earlier version or copy of it in the
    archive, its people and source known, its fields valid."""

    prepared: PreparedFile
    article: Article
    detection: Detection
    signature: np.ndarray
    proposals: Proposals | None = None


def _import_batch(
    files: list[PreparedFile], *, source_name: str, status: str, reference: ReferenceData
) -> list[ImportResult]:
    """The results of ``files`` in order, as importing them one by one would give.

    The new articles are written together, up to the first file that needs its own
    transaction; that file is imported on its own, and the batch goes on after it.
    """
    options = {"source_name": source_name, "status": status, "reference": reference}
    results: list[ImportResult] = []
    start = 0
    while start < len(files):
        plan, stopped = _plan_batch(files[start:], **options)
        new = [step for step in plan if isinstance(step, _NewArticle)]
        written = iter(_write_new_articles(new, **options))
        results += [step if isinstance(step, ImportResult) else next(written) for step in plan]
        start += len(plan)
        if stopped:
            results.append(_import_prepared(files[start], dry_run=False, **options))
            start += 1
    return results


def _plan_batch(
    files: list[PreparedFile], *, source_name: str, status: str, reference: ReferenceData
) -> tuple[list[ImportResult | _NewArticle], bool]:
    """The longest run of ``files`` that can be written together, from one lookup.

    Each step is a new article or the result of a file that could not be read (it writes
    nothing); the second value says the run stopped at a file that needs its own transaction.
    """
    readable = [prepared for prepared in files if prepared.document is not None]
    digests = {id(prepared): content_hash(prepared.document.body) for prepared in readable}
    urls = {prepared.document.canonical_url for prepared in readable} - {""}
    lookup = Q(content_hash__in=set(digests.values())) | Q(canonical_url__in=urls)
    for base in {slug_base(prepared.document.title) for prepared in readable}:
        lookup |= Q(slug__startswith=base)
    taken_hashes, taken_urls, taken_slugs = set(), set(), set()
    if readable:
        for hashed, url, slug in (
            Article.objects.filter(lookup)
            .order_by()
            .values_list("content_hash", "canonical_url", "slug")
        ):
            taken_hashes.add(hashed)
            taken_urls.add(url)
            taken_slugs.add(slug)

    plan: list[ImportResult | _NewArticle] = []
    for prepared in files:
        if prepared.error or prepared.document is None:
            plan.append(ImportResult(prepared.name, Outcome.FAILED, prepared.error))
            continue
        document, digest = prepared.document, digests[id(prepared)]
        if digest in taken_hashes or (
            document.canonical_url and document.canonical_url in taken_urls
        ):
            return plan, True  # unchanged, or an update of an earlier version
        found, source = find_source(document.source_name or source_name, reference=reference)
        detection = current_detection(prepared, reference)
        if not found or _creates_people(detection, reference=reference):
            return plan, True
        article = Article(
            status=status, slug=first_free_slug(slug_base(document.title), taken_slugs)
        )
        try:
            fill_article(article, prepared, digest=digest, source=source)
        except ValidationError:
            return plan, True  # its own transaction fails it with the message
        own = prepared.signature if prepared.signature is not None else signature(document.body)
        plan.append(_NewArticle(prepared, article, detection, own))
        taken_hashes.add(digest)
        taken_urls.add(document.canonical_url)
        taken_slugs.add(article.slug)
    return plan, False


def _write_new_articles(
    new: list[_NewArticle], *, source_name: str, status: str, reference: ReferenceData
) -> list[ImportResult]:
    """Write the batch's articles in one transaction; if that fails, each in its own."""
    if not new:
        return []
    try:
        with transaction.atomic():
            articles = Article.objects.bulk_create([step.article for step in new])
            queue_index_updates([article.pk for article in articles])
            rows: dict[type, list] = {ArticleMeeting: [], ArticlePerson: [], Quote: []}
            for step in new:
                step.proposals = propose_links(step.article, step.detection, reference=reference)
                rows[ArticleMeeting] += step.proposals.meeting_links
                rows[ArticlePerson] += step.proposals.person_links
                rows[Quote] += step.proposals.quotes
            for model, created in rows.items():
                insert_rows(model, created)
            _keep_fingerprints(
                [(step.article.pk, step.article.updated_at, step.signature) for step in new]
            )
            return _compare_in_file_order(new, reference=reference)
    except Exception as error:  # written again one by one: the file at fault fails alone
        logger.warning(
            "a batch of %d new articles failed (%s: %s); writing them one by one",
            len(new),
            type(error).__name__,
            error,
        )
        return [
            _import_prepared(
                step.prepared,
                source_name=source_name,
                status=status,
                dry_run=False,
                reference=reference,
            )
            for step in new
        ]


def _compare_in_file_order(new: list[_NewArticle], *, reference: ReferenceData):
    """Look for each new article's near-duplicate among the articles written before it,
    the batch's earlier ones included, as a file-by-file import would."""
    index = reference.near_duplicates
    batch_ids = [step.article.pk for step in new]
    # Kept with the article's version: if the batch is rolled back, a later article given the
    # same id (SQLite reuses them) has another version and is never taken for this one.
    for step in new:
        index.remember(step.article.pk, step.article.updated_at, step.signature)
    keys = {
        step.article.pk: meetings_key(step.proposals.meeting_ids)
        for step in new
        if step.proposals.meeting_ids
    }
    before_batch = meeting_candidates(
        list(dict.fromkeys(keys.values())), index=index, exclude=set(batch_ids)
    )
    flagged: set[int] = set()
    results = []
    for position, step in enumerate(new):
        article = step.article
        if article.pk in keys:
            key = keys[article.pk]
            earlier = [
                (other.article.pk, other.article.updated_at)
                for other in new[:position]
                if other.article.pk not in flagged
                and not set(other.proposals.meeting_ids).isdisjoint(key[1])
            ]
            rows = sorted(before_batch[key] + earlier)[:NEAR_DUPLICATE_CANDIDATES]
        else:
            key, rows = near_duplicate_candidates(
                article, [], index=index, written_after=batch_ids[position:]
            )
        twin, shared = _twin_among(rows, key, own=step.signature, index=index)
        if twin is None:
            results.append(ImportResult(step.prepared.name, Outcome.CREATED, "", article))
            continue
        flagged.add(article.pk)
        results.append(flag_near_duplicate(article, twin, shared, filename=step.prepared.name))
    for step in new:  # in id order, as each joins after the others
        _joins_candidates(
            step.article,
            step.proposals.meeting_ids,
            flagged=step.article.pk in flagged,
            reference=reference,
        )
    return results


def record_detection(
    article: Article,
    detection: Detection,
    *,
    reference: ReferenceData,
    is_new: bool = False,
    queue_index: bool = True,
) -> list[int]:
    """Replace the importer's unconfirmed proposals with fresh ones; keep editors' choices.

    Returns the ids of the meetings the article is now linked to. ``is_new`` says the article
    was created in this transaction (it has no links yet: nothing to delete or keep).
    """
    confirmed_meetings: dict[str, int] = {}
    confirmed_people: set[str] = set()
    if not is_new:
        article.meeting_links.filter(confirmed=False).delete()
        article.person_links.filter(confirmed=False).delete()
        article.quotes.all().delete()
        confirmed_meetings = dict(article.meeting_links.values_list("meeting__slug", "meeting_id"))
        confirmed_people = set(article.person_links.values_list("person__slug", flat=True))

    proposals = propose_links(
        article,
        detection,
        reference=reference,
        confirmed_meetings=confirmed_meetings,
        confirmed_people=confirmed_people,
    )
    # One statement per kind of row; no post_save signal is sent, hence the explicit index
    # update below when the article itself was not saved in this transaction.
    for model, rows in (
        (ArticleMeeting, proposals.meeting_links),
        (ArticlePerson, proposals.person_links),
        (Quote, proposals.quotes),
    ):
        insert_rows(model, rows)
    if queue_index and (proposals.meeting_links or proposals.person_links or proposals.quotes):
        queue_index_updates([article.pk])
    return proposals.meeting_ids


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


def _creates_people(detection: Detection, *, reference: ReferenceData) -> bool:
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


def unique_article_slug(title: str) -> str:
    """The title's slug, numbered (-2, -3 …) after the slugs already taken: one query."""
    base = slug_base(title)
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return first_free_slug(base, taken)


def slug_base(title: str) -> str:
    return slugify(title)[:100].strip("-") or "article"


def first_free_slug(base: str, taken: set[str]) -> str:
    """``base``, else ``base-2``, ``base-3`` …: the first not in ``taken`` (slugs that start
    with ``base``)."""
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


# --- Near-duplicates -------------------------------------------------------------------------


def _joins_candidates(
    article: Article, meeting_ids: Sequence[int], *, flagged: bool, reference: ReferenceData
) -> None:
    """Once committed, a new article joins the candidate sets the run keeps for its meetings."""
    article_id, version = article.pk, article.updated_at
    reference.after_commit(
        lambda: reference.near_duplicates.joined(meeting_ids, article_id, version, flagged=flagged)
    )


def store_fingerprint(
    article: Article, hashes: np.ndarray, *, is_new: bool, reference: ReferenceData
) -> None:
    """Keep the article's shingle signature, valid for the version just saved."""
    values = {"shingle_hashes": signature_to_bytes(hashes), "computed_for": article.updated_at}
    if is_new:
        ArticleFingerprint.objects.create(article=article, **values)
    else:
        ArticleFingerprint.objects.update_or_create(article=article, defaults=values)
    article_id, version = article.pk, article.updated_at
    reference.after_commit(lambda: reference.near_duplicates.remember(article_id, version, hashes))


def near_duplicate_candidates(
    article: Article,
    meeting_ids: Sequence[int],
    *,
    index: NearDuplicateIndex | None = None,
    written_after: Iterable[int] = (),
):
    """Articles that could be the same dispatch: same meeting, or published within two days.

    Returns a key naming the set (for the signature banks) and the (id, updated_at) of at most
    ``NEAR_DUPLICATE_CANDIDATES`` candidates, oldest first; no key when there are none. With
    the run's ``index``, a candidate set read for an earlier file (and grown by the run's own
    new articles since) is reused while its digest in the database is unchanged.
    ``written_after`` are articles of the same batch that a file-by-file import would not have
    written yet.
    """
    exclude = {article.pk, *written_after}
    if meeting_ids:
        key = meetings_key(meeting_ids)
        return key, meeting_candidates([key], index=index, exclude=exclude)[key]
    if not article.published_on:
        return None, []
    window = timezone.timedelta(days=2)
    rows = (
        Article.objects.exclude(pk__in=exclude)
        .filter(
            near_duplicate_of__isnull=True,
            published_on__range=(article.published_on - window, article.published_on + window),
        )
        .order_by("id")
        .values_list("id", "updated_at")
    )
    return ("published", article.published_on), list(rows[:NEAR_DUPLICATE_CANDIDATES])


def meetings_key(meeting_ids: Iterable[int]) -> tuple:
    """What names the candidate set (and signature bank) of articles linked to these meetings."""
    return ("meetings", tuple(sorted(set(meeting_ids))))


def meeting_candidates(
    keys: Sequence[tuple], *, index: NearDuplicateIndex | None, exclude: set[int]
) -> dict[tuple, list[tuple]]:
    """The candidates of each ("meetings", ids) key, as ``near_duplicate_candidates`` gives.

    The sets the run's ``index`` keeps are checked against the database together, in one
    statement; the others, and the kept sets that changed, are read again.
    """
    known = {key: index.known_candidates(key) for key in keys} if index is not None else {}
    checked = [key for key in keys if known.get(key) is not None]
    digests = _first_batch_digests([key[1] for key in checked], exclude=exclude)
    current = dict(zip(checked, digests, strict=True))
    candidates = {}
    for key in keys:
        if key in current and known[key].digest == current[key]:
            candidates[key] = known[key].rows
            continue
        rows, digest, links_ran_out = _oldest_unflagged_in_meetings(key[1], exclude=exclude)
        # The digest covers the whole set when the walk ended with its first batch: the set
        # was full, or (one meeting: a link per article) the meeting's links ran out.
        if index is not None and (
            digest.count >= NEAR_DUPLICATE_CANDIDATES or (links_ran_out and len(key[1]) == 1)
        ):
            index.keep_candidates(key, KnownCandidates(digest, rows))
        candidates[key] = rows
    return candidates


class CandidatesDigest(NamedTuple):
    """What changes when the articles of a batch of links change: one linked or unlinked
    changes ``links``; an unflagged one joining or leaving changes the count or the sums of
    ids and of their squares, one saved the latest ``updated_at``."""

    links: int
    count: int
    ids: int
    squares: int
    latest: object

    def joined_by(self, article_id: int, version, *, flagged: bool) -> CandidatesDigest:
        """The digest once a new article, of an id above all others, is linked too."""
        if self.links >= _links_batch_size():
            return self  # it comes after the batch of links the digest covers
        if flagged:
            return self._replace(links=self.links + 1)
        return CandidatesDigest(
            links=self.links + 1,
            count=self.count + 1,
            ids=self.ids + article_id,
            squares=self.squares + article_id * article_id,
            latest=version if self.latest is None else max(self.latest, version),
        )


class KnownCandidates(NamedTuple):
    digest: CandidatesDigest
    rows: list[tuple]


def _links_batch_size() -> int:
    return NEAR_DUPLICATE_CANDIDATES + NEAR_DUPLICATE_CANDIDATES // 4  # a few are flagged


def _oldest_unflagged_in_meetings(
    meeting_ids: Sequence[int], *, exclude: set[int]
) -> tuple[list[tuple], CandidatesDigest, bool]:
    """(id, updated_at) of the oldest articles linked to the meetings and not themselves
    flagged, the digest of the first batch of links, and whether the links ran out in it.

    A join of the articles with their links, made distinct and sorted, costs as much as the
    meeting has articles (a large meeting of a 100,000-article archive: 20-40 ms, and 0.9 s on
    tables not analysed since a bulk load), for every imported file. Walking the links in article
    order on the (meeting, article) index reads a batch of ids, then those articles by key: the
    cost stays flat however large the archive grows.
    """
    limit, batch = NEAR_DUPLICATE_CANDIDATES, _links_batch_size()
    rows: list[tuple] = []
    digest, links_ran_out = None, True
    after = 0
    while len(rows) < limit:
        linked = list(
            ArticleMeeting.objects.filter(meeting_id__in=meeting_ids, article_id__gt=after)
            .exclude(article_id__in=exclude)
            .order_by("article_id")
            .values_list("article_id", flat=True)[:batch]
        )
        if not linked:
            break
        rows += (
            Article.objects.filter(pk__in=set(linked), near_duplicate_of__isnull=True)
            .order_by("id")
            .values_list("id", "updated_at")
        )
        if digest is None:
            digest = _digest_of(rows, links=len(set(linked)))
            links_ran_out = len(linked) < batch
        if len(linked) < batch:
            break
        after = linked[-1]
    return rows[:limit], digest or _digest_of([], links=0), links_ran_out


def _digest_of(rows: list[tuple], *, links: int) -> CandidatesDigest:
    return CandidatesDigest(
        links=links,
        count=len(rows),
        ids=sum(pk for pk, _version in rows),
        squares=sum(pk * pk for pk, _version in rows),
        latest=max((version for _pk, version in rows), default=None),
    )


# SQLite allows 500 terms in a compound statement.
_DIGESTS_PER_STATEMENT = 100


def _first_batch_digests(
    meeting_sets: Sequence[Sequence[int]], *, exclude: set[int]
) -> list[CandidatesDigest]:
    """The digest of the first batch of links of each set of meetings, one aggregate row each
    (not the few hundred rows the walk reads), in one statement for all the sets.

    Written in SQL: Django takes longer to compile each aggregate (about 1.3 ms) than the
    database takes to run it, and a batch of new articles checks a set for each of its meetings.
    """
    digests: list[CandidatesDigest] = []
    for first in range(0, len(meeting_sets), _DIGESTS_PER_STATEMENT):
        chunk = meeting_sets[first : first + _DIGESTS_PER_STATEMENT]
        statement = " UNION ALL ".join(
            _first_batch_digest_sql(position, meeting_ids, exclude)
            for position, meeting_ids in enumerate(chunk)
        )
        with connection.cursor() as cursor:
            cursor.execute(statement)
            rows = sorted(cursor.fetchall())
        latest_field = Article._meta.get_field("updated_at")
        for _position, links, count, ids, squares, latest in rows:
            if latest is not None:  # SQLite returns the text of the timestamp, in UTC
                latest = latest_field.to_python(latest)
                if timezone.is_naive(latest):
                    latest = timezone.make_aware(latest, connection.timezone)
            digests.append(
                CandidatesDigest(
                    links=int(links),
                    count=int(count or 0),
                    ids=int(ids or 0),
                    squares=int(squares or 0),
                    latest=latest,
                )
            )
    return digests


def _first_batch_digest_sql(position: int, meeting_ids: Sequence[int], exclude: set[int]) -> str:
    """One row (position, links, count, ids, squares, latest) over the first batch of links.

    The ids are written into the statement, each through ``int()``: sent as parameters, the
    few hundred of a batch's statement were parsed and quoted one by one on the client.
    """
    articles, links = Article._meta.db_table, ArticleMeeting._meta.db_table
    quote = connection.ops.quote_name

    def integers(values) -> str:
        return ", ".join(str(int(value)) for value in values)

    unflagged = f"{quote('near_duplicate_of_id')} IS NULL"
    excluded = f" AND {quote('article_id')} NOT IN ({integers(sorted(exclude))})" if exclude else ""
    return (
        f"SELECT {int(position)}, COUNT(*),"
        f" SUM(CASE WHEN {unflagged} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {unflagged} THEN {quote('id')} END),"
        f" SUM(CASE WHEN {unflagged} THEN {quote('id')} * {quote('id')} END),"
        f" MAX(CASE WHEN {unflagged} THEN {quote('updated_at')} END)"
        f" FROM {quote(articles)} WHERE {quote('id')} IN ("
        f"SELECT {quote('article_id')} FROM {quote(links)}"
        f" WHERE {quote('meeting_id')} IN ({integers(meeting_ids)}){excluded}"
        f" ORDER BY {quote('article_id')} LIMIT {int(_links_batch_size())})"
    )


def find_near_duplicate(
    article: Article,
    *,
    meeting_ids: Sequence[int] | None = None,
    own: np.ndarray | None = None,
    reference: ReferenceData | None = None,
) -> tuple[Article | None, float]:
    """The earlier article sharing the most shingles with this one, if at least the threshold.

    Ties go to the oldest candidate; the score is shared shingles over the smaller set.
    """
    if meeting_ids is None:
        meeting_ids = list(article.meeting_links.values_list("meeting_id", flat=True))
    if own is None:
        own = signature(article.body)
    index = reference.near_duplicates if reference is not None else NearDuplicateIndex()
    key, rows = near_duplicate_candidates(article, meeting_ids, index=index)
    return _twin_among(rows, key, own=own, index=index)


def _twin_among(
    rows: list[tuple], key, *, own: np.ndarray, index: NearDuplicateIndex
) -> tuple[Article | None, float]:
    """The candidate (of ``rows``) sharing the most shingles with ``own`` if at least the
    threshold, and the best share."""
    if not rows:
        return None, 0.0
    best_id, best_score = index.best_match(own, rows, key)
    if best_id is not None and best_score >= NEAR_DUPLICATE_THRESHOLD:
        return Article.objects.only("id", "title", "body").get(pk=best_id), best_score
    return None, best_score


def _keep_fingerprints(computed: list[tuple]) -> None:
    """Store these (article id, version, signature), in one statement: a batch's new articles,
    or signatures cut from the text (articles saved before fingerprints were kept, or edited
    since), so the next run reads them instead of cutting them again."""
    if not computed:
        return
    # In article order: two runs storing the same signatures lock their rows in one order.
    ArticleFingerprint.objects.bulk_create(
        [
            ArticleFingerprint(
                article_id=pk, shingle_hashes=signature_to_bytes(hashes), computed_for=version
            )
            for pk, version, hashes in sorted(computed, key=lambda item: item[0])
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["shingle_hashes", "computed_for"],
    )


class _SortedHashes:
    """Hashes sorted, each with its owner: the candidate (its position in a bank's ``rows``)
    whose signature holds it."""

    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.owners = np.zeros(0, dtype=np.int32)  # 12 bytes a hash with its owner

    def __len__(self) -> int:
        return len(self.hashes)

    def add(self, hashes: np.ndarray, owners: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        hashes, owners = hashes[order], owners[order]
        at = np.searchsorted(self.hashes, hashes, side="right")
        self.hashes = np.insert(self.hashes, at, hashes)
        self.owners = np.insert(self.owners, at, owners)

    def owners_of(self, own: np.ndarray) -> np.ndarray:
        """The owner of every hash equal to one of ``own``'s (distinct) hashes."""
        low = np.searchsorted(self.hashes, own, side="left")
        high = np.searchsorted(self.hashes, own, side="right")
        runs = high - low
        total = int(runs.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int32)
        run_starts = np.cumsum(runs) - runs
        return self.owners[np.repeat(low - run_starts, runs) + np.arange(total)]


class _Bank:
    """The signatures of one candidate set, merged into sorted arrays of hashes.

    Counting a new file's shared shingles with every candidate is then one binary search per
    shingle of the new file and one ``bincount``. A set grows one article at a time as the run
    writes its own; inserting each into the whole array would copy it every time (about 3 MB
    for 500 candidates), so new signatures go to a small second array, merged into the first
    once it holds a tenth as many hashes.
    """

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.sizes = np.zeros(0, dtype=np.int64)
        self._merged = _SortedHashes()
        self._recent = _SortedHashes()

    def extend(self, rows: list[tuple], signatures: list[np.ndarray]) -> None:
        first = len(self.rows)
        sizes = np.array([len(s) for s in signatures], dtype=np.int64)
        hashes = np.concatenate(signatures) if signatures else np.zeros(0, dtype=np.uint64)
        owners = np.repeat(np.arange(first, first + len(rows), dtype=np.int32), sizes)
        self._recent.add(hashes, owners)
        if len(self._recent) * 10 >= len(self._merged):
            self._merged.add(self._recent.hashes, self._recent.owners)
            self._recent = _SortedHashes()
        self.sizes = np.concatenate([self.sizes, sizes])
        self.rows.extend(rows)

    def shared(self, own: np.ndarray) -> np.ndarray:
        """For each candidate, how many of ``own``'s (distinct) hashes it holds."""
        owners = np.concatenate([self._merged.owners_of(own), self._recent.owners_of(own)])
        return np.bincount(owners, minlength=len(self.rows))


class NearDuplicateIndex:
    """The signatures an import run compares new files with, kept from one file to the next.

    Signatures come from this run's own writes, else the fingerprint table, else (missing or
    older than the article) the article's text. Candidate sets are kept as banks, keyed by what
    selects them; a bank grows when its set gains newer articles and is rebuilt if it changes
    otherwise (an article edited, deleted or flagged meanwhile).
    """

    max_signatures = 50_000
    # Rebuilding a bank of 500 candidates costs about 0.1 s; it holds about 270,000 hashes
    # (3 MB). 64 keep every meeting's bank of a large archive (40 meetings in the benchmark):
    # at most 200 MB, beside the 50,000 signatures (200 MB at 540 words an article).
    max_banks = 64

    def __init__(self) -> None:
        self._signatures: OrderedDict[int, tuple] = OrderedDict()
        self._banks: OrderedDict[tuple, _Bank] = OrderedDict()
        self._candidates: OrderedDict[tuple, KnownCandidates] = OrderedDict()

    def known_candidates(self, key: tuple) -> KnownCandidates | None:
        known = self._candidates.get(key)
        if known is not None:
            self._candidates.move_to_end(key)  # least recently used goes first, as the banks
        return known

    def keep_candidates(self, key: tuple, known: KnownCandidates) -> None:
        self._candidates[key] = known
        self._candidates.move_to_end(key)
        while len(self._candidates) > self.max_banks:
            self._candidates.popitem(last=False)

    def joined(self, meeting_ids: Sequence[int], article_id: int, version, *, flagged: bool):
        """A new article of the run, committed and linked to these meetings, joins the kept
        sets of each of them (once flagged, only their links), so the next file finds them
        current instead of reading them again."""
        for meeting_id in set(meeting_ids):
            key = meetings_key([meeting_id])
            known = self._candidates.get(key)
            if known is None:
                continue
            rows = known.rows
            if not flagged and len(rows) < NEAR_DUPLICATE_CANDIDATES:
                rows = [*rows, (article_id, version)]
            digest = known.digest.joined_by(article_id, version, flagged=flagged)
            if digest.count < NEAR_DUPLICATE_CANDIDATES and digest.links >= _links_batch_size():
                del self._candidates[key]  # the set now reaches past what the digest covers
                continue
            self._candidates[key] = KnownCandidates(digest, rows)

    def remember(self, article_id: int, version, hashes: np.ndarray) -> None:
        self._signatures[article_id] = (version, hashes)
        self._signatures.move_to_end(article_id)
        while len(self._signatures) > self.max_signatures:
            self._signatures.popitem(last=False)

    def signatures(self, rows: Sequence[tuple]) -> list[np.ndarray]:
        """The signature of each (id, updated_at) candidate, loading the missing ones at once."""
        missing = {
            pk: version
            for pk, version in rows
            if self._signatures.get(pk, (None,))[0] != version or version is None
        }
        if missing:
            stored = ArticleFingerprint.objects.filter(article_id__in=list(missing)).values_list(
                "article_id", "computed_for", "shingle_hashes"
            )
            for pk, computed_for, data in stored:
                if computed_for == missing[pk]:
                    self.remember(pk, computed_for, signature_from_bytes(data))
                    del missing[pk]
            if missing:
                texts = Article.objects.filter(pk__in=list(missing)).values_list("pk", "body")
                computed = []
                for pk, body in texts:
                    version, hashes = missing.pop(pk), signature(body)
                    self.remember(pk, version, hashes)
                    if version is not None:
                        computed.append((pk, version, hashes))
                _keep_fingerprints(computed)
                for pk, version in missing.items():  # deleted meanwhile: shares nothing
                    self.remember(pk, version, np.zeros(0, dtype=np.uint64))
        return [self._signatures[pk][1] for pk, _version in rows]

    def best_match(
        self, own: np.ndarray, rows: list[tuple], key: tuple
    ) -> tuple[int | None, float]:
        """The first candidate with the highest overlap with ``own``, and that overlap."""
        bank = self._banks.pop(key, None)
        if bank is None or bank.rows != rows[: len(bank.rows)]:
            bank = _Bank()
        if len(bank.rows) < len(rows):
            added = rows[len(bank.rows) :]
            bank.extend(added, self.signatures(added))
        self._banks[key] = bank
        while len(self._banks) > self.max_banks:
            self._banks.popitem(last=False)
        smaller = np.minimum(len(own), bank.sizes)
        shared = bank.shared(own)
        scores = np.zeros(len(rows), dtype=np.float64)
        np.divide(shared, smaller, out=scores, where=smaller > 0)
        best = int(np.argmax(scores)) if len(rows) else 0
        if not len(rows) or scores[best] <= 0.0:
            return None, 0.0
        return rows[best][0], int(shared[best]) / int(smaller[best])
