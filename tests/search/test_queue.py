"""The index queue: saves queue their update in their own transaction, one writer applies it,
nothing is lost to a busy writer or a failed drain (articles.search.queue)."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from haystack.query import SearchQuerySet

from articles.importing import import_files
from articles.models import Article, PendingIndexUpdate
from articles.search import queue
from articles.search.engine.lock import lock_path_for
from articles.search.maintenance import indexed_article_ids
from articles.search.queue import deferred_index_drain, drain_index_queue
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DEMO_CORPUS = PROJECT_DIR / "demo" / "corpus"

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
    monkeypatch.setattr(queue, "SAVE_WAIT_SECONDS", 0.1)


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
    real_drain = queue.drain_index_queue

    def recording_drain(**kwargs):
        reports.append(real_drain(**kwargs))
        return reports[-1]

    monkeypatch.setattr(queue, "drain_index_queue", recording_drain)
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

    monkeypatch.setattr(queue, "apply_updates", broken)
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

    monkeypatch.setattr(queue, "drain_index_queue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()


CHURN_SCRIPT = """
import os, random, sys
import django
django.setup()
from django.db import transaction
from articles.models import Article, content_hash
from articles.search import queue

queue.SAVE_WAIT_SECONDS = 0.05
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


# Bulk writes queue their index updates and drain once at the end (deferred_index_drain).


def test_commits_inside_the_block_register_no_drain_and_the_end_drains_once(
    search_index, django_capture_on_commit_callbacks
):
    with deferred_index_drain():
        with django_capture_on_commit_callbacks() as callbacks:
            first = ArticleFactory(title="Sommet de la coalition à Rome")
            second = ArticleFactory(title="Réunion ministérielle à Marrakech")
        assert callbacks == []
        assert set(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == {
            first.pk,
            second.pk,
        }
        assert found("sommet") == set()
    assert found("sommet") == {first.pk}
    assert found("marrakech") == {second.pk}
    assert not PendingIndexUpdate.objects.exists()


def test_without_drain_the_rows_stay_queued_for_a_rebuild(search_index):
    with deferred_index_drain(drain=False):
        article = ArticleFactory(title="Sommet de la coalition à Rome")
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [article.pk]
    search_index.drain()
    assert found("sommet") == {article.pk}


def test_outside_the_block_each_commit_drains_again(
    search_index, django_capture_on_commit_callbacks
):
    with deferred_index_drain(drain=False):
        ArticleFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory()
    assert len(callbacks) >= 1


def test_a_bulk_import_inside_the_block_indexes_every_published_article(search_index):
    files = sorted(DEMO_CORPUS.glob("0[1-4]_*"))
    with deferred_index_drain():
        summary = import_files(files, status=Article.Status.PUBLISHED)
    assert summary.count("created") == len(files)
    assert search_index.document_ids() == set(
        Article.objects.published().values_list("pk", flat=True)
    )
