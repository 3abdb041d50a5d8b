"""Reading prose: is this line a title, what short title does a lead give, which language."""

from __future__ import annotations

import re

from articles.ingest.sentences import split_sentences
from articles.ingest.vocabulary.prose import (
    DANGLING_WORDS,
    ENGLISH_WORDS,
    FRENCH_WORDS,
)

MAX_TITLE_LENGTH = 200
DERIVED_TITLE_LENGTH = 100

_TERMINAL = ".!?…:;"

_WORD = re.compile(r"[^\W\d_]+")


def looks_like_title(line: str) -> bool:
    """A short line without a final period that does not read like a sentence of the body."""
    line = line.strip()
    if not line or len(line) > MAX_TITLE_LENGTH or len(line.split()) > 30:
        return False
    if line[-1] in ".,;:" or not (line[0].isupper() or line[0].isdigit() or line[0] in "«“\"'‘"):
        return False
    # Several sentences in one line make a paragraph, not a headline.
    return len(split_sentences(line)) == 1


def derive_title(lead: str) -> str:
    """A short title from the lead: its first sentence, cut on a word boundary with "…"."""
    sentence = split_sentences(lead)[0] if lead.strip() else ""
    sentence = sentence.strip().rstrip(".").strip()
    if len(sentence) <= DERIVED_TITLE_LENGTH:
        return sentence
    head = sentence[: DERIVED_TITLE_LENGTH + 1]
    # Prefer a clause boundary late in the window, otherwise the last whole word.
    clause = max(head.rfind(", "), head.rfind(" : "), head.rfind(" ; "), head.rfind(" – "))
    cut = clause if clause >= DERIVED_TITLE_LENGTH * 0.7 else head.rfind(" ")
    if cut <= 0:
        cut = DERIVED_TITLE_LENGTH
    words = sentence[:cut].rstrip(" ,;:–-").split()
    while len(words) > 1 and words[-1].lower() in DANGLING_WORDS:
        words.pop()
    return " ".join(words).rstrip(" ,;:–-") + "…"


def detect_language(text: str, *, default: str = "fr") -> str:
    """'fr' or 'en' by counting common function words; `default` when the text is too short."""
    words = [word.lower() for word in _WORD.findall(text[:20000])]
    french = sum(1 for word in words if word in FRENCH_WORDS)
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    if french + english < 5:
        return default
    return "en" if english > french else "fr"


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip(" »”\"')")
    return bool(stripped) and stripped[-1] in _TERMINAL


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join lines that were hard-wrapped in the middle of a sentence.

    `lines` are consecutive lines of one block (no blank line between them). A line that does
    not end a sentence is joined to the next one when that one starts in lower case or the line
    ends with a comma: a new paragraph or a header line would start with a capital.
    """
    joined: list[str] = []
    for line in lines:
        if joined and _continues(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str) -> bool:
    if not previous or not line or ends_sentence(previous):
        return False
    first = line[0]
    return first.islower() or previous.endswith(",") or (first in "(–-" and len(previous) > 40)
