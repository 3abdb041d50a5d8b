"""The search tests' corpus (articles written for them, with their sources, meetings and
speakers) and the helpers that read a search page's HTML."""

import datetime
import re

from articles.models import Article, Meeting, Person, Source
from tests.factories import ArticleFactory, ArticleMeetingFactory, ArticlePersonFactory

CORPUS = {
    "rome": dict(
        title="À Rome, la coalition veut sécuriser les frontières",
        body=(
            "Réunis à Rome, les ministres de la coalition ont évoqué la sécurité des frontières "
            "et le retour des habitants dans les villes libérées. Selon Antony Blinken, "
            "l’organisation État islamique garde des cellules actives."
        ),
        published_on=datetime.date(2021, 6, 28),
        source="afp",
        meetings=["rome-2021"],
        speakers=["antony-blinken"],
    ),
    "washington": dict(
        title="Washington : le sort des combattants étrangers",
        body=(
            "À Washington, Rex Tillerson a plaidé pour le rapatriement des combattants "
            "étrangers. Les États-Unis financent la stabilisation d'Irak. Abou Bakr "
            "al-Baghdadi reste introuvable."
        ),
        published_on=datetime.date(2019, 2, 6),
        source="map",
        meetings=["washington-2019-fevrier"],
        speakers=["rex-tillerson"],
    ),
    "koweit": dict(
        title="Au Koweït, une conférence pour reconstruire",
        body=(
            "Au Koweït, la conférence des donateurs a promis des fonds pour la reconstruction. "
            "Daesh a perdu ses derniers territoires et les négociations continuent."
        ),
        published_on=datetime.date(2018, 2, 14),
        source="afp",
        meetings=["koweit-2018"],
        speakers=[],
    ),
    "califat": dict(
        title="Le califat numérique, une menace durable",
        body=(
            "Les experts décrivent un califat numérique qui survit à la défaite militaire. "
            "La propagande en ligne reste une priorité de sécurité."
        ),
        published_on=datetime.date(2021, 6, 29),
        source="france-diplomatie",
        meetings=["rome-2021"],
        speakers=["jean-yves-le-drian"],
    ),
    "reseaux": dict(
        title="Propagande : les réseaux sous surveillance",
        body=(
            "Sur les réseaux, le numérique califat des recruteurs n’a plus l’audience "
            "d’autrefois, disent les analystes."
        ),
        published_on=datetime.date(2020, 3, 10),
        source="map",
        meetings=[],
        speakers=[],
    ),
    "english": dict(
        title="The Islamic State after the fall of Raqqa",
        body="The Islamic State lost its last strongholds, officials said in Washington.",
        published_on=datetime.date(2019, 2, 7),
        source="afp",
        meetings=["washington-2019-fevrier"],
        speakers=[],
        language="en",
    ),
    "undated": dict(
        title="Communiqué sur la sécurité régionale",
        body="Un communiqué sans date rappelle l’engagement de la coalition pour la sécurité.",
        published_on=None,
        source="france-diplomatie",
        meetings=[],
        speakers=[],
    ),
    "draft": dict(
        title="Brouillon sur les frontières",
        body="Ce brouillon parle des frontières, de Daesh et de Rome.",
        published_on=datetime.date(2021, 7, 1),
        source="afp",
        meetings=["rome-2021"],
        speakers=["antony-blinken"],
        status=Article.Status.TO_CHECK,
    ),
}
PUBLISHED = [key for key, spec in CORPUS.items() if spec.get("status") != Article.Status.TO_CHECK]


# The coalition's reference rows these tests use (a migration seeds them, but a transactional
# test elsewhere may have flushed them).
SOURCES = {
    "afp": "Agence France-Presse",
    "map": "Maghreb Arabe Presse",
    "france-diplomatie": "France Diplomatie",
}
MEETINGS = {
    "rome-2021": ("Rome", datetime.date(2021, 6, 28)),
    "washington-2019-fevrier": ("Washington", datetime.date(2019, 2, 6)),
    "washington-2017": ("Washington", datetime.date(2017, 3, 22)),
    "koweit-2018": ("Koweït", datetime.date(2018, 2, 13)),
}
PEOPLE = {
    "antony-blinken": "Antony Blinken",
    "rex-tillerson": "Rex Tillerson",
    "jean-yves-le-drian": "Jean-Yves Le Drian",
}


def reference_source(slug):
    return Source.objects.get_or_create(slug=slug, defaults={"name": SOURCES[slug]})[0]


def reference_meeting(slug):
    city, day = MEETINGS[slug]
    return Meeting.objects.get_or_create(
        slug=slug,
        defaults={
            "title": f"{city} {day.year}",
            "kind": Meeting.Kind.MINISTERIAL,
            "city": city,
            "country": city,
            "start_date": day,
            "end_date": day,
        },
    )[0]


def reference_person(slug):
    return Person.objects.get_or_create(slug=slug, defaults={"name": PEOPLE[slug]})[0]


def create_article(*, meetings=(), speakers=(), source=None, **fields):
    if isinstance(source, str):
        source = reference_source(source)
    article = ArticleFactory(source=source, **fields)
    for slug in meetings:
        ArticleMeetingFactory(article=article, meeting=reference_meeting(slug))
    for slug in speakers:
        ArticlePersonFactory(article=article, person=reference_person(slug))
    return article


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def titles(html):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'<h3 class="article-item__title">(.*?)</h3>', html, re.S)
    ]


def found(client, url):
    """The corpus keys of the articles a search lists, in order."""
    by_title = {spec["title"]: key for key, spec in CORPUS.items()}
    return [by_title.get(title, title) for title in titles(get_html(client, url))]


def sentence(html):
    return re.search(r'<p class="search-sentence"[^>]*>(.*?)</p>', html, re.S).group(1)


def facet_counts(html, key):
    block = re.search(rf'<fieldset class="facet" id="facette-{key}">(.*?)</fieldset>', html, re.S)
    if block is None:
        return {}
    return {
        slug: int(count)
        for slug, count in re.findall(
            rf'name="{key}" value="([^"]+)".*?<span class="count">(\d+)</span>',
            block.group(1),
            re.S,
        )
    }
