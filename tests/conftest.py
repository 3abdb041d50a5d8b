"""Shared fixtures: factories, and the rule for tests that need PostgreSQL or Chromium.

Those tests skip with a reason on a machine that lacks the service, and fail in CI, where
``.ci/run`` sets ARCHIVE_REQUIRE_SERVICES=1.
"""

import os
import shutil

import pytest

SERVICES_REQUIRED = os.environ.get("ARCHIVE_REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def skip_or_fail(reason: str):
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} — required here because ARCHIVE_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    if os.path.exists(CHROMIUM_PATH):
        return CHROMIUM_PATH
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def _required_services(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            skip_or_fail(
                "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive"
            )
    if request.node.get_closest_marker("browser") and chromium_executable() is None:
        skip_or_fail(f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)")
