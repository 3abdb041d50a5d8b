"""Index faults as a visitor and an operator meet them: a lost index, damaged segment files, an
external engine that is down, a queue that lags and fields edited behind the index's back.

Each one is reported (search and ``/healthz`` answer 503), never hidden behind a page of wrong
results, and ``manage.py sync_index`` repairs what it can.
"""

import json
import shutil
import socket

import haystack
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, PendingIndexUpdate
from articles.search.maintenance import indexed_article_ids
from articles.search.queue import drain_index_queue
from coalition_archive.search_settings import haystack_connections
from tests.conftest import point_haystack_at
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def search_status(client, q="coalition") -> int:
    return client.get("/recherche/", {"q": q}).status_code


def health(client) -> tuple[int, dict]:
    """The health check's status code, overall status and component checks."""
    response = client.get("/healthz")
    body = json.loads(response.content)
    return response.status_code, {"status": body["status"], "checks": body["checks"]}


# --- Point 11: a lost index is reported, never recreated nearly empty -----------------------------


def test_a_save_after_the_index_was_lost_leaves_it_missing_and_its_update_queued(
    client, corpus, search_index, django_capture_on_commit_callbacks
):
    shutil.rmtree(search_index.path)
    article = corpus["rome"]
    article.title = "À Rome, la coalition veut sécuriser ses frontières"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()  # the real path: queue, then drain after the commit
    with pytest.raises(CommandError, match=r"sync_index --rebuild"):
        call_command("process_index_queue", "--once")

    assert not search_index.path.exists(), "a save or a drain must never create the index"
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    response = client.get("/recherche/", {"q": "frontières"})
    assert response.status_code == 503
    assert "La recherche est momentanément indisponible" in response.content.decode()
    assert health(client) == (
        503,
        {"status": "unavailable", "checks": {"database": True, "index": False, "queue": True}},
    )


def test_sync_index_refuses_to_recreate_a_lost_index_of_a_populated_archive(
    client, corpus, search_index
):
    shutil.rmtree(search_index.path)
    with pytest.raises(CommandError, match=r"sync_index --rebuild"):
        call_command("sync_index")
    assert not search_index.path.exists()
    assert search_status(client) == 503

    call_command("sync_index", "--rebuild")
    assert indexed_article_ids() == set(Article.objects.published().values_list("pk", flat=True))
    assert search_status(client) == 200
    assert health(client)[0] == 200


def test_sync_index_creates_the_empty_index_of_an_archive_with_nothing_published(
    client, search_index, capsys
):
    # `make run` on a fresh checkout: no article yet, so no index can have been lost.
    shutil.rmtree(search_index.path)
    call_command("sync_index")
    assert "rebuilt (no index): indexed 0" in capsys.readouterr().out
    assert indexed_article_ids() == set()
    assert health(client)[0] == 200


# --- Point 12: damaged segment bytes are an index failure, and sync_index rebuilds ---------------


def damage_segment(index_path, damage: str) -> None:
    """Flip a few bytes in the middle of the index's largest segment, or cut it in half, in
    place (an index written article by article, as on PostgreSQL, has several segments)."""
    segment = max(index_path.glob("*.seg"), key=lambda path: path.stat().st_size)
    data = bytearray(segment.read_bytes())
    middle = len(data) // 2
    if damage == "flipped bytes":
        for position in range(middle, middle + 24):
            data[position] ^= 0x5A
    else:
        del data[middle:]
    segment.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flipped bytes", "truncated"])
def test_a_damaged_segment_is_reported_everywhere_and_sync_index_rebuilds_it(
    client, corpus, search_index, damage, capsys
):
    article = corpus["rome"]
    assert search_status(client, "frontières") == 200  # this process now holds a searcher
    damage_segment(search_index.path, damage)

    response = client.get("/recherche/", {"q": "frontières"})
    assert response.status_code == 503
    assert "La recherche est momentanément indisponible" in response.content.decode()
    json_response = client.get("/recherche/", {"q": "frontières", "format": "json"})
    assert json_response.status_code == 503
    assert "indisponible" in json.loads(json_response.content)["error"]
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="articles-proches"' not in html  # no related-articles block …
    assert "L’index ne trouve pas d’article proche." not in html  # … and no false "none found"
    assert health(client) == (
        503,
        {"status": "unavailable", "checks": {"database": True, "index": False, "queue": True}},
    )

    call_command("sync_index")
    assert "search index: rebuilt (index damaged)" in capsys.readouterr().out
    assert search_status(client, "frontières") == 200
    assert 'id="articles-proches"' in client.get(article.get_absolute_url()).content.decode()
    assert health(client)[0] == 200


