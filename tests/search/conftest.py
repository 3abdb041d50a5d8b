"""The search tests' fixtures: articles published through the real indexing path."""

import pytest

from tests.search.corpus import CORPUS, create_article


@pytest.fixture
def publish(search_index, django_capture_on_commit_callbacks):
    """Create articles and index them through the real path: save → queue → drain on commit."""

    def publish_articles(*specs):
        with django_capture_on_commit_callbacks(execute=True):
            articles = [create_article(**spec) for spec in specs]
        search_index.drain()
        return articles

    return publish_articles


@pytest.fixture
def corpus(publish):
    articles = publish(*CORPUS.values())
    return dict(zip(CORPUS, articles, strict=True))
