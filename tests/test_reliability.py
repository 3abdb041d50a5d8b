"""Under concurrent writers — an editor's saves and deletes, and a bulk import — while readers
search, the index ends exactly in step with the database: no lost update, no ghost article."""

import os
import subprocess
import sys
import threading

import pytest
from django.db import connection

from articles import search
from articles.models import Article, PendingIndexUpdate
from articles.search.maintenance import indexed_article_ids
from articles.search.queue import drain_index_queue
from tests.factories import ArticleFactory
from tests.search.test_queue import CHURN_SCRIPT, PROJECT_DIR, published_ids

CITIES = ["Rome", "Amman", "Koweït", "Marrakech", "Riyad", "Washington"]


def write_dispatches(folder, count):
    """Small, distinct French dispatches for the import process (written for this test)."""
    for number in range(count):
        city = CITIES[number % len(CITIES)]
        (folder / f"depeche-{number:03d}.txt").write_text(
            f"Dépêche numéro {number} depuis {city}\n\n"
            f"{city}, 14 novembre 2019 (AFP) – La coalition a fait le point sur la sécurité "
            f"régionale, a indiqué un diplomate sous le numéro d’ordre {number}.\n",
            encoding="utf-8",
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_and_an_editor_writing_at_once_while_readers_search_lose_nothing(
    search_index, tmp_path
):
    ArticleFactory.create_batch(10)
    assert drain_index_queue(wait_seconds=5).ok
    write_dispatches(tmp_path, 30)

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "SEARCH_URL": f"whoosh://{search_index.path}",
        "DJANGO_SETTINGS_MODULE": "coalition_archive.settings",
    }
    editor = subprocess.Popen(
        [sys.executable, "-c", CHURN_SCRIPT, "7", "40"],
        cwd=PROJECT_DIR,
        env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(tmp_path), "--status", "published"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    stop = threading.Event()
    reader_errors: list[str] = []
    searches = []

    def search_meanwhile():
        try:
            while not stop.is_set():
                page = search.run(search.parse({"q": "coalition"}))
                searches.append(page.total)
        except Exception as error:  # any failure of a reader is the test's failure
            reader_errors.append(repr(error))
        finally:
            connection.close()

    reader = threading.Thread(target=search_meanwhile)
    reader.start()
    try:
        editor_out, editor_err = editor.communicate(timeout=300)
        import_out, import_err = importer.communicate(timeout=300)
    finally:
        stop.set()
        reader.join()

    assert editor.returncode == 0, editor_err
    assert editor_out.strip() == "done"
    assert importer.returncode == 0, import_err
    assert "failed 0" in import_out
    assert not reader_errors
    assert searches, "the readers searched while the writers wrote"

    assert drain_index_queue(wait_seconds=10).ok
    assert not PendingIndexUpdate.objects.exists()
    assert indexed_article_ids() == published_ids()
    imported = set(
        Article.objects.filter(original_filename__startswith="depeche-").values_list(
            "pk", flat=True
        )
    )
    # The editor process may have deleted or unpublished some imported articles meanwhile;
    # whatever survived published is in the index, and nothing else is.
    assert imported
    assert imported & published_ids() <= indexed_article_ids()
