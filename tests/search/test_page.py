"""The researcher's search page, through HTTP, on articles indexed through the real path.

Every article here is saved, queued and drained into the test's own index (``search_index``).
The sentences are written for these tests.
"""

import json
import re
import shutil

import pytest

from articles.models import Article
from articles.search.engine.whoosh.backend import FrenchWhooshSearchBackend
from tests.search.corpus import PUBLISHED, facet_counts, found, get_html, sentence, titles

pytestmark = pytest.mark.django_db

# --- Browsing and the result list ----------------------------------------------------------


def test_an_empty_search_lists_every_published_article_newest_first_undated_last(client, corpus):
    html = get_html(client, "/recherche/")
    assert found(client, "/recherche/") == [
        "califat",
        "rome",
        "reseaux",
        "english",
        "washington",
        "koweit",
        "undated",
    ]
    assert "7 articles publiés" in sentence(html)
    assert "sans date" in html


def test_each_result_shows_its_source_date_meetings_speakers_and_links_to_the_article(
    client, corpus
):
    html = get_html(client, "/recherche/?q=frontières")
    article = corpus["rome"]
    assert f'href="{article.get_absolute_url()}?q=fronti%C3%A8res"' in html
    assert "Agence France-Presse" in html
    assert "28 juin 2021" in html
    assert "Rome 2021" in html
    assert "Antony Blinken" in html


def test_the_snippet_comes_from_the_database_text_with_the_words_marked(client, corpus):
    html = get_html(client, "/recherche/?q=libération")
    assert found(client, "/recherche/?q=libération") == ["rome"]
    assert "villes <mark>libérées</mark>" in html


def test_unpublished_articles_are_never_found(client, corpus):
    assert "draft" not in found(client, "/recherche/?q=brouillon")
    assert found(client, "/recherche/?q=brouillon") == []
    assert "draft" not in found(client, "/recherche/?lieu=rome")


def test_an_article_unpublished_or_deleted_since_indexing_never_shows(client, corpus):
    # The index lags behind the database for a moment: the queue is not drained here.
    Article.objects.filter(pk=corpus["rome"].pk).update(status=Article.Status.CHECKED)
    corpus["califat"].delete()
    listed = found(client, "/recherche/?lieu=rome")
    assert "rome" not in listed and "califat" not in listed


# --- French analysis, end to end -----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("securite", {"rome", "califat", "undated"}),
        ("sécurité", {"rome", "califat", "undated"}),
        ("Koweit", {"koweit"}),
        ("Etats-Unis", {"washington"}),
        ("etats unis", {"washington"}),
        ("négociation", {"koweit"}),
        ("libérer", {"rome"}),
    ],
)
def test_accents_and_inflections_do_not_matter(client, corpus, query, expected):
    assert set(found(client, f"/recherche/?q={query}")) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("l’organisation", {"rome"}),
        ("l'organisation", {"rome"}),
        ("organisation", {"rome"}),
        ("d'Irak", {"washington"}),
        ("Irak", {"washington"}),
    ],
)
def test_elisions_are_dropped_typed_or_typographic(client, corpus, query, expected):
    assert set(found(client, f"/recherche/?q={query}")) == expected


@pytest.mark.parametrize(
    "query", ["États-Unis", '"États Unis"', "Unis", "al-Baghdadi", "Baghdadi", "al Baghdadi"]
)
def test_compound_names_are_found_whole_and_by_parts(client, corpus, query):
    assert found(client, f"/recherche/?q={query}") == ["washington"]


def test_a_compound_is_searched_as_a_phrase_not_as_scattered_words(client, corpus, publish):
    publish(
        dict(
            title="Des États et des régions unis",
            body="Les États présents et les régions unis par un accord.",
        )
    )
    assert found(client, "/recherche/?q=États-Unis") == ["washington"]


@pytest.mark.parametrize("query", ["Daech", "Daesh", "EI", "État islamique", '"etat islamique"'])
def test_the_groups_names_are_synonyms(client, corpus, query):
    assert set(found(client, f"/recherche/?q={query}")) == {"rome", "koweit", "english"}


def test_synonyms_come_from_the_editable_list(client, corpus):
    from articles.models import SynonymGroup

    SynonymGroup.objects.create(name="Reconstruction", terms=["reconstruction", "stabilisation"])
    assert set(found(client, "/recherche/?q=stabilisation")) == {"koweit", "washington"}


