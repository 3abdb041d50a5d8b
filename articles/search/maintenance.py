"""Index maintenance: status, drift repair, rebuild, optimisation and an empty index.

Every operation goes through the configured engine (``articles.search.engine.configured_engine``)
with the writer lock held, so it never meets a drain halfway.
"""

import time
from dataclasses import dataclass, field

from django.db.models import Min
from haystack import connections
from haystack.constants import DEFAULT_ALIAS

from articles.models import Article, PendingIndexUpdate
from articles.search.engine import configured_engine
from articles.search.engine.batches import BATCH_SIZE, version_of, write_in_batches
from articles.search.engine.lock import COMMAND_WAIT_SECONDS, writer_lock
from articles.search.errors import NO_INDEX, IndexMissing, SearchUnavailable
from articles.search.queue import DrainReport, drain_locked

__all__ = [
    "FieldCheck",
    "RepairSummary",
    "check_fields",
    "create_empty_index",
    "index_status",
    "indexed_article_ids",
    "optimize_index",
    "rebuild_index",
    "repair_index",
    "version_of",
]


def _article_index(using):
    return connections[using].get_unified_index().get_index(Article)


def create_empty_index(*, using=DEFAULT_ALIAS):
    """Replace the index with an empty one (Haystack's ``clear``)."""
    engine = configured_engine(using)
    with writer_lock(engine.lock_target, COMMAND_WAIT_SECONDS):
        engine.clear()


def optimize_index(*, using=DEFAULT_ALIAS):
    engine = configured_engine(using)
    with writer_lock(engine.lock_target, COMMAND_WAIT_SECONDS):
        engine.optimize()


def indexed_article_ids(*, using=DEFAULT_ALIAS) -> set[int]:
    """The primary keys of the articles in the index (raises SearchUnavailable without one)."""
    versions = configured_engine(using).indexed_versions()
    if versions is None:
        raise SearchUnavailable("the search engine does not list its documents")
    return set(versions)


def index_status(*, using=DEFAULT_ALIAS) -> dict:
    """Published articles, indexed documents (None when the index is unreadable) and the queue."""
    engine = configured_engine(using)
    queue = PendingIndexUpdate.objects.aggregate(oldest=Min("queued_at"))
    status = {
        "published": Article.objects.published().count(),
        "indexed": None,
        "pending": PendingIndexUpdate.objects.count(),
        "oldest_pending": queue["oldest"],
        "error": "",
    }
    try:
        status["indexed"] = engine.document_count()
    except SearchUnavailable as error:
        status["error"] = str(error)
    return status


@dataclass
class RepairSummary:
    published: int = 0
    indexed_before: int | None = None
    missing: int = 0
    stale: int = 0
    ghosts: int = 0
    rebuilt: bool = False
    reason: str = ""
    written: int = 0
    removed: int = 0
    drained: DrainReport | None = None
    seconds: float = 0.0
    details: dict = field(default_factory=dict)

    @property
    def in_sync_before(self) -> bool:
        return not (self.rebuilt or self.missing or self.stale or self.ghosts)

    def __str__(self):
        if self.rebuilt:
            head = f"rebuilt ({self.reason}): indexed {self.written} published articles"
        else:
            head = (
                f"{self.published} published: {self.missing} missing, {self.stale} stale, "
                f"{self.ghosts} ghosts; indexed {self.written}, removed {self.removed}"
            )
        return f"{head}, {self.seconds:.1f} s"


def repair_index(*, using=DEFAULT_ALIAS, progress=None, rebuild=False, procs=1) -> RepairSummary:
    """Compare the database and the index, repair the drift, apply the queue.

    Rebuilds the index when unreadable or built with another schema. A missing index is created
    only when asked (``rebuild``) or when no article is published yet (a fresh archive): an
    archive with published articles and no index has lost it, and recreating it here would hide
    that, so :class:`IndexMissing` is raised and the queue is left as it is.
    Drift: *missing* (published, not indexed), *stale* (saved since indexed), *ghosts* (indexed,
    no longer published). Changes to related rows (a renamed speaker) do not touch
    ``updated_at``: the queue carries those. An engine that keeps no versions is sent every
    published article again.
    """
    started = time.monotonic()
    engine = configured_engine(using)
    summary = RepairSummary()
    with writer_lock(engine.lock_target, COMMAND_WAIT_SECONDS):
        reason = "asked" if rebuild else engine.rebuild_reason()
        if reason == NO_INDEX:
            _refuse_to_recreate_a_lost_index()
        versions = None
        if not reason:
            try:
                versions = engine.indexed_versions()
            except SearchUnavailable:  # a segment too damaged to list its documents
                reason = "index unreadable"
        if reason:
            summary.rebuilt, summary.reason = True, reason
            _rebuild_locked(engine, summary, using=using, progress=progress, procs=procs)
        elif versions is None:
            _send_all_locked(engine, summary, using=using, progress=progress)
        else:
            _repair_locked(engine, versions, summary, using=using, progress=progress)
        summary.drained = DrainReport()
        drain_locked(engine, summary.drained, using=using, max_rounds=1000)
    summary.seconds = time.monotonic() - started
    return summary


