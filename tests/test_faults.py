"""Faults: a database that is down, an import killed half-way, a search index lost or damaged.

Each leaves the archive consistent and says so in the site's own words, never a traceback.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import haystack
import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import RequestFactory

from articles.importing import import_article
from articles.models import Article, content_hash
from coalition_archive.middleware import server_error
from coalition_archive.search_settings import WHOOSH_ENGINE
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEMO_CORPUS = PROJECT_DIR / "demo" / "corpus"
SITE_MARKER = 'class="site-header"'
UNAVAILABLE_MARKER = "Service momentanément indisponible"


def assert_site_page(response, status):
    html = response.content.decode()
    assert response.status_code == status, html[:500]
    assert SITE_MARKER in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


# --- The database is unavailable ---------------------------------------------------------------


@pytest.fixture
def database_down():
    """Every attempt to reach the database fails as a refused connection does."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refused):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/reunions/",
        "/reunions/rome-2021/",
        "/intervenants/",
        "/sources/",
        "/articles/un-article/",
        "/recherche/?q=coalition",
        "/admin/",
        "/admin/login/",
    ],
)
def test_an_unavailable_database_gives_the_sites_503_page(client, database_down, url):
    response = client.get(url)
    assert_site_page(response, 503)
    assert UNAVAILABLE_MARKER in response.content.decode()
    assert response["Retry-After"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_healthz_says_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] is False


def test_a_database_failure_outside_any_view_is_a_503_too():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert UNAVAILABLE_MARKER in response.content.decode()


def test_any_other_server_error_keeps_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "a bug" not in response.content.decode()


def free_closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_production_server_pointed_at_a_closed_port_answers_503_not_a_traceback(tmp_path):
    """The real thing: DEBUG off, collected static files, PostgreSQL refusing connections."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SEARCH_URL"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="k" * 20 + os.urandom(24).hex(),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_closed_port()}/archive",
        SEARCH_URL=f"whoosh://{tmp_path / 'index'}",
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="coalition_archive.settings",
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    script = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "out = {}\n"
        "urls = ['/', '/reunions/', '/articles/x/', '/recherche/?q=a', '/admin/', '/healthz']\n"
        "for url in urls:\n"
        "    r = client.get(url, secure=True)\n"
        "    out[url] = [r.status_code, r.content.decode()]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    for url, (status, html) in pages.items():
        assert status == 503, (url, html[:300])
        if url == "/healthz":
            assert json.loads(html) == {
                "status": "unavailable",
                "checks": {"database": False, "index": False, "queue": False},
                "queue": {"pending": None, "oldest_seconds": None},
            }
            continue
        assert UNAVAILABLE_MARKER in html, url
        assert SITE_MARKER in html and "/static/css/site." in html, url
        assert "Traceback" not in html and "psycopg" not in html, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/recherche/?q=coalition&format=json", "application/json"),
        ("/articles/un-article/citation.json", "application/json"),
        ("/recherche/?q=coalition&format=csv", "text/plain"),
        ("/articles/un-article/citation.bib", "text/plain"),
        ("/articles/un-article/citation.ris", "text/plain"),
    ],
)
def test_an_unavailable_database_gives_exports_a_json_or_plain_text_error(
    client, database_down, url, content_type
):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert response["Retry-After"]
    body = response.content.decode()
    if content_type == "application/json":
        assert "base de données" in json.loads(body)["error"]
    else:
        assert "base de données" in body and "<" not in body


def silent_server() -> socket.socket:
    """A port that accepts connections and never answers, as a hung database server does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)  # the kernel completes the handshakes; nobody ever reads or writes
    return server


