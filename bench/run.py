"""``python -m bench.run --n 100000`` (``make bench N=100000``): the archive-scale benchmark.

One run, on one generated corpus and one set of queries: import throughput (files → database
with detection, through ``articles.importing.import_files``), index build (``sync_index
--rebuild``) against a raw Whoosh writer on both cores, then the search page, raw Whoosh and
PostgreSQL full-text search on the same index and rows, and the serving process's peak RSS.

The database is a scratch PostgreSQL database (``--database-url``, dropped and created unless
``--reuse``); the corpus, indexes and results live under ``bench/out/``. Results: a JSON file in
``bench/results/`` and a section of ``docs/benchmarks.md`` (``--no-docs`` to skip it).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/archive_benchmark"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (the writer's worker processes).

    Wall-clock throughput on two shared cores moves with whatever else runs; CPU seconds per
    document compare two builds fairly when the load differs between them.
    """
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Meter:
    """Progress lines for long phases (at most one every few seconds)."""

    def __init__(self, label: str, every: float = 5.0):
        self.label, self.every = label, every
        self.started = self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every or (total and done >= total):
            self.last = now
            rate = done / max(now - self.started, 1e-6)
            log(f"{self.label}: {done}/{total} ({rate:.0f}/s)")


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "whoosh": importlib.metadata.version("Whoosh-Reloaded"),
        "platform": platform.platform(),
    }


# --- Phases -------------------------------------------------------------------------------------


def phase_generate(corpus_dir: Path, n: int, seed: int):
    from bench.generate import write_corpus

    log(f"generating {n} articles in {corpus_dir}")
    started = time.perf_counter()
    manifest = write_corpus(corpus_dir, n, seed=seed, progress=Meter("generate"))
    seconds = time.perf_counter() - started
    files = sorted(corpus_dir.glob("*/*.*"))
    words = [article["words"] for article in manifest.articles]
    return files, {
        "articles": n,
        "seconds": round(seconds, 1),
        "words_min": min(words),
        "words_max": max(words),
        "words_mean": round(sum(words) / len(words)),
        "html_share": round(sum(a["format"] == "html" for a in manifest.articles) / n, 3),
    }


def phase_import(files, *, drained_sample: int, limit: int | None) -> dict:
    """Import through ``import_files``: a few files with the per-file index drain, the rest in
    ``deferred_index_drain(drain=False)`` (the rebuild that follows indexes them)."""
    from articles.importing import Outcome, import_files
    from articles.models import Article
    from articles.search.queue import deferred_index_drain

    measured = files if limit is None else files[:limit]
    sample, rest = measured[:drained_sample], measured[drained_sample:]
    result = {"load_average": load_average()}
    if sample:
        started = time.perf_counter()
        summary = import_files(sample, status=Article.Status.PUBLISHED)
        seconds = time.perf_counter() - started
        result["per_file_drain"] = {
            "files": len(sample),
            "seconds": round(seconds, 2),
            "files_per_s": round(len(sample) / seconds, 1),
            "summary": summary.line(),
        }
        log(f"import with the index drained after each commit: {len(sample) / seconds:.1f} files/s")
    meter = Meter("import")
    done = 0

    def advance(_result):
        nonlocal done
        done += 1
        meter(done, len(rest))

    started = time.perf_counter()
    with deferred_index_drain(drain=False):
        summary = import_files(rest, status=Article.Status.PUBLISHED, progress=advance)
    seconds = time.perf_counter() - started
    result.update(
        files=len(rest),
        seconds=round(seconds, 1),
        files_per_s=round(len(rest) / seconds, 1) if rest else None,
        summary=summary.line(),
        failed=len(summary.failed),
        duplicates=summary.count(Outcome.DUPLICATE),
    )
    log(f"import: {result['files_per_s']} files/s ({summary.line()})")
    return result


