"""The archive's data: sources, coalition meetings, people, articles and what links them.

Data rules live here as constraints and querysets; multi-step writes live in ``importing`` and
``curation``. One module a family: ``reference`` (sources, meetings, people, offices),
``articles`` (articles and their links, quotes, fingerprints), ``index`` (what the search layer
keeps in the database).
"""

from articles.models.articles import (
    Article,
    ArticleFingerprint,
    ArticleFormat,
    ArticleLanguage,
    ArticleMeeting,
    ArticlePerson,
    ArticleQuerySet,
    PersonRole,
    Quote,
    QuoteType,
    SpeechKind,
)
from articles.models.common import ArticleStatus, choices_constraint, content_hash
from articles.models.index import PendingIndexUpdate, SynonymGroup
from articles.models.reference import (
    Meeting,
    MeetingKind,
    MeetingQuerySet,
    Office,
    Person,
    Source,
    SourceKind,
)

__all__ = [
    "Article",
    "ArticleFingerprint",
    "ArticleFormat",
    "ArticleLanguage",
    "ArticleMeeting",
    "ArticlePerson",
    "ArticleQuerySet",
    "ArticleStatus",
    "Meeting",
    "MeetingKind",
    "MeetingQuerySet",
    "Office",
    "PendingIndexUpdate",
    "Person",
    "PersonRole",
    "Quote",
    "QuoteType",
    "Source",
    "SourceKind",
    "SpeechKind",
    "SynonymGroup",
    "choices_constraint",
    "content_hash",
]
