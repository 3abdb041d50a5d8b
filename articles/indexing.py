"""Keeping the search index fresh without losing updates: a queue and its single writer.

Whoosh allows one writer at a time, and Haystack's realtime processor drops a delete that meets
a busy writer. Here a change to anything an article's document shows inserts a
``PendingIndexUpdate`` row in the change's own transaction; after the commit, and whenever else
someone drains (the next save, ``manage.py process_index_queue``, ``manage.py sync_index``), the
drain takes an exclusive lock shared by every process (``flock`` on ``<index>.lock``, with a
bounded wait), re-reads each queued article's current state and writes it or removes it, then
deletes exactly the rows it applied. A failed drain leaves its rows for the next one.
"""

import fcntl
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, signals
from haystack import connections
from haystack.constants import DEFAULT_ALIAS, DJANGO_ID, ID
from haystack.signals import BaseSignalProcessor
from haystack.utils import get_model_ct
from whoosh.filedb.filestore import FileStorage

from articles.bulk_rows import insert_rows
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    PendingIndexUpdate,
    Person,
    Source,
)
from articles.search_backend import (
    INDEX_NAME,
    VERSION_FIELD,
    FrenchWhooshSearchBackend,
    SearchUnavailable,
    toc_signature,
)

logger = logging.getLogger(__name__)

# How long a save waits for the writer lock before leaving its update queued.
SAVE_WAIT_SECONDS = getattr(settings, "HAYSTACK_SAVE_LOCK_WAIT_SECONDS", 2.0)
# Commands (sync, rebuild, the queue worker) can wait longer.
COMMAND_WAIT_SECONDS = 60.0
BATCH_SIZE = 500
LOCK_BUSY = "lock busy"

__all__ = [
    "LockBusy",
    "QueuedSignalProcessor",
    "SearchUnavailable",
    "deferred_index_drain",
    "drain_index_queue",
    "index_status",
    "queue_index_updates",
    "rebuild_index",
    "repair_index",
]


class LockBusy(Exception):
    """Another process holds the index writer lock."""


# The lock -------------------------------------------------------------------------------------


def lock_target(backend) -> str:
    """What the writer lock is named after: the Whoosh index folder, or for another engine
    (Elasticsearch, Solr) a name under ``DATA_DIR``, so one writer at a time still holds."""
    path = getattr(backend, "path", None)
    if path:
        return path
    return os.path.join(str(settings.DATA_DIR), f"search-index-{backend.connection_alias}")


def lock_path_for(index_path) -> str:
    """The lock file lives next to the index folder, so a rebuild's folder swap keeps it."""
    return str(index_path).rstrip("/") + ".lock"


