"""Find a pattern's matches without trying it at every character of the text.

Python's ``re`` tries a pattern at each position in turn; a pattern made of long alternations
behind a word boundary (verbs of speech, role phrases, dates) spends most of its time failing
at positions where no alternative can even begin. ``scan`` finds the next position where the
pattern's first two characters can occur (a cheap search written from the pattern's parse
tree), tries the pattern there with ``match`` and goes on from the end of a match, exactly as
``finditer`` does: the matches are the same, only the positions that cannot start one are
skipped.

``heads`` gives those first characters as plain strings, for callers that look them up in an
index of the text instead.
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

# A head is a tuple of atoms, one per character: the character itself when the pattern matches
# it as written, otherwise the source of a one-character regex ("(?i:a)", "\s").
Head = tuple[str, ...]

# Above this many possible beginnings, searching for them saves nothing.
_MAX_HEADS = 400
_MAX_FIRST_CHARACTERS = 60
# Character classes that stay selective enough to search for; \w, \W, \S and \D are not.
_CATEGORIES = {_c.CATEGORY_SPACE: r"\s", _c.CATEGORY_DIGIT: r"\d"}
# Any character: a part too broad to search for, which only the characters before it narrow.
_ANY = r"(?s:.)"


def heads(pattern: re.Pattern[str], size: int) -> frozenset[str] | None:
    """The first ``size`` characters of every match of ``pattern``; None when unknown.

    Unknown means a part that is not a plain character (``\\s``, ``.``, ignored case), a match
    that may be shorter than ``size`` or too many beginnings. Assertions count as nothing, so
    the set may hold beginnings that never match, never miss one that does.
    """
    if pattern.flags & re.IGNORECASE:
        return None  # its characters stand for both cases
    found = _pattern_heads(pattern, size)
    if found is None or any(len(head) < size for head in found):
        return None
    if any(len(atom) != 1 for head in found for atom in head):
        return None
    return frozenset("".join(head) for head in found)


def _pattern_heads(pattern: re.Pattern[str], size: int) -> set[Head] | None:
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    tree = _parser.parse(pattern.pattern, pattern.flags)
    return _heads_of_sequence(list(tree), size, _Case(ignore_case, ignore_case))


class _Case:
    """Whether a part of a pattern ignores case, and whether the whole pattern does."""

    def __init__(self, ignore: bool, whole: bool) -> None:
        self.ignore, self.whole = ignore, whole

    def scoped(self, add_flags: int, del_flags: int) -> _Case:
        ignore = (self.ignore or bool(add_flags & re.IGNORECASE)) and not (
            del_flags & re.IGNORECASE
        )
        return _Case(ignore, self.whole)

    def atom(self, char: str) -> str:
        if self.ignore == self.whole:
            return char
        return f"(?{'i' if self.ignore else '-i'}:{re.escape(char)})"


def _heads_of_sequence(items, size: int, case: _Case) -> set[Head] | None:
    # A head shorter than ``size`` is a whole match of the items; the others are cut at ``size``.
    found: set[Head] = {()}
    for op, av in items:
        shortest = min(len(head) for head in found)
        if shortest == size:
            break
        item = _heads_of_item(op, av, size - shortest, case)
        if item is None:
            return None
        found = _concatenate(found, item, size)
        if len(found) > _MAX_HEADS:
            return None
    return found


def _concatenate(firsts: set[Head], seconds: set[Head], size: int) -> set[Head]:
    return {
        (first + second)[:size] if len(first) < size else first
        for first in firsts
        for second in seconds
    }


def _heads_of_item(op, av, size: int, case: _Case) -> set[Head] | None:
    if op is _c.LITERAL:
        return {(case.atom(chr(av)),)}
    if op is _c.IN:
        return _heads_of_class(av, case)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, items = av
        return _heads_of_sequence(items, size, case.scoped(add_flags, del_flags))
    if op is _c.BRANCH:
        found: set[Head] = set()
        for branch in av[1]:
            heads_of_branch = _heads_of_sequence(branch, size, case)
            if heads_of_branch is None:
                return None
            found |= heads_of_branch
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return _heads_of_repeat(*av, size, case)
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return {()}  # zero width
    if op in (_c.ANY, _c.NOT_LITERAL):
        return {(_ANY,)}
    return None


def _heads_of_class(items, case: _Case) -> set[Head] | None:
    atoms: set[str] = set()
    for kind, value in items:
        if kind is _c.LITERAL:
            atoms.add(case.atom(chr(value)))
        elif kind is _c.RANGE and value[1] - value[0] < _MAX_FIRST_CHARACTERS:
            atoms.update(case.atom(chr(code)) for code in range(value[0], value[1] + 1))
        elif kind is _c.CATEGORY and value in _CATEGORIES:
            atoms.add(_CATEGORIES[value])
        else:
            return {(_ANY,)}  # negated sets, broad categories (\w), large ranges
    return {(atom,) for atom in atoms}


def _heads_of_repeat(least: int, most: int, items, size: int, case: _Case) -> set[Head] | None:
    once = _heads_of_sequence(items, size, case)
    if once is None:
        return None
    # Past `least + size` repetitions, the first `size` characters are all already there.
    found: set[Head] = set()
    repeated: set[Head] = {()}
    for count in range(min(most, least + size) + 1):
        if count >= least:
            found |= repeated
        repeated = _concatenate(repeated, once, size)
        if len(repeated) > _MAX_HEADS:
            return None
    return found


# --- Leading words -------------------------------------------------------------------------------

# A word being read from a pattern: its characters so far, whether a non-word character (or the
# end of the text) has closed it, and whether the match must start where a word starts.
_Word = tuple[str, bool, bool]
_MAX_WORDS = 2000
_MAX_WORD_LENGTH = 40
_WORD_CHARACTER = re.compile(r"\w")
# Flags under which a word character is not the one Unicode patterns (and FoldedText) know.
_OTHER_WORDS = re.ASCII | re.LOCALE
# Negated, these leave only characters that are not word characters.
_NOT_WORD = {_c.CATEGORY_NOT_SPACE, _c.CATEGORY_WORD}


@functools.lru_cache(maxsize=512)
def leading_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The words every match of ``pattern`` begins with, whole, as the pattern writes them.

    Known only when every match starts where a word of the text starts (behind ``\\b`` or
    ``(?<!\\w)``) and the pattern then reads plain word characters up to a part that cannot be
    one (a space, a comma, ``\\b``, ``(?!\\w)``): the text's word there is one of these, in
    the pattern's case unless it ignores case. None otherwise (``\\w+``, a match that may end
    inside a word, a word of unknown length).
    """
    if pattern.flags & _OTHER_WORDS:
        return None  # its \w and \b are not the words FoldedText cuts the text into
    tree = _parser.parse(pattern.pattern, pattern.flags)
    found = _words_of_sequence(list(tree), {("", False, False)})
    if found is None or not all(closed and bounded and word for word, closed, bounded in found):
        return None
    return frozenset(word for word, _closed, _bounded in found)


