"""Site-wide response policy: security headers, and a 503 page when the database is down.

Both apply to every response, the admin and static files included, so they live here rather
than in the ``articles`` app. A database that is slow to answer counts as down: the connection
and each statement have a timeout (``DATABASE_CONNECT_TIMEOUT``, ``DATABASE_STATEMENT_TIMEOUT``
in the settings), and both raise ``OperationalError``.
"""

import json
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("coalition_archive.availability")

# Lose the connection or fail to open it: the database is unavailable, not the code broken.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

# Served when even the 503 template cannot be rendered (say, a static manifest is missing).
FALLBACK_503 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Service indisponible — Archive de la Coalition</title></head>"
    '<body><main id="contenu" class="error-page"><p class="error-page__code">503</p>'
    "<h1>Service momentanément indisponible</h1>"
    "<p>L’archive ne peut pas joindre sa base de données. Réessayez dans quelques instants.</p>"
    "</main></body></html>"
)


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"], …}`` → ``default-src 'self'; …``."""
    return "; ".join(
        " ".join([name, *sources]) if sources else name for name, sources in directives.items()
    )


UNAVAILABLE_MESSAGE = "L’archive ne peut pas joindre sa base de données. Réessayez dans un moment."
# Exports a program reads: they get their own format, never an HTML page.
JSON_SUFFIXES = (".json",)
TEXT_SUFFIXES = (".bib", ".ris", ".csv")


def requested_format(request) -> str:
    """``json``, ``text`` or ``html``: what the client of this URL can read."""
    if request is None:
        return "html"
    export = request.GET.get("format", "")
    accept = request.headers.get("Accept", "")
    if export == "json" or request.path.endswith(JSON_SUFFIXES):
        return "json"
    if export == "csv" or request.path.endswith(TEXT_SUFFIXES):
        return "text"
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    return "html"


def database_unavailable_response(request=None) -> HttpResponse:
    """The site's own 503 page, rendered without a request: no context processor touches the DB.

    A JSON or CSV client gets the same message as JSON or plain text.
    """
    kind = requested_format(request)
    if kind == "json":
        body = json.dumps({"error": UNAVAILABLE_MESSAGE}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json; charset=utf-8")
    elif kind == "text":
        response = HttpResponse(
            UNAVAILABLE_MESSAGE + "\n", status=503, content_type="text/plain; charset=utf-8"
        )
    else:
        response = HttpResponse(unavailable_page(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_page() -> str:
    try:
        return loader.render_to_string("503.html")
    except Exception:  # the page that says "unavailable" must never itself fail
        logger.exception("the 503 page could not be rendered; serving the plain fallback")
        return FALLBACK_503


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and other headers Django 5.2 does not set itself.

    A view that needs a different policy sets its own header; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings.CONTENT_SECURITY_POLICY),
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
            "Cross-Origin-Resource-Policy": "same-origin",
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response.headers:
                response.headers[name] = value
        return response


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection raised by a view into the site's 503 page.

    With ``ATOMIC_REQUESTS`` the connection is opened when the view's transaction starts, so a
    database that is down surfaces here. Failures outside views reach ``server_error`` below.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error(
                "database unavailable while serving %s: %s",
                request.path,
                type(exception).__name__,
                exc_info=exception,
            )
            return database_unavailable_response(request)
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """``handler500``: Django's own, except that an unavailable database gives the 503 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable_response(request)
    try:
        template = loader.get_template(template_name)
    except Exception:
        return HttpResponseServerError(
            "<h1>Server Error (500)</h1>", content_type="text/html; charset=utf-8"
        )
    return HttpResponseServerError(template.render())
