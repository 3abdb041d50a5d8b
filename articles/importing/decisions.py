"""What a file needs from the archive, decided before anything is written.

One lookup covers a group of files; each file then gets one decision: nothing (it failed to
read, or is an exact copy), a new article, or a new version of an article (same canonical URL),
and whether it creates references (a source or a person) later files must see. Files decided
together are written together by ``writer.write_decisions``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.importing.links import Proposals, current_detection
from articles.importing.outcome import ImportResult, Outcome
from articles.importing.references import ReferenceData, creates_people, find_source
from articles.ingest.detection import Detection
from articles.ingest.pipeline import PreparedFile
from articles.ingest.shingles import signature
from articles.models import Article, Source, content_hash

IMPORTER_VERSION = "1.0"


class Need(enum.Enum):
    """What writing a file takes."""

    NOTHING = "nothing"  # it could not be read, or the archive holds the same text
    NEW_ARTICLE = "new article"
    NEW_VERSION = "new version"  # of the article at the same canonical URL, untouched by editors
    # of an article at the same canonical URL that editors made theirs: proposed, not applied
    NEW_REVISION = "new revision"


@dataclass
class Decision:
    """A file, what it needs, and (for a write) the article with the file's fields set."""

    prepared: PreparedFile
    need: Need
    result: ImportResult | None = None  # already known when nothing is written
    article: Article | None = None
    detection: Detection | None = None
    signature: np.ndarray | None = None
    new_source_name: str = ""  # a source the archive does not know yet, created on writing
    creates_people: bool = False
    proposals: Proposals | None = field(default=None, repr=False)  # set by the writer

    @property
    def ends_group(self) -> bool:
        """The files after it must see what it writes: its new references (a source, a
        person detection will then know) or a new version of an article."""
        return (
            self.need in (Need.NEW_VERSION, Need.NEW_REVISION)
            or bool(self.new_source_name)
            or self.creates_people
        )


@dataclass
class ArchiveMatches:
    """What the archive holds for a group of files, from one query: articles by content hash
    and by canonical URL, and the slugs their titles would take."""

    by_hash: dict[str, int] = field(default_factory=dict)
    by_url: dict[str, int] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, files: Sequence[PreparedFile]) -> ArchiveMatches:
        documents = [prepared.document for prepared in files if prepared.document is not None]
        matches = cls()
        if not documents:
            return matches
        lookup = Q(content_hash__in={content_hash(document.body) for document in documents})
        urls = {document.canonical_url for document in documents} - {""}
        if urls:
            lookup |= Q(canonical_url__in=urls)
        for base in {slug_base(document.title) for document in documents}:
            lookup |= Q(slug__startswith=base)
        for pk, hashed, url, slug in (
            Article.objects.filter(lookup)
            .order_by()
            .values_list("pk", "content_hash", "canonical_url", "slug")
        ):
            matches.by_hash.setdefault(hashed, pk)
            if url:
                matches.by_url.setdefault(url, pk)
            matches.slugs.add(slug)
        return matches


def decide(
    prepared: PreparedFile,
    *,
    matches: ArchiveMatches,
    source_name: str,
    status: str,
    reference: ReferenceData,
) -> Decision:
    """What writing ``prepared`` takes, given what the archive holds (``matches``)."""
    if prepared.error or prepared.document is None:
        return _nothing(prepared, Outcome.FAILED, prepared.error)
    if status not in Article.Status.values:
        return _nothing(prepared, Outcome.FAILED, f"unknown status {status!r}")
    document = prepared.document
    digest = content_hash(document.body)
    if digest in matches.by_hash:
        copied = Article.objects.get(pk=matches.by_hash[digest])
        return _nothing(prepared, Outcome.UNCHANGED, "already in the archive", copied)

    url = document.canonical_url
    if url and url in matches.by_url:
        article = Article.objects.get(pk=matches.by_url[url])
        if article.is_edited:
            return propose_revision(prepared, article)
        # Untouched: updated in place, at the status asked for, as a new version.
        need, article.status, article.version = Need.NEW_VERSION, status, article.version + 1
    else:
        slug = first_free_slug(slug_base(document.title), matches.slugs)
        need, article = Need.NEW_ARTICLE, Article(status=status, slug=slug)
    named = document.source_name or source_name
    found, source = find_source(named, reference=reference)
    try:
        fill_article(article, prepared, digest=digest, source=source)
    except ValidationError as error:
        return _nothing(prepared, Outcome.FAILED, f"{type(error).__name__}: {error}")
    detection = current_detection(prepared, reference)
    return Decision(
        prepared,
        need,
        article=article,
        detection=detection,
        signature=signature(document.body) if prepared.signature is None else prepared.signature,
        new_source_name="" if found else named,
        creates_people=creates_people(detection, reference=reference),
    )


