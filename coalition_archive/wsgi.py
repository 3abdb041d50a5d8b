"""WSGI entry point (gunicorn coalition_archive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition_archive.settings")
application = get_wsgi_application()
