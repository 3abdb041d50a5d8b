"""Shared fixtures: factories, and the rule for tests that need PostgreSQL or Chromium.

Those tests skip with a reason on a machine that lacks the service, and fail in CI, where
``.ci/run`` sets ARCHIVE_REQUIRE_SERVICES=1.
"""

import contextlib
import os
import shutil
import signal

import pytest

SERVICES_REQUIRED = os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def skip_or_fail(reason: str):
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} — required here because ARCHIVE_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    if os.path.exists(CHROMIUM_PATH):
        return CHROMIUM_PATH
    return shutil.which("chromium") or shutil.which("chromium-browser")


# Flags for a headless Chromium in a container, without network services of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def launched_chromium(**launch_options):
    """Debian's Chromium driven by Playwright's sync API, closed on exit.

    Playwright runs the test's code under its own context variables, where Django's connection
    handler keeps connections apart from the ones pytest-django closes: those opened by the
    test's ORM calls meanwhile are closed here, or PostgreSQL refuses to drop the test database
    at the end of the session ("being accessed by other users").
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Checked here too, not only by the autouse fixture: a module-scoped browser fixture is set
    # up before any function-scoped one, so it would error instead of skipping.
    if chromium_executable() is None:
        skip_or_fail(f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS, **launch_options
        )
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


@pytest.fixture(autouse=True)
def _required_services(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            skip_or_fail(
                "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive"
            )
    if request.node.get_closest_marker("browser") and chromium_executable() is None:
        skip_or_fail(f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)")


# --- Reference data in transactional tests ------------------------------------------------------
# A transactional test (live_server, transaction=True) ends by flushing every table, which also
# removes the reference meetings, people, groups and synonyms the migrations seeded. Seed them
# again before each such test, so no test depends on running before or after another.


def reseed_reference_data():
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from articles.models import Meeting, SynonymGroup

    if Meeting.objects.exists():
        return
    importlib.import_module("articles.migrations.0002_reference_data").load_reference_data(
        apps, None
    )
    groups = importlib.import_module("articles.migrations.0004_editorial_groups_and_synonyms")
    for name, codenames in [
        ("Éditeur", groups.EDITOR_PERMISSIONS),
        ("Relecteur", groups.REVIEWER_PERMISSIONS),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
    for name, terms in groups.SYNONYMS.items():
        SynonymGroup.objects.get_or_create(name=name, defaults={"terms": terms})


def is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    if is_transactional(request):
        request.getfixturevalue("transactional_db")
        reseed_reference_data()


# --- Search index fixtures (articles.search.queue, .maintenance, .engine.whoosh) ----------------
# Tests never touch the developer's data/whoosh_index: the whole session writes to a temporary
# folder, and `search_index` gives a test a clean, empty index.


def point_haystack_at(index_path):
    """Make every Haystack connection of this process use the Whoosh index at ``index_path``."""
    import haystack
    from django.conf import settings

    from articles.search.engine.whoosh.handle import reset_searchers
    from coalition_archive.search_settings import WHOOSH_ENGINE

    connections_setting = {"default": {"ENGINE": WHOOSH_ENGINE, "PATH": str(index_path)}}
    settings.HAYSTACK_CONNECTIONS = connections_setting
    haystack.connections.connections_info = connections_setting
    haystack.connections.thread_local.connections = {}
    reset_searchers()


@pytest.fixture(scope="session", autouse=True)
def _isolated_search_index(tmp_path_factory):
    """Point Haystack at a temporary Whoosh index for the whole test session."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("search") / "whoosh_index"
    original_path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH")
    point_haystack_at(path)
    # An empty index exists from the start, as after `make run` on an empty archive.
    from articles.search.maintenance import create_empty_index

    create_empty_index()
    yield path
    if original_path:
        point_haystack_at(original_path)


class SearchIndexForTests:
    """The test's index: ``drain()`` applies queued updates, ``document_ids()`` lists it."""

    def __init__(self, path):
        self.path = path

    def drain(self, **kwargs):
        from articles.search.queue import drain_index_queue

        kwargs.setdefault("wait_seconds", 5.0)
        return drain_index_queue(**kwargs)

    def document_ids(self) -> set[int]:
        from articles.search.maintenance import indexed_article_ids

        return indexed_article_ids()


@pytest.fixture
def search_index(_isolated_search_index):
    """A clean, empty search index for this test (the session's temporary folder).

    Saves queue index updates and drain them when their transaction commits; inside a plain
    ``django_db`` test nothing commits, so apply the queue yourself:

        def test_…(search_index):
            ArticleFactory(title="…")
            search_index.drain()            # queued rows → index, inside the test transaction
            SearchQuerySet().filter(…)

    or run the real on-commit path with
    ``with django_capture_on_commit_callbacks(execute=True): ArticleFactory(…)``, or mark the
    test ``django_db(transaction=True)`` (then every commit drains, as in production).
    """
    from articles.search.engine.whoosh.handle import reset_searchers
    from articles.search.maintenance import create_empty_index

    # Again, in case a test before this one left Haystack's cached connections elsewhere.
    point_haystack_at(_isolated_search_index)
    create_empty_index()
    yield SearchIndexForTests(_isolated_search_index)
    reset_searchers()


@pytest.fixture
def fails_instead_of_hanging():
    """A command that opens a named pipe blocks forever: fail the test after 30 s instead."""

    def hung(signum, frame):
        raise TimeoutError("the import blocked (did it open a named pipe?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
