"""Index freshness: the queue, its single writer, drift repair and recovery (articles.indexing)."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from haystack.query import SearchQuerySet

from articles import indexing
from articles.indexing import (
    drain_index_queue,
    index_status,
    indexed_article_ids,
    lock_path_for,
    repair_index,
)
from articles.models import Article, PendingIndexUpdate
from articles.search_backend import SearchUnavailable, reset_searchers
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def found(text):
    return {int(result.pk) for result in SearchQuerySet().using("default").filter(content=text)}


def published_ids():
    return set(Article.objects.published().values_list("pk", flat=True))


@pytest.fixture
def writer_lock_held_elsewhere(search_index):
    """Another OS process holds the index writer lock until the test ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
            lock_path_for(search_index.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.kill()
    holder.wait()


@pytest.fixture
def short_save_wait(monkeypatch):
    monkeypatch.setattr(indexing, "SAVE_WAIT_SECONDS", 0.1)


def test_a_save_queues_its_update_in_the_same_transaction(search_index):
    with transaction.atomic():
        article = ArticleFactory()
        assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    try:
        with transaction.atomic():
            ArticleFactory(title="Jamais enregistré")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [article.pk]


def test_the_commit_drains_the_queue_into_the_index(
    search_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Sommet de la coalition à Rome")
    assert found("sommet") == {article.pk}
    assert not PendingIndexUpdate.objects.exists()


def test_unpublishing_and_deleting_remove_the_document(
    search_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = ArticleFactory(title="Réunion ministérielle")
        unpublished = ArticleFactory(title="Réunion annulée")
        deleted = ArticleFactory(title="Réunion reportée")
    assert indexed_article_ids() == {kept.pk, unpublished.pk, deleted.pk}
    with django_capture_on_commit_callbacks(execute=True):
        unpublished.status = Article.Status.CHECKED
        unpublished.save()
        deleted.delete()
    assert indexed_article_ids() == {kept.pk}


def test_related_rows_refresh_the_documents_that_show_them(search_index):
    article = ArticleFactory(title="Déclaration finale")
    person = PersonFactory(name="Personne Ancienne", slug="zz-personne")
    ArticlePersonFactory(article=article, person=person)
    meeting = MeetingFactory(slug="zz-reunion", city="Genève")
    ArticleMeetingFactory(article=article, meeting=meeting)
    search_index.drain()
    assert found("Ancienne") == {article.pk}

    person.name = "Personne Renommée"
    person.save()
    meeting.city = "Bagdad"
    meeting.save()
    article.source.name = "Journal Renommé"
    article.source.save()
    assert search_index.drain().ok
    assert found("Ancienne") == set()
    assert found("Renommee") == {article.pk}
    assert found("Bagdad") == {article.pk}
    sqs = SearchQuerySet().using("default").all().facet("location")
    assert sqs.facet_counts()["fields"]["location"] == [("bagdad", 1)]


def test_adding_a_meeting_through_the_relation_queues_the_article(search_index):
    article = ArticleFactory()
    search_index.drain()
    meeting = MeetingFactory(slug="zz-amman", city="Amman")
    article.meetings.add(meeting)
    search_index.drain()
    assert found("Amman") == {article.pk}
    meeting.articles.clear()
    search_index.drain()
    assert found("Amman") == set()


def test_a_busy_writer_returns_lock_busy_without_waiting_and_keeps_the_rows(
    search_index, writer_lock_held_elsewhere
):
    article = ArticleFactory()
    report = drain_index_queue(wait_seconds=0.1)
    assert report.status == "lock busy"
    row = PendingIndexUpdate.objects.get(article_id=article.pk)
    assert row.attempts == 1
    assert "lock busy" in row.last_error


def test_a_delete_while_another_process_writes_stays_queued_then_the_next_drain_removes_it(
    search_index, django_capture_on_commit_callbacks, short_save_wait, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Article à supprimer")
    assert indexed_article_ids() == {article.pk}
    reports = []
    real_drain = indexing.drain_index_queue

    def recording_drain(**kwargs):
        reports.append(real_drain(**kwargs))
        return reports[-1]

    monkeypatch.setattr(indexing, "drain_index_queue", recording_drain)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n",
            lock_path_for(search_index.path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.get(pk=article.pk).delete()
        assert [report.status for report in reports] == ["lock busy"]
        assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
        assert indexed_article_ids() == {article.pk}  # still searchable, but not forgotten
    finally:
        holder.stdin.close()
        holder.wait()
    assert real_drain(wait_seconds=5).ok
    assert indexed_article_ids() == set()
    assert not PendingIndexUpdate.objects.exists()


def test_a_failed_drain_leaves_the_rows_and_records_the_error(search_index, monkeypatch):
    article = ArticleFactory()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(indexing, "_apply", broken)
    report = drain_index_queue(wait_seconds=1)
    assert report.status == "failed"
    row = PendingIndexUpdate.objects.get(article_id=article.pk)
    assert (row.attempts, row.last_error) == (1, "OSError: disk full")
    monkeypatch.undo()
    assert drain_index_queue(wait_seconds=1).ok
    assert indexed_article_ids() == {article.pk}


def test_the_on_commit_drain_never_raises_into_the_save(
    search_index, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(indexing, "drain_index_queue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()


def test_repair_finds_and_fixes_missing_stale_and_ghost_documents(search_index):
    missing, stale, ghost, fine = ArticleFactory.create_batch(4)
    search_index.drain()
    indexing.delete_documents(indexing.get_backend(), [missing])
    Article.objects.filter(pk=stale.pk).update(
        title="Titre corrigé en base", updated_at=timezone.now()
    )
    Article.objects.filter(pk=ghost.pk).update(status=Article.Status.TO_CHECK)

    summary = repair_index()
    assert (summary.missing, summary.stale, summary.ghosts) == (1, 1, 1)
    assert indexed_article_ids() == {missing.pk, stale.pk, fine.pk}
    assert found("corrige") == {stale.pk}
    assert repair_index().in_sync_before


def test_sync_index_creates_the_index_when_missing(search_index, capsys):
    ArticleFactory.create_batch(3)
    PendingIndexUpdate.objects.all().delete()
    indexing.shutil.rmtree(search_index.path)
    call_command("sync_index")
    assert "rebuilt (no index): indexed 3" in capsys.readouterr().out
    assert indexed_article_ids() == published_ids()


def test_a_corrupt_index_is_unavailable_to_search_and_sync_index_rebuilds_it(search_index, capsys):
    article = ArticleFactory(title="Conférence de Bruxelles")
    search_index.drain()
    for path in search_index.path.iterdir():
        path.write_bytes(b"\x00garbage")
    reset_searchers()
    with pytest.raises(SearchUnavailable):
        found("Bruxelles")
    call_command("sync_index")
    assert "rebuilt (index unreadable)" in capsys.readouterr().out
    assert found("Bruxelles") == {article.pk}


def test_sync_index_rebuild_reports_progress_and_a_summary(search_index, capsys):
    ArticleFactory.create_batch(5)
    call_command("sync_index", "--rebuild")
    out = capsys.readouterr().out
    assert "indexed 5/5" in out
    assert out.strip().splitlines()[-1].startswith("search index: rebuilt (asked): indexed 5")
    assert not PendingIndexUpdate.objects.exists()


def test_process_index_queue_once_applies_the_queue(search_index, capsys):
    article = ArticleFactory()
    call_command("process_index_queue", "--once")
    assert "done: indexed 1, removed 0" in capsys.readouterr().out
    assert indexed_article_ids() == {article.pk}


def test_index_status_counts_published_indexed_and_pending(search_index):
    first = ArticleFactory()
    search_index.drain()
    ArticleFactory()
    ArticleFactory(status=Article.Status.TO_CHECK)
    status = index_status()
    assert (status["published"], status["indexed"], status["pending"]) == (2, 1, 2)
    assert status["oldest_pending"] is not None
    assert first.pk in indexed_article_ids()


CHURN_SCRIPT = """
import os, random, sys
import django
django.setup()
from django.db import transaction
from articles import indexing
from articles.models import Article, content_hash

indexing.SAVE_WAIT_SECONDS = 0.05
seed, iterations = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
for step in range(iterations):
    ids = list(Article.objects.values_list("pk", flat=True))
    operation = rng.choice(["save", "publish", "unpublish", "delete", "create"])
    with transaction.atomic():
        if operation == "create" or not ids:
            body = f"Article {seed}-{step} de la coalition."
            Article.objects.create(
                title=f"Créé {seed}-{step}", slug=f"cree-{seed}-{step}", body=body,
                content_hash=content_hash(body), status=rng.choice(["published", "to_check"]),
            )
            continue
        article = Article.objects.select_for_update().filter(pk=rng.choice(ids)).first()
        if article is None:
            continue
        if operation == "delete":
            article.delete()
        else:
            if operation == "publish":
                article.status = "published"
            elif operation == "unpublish":
                article.status = "checked"
            article.title = f"Modifié {seed}-{step}"
            article.save()
print("done", flush=True)
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_two_processes_lose_no_update_and_leave_no_ghost(search_index):
    ArticleFactory.create_batch(12)
    ArticleFactory.create_batch(4, status=Article.Status.TO_CHECK)
    assert drain_index_queue(wait_seconds=5).ok
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_URL": f"whoosh://{search_index.path}",
        "DJANGO_SETTINGS_MODULE": "coalition_archive.settings",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHURN_SCRIPT, str(seed), "40"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    stop = threading.Event()

    def drain_meanwhile():
        try:
            while not stop.is_set():
                drain_index_queue(wait_seconds=0.05)
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    drainer = threading.Thread(target=drain_meanwhile)
    drainer.start()
    try:
        outputs = [child.communicate(timeout=240) for child in children]
    finally:
        stop.set()
        drainer.join()
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert out.strip() == "done"

    assert drain_index_queue(wait_seconds=10).ok
    assert not PendingIndexUpdate.objects.exists()
    assert indexed_article_ids() == published_ids()


def test_repair_of_an_empty_index_indexes_everything(search_index):
    articles = ArticleFactory.create_batch(2)
    PendingIndexUpdate.objects.all().delete()
    summary = repair_index()
    assert (summary.missing, summary.rebuilt) == (2, False)
    assert indexed_article_ids() == {article.pk for article in articles}