def phase_bulk_load(files, manifest_path: Path) -> dict:
    """Articles beyond the import sample: parsed and written in bulk, links from the manifest
    (no detection, not an import measurement; makes N articles searchable quickly)."""
    from django.db import transaction
    from django.utils import timezone

    from articles.importing import unique_article_slug  # noqa: F401  (slugs made below)
    from articles.ingest import parse_file
    from articles.models import (
        Article,
        ArticleMeeting,
        ArticlePerson,
        Meeting,
        Person,
        Source,
        content_hash,
    )

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_name = {article["filename"].split("/")[-1]: article for article in manifest["articles"]}
    meetings = dict(Meeting.objects.values_list("slug", "id"))
    people = dict(Person.objects.values_list("slug", "id"))
    sources = dict(Source.objects.values_list("slug", "id"))
    meter = Meter("bulk load")
    started = time.perf_counter()
    now = timezone.now()
    batch = []

    def flush():
        with transaction.atomic():
            created = Article.objects.bulk_create([article for article, _ in batch])
            ArticleMeeting.objects.bulk_create(
                ArticleMeeting(article=a, meeting_id=meetings[spec["meeting"]], confidence=1.0)
                for a, (_, spec) in zip(created, batch, strict=True)
            )
            ArticlePerson.objects.bulk_create(
                ArticlePerson(article=a, person_id=people[slug], role="quoted")
                for a, (_, spec) in zip(created, batch, strict=True)
                for slug in spec["speakers"]
            )
        batch.clear()

    for done, path in enumerate(files, start=1):
        spec = by_name[path.name]
        document = parse_file(path.read_bytes(), filename=path.name)
        article = Article(
            title=document.title[:500],
            slug=f"bench-{spec['number']}",
            lead=document.lead,
            body=document.body,
            language=document.language if document.language in ("fr", "en") else "other",
            published_on=document.published_on,
            source_id=sources.get(spec["source"]),
            canonical_url=document.canonical_url,
            content_hash=content_hash(document.body),
            original_filename=path.name,
            source_format=document.format,
            status=Article.Status.PUBLISHED,
            imported_at=now,
            importer_version="bench",
        )
        batch.append((article, spec))
        if len(batch) >= 1000:
            flush()
        meter(done, len(files))
    if batch:
        flush()
    seconds = time.perf_counter() - started
    return {"files": len(files), "seconds": round(seconds, 1)}


def phase_index(procs: int) -> dict:
    from django.core.management import call_command

    from articles.models import Article

    total = Article.objects.published().count()
    log(f"sync_index --rebuild --procs {procs} ({total} published articles)")
    result = {"load_average": load_average(), "procs": procs}
    started, cpu_started = time.perf_counter(), cpu_seconds()
    call_command("sync_index", rebuild=True, procs=procs, stdout=sys.stderr)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    result.update(
        documents=total,
        seconds=round(seconds, 1),
        docs_per_s=round(total / seconds, 1),
        cpu_seconds=round(cpu, 1),
        cpu_ms_per_doc=round(1000 * cpu / total, 2),
        load_average_after=load_average(),
    )
    log(f"index build: {result['docs_per_s']} docs/s")
    return result


def phase_raw_writer(path: Path, procs: int) -> dict:
    from articles.models import Article
    from bench.engines import get_backend, raw_writer_build

    total = Article.objects.published().count()
    log(f"raw Whoosh writer, procs={procs}")
    result = {"load_average": load_average()}
    cpu_started = cpu_seconds()
    result.update(
        raw_writer_build(
            get_backend(), path, procs=procs, progress=Meter("raw writer"), total=total
        )
    )
    cpu = cpu_seconds() - cpu_started
    result.update(
        procs=procs,
        cpu_seconds=round(cpu, 1),
        cpu_ms_per_doc=round(1000 * cpu / max(result["documents"], 1), 2),
        load_average_after=load_average(),
    )
    log(f"raw writer: {result['docs_per_s']} docs/s")
    return result


def phase_pages(queries, *, subprocess_env: dict | None, workdir: Path) -> dict:
    """The search page; in a fresh serving process when ``subprocess_env`` is given."""
    log(f"search page: {len(queries)} queries")
    load = load_average()
    if subprocess_env is None:
        from bench.engines import run_pages

        result = run_pages(queries)
        result["process"] = "benchmark process (in-process run)"
    else:
        # Named by process: two runs (different N) may share the work folder.
        queries_path = workdir / f"queries-{os.getpid()}.json"
        out_path = workdir / f"pages-{os.getpid()}.json"
        queries_path.write_text(json.dumps(queries), encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "bench.serve", str(queries_path), str(out_path)],
            cwd=ROOT,
            env=subprocess_env,
            check=True,
        )
        result = json.loads(out_path.read_text(encoding="utf-8"))
        result["process"] = "fresh serving process (bench.serve, Django test client)"
    result["load_average"] = load
    return result


