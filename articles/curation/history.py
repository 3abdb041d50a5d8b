"""The record every curation write leaves: admin history entries and queued index updates."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import F, Model
from django.utils import timezone

from articles.models import Article
from articles.search.queue import queue_index_updates


def record_history(
    *, user, objects: Iterable[Model], message: str, flag: int = CHANGE, edit: bool = True
) -> None:
    """Write one admin LogEntry per object, so the change shows in its « Historique ».

    An editor's change (``edit``) of articles also counts their version up, so a form opened
    before it is refused; an import's own entry passes ``edit=False``.
    """
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=objects, action_flag=flag, change_message=message
        )
    if edit:
        mark_edited([each.pk for each in objects if isinstance(each, Article)])


def mark_edited(article_ids: Iterable[int]) -> None:
    """An editor changed these articles or their links: a new version, and theirs."""
    ids = [pk for pk in article_ids if pk is not None]
    if ids:
        Article.objects.filter(pk__in=ids).update(
            version=F("version") + 1, edited_at=timezone.now()
        )


def queue_reindex(article_ids: Iterable[int]) -> int:
    """Queue articles for the search index in this transaction; they are applied on commit.

    Saves and deletes of articles and their links reach the index through its signal processor;
    this is for rows changed with ``update()`` (quotes, sources, twins after a merge).
    """
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    queue_index_updates(ids)
    return len(ids)