def test_a_database_that_accepts_and_never_answers_gives_503_within_the_connect_timeout(
    tmp_path,
):
    server = silent_server()
    port = server.getsockname()[1]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SEARCH_URL", "DATABASE_CONNECT_TIMEOUT"}
    }
    env.update(
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/archive",
        DATABASE_CONNECT_TIMEOUT="2",
        SEARCH_URL=f"whoosh://{tmp_path / 'index'}",
        DJANGO_SETTINGS_MODULE="coalition_archive.settings",
    )
    script = (
        "import json, time, django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "out = {}\n"
        "urls = ['/', '/intervenants/', '/recherche/?q=a&format=json', "
        "'/recherche/?q=a&format=csv']\n"
        "for url in urls:\n"
        "    started = time.monotonic()\n"
        "    r = client.get(url)\n"
        "    out[url] = [r.status_code, r['Content-Type'], r.content.decode(), "
        "time.monotonic() - started]\n"
        "print(json.dumps(out))\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    for url, (status, _, body, seconds) in pages.items():
        assert status == 503, (url, body[:300])
        assert seconds < 15, (url, seconds)  # never the worker's 60 s
        assert "Traceback" not in body, url
    assert UNAVAILABLE_MARKER in pages["/"][2]
    assert UNAVAILABLE_MARKER in pages["/intervenants/"][2]
    assert pages["/recherche/?q=a&format=json"][1].startswith("application/json")
    assert pages["/recherche/?q=a&format=csv"][1].startswith("text/plain")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_that_hangs_gives_the_503_page_after_the_statement_timeout(client):
    """Another session holds a lock the page needs: the page gives up, it does not hang."""
    import psycopg
    from django.db import connection

    article = ArticleFactory(status=Article.Status.PUBLISHED)
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("options")
    options["options"] = "-c statement_timeout=1s"
    connection.close()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("options", None)
    params.pop("context", None)
    locker = psycopg.connect(**params)
    try:
        locker.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = client.get(article.get_absolute_url())
        elapsed = time.monotonic() - started
    finally:
        locker.rollback()
        locker.close()
        options["options"] = saved
        connection.close()
    assert_site_page(response, 503)
    assert UNAVAILABLE_MARKER in response.content.decode()
    assert elapsed < 10


# --- An import killed half-way -------------------------------------------------------------------


def make_corpus(folder: Path, copies: int) -> list[Path]:
    """``copies`` distinct text articles: the demo's, each with a paragraph of its own."""
    sources = sorted(DEMO_CORPUS.glob("*.txt"))
    folder.mkdir()
    files = []
    for number in range(copies):
        original = sources[number % len(sources)]
        raw = original.read_bytes()
        try:
            raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"  # the demo keeps a legacy-encoded file or two, as the press does
        addition = (
            f"\n\nMise à jour n° {number} : la coalition a publié un nouveau bilan "
            f"de {number + 7} pages sur la stabilisation des zones libérées.\n"
        )
        path = folder / f"{number:04d}_{original.name}"
        path.write_bytes(raw.rstrip(b"\r\n") + addition.encode(encoding))
        files.append(path)
    return files


def count_articles(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0]
    except sqlite3.Error:
        return 0


def read_articles(database: Path) -> dict[str, dict]:
    with sqlite3.connect(str(database)) as db:
        rows = db.execute(
            "SELECT id, original_filename, body, content_hash, length(raw_file), title "
            "FROM articles_article"
        ).fetchall()
        articles = {}
        for pk, filename, body, digest, raw_size, title in rows:
            counts = {
                table: db.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE article_id = ?", (pk,)
                ).fetchone()[0]
                for table in ["articles_articlemeeting", "articles_articleperson", "articles_quote"]
            }
            articles[filename] = {
                "body": body,
                "hash": digest,
                "raw_size": raw_size,
                "title": title,
                **counts,
            }
    return articles


