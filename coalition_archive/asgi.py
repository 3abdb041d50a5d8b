"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition_archive.settings")
# A public request gives up on a statement after 30 s (the 503 page) rather than hold a worker;
# commands run without this entry point and keep no limit (settings.py).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "30")
application = get_asgi_application()
