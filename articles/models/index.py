"""What the search layer keeps in the database: the queue of index updates and the editors'
synonym groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexUpdate(models.Model):
    """An article whose search document must be refreshed from the database.

    Written in the same transaction as the change, so no update can be lost; a single writer
    drains the queue and re-reads each article's current state, which makes replays harmless.
    """

    article_id = models.BigIntegerField(_("article"))
    queued_at = models.DateTimeField(_("en attente depuis"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("mise à jour d’index en attente")
        verbose_name_plural = _("mises à jour d’index en attente")
        indexes = [models.Index(fields=["article_id"], name="pending_index_article_idx")]

    def __str__(self):
        return f"article {self.article_id} (depuis {self.queued_at:%Y-%m-%d %H:%M})"


class SynonymGroup(models.Model):
    """Names that mean the same thing to a researcher (Daech, Daesh, EI, ISIS …).

    A search for any of them finds the others; editors keep the list in the admin.
    """

    name = models.CharField(_("nom"), max_length=100, unique=True)
    terms = models.JSONField(
        _("termes"),
        default=list,
        help_text=_("Mots ou expressions équivalents, par exemple « Daech », « État islamique »."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("groupe de synonymes")
        verbose_name_plural = _("groupes de synonymes")

    def __str__(self):
        return self.name