def propose_revision(prepared: PreparedFile, article: Article) -> Decision:
    """The page's new title and text, held on ``article`` for an editor to accept: the fields
    the editors reviewed, its status and its links stay as they are."""
    document = prepared.document
    article.proposed_title = document.title[:500]
    article.proposed_lead = document.lead
    article.proposed_body = document.body
    article.proposed_at = timezone.now()
    return Decision(prepared, Need.NEW_REVISION, article=article)


def _nothing(prepared, outcome: Outcome, message: str, article=None) -> Decision:
    result = ImportResult(prepared.name, outcome, message, article)
    return Decision(prepared, Need.NOTHING, result=result)


def decide_group(
    files: Sequence[PreparedFile],
    *,
    source_name: str,
    status: str,
    reference: ReferenceData,
) -> list[Decision]:
    """The decisions for the longest run of ``files`` that can be written together (one file
    at least), from one lookup.

    The run ends with a file whose writes the files after it must see (``ends_group``), and
    before a file whose text or page an earlier file of the run writes: that one is decided
    again once the run is in the archive.
    """
    matches = ArchiveMatches.load(files)
    decisions: list[Decision] = []
    for prepared in files:
        document = prepared.document
        if decisions and document is not None and _written_earlier(document, matches, decisions):
            break
        decision = decide(
            prepared, matches=matches, source_name=source_name, status=status, reference=reference
        )
        decisions.append(decision)
        if decision.ends_group:
            break
        if decision.need == Need.NEW_ARTICLE:
            matches.slugs.add(decision.article.slug)
    return decisions


def _written_earlier(document, matches: ArchiveMatches, decisions: list[Decision]) -> bool:
    written = [decision.article for decision in decisions if decision.need != Need.NOTHING]
    digest, url = content_hash(document.body), document.canonical_url
    return any(
        article.content_hash == digest or (url and article.canonical_url == url)
        for article in written
    )


def fill_article(
    article: Article, prepared: PreparedFile, *, digest: str, source: Source | None
) -> None:
    """Set what the file says on ``article`` and check the fields; raises ValidationError."""
    document = prepared.document
    article.title = document.title[:500]
    article.title_is_derived = document.title_is_derived
    article.lead = document.lead
    article.body = document.body
    article.language = (
        document.language
        if document.language in Article.Language.values
        else Article.Language.OTHER
    )
    article.published_on = document.published_on
    article.date_evidence = document.date_evidence[:255]
    article.source = source
    article.canonical_url = document.canonical_url
    article.content_hash = digest
    article.original_filename = prepared.name[:500]
    article.source_format = document.format
    article.raw_file = prepared.raw
    article.raw_encoding = document.encoding
    article.imported_at = timezone.now()
    article.importer_version = IMPORTER_VERSION
    # Field checks give clear messages; the unique and check constraints are the database's
    # (the lookups already matched the content hash and the canonical URL), and so is the
    # source's foreign key (the source is read, or created on writing).
    article.full_clean(exclude=["source"], validate_unique=False, validate_constraints=False)


def unique_article_slug(title: str) -> str:
    """The title's slug, numbered (-2, -3 …) after the slugs already taken: one query."""
    base = slug_base(title)
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return first_free_slug(base, taken)


def slug_base(title: str) -> str:
    return slugify(title)[:100].strip("-") or "article"


def first_free_slug(base: str, taken: set[str]) -> str:
    """``base``, else ``base-2``, ``base-3`` …: the first not in ``taken`` (slugs that start
    with ``base``)."""
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