def phase_whoosh(queries) -> dict:
    from bench.engines import get_backend, run_whoosh

    log(f"raw Whoosh: {len(queries)} queries")
    backend = get_backend()
    load = load_average()
    result = run_whoosh(backend.path, backend.schema, queries)
    result["load_average"] = load
    return result


def phase_postgres(queries) -> dict:
    from django.db import connection

    from bench.engines import FTS_CONFIG, prepare_postgres, run_postgres

    if connection.vendor != "postgresql":
        return {"skipped": f"the database is {connection.vendor}, not PostgreSQL"}
    log("PostgreSQL: tsvector column and GIN index")
    setup_seconds = prepare_postgres()
    log(f"PostgreSQL: {len(queries)} queries")
    load = load_average()
    result = run_postgres(queries)
    result.update(
        setup_seconds=round(setup_seconds, 1),
        load_average=load,
        configuration=f"{FTS_CONFIG} (french + unaccent before french_stem)",
        index="stored tsvector column (title weight A, lead+body B), GIN",
    )
    return result


# --- The run -------------------------------------------------------------------------------------


def run_benchmark(
    *,
    n: int,
    workdir: Path,
    seed: int = 42,
    query_count: int = 240,
    import_limit: int | None = None,
    drained_sample: int = 100,
    procs: int = 2,
    reuse: bool = False,
    skip_raw_writer: bool = False,
    builds_only: bool = False,
    serve_env: dict | None = None,
    database: str = "",
) -> dict:
    """Every phase on one corpus; returns the results (Django must be set up)."""
    from django.db import connection

    from articles.models import Article
    from bench.engines import get_backend
    from bench.generate import TextModel, build_universe, install_reference_rows
    from bench.queries import build_queries

    workdir.mkdir(parents=True, exist_ok=True)
    corpus_dir = workdir / f"corpus-{n}-s{seed}"
    results = {
        "n": n,
        "seed": seed,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "database": database or connection.vendor,
        "index_path": str(get_backend().path),
    }
    files, results["corpus"] = phase_generate(corpus_dir, n, seed)
    universe = build_universe(seed)
    import random

    queries = build_queries(TextModel(random.Random(seed)), universe, count=query_count)
    results["queries"] = {
        "count": len(queries),
        "with_filters": sum(len(q) > 1 for q in queries),
        "phrases": sum('"' in q["q"] for q in queries),
        "examples": queries[:6],
    }

    state_path = workdir / f"state-{n}.json"
    previous = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}

    def save_state():
        keep = ("import", "bulk_load", "index", "raw_writer", "corpus")
        state_path.write_text(
            json.dumps({key: results[key] for key in keep if key in results}), encoding="utf-8"
        )

    existing = Article.objects.published().count()
    if reuse and existing >= n:
        log(f"reusing the database ({existing} published articles) and the index")
        results["import"] = previous.get("import", {"skipped": "reused"})
        if "bulk_load" in previous:
            results["bulk_load"] = previous["bulk_load"]
        results["import"]["from_an_earlier_run"] = True
    else:
        install_reference_rows(universe)
        measured = files if import_limit is None else files[:import_limit]
        results["import"] = phase_import(measured, drained_sample=drained_sample, limit=None)
        if import_limit is not None and import_limit < len(files):
            results["bulk_load"] = phase_bulk_load(
                files[import_limit:], corpus_dir / "manifest.json"
            )
            results["import"]["measured_on"] = f"the first {import_limit} files"
    results["facet_values"] = facet_distribution()
    published = Article.objects.published().count()
    results["published"] = published
    if not (reuse and results["import"].get("from_an_earlier_run") and _index_ready(published)):
        results["index"] = phase_index(procs)
    else:
        results["index"] = {
            **previous.get("index", {"skipped": "reused"}),
            "from_an_earlier_run": True,
        }
    save_state()
    if skip_raw_writer:
        results["raw_writer"] = {"skipped": "--skip-raw-writer", "procs": procs}
    elif results["index"].get("from_an_earlier_run") and "raw_writer" in previous:
        results["raw_writer"] = {**previous["raw_writer"], "from_an_earlier_run": True}
    else:
        results["raw_writer"] = phase_raw_writer(workdir / f"raw-index-{n}", procs)
    save_state()
    if not builds_only:
        results["pages"] = phase_pages(queries, subprocess_env=serve_env, workdir=workdir)
        results["whoosh"] = phase_whoosh(queries)
        results["postgres"] = phase_postgres(queries)
        for phase in ("pages", "whoosh", "postgres"):
            results[phase].pop("samples", None)
    results["ratios"] = ratios(results)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def _index_ready(published: int) -> bool:
    from articles.search.maintenance import index_status

    return index_status()["indexed"] == published


