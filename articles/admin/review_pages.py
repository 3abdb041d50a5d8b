"""The admin's review pages: the review queue, one article's review, its raw file, and the
near-duplicate comparison. Every decision is a call to ``articles.curation``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import curation
from articles.admin.concurrency import locked_version, parse_version, stale_message
from articles.admin.display import confidence_percent, evidence_lines, side_by_side
from articles.admin.forms import CorrectMeetingForm, CorrectRoleForm
from articles.models import Article, ArticleMeeting, ArticlePerson, Meeting

REVIEW_QUEUE_PAGE_SIZE = 25
# A decision on one proposed link, and the permission on the link's model it needs.
LINK_DECISIONS = {"accept": "change", "correct": "change", "reject": "delete"}
# The article's status changes, by the name of their ``curation`` function.
STATUS_OPERATIONS = {
    "mark_checked": ("mark_checked", _("Article marqué vérifié.")),
    "publish": ("publish", _("Article publié : il est public et cherchable.")),
    "unpublish": ("unpublish", _("Article dépublié.")),
    "send_back": ("send_back_to_check", _("Article renvoyé en « À vérifier ».")),
}
# A re-imported page's proposed text, by the name of its ``curation`` function.
REVISION_OPERATIONS = {
    "accept_revision": ("accept_revision", _("Révision acceptée : son texte est en ligne.")),
    "reject_revision": ("reject_revision", _("Révision rejetée : le texte reste inchangé.")),
}


class ArticleReviewPages:
    """Mixed into ``ArticleAdmin``, which routes ``relecture/``, ``<id>/relecture/``,
    ``<id>/brut/`` and ``<id>/doublon/`` here."""

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
            with transaction.atomic():
                # The decision and the version check are one step (the row stays locked).
                current = locked_version(article.pk)
                opened = request.POST.get("version")
                if opened is not None and parse_version(opened) != current:
                    messages.error(request, stale_message(article.pk))
                    redirect_to = None
                else:
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
        revision_current, revision_proposed = (
            side_by_side(article.body, article.proposed_body)
            if article.has_proposed_revision
            else ("", "")
        )
        context = self._context(
            request,
            _("Relecture"),
            subtitle=article.title,
            revision_current=revision_current,
            revision_proposed=revision_proposed,
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
        if operation in LINK_DECISIONS:
            self._decide_on_link(request, article, operation)
            return None
        if operation == "accept_all":
            if not user.has_perms(
                ["articles.change_articlemeeting", "articles.change_articleperson"]
            ):
                raise PermissionDenied
            count = curation.accept_all_proposals(article=article, user=user)
            messages.success(request, _("%(count)d proposition(s) acceptée(s).") % {"count": count})
            return None
        if operation in STATUS_OPERATIONS:
            name, message = STATUS_OPERATIONS[operation]
            getattr(curation, name)(
                articles=[article], user=user
            )  # refuses (403) what the user may not do
            messages.success(request, message)
            return None
        if operation in REVISION_OPERATIONS:
            name, message = REVISION_OPERATIONS[operation]
            if getattr(curation, name)(article=article, user=user):
                messages.success(request, message)
            return None
        messages.error(request, _("Opération inconnue."))
        return None

    def _decide_on_link(self, request, article, operation):
        """Accept, reject or correct one proposed meeting or person link."""
        user = request.user
        kind = request.POST.get("kind")
        model = {"meeting": ArticleMeeting, "person": ArticlePerson}.get(kind)
        if model is None:
            raise PermissionDenied
        link = get_object_or_404(
            model.objects.select_related(kind), pk=request.POST.get("link"), article=article
        )
        if not user.has_perm(f"articles.{LINK_DECISIONS[operation]}_{model._meta.model_name}"):
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
                curation.correct_meeting(link=link, meeting=form.cleaned_data["meeting"], user=user)
                messages.success(request, _("Réunion corrigée."))
        else:
            form = CorrectRoleForm(request.POST)
            if form.is_valid():
                curation.correct_person_role(link=link, role=form.cleaned_data["role"], user=user)
                messages.success(request, _("Rôle corrigé."))

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
