"""Changelist filters for articles: year of publication and the near-duplicate flag."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class YearFilter(admin.SimpleListFilter):
    title = _("année")
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        years = Article.objects.dates("published_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        # ASCII digits only ("²".isdigit() is true), and a year a date can hold.
        value = self.value() or ""
        if value.isascii() and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(published_on__year=int(value))
        return queryset


class NearDuplicateFilter(admin.SimpleListFilter):
    title = _("quasi-doublon")
    parameter_name = "doublon"

    def lookups(self, request, model_admin):
        return [("oui", _("Quasi-doublon d’un autre article")), ("non", _("Aucun doublon"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(near_duplicate_of__isnull=False)
        if self.value() == "non":
            return queryset.filter(near_duplicate_of__isnull=True)
        return queryset


class PendingProposalFilter(admin.SimpleListFilter):
    """Articles whose meeting the importer proposed but no editor confirmed yet."""

    title = _("état de la réunion")
    parameter_name = "reunion_confirmee"

    def lookups(self, request, model_admin):
        return [
            ("proposee", _("Proposée, à confirmer")),
            ("confirmee", _("Confirmée")),
            ("aucune", _("Aucune réunion")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "proposee":
            return queryset.filter(meeting_links__confirmed=False).distinct()
        if self.value() == "confirmee":
            return queryset.filter(meeting_links__confirmed=True).distinct()
        if self.value() == "aucune":
            return queryset.filter(meeting_links__isnull=True)
        return queryset