def facet_distribution() -> dict:
    from django.db.models import Count

    from articles.models import Article, ArticleMeeting, ArticlePerson

    published = Article.objects.published()
    quoted = (
        ArticlePerson.objects.filter(role="quoted", article__status="published")
        .values("article_id")
        .annotate(speakers=Count("id"))
    )
    per_article = [row["speakers"] for row in quoted]
    return {
        "meetings": ArticleMeeting.objects.values("meeting_id").distinct().count(),
        "speakers": ArticlePerson.objects.filter(role="quoted")
        .values("person_id")
        .distinct()
        .count(),
        "sources": published.exclude(source=None).values("source_id").distinct().count(),
        "articles_with_a_meeting": published.filter(meeting_links__isnull=False).distinct().count(),
        "articles_with_a_speaker": len(per_article),
        "speakers_per_quoting_article": round(sum(per_article) / max(len(per_article), 1), 2),
        "dated": published.exclude(published_on=None).count(),
    }


def ratios(results: dict) -> dict:
    out = {}
    page = results.get("pages", {}).get("timings")
    for name in ("whoosh", "postgres"):
        other = results.get(name, {}).get("timings")
        if page and other and other["p95"]:
            out[f"page_p95_over_{name}_p95"] = round(page["p95"] / other["p95"], 2)
            out[f"page_p50_over_{name}_p50"] = round(page["p50"] / other["p50"], 2)
    index, raw = results.get("index", {}), results.get("raw_writer", {})
    if index.get("docs_per_s") and raw.get("docs_per_s"):
        out["index_build_over_raw_writer"] = round(index["docs_per_s"] / raw["docs_per_s"], 2)
    if index.get("cpu_ms_per_doc") and raw.get("cpu_ms_per_doc"):
        # Throughput per CPU second: the raw writer's CPU per document over the build's.
        out["index_build_over_raw_writer_per_cpu_second"] = round(
            raw["cpu_ms_per_doc"] / index["cpu_ms_per_doc"], 2
        )
    return out


# --- Report ---------------------------------------------------------------------------------------


def summary_lines(results: dict) -> list[str]:
    def row(label, timings):
        if not timings or timings.get("p50") is None:
            return f"| {label} | — | — | — |"
        return f"| {label} | {timings['p50']} | {timings['p95']} | {timings['max']} |"

    imp, index, raw = results["import"], results.get("index", {}), results["raw_writer"]
    pg = results.get("postgres", {})
    lines = []
    if "pages" in results:
        lines += [
            "| measurement (ms) | p50 | p95 | max |",
            "|---|---|---|---|",
            row("search page (query + facets + first page rendered)", results["pages"]["timings"]),
            row("raw Whoosh search + 7 facet counts + top 20", results["whoosh"]["timings"]),
            row("PostgreSQL FTS search + 7 facet counts + top 20", pg.get("timings")),
            "",
        ]
    lines += [
        "| throughput and memory | value |",
        "|---|---|",
    ]
    if "files_per_s" in imp:
        measured_on = imp.get("measured_on", f"{imp['files']} files")
        lines.append(
            f"| import, files/s (detection, deferred index drain; {measured_on}) "
            f"| {imp['files_per_s']} |"
        )
        if "per_file_drain" in imp:
            sample = imp["per_file_drain"]
            lines.append(
                "| import, files/s with the index drained after each commit "
                f"({sample['files']} files) | {sample['files_per_s']} |"
            )
    if "docs_per_s" in index:
        lines.append(
            f"| index build `sync_index --rebuild --procs {index['procs']}`, docs/s "
            f"| {index['docs_per_s']} |"
        )
        if "cpu_ms_per_doc" in index:
            lines.append(f"| index build, CPU ms per document | {index['cpu_ms_per_doc']} |")
    if "docs_per_s" in raw:
        lines.append(f"| raw Whoosh writer (procs={raw['procs']}), docs/s | {raw['docs_per_s']} |")
        if "cpu_ms_per_doc" in raw:
            lines.append(f"| raw Whoosh writer, CPU ms per document | {raw['cpu_ms_per_doc']} |")
    if "pages" in results:
        lines.append(f"| serving process peak RSS, MB | {results['pages']['peak_rss_mb']} |")
    if "skipped" in pg:
        lines.append(f"| PostgreSQL | skipped: {pg['skipped']} |")
    lines.append("")
    for key, value in results["ratios"].items():
        lines.append(f"- {key.replace('_', ' ')}: **{value}**")
    return lines


