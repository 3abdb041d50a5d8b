"""Prefix searches (``libérat*``): what they expand to, and how far (issue #8's abuse limit).

Articles are saved, queued and drained into the test's own index, then searched through HTTP.
"""

import re
import string

import pytest

from articles.search.vocabulary import MAX_PREFIX_WORDS, analysed_key
from tests.factories import ArticleFactory
from tests.search.corpus import get_html, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(search_index, django_capture_on_commit_callbacks):
    def publish_articles(*specs):
        with django_capture_on_commit_callbacks(execute=True):
            articles = [ArticleFactory(**spec) for spec in specs]
        search_index.drain()
        return articles

    return publish_articles


def notices(html):
    block = re.search(r'<ul class="search-notices">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


def test_a_prefix_finds_the_words_that_start_so_even_where_their_stem_does_not(client, publish):
    # « libération » is indexed as the stem « liber »: « liberat » is not a prefix of it.
    publish(
        dict(title="La libération de Mossoul", body="Après la libération, les habitants rentrent."),
        dict(title="Les libertés publiques", body="Les libertés reculent dans la région."),
    )
    html = get_html(client, "/recherche/?q=libérat*")
    assert titles(html) == ["La libération de Mossoul"]
    assert "La <mark>libération</mark> de Mossoul" in html
    assert notices(html) == []


def test_a_prefix_of_a_whole_word_does_not_widen_to_its_stem(client, publish):
    # « libérations* » used to be searched as the stem « liber* », so it found « libertés ».
    publish(
        dict(title="Les libérations de villes", body="Plusieurs libérations ont eu lieu."),
        dict(title="Les libertés publiques", body="Les libertés reculent dans la région."),
    )
    assert titles(get_html(client, "/recherche/?q=libérations*")) == ["Les libérations de villes"]


def invented_words(count):
    """``count`` distinct words starting with « zor », none of which shares another's stem."""
    letters = string.ascii_lowercase
    words = [f"zor{a}{b}k" for a in letters for b in letters][:count]
    assert len({analysed_key(word) for word in words}) == count
    return words


def test_a_prefix_expands_to_a_bounded_number_of_words_the_most_frequent_first(client, publish):
    words = invented_words(MAX_PREFIX_WORDS + 20)
    frequent, rare = words[:MAX_PREFIX_WORDS], words[MAX_PREFIX_WORDS:]
    publish(
        dict(title="Premier relevé", body="Premier : " + " ".join(frequent) + "."),
        dict(title="Second relevé", body="Second : " + " ".join(frequent) + "."),
        dict(title="Relevé isolé", body="Relevé : " + " ".join(rare) + "."),
    )
    html = get_html(client, "/recherche/?q=zor*")
    assert sorted(titles(html)) == ["Premier relevé", "Second relevé"]
    assert notices(html) == [
        f"Trop de mots commencent par « zor » : la recherche porte sur les "
        f"{MAX_PREFIX_WORDS} plus fréquents."
    ]
    # The words searched are the ones marked.
    assert f"<mark>{frequent[0]}</mark>" in html
    # Any of the rarer words still finds its article, typed whole or as a narrower prefix.
    assert titles(get_html(client, f"/recherche/?q={rare[0]}")) == ["Relevé isolé"]
    assert titles(get_html(client, f"/recherche/?q={rare[0][:5]}*")) == ["Relevé isolé"]


def test_the_prefixes_of_one_query_share_the_bound(client, publish):
    words = invented_words(MAX_PREFIX_WORDS)
    publish(dict(title="Relevé", body="Relevé : " + " ".join(words) + " dernier."))
    html = get_html(client, "/recherche/?q=zor* OR dern*")
    assert titles(html) == ["Relevé"]
    assert notices(html) == [
        f"Trop de mots commencent par « zor » : la recherche porte sur les "
        f"{MAX_PREFIX_WORDS // 2} plus fréquents."
    ]


def test_the_bound_is_explained_in_english_too(client, publish):
    publish(dict(title="Relevé", body=" ".join(invented_words(MAX_PREFIX_WORDS + 1))))
    client.cookies["django_language"] = "en"
    html = get_html(client, "/recherche/?q=zor*")
    assert notices(html) == [
        f"Too many words start with “zor”: the search used the {MAX_PREFIX_WORDS} most "
        "frequent ones."
    ]


def test_the_exports_search_the_same_expanded_words(client, publish):
    words = invented_words(MAX_PREFIX_WORDS + 1)
    publish(
        dict(title="Premier relevé", body="Premier : " + " ".join(words[:MAX_PREFIX_WORDS])),
        dict(title="Second relevé", body="Second : " + " ".join(words[:MAX_PREFIX_WORDS])),
        dict(title="Relevé isolé", body=words[-1]),
    )
    data = client.get("/recherche/?q=zor*&format=json").json()
    assert sorted(hit["title"] for hit in data["results"]) == ["Premier relevé", "Second relevé"]
    assert len(data["notices"]) == 1
    csv = client.get("/recherche/?q=zor*&format=csv").getvalue().decode("utf-8-sig")
    assert "Premier relevé" in csv and "Second relevé" in csv and "Relevé isolé" not in csv
