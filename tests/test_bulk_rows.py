"""Rows inserted in bulk (COPY on PostgreSQL) hold what Django's own INSERT would write."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.bulk_rows import insert_rows
from articles.models import ArticlePerson, PendingIndexUpdate, Quote
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_bulk_rows_hold_their_values_their_defaults_and_their_creation_times():
    article, person = ArticleFactory(), PersonFactory()
    PendingIndexUpdate.objects.all().delete()  # the factory's own save queued one
    texts = ["« Nous ne céderons pas », a-t-il dit.", "que la coalition \\ restait unie\n", ""]
    before = datetime.datetime.now(datetime.UTC)

    insert_rows(
        Quote,
        [
            Quote(article=article, person=person, text=text, kind="direct", position=index)
            for index, text in enumerate(texts)
        ],
    )
    insert_rows(ArticlePerson, [ArticlePerson(article=article, person=person, role="quoted")])
    insert_rows(PendingIndexUpdate, [PendingIndexUpdate(article_id=article.pk)])

    stored = list(Quote.objects.order_by("position").values_list("text", "kind", "position"))
    assert stored == [(text, "direct", index) for index, text in enumerate(texts)]
    link = ArticlePerson.objects.get()
    assert (link.quote_kind, link.evidence, link.confirmed) == ("", "", False)
    pending = PendingIndexUpdate.objects.get()
    assert pending.article_id == article.pk and pending.attempts == 0
    assert pending.queued_at >= before.replace(microsecond=0)


def test_bulk_rows_are_one_logged_statement_and_fail_as_a_database_error():
    article, person = ArticleFactory(), PersonFactory()
    links = [ArticlePerson(article=article, person=person, role="quoted") for _ in range(2)]

    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        insert_rows(ArticlePerson, links)  # twice the same person: the unique constraint

    assert [q["sql"].split()[0] for q in queries if "articleperson" in q["sql"]] in (
        ["COPY"],
        ["INSERT"],
    )
    assert not ArticlePerson.objects.exists()
