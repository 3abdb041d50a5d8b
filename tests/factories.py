"""factory_boy factories: each builds a valid row with readable French defaults."""

import datetime

import factory
from django.utils.text import slugify

from articles.models import (
    Article,
    ArticleMeeting,
    ArticlePerson,
    Meeting,
    Office,
    Person,
    Quote,
    Source,
    content_hash,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Journal de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Source.Kind.NEWSPAPER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Réunion de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = Meeting.Kind.MINISTERIAL
    city = "Genève"
    country = "Suisse"
    start_date = datetime.date(2020, 5, 4)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Personne Test{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    person = factory.SubFactory(PersonFactory)
    role = "test-minister"
    title = "Ministre de test"
    start_date = datetime.date(2019, 1, 1)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"La coalition se réunit, épisode {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:110])
    body = factory.Sequence(
        lambda n: f"Les ministres de la coalition ont discuté de la sécurité régionale ({n})."
    )
    lead = factory.LazyAttribute(lambda o: o.body.split("\n\n")[0])
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.body))
    published_on = datetime.date(2020, 5, 5)
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.PUBLISHED


class ArticleMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleMeeting

    article = factory.SubFactory(ArticleFactory)
    meeting = factory.SubFactory(MeetingFactory)


class ArticlePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePerson

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = ArticlePerson.Role.QUOTED
    quote_kind = ArticlePerson.QuoteKind.DIRECT


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    text = "Nous resterons unis face à la menace."
    kind = Quote.Kind.DIRECT
