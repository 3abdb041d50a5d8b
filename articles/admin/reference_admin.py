"""Meetings, people and sources in the admin: autocomplete everywhere, offices inline, and a
merge action that folds two people (or two sources) into one."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from articles import curation
from articles.admin.forms import MergeForm
from articles.admin.initial_data import CheckedInitialDataMixin
from articles.models import (
    Meeting,
    Office,
    PendingIndexUpdate,
    Person,
    Source,
    SynonymGroup,
)


class MergeActionMixin:
    """An admin action on exactly two selected rows, with a page to pick the survivor."""

    merge_function = None
    merge_permissions: list[str] = []

    def has_merge_permission(self, request, obj=None):
        return request.user.has_perms(self.merge_permissions)

    def merge_selected(self, request, queryset):
        candidates = list(queryset.order_by("pk")[:3])
        if len(candidates) != 2:
            self.message_user(
                request,
                _("Sélectionnez exactement deux lignes à fusionner."),
                messages.WARNING,
            )
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, candidates=candidates)
        if form.is_bound and form.is_valid():
            survivor, absorbed = form.survivor_and_absorbed()
            report = self.merge_function(survivor=survivor, absorbed=absorbed, user=request.user)
            self.message_user(
                request,
                _(
                    "« %(absorbed)s » fusionné(e) dans « %(survivor)s » : "
                    "%(articles)d article(s) concerné(s)."
                )
                % {
                    "absorbed": report.absorbed_name,
                    "survivor": report.survivor,
                    "articles": len(report.article_ids),
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Fusionner deux %(name)s") % {"name": self.opts.verbose_name_plural},
            "form": form,
            "candidates": [self.merge_summary(item) for item in candidates],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge_confirmation.html", context)

    def merge_summary(self, item):
        return {"object": item, "facts": []}


# --- Sources ----------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(CheckedInitialDataMixin, MergeActionMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "country", "aliases_display", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_selected"]
    merge_function = staticmethod(curation.merge_sources)
    merge_permissions = ["articles.change_source", "articles.change_article"]

    def get_queryset(self, request):
        # Meta.ordering does not apply to a grouped query: say it again.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("articles"))
            .order_by(*Source._meta.ordering)
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, source):
        return source.article_count

    @admin.display(description=_("autres noms"))
    def aliases_display(self, source):
        return ", ".join(source.aliases) or "—"

    @admin.action(description=_("Fusionner les deux sources sélectionnées…"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        return super().merge_selected(request, queryset)

    def merge_summary(self, source):
        return {
            "object": source,
            "facts": [
                _("%(count)d article(s)") % {"count": source.articles.count()},
                _("autres noms : %(aliases)s") % {"aliases": ", ".join(source.aliases) or "—"},
            ],
        }


# --- Meetings ---------------------------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(CheckedInitialDataMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "city", "start_date", "end_date", "kind", "article_count"]
    list_filter = ["kind", "country"]
    search_fields = ["title", "city", "country", "slug"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["city", "start_date"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("article_links"))
            .order_by(*Meeting._meta.ordering)
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, meeting):
        return meeting.article_count


# --- People -----------------------------------------------------------------------------------


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ["role", "title", "start_date", "end_date"]


@admin.register(Person)
class PersonAdmin(CheckedInitialDataMixin, MergeActionMixin, admin.ModelAdmin):
    list_display = ["name", "aliases_display", "needs_review", "article_count", "quote_count"]
    list_filter = ["needs_review"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline]
    actions = ["merge_selected", "mark_reviewed"]
    merge_function = staticmethod(curation.merge_people)
    merge_permissions = [
        "articles.change_person",
        "articles.change_articleperson",
        "articles.change_quote",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count("article_links", distinct=True),
                quote_count=Count("quotes", distinct=True),
            )
            .order_by(*Person._meta.ordering)
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, person):
        return person.article_count

    @admin.display(description=_("citations"), ordering="quote_count")
    def quote_count(self, person):
        return person.quote_count

    @admin.display(description=_("autres noms"))
    def aliases_display(self, person):
        return ", ".join(person.aliases) or "—"

    @admin.action(
        description=_("Fusionner les deux personnes sélectionnées…"), permissions=["merge"]
    )
    def merge_selected(self, request, queryset):
        return super().merge_selected(request, queryset)

    @admin.action(description=_("Marquer comme vérifiées"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        people = list(queryset.filter(needs_review=True))
        for person in people:
            person.needs_review = False
            person.save(update_fields=["needs_review"])
        curation.record_history(
            user=request.user, objects=people, message="Marquée comme vérifiée."
        )
        self.message_user(
            request,
            _("%(count)d personne(s) marquée(s) vérifiée(s).") % {"count": len(people)},
            messages.SUCCESS,
        )

    def merge_summary(self, person):
        return {
            "object": person,
            "facts": [
                _("%(count)d article(s), %(quotes)d citation(s)")
                % {"count": person.article_links.count(), "quotes": person.quotes.count()},
                _("autres noms : %(aliases)s") % {"aliases": ", ".join(person.aliases) or "—"},
                _("fonctions : %(offices)s")
                % {"offices": "; ".join(str(office) for office in person.offices.all()) or "—"},
                _("à vérifier") if person.needs_review else _("vérifiée"),
            ],
        }


# --- Synonyms and the index queue --------------------------------------------------------------


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CheckedInitialDataMixin, admin.ModelAdmin):
    list_display = ["name", "terms_display"]
    search_fields = ["name"]

    @admin.display(description=_("termes"))
    def terms_display(self, group):
        return ", ".join(group.terms)


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(CheckedInitialDataMixin, admin.ModelAdmin):
    list_display = ["article_id", "queued_at", "attempts", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
