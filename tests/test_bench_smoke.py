"""The benchmark end to end on 200 generated articles (no timing is asserted).

The PostgreSQL part runs only on PostgreSQL (skipped elsewhere, required in CI).
"""

import pytest
from django.db import connection

from articles.search.maintenance import create_empty_index
from bench.generate import build_universe, write_corpus
from bench.run import run_benchmark, summary_lines
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)

N = 200


def test_the_generator_is_seeded_and_writes_text_and_html_articles(tmp_path):
    first = write_corpus(tmp_path / "a", 30, seed=3)
    second = write_corpus(tmp_path / "b", 30, seed=3)
    assert first.articles == second.articles
    assert {article["format"] for article in first.articles} == {"txt", "html"}
    assert all(250 <= article["words"] <= 900 for article in first.articles)
    universe = build_universe(3)
    assert len(universe.meetings) == 40
    assert len(universe.people) == 60
    assert len(universe.sources) == 40


def test_the_whole_benchmark_runs_on_200_articles_and_reports_every_measurement(
    search_index, tmp_path
):
    # 60 files through the importer (its speed is measured; it is about 10 files/s), the
    # other 140 bulk-loaded, so the test stays fast.
    try:
        results = run_benchmark(
            n=N, workdir=tmp_path, query_count=30, import_limit=60, drained_sample=10, procs=1
        )
    finally:
        # The flush at the end of this test empties the database: leave an empty index too,
        # for the tests after this one that read the session's index without clearing it.
        create_empty_index()
    assert results["published"] >= N * 0.95
    assert results["import"]["files"] + results["import"]["per_file_drain"]["files"] == 60
    assert results["bulk_load"]["files"] == N - 60
    assert results["import"]["failed"] == 0
    assert results["import"]["files_per_s"] > 0
    assert results["index"]["documents"] == results["published"]
    assert results["raw_writer"]["documents"] == results["published"]
    for phase in ("pages", "whoosh"):
        timings = results[phase]["timings"]
        assert timings["n"] == 30
        assert timings["p50"] <= timings["p95"] <= timings["max"]
    assert results["pages"]["peak_rss_mb"] > 0
    assert results["facet_values"]["meetings"] > 5
    assert results["facet_values"]["speakers"] > 10
    assert "index_build_over_raw_writer" in results["ratios"]
    assert "page_p95_over_whoosh_p95" in results["ratios"]
    assert any("search page" in line for line in summary_lines(results))
    if connection.vendor != "postgresql":
        skip_or_fail("the PostgreSQL full-text part needs PostgreSQL (DATABASE_URL=postgres://…)")
    assert results["postgres"]["timings"]["n"] == 30
    assert "page_p95_over_postgres_p95" in results["ratios"]
    # The same rows answer both engines: PostgreSQL finds something for most queries too.
    assert sum(hits > 0 for hits in results["postgres"]["hits"]) >= 10
