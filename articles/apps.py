from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive de presse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from articles.search.engine import install_configured_engines

        # Only the engines configured here patch anything (the Whoosh engine's file reading).
        install_configured_engines(settings.HAYSTACK_CONNECTIONS)
