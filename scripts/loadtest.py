"""Load test: the archive under gunicorn on 127.0.0.1, driven at a steady rate.

    .venv/bin/python scripts/loadtest.py [--duration 30] [--rate 20] [--workers 3]
                                        [--postgres postgres://postgres@127.0.0.1:5432/]
                                        [--articles 2000]

Prepares a scratch database (SQLite in a temporary folder, or a PostgreSQL database with a unique
name, dropped at the end) with the demo corpus (and ``--articles`` generated ones, from
``bench/generate.py``) and its search index, starts gunicorn with production settings on a free
port of 127.0.0.1, then requests search, meeting, comparison, speaker and article pages
at a fixed rate (an open loop: a slow answer does not slow the schedule down). Reports throughput,
p50/p95/p99 latencies per kind of page, and errors; exits 1 on any error. Standard library only
(psycopg for ``--postgres``); never targets anything but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address this script ever sends a request to
SEARCHES = [
    {"q": "coalition"},
    {"q": "Daech"},
    {"q": "combattants étrangers"},
    {"q": '"État islamique"'},
    {"q": "stabilisation Irak"},
    {"q": "Mossoul OR Raqqa"},
    {"q": "financ*"},
    {"q": "securite"},
    {"q": "coalition", "tri": "recent"},
    {"q": "coalition", "page": "2"},
    {"q": "Blinken", "annee": "2021"},
    {"q": "réunion ministérielle -Washington"},
]
# Of every ten requests: three searches, two meeting pages, one comparison page, two speaker pages
# (the list and a speaker's page) and two article pages.
MIX = ["search"] * 3 + ["meeting"] * 2 + ["comparison"] + ["speaker"] * 2 + ["article"] * 2
KINDS = ["search", "meeting", "comparison", "speaker", "article"]


@dataclass
class Result:
    kind: str
    url: str
    status: int
    seconds: float
    late: float
    error: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.error or r.status != 200]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank: the smallest value with fraction of values at or below
    rank = math.ceil(fraction * len(ordered))
    return ordered[min(len(ordered), max(1, rank)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    if urlsplit(url).hostname != HOST:
        raise ValueError(f"refusing to load-test anything but {HOST}: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "archive-loadtest"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- Preparing the archive --------------------------------------------------------------------


def manage(env: dict, *args: str) -> None:
    print("+ manage.py", " ".join(args), flush=True)
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True, timeout=1800
    )


def scratch_postgres(server_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"archive_load_{secrets.token_hex(5)}"
    admin_url = server_url.rstrip("/") + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server_url.rstrip("/") + "/" + name, drop


def prepare(workdir: Path, database_url: str, *, articles: int = 0) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        DATA_DIR=str(workdir),
        SEARCH_URL=f"whoosh://{workdir / 'whoosh_index'}",
        STATIC_ROOT=str(workdir / "static"),
        LOG_LEVEL="ERROR",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "import_articles", "demo/corpus", "--status", "published")
    if articles:
        corpus = workdir / "generated"
        # bench/ writes the corpus (run from the project, as manage.py is).
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from bench.generate import write_corpus; "
                "write_corpus(Path(sys.argv[1]), int(sys.argv[2]), seed=42)",
                str(corpus),
                str(articles),
            ],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            timeout=1800,
        )
        # The generated articles cover synthetic meetings, people and sources too.
        manage(
            env,
            "shell",
            "-c",
            "from bench.generate import build_universe, install_reference_rows; "
            "install_reference_rows(build_universe(42))",
        )
        manage(env, "import_articles", str(corpus), "--status", "published")
    # A new archive: its index is built from the database (sync_index creates none once
    # articles are published).
    manage(env, "sync_index", "--rebuild")
    return env


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "coalition_archive.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if fetch(f"http://{HOST}:{port}/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not become healthy within 60 s")


def discover(base: str) -> dict[str, list[str]]:
    """The pages to load, found by following the site's own links."""
    _, html = fetch(f"{base}/reunions/")
    meetings = sorted(set(re.findall(r'href="(/reunions/[-\w]+/)"', html.decode())))
    articles = set()
    for meeting in meetings:
        _, page = fetch(base + meeting)
        articles.update(re.findall(r'href="(/articles/[-\w]+/)"', page.decode()))
    _, html = fetch(f"{base}/intervenants/")
    speakers = sorted(set(re.findall(r'href="(/intervenants/[-\w]+/)"', html.decode())))
    searches = [f"/recherche/?{urlencode(query)}" for query in SEARCHES]
    if not meetings or not articles or not speakers:
        raise SystemExit("found no meeting, article or speaker page to load: is the corpus in?")
    return {
        "search": searches,
        "meeting": meetings,
        "comparison": [f"{meeting}comparaison/" for meeting in meetings],
        # The speakers' list once in every four speaker requests.
        "speaker": [
            page
            for number, speaker in enumerate(speakers)
            for page in (["/intervenants/"] if number % 3 == 0 else []) + [speaker]
        ],
        "article": sorted(articles),
    }


