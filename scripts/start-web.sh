#!/bin/sh
# The web container: migrate (unless a one-shot migrate service did it), collect static files,
# then replace this shell with gunicorn so that it receives the container's signals.
set -eu
cd "$(dirname "$0")/.."

if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi
python manage.py collectstatic --noinput --verbosity 0

exec gunicorn coalition_archive.wsgi \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-3}" \
    --timeout "${GUNICORN_TIMEOUT:-60}" \
    --graceful-timeout 30 \
    --max-requests 2000 \
    --max-requests-jitter 200 \
    --access-logfile - \
    --error-logfile -
