"""Optimistic concurrency on the article's change form and review page.

Each form carries the article's ``version`` as it was when the editor opened it. A save at
another version is refused with who changed the article, when, and links to its history and
its current state: saving a form opened before someone else's change would silently put back
everything that change did (a status, a confirmed link).
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.models import Article

VERSION_FIELD = "opened_version"


def locked_version(article_id) -> int | None:
    """The article's current version, its row locked until the transaction ends (PostgreSQL):
    a concurrent save waits, then sees the new version."""
    return (
        Article.objects.select_for_update()
        .filter(pk=article_id)
        .values_list("version", flat=True)
        .first()
    )


def parse_version(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def stale_message(article_id):
    """« This article was changed by X at HH:MM since you opened it », with links (safe HTML)."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=str(article_id)
        )
        .select_related("user")
        .order_by("-action_time", "-id")
        .first()
    )
    if entry is not None:
        who = entry.user.get_username()
        when = timezone.localtime(entry.action_time).strftime("%H:%M")
        change = entry.get_change_message()
    else:
        who, when, change = _("un autre processus"), "?", ""
    return format_html(
        '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
        _(
            "Enregistrement refusé : cet article a été modifié par %(who)s à %(when)s depuis "
            "que vous l’avez ouvert (%(change)s). Rien n’a été enregistré ; rouvrez-le pour "
            "repartir de la version actuelle."
        )
        % {"who": who, "when": when, "change": change or _("modification")},
        reverse("admin:articles_article_history", args=[article_id]),
        _("Voir l’autre modification (historique)"),
        reverse("admin:articles_article_change", args=[article_id]),
        _("Ouvrir la version actuelle"),
    )
