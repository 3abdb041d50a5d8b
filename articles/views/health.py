"""``/healthz``: is the archive able to serve? One boolean per component, no details.

Load balancers and the container health check poll it, so each check is cheap (one ``SELECT 1``,
opening the search index) and the answer never carries paths, versions or error messages:
those go to the log.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("coalition_archive.availability")


def database_is_available() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:
        # Django drops a broken connection when the request finishes (request_finished).
        logger.warning("health check: database unavailable (%s)", type(error).__name__)
        return False


def _whoosh_index_is_available(path: str) -> bool:
    # Haystack's Whoosh backend creates a missing index on first use: open it read-only instead,
    # so that a health check never writes and a missing index reads as missing.
    from whoosh import index

    if not index.exists_in(path):
        return False
    with index.open_dir(path).reader() as reader:
        reader.doc_count()
    return True


def _engine_index_is_available() -> bool:
    from haystack import connections

    backend = connections["default"].get_backend()
    ping = getattr(getattr(backend, "conn", None), "ping", None)
    if ping is not None:  # Elasticsearch, Solr: one round trip, no search
        return bool(ping())
    from haystack.query import SearchQuerySet

    SearchQuerySet().all()[:1].count()
    return True


def search_index_is_available() -> bool:
    connection_settings = settings.HAYSTACK_CONNECTIONS["default"]
    try:
        if connection_settings["ENGINE"].endswith("WhooshEngine"):
            return _whoosh_index_is_available(connection_settings["PATH"])
        return _engine_index_is_available()
    except Exception as error:
        logger.warning("health check: search index unavailable (%s)", type(error).__name__)
        return False


@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """200 ``{"status": "ok", …}`` when every component answers, else 503 ``"unavailable"``."""
    checks = {"database": database_is_available(), "index": search_index_is_available()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