def write_docs(results: dict, json_path: Path, command: str) -> None:
    """Replace (or add) this N's section of docs/benchmarks.md; other sections are kept."""
    n = results["n"]
    begin, end = f"<!-- bench:N={n}:begin -->", f"<!-- bench:N={n}:end -->"
    m = results["machine"]
    loads = {
        phase: results[phase].get("load_average")
        for phase in ("import", "index", "raw_writer", "pages", "whoosh", "postgres")
        if isinstance(results.get(phase), dict)
    }
    section = [
        begin,
        f"### N = {n:,} (run {results['started']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}, "
        f"Django {m['django']}, Whoosh {m['whoosh']}. Database: {results['database']}.",
        f"Command: `{command}`. Results: `{json_path.relative_to(ROOT)}`.",
        "Load average (1, 5, 15 min) at each phase: "
        + "; ".join(f"{phase} {value}" for phase, value in loads.items()),
        "",
        *summary_lines(results),
        end,
    ]
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + "\n".join(section) + tail
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    DOCS.write_text(text, encoding="utf-8")


# --- Command line -------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--n", type=int, default=10_000, help="Articles to generate (default 10000)."
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--queries", type=int, default=240, help="Queries (default 240).")
    parser.add_argument(
        "--import-limit",
        type=int,
        default=None,
        help=(
            "Import only the first files through the importer (measured), bulk-load the rest "
            "(default: all files up to 10000, the first 10000 beyond)."
        ),
    )
    parser.add_argument("--procs", type=int, default=2, help="Index writer processes (default 2).")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database and index if they hold N articles."
    )
    parser.add_argument(
        "--skip-raw-writer",
        action="store_true",
        help="Do not time the raw Whoosh writer (it takes as long as the index build).",
    )
    parser.add_argument(
        "--builds-only",
        action="store_true",
        help="Stop after the import and the two index builds (no query phases).",
    )
    parser.add_argument("--no-docs", action="store_true", help="Do not update docs/benchmarks.md.")
    return parser.parse_args(argv)


def scratch_database(url: str, n: int, *, reuse: bool) -> str:
    """``url`` with the database name suffixed by N; dropped and created unless reused."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.strip('/')}_{n}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    n = args.n
    workdir = OUT
    database_url = scratch_database(args.database_url, n, reuse=args.reuse)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_URL": f"whoosh://{workdir / f'index-{n}'}",
        "DATA_DIR": str(workdir / "data"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "coalition_archive.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    log(f"database {database_url}: migrate")
    call_command("migrate", verbosity=0)
    results = run_benchmark(
        n=n,
        workdir=workdir,
        seed=args.seed,
        query_count=args.queries,
        import_limit=args.import_limit if args.import_limit is not None else min(n, 10_000),
        procs=args.procs,
        reuse=args.reuse,
        skip_raw_writer=args.skip_raw_writer,
        builds_only=args.builds_only,
        serve_env=env,
        database=database_url.rsplit("@", 1)[-1],
    )
    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS / f"bench-N{n}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    if not args.no_docs:
        write_docs(results, json_path, command)
    print("\n".join(summary_lines(results)))
    print(f"\nresults: {json_path}")
    for key, value in results["ratios"].items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