def _refuse_to_recreate_a_lost_index():
    published = Article.objects.published().count()
    if published:
        raise IndexMissing(
            f"there is no search index, though {published} articles are published: it was lost "
            "or moved. Check SEARCH_URL, then run `manage.py sync_index --rebuild` to build it "
            "from the database"
        )


def rebuild_index(*, using=DEFAULT_ALIAS, progress=None, procs=1) -> RepairSummary:
    """Rebuild the whole index from the database (for Whoosh, into a new folder swapped in)."""
    return repair_index(using=using, progress=progress, rebuild=True, procs=procs)


def _delete_rows(row_ids):
    for start in range(0, len(row_ids), BATCH_SIZE):
        PendingIndexUpdate.objects.filter(id__in=row_ids[start : start + BATCH_SIZE]).delete()


def _rebuild_locked(engine, summary, *, using, progress, procs):
    # The rows visible now are reflected by the articles read below. Not "every id up to the
    # largest": a lower id may belong to a transaction that commits later, after its article
    # was read.
    applied_rows = list(PendingIndexUpdate.objects.values_list("id", flat=True))
    queryset = _article_index(using).index_queryset(using=using)
    summary.published = queryset.count()
    summary.written = engine.rebuild(queryset, progress=progress, procs=procs)
    _delete_rows(applied_rows)


def _send_all_locked(engine, summary, *, using, progress):
    applied_rows = list(PendingIndexUpdate.objects.values_list("id", flat=True))
    queryset = _article_index(using).index_queryset(using=using)
    summary.published = queryset.count()
    summary.written = write_in_batches(engine.write, queryset, progress=progress)
    _delete_rows(applied_rows)


def _repair_locked(engine, indexed, summary, *, using, progress):
    database = {
        pk: version_of(updated_at)
        for pk, updated_at in Article.objects.published().values_list("pk", "updated_at")
    }
    summary.published = len(database)
    summary.indexed_before = len(indexed)
    missing = database.keys() - indexed.keys()
    ghosts = indexed.keys() - database.keys()
    stale = {pk for pk in database.keys() & indexed.keys() if database[pk] != indexed[pk]}
    summary.missing, summary.ghosts, summary.stale = len(missing), len(ghosts), len(stale)
    summary.details = {
        "missing": sorted(missing)[:20],
        "stale": sorted(stale)[:20],
        "ghosts": sorted(ghosts)[:20],
    }
    to_write = sorted(missing | stale)
    if not to_write and not ghosts:
        return
    queryset = _article_index(using).index_queryset(using=using)

    def articles():
        # Read a chunk at a time; the engine writes them all and deletes the ghosts in one batch.
        for start in range(0, len(to_write), BATCH_SIZE):
            chunk = to_write[start : start + BATCH_SIZE]
            yield from queryset.filter(pk__in=chunk)
            if progress:
                progress(min(start + BATCH_SIZE, len(to_write)), len(to_write))

    summary.written, summary.removed = engine.write(articles(), gone_ids=ghosts)


@dataclass
class FieldCheck:
    checked: int = 0
    differing: dict[int, list[str]] = field(default_factory=dict)
    repaired: int = 0


def check_fields(*, repair=False, using=DEFAULT_ALIAS, progress=None) -> FieldCheck | None:
    """Compare the index's stored fields of every published article with the database, and
    with ``repair`` write the differing articles again. None when the engine stores no fields.

    ``sync_index`` compares versions (``updated_at``) only, which an edit made in SQL leaves
    alone; this reads the values themselves, a batch of articles at a time.
    """
    engine = configured_engine(using)
    check = FieldCheck()
    queryset = _article_index(using).index_queryset(using=using)
    total = queryset.count()
    with writer_lock(engine.lock_target, COMMAND_WAIT_SECONDS):
        batch = []
        for done, article in enumerate(queryset.iterator(chunk_size=BATCH_SIZE), start=1):
            batch.append(article)
            if len(batch) < BATCH_SIZE and done < total:
                continue
            differing = engine.differing_fields(batch)
            if differing is None:
                return None
            check.differing.update(differing)
            if repair and differing:
                check.repaired += engine.write([a for a in batch if a.pk in differing])[0]
            check.checked += len(batch)
            batch = []
            if progress:
                progress(done, total)
    return check
