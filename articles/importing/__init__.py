"""Write parsed articles into the archive: idempotent, each file all or nothing.

``ingest`` parses and detects (pure functions, run in worker processes for large imports);
this package decides what a file means for the database (``decisions``: created, updated,
unchanged) and writes it (``writer``), with the importer's proposals (``links``: meeting,
speakers, quotes) for editors to check and its near-duplicate flag (``near_duplicates``).
Its one edge upstream: writes queue their index updates through ``articles.search.queue``.
"""

from articles.importing.decisions import IMPORTER_VERSION, unique_article_slug
from articles.importing.files import (
    SUPPORTED_SUFFIXES,
    collect_files,
    max_file_bytes,
    size_refusal,
)
from articles.importing.links import record_detection
from articles.importing.near_duplicates import NEAR_DUPLICATE_THRESHOLD
from articles.importing.outcome import ImportResult, ImportSummary, Outcome
from articles.importing.references import ReferenceData
from articles.importing.run import import_article, import_files

__all__ = [
    "IMPORTER_VERSION",
    "NEAR_DUPLICATE_THRESHOLD",
    "SUPPORTED_SUFFIXES",
    "ImportResult",
    "ImportSummary",
    "Outcome",
    "ReferenceData",
    "collect_files",
    "import_article",
    "import_files",
    "max_file_bytes",
    "record_detection",
    "size_refusal",
    "unique_article_slug",
]
