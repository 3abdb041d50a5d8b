"""The article change form's inlines: the importer's proposals, with their confidence and
evidence, and the quotes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.display import confidence_percent, evidence_list
from articles.models import ArticleMeeting, ArticlePerson, Quote


class LabelledForeignKeysMixin:
    """French labels for the links' foreign keys, which the models leave unnamed."""

    foreign_key_labels = {"meeting": _("réunion"), "person": _("personne")}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.foreign_key_labels:
            kwargs.setdefault("label", self.foreign_key_labels[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArticleMeetingInline(LabelledForeignKeysMixin, admin.TabularInline):
    model = ArticleMeeting
    extra = 0
    autocomplete_fields = ["meeting"]
    fields = ["meeting", "confirmed", "confidence_display", "evidence_display"]
    readonly_fields = ["confidence_display", "evidence_display"]
    verbose_name = _("réunion couverte")
    verbose_name_plural = _(
        "Réunions couvertes — cocher « confirmé » pour accepter, « supprimer » pour rejeter, "
        "changer la réunion pour corriger"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")

    @admin.display(description=_("confiance"))
    def confidence_display(self, link):
        return confidence_percent(link.confidence)

    @admin.display(description=_("indices"))
    def evidence_display(self, link):
        return evidence_list(link.evidence)


class ArticlePersonInline(LabelledForeignKeysMixin, admin.TabularInline):
    model = ArticlePerson
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "quote_kind", "confirmed", "evidence_display"]
    readonly_fields = ["evidence_display"]
    verbose_name_plural = _(
        "Personnes dans l’article — cocher « confirmé » pour accepter, « supprimer » pour rejeter"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    @admin.display(description=_("indices"))
    def evidence_display(self, link):
        return evidence_list(link.evidence)


class QuoteInline(LabelledForeignKeysMixin, admin.TabularInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "kind", "text", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")