def test_sync_index_rebuilds_once_an_index_written_without_checksums(corpus, search_index, capsys):
    # An index from before the checksums (or whose manifest was lost) cannot show damage: one
    # rebuild gives it a manifest, and the next sync_index finds it in line.
    for manifest in search_index.path.glob("*checksums*"):
        manifest.unlink()
    call_command("sync_index")
    assert "search index: rebuilt (no checksums)" in capsys.readouterr().out
    call_command("sync_index")
    assert "0 missing, 0 stale, 0 ghosts" in capsys.readouterr().out


# --- Point 13: an external engine that is down gives 503, never "no articles" ---------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.fixture
def engine_down(search_index):
    """Haystack configured from a SEARCH_URL naming an engine on a closed port, for one test."""

    def configure(search_url):
        connections_setting = haystack_connections(search_url.format(port=closed_port()))
        settings.HAYSTACK_CONNECTIONS = connections_setting
        haystack.connections.connections_info = connections_setting
        haystack.connections.thread_local.connections = {}

    original = settings.HAYSTACK_CONNECTIONS
    yield configure
    settings.HAYSTACK_CONNECTIONS = original
    point_haystack_at(search_index.path)


@pytest.mark.parametrize(
    "search_url",
    ["elasticsearch://127.0.0.1:{port}/archive", "solr://127.0.0.1:{port}/solr/archive"],
)
def test_an_external_engine_that_is_down_gives_503_and_keeps_the_updates_queued(
    client, engine_down, search_url
):
    pytest.importorskip("elasticsearch" if search_url.startswith("elastic") else "pysolr")
    article = ArticleFactory(title="La coalition se réunit à Rome")
    engine_down(search_url)

    page = client.get("/recherche/", {"q": "coalition"})
    assert page.status_code == 503
    assert "La recherche est momentanément indisponible" in page.content.decode()
    as_json = client.get("/recherche/", {"q": "coalition", "format": "json"})
    assert as_json.status_code == 503
    assert as_json["Content-Type"].startswith("application/json")
    assert "indisponible" in json.loads(as_json.content)["error"]
    as_csv = client.get("/recherche/", {"q": "coalition", "format": "csv"})
    assert as_csv.status_code == 503
    assert as_csv["Content-Type"].startswith("text/plain")
    assert "indisponible" in as_csv.content.decode()
    assert client.get("/recherche/flux/", {"q": "coalition"}).status_code == 503
    assert health(client) == (
        503,
        {"status": "unavailable", "checks": {"database": True, "index": False, "queue": True}},
    )
    for url in ["/", "/reunions/", article.get_absolute_url()]:
        assert client.get(url).status_code == 200, url

    report = drain_index_queue(wait_seconds=5.0)
    assert report.status == "failed"
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()


# --- Point 14: fields edited in SQL, behind updated_at's back, are found and repaired -------------


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def found_total(client, **params) -> int:
    return json.loads(client.get("/recherche/", {**params, "format": "json"}).content)["total"]


def test_check_index_finds_and_repairs_a_title_edited_in_sql_that_sync_index_cannot_see(
    client, corpus, search_index, capsys
):
    article, other = corpus["rome"], corpus["koweit"]
    sql("UPDATE articles_article SET title = %s WHERE id = %s", ["Bagdad accueille", article.pk])
    sql("UPDATE articles_meeting SET slug = %s WHERE slug = %s", ["koweit-2018-bis", "koweit-2018"])
    call_command("sync_index")
    assert "0 missing, 0 stale, 0 ghosts" in capsys.readouterr().out  # versions alone: no drift
    assert found_total(client, q="Bagdad") == 0

    with pytest.raises(CommandError, match=r"2 articles differ.*check_index --repair"):
        call_command("check_index")
    out = capsys.readouterr().out
    assert f"article {article.pk} ({article.slug}): title differ" in out
    assert f"article {other.pk} ({other.slug}): meeting differ" in out

    call_command("check_index", "--repair")
    assert "differ, repaired 2" in capsys.readouterr().out
    assert found_total(client, q="Bagdad") == 1
    assert found_total(client, reunion="koweit-2018-bis") == 1
    call_command("check_index")
    assert "0 differ" in capsys.readouterr().out