# --- Driving the load ------------------------------------------------------------------------


def drive(base: str, pages: dict[str, list[str]], *, rate: float, duration: float) -> Report:
    """Send ``rate`` requests per second for ``duration`` seconds, on a fixed schedule."""
    total = int(rate * duration)
    counters = defaultdict(int)
    plan = []
    for number in range(total):
        kind = MIX[number % len(MIX)]
        urls = pages[kind]
        plan.append((number / rate, kind, urls[counters[kind] % len(urls)]))
        counters[kind] += 1
    report = Report()
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def send(offset: float, kind: str, path: str) -> None:
        delay = start + offset - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sent = time.monotonic()
        late = sent - (start + offset)
        try:
            status, _ = fetch(base + path)
            error = ""
        except Exception as exc:  # a refused or reset connection is an error to count
            status, error = 0, f"{type(exc).__name__}: {exc}"
        result = Result(kind, path, status, time.monotonic() - sent, late, error)
        with lock:
            report.results.append(result)

    # Enough threads that a slow answer never holds up the next scheduled request (up to ten
    # seconds of backlog): the schedule stays open-loop, and "late starts" says when it was not.
    with ThreadPoolExecutor(max_workers=min(400, max(8, int(rate * 10)))) as pool:
        for offset, kind, path in plan:
            pool.submit(send, offset, kind, path)
    report.elapsed = time.monotonic() - start
    return report


def summarise(report: Report, *, rate: float, workers: int, database: str) -> dict:
    def stats(results):
        times = [r.seconds * 1000 for r in results]
        return {
            "requests": len(results),
            "errors": sum(1 for r in results if r.error or r.status != 200),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1),
            "max_ms": round(max(times), 1) if times else None,
            "mean_ms": round(statistics.fmean(times), 1) if times else None,
        }

    by_kind = defaultdict(list)
    for result in report.results:
        by_kind[result.kind].append(result)
    late = [r.late for r in report.results]
    return {
        "database": database,
        "gunicorn_workers": workers,
        "target_rate": rate,
        "elapsed_s": round(report.elapsed, 1),
        "throughput_rps": round(len(report.results) / report.elapsed, 2),
        "late_starts_over_100ms": sum(1 for value in late if value > 0.1),
        "all": stats(report.results),
        **{kind: stats(results) for kind, results in sorted(by_kind.items())},
    }


def print_summary(summary: dict) -> None:
    print(
        f"\n{summary['all']['requests']} requests in {summary['elapsed_s']} s "
        f"({summary['throughput_rps']} req/s, target {summary['target_rate']}), "
        f"{summary['database']}, {summary['gunicorn_workers']} gunicorn workers"
    )
    print(f"{'page':<10}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in [*KINDS, "all"]:
        if kind in summary:
            row = summary[kind]
            print(
                f"{kind:<10}{row['requests']:>9}{row['errors']:>8}"
                f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (30)")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (20)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="use a scratch database on this PostgreSQL server instead of SQLite, "
        "e.g. postgres://postgres@127.0.0.1:5432/",
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=0,
        help="generated articles imported beside the demo corpus (bench/generate.py), e.g. 2000",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    options = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="archive-load-"))
    drop_database = None
    server = None
    try:
        if options.postgres:
            database_url, drop_database = scratch_postgres(options.postgres)
            database = "PostgreSQL"
        else:
            database_url, database = f"sqlite:///{workdir / 'archive.sqlite3'}", "SQLite"
        env = prepare(workdir, database_url, articles=options.articles)
        port = free_port()
        server = start_gunicorn(env, port, options.workers)
        base = f"http://{HOST}:{port}"
        pages = discover(base)
        print(
            f"load: {options.rate:g} req/s for {options.duration:g} s on {base} "
            + ", ".join(f"{len(pages[kind])} {kind} pages" for kind in KINDS),
            flush=True,
        )
        report = drive(base, pages, rate=options.rate, duration=options.duration)
        summary = summarise(report, rate=options.rate, workers=options.workers, database=database)
        print_summary(summary)
        for failure in report.errors[:10]:
            print(f"ERROR {failure.status} {failure.url} {failure.error}", file=sys.stderr)
        if options.json:
            Path(options.json).write_text(json.dumps(summary, indent=2) + "\n")
        return 1 if report.errors else 0
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if drop_database is not None:
            drop_database()
        if options.keep:
            print(f"scratch folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
