"""Editors' answers to the importer's proposals: accept, reject, correct, assign, detect again."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from articles.curation.history import record_history
from articles.importing import ReferenceData, record_detection
from articles.ingest.detection import detect
from articles.models import Article, ArticleMeeting, ArticlePerson, Meeting, Quote

Proposal = ArticleMeeting | ArticlePerson


def describe_proposal(link: Proposal) -> str:
    if isinstance(link, ArticleMeeting):
        confidence = f" (proposée à {link.confidence:.0%})" if link.confidence is not None else ""
        return f"réunion « {link.meeting} »{confidence}"
    return f"{link.get_role_display().lower()} « {link.person} »"


def accept_proposal(*, link: Proposal, user) -> None:
    """Confirm a meeting or person link: re-running detection will keep it."""
    with transaction.atomic():
        if link.confirmed:
            return
        link.confirmed = True
        link.save(update_fields=["confirmed"])
        record_history(
            user=user, objects=[link.article], message=f"Acceptée : {describe_proposal(link)}."
        )


def reject_proposal(*, link: Proposal, user) -> None:
    """Delete a wrong meeting or person link; a rejected speaker's quotes go with it."""
    with transaction.atomic():
        message = f"Rejetée : {describe_proposal(link)}."
        if isinstance(link, ArticlePerson):
            dropped, _ = Quote.objects.filter(article=link.article, person=link.person).delete()
            if dropped:
                message = message[:-1] + f", avec {dropped} citation(s) qui lui étaient prêtées."
        article = link.article
        link.delete()
        record_history(user=user, objects=[article], message=message)


def accept_all_proposals(*, article: Article, user) -> int:
    """Confirm every pending meeting and person link of an article; returns how many."""
    with transaction.atomic():
        meetings = list(article.meeting_links.filter(confirmed=False).select_related("meeting"))
        people = list(article.person_links.filter(confirmed=False).select_related("person"))
        links = [*meetings, *people]
        for link in links:
            link.confirmed = True
            link.save(update_fields=["confirmed"])
        if links:
            accepted = "; ".join(describe_proposal(link) for link in links)
            record_history(user=user, objects=[article], message=f"Acceptées : {accepted}.")
    return len(links)


def correct_meeting(*, link: ArticleMeeting, meeting: Meeting, user) -> ArticleMeeting:
    """Point a meeting proposal at the right meeting, confirmed by the editor."""
    with transaction.atomic():
        before = link.meeting
        existing = (
            ArticleMeeting.objects.filter(article=link.article, meeting=meeting)
            .exclude(pk=link.pk)
            .first()
        )
        if existing is not None:
            link.delete()
            link = existing
        else:
            link.meeting = meeting
        link.confirmed = True
        link.save()
        record_history(
            user=user,
            objects=[link.article],
            message=f"Réunion corrigée : « {before} » → « {meeting} ».",
        )
    return link


def correct_person_role(*, link: ArticlePerson, role: str, user) -> ArticlePerson:
    """Change whether a person is quoted or merely mentioned, confirmed by the editor."""
    if role not in ArticlePerson.Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        before = link.get_role_display()
        link.role = role
        if role == ArticlePerson.Role.MENTIONED:
            link.quote_kind = ""
        link.confirmed = True
        link.save()
        record_history(
            user=user,
            objects=[link.article],
            message=f"Rôle de « {link.person} » corrigé : {before} → {link.get_role_display()}.",
        )
    return link


def assign_meeting(*, articles: Iterable[Article], meeting: Meeting, user) -> int:
    """Link articles to ``meeting`` (confirmed) in place of the importer's pending proposals."""
    count = 0
    with transaction.atomic():
        for article in articles:
            article.meeting_links.filter(confirmed=False).exclude(meeting=meeting).delete()
            link, _ = ArticleMeeting.objects.get_or_create(
                article=article,
                meeting=meeting,
                defaults={"evidence": f"Attribuée par {user.get_username()}."},
            )
            if not link.confirmed:
                link.confirmed = True
                link.save(update_fields=["confirmed"])
            record_history(
                user=user, objects=[article], message=f"Réunion attribuée : « {meeting} »."
            )
            count += 1
    return count


def rerun_detection(
    *, articles: Iterable[Article], user, reference: ReferenceData | None = None
) -> int:
    """Run detection again on the stored title, text and date; editors' confirmed links stay."""
    reference = reference or ReferenceData.load()
    count = 0
    with transaction.atomic():
        for article in articles:
            detection = detect(
                title=article.title,
                body=article.body,
                published_on=article.published_on,
                meetings=reference.meetings,
                people=reference.people,
            )
            record_detection(article, detection, reference=reference)
            meetings = ", ".join(
                f"« {link.meeting} »" for link in article.meeting_links.select_related("meeting")
            )
            people = article.person_links.count()
            record_history(
                user=user,
                objects=[article],
                message=(
                    f"Détection relancée : réunion {meetings or 'aucune'}, "
                    f"{people} personne(s), {article.quotes.count()} citation(s)."
                ),
            )
            count += 1
    return count
