"""Moved to articles.search.engine (whoosh/…, elasticsearch) and articles.search.errors; shim
until the restructure's last step."""


def __getattr__(name):
    # articles.search's __init__ still imports SearchUnavailable from here, and importing the
    # new modules runs that __init__: a name asked for before this module has finished loading
    # is read from its new place.
    from articles.search import errors

    return getattr(errors, name)


import contextlib  # noqa: E402

from articles.search.engine.elasticsearch import (  # noqa: E402, F401
    FRENCH_ANALYZER,
    elasticsearch_settings,
    merged_settings,
)
from articles.search.engine.whoosh.backend import (  # noqa: E402, F401
    FrenchWhooshEngine,
    FrenchWhooshSearchBackend,
)
from articles.search.engine.whoosh.facets import FacetTable, MaskDocs  # noqa: E402, F401
from articles.search.engine.whoosh.handle import (  # noqa: E402, F401
    SearcherHandle,
    reset_searchers,
    searcher_handle,
    toc_signature,
)
from articles.search.engine.whoosh.outcome import SearchOutcome  # noqa: E402, F401
from articles.search.engine.whoosh.schema import (  # noqa: E402, F401
    INDEX_NAME,
    ORDER_FIELD,
    PK_BITS,
    SPELLING_FIELD,
    VERSION_FIELD,
    is_exact_field,
)
from articles.search.engine.whoosh.search_query import FrenchWhooshSearchQuery  # noqa: E402, F401
from articles.search.errors import SearchUnavailable  # noqa: E402, F401

with contextlib.suppress(ImportError):  # where the elasticsearch client (>=7,<8) is installed
    from articles.search.engine.elasticsearch import (  # noqa: F401
        FrenchElasticsearch7Engine,
        FrenchElasticsearch7SearchBackend,
    )
