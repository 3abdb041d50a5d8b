"""Editors' decisions on near-duplicates."""

import pytest

from articles import curation
from tests.factories import (
    ArticleFactory,
)

pytestmark = pytest.mark.django_db


def test_merging_an_article_that_is_not_a_duplicate_is_refused(editor):
    with pytest.raises(ValueError):
        curation.merge_near_duplicate(duplicate=ArticleFactory(), user=editor)
