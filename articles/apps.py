from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive de presse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import whoosh_files

        # Whoosh would copy every segment's postings onto the heap of each serving process.
        whoosh_files.install()
