"""The three ways of answering one query that the benchmark compares, and the raw index writer.

* ``page``: the archive's search page through Django's test client (query, facets, first page
  rendered), as a researcher gets it;
* ``whoosh``: the same query, filters and facet counts in raw Whoosh on the same index (the
  engine's floor: its own collector and facets, top 20 stored fields, no Django);
* ``postgres``: the same in PostgreSQL full-text search on the same rows (``french_unaccent``
  configuration, stored tsvector column with a GIN index, facet counts by GROUP BY).
"""

from __future__ import annotations

import datetime
import os
import resource
import time

from bench.queries import FACET_FIELDS, MULTIVALUED, filters_of

TOP = 20


def get_backend(using="default"):
    """The connection's Haystack backend, set up: the raw measurements read its path and schema."""
    from haystack import connections

    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def percentiles(samples_ms: list[float]) -> dict:
    """p50 / p95 / max / mean (nearest rank), in milliseconds."""
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0, "p50": None, "p95": None, "max": None, "mean": None}

    def rank(p):
        return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]

    return {
        "n": len(ordered),
        "p50": round(rank(50), 1),
        "p95": round(rank(95), 1),
        "max": round(ordered[-1], 1),
        "mean": round(sum(ordered) / len(ordered), 1),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(function, items, *, warmup: int = 0):
    """Milliseconds per item (after ``warmup`` untimed items), and each call's result."""
    for item in items[:warmup]:
        function(item)
    samples, results = [], []
    for item in items:
        started = time.perf_counter()
        results.append(function(item))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, results


def slowest(queries, samples, count=5):
    pairs = sorted(zip(samples, range(len(queries)), strict=True), reverse=True)[:count]
    return [{"ms": round(ms, 1), "params": queries[i]} for ms, i in pairs]


# --- The search page --------------------------------------------------------------------------


def run_pages(queries, *, warmup: int = 10) -> dict:
    from django.test import Client

    client = Client(raise_request_exception=True)
    first_started = time.perf_counter()
    first = client.get("/recherche/", queries[0])
    first_ms = (time.perf_counter() - first_started) * 1000
    assert first.status_code == 200, first.status_code

    def page(params):
        response = client.get("/recherche/", params)
        if response.status_code != 200:
            raise AssertionError(f"{params}: HTTP {response.status_code}")
        return len(response.content)

    samples, _ = timed(page, queries, warmup=warmup)
    return {
        "timings": percentiles(samples),
        "first_request_ms": round(first_ms, 1),
        "slowest": slowest(queries, samples),
        "peak_rss_mb": peak_rss_mb(),
        "samples": samples,
    }


# --- Raw Whoosh ---------------------------------------------------------------------------------


def run_whoosh(index_path, schema, queries, *, warmup: int = 10) -> dict:
    from whoosh import query as wq
    from whoosh import sorting
    from whoosh.filedb.filestore import FileStorage
    from whoosh.qparser import QueryParser

    from articles.search.engine.whoosh.schema import INDEX_NAME

    ix = FileStorage(str(index_path)).open_index(INDEX_NAME, schema=schema)
    searcher = ix.searcher()
    parser = QueryParser("text", schema=schema)
    facets = {
        name: sorting.FieldFacet(name, allow_overlap=name in MULTIVALUED) for name in FACET_FIELDS
    }

    def search(params):
        parsed = parser.parse(params["q"])
        filters = filters_of(params)
        filter_query = (
            wq.And([wq.Term(field, value) for field, value in sorted(filters.items())])
            if filters
            else None
        )
        results = searcher.search(
            parsed, limit=TOP, filter=filter_query, groupedby=facets, maptype=sorting.Count
        )
        counts = {name: results.groups(name) for name in FACET_FIELDS}
        top = [hit.fields() for hit in results[:TOP]]
        return len(results), counts, top

    samples, results = timed(search, queries, warmup=warmup)
    searcher.close()
    return {
        "timings": percentiles(samples),
        "slowest": slowest(queries, samples),
        "hits": [total for total, _, _ in results],
        "samples": samples,
    }


# --- PostgreSQL full-text search ----------------------------------------------------------------

FTS_CONFIG = "french_unaccent"

POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{FTS_CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {FTS_CONFIG} (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION {FTS_CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS bench_document",
    f"""ALTER TABLE articles_article ADD COLUMN bench_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{FTS_CONFIG}'::regconfig, title), 'A')
        || setweight(to_tsvector('{FTS_CONFIG}'::regconfig, lead || ' ' || body), 'B')
    ) STORED""",
    "CREATE INDEX bench_document_gin ON articles_article USING gin (bench_document)",
    "ANALYZE articles_article",
]


def prepare_postgres() -> float:
    """Add the tsvector column and its GIN index to the benchmark database; seconds taken."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in POSTGRES_SETUP:
            cursor.execute(statement)
    return time.perf_counter() - started


def _postgres_lookups():
    from django.utils.text import slugify

    from articles.models import Meeting, Person, Source

    meetings = list(Meeting.objects.values_list("id", "slug", "city"))
    by_city: dict[str, list[int]] = {}
    for pk, _slug, city in meetings:
        by_city.setdefault(slugify(city), []).append(pk)
    return {
        "location": by_city,
        "meeting": {slug: [pk] for pk, slug, _city in meetings},
        "speakers": dict(Person.objects.values_list("slug", "id")),
        "source": dict(Source.objects.values_list("slug", "id")),
    }


FACET_SQL = """
WITH matched AS MATERIALIZED (
    SELECT a.id, a.source_id, a.published_on, a.language FROM articles_article a
    WHERE a.status = 'published' AND a.bench_document @@ q.query {filters}
)
SELECT 'total', NULL, count(*) FROM matched
UNION ALL SELECT 'source', s.slug, count(*) FROM matched m JOIN articles_source s
    ON s.id = m.source_id GROUP BY s.slug
UNION ALL SELECT 'year', extract(year FROM m.published_on)::int::text, count(*) FROM matched m
    WHERE m.published_on IS NOT NULL GROUP BY 2
UNION ALL SELECT 'language', m.language, count(*) FROM matched m GROUP BY m.language
UNION ALL SELECT 'meeting', mt.slug, count(*) FROM matched m
    JOIN articles_articlemeeting am ON am.article_id = m.id
    JOIN articles_meeting mt ON mt.id = am.meeting_id GROUP BY mt.slug
UNION ALL SELECT 'meeting_kind', k.kind, count(*) FROM (
    SELECT DISTINCT m.id, mt.kind FROM matched m
    JOIN articles_articlemeeting am ON am.article_id = m.id
    JOIN articles_meeting mt ON mt.id = am.meeting_id) k GROUP BY k.kind
UNION ALL SELECT 'location', l.city, count(*) FROM (
    SELECT DISTINCT m.id, mt.city FROM matched m
    JOIN articles_articlemeeting am ON am.article_id = m.id
    JOIN articles_meeting mt ON mt.id = am.meeting_id) l GROUP BY l.city
UNION ALL SELECT 'speakers', p.slug, count(*) FROM matched m
    JOIN articles_articleperson ap ON ap.article_id = m.id AND ap.role = 'quoted'
    JOIN articles_person p ON p.id = ap.person_id GROUP BY p.slug
"""

TOP_SQL = """
SELECT a.id, a.title, a.slug, ts_rank_cd(a.bench_document, q.query) AS rank
FROM articles_article a
WHERE a.status = 'published' AND a.bench_document @@ q.query {filters}
ORDER BY rank DESC, a.id DESC LIMIT {top}
"""


def run_postgres(queries, *, warmup: int = 10) -> dict:
    from django.db import connection

    lookups = _postgres_lookups()

    def conditions(params):
        sql, args = [], []
        for field, value in filters_of(params).items():
            if field == "year":
                year = int(value)
                sql.append("AND a.published_on >= %s AND a.published_on < %s")
                args += [datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)]
            elif field == "source":
                sql.append("AND a.source_id = %s")
                args.append(lookups["source"].get(value, -1))
            elif field == "speakers":
                sql.append(
                    "AND EXISTS (SELECT 1 FROM articles_articleperson ap WHERE ap.article_id = a.id"
                    " AND ap.role = 'quoted' AND ap.person_id = %s)"
                )
                args.append(lookups["speakers"].get(value, -1))
            else:
                sql.append(
                    "AND EXISTS (SELECT 1 FROM articles_articlemeeting am "
                    "WHERE am.article_id = a.id AND am.meeting_id = ANY(%s))"
                )
                args.append(lookups[field].get(value, [-1]))
        return " ".join(sql), args

    def search(params):
        filters, args = conditions(params)
        query_cte = f"(SELECT websearch_to_tsquery('{FTS_CONFIG}', %s) AS query) q"
        with connection.cursor() as cursor:
            cursor.execute(
                FACET_SQL.replace(
                    "articles_article a\n", f"articles_article a, {query_cte}\n", 1
                ).format(filters=filters),
                [params["q"], *args],
            )
            rows = cursor.fetchall()
            cursor.execute(
                TOP_SQL.replace(
                    "articles_article a\n", f"articles_article a, {query_cte}\n", 1
                ).format(filters=filters, top=TOP),
                [params["q"], *args],
            )
            top = cursor.fetchall()
        total = next(count for facet, _value, count in rows if facet == "total")
        return total, rows, top

    samples, results = timed(search, queries, warmup=warmup)
    return {
        "timings": percentiles(samples),
        "slowest": slowest(queries, samples),
        "hits": [total for total, _, _ in results],
        "samples": samples,
    }


# --- The raw Whoosh writer (index build floor) --------------------------------------------------


def raw_documents(backend):
    """The same Whoosh documents the archive indexes, built from a few bulk queries."""
    from django.db.models import F
    from django.utils.text import slugify

    from articles.models import Article, ArticleMeeting, ArticlePerson
    from articles.search.analysis import vocabulary
    from articles.search.engine.whoosh.schema import PK_BITS

    meetings: dict[int, list] = {}
    for article_id, slug, city, aliases, kind in ArticleMeeting.objects.values_list(
        "article_id", "meeting__slug", "meeting__city", "meeting__city_aliases", "meeting__kind"
    ):
        meetings.setdefault(article_id, []).append((slug, city, aliases, kind))
    speakers: dict[int, list] = {}
    for article_id, slug, name in ArticlePerson.objects.filter(role="quoted").values_list(
        "article_id", "person__slug", "person__name"
    ):
        speakers.setdefault(article_id, []).append((slug, name))
    rows = (
        Article.objects.published()
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "lead",
            "body",
            "published_on",
            "language",
            "updated_at",
            "source__slug",
            F("source__name"),
        )
    )
    for (
        pk,
        title,
        lead,
        body,
        published_on,
        language,
        updated_at,
        source,
        source_name,
    ) in rows.iterator(chunk_size=2000):
        links = meetings.get(pk, [])
        people = sorted(speakers.get(pk, []))
        text = "\n".join(
            [title, lead, body, *(name for _, name in people)]
            + [f"{city} {' '.join(aliases)}" for _, city, aliases, _ in links]
            + [source_name or ""]
        )
        doc = {
            "id": f"articles.article.{pk}",
            "django_ct": "articles.article",
            "django_id": str(pk),
            "text": text,
            "title": title,
            "language": language,
            "spelling": vocabulary(text),
            "date_order": (published_on.toordinal() << PK_BITS | pk) if published_on else pk,
            "indexed_version": int(updated_at.timestamp() * 1_000_000),
        }
        if published_on:
            doc["published_on"] = datetime.datetime.combine(published_on, datetime.time())
            doc["year"] = str(published_on.year)
        for field, values in (
            ("meeting", {slug for slug, _, _, _ in links}),
            ("location", {slugify(city) for _, city, _, _ in links}),
            ("meeting_kind", {kind for _, _, _, kind in links}),
            ("speakers", {slug for slug, _ in people}),
        ):
            if values:
                doc[field] = ",".join(sorted(values))
        if source:
            doc["source"] = source
        yield doc


def raw_writer_build(backend, path, *, procs: int = 2, progress=None, total: int = 0) -> dict:
    """Write the archive's documents with a bare Whoosh writer (``procs`` processes)."""
    import shutil

    from whoosh.filedb.filestore import FileStorage

    from articles.search.engine.whoosh.schema import INDEX_NAME

    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    started = time.perf_counter()
    ix = FileStorage(str(path)).create_index(backend.schema, indexname=INDEX_NAME)
    writer = (
        ix.writer(procs=procs, multisegment=True, limitmb=128)
        if procs > 1
        else ix.writer(limitmb=128)
    )
    count = 0
    for doc in raw_documents(backend):
        writer.add_document(**doc)
        count += 1
        if progress and count % 500 == 0:
            progress(count, total)
    writer.commit()
    seconds = time.perf_counter() - started
    return {
        "documents": count,
        "seconds": round(seconds, 2),
        "docs_per_s": round(count / seconds, 1),
    }
