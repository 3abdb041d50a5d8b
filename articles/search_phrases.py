"""Moved to articles.search.engine.whoosh.phrases; shim until the restructure's last step."""

from articles.search.engine.whoosh.phrases import (  # noqa: F401
    TermPositions,
    phrase_docs,
    phrase_fits,
    term_positions,
)