@pytest.mark.slow
@pytest.mark.django_db
def test_an_import_killed_midway_leaves_only_complete_articles(tmp_path):
    files = make_corpus(tmp_path / "corpus", copies=120)
    database = tmp_path / "killed.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_URL": f"whoosh://{tmp_path / 'index'}",
        "DEBUG": "1",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(tmp_path / "corpus")],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill it as soon as a few files are in: the next one is then being written.
        while count_articles(database) < 3 and importer.poll() is None:
            time.sleep(0.05)
        time.sleep(0.2)
        assert importer.poll() is None, "the import finished before it could be killed"
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()

    survivors = read_articles(database)  # SQLite rolls back the interrupted file's transaction
    assert 3 <= len(survivors) < len(files)
    for filename, stored in survivors.items():
        raw = (tmp_path / "corpus" / filename).read_bytes()
        assert stored["body"].strip(), filename
        assert stored["hash"] == content_hash(stored["body"]), filename
        assert stored["raw_size"] == len(raw), filename
        # The same file imported whole here proposes exactly what the survivor holds.
        result = import_article(raw=raw, filename=filename)
        article = Article.objects.get(pk=result.article.pk)
        assert stored["title"] == article.title
        assert stored["articles_articlemeeting"] == article.meeting_links.count(), filename
        assert stored["articles_articleperson"] == article.person_links.count(), filename
        assert stored["articles_quote"] == article.quotes.count(), filename
    with sqlite3.connect(str(database)) as db:
        orphans = db.execute(
            "SELECT COUNT(*) FROM articles_articlemeeting WHERE article_id NOT IN "
            "(SELECT id FROM articles_article)"
        ).fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert orphans == 0


# --- The search index is missing or damaged ------------------------------------------------------


@pytest.fixture
def point_search_at(_isolated_search_index):
    """Point Haystack at another Whoosh folder for one test, then back at the session's."""
    from articles.search.engine.whoosh.handle import reset_searchers

    original = settings.HAYSTACK_CONNECTIONS

    def point(path):
        connections = {"default": {"ENGINE": WHOOSH_ENGINE, "PATH": str(path)}}
        settings.HAYSTACK_CONNECTIONS = connections
        haystack.connections.connections_info = connections
        haystack.connections.thread_local.connections = {}
        reset_searchers()

    yield point
    point(original["default"]["PATH"])


@pytest.fixture
def published_article(db):
    meeting = MeetingFactory(slug="reunion-des-pannes")
    article = ArticleFactory(title="La coalition se retrouve", slug="la-coalition-se-retrouve")
    ArticleMeetingFactory(article=article, meeting=meeting)
    return article


def assert_search_unavailable_but_site_up(client, article):
    response = client.get("/recherche/", {"q": "coalition"})
    assert_site_page(response, 503)
    assert "indisponible" in response.content.decode()
    assert client.get("/recherche/", {"q": "coalition", "format": "json"}).status_code == 503
    assert client.get("/recherche/", {"q": "coalition", "format": "csv"}).status_code == 503
    assert client.get("/recherche/flux/", {"q": "coalition"}).status_code == 503
    for url in ["/", "/reunions/", "/reunions/reunion-des-pannes/", article.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 503
    assert json.loads(health.content)["checks"] == {
        "database": True,
        "index": False,
        "queue": True,
    }


def test_a_missing_index_makes_search_unavailable_while_the_site_works(
    client, published_article, point_search_at, tmp_path
):
    point_search_at(tmp_path / "nothing-here")
    assert_search_unavailable_but_site_up(client, published_article)
    assert not (tmp_path / "nothing-here").exists() or not any(
        (tmp_path / "nothing-here").iterdir()
    )


def test_a_corrupt_index_makes_search_unavailable_while_the_site_works(
    client, published_article, search_index, point_search_at
):
    search_index.drain()
    assert client.get("/recherche/", {"q": "coalition"}).status_code == 200
    for toc in search_index.path.glob("*.toc"):
        toc.write_bytes(b"not a table of contents" * 20)
    for segment in search_index.path.glob("*.seg"):
        segment.write_bytes(b"\x00" * 64)
    point_search_at(search_index.path)  # drop every cached searcher: the next request reopens
    assert_search_unavailable_but_site_up(client, published_article)
