"""Bulk actions of the article changelist: status changes, meeting assignment, detection and
reindexing, each a call to ``articles.curation``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from articles import curation
from articles.admin.forms import AssignMeetingForm


class ArticleBulkActions:
    """Mixed into ``ArticleAdmin``: the methods its ``actions`` list names."""

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
