"""Files uploaded in the admin, imported through the importer with a history entry each."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.curation.history import record_history
from articles.curation.permissions import IMPORT_PERMISSION, can_publish
from articles.importing import ImportResult, ImportSummary, Outcome, ReferenceData, import_article
from articles.models import Article
from articles.search.queue import deferred_index_drain


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
    if result.warning:
        message += f" ({result.warning})"
    record_history(
        user=user, objects=[article], message=message + ".", flag=ADDITION if created else CHANGE
    )
