"""An import run: files in, one result per file out; each file all or nothing.

Files are read and parsed ahead (``workers``) in batches; each batch is decided in groups
from one lookup (``decisions``) and written a group at a time (``writer``). A group that
fails is written again file by file, so a bad file fails alone and the others are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from articles.importing.decisions import decide_group
from articles.importing.files import refusal, size_refusal
from articles.importing.outcome import ImportResult, ImportSummary, Outcome
from articles.importing.references import ReferenceData
from articles.importing.workers import default_workers, prepared_files
from articles.importing.writer import write_decisions
from articles.ingest import replacement_note
from articles.ingest.pipeline import PreparedFile, prepare_raw
from articles.models import Article

logger = logging.getLogger(__name__)

# New articles written in one transaction: the statements a file costs on its own (its lookup,
# the article, its index update, links, quotes, signature, near-duplicate candidates) are then
# sent once for the group.
WRITE_BATCH_SIZE = 32


def import_files(
    files: Iterable[Path],
    *,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
    dry_run: bool = False,
    progress: Callable[[ImportResult], None] | None = None,
    workers: int | None = None,
    batch_size: int = WRITE_BATCH_SIZE,
) -> ImportSummary:
    """Import each file all or nothing; a failing file never stops the others.

    Reading, parsing and detection run in ``workers`` processes (default: one per core, up to
    two, for large imports); the database writes stay in this process, in file order, so the
    result is the same whatever the number of workers. Files that only add articles are
    written up to ``batch_size`` at a time (a dry run writes each alone: no file sees another).
    ``progress`` hears of each file once it is written. A path that is not a regular file (a
    link, a named pipe) or is over the size limit is refused without being opened.
    """
    summary = ImportSummary()
    readable = []
    for path in files:
        reason = refusal(path)
        if reason is None:
            readable.append(path)
            continue
        summary.add(ImportResult(path.name, Outcome.FAILED, reason))
        if progress is not None:
            progress(summary.results[-1])
    files = readable
    reference = ReferenceData.load()
    if workers is None:
        workers = default_workers(len(files))
    if dry_run:
        batch_size = 1
    options = {"source_name": source_name, "status": status, "reference": reference}
    prepared = prepared_files(files, reference=reference, workers=workers, ahead=batch_size)
    for batch in _batches(prepared, size=max(1, batch_size)):
        while batch:  # in groups: the first files of the batch that can be written together
            results = _import_group(batch, dry_run=dry_run, **options)
            for result in results:
                summary.add(result)
                if progress is not None:
                    progress(result)
            batch = batch[len(results) :]
    return summary


def _batches(prepared: Iterator[PreparedFile], *, size: int) -> Iterator[list[PreparedFile]]:
    batch: list[PreparedFile] = []
    for each in prepared:
        batch.append(each)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_article(
    *,
    raw: bytes,
    filename: str,
    source_name: str = "",
    status: str = Article.Status.TO_CHECK,
    dry_run: bool = False,
    reference: ReferenceData | None = None,
) -> ImportResult:
    """Parse one file and write it, all or nothing. Never raises for bad input."""
    too_large = size_refusal(len(raw))
    if too_large is not None:
        return ImportResult(filename, Outcome.FAILED, too_large)
    [result] = _import_group(
        [prepare_raw(raw, filename=filename)],
        source_name=source_name,
        status=status,
        dry_run=dry_run,
        reference=reference or ReferenceData.load(),
    )
    return result


def _import_group(
    files: Sequence[PreparedFile],
    *,
    source_name: str,
    status: str,
    dry_run: bool,
    reference: ReferenceData,
) -> list[ImportResult]:
    """The results of the first files of ``files`` that can be written together (one at
    least), written; if that fails, of each of them written alone."""
    results = _write_group(
        files, source_name=source_name, status=status, dry_run=dry_run, reference=reference
    )
    for result, prepared in zip(results, files, strict=False):
        if result.outcome != Outcome.FAILED and prepared.document is not None:
            result.warning = replacement_note(prepared.document.replaced_offsets)
    return results


def _write_group(
    files: Sequence[PreparedFile],
    *,
    source_name: str,
    status: str,
    dry_run: bool,
    reference: ReferenceData,
) -> list[ImportResult]:
    options = {"source_name": source_name, "status": status, "reference": reference}
    try:
        decisions = decide_group(files, **options)
    except Exception as error:  # one bad file must not stop an import run
        return [_failed(files[0], error)]  # the files after it are decided again
    try:
        return write_decisions(decisions=decisions, reference=reference, dry_run=dry_run)
    except Exception as error:
        if len(decisions) == 1:
            return [_failed(decisions[0].prepared, error)]
        logger.warning(
            "a group of %d files failed (%s: %s); writing them one by one",
            len(decisions),
            type(error).__name__,
            error,
        )
        return [
            result
            for decision in decisions
            for result in _write_group([decision.prepared], dry_run=dry_run, **options)
        ]


def _failed(prepared: PreparedFile, error: Exception) -> ImportResult:
    return ImportResult(prepared.name, Outcome.FAILED, f"{type(error).__name__}: {error}")
