#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the archive's database, then rebuild the
# search index from it:
#
#   scripts/restore.sh --yes [--skip-index] BACKUP
#
# PostgreSQL (DATABASE_URL=postgres://…, a .dump file): pg_restore --clean in one transaction,
# so a failed restore leaves the database as it was. The database must exist (createdb).
# SQLite (a .sqlite3 file): the backup is copied over the database file with SQLite's backup API.
#
# Then `manage.py migrate` (a backup from an older release gains the newer migrations) and
# `manage.py sync_index --rebuild` (the index is never backed up: it comes from the database).
# Stop the web and indexer processes first; start them again afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
die() { echo "restore: $*" >&2; exit 1; }

CONFIRMED=0
REBUILD_INDEX=1
BACKUP=""
for argument in "$@"; do
    case "$argument" in
        --yes) CONFIRMED=1 ;;
        --skip-index) REBUILD_INDEX=0 ;;
        -*) die "unknown option $argument" ;;
        *) BACKUP="$argument" ;;
    esac
done
[ -n "$BACKUP" ] || die "usage: scripts/restore.sh --yes [--skip-index] BACKUP"
[ -f "$BACKUP" ] || die "no backup file at $BACKUP"

if [ -n "${DATABASE_URL:-}" ]; then
    URL="$DATABASE_URL"
else
    URL="sqlite:///$(DJANGO_SETTINGS_MODULE=coalition_archive.settings "$PYTHON" -c \
        'import django; django.setup(); from django.conf import settings as s; print(s.DATABASES["default"]["NAME"])')"
fi
[ "$CONFIRMED" = 1 ] || die "this replaces every row of ${URL%%@*}…: run again with --yes"

case "$URL" in
    postgres://* | postgresql://* | pgsql://* | postgis://*)
        command -v pg_restore >/dev/null || die "pg_restore is not installed (apt-get install postgresql-client)"
        pg_restore --list "$BACKUP" >/dev/null 2>&1 || die "$BACKUP is not a pg_dump custom-format file"
        pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
            --single-transaction --dbname="postgresql://${URL#*://}" "$BACKUP"
        ;;
    sqlite://*)
        DATABASE="${URL#sqlite:///}"  # sqlite:////abs/path or sqlite:///relative/path
        mkdir -p "$(dirname "$DATABASE")"
        "$PYTHON" - "$BACKUP" "$DATABASE" <<'PY'
import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
(result,) = source.execute("PRAGMA integrity_check").fetchone()
if result != "ok":
    sys.exit(f"restore: {sys.argv[1]} is damaged: {result}")
target = sqlite3.connect(sys.argv[2])
source.backup(target)  # replaces every page of the target, in one step
target.close()
source.close()
PY
        ;;
    *)
        die "unsupported DATABASE_URL scheme: ${URL%%://*} (postgres or sqlite)"
        ;;
esac

"$PYTHON" manage.py migrate --noinput -v0
if [ "$REBUILD_INDEX" = 1 ]; then
    "$PYTHON" manage.py sync_index --rebuild
fi
echo "restored $BACKUP"
