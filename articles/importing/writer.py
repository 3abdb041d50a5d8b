"""The one write of an import: the articles of a group of decisions, all or nothing.

A group is a run of files that add articles, the last of them possibly one that revises an
article or creates a source or a person (see ``decisions``): each kind of row is one statement
for the whole group. Near-duplicates are looked for in file
order, each article among the archive and the group's articles written before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from articles.importing.candidates import (
    meeting_candidates,
    meetings_key,
    near_duplicate_candidates,
    with_earlier,
)
from articles.importing.decisions import Decision, Need
from articles.importing.links import clear_proposals, insert_proposals, propose_links
from articles.importing.near_duplicates import best_twin, flag_near_duplicate, keep_fingerprints
from articles.importing.outcome import ImportResult, Outcome
from articles.importing.references import ReferenceData, resolve_source
from articles.models import Article
from articles.search.queue import queue_index_updates

IMPORTER_USERNAME = "importateur"


class DryRunRollback(Exception):
    """Raised inside a dry run's transaction so that nothing it wrote is kept."""


def write_decisions(
    *, decisions: Sequence[Decision], reference: ReferenceData, dry_run: bool = False
) -> list[ImportResult]:
    """Write the decided files in one transaction and return their results in file order.

    Raises whatever the write raised (nothing is kept then). A dry run rolls back and returns
    the results without their articles.
    """
    try:
        with transaction.atomic():
            results = _write(decisions, reference=reference)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        for result in results:
            result.article = None
    return results


def _write(decisions: Sequence[Decision], *, reference: ReferenceData) -> list[ImportResult]:
    for decision in decisions:
        if decision.need == Need.NEW_REVISION:
            decision.result = _propose_revision(decision)
    writes = [
        decision for decision in decisions if decision.need in (Need.NEW_ARTICLE, Need.NEW_VERSION)
    ]
    for decision in writes:
        if decision.new_source_name:
            decision.article.source = resolve_source(decision.new_source_name, reference=reference)
    _save_articles(writes)
    for decision in writes:
        confirmed_meetings, confirmed_people = {}, set()
        if decision.need == Need.NEW_VERSION:
            confirmed_meetings, confirmed_people = clear_proposals(decision.article)
        decision.proposals = propose_links(
            decision.article,
            decision.detection,
            reference=reference,
            confirmed_meetings=confirmed_meetings,
            confirmed_people=confirmed_people,
        )
    insert_proposals([decision.proposals for decision in writes])
    keep_fingerprints(
        [(each.article.pk, each.article.updated_at, each.signature) for each in writes]
    )
    written = iter(_compare_in_file_order(writes, reference=reference))
    return [decision.result or next(written) for decision in decisions]


def _propose_revision(decision: Decision) -> ImportResult:
    """Keep the page's new text on the article for review, with a history entry; the text the
    editors reviewed stays live until one of them accepts it."""
    article = decision.article
    article.version += 1  # an open form must not save over the proposal unseen
    article.save(
        update_fields=[
            "proposed_title",
            "proposed_lead",
            "proposed_body",
            "proposed_at",
            "version",
            "updated_at",
        ]
    )
    name = decision.prepared.name
    LogEntry.objects.log_actions(
        user_id=importer_account().pk,
        queryset=[article],
        action_flag=CHANGE,
        change_message=f"Nouvelle révision importée depuis le fichier {name}, à relire.",
    )
    return ImportResult(name, Outcome.UPDATED, "nouvelle révision à relire", article)


def importer_account():
    """The account history entries name for what the importer did on its own (a command has
    no logged-in editor); it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORTER_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _save_articles(writes: Sequence[Decision]) -> None:
    """New articles in one statement, new versions one by one; each queued for the index."""
    new = [decision.article for decision in writes if decision.need == Need.NEW_ARTICLE]
    if new and connection.features.can_return_rows_from_bulk_insert:
        Article.objects.bulk_create(new)
        queue_index_updates([article.pk for article in new])  # bulk_create sends no signal
    else:
        for article in new:  # the links need the ids: saved one by one
            article.save()
    for decision in writes:
        if decision.need == Need.NEW_VERSION:
            decision.article.save()  # its signal queues the index update


def _compare_in_file_order(
    writes: Sequence[Decision], *, reference: ReferenceData
) -> list[ImportResult]:
    """Look for each article's near-duplicate among the articles written before it, the
    group's earlier ones included, as writing the files one by one would."""
    index = reference.near_duplicates
    group_ids = [decision.article.pk for decision in writes]
    # Kept with the article's version: if the group is rolled back, a later article given the
    # same id (SQLite reuses them) has another version and is never taken for this one.
    for decision in writes:
        index.remember(decision.article.pk, decision.article.updated_at, decision.signature)
    keys = {
        decision.article.pk: meetings_key(decision.proposals.meeting_ids)
        for decision in writes
        if decision.proposals.meeting_ids
    }
    before_group = meeting_candidates(
        list(dict.fromkeys(keys.values())), index=index, exclude=set(group_ids)
    )
    flagged: set[int] = set()
    results = []
    for position, decision in enumerate(writes):
        article = decision.article
        if article.pk in keys:
            key = keys[article.pk]
            # Only a group's last article can be an earlier one (a new version): the articles
            # before it are new, none flagged before this run.
            earlier = [
                (other.article.pk, other.article.updated_at)
                for other in writes[:position]
                if other.article.pk not in flagged
                and not set(other.proposals.meeting_ids).isdisjoint(key[1])
            ]
            rows = with_earlier(before_group[key], earlier)
        else:
            key, rows = near_duplicate_candidates(
                article, [], index=index, written_after=group_ids[position:]
            )
        twin, shared = best_twin(decision.signature, rows, key, index=index)
        name = decision.prepared.name
        if twin is None:
            outcome = Outcome.CREATED if decision.need == Need.NEW_ARTICLE else Outcome.UPDATED
            results.append(ImportResult(name, outcome, "", article))
            continue
        flagged.add(article.pk)
        results.append(flag_near_duplicate(article, twin, shared, filename=name))
    for decision in writes:  # in id order, as each joins after the others
        if decision.need == Need.NEW_ARTICLE:
            _joins_candidates(decision, flagged=decision.article.pk in flagged, index=index)
    return results


def _joins_candidates(decision: Decision, *, flagged: bool, index) -> None:
    """Once committed, a new article joins the candidate sets the run keeps for its meetings."""
    article_id, version = decision.article.pk, decision.article.updated_at
    meeting_ids = decision.proposals.meeting_ids
    transaction.on_commit(lambda: index.joined(meeting_ids, article_id, version, flagged=flagged))
