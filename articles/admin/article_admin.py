"""Articles in the admin: the changelist, the change form with the importer's proposals, the
bulk actions, and the curation pages (import, review queue, review, raw file, duplicates)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import curation
from articles.admin.display import (
    confidence_percent,
    evidence_lines,
    evidence_list,
    side_by_side,
)
from articles.admin.filters import NearDuplicateFilter, PendingProposalFilter, YearFilter
from articles.admin.forms import (
    AssignMeetingForm,
    CorrectMeetingForm,
    CorrectRoleForm,
    ImportForm,
)
from articles.importers import Outcome
from articles.indexing import repair_index
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Quote,
    content_hash,
)

OUTCOME_LABELS = {
    Outcome.CREATED: _("Créé"),
    Outcome.UPDATED: _("Mis à jour"),
    Outcome.UNCHANGED: _("Inchangé (déjà dans l’archive)"),
    Outcome.DUPLICATE: _("Quasi-doublon"),
    Outcome.FAILED: _("Échec"),
}
REVIEW_QUEUE_PAGE_SIZE = 25


# --- Inlines: the importer's proposals, with their confidence and evidence ---------------------


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


# --- The change form --------------------------------------------------------------------------


class ArticleForm(forms.ModelForm):
    """The admin builds the fields from ``ArticleAdmin.fieldsets``; this adds one rule."""

    def clean(self):
        cleaned = super().clean()
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
class ArticleAdmin(admin.ModelAdmin):
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

    # Bulk actions

    def _run_status_action(self, request, queryset, operation, done_message):
        try:
            changed = operation(articles=queryset, user=request.user)
        except PermissionDenied:
            self.message_user(
                request,
                _("Refusé : publier ou dépublier demande la permission de publication."),
                messages.ERROR,
            )
            return
        self.message_user(request, done_message % {"count": len(changed)}, messages.SUCCESS)

    @admin.action(description=_("Publier les articles sélectionnés"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._run_status_action(
            request, queryset, curation.publish, _("%(count)d article(s) publié(s).")
        )

    @admin.action(description=_("Dépublier les articles sélectionnés"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._run_status_action(
            request,
            queryset,
            curation.unpublish,
            _("%(count)d article(s) dépublié(s) (retour à « Vérifié »)."),
        )

    @admin.action(description=_("Marquer comme vérifiés"), permissions=["change"])
    def mark_checked_selected(self, request, queryset):
        self._run_status_action(
            request,
            queryset,
            curation.mark_checked,
            _("%(count)d article(s) marqué(s) vérifié(s)."),
        )

    @admin.action(description=_("Renvoyer en « À vérifier »"), permissions=["change"])
    def send_back_to_check_selected(self, request, queryset):
        self._run_status_action(
            request,
            queryset,
            curation.send_back_to_check,
            _("%(count)d article(s) renvoyé(s) en « À vérifier »."),
        )

    @admin.action(description=_("Attribuer une réunion…"), permissions=["curate"])
    def assign_meeting(self, request, queryset):
        form = AssignMeetingForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = curation.assign_meeting(
                articles=queryset, meeting=form.cleaned_data["meeting"], user=request.user
            )
            self.message_user(
                request,
                _("Réunion « %(meeting)s » attribuée à %(count)d article(s).")
                % {"meeting": form.cleaned_data["meeting"], "count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Attribuer une réunion"),
            "form": form,
            "articles": queryset.select_related(None).prefetch_related(None).only("id", "title"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "admin/articles/article/assign_meeting.html", context)

    @admin.action(
        description=_("Relancer la détection (réunion, intervenants)"), permissions=["curate"]
    )
    def rerun_detection_selected(self, request, queryset):
        count = curation.rerun_detection(articles=queryset, user=request.user)
        self.message_user(
            request,
            _("Détection relancée sur %(count)d article(s) ; les liens confirmés sont gardés.")
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Réindexer dans la recherche"), permissions=["change"])
    def reindex_selected(self, request, queryset):
        count = curation.queue_reindex(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)d article(s) mis en file pour l’index, appliqué(s) à la fin de l’opération.")
            % {"count": count},
            messages.SUCCESS,
        )

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
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Import

    def import_view(self, request):
        if not request.user.has_perm(curation.IMPORT_PERMISSION):
            raise PermissionDenied
        publisher = curation.can_publish(request.user)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, can_publish=publisher)
            if form.is_valid():
                uploads = [
                    curation.Upload(name=upload.name, raw=upload.read())
                    for upload in form.cleaned_data["files"]
                ]
                summary = curation.import_uploads(
                    uploads=uploads,
                    user=request.user,
                    source_name=form.cleaned_data["source_name"],
                    status=form.cleaned_data["status"],
                )
                rows = [
                    {
                        "result": result,
                        "label": OUTCOME_LABELS[result.outcome],
                        "review_url": self._url("review", result.article.pk)
                        if result.article is not None
                        else "",
                        "duplicate_url": self._url("duplicate", result.article.pk)
                        if result.duplicate_of is not None
                        else "",
                    }
                    for result in summary.results
                ]
                counts = [
                    (OUTCOME_LABELS[outcome], summary.count(outcome), outcome.value)
                    for outcome in Outcome
                ]
                context = self._context(
                    request,
                    _("Rapport d’import"),
                    rows=rows,
                    counts=counts,
                    summary_line=summary.line(),
                    import_url=self._url("import"),
                    review_queue_url=self._url("review_queue"),
                )
                return TemplateResponse(
                    request, "admin/articles/article/import_report.html", context
                )
        else:
            form = ImportForm(can_publish=publisher)
        context = self._context(request, _("Importer des fichiers"), form=form)
        return TemplateResponse(request, "admin/articles/article/import_form.html", context)

    # Review

    def review_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        status = request.GET.get("statut", Article.Status.TO_CHECK)
        if status not in (Article.Status.TO_CHECK, Article.Status.CHECKED):
            status = Article.Status.TO_CHECK
        articles = (
            Article.objects.filter(status=status)
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "meeting_links", queryset=ArticleMeeting.objects.select_related("meeting")
                ),
                Prefetch(
                    "person_links",
                    queryset=ArticlePerson.objects.select_related("person").order_by(
                        "role", "person__name"
                    ),
                ),
            )
            .defer("raw_file", "body")
            .order_by("created_at", "id")
        )
        page = Paginator(articles, REVIEW_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        entries = [
            {
                "article": article,
                "review_url": self._url("review", article.pk),
                "duplicate_url": self._url("duplicate", article.pk)
                if article.near_duplicate_of_id
                else "",
                "meetings": [
                    {
                        "link": link,
                        "confidence": confidence_percent(link.confidence),
                        "evidence": evidence_lines(link.evidence)[:3],
                    }
                    for link in article.meeting_links.all()
                ],
                "quoted": [
                    link
                    for link in article.person_links.all()
                    if link.role == ArticlePerson.Role.QUOTED
                ],
                "mentioned": [
                    link
                    for link in article.person_links.all()
                    if link.role == ArticlePerson.Role.MENTIONED
                ],
            }
            for article in page.object_list
        ]
        counts = {
            row["status"]: row["total"]
            for row in Article.objects.exclude(status=Article.Status.PUBLISHED)
            .values("status")
            .annotate(total=Count("id"))
        }
        context = self._context(
            request,
            _("File de relecture"),
            entries=entries,
            page=page,
            status=status,
            to_check_count=counts.get(Article.Status.TO_CHECK, 0),
            checked_count=counts.get(Article.Status.CHECKED, 0),
            changelist_url=reverse("admin:articles_article_changelist"),
        )
        return TemplateResponse(request, "admin/articles/article/review_queue.html", context)

    def review_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if request.method == "POST":
            redirect_to = self._apply_review(request, article)
            return HttpResponseRedirect(redirect_to or self._url("review", article.pk))

        meeting_links = list(article.meeting_links.select_related("meeting"))
        person_links = list(
            article.person_links.select_related("person").order_by("role", "person__name")
        )
        user = request.user
        can_change_article = self.has_change_permission(request, article)
        next_article = (
            Article.objects.to_check()
            .exclude(pk=article.pk)
            .order_by("created_at", "id")
            .only("id")
            .first()
        )
        context = self._context(
            request,
            _("Relecture"),
            subtitle=article.title,
            article=article,
            original=article,
            meeting_rows=[
                {
                    "link": link,
                    "confidence": confidence_percent(link.confidence),
                    "evidence": evidence_lines(link.evidence),
                }
                for link in meeting_links
            ],
            person_rows=[
                {"link": link, "evidence": evidence_lines(link.evidence)} for link in person_links
            ],
            pending_count=sum(not link.confirmed for link in [*meeting_links, *person_links]),
            quotes=article.quotes.select_related("person"),
            meetings=Meeting.objects.order_by("-start_date"),
            roles=ArticlePerson.Role.choices,
            can_change_article=can_change_article,
            can_accept_meeting=can_change_article
            and user.has_perm("articles.change_articlemeeting"),
            can_reject_meeting=can_change_article
            and user.has_perm("articles.delete_articlemeeting"),
            can_accept_person=can_change_article and user.has_perm("articles.change_articleperson"),
            can_reject_person=can_change_article and user.has_perm("articles.delete_articleperson"),
            can_publish=curation.can_publish(user),
            change_url=reverse("admin:articles_article_change", args=[article.pk]),
            history_url=reverse("admin:articles_article_history", args=[article.pk]),
            raw_url=self._url("raw", article.pk),
            duplicate_url=self._url("duplicate", article.pk),
            queue_url=self._url("review_queue"),
            next_url=self._url("review", next_article.pk) if next_article else "",
        )
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def _apply_review(self, request, article):
        """One editor's decision on the review page; returns where to go next (or None)."""
        user = request.user
        operation = request.POST.get("op", "")
        if not self.has_change_permission(request, article):
            raise PermissionDenied

        if operation in {"accept", "reject", "correct"}:
            kind = request.POST.get("kind")
            model = {"meeting": ArticleMeeting, "person": ArticlePerson}.get(kind)
            if model is None:
                raise PermissionDenied
            link = get_object_or_404(
                model.objects.select_related(kind), pk=request.POST.get("link"), article=article
            )
            codename = {"accept": "change", "correct": "change", "reject": "delete"}[operation]
            if not user.has_perm(f"articles.{codename}_{model._meta.model_name}"):
                raise PermissionDenied
            if operation == "accept":
                curation.accept_proposal(link=link, user=user)
                messages.success(request, _("Proposition acceptée."))
            elif operation == "reject":
                curation.reject_proposal(link=link, user=user)
                messages.success(request, _("Proposition rejetée."))
            elif kind == "meeting":
                form = CorrectMeetingForm(request.POST)
                if form.is_valid():
                    curation.correct_meeting(
                        link=link, meeting=form.cleaned_data["meeting"], user=user
                    )
                    messages.success(request, _("Réunion corrigée."))
            else:
                form = CorrectRoleForm(request.POST)
                if form.is_valid():
                    curation.correct_person_role(
                        link=link, role=form.cleaned_data["role"], user=user
                    )
                    messages.success(request, _("Rôle corrigé."))
            return None

        if operation == "accept_all":
            if not user.has_perms(
                ["articles.change_articlemeeting", "articles.change_articleperson"]
            ):
                raise PermissionDenied
            count = curation.accept_all_proposals(article=article, user=user)
            messages.success(request, _("%(count)d proposition(s) acceptée(s).") % {"count": count})
            return None

        status_operations = {
            "mark_checked": (curation.mark_checked, _("Article marqué vérifié.")),
            "publish": (curation.publish, _("Article publié : il est public et cherchable.")),
            "unpublish": (curation.unpublish, _("Article dépublié.")),
            "send_back": (curation.send_back_to_check, _("Article renvoyé en « À vérifier ».")),
        }
        if operation in status_operations:
            function, message = status_operations[operation]
            function(articles=[article], user=user)  # refuses (403) what the user may not do
            messages.success(request, message)
            return None
        messages.error(request, _("Opération inconnue."))
        return None

    # Raw file

    def raw_file_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        raw = bytes(
            Article.objects.filter(pk=article.pk).values_list("raw_file", flat=True).get() or b""
        )
        try:
            text = raw.decode(article.raw_encoding or "utf-8", errors="replace")
        except LookupError:
            text = raw.decode("utf-8", errors="replace")
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        # Shown as text whatever it contains: an imported page must never run in the admin.
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    # Near-duplicates

    def duplicate_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        twin = article.near_duplicate_of
        if twin is None:
            messages.info(request, _("Cet article n’est marqué comme quasi-doublon d’aucun autre."))
            return HttpResponseRedirect(self._url("review", article.pk))
        if request.method == "POST":
            operation = request.POST.get("op")
            if operation == "keep":
                if not self.has_change_permission(request, article):
                    raise PermissionDenied
                curation.keep_near_duplicate(article=article, user=request.user)
                messages.success(request, _("Les deux articles sont gardés ; marque retirée."))
                return HttpResponseRedirect(self._url("review", article.pk))
            if operation == "merge":
                if not (
                    self.has_delete_permission(request, article)
                    and self.has_change_permission(request, twin)
                ):
                    raise PermissionDenied
                twin = curation.merge_near_duplicate(duplicate=article, user=request.user)
                messages.success(
                    request,
                    _("Quasi-doublon fusionné dans « %(title)s » puis supprimé.")
                    % {"title": twin.title},
                )
                return HttpResponseRedirect(self._url("review", twin.pk))
            messages.error(request, _("Opération inconnue."))
        left, right = side_by_side(article.body, twin.body)
        context = self._context(
            request,
            _("Quasi-doublon : comparer et trancher"),
            subtitle=article.title,
            article=article,
            original=article,
            twin=twin,
            similarity=article.near_duplicate_similarity,
            article_html=left,
            twin_html=right,
            can_keep=self.has_change_permission(request, article),
            can_merge=self.has_delete_permission(request, article)
            and self.has_change_permission(request, twin),
            article_review_url=self._url("review", article.pk),
            twin_review_url=self._url("review", twin.pk),
        )
        return TemplateResponse(request, "admin/articles/article/duplicate.html", context)

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