def test_a_synonym_is_highlighted_in_its_own_form(client, corpus):
    html = get_html(client, "/recherche/?q=Daech")
    assert "<mark>Daesh</mark> a perdu" in html
    assert "<mark>État islamique</mark>" in html


def test_a_phrase_keeps_its_word_order_and_ignores_stop_words(client, corpus):
    assert found(client, '/recherche/?q="califat numérique"') == ["califat"]
    assert found(client, '/recherche/?q="numérique califat"') == ["reseaux"]
    assert found(client, '/recherche/?q="califat du numérique"') == ["califat"]
    assert set(found(client, "/recherche/?q=califat numérique")) == {"califat", "reseaux"}


def test_a_query_of_stop_words_only_lists_everything_with_a_notice(client, corpus):
    html = get_html(client, "/recherche/?q=les de la")
    assert "Mots trop courants" in html
    assert len(titles(html)) == len(PUBLISHED)


# --- Query syntax through the page ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Koweït OR Tillerson", {"koweit", "washington"}),
        ("sécurité -Rome", {"undated"}),
        ("sécurité NOT Blinken", {"califat", "undated"}),
        ("négoci*", {"koweit"}),
        ("sécur*", {"rome", "califat", "undated"}),
        ("(Koweït OR Tillerson) Daesh", {"koweit"}),
        ("-sécurité -Daech", {"washington", "reseaux"}),
    ],
)
def test_each_operator_works_through_the_page(client, corpus, query, expected):
    html = get_html(client, f"/recherche/?{_qs(q=query)}")
    assert "Syntaxe non reconnue" not in html
    assert set(found(client, f"/recherche/?{_qs(q=query)}")) == expected


@pytest.mark.parametrize(
    "query", ['"frontières', "(frontières", "frontières OR", "OR frontières", "frontières -", "*"]
)
def test_a_rejected_query_is_searched_as_plain_words_with_a_notice(client, corpus, query):
    response = client.get(f"/recherche/?{_qs(q=query)}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Syntaxe non reconnue : recherche sur les mots seuls." in html
    if "frontières" in query:
        assert set(found(client, f"/recherche/?{_qs(q=query)}")) == {"rome"}


def test_a_four_thousand_character_query_answers_with_a_notice(client, corpus):
    response = client.get(f"/recherche/?{_qs(q='frontières ' * 364)}")
    assert response.status_code == 200
    assert "Requête trop longue" in response.content.decode()


def test_control_characters_answer_with_a_notice(client, corpus):
    response = client.get("/recherche/?q=fronti%00%1b%E2%80%AEres")
    assert response.status_code == 200
    assert "Caractères invisibles retirés" in response.content.decode()


def test_a_too_short_prefix_is_refused_with_a_notice(client, corpus):
    html = get_html(client, "/recherche/?q=s*")
    assert "au moins trois lettres" in html


# --- Facets and filters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        ("lieu=rome", {"rome", "califat"}),
        ("intervenant=rex-tillerson", {"washington"}),
        ("reunion=koweit-2018", {"koweit"}),
        ("type=ministerial", {"rome", "califat", "washington", "english", "koweit"}),
        ("source=map", {"washington", "reseaux"}),
        ("annee=2021", {"rome", "califat"}),
        ("langue=en", {"english"}),
    ],
)
def test_each_facet_filters(client, corpus, query_string, expected):
    assert set(found(client, f"/recherche/?{query_string}")) == expected


def test_values_of_one_facet_combine_with_or(client, corpus):
    assert set(found(client, "/recherche/?lieu=rome&lieu=koweit")) == {"rome", "califat", "koweit"}


def test_different_facets_combine_with_and(client, corpus):
    assert found(client, "/recherche/?lieu=rome&intervenant=antony-blinken") == ["rome"]
    assert found(client, "/recherche/?q=sécurité&lieu=rome&source=france-diplomatie") == ["califat"]


def test_a_value_can_be_excluded(client, corpus):
    listed = set(found(client, "/recherche/?sauf_lieu=washington"))
    assert listed == set(PUBLISHED) - {"washington", "english"}
    assert set(found(client, "/recherche/?q=sécurité&sauf_source=afp")) == {"califat", "undated"}


