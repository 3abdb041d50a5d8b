"""Moving articles between review statuses; publishing needs its own permission."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles.curation.history import record_history
from articles.curation.permissions import can_publish
from articles.models import Article

STATUS_LABELS = dict(Article.Status.choices)


def set_status(*, articles: Iterable[Article], status: str, user) -> list[Article]:
    """Move articles to ``status`` and return those that changed.

    Publishing, and moving a published article back, need ``articles.publish_article``; the
    whole call is refused (nothing changes) if any article would need it and the user lacks it.
    """
    if status not in Article.Status.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        selected = list(
            Article.objects.select_for_update()
            .filter(pk__in=[article.pk for article in articles])
            .only("id", "title", "status")
        )
        touches_public = any(
            Article.Status.PUBLISHED in (article.status, status)
            for article in selected
            if article.status != status
        )
        if touches_public and not can_publish(user):
            raise PermissionDenied("Publier ou dépublier demande la permission de publication.")
        changed = []
        for article in selected:
            if article.status == status:
                continue
            before = article.status
            article.status = status
            # save() rather than update(): the search index listens to saves.
            article.save(update_fields=["status", "updated_at"])
            record_history(
                user=user,
                objects=[article],
                message=f"Statut : {STATUS_LABELS[before]} → {STATUS_LABELS[status]}.",
            )
            changed.append(article)
    return changed


def publish(*, articles: Iterable[Article], user) -> list[Article]:
    return set_status(articles=articles, status=Article.Status.PUBLISHED, user=user)


def unpublish(*, articles: Iterable[Article], user) -> list[Article]:
    """Withdraw published articles from the public archive; they go back to « Vérifié »."""
    published = [article for article in articles if article.status == Article.Status.PUBLISHED]
    return set_status(articles=published, status=Article.Status.CHECKED, user=user)


def mark_checked(*, articles: Iterable[Article], user) -> list[Article]:
    """Mark articles as checked; already published ones stay published."""
    pending = [article for article in articles if article.status != Article.Status.PUBLISHED]
    return set_status(articles=pending, status=Article.Status.CHECKED, user=user)


def send_back_to_check(*, articles: Iterable[Article], user) -> list[Article]:
    return set_status(articles=articles, status=Article.Status.TO_CHECK, user=user)