def _words_of_sequence(items, words: set[_Word]) -> set[_Word] | None:
    for op, av in items:
        if all(closed for _word, closed, _bounded in words):
            return words
        words = _words_of_item(op, av, words)
        if words is None or len(words) > _MAX_WORDS:
            return None
    return words


def _words_of_item(op, av, words: set[_Word]) -> set[_Word] | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        if add_flags & _OTHER_WORDS:
            return None
        return _words_of_sequence(items, words)
    if op is _c.BRANCH:
        found: set[_Word] = set()
        for branch in av[1]:
            branch_words = _words_of_sequence(branch, words)
            if branch_words is None:
                return None
            found |= branch_words
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        least, most, items = av
        found = set(words) if least == 0 else set()
        repeated = words
        for count in range(1, most + 1):
            repeated = _words_of_sequence(items, repeated)
            if repeated is None or count > _MAX_WORD_LENGTH:
                return None
            if count >= least:
                found |= repeated
            if all(closed for _word, closed, _bounded in repeated):
                break  # more repetitions add nothing to a closed word
        return found
    if op is _c.AT:
        if av is _c.AT_BOUNDARY:  # behind word characters, the word ends; before any, it starts
            return {
                (word, bool(word) or closed, bounded or not word) for word, closed, bounded in words
            }
        if av in (_c.AT_END, _c.AT_END_STRING):
            return {(word, True, bounded) for word, closed, bounded in words}
        if av is _c.AT_NON_BOUNDARY:
            return None
        return words
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        direction, items = av
        if op is _c.ASSERT_NOT and _is_word_class(items):
            if direction < 0:  # (?<!\w): a word starts here
                return {(word, closed, bounded or not word) for word, closed, bounded in words}
            return {(word, True, bounded) for word, closed, bounded in words}  # (?!\w)
        return words
    characters = _characters(op, av)
    if characters is None:
        return None
    found = set()
    for word, closed, bounded in words:
        if closed:
            found.add((word, closed, bounded))
            continue
        for char in characters:
            if _WORD_CHARACTER.match(char):
                found.add((word + char, False, bounded))
            else:
                found.add((word, True, bounded))
    return found


