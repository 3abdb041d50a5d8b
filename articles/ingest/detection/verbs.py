"""Verbs of speech: where the article reports that someone said something."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from articles.ingest.vocabulary.speech import (
    ADVERBS,
    ENGLISH,
    PARTICIPLES,
    PRESENT,
    PRESENT_PARTICIPLES,
    REFLEXIVE,
)

if TYPE_CHECKING:
    from .document import Document, Sentence
    from .mentions import Mention

# The words a verb of speech can begin with (the auxiliaries, "s'", "selon"…, and the verbs
# themselves), and the letters they begin with. At a word beginning with another letter the
# pattern cannot match: the lookahead says so before its hundred alternatives are tried.
_FIRST_WORDS = (
    "a|ont|avait|aurait|avaient|s['’]|selon|d['’]après|according|has|had",
    PRESENT_PARTICIPLES,
    ENGLISH,
    PRESENT,
)
_FIRST_LETTERS = "".join(sorted({word[0] for words in _FIRST_WORDS for word in words.split("|")}))
assert _FIRST_LETTERS.isalpha(), _FIRST_LETTERS  # each alternative starts with a plain letter

# Every kind of verb starts where a word starts: the one boundary before the alternatives is
# checked once per position, not once per alternative.
SPEECH_VERB = re.compile(
    rf"\b(?=[{_FIRST_LETTERS}])"
    r"(?:(?P<past>(?:a|ont|avait|aurait|avaient)(?:-t-(?P<pron>il|elle|on))?"
    r"(?:\s*,[^,.«»\n]{1,40},)?(?:\s+(?:" + ADVERBS + r"))*"
    r"(?:\s*,[^,.«»\n]{1,40},)?\s+(?:" + PARTICIPLES + r")s?\b)"
    r"|(?P<reflexive>s['’](?:est|était)(?:-(?P<rpron>il|elle))?(?:\s+(?:" + ADVERBS + r"))*"
    r"\s+(?:" + REFLEXIVE + r")\b)"
    r"|(?P<participle>(?:" + PRESENT_PARTICIPLES + r")\b)"
    r"|(?P<selon>(?:selon|d['’]après|according\s+to)\s)"
    r"|(?P<english>(?:has\s+|had\s+)?(?:" + ENGLISH + r")\b)"
    r"|(?P<present>(?:" + PRESENT + r")(?:-t-(?P<ppron>il|elle))?\b))",
    re.IGNORECASE,
)
THAT = re.compile(r"\b(?:que|qu['’]|that)\b", re.IGNORECASE)


@dataclass
class Verb:
    start: int
    end: int
    kind: str
    pronoun: bool
    sentence: Sentence
    inverted: bool = False
    speaker: Mention | None = None
    nobody: bool = False
    used_by_quote: bool = False


def find_verbs(document: Document) -> list[Verb]:
    text = document.text
    verbs = []
    for match in SPEECH_VERB.finditer(text):
        sentence = document.sentence_at(match.start())
        if sentence.is_credit or document.in_quote(match.start()):
            continue
        kind = next(
            name
            for name in ("past", "reflexive", "participle", "selon", "english", "present")
            if match.group(name)
        )
        pronoun = bool(match.group("pron") or match.group("rpron") or match.group("ppron"))
        before = text[sentence.start : match.start()].rstrip()
        inverted = (
            not pronoun
            and kind not in {"selon", "participle"}
            and (not before or before[-1] in ',»”"')
        )
        # A present tense is speech only right after its subject ("Blinken appelle à").
        if (
            kind == "present"
            and not inverted
            and not pronoun
            and not re.search(r"(?:\b[A-ZÀ-Ý][\w’'-]+|\b(?:il|elle)|\w+aine?)\s*$", before)
        ):
            continue
        if kind == "english" and not inverted and match.group(0).lower().startswith("said"):
            inverted = bool(re.search(r"[,”\"]\s*$", before))
        verbs.append(Verb(match.start(), match.end(), kind, pronoun, sentence, inverted=inverted))
    return verbs


def skip_spaces(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset
