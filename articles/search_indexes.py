"""The search index of published articles, in Haystack's own example style.

Backend-neutral: facet fields are Haystack ``Facet*Field`` fields holding slugs, kind codes,
language codes and years (keyword fields in Elasticsearch, whole-value ``ID``/``KEYWORD`` fields
in Whoosh); the document text comes from ``templates/search/indexes/articles/article_text.txt``.
"""

from django.utils.text import slugify
from haystack import indexes
from haystack.fields import FacetMultiValueField

from articles.models import Article, ArticlePerson


def meetings_of(article):
    return [link.meeting for link in article.meeting_links.all()]


def quoted_people_of(article):
    return [link.person for link in article.quoted_links]


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    published_on = indexes.DateField(model_attr="published_on", null=True)
    year = indexes.FacetIntegerField(null=True)
    meeting = FacetMultiValueField()
    location = FacetMultiValueField()
    meeting_kind = FacetMultiValueField()
    speakers = FacetMultiValueField()
    source = indexes.FacetCharField(null=True)
    language = indexes.FacetCharField(model_attr="language")

    def get_model(self):
        return Article

    def prepare(self, article):
        # The document template reads the quoted people from ``quoted_links``, which
        # ``with_listing_data()`` prefetches; an article loaded some other way gets it here.
        if not hasattr(article, "quoted_links"):
            article.quoted_links = list(
                article.person_links.filter(role=ArticlePerson.Role.QUOTED).select_related("person")
            )
        return super().prepare(article)

    def index_queryset(self, using=None):
        """Published articles, with what the document needs in a bounded number of queries."""
        return self.get_model().objects.published().with_listing_data().order_by("pk")

    def read_queryset(self, using=None):
        return self.get_model().objects.with_listing_data()

    def more_like_this_text(self, article) -> str:
        """The words an article's "more like this" is built from: its own text, which needs no
        query for its relations (the article page asks for it on every view)."""
        return f"{article.title}\n{article.lead}\n{article.body}"

    def get_updated_field(self):
        return "updated_at"

    def prepare_year(self, article):
        return article.published_on.year if article.published_on else None

    def prepare_meeting(self, article):
        return sorted({meeting.slug for meeting in meetings_of(article)})

    def prepare_location(self, article):
        return sorted({slugify(meeting.city) for meeting in meetings_of(article)})

    def prepare_meeting_kind(self, article):
        return sorted({meeting.kind for meeting in meetings_of(article)})

    def prepare_speakers(self, article):
        return sorted({person.slug for person in quoted_people_of(article)})

    def prepare_source(self, article):
        return article.source.slug if article.source_id else None
