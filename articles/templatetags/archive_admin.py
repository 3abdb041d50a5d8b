"""Template helpers for the admin index: the curation to-do list and the search index status."""

from django import template
from django.db.models import Count

from articles.curation import can_repair_index
from articles.models import Article, Person
from articles.search.maintenance import index_status

register = template.Library()


@register.simple_tag
def curation_overview(user) -> dict | None:
    """What waits for editors, or None for a user who cannot see articles."""
    if not user.has_perm("articles.view_article"):
        return None
    counts = dict(
        Article.objects.exclude(status=Article.Status.PUBLISHED)
        .values("status")
        .annotate(total=Count("id"))
        .values_list("status", "total")
    )
    return {
        "to_check": counts.get(Article.Status.TO_CHECK, 0),
        "checked": counts.get(Article.Status.CHECKED, 0),
        "near_duplicates": Article.objects.filter(near_duplicate_of__isnull=False).count(),
        "people_to_review": Person.objects.filter(needs_review=True).count(),
        "can_import": user.has_perm("articles.import_articles"),
        "can_repair_index": can_repair_index(user),
    }


@register.simple_tag
def search_index_status() -> dict:
    """Published articles, indexed documents and pending updates (never raises)."""
    try:
        return index_status()
    except Exception as error:  # the admin index must render even when search is down
        return {"published": Article.objects.published().count(), "error": str(error)}
