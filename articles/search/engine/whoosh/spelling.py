"""The index's vocabulary as written (the ``spelling`` field: folded, unstemmed words), for
spelling suggestions and prefix expansion.

A word the index does not have is replaced by the most frequent word within one edit (then two)
that starts with the same letter; the suggestion is made also when the query finds nothing.
"""

import re

from whoosh.fields import TEXT

from articles.search.analysis import FRENCH_STOP_WORDS, spelling_words
from articles.search.engine.whoosh.handle import PREFIX_CACHE_SIZE
from articles.search.engine.whoosh.schema import SPELLING_FIELD

_FIELD_CLAUSE = re.compile(r"""(\w+):(\([^)]*\)|"[^"]*"|\[[^\]]*\]|\{[^}]*\}|'[^']*'|\S+)""")
_OPERATORS = re.compile(r"\b(AND|OR|NOT|TO)\b")


def spelling_source(schema, text: str) -> str:
    """The words of a query string that spelling should look at (text fields only)."""
    text_fields = {name for name, fieldobj in schema.items() if isinstance(fieldobj, TEXT)} - {
        SPELLING_FIELD
    }

    def keep_text_clauses(match):
        return match.group(2) if match.group(1) in text_fields else " "

    text = _FIELD_CLAUSE.sub(keep_text_clauses, text)
    return _OPERATORS.sub(" ", text)


def _closest_word(reader, word):
    for distance in (1, 2):
        candidates = [
            candidate
            for candidate in reader.terms_within(SPELLING_FIELD, word, distance, prefix=1)
            if candidate not in FRENCH_STOP_WORDS
        ]
        if candidates:
            return max(candidates, key=lambda c: (reader.doc_frequency(SPELLING_FIELD, c), c))
    return None


def spelling_suggestion(schema, searcher, text) -> str | None:
    """The query string with unknown words replaced, or None when nothing changed."""
    words = spelling_words(spelling_source(schema, text))
    if not words:
        return None
    reader = searcher.reader()
    suggested, changed = [], False
    for word in words:
        if (SPELLING_FIELD, word) in reader:
            suggested.append(word)
            continue
        best = _closest_word(reader, word)
        if best is not None and best != word:
            changed = True
            suggested.append(best)
        else:
            suggested.append(word)
    return " ".join(suggested) if changed else None


def written_words(handle, prefix: str) -> list[tuple[int, str]]:
    """``(-documents, word)`` for every indexed word starting with ``prefix`` (already folded),
    the most frequent first; kept as long as this index version's searcher."""

    def words_by_frequency(searcher):
        cache = handle.prefix_cache()
        found = cache.get(prefix)
        if found is None:
            found = sorted(
                (-info.doc_frequency(), text.decode("utf-8"))
                for text, info in searcher.reader().iter_prefix(SPELLING_FIELD, prefix)
            )
            if len(cache) >= PREFIX_CACHE_SIZE:
                cache.clear()
            cache[prefix] = found
        return found

    return handle.read(words_by_frequency)
