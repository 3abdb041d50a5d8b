"""Browsing pages: home, meetings, speakers, sources, error pages and the language switch."""

import datetime
import itertools
import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from articles.models import Meeting, Person
from tests.browse_factories import HOSTILE, covered_meeting, hostile_world
from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    OfficeFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SEEDED_MEETINGS = 12


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


# Home --------------------------------------------------------------------------------------


def test_home_shows_a_timeline_of_meetings_by_year_with_their_published_article_counts(client):
    meeting, _, _ = covered_meeting(city="Lisbonne", start_date=datetime.date(2031, 6, 2))
    ArticleMeetingFactory(article=ArticleFactory(status="to_check"), meeting=meeting)
    html = html_of(client.get("/"))
    assert ">2031</h3>" in html
    assert "Lisbonne" in html
    assert "3 articles" in html
    assert html.count('class="meeting-row"') == SEEDED_MEETINGS + 1
    assert h1_count(html) == 1


def test_home_lists_the_latest_published_articles_newest_first(client):
    ArticleFactory(title="Un article ancien", published_on=datetime.date(2015, 1, 1))
    ArticleFactory(title="Un article récent", published_on=datetime.date(2023, 6, 8))
    ArticleFactory(title="Un brouillon", status="to_check")
    html = html_of(client.get("/"))
    assert html.index("Un article récent") < html.index("Un article ancien")
    assert "Un brouillon" not in html


def test_every_page_has_the_navigation_and_a_language_switch_posting_to_setlang(client):
    html = html_of(client.get("/reunions/"))
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en"' in html
    assert 'href="/reunions/" aria-current="page"' in html
    assert 'name="next" value="/reunions/"' in html


