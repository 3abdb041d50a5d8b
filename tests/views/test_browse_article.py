"""The article page: text as escaped paragraphs, provenance, neighbours, citation and meta tags."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browse_factories import HOSTILE, covered_meeting
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db


def page(client, article, **params):
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_shows_title_source_date_meeting_speakers_and_paragraphs(client):
    meeting, speaker, (article, *_) = covered_meeting(city="Tunis")
    html = page(client, article)
    assert f"<h1>{article.title}</h1>" in html
    assert article.source.name in html
    assert f'<time datetime="{article.published_on:%Y-%m-%d}">' in html
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert f'href="{speaker.get_absolute_url()}"' in html
    assert html.count("<p>Les ministres des Affaires") == 1
    assert "<p>Notre correspondant note" in html


def test_article_without_date_or_source_says_so_and_still_cites(client):
    article = ArticleFactory(source=None, published_on=None, title="Une note anonyme")
    html = page(client, article)
    assert "date inconnue" in html
    assert "source inconnue" in html
    assert "s. d." in html
    assert "citation_publication_date" not in html
    assert "Sans réunion identifiée" in html


@pytest.mark.parametrize("status", ["to_check", "checked"])
def test_unpublished_article_and_its_citations_are_404(client, status):
    article = ArticleFactory(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/articles/{article.slug}/citation.bib").status_code == 404


def test_unknown_article_is_a_404_in_the_sites_style(client):
    response = client.get("/articles/cet-article-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_hostile_title_and_body_render_as_text_never_as_markup(client):
    article = ArticleFactory(
        title=f"Titre {HOSTILE}",
        body=f"Avant {HOSTILE} après.\n\n<img src=x onerror=alert(2)> & <b>gras</b>",
    )
    html = page(client, article)
    assert HOSTILE not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in html
    assert 'content="Titre &lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_extracted_quotes_are_marked_in_the_text(client):
    person = PersonFactory(name="Amélie Ministre")
    article = ArticleFactory(
        body="Elle a déclaré : « Nous resterons unis face à la menace », avant de partir."
    )
    ArticlePersonFactory(article=article, person=person)
    QuoteFactory(article=article, person=person, text="Nous resterons unis face à la menace")
    html = page(client, article)
    assert (
        '<mark class="quoted" title="Citation de Amélie Ministre">'
        "Nous resterons unis face à la menace</mark>"
    ) in html


def test_highwire_meta_tags_let_reference_managers_read_the_page(client):
    article = ArticleFactory(published_on=datetime.date(2017, 3, 22), language="fr")
    html = page(client, article)
    permalink = f"http://testserver{article.get_absolute_url()}"
    assert f'<meta name="citation_title" content="{article.title}">' in html
    assert '<meta name="citation_publication_date" content="2017/03/22">' in html
    assert f'<meta name="citation_journal_title" content="{article.source.name}">' in html
    assert f'<meta name="citation_publisher" content="{article.source.name}">' in html
    assert f'<meta name="citation_public_url" content="{permalink}">' in html
    assert '<meta name="citation_language" content="fr">' in html
    assert f'<link rel="canonical" href="{permalink}">' in html


def test_provenance_shows_file_import_date_review_status_and_importer_version(client):
    article = ArticleFactory(
        original_filename="07_rome-2021_dépêche.txt",
        imported_at=timezone.make_aware(datetime.datetime(2024, 3, 5, 14, 30)),
        importer_version="2.3.1",
        date_evidence="date dans la ligne de tête",
    )
    html = page(client, article)
    assert "07_rome-2021_dépêche.txt" in html
    assert "5 mars 2024, 14:30" in html
    assert "2.3.1" in html
    assert "Statut de relecture" in html and "Publié" in html
    assert "date dans la ligne de tête" in html


def test_previous_and_next_articles_of_the_same_meeting_follow_dates(client):
    meeting = MeetingFactory(start_date=datetime.date(2023, 6, 8))
    titles = ["Veille de la réunion", "Jour de la réunion", "Lendemain de la réunion"]
    articles = []
    for offset, title in zip([-1, 0, 1], titles, strict=True):
        article = ArticleFactory(
            title=title, published_on=meeting.start_date + datetime.timedelta(days=offset)
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
        articles.append(article)
    html = page(client, articles[1])
    assert re.search(r'href="/articles/veille-de-la-reunion/" rel="prev"', html)
    assert re.search(r'href="/articles/lendemain-de-la-reunion/" rel="next"', html)
    first = page(client, articles[0])
    assert 'rel="prev"' not in first
    assert 'rel="next"' in first


def test_related_coverage_lists_other_published_articles_on_the_same_meeting(client):
    meeting, _, (article, other, third) = covered_meeting()
    draft = ArticleFactory(title="Brouillon sur la même réunion", status="to_check")
    ArticleMeetingFactory(article=draft, meeting=meeting)
    html = page(client, article)
    related = html[html.index('id="voir-aussi"') :]
    assert other.get_absolute_url() in related
    assert third.get_absolute_url() in related
    assert "Brouillon sur la même réunion" not in html


def test_citation_follows_the_page_language_iso_690_in_french_chicago_in_english(client):
    article = ArticleFactory(
        title="La coalition se réunit à Rome", published_on=datetime.date(2021, 6, 28)
    )
    html = page(client, article)
    assert "<i>" + article.source.name + "</i> [en ligne]. 28 juin 2021." in html
    assert "Disponible à l’adresse : http://testserver/articles/" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, article)
    assert f"<i>{article.source.name}</i>. “La coalition se réunit à Rome.” June 28, 2021." in html
    assert "Style: Chicago." in html


def test_article_page_links_to_its_three_citation_downloads(client):
    article = ArticleFactory()
    html = page(client, article)
    for extension in ("bib", "ris", "json"):
        assert f'href="/articles/{article.slug}/citation.{extension}"' in html


def test_arriving_from_a_search_highlights_its_terms_in_the_text(client):
    article = ArticleFactory(
        body="Les frappes aériennes ont repris près de Mossoul.\n\nLa coalition <b>veille</b>."
    )
    html = page(client, article, q="Mossoul frappe")
    assert '<mark class="term">Mossoul</mark>' in html
    assert '<mark class="term">frappes</mark>' in html
    assert "Termes de la recherche « Mossoul frappe » surlignés." in html
    assert 'href="/recherche/?q=Mossoul%20frappe"' in html
    assert "&lt;b&gt;veille&lt;/b&gt;" in html
    # The permalink and the citation never carry the search.
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html


def test_a_hostile_search_query_is_shown_as_text(client):
    article = ArticleFactory()
    html = page(client, article, q=HOSTILE)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
