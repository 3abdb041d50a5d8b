"""Editors' decisions on a flagged near-duplicate: keep it as distinct, or fold it into its twin."""

from __future__ import annotations

from django.contrib.admin.models import DELETION
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles.curation.history import queue_reindex, record_history
from articles.curation.merging import merge_meeting_links, merge_person_links
from articles.models import Article


def keep_near_duplicate(*, article: Article, user) -> None:
    """The editor judged the two articles distinct: clear the near-duplicate flag."""
    with transaction.atomic():
        twin = article.near_duplicate_of
        if twin is None:
            return
        similarity = article.near_duplicate_similarity
        article.near_duplicate_of = None
        article.near_duplicate_similarity = None
        article.save(update_fields=["near_duplicate_of", "near_duplicate_similarity", "updated_at"])
        shared = f" ({similarity:.0%} de texte commun)" if similarity is not None else ""
        record_history(
            user=user,
            objects=[article],
            message=f"Gardé : distinct de « {twin} »{shared}, marque de quasi-doublon retirée.",
        )


def provenance(article: Article) -> str:
    """One line saying where an article's text came from."""
    parts = [f"« {article.title} »"]
    if article.original_filename:
        parts.append(f"fichier {article.original_filename}")
    if article.source_id:
        parts.append(f"source {article.source}")
    if article.published_on:
        parts.append(f"publié le {date_format(article.published_on, 'j F Y')}")
    if article.canonical_url:
        parts.append(article.canonical_url)
    if article.imported_at:
        parts.append(f"importé le {date_format(timezone.localtime(article.imported_at), 'j F Y')}")
    return ", ".join(parts)


def merge_near_duplicate(*, duplicate: Article, user) -> Article:
    """Fold a near-duplicate into its twin and delete it; returns the twin.

    Its meeting and person links move to the twin (one link per meeting or person, confirmed
    over not), its provenance is written into the twin's history, its canonical URL moves when
    the twin has none.
    """
    with transaction.atomic():
        duplicate = Article.objects.select_for_update().get(pk=duplicate.pk)
        twin = duplicate.near_duplicate_of
        if twin is None:
            raise ValueError("cet article n’est pas marqué comme quasi-doublon")
        twin = Article.objects.select_for_update().get(pk=twin.pk)

        meetings = {link.meeting_id: link for link in twin.meeting_links.all()}
        for link in duplicate.meeting_links.all():
            if link.meeting_id in meetings:
                merge_meeting_links(meetings[link.meeting_id], link)
            else:
                link.article = twin
                link.save(update_fields=["article"])
        people = {link.person_id: link for link in twin.person_links.all()}
        for link in duplicate.person_links.all():
            if link.person_id in people:
                merge_person_links(people[link.person_id], link)
            else:
                link.article = twin
                link.save(update_fields=["article"])

        # Articles flagged as near-duplicates of the one going away now point at the survivor.
        Article.objects.filter(near_duplicate_of=duplicate).exclude(pk=twin.pk).update(
            near_duplicate_of=twin
        )
        if duplicate.canonical_url and not twin.canonical_url:
            twin.canonical_url, duplicate.canonical_url = duplicate.canonical_url, ""
            duplicate.save(update_fields=["canonical_url"])
            twin.save(update_fields=["canonical_url", "updated_at"])

        similarity = duplicate.near_duplicate_similarity
        shared = f" ({similarity:.0%} de texte commun)" if similarity is not None else ""
        note = provenance(duplicate)
        record_history(
            user=user, objects=[twin], message=f"Quasi-doublon fusionné ici{shared} : {note}."
        )
        record_history(
            user=user,
            objects=[duplicate],
            message=f"Fusionné dans « {twin} » comme quasi-doublon{shared}.",
            flag=DELETION,
        )
        duplicate.delete()
        queue_reindex([twin.pk])
    return twin
