"""The Django admin: the editors' curation tool.

``article_admin`` holds the articles (its bulk actions, import page and review pages in
``actions``, ``import_pages`` and ``review_pages``); ``reference_admin`` the meetings, people and
sources with their merges. Importing both registers every model.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import article_admin, reference_admin

admin.site.site_header = _("Archive de la Coalition — curation")
admin.site.site_title = _("Curation de l’archive")
admin.site.index_title = _("Tableau de bord des éditeurs")

__all__ = ["article_admin", "reference_admin"]
