"""The home page shows the archive's size."""

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_home_page_counts_published_articles_meetings_sources_and_people(client):
    ArticleFactory.create_batch(3)
    ArticleFactory(status="to_check")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>3</strong> articles publiés" in html
    assert "réunions" in html
    assert 'href="/admin/"' in html


def test_admin_is_reachable_and_asks_for_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