def _characters(op, av) -> set[str] | None:
    """The characters a one-character part may match, as stand-ins: a space for ``\\s``;
    None when too many of them are word characters (``\\w``, ``\\d``, ``.``, a large range)."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.CATEGORY and av is _c.CATEGORY_SPACE:
        return {" "}
    if op is not _c.IN:
        return None
    if av and av[0][0] is _c.NEGATE:
        # [^\\S\\n], [^\\W…]: what is left of the spaces, of the non-word characters.
        if any(kind is _c.CATEGORY and value in _NOT_WORD for kind, value in av[1:]):
            return {" "}
        return None
    characters: set[str] = set()
    for kind, value in av:
        if kind is _c.LITERAL:
            characters.add(chr(value))
        elif kind is _c.CATEGORY and value is _c.CATEGORY_SPACE:
            characters.add(" ")
        elif kind is _c.RANGE and value[1] - value[0] < 8:
            characters.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    return characters


def _is_word_class(items) -> bool:
    """Whether a lookaround's content holds at least the word characters: ``\\w``, ``[\\w-]``."""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is _c.CATEGORY:
        return av is _c.CATEGORY_WORD
    return (
        op is _c.IN
        and not (av and av[0][0] is _c.NEGATE)  # [^\w]: the other way round
        and any(kind is _c.CATEGORY and value is _c.CATEGORY_WORD for kind, value in av)
    )


@functools.lru_cache(maxsize=512)
def _starts(pattern: re.Pattern[str], before: str) -> re.Pattern[str] | None:
    """A pattern finding the positions where ``pattern`` may start, or None (try them all)."""
    for size, most in ((3, _MAX_HEADS), (2, _MAX_HEADS), (1, _MAX_FIRST_CHARACTERS)):
        found = _pattern_heads(pattern, size)
        if found is None or len(found) > most:
            continue
        if () in found or any(head[0] == _ANY for head in found):
            return None  # a match may start anywhere
        return re.compile(f"{before}(?:{_alternatives(found)})", pattern.flags)
    return None


def _alternatives(found: set[Head]) -> str:
    """A regex source matching the heads, written as a tree of their shared first atoms."""
    rests_by_first: dict[str, set[Head]] = {}
    for head in found:
        rests_by_first.setdefault(head[0], set()).add(head[1:])
    branches = []
    for atom, rests in sorted(rests_by_first.items()):
        source = re.escape(atom) if len(atom) == 1 else atom
        if () in rests:  # the first character alone may be the whole match
            branches.append(source)
        else:
            branches.append(f"{source}(?:{_alternatives(rests)})")
    return "|".join(branches)


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
