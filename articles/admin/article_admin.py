"""Articles in the admin: the changelist and the change form with the importer's proposals.

The bulk actions (``actions``), the import page (``import_pages``) and the review pages
(``review_pages``) are mixins of ``ArticleAdmin``, each in its own module.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import curation
from articles.admin.actions import ArticleBulkActions
from articles.admin.concurrency import VERSION_FIELD, locked_version, stale_message
from articles.admin.filters import NearDuplicateFilter, PendingProposalFilter, YearFilter
from articles.admin.import_pages import ArticleImportPages
from articles.admin.initial_data import CheckedInitialDataMixin
from articles.admin.inlines import ArticleMeetingInline, ArticlePersonInline, QuoteInline
from articles.admin.review_pages import ArticleReviewPages
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    PendingIndexUpdate,
    content_hash,
)
from articles.search.maintenance import repair_index

# Saves apply only their own index update; the index worker applies the rest, so an editor may
# see an article whose search document is not refreshed yet: the admin says so.
INDEX_PENDING = _("mise à jour de l’index en attente")


def index_pending():
    """True for an article that has a row in the index queue (one indexed lookup)."""
    return Exists(PendingIndexUpdate.objects.filter(article_id=OuterRef("pk")))


# --- The change form --------------------------------------------------------------------------


class ArticleForm(forms.ModelForm):
    """The admin builds the fields from ``ArticleAdmin.fieldsets``; this adds the version the
    form was opened at (see ``concurrency``) and one rule."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD].initial = self.instance.version
        self.current_version = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # Locked until the admin's transaction ends: the check and the save are one step.
            self.current_version = locked_version(self.instance.pk)
            if cleaned.get(VERSION_FIELD) != self.current_version:
                raise forms.ValidationError(stale_message(self.instance.pk), code="stale")
        # The natural key of a hand-made article is its text, as for an imported one.
        if self.instance.pk is None and cleaned.get("body"):
            digest = content_hash(cleaned["body"])
            twin = Article.objects.filter(content_hash=digest).first()
            if twin is not None:
                raise forms.ValidationError(
                    _("Ce texte est déjà dans l’archive : « %(title)s »."),
                    params={"title": twin.title},
                )
        return cleaned