def test_switching_to_english_translates_the_interface_and_keeps_the_url(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/reunions/"})
    assert response.status_code == 302
    assert response["Location"] == "/reunions/"
    html = html_of(client.get("/reunions/"))
    assert '<html lang="en">' in html
    assert "Coalition meetings" in html
    assert 'name="language" value="fr"' in html


# Meetings ----------------------------------------------------------------------------------


def test_meeting_list_shows_every_meeting_grouped_by_year(client):
    html = html_of(client.get("/reunions/"))
    assert html.count('class="meeting-row"') == SEEDED_MEETINGS
    assert '<h2 id="annee-2014">2014</h2>' in html
    assert f"{SEEDED_MEETINGS} réunions" in html


def test_meeting_list_filters_by_place_and_kind_from_the_query_string(client):
    MeetingFactory(city="Saint-Étienne", kind=Meeting.Kind.SMALL_GROUP)
    MeetingFactory(city="Saint-Étienne", kind=Meeting.Kind.MINISTERIAL, slug="autre-reunion")
    html = html_of(client.get("/reunions/", {"lieu": "saint-etienne"}))
    assert html.count('class="meeting-row"') == 2
    assert '<option value="saint-etienne" selected>' in html
    html = html_of(client.get("/reunions/", {"lieu": "saint-etienne", "type": "small_group"}))
    assert html.count('class="meeting-row"') == 1
    # Selected filters are removable chips that keep the other filter.
    assert 'href="?lieu=saint-etienne"' in html


def test_meeting_list_with_an_unknown_filter_value_shows_nothing_and_says_so(client):
    html = html_of(client.get("/reunions/", {"lieu": "atlantide"}))
    assert 'class="meeting-row"' not in html
    assert "Aucune réunion ne correspond" in html


def test_meeting_page_shows_its_facts_speakers_chart_and_articles(client):
    meeting, speaker, articles = covered_meeting(
        hosts="Portugal ; États-Unis",
        communique_url="https://example.org/communique",
        description="Une réunion consacrée à la stabilisation.",
    )
    html = html_of(client.get(meeting.get_absolute_url()))
    assert h1_count(html) == 1
    assert "Portugal ; États-Unis" in html
    assert 'href="https://example.org/communique"' in html
    assert "Une réunion consacrée à la stabilisation." in html
    assert f'href="{speaker.get_absolute_url()}"' in html
    assert "cité dans 3 articles" in html
    assert '<svg role="img" aria-labelledby="coverage-title coverage-desc"' in html
    assert '<title id="coverage-title">' in html
    assert "<caption>Articles par jour autour de la réunion</caption>" in html
    for article in articles:
        assert article.get_absolute_url() in html
    assert f'href="/reunions/{meeting.slug}/comparaison/"' in html


def test_meeting_page_offers_a_search_within_the_meeting(client):
    meeting, _, _ = covered_meeting(articles=1)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert 'action="/recherche/"' in html
    assert f'<input type="hidden" name="reunion" value="{meeting.slug}">' in html
    assert 'for="recherche-reunion"' in html


def test_meeting_articles_sort_by_date_either_way_and_by_source(client):
    meeting = MeetingFactory(start_date=datetime.date(2022, 5, 11))
    for title, source, day in [
        ("Premier jour", "Zèbre Matin", 10),
        ("Deuxième jour", "Aube Nouvelle", 12),
    ]:
        article = ArticleFactory(
            title=title,
            source=SourceFactory(name=source),
            published_on=datetime.date(2022, 5, day),
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
    url = meeting.get_absolute_url()
    html = html_of(client.get(url))
    assert html.index("Premier jour") < html.index("Deuxième jour")
    html = html_of(client.get(url, {"tri": "-date"}))
    assert html.index("Deuxième jour") < html.index("Premier jour")
    assert 'href="?tri=-date" aria-current="true"' in html
    html = html_of(client.get(url, {"tri": "source"}))
    assert html.index("Deuxième jour") < html.index("Premier jour")
    html = html_of(client.get(url, {"tri": "n-importe-quoi"}))
    assert html.index("Premier jour") < html.index("Deuxième jour")


def test_meeting_chart_counts_days_around_the_meeting_and_articles_outside_the_window(client):
    meeting = MeetingFactory(start_date=datetime.date(2019, 2, 6))
    for day in [
        datetime.date(2019, 2, 6),
        datetime.date(2019, 2, 6),
        datetime.date(2019, 2, 7),
        datetime.date(2019, 1, 2),
        datetime.date(2019, 6, 1),
        None,
    ]:
        ArticleMeetingFactory(article=ArticleFactory(published_on=day), meeting=meeting)
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "3 articles dans cette période." in html
    assert "Pic à J : 2." in html
    assert "Avant : 1 ; après : 1 ; sans date : 1." in html
    assert '<th scope="row">J+1</th>' in html
    assert '<th scope="row">sans date</th>' in html


def test_meeting_without_articles_says_so_and_offers_no_comparison(client):
    meeting = Meeting.objects.get(slug="bruxelles-2014")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Aucun article publié ne couvre encore cette réunion." in html
    assert "comparaison" not in html
    assert "<svg" not in html


def test_unknown_meeting_is_a_404_in_the_sites_style(client):
    response = client.get("/reunions/nulle-part-2099/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'class="site-header"' in html


# People ------------------------------------------------------------------------------------


def test_person_list_shows_only_people_quoted_in_published_articles(client):
    quoted = PersonFactory(name="Odile Quoted-Publiée")
    OfficeFactory(person=quoted, title="Ministre des Essais")
    ArticlePersonFactory(person=quoted)
    ArticlePersonFactory(person=quoted)
    QuoteFactory(person=quoted, article=ArticleFactory())
    QuoteFactory(person=quoted, article=ArticleFactory(status="to_check"))
    mentioned = PersonFactory(name="Marc Mentionné")
    ArticlePersonFactory(person=mentioned, role="mentioned")
    in_draft = PersonFactory(name="Bruno Brouillon")
    ArticlePersonFactory(person=in_draft, article=ArticleFactory(status="checked"))
    html = html_of(client.get("/intervenants/"))
    assert "Odile Quoted-Publiée" in html
    assert "Ministre des Essais" in html
    assert "Marc Mentionné" not in html
    assert "Bruno Brouillon" not in html
    row = re.search(r"Odile Quoted-Publiée.*?</tr>", html, re.S).group()
    assert re.findall(r'<td class="number"[^>]*>(\d+)</td>', row) == ["2", "1"]


def test_person_page_shows_offices_meetings_quotes_and_articles(client):
    meeting, speaker, articles = covered_meeting(city="Oslo")
    OfficeFactory(
        person=speaker,
        title="Ministre de la Concorde",
        start_date=datetime.date(2018, 3, 1),
        end_date=datetime.date(2021, 9, 30),
    )
    QuoteFactory(person=speaker, article=articles[0], text="La reconstruction ne peut attendre.")
    QuoteFactory(person=speaker, article=ArticleFactory(status="to_check"), text="Brouillon secret")
    html = html_of(client.get(speaker.get_absolute_url()))
    assert h1_count(html) == 1
    assert "Ministre de la Concorde" in html
    assert "du 1 mars 2018 au 30 septembre 2021" in html
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert "La reconstruction ne peut attendre." in html
    assert "Brouillon secret" not in html
    for article in articles:
        assert article.get_absolute_url() in html


def test_speaker_without_quotes_or_articles_has_a_page_that_says_so(client):
    person = Person.objects.get(slug="john-kerry")
    html = html_of(client.get(person.get_absolute_url()))
    assert "Secrétaire d’État des États-Unis" in html
    assert "Aucune citation n’a encore été extraite" in html
    assert "Aucun article publié ne cite ni ne mentionne" in html


def test_unknown_person_is_a_404(client):
    assert client.get("/intervenants/personne-inconnue/").status_code == 404


# Sources -----------------------------------------------------------------------------------


def test_source_list_counts_published_articles(client):
    source = SourceFactory(name="L’Écho des Essais")
    ArticleFactory.create_batch(2, source=source)
    ArticleFactory(source=source, status="to_check")
    html = html_of(client.get("/sources/"))
    row = re.search(r"L’Écho des Essais.*?</tr>", html, re.S).group()
    assert re.search(r'<td class="number"[^>]*>2</td>', row)


def test_source_page_groups_its_articles_by_meeting(client):
    source = SourceFactory(name="La Vigie")
    first = MeetingFactory(title="Réunion d’Oslo", start_date=datetime.date(2018, 1, 1))
    second = MeetingFactory(title="Réunion de Tunis", start_date=datetime.date(2020, 1, 1))
    for meeting, title in [(second, "Sur Tunis"), (first, "Sur Oslo")]:
        ArticleMeetingFactory(article=ArticleFactory(title=title, source=source), meeting=meeting)
    ArticleFactory(title="Hors réunion", source=source)
    ArticleFactory(title="Pas encore publié", source=source, status="to_check")
    html = html_of(client.get(source.get_absolute_url()))
    assert h1_count(html) == 1
    assert html.index("Réunion d’Oslo") < html.index("Réunion de Tunis")
    assert html.index("Sur Oslo") < html.index("Sur Tunis") < html.index("Hors réunion")
    assert "Sans réunion identifiée" in html
    assert "Pas encore publié" not in html


def test_unknown_source_is_a_404(client):
    assert client.get("/sources/inconnue/").status_code == 404


# Hostile text, errors ----------------------------------------------------------------------


def test_hostile_markup_in_names_and_texts_is_shown_as_text_on_every_page(client):
    world = hostile_world()
    urls = [
        "/",
        "/reunions/",
        world["meeting"].get_absolute_url(),
        f"/reunions/{world['meeting'].slug}/comparaison/",
        "/intervenants/",
        world["person"].get_absolute_url(),
        "/sources/",
        world["source"].get_absolute_url(),
        world["article"].get_absolute_url(),
    ]
    for url in urls:
        html = html_of(client.get(url))
        assert HOSTILE not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_the_500_page_renders_without_a_database_or_a_request_context():
    # No django_db mark here: any query would raise.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Erreur du serveur" in html
    assert 'href="/static/css/site.css"' in html


@pytest.mark.parametrize(
    "url",
    ["/", "/reunions/", "/reunions/rome-2021/", "/intervenants/", "/sources/", "/nulle-part/"],
)
def test_pages_have_one_h1_and_headings_that_do_not_skip_levels(client, url):
    html = client.get(url).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, (url, levels)


def test_person_list_counts_are_grouped_queries_that_agree_with_the_links_and_quotes(
    client, django_assert_num_queries
):
    from articles.models import ArticlePerson, Quote

    people = [PersonFactory(name=f"Intervenant compté {number}") for number in range(6)]
    articles = [ArticleFactory() for _ in range(8)] + [ArticleFactory(status="to_check")]
    for index, article in enumerate(articles):
        for person in people[: index % len(people) + 1]:
            ArticlePersonFactory(article=article, person=person)
            for position in range(index % 3):
                QuoteFactory(article=article, person=person, position=position)
    # A quote where the person is only mentioned still counts as a quote, as before.
    ArticlePersonFactory(article=articles[0], person=people[5], role="mentioned")
    QuoteFactory(article=articles[0], person=people[5], position=9)

    # savepoint, people with their article counts, offices, quote counts, release
    with django_assert_num_queries(5) as queries:
        html = html_of(client.get("/intervenants/"))
    select_lists = [query["sql"].split(" FROM ", 1)[0] for query in queries]
    assert not any("(SELECT" in columns for columns in select_lists), "a subquery per row"

    for person in people:
        quoted_articles = {
            link.article_id
            for link in ArticlePerson.objects.filter(
                person=person, role="quoted", article__status="published"
            )
        }
        quotes = Quote.objects.filter(person=person, article__status="published").count()
        expected = [str(len(quoted_articles)), str(quotes)]
        if not quoted_articles:
            assert person.name not in html
            continue
        row = re.search(rf"{re.escape(person.name)}<.*?</tr>", html, re.S).group()
        assert re.findall(r'<td class="number"[^>]*>(\d+)</td>', row) == expected, person.name
