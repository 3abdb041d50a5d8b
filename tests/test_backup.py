"""Backups: scripts/backup.sh and scripts/restore.sh round-trip the whole database.

The raw imported files live in the database (``Article.raw_file``), so the dump carries them;
the search index is rebuilt from the database alone.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEMO_CORPUS = PROJECT_DIR / "demo" / "corpus"
# A few demo files, among them a legacy-encoded one: raw bytes must come back byte for byte.
SAMPLE_FILES = sorted(DEMO_CORPUS.glob("*"))[:6]


def environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url,
        SEARCH_URL=f"whoosh://{tmp_path / 'whoosh_index'}",
        DEBUG="1",
        PYTHON=sys.executable,
    )
    return env


def run(args, env, *, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def prepare_archive(env, tmp_path: Path) -> None:
    """Migrate, then import a few real files through the real command."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for path in SAMPLE_FILES:
        shutil.copy(path, corpus / path.name)
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    run(
        [sys.executable, "manage.py", "import_articles", str(corpus), "--status", "published"],
        env,
    )


def backup(env, output: Path) -> Path:
    result = run(["bash", "scripts/backup.sh", str(output)], env)
    assert result.stdout.strip() == str(output)
    assert output.exists() and not output.with_name(output.name + ".partial").exists()
    return output


def restore(env, backup_file: Path, *extra) -> subprocess.CompletedProcess:
    return run(
        ["bash", "scripts/restore.sh", "--yes", "--skip-index", *extra, str(backup_file)], env
    )


# --- SQLite (a local installation) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared_sqlite_archive(tmp_path_factory) -> Path:
    """A SQLite archive migrated and fed a few real files through the real commands: made once
    for the module (two subprocesses), copied by each test that changes it."""
    workdir = tmp_path_factory.mktemp("prepared-sqlite")
    database = workdir / "archive.sqlite3"
    prepare_archive(environment(f"sqlite:///{database}", workdir), workdir)
    return database


def copy_of(prepared: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The prepared archive copied into this test's folder, with the environment that uses it."""
    database = tmp_path / "archive.sqlite3"
    shutil.copy(prepared, database)
    return database, environment(f"sqlite:///{database}", tmp_path)


def sqlite_tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(str(path)) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


@pytest.mark.slow
def test_a_sqlite_archive_survives_backup_and_restore(prepared_sqlite_archive, tmp_path):
    original, env = copy_of(prepared_sqlite_archive, tmp_path)
    before = sqlite_tables(original)
    assert len(before["articles_article"]) >= 5

    dump = backup(env, tmp_path / "backups" / "archive.sqlite3")
    restored = tmp_path / "restored" / "archive.sqlite3"
    restore({**env, "DATABASE_URL": f"sqlite:///{restored}"}, dump)

    assert sqlite_tables(restored) == before
    raw_files = {
        row[0]: row[1]
        for row in sqlite3.connect(str(restored)).execute(
            "SELECT original_filename, raw_file FROM articles_article"
        )
    }
    for path in SAMPLE_FILES:
        if path.name in raw_files:
            assert bytes(raw_files[path.name]) == path.read_bytes(), path.name


@pytest.mark.slow
def test_restoring_replaces_what_the_database_held(prepared_sqlite_archive, tmp_path):
    original, env = copy_of(prepared_sqlite_archive, tmp_path)
    dump = backup(env, tmp_path / "archive-backup.sqlite3")
    with sqlite3.connect(str(original)) as db:
        db.execute("DELETE FROM articles_quote")
        db.execute("UPDATE articles_article SET title = 'vandalised'")
    restore(env, dump)
    titles = [
        row[0]
        for row in sqlite3.connect(str(original)).execute("SELECT title FROM articles_article")
    ]
    assert titles and "vandalised" not in titles


def test_restore_refuses_without_confirmation(tmp_path):
    dump = tmp_path / "archive.sqlite3"
    sqlite3.connect(str(dump)).close()
    env = environment(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path)
    result = run(["bash", "scripts/restore.sh", str(dump)], env, check=False)
    assert result.returncode != 0
    assert "--yes" in result.stderr
    assert not (tmp_path / "target.sqlite3").exists()


def test_restore_refuses_a_damaged_sqlite_backup(tmp_path):
    dump = tmp_path / "archive.sqlite3"
    dump.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    env = environment(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path)
    result = run(["bash", "scripts/restore.sh", "--yes", str(dump)], env, check=False)
    assert result.returncode != 0


def test_backup_refuses_a_missing_database_and_leaves_no_file(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'absent.sqlite3'}", tmp_path)
    result = run(["bash", "scripts/backup.sh", str(tmp_path / "out.sqlite3")], env, check=False)
    assert result.returncode != 0
    assert list(tmp_path.glob("out.sqlite3*")) == []


@pytest.mark.slow
def test_the_index_is_rebuilt_from_the_database_alone(prepared_sqlite_archive, tmp_path):
    from django.core.management import get_commands

    if "sync_index" not in get_commands():
        pytest.fail("manage.py sync_index does not exist: the index cannot be rebuilt")
    database, env = copy_of(prepared_sqlite_archive, tmp_path)
    index_dir = tmp_path / "whoosh_index"
    shutil.rmtree(index_dir, ignore_errors=True)  # the index is lost; the database is not

    run([sys.executable, "manage.py", "sync_index", "--rebuild"], env)

    from whoosh import index

    with sqlite3.connect(str(database)) as db:
        published = db.execute(
            "SELECT COUNT(*) FROM articles_article WHERE status = 'published'"
        ).fetchone()[0]
    assert published >= 5
    assert index.open_dir(str(index_dir)).doc_count() == published


# --- PostgreSQL (production) ----------------------------------------------------------------------


def postgres_url(database: str) -> str:
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database}"


def admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def postgres_tables(database: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows, and each sequence's position."""
    import psycopg

    with psycopg.connect(postgres_url(database)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        contents = {}
        for table in tables:
            contents[table] = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{table}" t'
            ).fetchone()
        for (sequence,) in db.execute(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = 'public'"
        ).fetchall():
            contents[sequence] = db.execute(f'SELECT last_value FROM "{sequence}"').fetchone()
    return contents


@pytest.fixture
def scratch_databases():
    """Two empty PostgreSQL databases with unique names, dropped at the end whatever happens."""
    suffix = uuid.uuid4().hex[:10]
    names = [f"archive_backup_src_{suffix}", f"archive_backup_dst_{suffix}"]
    for name in names:
        admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        for name in names:
            admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db
def test_a_postgresql_archive_survives_pg_dump_and_pg_restore(tmp_path, scratch_databases):
    source, target = scratch_databases
    env = environment(postgres_url(source), tmp_path)
    prepare_archive(env, tmp_path)
    before = postgres_tables(source)
    assert before["articles_article"][0] >= 5
    assert before["articles_articlemeeting"][0] > 0

    dump = backup(env, tmp_path / "backups" / "archive.dump")
    restore({**env, "DATABASE_URL": postgres_url(target)}, dump)

    assert postgres_tables(target) == before
    import psycopg

    with psycopg.connect(postgres_url(target)) as db:
        raw_files = dict(db.execute("SELECT original_filename, raw_file FROM articles_article"))
    for path in SAMPLE_FILES:
        if path.name in raw_files:
            assert bytes(raw_files[path.name]) == path.read_bytes(), path.name
