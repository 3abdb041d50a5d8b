"""Moved to ``articles.importing``; shim until the restructure's last step."""

from articles.importing import (
    IMPORTER_VERSION,
    NEAR_DUPLICATE_THRESHOLD,
    SUPPORTED_SUFFIXES,
    ImportResult,
    ImportSummary,
    Outcome,
    ReferenceData,
    collect_files,
    import_article,
    import_files,
    record_detection,
    unique_article_slug,
)
from articles.ingest.shingles import SHINGLE_SIZE, fold, shingle_overlap, shingles

__all__ = [
    "IMPORTER_VERSION",
    "NEAR_DUPLICATE_THRESHOLD",
    "SHINGLE_SIZE",
    "SUPPORTED_SUFFIXES",
    "ImportResult",
    "ImportSummary",
    "Outcome",
    "ReferenceData",
    "collect_files",
    "fold",
    "import_article",
    "import_files",
    "record_detection",
    "shingle_overlap",
    "shingles",
    "unique_article_slug",
]
