"""The admin's import page: upload files, import each through ``articles.curation``, and show
the report."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from articles import curation
from articles.admin.forms import ImportForm
from articles.importing import Outcome

OUTCOME_LABELS = {
    Outcome.CREATED: _("Créé"),
    Outcome.UPDATED: _("Mis à jour"),
    Outcome.UNCHANGED: _("Inchangé (déjà dans l’archive)"),
    Outcome.DUPLICATE: _("Quasi-doublon"),
    Outcome.FAILED: _("Échec"),
}


class ArticleImportPages:
    """Mixed into ``ArticleAdmin``, which routes ``importer/`` here."""

    def import_view(self, request):
        if not request.user.has_perm(curation.IMPORT_PERMISSION):
            raise PermissionDenied
        publisher = curation.can_publish(request.user)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, can_publish=publisher)
            if form.is_valid():
                # Each file is read only once its size is known to be within the limit.
                summary = curation.import_uploads(
                    uploads=form.cleaned_data["files"],
                    user=request.user,
                    source_name=form.cleaned_data["source_name"],
                    status=form.cleaned_data["status"],
                )
                return self._import_report(request, summary)
        else:
            form = ImportForm(can_publish=publisher)
        context = self._context(request, _("Importer des fichiers"), form=form)
        return TemplateResponse(request, "admin/articles/article/import_form.html", context)

    def _import_report(self, request, summary):
        """One row per file with links to review it, and the count of each outcome."""
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
            (OUTCOME_LABELS[outcome], summary.count(outcome), outcome.value) for outcome in Outcome
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
        return TemplateResponse(request, "admin/articles/article/import_report.html", context)
