"""Scale-out at the settings level: Elasticsearch 7 through Haystack with the same index
definition and the same French analysis, and the compose profile that starts it. No running
Elasticsearch is needed: the settings and the mapping are plain dictionaries.
"""

from pathlib import Path

import pytest
import yaml

from articles.search.engine.elasticsearch import FRENCH_ANALYZER, elasticsearch_settings
from coalition_archive.search_settings import ELASTICSEARCH_ENGINE, haystack_connections

PROJECT_DIR = Path(__file__).resolve().parents[3]
FACET_FIELDS = ["year", "meeting", "location", "meeting_kind", "speakers", "source", "language"]


def french_analyzer_settings():
    return elasticsearch_settings()["settings"]["analysis"]


def test_a_search_url_names_the_elasticsearch_7_engine_and_its_index():
    connection = haystack_connections("elasticsearch://elasticsearch:9200/archive")["default"]
    assert connection["ENGINE"] == ELASTICSEARCH_ENGINE
    assert "elasticsearch7" in ELASTICSEARCH_ENGINE or "Elasticsearch7" in ELASTICSEARCH_ENGINE
    assert connection["URL"] == "http://elasticsearch:9200"
    assert connection["INDEX_NAME"] == "archive"


def test_the_elasticsearch_engine_named_by_the_settings_is_the_french_one():
    pytest.importorskip("elasticsearch", reason="the ES 7 engine needs elasticsearch>=7,<8")
    from django.utils.module_loading import import_string

    from articles.search.engine.elasticsearch import FrenchElasticsearch7SearchBackend

    connection = haystack_connections("elasticsearch://elasticsearch:9200/archive")["default"]
    engine = import_string(connection["ENGINE"])
    assert engine.backend is FrenchElasticsearch7SearchBackend


def test_the_french_analyzer_folds_elides_stops_and_stems_like_the_whoosh_index():
    analysis = french_analyzer_settings()
    analyzer = analysis["analyzer"][FRENCH_ANALYZER]
    assert analyzer["tokenizer"] == "standard"
    assert analyzer["char_filter"] == ["french_apostrophes"]
    assert "’ => '" in analysis["char_filter"]["french_apostrophes"]["mappings"]
    assert analyzer["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "french_stop",
        "french_stemmer",
    ]
    filters = analysis["filter"]
    assert {"l", "d", "qu", "jusqu"} <= set(filters["french_elision"]["articles"])
    assert filters["french_elision"]["articles_case"] is True
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    # The stop words are the Whoosh index's, already folded (asciifolding runs first).
    stop_words = filters["french_stop"]["stopwords"]
    assert {"les", "des", "etait", "cette"} <= set(stop_words)
    assert all(word.isascii() for word in stop_words)


def test_the_index_definition_maps_text_to_the_french_analyzer_and_facets_to_keywords():
    pytest.importorskip("elasticsearch", reason="the ES 7 engine needs elasticsearch>=7,<8")
    from haystack import connections

    from articles.search.engine.elasticsearch import FrenchElasticsearch7SearchBackend

    backend = FrenchElasticsearch7SearchBackend(
        "default", URL="http://elasticsearch:9200", INDEX_NAME="archive"
    )
    fields = connections["default"].get_unified_index().all_searchfields()
    content_field, mapping = backend.build_schema(fields)
    assert content_field == "text"
    assert mapping["text"] == {"type": "text", "analyzer": FRENCH_ANALYZER}
    assert mapping["title"]["analyzer"] == FRENCH_ANALYZER
    assert mapping["published_on"]["type"] == "date"
    for name in FACET_FIELDS:
        assert mapping[name]["type"] in {"keyword", "long"}, name
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert FRENCH_ANALYZER in analysis["analyzer"]
    assert "edgengram_analyzer" in analysis["analyzer"]  # Haystack's own analyzers stay


def test_the_compose_scale_out_profile_starts_elasticsearch_7_on_the_private_network():
    compose = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    elasticsearch = compose["services"]["elasticsearch"]
    assert elasticsearch["profiles"] == ["scale-out"]
    assert elasticsearch["image"].split(":")[-1].startswith("7.")
    assert elasticsearch["environment"]["discovery.type"] == "single-node"
    assert "ports" not in elasticsearch
    assert "healthcheck" in elasticsearch
    # The web and indexer services read SEARCH_URL, so the same image switches engines.
    assert "SEARCH_URL" in compose["x-archive"]["environment"]
    for service in ("db", "web", "indexer", "migrate"):
        assert "profiles" not in compose["services"][service]


@pytest.mark.django_db
def test_sync_index_on_elasticsearch_sends_every_published_article_through_haystack(
    settings, tmp_path, monkeypatch
):
    pytest.importorskip("elasticsearch", reason="the ES 7 engine needs elasticsearch>=7,<8")
    import haystack

    from articles.models import Article
    from articles.search.engine import elasticsearch
    from articles.search.maintenance import repair_index
    from tests.factories import ArticleFactory

    ArticleFactory.create_batch(3, status=Article.Status.PUBLISHED)
    ArticleFactory(status=Article.Status.TO_CHECK)
    sent, cleared = [], []
    backend_class = elasticsearch.FrenchElasticsearch7SearchBackend
    monkeypatch.setattr(backend_class, "update", lambda self, index, objs, **kw: sent.extend(objs))
    monkeypatch.setattr(backend_class, "clear", lambda self, **kw: cleared.append(True))
    monkeypatch.setattr(backend_class, "remove", lambda self, obj, **kw: None)
    # No Elasticsearch here: setup() would create the index on the server.
    monkeypatch.setattr(backend_class, "setup", lambda self: setattr(self, "setup_complete", True))
    connection = {
        "default": {
            "ENGINE": ELASTICSEARCH_ENGINE,
            "URL": "http://elasticsearch:9200",
            "INDEX_NAME": "archive",
        }
    }
    settings.DATA_DIR = tmp_path
    settings.HAYSTACK_CONNECTIONS = connection
    previous = haystack.connections.connections_info
    haystack.connections.connections_info = connection
    haystack.connections.thread_local.connections = {}
    try:
        summary = repair_index(rebuild=True)
    finally:
        haystack.connections.connections_info = previous
        haystack.connections.thread_local.connections = {}
    assert cleared == [True]
    assert sorted(article.pk for article in sent) == sorted(
        Article.objects.published().values_list("pk", flat=True)
    )
    assert summary.written == 3
    assert (tmp_path / "search-index-default.lock").exists()
