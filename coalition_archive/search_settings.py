"""Turn ``SEARCH_URL`` into Haystack's ``HAYSTACK_CONNECTIONS``.

``whoosh:///path/to/index`` (the default, one machine), ``elasticsearch://host:9200/index`` (ES 7)
or ``solr://host:8983/solr/core``. The index definition is the same for every engine.
"""

from urllib.parse import urlsplit, urlunsplit

# Haystack's Elasticsearch and Solr backends log and swallow their client's errors by default
# (``SILENTLY_FAIL``): a search of an engine that is down answered "no articles", and a write
# dropped its queued update. Raised, the read side answers 503 and the queue keeps the update.
EXTERNAL_ENGINE_OPTIONS = {"SILENTLY_FAIL": False}

WHOOSH_ENGINE = "articles.search.engine.whoosh.backend.FrenchWhooshEngine"
# Haystack's ES 7 engine with the same French analysis as the Whoosh index.
ELASTICSEARCH_ENGINE = "articles.search.engine.elasticsearch.FrenchElasticsearch7Engine"
SOLR_ENGINE = "haystack.backends.solr_backend.SolrEngine"


def haystack_connections(search_url: str) -> dict:
    parts = urlsplit(search_url)
    scheme = parts.scheme.lower()
    if scheme == "whoosh":
        path = (parts.netloc + parts.path) if parts.netloc else parts.path
        if not path:
            raise ValueError(f"SEARCH_URL {search_url!r} names no index folder")
        return {"default": {"ENGINE": WHOOSH_ENGINE, "PATH": path}}
    if scheme in {"elasticsearch", "elasticsearchs"}:
        index_name = parts.path.strip("/") or "coalition_archive"
        http_scheme = "https" if scheme.endswith("s") else "http"
        return {
            "default": {
                "ENGINE": ELASTICSEARCH_ENGINE,
                "URL": urlunsplit((http_scheme, parts.netloc, "", "", "")),
                "INDEX_NAME": index_name,
                **EXTERNAL_ENGINE_OPTIONS,
            }
        }
    if scheme in {"solr", "solrs"}:
        http_scheme = "https" if scheme.endswith("s") else "http"
        return {
            "default": {
                "ENGINE": SOLR_ENGINE,
                "URL": urlunsplit((http_scheme, parts.netloc, parts.path, "", "")),
                **EXTERNAL_ENGINE_OPTIONS,
            }
        }
    raise ValueError(
        f"SEARCH_URL {search_url!r}: unknown engine {scheme!r} (whoosh, elasticsearch or solr)"
    )
