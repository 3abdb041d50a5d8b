"""The write operations editors perform in the admin, each atomic and each recorded in history.

Every function is keyword-only, runs in one transaction, writes a LogEntry (who, when, what) on
the objects it changes and queues the affected articles for the search index. Permission checks
that guard the archive's public face (publishing) live here too, so no caller can skip them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format

from articles.importers import (
    ImportResult,
    ImportSummary,
    Outcome,
    ReferenceData,
    fold,
    import_article,
    record_detection,
)
from articles.indexing import deferred_index_drain, queue_index_updates
from articles.ingest.detection import detect
from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Office,
    Person,
    Quote,
    Source,
)

PUBLISH_PERMISSION = "articles.publish_article"
IMPORT_PERMISSION = "articles.import_articles"
STATUS_LABELS = dict(Article.Status.choices)


# --- History and index ------------------------------------------------------------------------


def record_history(*, user, objects: Iterable[Model], message: str, flag: int = CHANGE) -> None:
    """Write one admin LogEntry per object, so the change shows in its « Historique »."""
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=objects, action_flag=flag, change_message=message
        )


def queue_reindex(article_ids: Iterable[int]) -> int:
    """Queue articles for the search index in this transaction; they are applied on commit.

    Saves and deletes of articles and their links reach the index through its signal processor;
    this is for rows changed with ``update()`` (quotes, sources, twins after a merge).
    """
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    queue_index_updates(ids)
    return len(ids)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def can_repair_index(user) -> bool:
    """Superusers and editors (who may publish) repair the search index."""
    return user.is_active and (user.is_superuser or can_publish(user))


# --- Status -----------------------------------------------------------------------------------


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


# --- The importer's proposals -----------------------------------------------------------------

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


# --- Import -------------------------------------------------------------------------------------


@dataclass
class Upload:
    name: str
    raw: bytes


def import_uploads(
    *,
    uploads: Sequence[Upload],
    user,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
) -> ImportSummary:
    """Import uploaded files through the importer, one transaction per file, with history."""
    if not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("Importer demande la permission d’import.")
    if status == Article.Status.PUBLISHED and not can_publish(user):
        raise PermissionDenied("Importer en « Publié » demande la permission de publication.")
    summary = ImportSummary()
    reference = ReferenceData.load()
    # One index drain for the whole upload, not one Whoosh commit per file.
    with deferred_index_drain():
        for upload in uploads:
            started = timezone.now()
            # The importer's own transaction becomes a savepoint: a failing file rolls back
            # alone, and an imported article is committed together with its history entry.
            with transaction.atomic():
                result = import_article(
                    raw=upload.raw,
                    filename=upload.name,
                    source_name=source_name,
                    status=status,
                    reference=reference,
                )
                _record_import(result, user=user, started=started)
            summary.add(result)
    return summary


def _record_import(result: ImportResult, *, user, started: datetime.datetime) -> None:
    article = result.article
    if article is None or result.outcome in (Outcome.UNCHANGED, Outcome.FAILED):
        return
    created = result.outcome == Outcome.CREATED or (
        result.outcome == Outcome.DUPLICATE and article.created_at >= started
    )
    message = f"Importé depuis le fichier {result.name}"
    if result.duplicate_of is not None:
        message += f" (quasi-doublon de « {result.duplicate_of} »)"
    record_history(
        user=user, objects=[article], message=message + ".", flag=ADDITION if created else CHANGE
    )


# --- Merging people and sources ---------------------------------------------------------------


@dataclass
class MergeReport:
    survivor: Model
    absorbed_name: str
    article_ids: set[int] = field(default_factory=set)
    moved_links: int = 0
    combined_links: int = 0
    moved_quotes: int = 0
    moved_offices: int = 0


def combined_aliases(*, name: str, aliases: Iterable[str], extra: Iterable[str]) -> list[str]:
    """Aliases of both, in order, without repeats (blind to case and accents) nor the name."""
    seen = {fold(name)}
    combined = []
    for alias in [*aliases, *extra]:
        alias = " ".join(str(alias).split())
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            combined.append(alias)
    return combined


def _merge_person_link(keep: ArticlePerson, drop: ArticlePerson) -> None:
    """Fold ``drop`` into ``keep`` (same article and person): quoted wins, confirmed wins."""
    if ArticlePerson.Role.QUOTED in (keep.role, drop.role):
        kinds = {link.quote_kind for link in (keep, drop) if link.role == ArticlePerson.Role.QUOTED}
        keep.role = ArticlePerson.Role.QUOTED
        keep.quote_kind = (
            ArticlePerson.QuoteKind.DIRECT
            if ArticlePerson.QuoteKind.DIRECT in kinds
            else next(iter(kinds - {""}), "")
        )
    keep.confirmed = keep.confirmed or drop.confirmed
    keep.evidence = _join_evidence(keep.evidence, drop.evidence)
    drop.delete()
    keep.save()


def _merge_meeting_link(keep: ArticleMeeting, drop: ArticleMeeting) -> None:
    keep.confirmed = keep.confirmed or drop.confirmed
    confidences = [c for c in (keep.confidence, drop.confidence) if c is not None]
    keep.confidence = max(confidences) if confidences else None
    keep.evidence = _join_evidence(keep.evidence, drop.evidence)
    drop.delete()
    keep.save()


def _join_evidence(*parts: str) -> str:
    lines: list[str] = []
    for part in parts:
        for line in (part or "").splitlines():
            if line.strip() and line not in lines:
                lines.append(line)
    return "\n".join(lines)


def merge_people(*, survivor: Person, absorbed: Person, user) -> MergeReport:
    """Fold ``absorbed`` into ``survivor``: article links, quotes and offices follow.

    An article linked to both ends with one link (quoted over mentioned, confirmed over not);
    the absorbed name becomes an alias of the survivor; affected articles are re-indexed.
    """
    if survivor.pk == absorbed.pk:
        raise ValueError("une personne ne peut pas absorber elle-même")
    with transaction.atomic():
        survivor = Person.objects.select_for_update().get(pk=survivor.pk)
        absorbed = Person.objects.select_for_update().get(pk=absorbed.pk)
        report = MergeReport(survivor=survivor, absorbed_name=absorbed.name)

        kept = {link.article_id: link for link in survivor.article_links.all()}
        for link in absorbed.article_links.all():
            report.article_ids.add(link.article_id)
            if link.article_id in kept:
                _merge_person_link(kept[link.article_id], link)
                report.combined_links += 1
            else:
                link.person = survivor
                link.save(update_fields=["person"])
                report.moved_links += 1

        report.article_ids.update(absorbed.quotes.values_list("article_id", flat=True))
        report.moved_quotes = absorbed.quotes.update(person=survivor)

        held = set(survivor.offices.values_list("role", "start_date", "end_date"))
        for office in absorbed.offices.all():
            if (office.role, office.start_date, office.end_date) in held:
                office.delete()
            else:
                held.add((office.role, office.start_date, office.end_date))
                report.moved_offices += Office.objects.filter(pk=office.pk).update(person=survivor)

        survivor.aliases = combined_aliases(
            name=survivor.name, aliases=survivor.aliases, extra=[absorbed.name, *absorbed.aliases]
        )
        survivor.needs_review = survivor.needs_review and absorbed.needs_review
        survivor.save(update_fields=["aliases", "needs_review"])

        record_history(
            user=user,
            objects=[absorbed],
            message=f"Fusionnée dans « {survivor} » (slug {absorbed.slug}).",
            flag=DELETION,
        )
        absorbed.delete()
        record_history(
            user=user,
            objects=[survivor],
            message=(
                f"Fusion : « {report.absorbed_name} » absorbée — "
                f"{report.moved_links} lien(s) d’article déplacé(s), "
                f"{report.combined_links} fusionné(s), {report.moved_quotes} citation(s), "
                f"{report.moved_offices} fonction(s) ; « {report.absorbed_name} » devient "
                "un autre nom."
            ),
        )
        queue_reindex(report.article_ids)
    return report


def merge_sources(*, survivor: Source, absorbed: Source, user) -> MergeReport:
    """Fold ``absorbed`` into ``survivor``: its articles follow and its name becomes an alias."""
    if survivor.pk == absorbed.pk:
        raise ValueError("une source ne peut pas absorber elle-même")
    with transaction.atomic():
        survivor = Source.objects.select_for_update().get(pk=survivor.pk)
        absorbed = Source.objects.select_for_update().get(pk=absorbed.pk)
        report = MergeReport(survivor=survivor, absorbed_name=absorbed.name)
        report.article_ids = set(absorbed.articles.values_list("id", flat=True))
        report.moved_links = absorbed.articles.update(source=survivor)

        survivor.aliases = combined_aliases(
            name=survivor.name, aliases=survivor.aliases, extra=[absorbed.name, *absorbed.aliases]
        )
        # Fill what the survivor does not know yet; never overwrite what an editor wrote.
        survivor.country = survivor.country or absorbed.country
        survivor.home_page_url = survivor.home_page_url or absorbed.home_page_url
        if survivor.kind == Source.Kind.OTHER:
            survivor.kind = absorbed.kind
        survivor.save()

        record_history(
            user=user,
            objects=[absorbed],
            message=f"Fusionnée dans « {survivor} » (slug {absorbed.slug}).",
            flag=DELETION,
        )
        absorbed.delete()
        record_history(
            user=user,
            objects=[survivor],
            message=(
                f"Fusion : « {report.absorbed_name} » absorbée — {report.moved_links} "
                f"article(s) déplacé(s) ; « {report.absorbed_name} » devient un autre nom."
            ),
        )
        queue_reindex(report.article_ids)
    return report


# --- Near-duplicates ----------------------------------------------------------------------------


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
                _merge_meeting_link(meetings[link.meeting_id], link)
            else:
                link.article = twin
                link.save(update_fields=["article"])
        people = {link.person_id: link for link in twin.person_links.all()}
        for link in duplicate.person_links.all():
            if link.person_id in people:
                _merge_person_link(people[link.person_id], link)
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
