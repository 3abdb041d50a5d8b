"""``/healthz``: is the archive able to serve? One boolean per component, no details.

Load balancers and the container health check poll it, so each check is cheap (one ``SELECT 1``,
and the search engine's ping: the Whoosh index opened read-only, or one round trip to
Elasticsearch) and the answer never carries paths, versions or error messages: those go to the
log. The view asks the engine through ``articles.search.engine``, never Whoosh or Haystack.
"""

import logging

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.search.engine import configured_engine

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


def search_index_is_available() -> bool:
    try:
        return bool(configured_engine().ping())
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
