"""Publishing and other status changes: guarded by permission, recorded in history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied

from articles import curation
from articles.models import Article
from tests.curation.helpers import messages_for
from tests.factories import (
    ArticleFactory,
)

pytestmark = pytest.mark.django_db


def test_publishing_without_the_permission_changes_nothing_at_all(reviewer):
    to_check = ArticleFactory(status=Article.Status.TO_CHECK)
    checked = ArticleFactory(status=Article.Status.CHECKED)
    with pytest.raises(PermissionDenied):
        curation.publish(articles=[to_check, checked], user=reviewer)
    assert set(Article.objects.values_list("status", flat=True)) == {"to_check", "checked"}
    assert not LogEntry.objects.exists()


def test_status_changes_are_recorded_and_unchanged_articles_are_skipped(editor):
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    checked = ArticleFactory(status=Article.Status.CHECKED)
    changed = curation.publish(articles=[published, checked], user=editor)
    assert changed == [checked]
    assert messages_for(checked) == ["Statut : Vérifié → Publié."]
    assert messages_for(published) == []


def test_marking_checked_leaves_published_articles_alone(reviewer):
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    curation.mark_checked(articles=[published], user=reviewer)
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