def test_facet_counts_follow_every_other_filter_but_not_their_own(client, corpus):
    html = get_html(client, "/recherche/?lieu=rome")
    # Selecting Rome still shows what Washington and Koweït would give …
    assert facet_counts(html, "lieu") == {"rome": 2, "washington": 2, "koweit": 1}
    # … while the other facets count the Rome articles only.
    assert facet_counts(html, "intervenant") == {"antony-blinken": 1, "jean-yves-le-drian": 1}
    assert facet_counts(html, "source") == {"afp": 1, "france-diplomatie": 1}


def test_facet_counts_follow_the_query(client, corpus):
    html = get_html(client, "/recherche/?q=sécurité&intervenant=antony-blinken")
    assert facet_counts(html, "intervenant") == {"antony-blinken": 1, "jean-yves-le-drian": 1}
    assert facet_counts(html, "lieu") == {"rome": 1}


def test_facet_values_show_readable_names_as_checkboxes_and_links(client, corpus):
    html = get_html(client, "/recherche/?q=sécurité")
    assert re.search(
        r'<input type="checkbox" id="[^"]+" name="intervenant" value="antony-blinken"', html
    )
    assert re.search(
        r'<a href="\?q=s%C3%A9curit%C3%A9&amp;intervenant=antony-blinken"[^>]*>Antony Blinken</a>',
        html,
    )
    assert ">Agence France-Presse</a>" in html
    assert ">Réunion ministérielle</a>" in html


def test_an_unknown_facet_value_is_ignored_with_a_notice(client, corpus):
    html = get_html(client, "/recherche/?lieu=atlantide&intervenant=<b>x</b>")
    assert "Valeur inconnue ignorée pour « Lieu » : atlantide." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert len(titles(html)) == len(PUBLISHED)


def test_a_facet_value_with_a_nul_byte_or_a_newline_is_unknown_not_an_error(client, corpus):
    html = get_html(
        client,
        "/recherche/?lieu=ro%00me&intervenant=antony%0Ablinken&annee=%C2%B2%C2%B2%C2%B2%C2%B2",
    )
    assert "Valeur inconnue ignorée pour « Lieu » : rome." in html
    assert "Valeur inconnue ignorée pour « Intervenant » : antonyblinken." in html
    assert "Valeur inconnue ignorée pour « Année »" in html


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        ("du=2021-01-01", {"rome", "califat"}),
        ("au=2019-02-06", {"washington", "koweit"}),
        ("du=01/01/2020&au=31/12/2020", {"reseaux"}),
        ("du=2019-02-06&au=2019-02-07", {"washington", "english"}),
        ("du=2021-06-28&au=2021-06-28", {"rome"}),
    ],
)
def test_a_date_range_is_inclusive_to_the_day(client, corpus, query_string, expected):
    assert set(found(client, f"/recherche/?{query_string}")) == expected


@pytest.mark.parametrize("bad", ["2021-13-45", "demain", "31/02/2021", "0001-01-01", "9" * 50])
def test_a_malformed_date_is_ignored_with_a_notice(client, corpus, bad):
    html = get_html(client, f"/recherche/?du={bad}")
    assert "Date non reconnue ignorée" in html
    assert len(titles(html)) == len(PUBLISHED)


def test_reversed_dates_are_put_back_in_order(client, corpus):
    html = get_html(client, "/recherche/?du=2021-12-31&au=2021-01-01")
    assert "remise dans l’ordre" in html
    assert set(found(client, "/recherche/?du=2021-12-31&au=2021-01-01")) == {"rome", "califat"}


def test_active_filters_are_chips_linking_to_the_same_search_without_them(client, corpus):
    html = get_html(
        client, "/recherche/?q=sécurité&lieu=rome&intervenant=antony-blinken&du=2021-01-01&page=1"
    )
    chips = dict(
        (label.strip(), href)
        for href, label in re.findall(r'<a href="([^"]+)" class="chip"[^>]*>([^<]+)<span', html)
    )
    assert chips == {
        "Lieu : Rome": "?q=s%C3%A9curit%C3%A9&amp;intervenant=antony-blinken&amp;du=2021-01-01",
        "Intervenant : Antony Blinken": "?q=s%C3%A9curit%C3%A9&amp;lieu=rome&amp;du=2021-01-01",
        "Depuis le 1 janvier 2021": (
            "?q=s%C3%A9curit%C3%A9&amp;lieu=rome&amp;intervenant=antony-blinken"
        ),
    }
    assert '<a href="?q=s%C3%A9curit%C3%A9" class="chips__clear">Tout effacer</a>' in html


