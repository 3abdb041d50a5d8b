"""Accent and case folding, in the variants the archive needs, each named for its use.

- `fold_name`: for matching names and phrases in detection. Case, accents, hyphens and the
  shape of apostrophes don't count; each character folds on its own (œ → oe, ß → ss), so a
  match in folded text maps back to a span of the original (`fold_name_char`).
- `fold_for_shingles`: for near-duplicate shingles. It must stay byte-identical: the importer
  stores signatures of shingles folded this way and compares them with new ones.
- `fold_accents`: accents and ligatures (Koweït → Koweit, œuvre → oeuvre), case kept: the
  search index's words and queries (`articles.search.analysis`); `fold_accents_and_case` the
  same, lower-cased, for comparing words (facet values, shared passages).
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = "-‐‑‒–—−"
_APOSTROPHES = "’‘ʼ′`´"
_EXPANSIONS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_SPACES = re.compile(r"\s+")


def _without_marks(text: str, form: str) -> str:
    return "".join(
        char for char in unicodedata.normalize(form, text) if not unicodedata.combining(char)
    )


def _name_fold(char: str) -> str:
    if char in _DASHES or char.isspace():
        return " "
    if char in _APOSTROPHES:
        return "'"
    lowered = char.lower()
    if lowered in _EXPANSIONS:
        return _EXPANSIONS[lowered]
    return _without_marks(lowered, "NFKD")


def _shingle_fold(char: str) -> str:
    return _without_marks("'" if char == "\u2019" else char, "NFKD").casefold()


class _FoldTable(dict):
    """A ``str.translate`` table of a per-character fold, filled in as characters show up.

    Each fold works character by character, so folding each character alone gives the same text
    as folding the whole string at once.
    """

    def __init__(self, fold_char) -> None:
        super().__init__()
        self._fold_char = fold_char

    def __missing__(self, code: int) -> str:
        folded = self[code] = self._fold_char(chr(code))
        return folded


_NAME_TABLE = _FoldTable(_name_fold)
_SHINGLE_TABLE = _FoldTable(_shingle_fold)


def fold_name_char(char: str) -> str:
    """The name fold of one character (may be empty or longer than one character)."""
    return _NAME_TABLE[ord(char)]


def fold_name_characters(text: str) -> str:
    """Each character name-folded, spaces left as they are: what `FoldedText` maps back."""
    return text.translate(_NAME_TABLE)


def fold_name(text: str) -> str:
    """Lowercase, accentless text with hyphens as spaces and one kind of apostrophe."""
    return _SPACES.sub(" ", text.translate(_NAME_TABLE)).strip()


def fold_for_shingles(text: str) -> str:
    """Text without accents, case or curly apostrophes, cut into shingles (see module doc)."""
    return text.translate(_SHINGLE_TABLE).strip()


# Letters NFKD does not decompose.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold_accents(text: str) -> str:
    """Remove accents and ligatures, keep case: ``Koweït`` → ``Koweit``, ``Œuvre`` → ``OEuvre``."""
    return _without_marks(text.translate(_LIGATURES), "NFKD")


def fold_accents_and_case(text: str) -> str:
    """``fold_accents`` of the case-folded text: ``États`` → ``etats``."""
    return fold_accents(text.casefold())
