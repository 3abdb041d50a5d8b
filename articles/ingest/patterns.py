"""Patterns written for folded text that must start and end on word boundaries.

`re` tries a pattern at every character of a text. Detection looks for a few dozen such
patterns in every article; `PatternSet` reads the text once with one lookahead over all of
them to find the positions where any can match, then tries each pattern there only. The matches
are those each pattern's own ``finditer`` gives: a pattern matches nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

BOUNDARY = r"(?<!\w)"


def bounded(source: str) -> re.Pattern[str]:
    """Compile a folded-text pattern that must start and end on word boundaries."""
    return re.compile(rf"{BOUNDARY}(?:{source})(?!\w)")


class PatternSet:
    """Bounded patterns looked for together in one text.

    Their group names must differ, and none may match an empty string.
    """

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.patterns = {name: bounded(source) for name, source in sources.items()}
        alternatives = "|".join(f"(?:{source})" for source in sources.values())
        self._starts = re.compile(rf"{BOUNDARY}(?={alternatives})")

    def find(self, text: str) -> dict[str, list[re.Match[str]]]:
        """Each pattern's matches in ``text`` by name, as its ``finditer`` finds them."""
        starts = [found.start() for found in self._starts.finditer(text)]
        return {
            name: _matches_from(pattern, text, starts) for name, pattern in self.patterns.items()
        }


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    matches: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end and (found := pattern.match(text, start)) is not None:
            matches.append(found)
            end = found.end()
    return matches
