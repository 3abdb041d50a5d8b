"""Find a pattern's matches without trying it at every character of the text.

Python's ``re`` tries a pattern at each position in turn; a pattern made of long alternations
behind a word boundary (verbs of speech, role phrases, dates) spends most of its time failing
at positions where no alternative can even begin. ``scan`` finds the next position where the
pattern's first character can occur (a cheap character-class search), tries the pattern there
with ``match`` and goes on from the end of a match, exactly as ``finditer`` does: the matches
are the same, only the positions that cannot start one are skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c
    import sre_parse as _parser

# Above this many possible first characters, a class search saves nothing.
_MAX_FIRST_CHARACTERS = 60


def _nullable(items) -> bool:
    return all(_nullable_item(op, av) for op, av in items)


def _nullable_item(op, av) -> bool:
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
        return False
    if op is _c.SUBPATTERN:
        return _nullable(av[-1])
    if op is _c.BRANCH:
        return any(_nullable(branch) for branch in av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return av[0] == 0 or _nullable(av[2])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _nullable(av)
    return True  # assertions, anchors and anything unknown may match nothing


def _first_characters(items, *, or_empty=False) -> set[str] | None:
    """Characters any non-empty match of ``items`` can start with; None when unknown.

    When the whole sequence can match nothing, that is None too, unless ``or_empty`` (a part
    that may be skipped: its first characters when it matches something, and the caller looks
    past it).
    """
    found: set[str] = set()
    for op, av in items:
        first = _first_of_item(op, av)
        if first is None:
            return None
        found |= first
        if not _nullable_item(op, av):
            return found
    return found if or_empty else None


def _first_of_item(op, av) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < _MAX_FIRST_CHARACTERS:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            else:
                return None  # negated sets, categories (\w, \d), large ranges
        return chars
    if op is _c.SUBPATTERN:
        if _nullable(av[-1]):
            return _first_characters(av[-1], or_empty=True)
        return _first_characters(av[-1])
    if op is _c.BRANCH:
        chars = set()
        for branch in av[1]:
            first = _first_characters(branch, or_empty=True)
            if first is None:
                return None
            chars |= first
        return chars
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return _first_characters(av[2], or_empty=True)
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return set()  # zero width: the next item decides
    return None


@functools.lru_cache(maxsize=512)
def _starts(pattern: re.Pattern[str], before: str) -> re.Pattern[str] | None:
    """A pattern finding the positions where ``pattern`` may start, or None (try them all)."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    first = _first_characters(list(tree))
    if not first or len(first) > _MAX_FIRST_CHARACTERS:
        return None
    flags = pattern.flags & re.IGNORECASE
    if any(op is _c.SUBPATTERN and av[1] & re.IGNORECASE for op, av in _walk(tree)):
        flags |= re.IGNORECASE  # a scoped (?i:…) part: both cases may start a match
    klass = "".join(sorted(re.escape(char) for char in first))
    return re.compile(f"{before}[{klass}]", flags)


def _walk(items):
    for op, av in items:
        yield op, av
        if op is _c.SUBPATTERN:
            yield from _walk(av[-1])
        elif op is _c.BRANCH:
            for branch in av[1]:
                yield from _walk(branch)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            yield from _walk(av[2])


def scan(pattern: re.Pattern[str], text: str, *, before: str = "") -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, trying only where a match may start.

    ``before`` is a zero-width assertion every match of the pattern starts with (``\\b``,
    ``(?<!\\w)``), which narrows the positions further; the caller vouches for it.
    """
    starts = _starts(pattern, before)
    if starts is None:
        yield from pattern.finditer(text)
        return
    search, match = starts.search, pattern.match
    position, end = 0, len(text)
    while position <= end:
        candidate = search(text, position)
        if candidate is None:
            return
        start = candidate.start()
        found = match(text, start)
        if found is None:
            position = start + 1
            continue
        yield found
        position = found.end() if found.end() > start else start + 1


# Above this many possible beginnings, looking them up costs more than it saves.
_MAX_HEADS = 400


def heads(pattern: re.Pattern[str], size: int) -> frozenset[str] | None:
    """The first ``size`` characters of every match of ``pattern``; None when unknown.

    Unknown means a part that can be many characters (``\\w``, ``.``, a negated class), ignored
    case, a match that may be shorter than ``size`` or too many beginnings. Assertions count as
    nothing, so the set may hold beginnings that never match, never miss one that does.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    found = _heads_of_sequence(list(_parser.parse(pattern.pattern, pattern.flags)), size)
    if found is None or any(len(head) < size for head in found):
        return None
    return frozenset(found)


def _heads_of_sequence(items, size: int) -> set[str] | None:
    # A head shorter than ``size`` is a whole match of the items; the others are cut at ``size``.
    found = {""}
    for op, av in items:
        if all(len(head) == size for head in found):
            break
        item = _heads_of_item(op, av, size)
        if item is None:
            return None
        found = _concatenate(found, item, size)
        if len(found) > _MAX_HEADS:
            return None
    return found


def _concatenate(firsts: set[str], seconds: set[str], size: int) -> set[str]:
    return {
        (first + second)[:size] if len(first) < size else first
        for first in firsts
        for second in seconds
    }


def _heads_of_item(op, av, size: int) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < _MAX_FIRST_CHARACTERS:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            else:
                return None  # negated sets, categories (\w, \d), large ranges
        return chars
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        return None if add_flags & re.IGNORECASE else _heads_of_sequence(items, size)
    if op is _c.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            heads_of_branch = _heads_of_sequence(branch, size)
            if heads_of_branch is None:
                return None
            found |= heads_of_branch
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return _heads_of_repeat(*av, size)
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return {""}  # zero width
    return None


def _heads_of_repeat(least: int, most: int, items, size: int) -> set[str] | None:
    once = _heads_of_sequence(items, size)
    if once is None:
        return None
    # Past `least + size` repetitions, the first `size` characters are all already there.
    found: set[str] = set()
    repeated = {""}
    for count in range(min(most, least + size) + 1):
        if count >= least:
            found |= repeated
        repeated = _concatenate(repeated, once, size)
        if len(repeated) > _MAX_HEADS:
            return None
    return found