def test_an_excluded_value_is_a_chip_too(client, corpus):
    html = get_html(client, "/recherche/?sauf_lieu=washington")
    assert re.search(r'<a href="\?" class="chip"[^>]*>Lieu : sauf Washington', html)


def test_changing_a_filter_drops_the_page(client, publish):
    publish(*[dict(title=f"Dépêche {n} sur Rome", body=f"Rome, dépêche {n}.") for n in range(5)])
    html = get_html(client, "/recherche/?q=Rome&par_page=2&page=2")
    links = re.findall(r'href="(\?[^"]*)"', html)
    facet_and_chip_links = [link for link in links if "source=" in link or "annee=" in link]
    assert facet_and_chip_links
    assert not any("page=" in link.replace("par_page", "") for link in facet_and_chip_links)


# --- The restated search, sorting, pagination ----------------------------------------------


def test_the_search_is_restated_in_a_french_sentence(client, corpus):
    html = get_html(client, "/recherche/?q=frontières&lieu=rome&intervenant=antony-blinken")
    assert sentence(html) == "1 article contenant « frontières », à Rome, citant Antony Blinken."
    html = get_html(client, "/recherche/?q=sécurité -Blinken&source=france-diplomatie")
    assert sentence(html) == (
        "2 articles contenant « sécurité », sans « Blinken », parus dans France Diplomatie "
        "(par pertinence)."
    )
    html = get_html(client, "/recherche/?lieu=rome&lieu=koweit&annee=2021")
    assert (
        sentence(html) == "2 articles à Rome ou à Koweït, en 2021 (du plus récent au plus ancien)."
    )
    assert sentence(get_html(client, "/recherche/?q=introuvablissime")) == (
        "Aucun article contenant « introuvablissime »."
    )


@pytest.mark.parametrize(
    ("tri", "expected"),
    [
        ("recent", ["califat", "rome", "undated"]),
        ("ancien", ["rome", "califat", "undated"]),
    ],
)
def test_results_sort_by_date_either_way_undated_last(client, corpus, tri, expected):
    assert found(client, f"/recherche/?q=sécurité&tri={tri}") == expected


def test_relevance_is_the_default_with_a_query_and_newest_without(client, corpus):
    html = get_html(client, "/recherche/?q=sécurité")
    assert re.search(r'<a href="[^"]*tri=pertinence"[^>]*aria-current="true">pertinence</a>', html)
    html = get_html(client, "/recherche/")
    assert "pertinence" not in re.search(r'<nav class="sort".*?</nav>', html, re.S).group(0)
    assert re.search(r'aria-current="true">les plus récents</a>', html)


def test_pages_have_stable_links_and_mark_the_current_one(client, corpus):
    html = get_html(client, "/recherche/?par_page=2&page=2")
    assert found(client, "/recherche/?par_page=2&page=2") == ["reseaux", "english"]
    assert re.search(r'href="\?par_page=2&amp;page=2" aria-current="page"', html)
    assert 'href="?par_page=2" rel="prev"' in html
    assert 'href="?par_page=2&amp;page=3" rel="next"' in html
    assert '<ol class="article-list search-hits" start="3">' in html


def test_a_page_past_the_end_redirects_to_the_last_page(client, corpus):
    response = client.get("/recherche/?par_page=2&page=99")
    assert response.status_code == 302
    assert response["Location"] == "/recherche/?par_page=2&page=4"


def test_a_search_without_results_redirects_a_deep_page_to_the_first(client, corpus):
    response = client.get("/recherche/?q=introuvablissime&page=3")
    assert response.status_code == 302
    assert response["Location"] == "/recherche/?q=introuvablissime"


@pytest.mark.parametrize("page", ["abc", "-3", "0", "1.5", "²", ""])
def test_a_non_numeric_or_negative_page_shows_the_first(client, corpus, page):
    html = get_html(client, f"/recherche/?par_page=2&page={page}")
    assert found(client, f"/recherche/?par_page=2&page={page}") == ["califat", "rome"]
    assert re.search(r'href="\?par_page=2" aria-current="page"', html)


