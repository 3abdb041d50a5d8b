"""Moved to articles.search.analysis; shim until the restructure's last step."""


def __getattr__(name):
    # Importing articles.search runs its __init__, which still imports this shim: a name it asks
    # for before this module has finished loading is read from the new module.
    from articles.search import analysis

    return getattr(analysis, name)


from articles.search.analysis import (  # noqa: E402, F401
    APOSTROPHES,
    ELISIONS,
    FRENCH,
    FRENCH_STOP_WORDS,
    WORD_PATTERN,
    Analysis,
    FrenchWordFilter,
    analyzed_terms,
    fold,
    folding_analyzer,
    french_analyzer,
    french_stem,
    normalize_apostrophes,
    normalize_word,
    query_terms,
    spelling_analyzer,
    spelling_words,
    vocabulary,
)
