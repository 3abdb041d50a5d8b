"""Snippets, computed the fast way, give what the plain way gives.

The search page marks words with its own reading of the text
(``articles.search.highlighting.indexed_terms``, the analyzer's cached word functions) and stops
reading once a snippet is complete. Each is checked here against the slow, obvious way, on the
demo corpus's real French.
"""

from pathlib import Path

import pytest

from articles.ingest.folding import fold_accents_and_case as fold
from articles.search import highlighting
from articles.search.analysis import analyzed_terms
from articles.search.highlighting import SNIPPET_LENGTH, Highlighter, indexed_terms
from articles.search.params import SearchParams
from articles.search.syntax import parse_query
from articles.search.vocabulary import SynonymTable, Vocabulary

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"
TRICKY = [
    "L’État islamique et l'organisation d’Abou Bakr al-Baghdadi, aujourd’hui.",
    "Les États-Unis ont frappé ; les frappées, œuvre qu’ils jugent « libératrice ».",
    "Koweït, KOWEIT, koweït — jusqu’à lorsqu’il vint. Ça, çà et là : 2014-2019.",
    "",
    "’ ' ` ´ l’ d’ qu’",
]


def demo_texts():
    return [path.read_text(encoding="utf-8", errors="replace") for path in sorted(DEMO.iterdir())]


def test_the_page_reads_every_text_as_the_index_analyzer_does():
    texts = demo_texts() + TRICKY
    assert len(texts) > 30
    for text in texts:
        assert [(term, start, end) for _word, term, start, end in indexed_terms(text)] == (
            analyzed_terms(text)
        )


class _Offline(Vocabulary):
    """No synonyms, and prefixes matched as typed (as with an engine that expands them)."""

    @property
    def synonyms(self):
        return SynonymTable([])

    def expansion(self, prefix, limit):
        return None


def highlighter(query):
    return Highlighter(SearchParams(query=parse_query(query), vocabulary=_Offline()))


def reference_spans(matcher, text):
    """Every match in the whole text, the way the page computed spans before it read lazily."""
    terms = analyzed_terms(text)
    spans = []
    for index, (term, start, end) in enumerate(terms):
        if term in matcher.words or any(
            fold(text[start:end]).startswith(prefix) or term.startswith(prefix)
            for prefix in matcher.prefixes
        ):
            spans.append((start, end))
        for phrase in matcher.phrases:
            window = terms[index : index + len(phrase)]
            if tuple(token[0] for token in window) == phrase:
                spans.append((start, window[-1][2]))
    return merged(spans)


def merged(spans):
    """Overlapping or touching spans joined, in order."""
    joined = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


@pytest.mark.parametrize(
    "query",
    [
        "coalition",
        "Daech",
        "sécurité frontières",
        '"État islamique"',
        '"coalition internationale" Irak',
        "libér*",
        "terroristes OR jihadistes",
        "ministres -Kerry",
    ],
)
def test_a_snippet_marks_what_reading_the_whole_text_marks_up_to_its_end(query):
    matcher = highlighter(query)
    checked = 0
    for text in demo_texts():
        text = " ".join(text.split())
        full = reference_spans(matcher, text)
        assert matcher.spans(text) == full
        leading = matcher.leading_spans(text)
        if not full:
            assert leading == []
            continue
        reach = full[0][0] + SNIPPET_LENGTH
        assert [span for span in leading if span[0] < reach] == [
            span for span in full if span[0] < reach
        ]
        checked += 1
    assert checked


def test_a_long_text_is_read_only_as_far_as_the_snippet_needs(monkeypatch):
    read = []
    original = highlighting.indexed_terms

    def counting(text):
        for term in original(text):
            read.append(term)
            yield term

    monkeypatch.setattr(highlighting, "indexed_terms", counting)
    body = "La coalition se réunit. " + "Une phrase de remplissage sans intérêt. " * 2000
    html, text = highlighter("coalition").snippet(body)
    assert "<mark>coalition</mark>" in html
    assert text.endswith("…")
    assert 0 < len(read) < 100
