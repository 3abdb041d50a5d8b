"""New articles are written together, one statement per kind of row; a bad file fails alone."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing import Outcome, import_files, writer
from articles.models import Article, ArticlePerson, PendingIndexUpdate, Quote
from articles.search.queue import deferred_index_drain
from tests.importing.samples import COLLOQUE, DEMO_CORPUS, GOOD, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # each file commits: the run's caches fill as in use
def test_a_new_article_costs_a_bounded_number_of_queries():
    files = sorted(DEMO_CORPUS.iterdir())[:10]
    import_files(files[:1])  # the run's reference data, then one query per kind of write
    with deferred_index_drain(drain=False), CaptureQueriesContext(connection) as queries:
        summary = import_files(files[1:], workers=1)
    created = summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE)
    assert created == 9
    reference_data = 4  # meetings, people, their offices, sources
    # Per file: its transaction's BEGIN and COMMIT, one lookup (content hash, canonical URL,
    # slugs taken), the article, its index update, its meeting, people, quotes and signature,
    # the near-duplicate candidates (the meeting's links, then those articles) and (first
    # seen in this run) their signatures; a source seen for the first time costs a few more.
    per_file, new_source = 12, 6
    new_sources = len(set(Article.objects.values_list("source", flat=True))) - 1
    assert len(queries) <= reference_data + per_file * created + new_source * new_sources


def test_one_index_update_is_queued_per_imported_article():
    summary = import_files(sorted(GOOD.iterdir()))
    assert summary.count(Outcome.CREATED) == 4
    queued = list(PendingIndexUpdate.objects.values_list("article_id", flat=True))
    assert sorted(set(queued)) == sorted(Article.objects.values_list("pk", flat=True))


def test_a_batch_of_new_articles_sends_one_insert_per_kind_of_row(tmp_path):
    files = sorted(DEMO_CORPUS.iterdir())[:12]
    same_title = tmp_path / "zz-meme-titre.txt"  # its slug is numbered within the batch
    same_title.write_text(f"{text_of(files[0]).splitlines()[0]}\n\n{COLLOQUE}")
    files.append(same_title)
    # A file naming a source or quoting a speaker the archive does not know yet is written on
    # its own (it creates them); here they are known from an earlier import.
    import_files(files)
    Article.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        summary = import_files(files, workers=1)

    assert summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE) == 13
    assert Article.objects.get(original_filename=same_title.name).slug.endswith("-2")
    # INSERT, or COPY on PostgreSQL for the rows whose ids are not read back.
    writes = [re.match(r'(?:INSERT INTO|COPY) "articles_(\w+)"', q["sql"]) for q in queries]
    tables = [write.group(1) for write in writes if write]
    for table in ("article", "articlemeeting", "articleperson", "quote", "articlefingerprint"):
        assert tables.count(table) == 1, table


def test_a_file_that_fails_in_a_worker_run_leaves_nothing_half_written(mixed_folder, monkeypatch):
    real = writer.propose_links

    def fail_on_the_reprint(article, detection, **kwargs):
        if article.original_filename == "3-riyad-reprise.txt":
            raise RuntimeError("detection crashed")
        return real(article, detection, **kwargs)

    monkeypatch.setattr(writer, "propose_links", fail_on_the_reprint)
    summary = import_files(mixed_folder, workers=2)

    failed = {result.name: result.message for result in summary.failed}
    assert "RuntimeError: detection crashed" in failed["3-riyad-reprise.txt"]
    assert not Article.objects.filter(original_filename="3-riyad-reprise.txt").exists()
    assert summary.count(Outcome.CREATED) == len(mixed_folder) - 3  # failed twice, 1 update
    assert Quote.objects.exists() and ArticlePerson.objects.exists()
