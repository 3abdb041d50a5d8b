"""``/healthz`` tells a load balancer whether the archive can serve, and nothing more."""

import json
from contextlib import contextmanager
from unittest import mock

import haystack
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings
from whoosh import fields, index

from tests.conftest import point_haystack_at

pytestmark = pytest.mark.django_db


@contextmanager
def whoosh_at(path):
    """Haystack's connections point at the Whoosh index at ``path`` within the block."""
    previous = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    point_haystack_at(path)
    try:
        yield
    finally:
        point_haystack_at(previous)


@pytest.fixture
def index_dir(tmp_path):
    """A real, empty Whoosh index in a folder of its own."""
    path = tmp_path / "whoosh_index"
    path.mkdir()
    index.create_in(str(path), fields.Schema(id=fields.ID(stored=True, unique=True)))
    return path


def health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_healthz_is_ok_when_the_database_and_the_index_answer(client, index_dir):
    with whoosh_at(index_dir):
        response, body = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {
        "status": "ok",
        "checks": {"database": True, "index": True, "queue": True},
        "queue": {"pending": 0, "oldest_seconds": None},
    }


def test_a_missing_index_folder_is_reported_and_not_created(client, tmp_path):
    missing = tmp_path / "no_index_here"
    with whoosh_at(missing):
        response, body = health(client)
    assert response.status_code == 503
    assert body == {
        "status": "unavailable",
        "checks": {"database": True, "index": False, "queue": True},
        "queue": {"pending": 0, "oldest_seconds": None},
    }
    assert not missing.exists(), "a health check must never create the index"


def test_an_empty_index_folder_is_reported_unavailable(client, tmp_path):
    with whoosh_at(tmp_path):
        response, body = health(client)
    assert response.status_code == 503
    assert body["checks"] == {"database": True, "index": False, "queue": True}


def test_a_corrupt_index_is_reported_unavailable(client, index_dir):
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(b"\x00garbage, not a Whoosh table of contents\xff" * 10)
    with whoosh_at(index_dir):
        response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["index"] is False


def test_an_index_with_missing_segment_files_is_reported_unavailable(client, index_dir):
    writer = index.open_dir(str(index_dir)).writer()
    writer.add_document(id="1")
    writer.commit()
    for segment in index_dir.glob("*.seg"):
        segment.unlink()
    with whoosh_at(index_dir):
        response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["index"] is False


def test_an_unreachable_database_gives_503_without_leaking_the_error(client, index_dir):
    secret_detail = "could not connect to server at /var/run/postgresql 10.0.0.7 PostgreSQL 16.2"
    with (
        whoosh_at(index_dir),
        mock.patch.object(connection, "cursor", side_effect=OperationalError(secret_detail)),
    ):
        response, body = health(client)
    assert response.status_code == 503
    assert body == {
        "status": "unavailable",
        "checks": {"database": False, "index": True, "queue": False},
        "queue": {"pending": None, "oldest_seconds": None},
    }


def test_the_answer_names_no_path_version_or_exception(client, tmp_path):
    missing = tmp_path / "index-folder-name-that-must-not-leak"
    with (
        whoosh_at(missing),
        mock.patch.object(connection, "cursor", side_effect=OperationalError("psycopg 3.3 boom")),
    ):
        response = client.get("/healthz")
    text = response.content.decode()
    for leak in ["index-folder-name", str(tmp_path), "psycopg", "boom", "Error", "whoosh", "/"]:
        assert leak not in text


def test_the_answer_is_never_cached(client, index_dir):
    with whoosh_at(index_dir):
        response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_head_and_refuses_writes(client, index_dir):
    with whoosh_at(index_dir):
        assert client.head("/healthz").status_code == 200
        assert client.post("/healthz").status_code == 405


def test_healthz_is_served_over_plain_http_when_https_is_enforced(client, index_dir):
    # The container's own health check cannot speak TLS: /healthz is exempt from the redirect.
    with override_settings(SECURE_SSL_REDIRECT=True), whoosh_at(index_dir):
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 301


def test_healthz_checks_an_elasticsearch_engine_with_a_ping(client):
    es = {"default": {"ENGINE": "haystack.backends.elasticsearch7_backend.X", "URL": "x"}}
    backend = mock.Mock()
    backend.conn.ping.return_value = False
    with (
        override_settings(HAYSTACK_CONNECTIONS=es),
        mock.patch("articles.search.engine.connections") as haystack_connections,
    ):
        haystack_connections.__getitem__.return_value.get_backend.return_value = backend
        response, body = health(client)
        assert body["checks"]["index"] is False
        backend.conn.ping.return_value = True
        response, body = health(client)
    # Haystack's engines read their options from settings when first built: one built while the
    # override was active would keep the Elasticsearch options for the tests that follow.
    haystack.connections.reload("default")
    assert response.status_code == 200
    assert body["checks"] == {"database": True, "index": True, "queue": True}


# --- The index queue's lag (issue 16, point 14) -------------------------------------------------


def queue_updates(count):
    from articles.models import PendingIndexUpdate
    from tests.factories import ArticleFactory

    for article in ArticleFactory.create_batch(count):
        PendingIndexUpdate.objects.get_or_create(article_id=article.pk)
    return PendingIndexUpdate.objects.all()


def test_healthz_reports_the_queue_and_fails_when_its_oldest_row_is_too_old(client, index_dir):
    from django.utils import timezone

    rows = queue_updates(2)
    with whoosh_at(index_dir):
        response, body = health(client)
        assert response.status_code == 200
        assert body["queue"]["pending"] == rows.count()
        assert 0 <= body["queue"]["oldest_seconds"] < 60
        # The indexer stopped two hours ago: the rows it should have applied are still there.
        rows.update(queued_at=timezone.now() - timezone.timedelta(hours=2))
        response, body = health(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": True, "index": True, "queue": False}
    assert body["queue"]["oldest_seconds"] >= 2 * 3600


def test_healthz_fails_when_more_updates_are_queued_than_allowed(client, index_dir, settings):
    settings.INDEX_QUEUE_MAX_PENDING = 2
    queue_updates(3)
    with whoosh_at(index_dir):
        response, body = health(client)
        assert response.status_code == 503
        assert body["checks"]["queue"] is False
        assert body["queue"]["pending"] == 3
        settings.INDEX_QUEUE_MAX_PENDING = 0  # no limit
        assert health(client)[0].status_code == 200


def test_the_queue_limits_come_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.INDEX_QUEUE_MAX_PENDING, settings.INDEX_QUEUE_MAX_AGE_SECONDS)"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="coalition_archive.settings")
    env.pop("INDEX_QUEUE_MAX_PENDING", None)
    env.pop("INDEX_QUEUE_MAX_AGE_SECONDS", None)
    project = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-c", script]
    defaults = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert defaults.stdout.split() == ["20000", "1800"], defaults.stderr
    env.update(INDEX_QUEUE_MAX_PENDING="50", INDEX_QUEUE_MAX_AGE_SECONDS="120")
    chosen = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert chosen.stdout.split() == ["50", "120"], chosen.stderr
