"""The article page lists articles the index finds close to it, and others on its meeting."""

import pytest

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_more_like_this_finds_the_article_sharing_its_key_terms(search_index):
    article = ArticleFactory(
        title="Les combattants étrangers détenus dans le nord-est syrien",
        body="Le sort des combattants étrangers détenus dans les camps du nord-est syrien "
        "inquiète les ministres : rapatriement, jugement et détention des combattants.",
    )
    close = ArticleFactory(
        title="Rapatrier les combattants étrangers",
        body="Plusieurs pays refusent le rapatriement de leurs combattants étrangers détenus "
        "dans les camps syriens, malgré les appels répétés à leur jugement.",
    )
    ArticleFactory(
        title="Le financement de la stabilisation",
        body="Les donateurs ont promis des fonds pour la reconstruction des écoles et des "
        "hôpitaux dans les villes libérées d’Irak.",
    )
    search_index.drain()

    similar = search.more_like_this(article, limit=3)

    assert similar[0] == close
    assert article not in similar


def test_more_like_this_never_returns_unpublished_articles(search_index):
    article = ArticleFactory(body="La menace terroriste au Sahel et en Afrique de l’Ouest.")
    hidden = ArticleFactory(body="La menace terroriste au Sahel et dans la région du lac Tchad.")
    search_index.drain()
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.TO_CHECK)

    assert hidden not in search.more_like_this(article)


def test_the_article_page_shows_close_articles_and_others_on_the_same_meeting(client, search_index):
    meeting = MeetingFactory(title="Réunion de Genève")
    article = ArticleFactory(
        title="Les frontières et le contrôle des aéroports",
        body="Les ministres veulent renforcer le contrôle des frontières et des aéroports "
        "contre les combattants étrangers.",
    )
    close = ArticleFactory(
        title="Aéroports et frontières sous surveillance",
        body="Le contrôle des aéroports et des frontières reste la priorité face aux "
        "combattants étrangers.",
    )
    same_meeting = ArticleFactory(title="Un communiqué sur la reconstruction")
    ArticleMeetingFactory(article=article, meeting=meeting)
    ArticleMeetingFactory(article=same_meeting, meeting=meeting)
    search_index.drain()

    html = client.get(article.get_absolute_url()).content.decode()

    close_part, meeting_part = html.split('<h3 id="meme-reunion"')
    assert close.get_absolute_url() in close_part.split('<h3 id="articles-proches"')[1]
    assert same_meeting.get_absolute_url() in meeting_part


def test_the_article_page_still_works_when_the_index_is_missing(client, settings, tmp_path):
    from tests.conftest import point_haystack_at

    article = ArticleFactory()
    point_haystack_at(tmp_path / "no-index-here")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # Issue 16, point 12: an index that cannot answer is not an index that found nothing, so
    # the page leaves the close-articles block out instead of claiming there are none.
    html = response.content.decode()
    assert 'id="articles-proches"' not in html
    assert "L’index ne trouve pas d’article proche." not in html
    assert 'id="meme-reunion"' in html
