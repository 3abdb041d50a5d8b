"""Whitespace and invisible-character clean-up shared by the text and HTML parsers."""

from __future__ import annotations

import re

# Invisible characters that only get in the way of search and display: C0/C1 controls (except
# tab and line breaks, handled below), zero-width joiners and spaces, bidi marks, the soft hyphen
# and stray byte-order marks.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
# Every horizontal space but the plain one (NBSP, narrow NBSP around French punctuation, thin
# spaces, tabs…).
_OTHER_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# The runs of horizontal spaces that collapsing changes: all but a lone plain space, which would
# only be replaced by itself between every two words.
_SPACES = re.compile(f" [ {_OTHER_SPACES}]+|[{_OTHER_SPACES}][ {_OTHER_SPACES}]*")
# C0 controls but tab, line feed, carriage return and form feed; C1 controls; U+FFFD.
_SUSPICIOUS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def normalize_text(text: str) -> str:
    """Normalise line breaks, drop invisible characters and collapse spaces on every line."""
    return "\n".join(normalize_line(line) for line in _LINE_BREAKS.sub("\n", text).split("\n"))


def normalize_line(line: str) -> str:
    """Collapse runs of spaces (of any kind) into one and strip both ends."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def control_character_ratio(text: str) -> float:
    """Share of characters that no real text contains; a high one means a binary file."""
    if not text:
        return 0.0
    return len(_SUSPICIOUS.findall(text)) / len(text)
