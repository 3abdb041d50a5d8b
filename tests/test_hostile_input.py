"""Hostile input, property-based: no URL and no parameter value makes the archive answer 500.

Every public page is driven with query strings full of quotes, operators, control characters,
unicode, 10 kB values, absurd page numbers, unknown facet values, malformed dates and unknown
slugs. Whatever comes in, the answer is a page (or an export), a redirect, or the site's own error
page. Pages are discovered by URL name: one that does not exist yet is skipped with a warning.
"""

import string
import warnings
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


def url_or_skip(name: str, kwargs: dict) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        warnings.warn(
            f"{name} does not exist yet: hostile-input test skipped for it",
            pytest.PytestWarning,
            stacklevel=2,
        )
        pytest.skip(f"{name} does not exist yet")


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
    url = url_or_skip(name, kwargs)
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
    url_or_skip(name, kwargs)

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
    """A page added later must join ROUTES; until then this warns rather than fails."""
    covered = {name for name, _, _ in ROUTES}
    resolver = get_resolver()
    public = {
        f"articles:{name}"
        for name in resolver.namespace_dict["articles"][1].reverse_dict
        if isinstance(name, str)
    }
    for name in sorted(public - covered):
        warnings.warn(
            f"{name} is not driven by the hostile-input test", pytest.PytestWarning, stacklevel=1
        )
    assert covered & public
