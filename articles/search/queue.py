"""Keeping the search index fresh without losing updates: a queue and its single writer.

**The one upstream edge.** Writes (imports, curation, the admin) never call the engine: they
call :func:`queue_index_updates`, the only function of the search package the write side uses
to reach it (plus :func:`deferred_index_drain` around a bulk write). Signals of
:class:`QueuedSignalProcessor` call it too, for every change to what an article's document shows.

It inserts a ``PendingIndexUpdate`` row in the change's own transaction. After the commit, the
save applies only its own articles' rows, so a request's cost never depends on how long the
queue is; ``manage.py process_index_queue`` (the index worker) and ``manage.py sync_index``
apply the rest. A drain takes the writer lock shared by every process (with a bounded wait),
re-reads each queued article's current state and writes it or removes it through the configured
engine, then deletes exactly the rows it applied. A failed drain leaves its rows for the next
one. Haystack's realtime processor, by contrast, drops a delete that meets a busy Whoosh writer.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, signals
from django.utils import timezone
from haystack import connections
from haystack.constants import DEFAULT_ALIAS
from haystack.signals import BaseSignalProcessor

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
from articles.search.engine import configured_engine
from articles.search.engine.lock import COMMAND_WAIT_SECONDS, LOCK_BUSY, writer_lock
from articles.search.errors import LockBusy

logger = logging.getLogger(__name__)

# How long a save waits for the writer lock before leaving its update queued.
SAVE_WAIT_SECONDS = getattr(settings, "HAYSTACK_SAVE_LOCK_WAIT_SECONDS", 2.0)
# Queued rows applied in one engine write.
BATCH_SIZE = 500

__all__ = [
    "COMMAND_WAIT_SECONDS",
    "DrainReport",
    "QueueLag",
    "QueuedSignalProcessor",
    "affected_article_ids",
    "deferred_index_drain",
    "drain_index_queue",
    "queue_index_updates",
    "queue_lag",
]


def queue_index_updates(article_ids, *, using=None):
    """Queue these articles for re-indexing, in the current transaction; drain after commit.

    The write side's one way into the search index (see the module's docstring).
    """
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    if not ids:
        return
    db_alias = using or "default"
    insert_rows(
        PendingIndexUpdate, [PendingIndexUpdate(article_id=pk) for pk in ids], using=db_alias
    )
    if getattr(_deferral, "depth", 0):
        return  # a bulk write drains once at its end (see deferred_index_drain)
    # One callback per change, bounded by the change's own articles: a save never applies the
    # backlog others left (thousands of rows held an admin request past the worker timeout).
    transaction.on_commit(lambda: _drain_after_commit(ids), using=db_alias)


_deferral = threading.local()


@contextmanager
def deferred_index_drain(*, drain: bool = True, using=DEFAULT_ALIAS):
    """Within this block, changes queue their index updates but nothing drains after each commit.

    For bulk imports: a drain per file would open and commit the index writer once per article.
    The rows are still written in each change's own transaction, so nothing is lost; on leaving
    the block (without an exception) one drain applies them all, unless ``drain=False`` (a
    ``sync_index --rebuild`` follows). Rows left queued are applied by the next drain (a save,
    ``process_index_queue``, ``sync_index``).
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


def _drain_after_commit(article_ids):
    """After a commit: apply these articles' rows if the writer is free soon, and only theirs;
    never raise into the save."""
    try:
        drain_index_queue(wait_seconds=SAVE_WAIT_SECONDS, article_ids=article_ids)
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
    *,
    wait_seconds: float = SAVE_WAIT_SECONDS,
    using=DEFAULT_ALIAS,
    max_rounds: int = 20,
    article_ids=None,
) -> DrainReport:
    """Apply queued updates as the single writer; rows that fail stay queued for the next drain.

    With ``article_ids``, only those articles' rows (a save's own). Returns a report whose
    ``status`` is ``"done"``, ``"lock busy"`` (another process is writing: nothing was waited
    for beyond ``wait_seconds``) or ``"failed"``.
    """
    engine = configured_engine(using)
    report = DrainReport()
    pending = PendingIndexUpdate.objects.all()
    if article_ids is not None:
        article_ids = sorted(set(article_ids))
        pending = pending.filter(article_id__in=article_ids)
        max_rounds = len(article_ids) // BATCH_SIZE + 2
    if not pending.exists():
        return report
    try:
        with writer_lock(engine.lock_target, wait_seconds):
            drain_locked(
                engine, report, using=using, max_rounds=max_rounds, article_ids=article_ids
            )
    except LockBusy as busy:
        report.status, report.error = LOCK_BUSY, str(busy)
        _record_failure(None, report.error, article_ids=article_ids)
        logger.info("Search index: %s; updates stay queued", busy)
    return report


def drain_locked(
    engine, report: DrainReport, *, using=DEFAULT_ALIAS, max_rounds: int, article_ids=None
):
    """The drain's work, with the writer lock already held (``sync_index`` holds it too)."""
    queued = PendingIndexUpdate.objects.all()
    if article_ids is not None:
        queued = queued.filter(article_id__in=article_ids)
    for _ in range(max_rounds):
        pending = queued.order_by("id").values_list("id", "article_id")
        rows = list(pending[:BATCH_SIZE])
        if not rows:
            return
        row_ids = [row_id for row_id, _ in rows]
        try:
            indexed, removed = apply_updates(engine, {pk for _, pk in rows}, using=using)
        except Exception as error:
            report.status, report.error = "failed", f"{type(error).__name__}: {error}"
            _record_failure(row_ids, report.error)
            logger.exception("Search index: could not apply %d queued updates", len(rows))
            return
        PendingIndexUpdate.objects.filter(id__in=row_ids).delete()
        report.indexed += indexed
        report.removed += removed
        report.applied_rows += len(rows)


def apply_updates(engine, article_ids, *, using=DEFAULT_ALIAS) -> tuple[int, int]:
    """Write each article's current state: published → (re)indexed, otherwise → removed."""
    index = connections[using].get_unified_index().get_index(Article)
    articles = list(index.index_queryset(using=using).filter(pk__in=article_ids))
    gone = set(article_ids) - {article.pk for article in articles}
    return engine.write(articles, gone_ids=gone)


def _record_failure(row_ids, error: str, *, article_ids=None):
    try:
        rows = PendingIndexUpdate.objects.all()
        if row_ids is not None:
            rows = rows.filter(id__in=row_ids)
        if article_ids is not None:
            rows = rows.filter(article_id__in=article_ids)
        rows.update(attempts=F("attempts") + 1, last_error=error[:2000])
    except Exception:
        logger.exception("Search index: could not record a failed drain")


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


@dataclass(frozen=True)
class QueueLag:
    """How far the index is behind the database: queued updates and the oldest one's age."""

    pending: int
    oldest_seconds: int | None

    def within(self, *, max_pending: int, max_age_seconds: int) -> bool:
        """Both under their limits (a limit of 0 is no limit)."""
        too_many = bool(max_pending) and self.pending > max_pending
        too_old = bool(max_age_seconds) and (self.oldest_seconds or 0) > max_age_seconds
        return not (too_many or too_old)


def queue_lag() -> QueueLag:
    """The queue's size and the age in seconds of its oldest row (None when empty): one query."""
    queue = PendingIndexUpdate.objects.aggregate(pending=Count("id"), oldest=Min("queued_at"))
    oldest = queue["oldest"]
    age = None if oldest is None else max(int((timezone.now() - oldest).total_seconds()), 0)
    return QueueLag(pending=queue["pending"], oldest_seconds=age)