@contextmanager
def writer_lock(index_path, wait_seconds: float):
    """Hold the exclusive index writer lock (every process, every thread), or raise LockBusy."""
    lock_path = lock_path_for(index_path)
    os.makedirs(os.path.dirname(lock_path) or ".", exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"{LOCK_BUSY}: another process is writing {index_path}"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# Index files ----------------------------------------------------------------------------------


def get_backend(using=DEFAULT_ALIAS):
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def article_index(using=DEFAULT_ALIAS):
    return connections[using].get_unified_index().get_index(Article)


def document_id(pk) -> str:
    return f"{get_model_ct(Article)}.{pk}"


def _open_index(backend, *, create=True):
    """The Whoosh index at the backend's path, created when there is none."""
    path = backend.path
    if toc_signature(path) is None:
        if not create:
            raise SearchUnavailable(f"no search index at {path}")
        os.makedirs(path, exist_ok=True)
        return FileStorage(path).create_index(backend.schema, indexname=INDEX_NAME)
    try:
        return FileStorage(path).open_index(INDEX_NAME, schema=backend.schema)
    except Exception as error:
        raise SearchUnavailable(f"the search index at {path} cannot be read ({error!r})") from error


def _schema_matches(ix, backend) -> bool:
    """False when the index on disk was built with other fields or field types."""
    try:
        stored = ix._read_toc().schema
    except Exception:
        return False

    def shape(schema):
        # Field types and each analyzer's steps: a changed analysis needs a rebuild too.
        return {
            name: (
                type(fieldobj).__name__,
                [type(step).__name__ for step in getattr(fieldobj.analyzer, "items", ())]
                if hasattr(fieldobj, "analyzer")
                else [],
            )
            for name, fieldobj in schema.items()
        }

    return shape(stored) == shape(backend.schema)


def _swap_in(new_path, path):
    """Put a freshly built index folder in place of the old one (readers keep their files)."""
    old_path = None
    if os.path.lexists(path):
        old_path = f"{path}.old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(path, old_path)
    os.rename(new_path, path)
    if old_path:
        shutil.rmtree(old_path, ignore_errors=True)


def _writer(ix, *, procs=1):
    if procs > 1:
        return ix.writer(procs=procs, multisegment=True, limitmb=128)
    return ix.writer(timeout=10.0, limitmb=128)


def _write_articles(backend, writer, index, articles, *, replace=True):
    written = skipped = 0
    for article in articles:
        doc = backend.whoosh_document(index, article)
        if doc is None:
            if replace:
                writer.delete_by_term(ID, document_id(article.pk))
            skipped += 1
            continue
        if replace:
            writer.update_document(**doc)
        else:
            writer.add_document(**doc)
        written += 1
    return written, skipped


# Haystack's own entry points (update_index, rebuild_index, update_object) ----------------------


def write_documents(backend, index, objects, *, using=DEFAULT_ALIAS):
    if not isinstance(backend, FrenchWhooshSearchBackend) or not objects:
        return
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        ix = _open_index(backend)
        writer = _writer(ix)
        try:
            _write_articles(backend, writer, index, objects)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


def delete_documents(backend, objects, *, using=DEFAULT_ALIAS):
    from haystack.utils import get_identifier

    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        ix = _open_index(backend)
        writer = _writer(ix)
        for obj in objects:
            writer.delete_by_term(ID, get_identifier(obj))
        writer.commit()


def create_empty_index(*, using=DEFAULT_ALIAS):
    """Replace the index with an empty one (Haystack's ``clear``)."""
    backend = get_backend(using)
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        _create_empty_locked(backend)


def _create_empty_locked(backend):
    new_path = f"{backend.path.rstrip('/')}.new-{os.getpid()}"
    shutil.rmtree(new_path, ignore_errors=True)
    os.makedirs(new_path)
    FileStorage(new_path).create_index(backend.schema, indexname=INDEX_NAME)
    _swap_in(new_path, backend.path)


def optimize_index(*, using=DEFAULT_ALIAS):
    backend = get_backend(using)
    with writer_lock(backend.path, COMMAND_WAIT_SECONDS):
        _open_index(backend).optimize()


# The queue ------------------------------------------------------------------------------------


def queue_index_updates(article_ids, *, using=None):
    """Queue these articles for re-indexing, in the current transaction; drain after commit."""
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    if not ids:
        return
    db_alias = using or "default"
    insert_rows(
        PendingIndexUpdate, [PendingIndexUpdate(article_id=pk) for pk in ids], using=db_alias
    )
    if getattr(_deferral, "depth", 0):
        return  # a bulk write drains once at its end (see deferred_index_drain)
    # One callback per change: after the first has drained, the others find an empty queue
    # (one cheap query each).
    transaction.on_commit(_drain_after_commit, using=db_alias)


_deferral = threading.local()


@contextmanager
def deferred_index_drain(*, drain: bool = True, using=DEFAULT_ALIAS):
    """Within this block, changes queue their index updates but nothing drains after each commit.

    For bulk imports: a drain per file opens and commits the Whoosh writer once per article
    (most of an import's time). The rows are still written in each change's own transaction,
    so nothing is lost; on leaving the block (without an exception) one drain applies them all,
    unless ``drain=False`` (a ``sync_index --rebuild`` follows). Rows left queued are applied
    by the next drain (a save, ``process_index_queue``, ``sync_index``).
    """
    depth = getattr(_deferral, "depth", 0)
    _deferral.depth = depth + 1
    try:
        yield
    finally:
        _deferral.depth = depth
    if drain and depth == 0:
        pending = PendingIndexUpdate.objects.count()
        drain_index_queue(
            wait_seconds=COMMAND_WAIT_SECONDS,
            using=using,
            max_rounds=pending // BATCH_SIZE + 2,
        )


def _drain_after_commit():
    """After a commit: apply the queue if the writer is free soon; never raise into the save."""
    try:
        drain_index_queue(wait_seconds=SAVE_WAIT_SECONDS)
    except Exception:
        logger.exception("Search index: draining the update queue failed; rows stay queued")


@dataclass
class DrainReport:
    status: str = "done"  # "done", "lock busy" or "failed"
    indexed: int = 0
    removed: int = 0
    applied_rows: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "done"

    def __str__(self):
        text = f"{self.status}: indexed {self.indexed}, removed {self.removed}"
        return f"{text} ({self.error})" if self.error else text


def drain_index_queue(
    *, wait_seconds: float = SAVE_WAIT_SECONDS, using=DEFAULT_ALIAS, max_rounds: int = 20
) -> DrainReport:
    """Apply queued updates as the single writer; rows that fail stay queued for the next drain.

    Returns a report whose ``status`` is ``"done"``, ``"lock busy"`` (another process is
    writing: nothing was waited for beyond ``wait_seconds``) or ``"failed"``.
    """
    backend = get_backend(using)
    report = DrainReport()
    if not PendingIndexUpdate.objects.exists():
        return report
    try:
        with writer_lock(lock_target(backend), wait_seconds):
            _drain_locked(backend, report, using=using, max_rounds=max_rounds)
    except LockBusy as busy:
        report.status, report.error = LOCK_BUSY, str(busy)
        _record_failure(None, report.error)
        logger.info("Search index: %s; updates stay queued", busy)
    return report


def _drain_locked(backend, report, *, using, max_rounds):
    index = article_index(using)
    for _ in range(max_rounds):
        pending = PendingIndexUpdate.objects.order_by("id").values_list("id", "article_id")
        rows = list(pending[:BATCH_SIZE])
        if not rows:
            return
        row_ids = [row_id for row_id, _ in rows]
        try:
            indexed, removed = _apply(backend, index, {pk for _, pk in rows}, using=using)
        except Exception as error:
            report.status, report.error = "failed", f"{type(error).__name__}: {error}"
            _record_failure(row_ids, report.error)
            logger.exception("Search index: could not apply %d queued updates", len(rows))
            return
        PendingIndexUpdate.objects.filter(id__in=row_ids).delete()
        report.indexed += indexed
        report.removed += removed
        report.applied_rows += len(rows)


def _apply(backend, index, article_ids, *, using):
    """Write each article's current state: published → (re)indexed, otherwise → removed."""
    if not isinstance(backend, FrenchWhooshSearchBackend):
        return _apply_generic(backend, index, article_ids)
    articles = list(index.index_queryset(using=using).filter(pk__in=article_ids))
    ix = _open_index(backend)
    writer = _writer(ix)
    try:
        indexed, skipped = _write_articles(backend, writer, index, articles)
        gone = set(article_ids) - {article.pk for article in articles}
        for pk in sorted(gone):
            writer.delete_by_term(ID, document_id(pk))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return indexed, len(gone) + skipped


def _apply_generic(backend, index, article_ids):
    """Other engines (Elasticsearch, Solr) through Haystack's own update/remove."""
    articles = list(index.index_queryset().filter(pk__in=article_ids))
    if articles:
        backend.update(index, articles)
    gone = set(article_ids) - {article.pk for article in articles}
    for pk in gone:
        backend.remove(document_id(pk))
    return len(articles), len(gone)


def _record_failure(row_ids, error: str):
    try:
        rows = PendingIndexUpdate.objects.all()
        if row_ids is not None:
            rows = rows.filter(id__in=row_ids)
        rows.update(attempts=F("attempts") + 1, last_error=error[:2000])
    except Exception:
        logger.exception("Search index: could not record a failed drain")


# Status, drift and rebuild ---------------------------------------------------------------------


def _indexed_versions(ix) -> dict[int, int]:
    """Primary key → indexed version (the article's ``updated_at`` in microseconds)."""
    versions = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if not reader.doc_count_all():  # no segments: an EmptyReader has no columns
            return versions
        column = list(reader.column_reader(VERSION_FIELD))
        fieldobj = ix.schema[DJANGO_ID]
        for btext in reader.lexicon(DJANGO_ID):
            for docnum in reader.postings(DJANGO_ID, btext).all_ids():
                versions[int(fieldobj.from_bytes(btext))] = column[docnum]
    return versions


def indexed_article_ids(*, using=DEFAULT_ALIAS) -> set[int]:
    """The primary keys of the articles in the index (raises SearchUnavailable without one)."""
    return set(_indexed_versions(_open_index(get_backend(using), create=False)))


def version_of(updated_at) -> int:
    return int(updated_at.timestamp() * 1_000_000) if updated_at else 0


def index_status(*, using=DEFAULT_ALIAS) -> dict:
    """Published articles, indexed documents (None when the index is unreadable) and the queue."""
    backend = get_backend(using)
    queue = PendingIndexUpdate.objects.aggregate(oldest=Min("queued_at"))
    status = {
        "published": Article.objects.published().count(),
        "indexed": None,
        "pending": PendingIndexUpdate.objects.count(),
        "oldest_pending": queue["oldest"],
        "error": "",
    }
    try:
        status["indexed"] = _open_index(backend, create=False).doc_count()
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

    Creates the index when missing and rebuilds it when unreadable or built with another schema.
    Drift: *missing* (published, not indexed), *stale* (saved since indexed), *ghosts* (indexed,
    no longer published). Changes to related rows (a renamed speaker) do not touch
    ``updated_at``: the queue carries those.
    """
    started = time.monotonic()
    backend = get_backend(using)
    summary = RepairSummary()
    with writer_lock(lock_target(backend), COMMAND_WAIT_SECONDS):
        if not isinstance(backend, FrenchWhooshSearchBackend):
            _sync_generic(backend, summary, using=using, progress=progress, rebuild=rebuild)
            summary.drained = DrainReport()
            _drain_locked(backend, summary.drained, using=using, max_rounds=1000)
            summary.seconds = time.monotonic() - started
            return summary
        reason = "asked" if rebuild else ""
        ix = None
        if not reason:
            if toc_signature(backend.path) is None:
                reason = "no index"
            else:
                try:
                    ix = _open_index(backend, create=False)
                    if not _schema_matches(ix, backend):
                        reason = "schema changed"
                except SearchUnavailable:
                    reason = "index unreadable"
        if reason:
            summary.rebuilt, summary.reason = True, reason
            _rebuild_locked(backend, summary, using=using, progress=progress, procs=procs)
        else:
            _repair_locked(backend, ix, summary, using=using, progress=progress)
        summary.drained = DrainReport()
        _drain_locked(backend, summary.drained, using=using, max_rounds=1000)
    summary.seconds = time.monotonic() - started
    return summary


def rebuild_index(*, using=DEFAULT_ALIAS, progress=None, procs=1) -> RepairSummary:
    """Rebuild the whole index from the database into a new folder, then swap it in."""
    return repair_index(using=using, progress=progress, rebuild=True, procs=procs)


def _repair_locked(backend, ix, summary, *, using, progress):
    index = article_index(using)
    database = {
        pk: version_of(updated_at)
        for pk, updated_at in Article.objects.published().values_list("pk", "updated_at")
    }
    indexed = _indexed_versions(ix)
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
    writer = _writer(ix)
    try:
        done = 0
        for start in range(0, len(to_write), BATCH_SIZE):
            chunk = to_write[start : start + BATCH_SIZE]
            articles = index.index_queryset(using=using).filter(pk__in=chunk)
            written, skipped = _write_articles(backend, writer, index, articles)
            summary.written += written
            summary.removed += skipped
            done += len(chunk)
            if progress:
                progress(done, len(to_write))
        for pk in sorted(ghosts):
            writer.delete_by_term(ID, document_id(pk))
            summary.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _sync_generic(backend, summary, *, using, progress, rebuild):
    """Another engine (Elasticsearch, Solr) through Haystack: send every published article
    again, in batches; a rebuild first clears the engine's index (which also drops ghosts)."""
    index = article_index(using)
    applied_rows = list(PendingIndexUpdate.objects.values_list("id", flat=True))
    if rebuild:
        backend.clear(models=[Article])
        summary.rebuilt, summary.reason = True, "asked"
    queryset = index.index_queryset(using=using)
    total = summary.published = queryset.count()
    batch = []
    for done, article in enumerate(queryset.iterator(chunk_size=BATCH_SIZE), start=1):
        batch.append(article)
        if len(batch) >= BATCH_SIZE or done == total:
            backend.update(index, batch)
            summary.written += len(batch)
            batch = []
            if progress:
                progress(done, total)
    if batch:
        backend.update(index, batch)
        summary.written += len(batch)
    for start in range(0, len(applied_rows), BATCH_SIZE):
        PendingIndexUpdate.objects.filter(id__in=applied_rows[start : start + BATCH_SIZE]).delete()


def _rebuild_locked(backend, summary, *, using, progress, procs):
    index = article_index(using)
    # The rows visible now are reflected by the articles read below. Not "every id up to the
    # largest": a lower id may belong to a transaction that commits later, after its article
    # was read.
    applied_rows = list(PendingIndexUpdate.objects.values_list("id", flat=True))
    queryset = index.index_queryset(using=using)
    total = queryset.count()
    summary.published = total
    new_path = f"{backend.path.rstrip('/')}.new-{os.getpid()}"
    shutil.rmtree(new_path, ignore_errors=True)
    os.makedirs(new_path)
    ix = FileStorage(new_path).create_index(backend.schema, indexname=INDEX_NAME)
    writer = _writer(ix, procs=procs if total >= 1000 else 1)
    try:
        for done, article in enumerate(queryset.iterator(chunk_size=BATCH_SIZE), start=1):
            doc = backend.whoosh_document(index, article)
            if doc is not None:
                writer.add_document(**doc)
                summary.written += 1
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        shutil.rmtree(new_path, ignore_errors=True)
        raise
    _swap_in(new_path, backend.path)
    for start in range(0, len(applied_rows), BATCH_SIZE):
        PendingIndexUpdate.objects.filter(id__in=applied_rows[start : start + BATCH_SIZE]).delete()


# The signal processor -------------------------------------------------------------------------


class QueuedSignalProcessor(BaseSignalProcessor):
    """Queue an index update, in the same transaction, whenever an article's document changes.

    Article, its meeting and people links, and the source, meetings and people it shows.
    """

    def setup(self):
        for model in (Article, ArticleMeeting, ArticlePerson, Source, Meeting, Person):
            signals.post_save.connect(self.handle_save, sender=model)
            signals.post_delete.connect(self.handle_delete, sender=model)
        for through in (Article.meetings.through, Article.people.through):
            signals.m2m_changed.connect(self.handle_m2m, sender=through)

    def teardown(self):
        for model in (Article, ArticleMeeting, ArticlePerson, Source, Meeting, Person):
            signals.post_save.disconnect(self.handle_save, sender=model)
            signals.post_delete.disconnect(self.handle_delete, sender=model)
        for through in (Article.meetings.through, Article.people.through):
            signals.m2m_changed.disconnect(self.handle_m2m, sender=through)

    def handle_save(self, sender, instance, raw=False, using=None, **kwargs):
        if raw:  # loaddata: the rows are not real edits
            return
        queue_index_updates(affected_article_ids(instance), using=using)

    def handle_delete(self, sender, instance, using=None, **kwargs):
        queue_index_updates(affected_article_ids(instance), using=using)

    def handle_m2m(self, sender, instance, action, reverse, pk_set, using=None, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if isinstance(instance, Article):
            ids = [instance.pk]
        elif action == "pre_clear":
            ids = affected_article_ids(instance)
        else:
            ids = list(pk_set or ())
        queue_index_updates(ids, using=using)


def affected_article_ids(instance) -> list[int]:
    """The articles whose search document shows ``instance``."""
    if isinstance(instance, Article):
        return [instance.pk]
    if isinstance(instance, (ArticleMeeting, ArticlePerson)):
        return [instance.article_id]
    published = Article.objects.published()
    if isinstance(instance, Source):
        articles = published.filter(source=instance)
    elif isinstance(instance, Meeting):
        articles = published.filter(meeting_links__meeting=instance)
    elif isinstance(instance, Person):
        articles = published.filter(
            person_links__person=instance, person_links__role=ArticlePerson.Role.QUOTED
        )
    else:
        return []
    return list(articles.values_list("pk", flat=True).distinct())
