"""An editor's answer to a re-imported page's new text (``Article.proposed_*``): accept or
reject it. Until then the article shows the text the editors reviewed."""

from __future__ import annotations

from django.db import transaction

from articles.curation.history import record_history
from articles.curation.proposals import rerun_detection
from articles.models import Article, content_hash

PROPOSED_FIELDS = ["proposed_title", "proposed_lead", "proposed_body", "proposed_at"]


def accept_revision(*, article: Article, user) -> bool:
    """Put the proposed text live and detect again on it (confirmed links stay).

    The title stays the editors' (the proposed one is shown beside it to copy if wanted):
    correcting titles is the commonest edit, and a new version of a page seldom retitles it.
    Returns False when there was nothing to accept.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.has_proposed_revision:
            return False
        article.lead = article.proposed_lead
        article.body = article.proposed_body
        article.content_hash = content_hash(article.body)
        _clear(article)
        article.save(update_fields=["lead", "body", "content_hash", *PROPOSED_FIELDS, "updated_at"])
        record_history(user=user, objects=[article], message="Nouvelle révision acceptée.")
        rerun_detection(articles=[article], user=user)
    return True


def reject_revision(*, article: Article, user) -> bool:
    """Drop the proposed text; the article stays as it is. False when there was none."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.has_proposed_revision:
            return False
        _clear(article)
        article.save(update_fields=[*PROPOSED_FIELDS, "updated_at"])
        record_history(user=user, objects=[article], message="Nouvelle révision rejetée.")
    return True


def _clear(article: Article) -> None:
    article.proposed_title = article.proposed_lead = article.proposed_body = ""
    article.proposed_at = None
