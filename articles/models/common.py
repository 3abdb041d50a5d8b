"""What the model modules share: the article's natural key, its review status (which the
reference querysets count by) and the enumerations' CHECK rule."""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def content_hash(text: str) -> str:
    """The natural key of an article: a hash of its normalised text, blind to spacing and case."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def choices_constraint(field: str, choices: type[models.TextChoices], name: str):
    """A CHECK constraint that keeps a TextChoices column inside its enumeration."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class ArticleStatus(models.TextChoices):
    TO_CHECK = "to_check", _("À vérifier")
    CHECKED = "checked", _("Vérifié")
    PUBLISHED = "published", _("Publié")