def test_the_page_size_is_capped(client, corpus):
    data = json.loads(client.get("/recherche/?par_page=100000&format=json").content)
    assert data["page"]["per_page"] == 100


# --- Suggestions, escaping, errors, costs --------------------------------------------------


def test_a_misspelt_word_gets_a_suggestion_link(client, corpus):
    html = get_html(client, "/recherche/?q=Tilerson")
    assert 'Vouliez-vous dire : <a href="?q=Tillerson">Tillerson</a> ?' in html
    assert found(client, "/recherche/?q=Tillerson") == ["washington"]


def test_a_synonym_or_a_short_word_gets_no_suggestion(client, corpus):
    assert "Vouliez-vous dire" not in get_html(client, "/recherche/?q=Daech")
    assert "Vouliez-vous dire" not in get_html(client, "/recherche/?q=abc")


def test_hostile_titles_and_bodies_stay_text(client, publish):
    publish(
        dict(
            title='<script>alert("titre")</script> Frontières',
            body='<img src=x onerror=alert(1)> frontières et "guillemets" & <b>gras</b>',
        )
    )
    html = get_html(client, "/recherche/?q=frontières")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt; <mark>Frontières</mark>" in html
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>frontières</mark>" in html
    assert "&amp; &lt;b&gt;gras&lt;/b&gt;" in html


def test_a_hostile_query_is_escaped_everywhere_it_is_echoed(client, corpus):
    html = get_html(client, '/recherche/?q="><script>alert(1)</script>')
    assert "<script>alert(1)" not in html


def test_a_missing_index_gives_the_sites_503_page_and_the_rest_of_the_site_works(
    client, search_index
):
    shutil.rmtree(search_index.path)
    response = client.get("/recherche/?q=frontières")
    assert response.status_code == 503
    html = response.content.decode()
    assert "La recherche est momentanément indisponible" in html
    assert 'class="site-header"' in html
    assert client.get("/").status_code == 200


def test_a_corrupt_index_gives_a_503_too(client, corpus, search_index):
    for segment in search_index.path.iterdir():
        if segment.suffix in {".seg", ".toc"}:
            segment.write_bytes(b"\x00garbage")
    from articles.search.engine.whoosh.handle import reset_searchers

    reset_searchers()
    assert client.get("/recherche/?q=frontières").status_code == 503


def test_a_page_runs_one_search_plus_one_per_facet_group_with_a_selection(
    client, corpus, monkeypatch
):
    calls = []
    original = FrenchWhooshSearchBackend.execute

    def counting(self, *args, **kwargs):
        calls.append(kwargs.get("facets"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FrenchWhooshSearchBackend, "execute", counting)
    get_html(client, "/recherche/?q=sécurité")
    assert len(calls) == 1
    calls.clear()
    get_html(client, "/recherche/?q=sécurité&lieu=rome&lieu=koweit&sauf_source=map&annee=2021")
    assert len(calls) == 1 + 3


def test_a_page_runs_a_bounded_number_of_sql_queries(
    client, corpus, publish, django_assert_max_num_queries
):
    publish(
        *[
            dict(
                title=f"Sécurité, épisode {n}",
                body=f"La sécurité à Rome, épisode {n}.",
                meetings=["rome-2021", "washington-2017"],
                speakers=["antony-blinken", "rex-tillerson"],
                source="afp",
            )
            for n in range(15)
        ]
    )
    url = "/recherche/?q=sécurité&lieu=rome&intervenant=antony-blinken&source=afp&reunion=rome-2021"
    with django_assert_max_num_queries(12):
        get_html(client, url)


def test_the_page_links_its_atom_feed_and_exports(client, corpus):
    html = get_html(client, "/recherche/?q=sécurité&lieu=rome")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Flux Atom de cette recherche" '
        'href="/recherche/flux/?q=s%C3%A9curit%C3%A9&amp;lieu=rome">'
    ) in html
    assert 'href="?q=s%C3%A9curit%C3%A9&amp;lieu=rome&amp;format=csv"' in html


def test_the_help_panel_works_without_javascript(client, corpus):
    html = get_html(client, "/recherche/")
    assert '<details class="search-help" id="aide-syntaxe">' in html
    assert "<summary>Aide : écrire une recherche</summary>" in html


def _qs(**params):
    from urllib.parse import urlencode

    return urlencode(params)