@admin.register(Article)
class ArticleAdmin(
    CheckedInitialDataMixin,
    ArticleBulkActions,
    ArticleImportPages,
    ArticleReviewPages,
    admin.ModelAdmin,
):
    """The changelist and change form; the custom pages and actions come from the mixins."""

    form = ArticleForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title_column",
        "status",
        "source",
        "date_column",
        "meetings_column",
        "speakers_column",
        "review_link",
    ]
    list_display_links = ["title_column"]
    list_filter = [
        "status",
        "meetings",
        PendingProposalFilter,
        ("source", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        "language",
        NearDuplicateFilter,
    ]
    list_per_page = 50
    search_fields = ["title", "body"]
    search_help_text = _("Cherche dans le titre et le texte des articles.")
    date_hierarchy = "published_on"
    autocomplete_fields = ["source", "near_duplicate_of"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleMeetingInline, ArticlePersonInline, QuoteInline]
    readonly_fields = [
        "near_duplicate_similarity",
        "original_filename",
        "source_format",
        "raw_encoding",
        "raw_file_link",
        "imported_at",
        "importer_version",
        "content_hash",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "title_is_derived", "slug", "lead", "body", "language"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_on", "date_evidence", "source", "canonical_url"]},
        ),
        (_("Quasi-doublon"), {"fields": ["near_duplicate_of", "near_duplicate_similarity"]}),
        (
            _("Provenance"),
            {
                "classes": ["collapse"],
                "fields": [
                    "original_filename",
                    "source_format",
                    "raw_encoding",
                    "raw_file_link",
                    "imported_at",
                    "importer_version",
                    "content_hash",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    actions = [
        "publish_selected",
        "unpublish_selected",
        "mark_checked_selected",
        "send_back_to_check_selected",
        "assign_meeting",
        "rerun_detection_selected",
        "reindex_selected",
    ]

    # Queries: the changelist shows sources, meetings and speakers in a fixed number of queries.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "meeting_links", queryset=ArticleMeeting.objects.select_related("meeting")
                ),
                Prefetch(
                    "person_links",
                    queryset=ArticlePerson.objects.filter(role=ArticlePerson.Role.QUOTED)
                    .select_related("person")
                    .order_by("person__name"),
                    to_attr="quoted_links",
                ),
            )
            .annotate(index_pending=index_pending())
            .defer("raw_file")
        )

    # Columns

    @admin.display(description=_("titre"), ordering="title")
    def title_column(self, article):
        flags = []
        if article.title_is_derived:
            flags.append(_("titre déduit"))
        if article.near_duplicate_of_id is not None:
            flags.append(_("quasi-doublon"))
        if article.proposed_at is not None:
            flags.append(_("révision à relire"))
        if getattr(article, "index_pending", False):
            flags.append(INDEX_PENDING)
        if not flags:
            return article.title
        return format_html(
            '{} <span class="derived-flag">({})</span>', article.title, ", ".join(map(str, flags))
        )

    @admin.display(description=_("date"), ordering="published_on")
    def date_column(self, article):
        return date_format(article.published_on, "j M Y") if article.published_on else "—"

    @admin.display(description=_("réunion"))
    def meetings_column(self, article):
        links = article.meeting_links.all()
        if not links:
            return "—"
        return ", ".join(
            f"{link.meeting.city} {link.meeting.start_date:%Y}" + ("" if link.confirmed else " (?)")
            for link in links
        )

    @admin.display(description=_("intervenants cités"))
    def speakers_column(self, article):
        return ", ".join(link.person.name for link in article.quoted_links) or "—"

    @admin.display(description=_("relecture"))
    def review_link(self, article):
        return format_html('<a href="{}">{}</a>', self._url("review", article.pk), _("Relire"))

    @admin.display(description=_("fichier brut"))
    def raw_file_link(self, article):
        if article.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', self._url("raw", article.pk), _("Voir le fichier tel qu’importé")
        )

    # Permissions: publishing is the editors' decision, enforced here and in curation.

    def has_publish_permission(self, request, obj=None):
        return curation.can_publish(request.user)

    def has_curate_permission(self, request, obj=None):
        """Re-run detection, assign meetings: rewriting the importer's proposals."""
        return request.user.has_perms(
            [
                "articles.change_article",
                "articles.add_articlemeeting",
                "articles.delete_articlemeeting",
            ]
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.is_published:
            # What the public sees changes only through someone who may publish.
            return curation.can_publish(request.user)
        return allowed

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not curation.can_publish(request.user):
            kwargs["choices"] = [
                choice for choice in Article.Status.choices if choice[0] != Article.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = form.initial.get("status") if change else None
        touches_public = Article.Status.PUBLISHED in (obj.status, before) and obj.status != before
        if touches_public and not curation.can_publish(request.user):
            raise PermissionDenied
        if not obj.content_hash:
            obj.content_hash = content_hash(obj.body)
        if change:  # an editor's save, of the article or only of its links: a new version
            obj.version = form.current_version + 1
            obj.edited_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # An editor who corrects or adds a link has confirmed it.
        if formset.model in (ArticleMeeting, ArticlePerson):
            for link_form in formset.forms:
                if formset.can_delete and formset._should_delete_form(link_form):
                    continue
                corrected = {"meeting", "person", "role", "quote_kind"} & set(
                    link_form.changed_data
                )
                if corrected:
                    link_form.instance.confirmed = True
        super().save_formset(request, form, formset, change)

    # Custom pages

    def get_urls(self):
        def name(suffix):
            return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

        wrap = self.admin_site.admin_view

        @transaction.non_atomic_requests
        def import_view(request):
            # Each file commits on its own: one bad file must not undo the others.
            return self.import_view(request)

        custom = [
            path("importer/", wrap(import_view), name=name("import")),
            path("relecture/", wrap(self.review_queue_view), name=name("review_queue")),
            path(
                "index-de-recherche/reparer/",
                wrap(self.repair_index_view),
                name=name("repair_index"),
            ),
            path("<path:object_id>/relecture/", wrap(self.review_view), name=name("review")),
            path("<path:object_id>/brut/", wrap(self.raw_file_view), name=name("raw")),
            path("<path:object_id>/doublon/", wrap(self.duplicate_view), name=name("duplicate")),
        ]
        return custom + super().get_urls()

    def _url(self, suffix, *args):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{suffix}",
            args=args,
            current_app=self.admin_site.name,
        )

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("Cet article n’existe pas (ou plus)."))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(curation.IMPORT_PERMISSION),
            "import_url": self._url("import"),
            "review_queue_url": self._url("review_queue"),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "review_url": self._url("review", object_id),
            "raw_url": self._url("raw", object_id),
            "duplicate_url": self._url("duplicate", object_id),
            "index_pending_label": INDEX_PENDING,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Search index

    @method_decorator(require_POST)
    def repair_index_view(self, request):
        if not curation.can_repair_index(request.user):
            raise PermissionDenied
        try:
            summary = repair_index()
        except Exception as error:  # a busy or broken index is reported, not a server error
            messages.error(
                request,
                _("Réparation impossible : %(error)s")
                % {"error": f"{type(error).__name__}: {error}"},
            )
        else:
            messages.success(
                request, _("Index de recherche réparé : %(summary)s") % {"summary": summary}
            )
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))
