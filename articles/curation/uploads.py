"""Files uploaded in the admin, imported through the importer with a history entry each.

Every file gets a result: one over the size limit is refused from its size without being read,
and one that fails in any way fails alone, so no file of an upload is dropped unreported.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib.admin.models import ADDITION, CHANGE
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.curation.history import record_history
from articles.curation.permissions import IMPORT_PERMISSION, can_publish
from articles.importing import (
    ImportResult,
    ImportSummary,
    Outcome,
    ReferenceData,
    import_article,
    size_refusal,
)
from articles.models import Article
from articles.search.queue import deferred_index_drain

logger = logging.getLogger(__name__)


class UploadedFile(Protocol):
    """What an upload needs: Django's ``UploadedFile`` has it, and so has ``Upload``."""

    name: str
    size: int

    def read(self) -> bytes: ...


@dataclass
class Upload:
    """An uploaded file's name and bytes, for callers that hold them already."""

    name: str
    raw: bytes

    @property
    def size(self) -> int:
        return len(self.raw)

    def read(self) -> bytes:
        return self.raw


def import_uploads(
    *,
    uploads: Sequence[UploadedFile],
    user,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
) -> ImportSummary:
    """Import uploaded files through the importer, one transaction per file, with history; the
    summary has one result per upload, in order."""
    if not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("Importer demande la permission d’import.")
    if status == Article.Status.PUBLISHED and not can_publish(user):
        raise PermissionDenied("Importer en « Publié » demande la permission de publication.")
    summary = ImportSummary()
    reference = ReferenceData.load()
    # One index drain for the whole upload, not one Whoosh commit per file.
    with deferred_index_drain():
        for upload in uploads:
            too_large = size_refusal(upload.size)
            if too_large is not None:  # known from the declared size: the file is not read
                summary.add(ImportResult(upload.name, Outcome.FAILED, too_large))
                continue
            options = {"source_name": source_name, "status": status, "reference": reference}
            summary.add(_import_one(upload, user=user, **options))
    return summary


def _import_one(upload: UploadedFile, *, user, **options) -> ImportResult:
    started = timezone.now()
    try:
        # The importer's own transaction becomes a savepoint: a failing file rolls back alone,
        # and an imported article is committed together with its history entry.
        with transaction.atomic():
            result = import_article(raw=upload.read(), filename=upload.name, **options)
            _record_import(result, user=user, started=started)
    except Exception as error:  # one file's unexpected failure must not drop the files after it
        logger.exception("importing the upload %s failed", upload.name)
        return ImportResult(upload.name, Outcome.FAILED, f"{type(error).__name__}: {error}")
    return result


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
        user=user,
        objects=[article],
        message=message + ".",
        flag=ADDITION if created else CHANGE,
        edit=False,
    )
