"""``/healthz``: is the archive able to serve? One boolean per component, and the index queue.

Load balancers and the container health check poll it, so each check is cheap (one ``SELECT 1``,
the search engine's ping: the Whoosh index opened read-only, or one round trip to
Elasticsearch; one aggregate over the index queue) and the answer never carries paths, versions
or error messages: those go to the log. The queue's size and its oldest row's age are reported
because a queue that stops draining leaves search answering from an ever older index while
everything else looks fine; past ``INDEX_QUEUE_MAX_PENDING`` or ``INDEX_QUEUE_MAX_AGE_SECONDS``
the check fails. The view asks the engine through ``articles.search.engine``, never Whoosh or
Haystack.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.search.engine import configured_engine
from articles.search.queue import queue_lag

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


def index_queue_lag() -> tuple[bool, dict]:
    """Whether the index queue is within its limits, and its size and oldest row's age."""
    try:
        lag = queue_lag()
    except Exception as error:
        logger.warning("health check: index queue unreadable (%s)", type(error).__name__)
        return False, {"pending": None, "oldest_seconds": None}
    within = lag.within(
        max_pending=settings.INDEX_QUEUE_MAX_PENDING,
        max_age_seconds=settings.INDEX_QUEUE_MAX_AGE_SECONDS,
    )
    if not within:
        logger.warning(
            "health check: index queue lags (%d pending, oldest %s s)",
            lag.pending,
            lag.oldest_seconds,
        )
    return within, {"pending": lag.pending, "oldest_seconds": lag.oldest_seconds}


@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """200 ``{"status": "ok", …}`` when every component answers, else 503 ``"unavailable"``."""
    checks = {"database": database_is_available(), "index": search_index_is_available()}
    if checks["database"]:
        checks["queue"], queue = index_queue_lag()
    else:  # the queue is a table: nothing to read
        checks["queue"], queue = False, {"pending": None, "oldest_seconds": None}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks, "queue": queue},
        status=200 if healthy else 503,
    )
