from django.contrib import admin
from django.urls import include, path

from articles.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]

# An unavailable database is a 503 page, not a 500 (coalition_archive/middleware.py).
handler500 = "coalition_archive.middleware.server_error"
