#!/usr/bin/env bash
# Back up the archive's database to one file: scripts/backup.sh [OUTPUT]
#
# The database is the whole archive: articles, the raw imported files (Article.raw_file, stored
# in the database), reference data, editors' choices and accounts. The search index is not
# backed up: `manage.py sync_index --rebuild` rebuilds it from the database alone.
#
#   PostgreSQL (DATABASE_URL=postgres://…): pg_dump --format=custom, restorable by pg_restore.
#   SQLite (no DATABASE_URL, or sqlite:///…): SQLite's online backup, a consistent copy taken
#   while the site runs.
#
# The dump is written beside its final name and renamed only once complete and verified, so a
# file with the final name is always a whole backup. Prints the backup's path.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"

die() { echo "backup: $*" >&2; exit 1; }

# The database the archive itself would use (settings.py's default when DATABASE_URL is unset).
database_url() {
    if [ -n "${DATABASE_URL:-}" ]; then
        printf '%s\n' "$DATABASE_URL"
    else
        DJANGO_SETTINGS_MODULE=coalition_archive.settings "$PYTHON" -c \
            'import django; django.setup(); from django.conf import settings as s; print("sqlite:///" + str(s.DATABASES["default"]["NAME"]))'
    fi
}

URL="$(database_url)"
case "$URL" in
    postgres://* | postgresql://* | pgsql://* | postgis://*)
        command -v pg_dump >/dev/null || die "pg_dump is not installed (apt-get install postgresql-client)"
        LIBPQ_URL="postgresql://${URL#*://}"
        OUTPUT="${1:-backups/archive-$STAMP.dump}"
        mkdir -p "$(dirname "$OUTPUT")"
        PARTIAL="$OUTPUT.partial"
        trap 'rm -f "$PARTIAL"' EXIT
        # --no-owner/--no-privileges: the dump restores under whatever role restores it.
        pg_dump --format=custom --compress=6 --no-owner --no-privileges \
            --file="$PARTIAL" "$LIBPQ_URL"
        pg_restore --list "$PARTIAL" >/dev/null || die "the dump cannot be read back"
        ;;
    sqlite://*)
        DATABASE="${URL#sqlite:///}"  # sqlite:////abs/path or sqlite:///relative/path
        [ -f "$DATABASE" ] || die "no SQLite database at $DATABASE"
        OUTPUT="${1:-backups/archive-$STAMP.sqlite3}"
        mkdir -p "$(dirname "$OUTPUT")"
        PARTIAL="$OUTPUT.partial"
        trap 'rm -f "$PARTIAL"' EXIT
        rm -f "$PARTIAL"
        "$PYTHON" - "$DATABASE" "$PARTIAL" <<'PY'
import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
source.backup(target)  # SQLite's online backup API: consistent even while the site writes
(result,) = target.execute("PRAGMA integrity_check").fetchone()
target.close()
source.close()
sys.exit(0 if result == "ok" else f"integrity check of the copy failed: {result}")
PY
        ;;
    *)
        die "unsupported DATABASE_URL scheme: ${URL%%://*} (postgres or sqlite)"
        ;;
esac

mv "$PARTIAL" "$OUTPUT"
trap - EXIT
echo "$OUTPUT"
