"""Folding one person or source into another: links, quotes and offices follow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import DELETION
from django.db import transaction
from django.db.models import Model

from articles.curation.history import queue_reindex, record_history
from articles.ingest.shingles import fold
from articles.models import ArticleMeeting, ArticlePerson, Office, Person, Source


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


def merge_person_links(keep: ArticlePerson, drop: ArticlePerson) -> None:
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
    keep.evidence = join_evidence(keep.evidence, drop.evidence)
    drop.delete()
    keep.save()


def merge_meeting_links(keep: ArticleMeeting, drop: ArticleMeeting) -> None:
    keep.confirmed = keep.confirmed or drop.confirmed
    confidences = [c for c in (keep.confidence, drop.confidence) if c is not None]
    keep.confidence = max(confidences) if confidences else None
    keep.evidence = join_evidence(keep.evidence, drop.evidence)
    drop.delete()
    keep.save()


def join_evidence(*parts: str) -> str:
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
                merge_person_links(kept[link.article_id], link)
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

        _absorb(
            survivor,
            absorbed,
            report,
            user=user,
            moved=(
                f"{report.moved_links} lien(s) d’article déplacé(s), "
                f"{report.combined_links} fusionné(s), {report.moved_quotes} citation(s), "
                f"{report.moved_offices} fonction(s)"
            ),
        )
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

        _absorb(
            survivor,
            absorbed,
            report,
            user=user,
            moved=f"{report.moved_links} article(s) déplacé(s)",
        )
    return report


def _absorb(survivor, absorbed, report: MergeReport, *, user, moved: str) -> None:
    """The end of a merge: the absorbed record's history, its deletion, the survivor's history
    saying what moved, and the affected articles queued for the index."""
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
            f"Fusion : « {report.absorbed_name} » absorbée — {moved} ; "
            f"« {report.absorbed_name} » devient un autre nom."
        ),
    )
    queue_reindex(report.article_ids)
