"""Scale-out: Elasticsearch 7 through Haystack, with the analysis of the Whoosh index.

The analyzer is translated from :data:`articles.search.analysis.FRENCH`, step by step, so the
two engines cannot drift apart. Elasticsearch has its own French stemmer (``light_french``):
it stems close to Snowball but not identically; everything before the stemmer is the same.
"""

from articles.search.analysis import FRENCH, Analysis

FRENCH_ANALYZER = "french_archive"

# Elasticsearch's name for each stemmer language of an analysis definition.
STEMMERS = {"fr": "light_french"}


def _apostrophes(analysis: Analysis) -> dict:
    # Every apostrophe becomes the plain one (the first), before the tokenizer sees the text.
    plain = analysis.apostrophes[0]
    return {
        "type": "mapping",
        "mappings": [f"{other} => {plain}" for other in analysis.apostrophes[1:]],
    }


# Each step of the definition as Elasticsearch does it: ("char_filter" | "filter", name, body);
# "words" is the tokenizer.
def _steps(analysis: Analysis) -> dict:
    return {
        "apostrophes": ("char_filter", "french_apostrophes", _apostrophes(analysis)),
        "elisions": (
            "filter",
            "french_elision",
            {"type": "elision", "articles_case": True, "articles": sorted(analysis.elisions)},
        ),
        "lowercase": ("filter", "lowercase", None),
        "accents": ("filter", "asciifolding", None),
        "stop_words": (
            "filter",
            "french_stop",
            {"type": "stop", "stopwords": sorted(analysis.stop_words)},
        ),
        "stemmer": (
            "filter",
            "french_stemmer",
            {"type": "stemmer", "language": STEMMERS[analysis.stemmer_language]},
        ),
    }


def elasticsearch_settings(analysis: Analysis = FRENCH) -> dict:
    """The index settings of the Elasticsearch 7 engine: one analyzer for documents and queries,
    made of the definition's steps in its order (built-in filters where Elasticsearch has one)."""
    definitions = {"char_filter": {}, "filter": {}}
    used = {"char_filter": [], "filter": []}
    steps = _steps(analysis)
    for step in analysis.steps:
        if step == "words":
            continue
        kind, name, body = steps[step]
        used[kind].append(name)
        if body is not None:
            definitions[kind][name] = body
    return {
        "settings": {
            "analysis": {
                **definitions,
                "analyzer": {
                    FRENCH_ANALYZER: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "char_filter": used["char_filter"],
                        "filter": used["filter"],
                    }
                },
            }
        }
    }


def merged_settings(base: dict, extra: dict) -> dict:
    """``base`` with ``extra`` merged in, dictionaries key by key (neither is changed)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merged_settings(merged[key], value)
        else:
            merged[key] = value
    return merged


try:  # the engine exists where the elasticsearch client (>=7,<8) is installed
    from haystack.backends.elasticsearch7_backend import (
        Elasticsearch7SearchBackend,
        Elasticsearch7SearchEngine,
    )
except Exception:  # haystack raises MissingDependency without the elasticsearch package
    Elasticsearch7SearchBackend = Elasticsearch7SearchEngine = None


if Elasticsearch7SearchBackend is not None:

    class FrenchElasticsearch7SearchBackend(Elasticsearch7SearchBackend):
        """Haystack's ES 7 backend with the French analyzer on every text field; facet fields
        stay ``keyword`` (Haystack maps ``Facet*Field`` fields so)."""

        # Haystack's own n-gram analyzers stay; the French one is added.
        DEFAULT_SETTINGS = merged_settings(
            Elasticsearch7SearchBackend.DEFAULT_SETTINGS, elasticsearch_settings()
        )
        DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": FRENCH_ANALYZER}

    class FrenchElasticsearch7Engine(Elasticsearch7SearchEngine):
        backend = FrenchElasticsearch7SearchBackend
