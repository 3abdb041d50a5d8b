"""The researcher's query language, parsed into a small tree (no search engine involved).

Words are all required; ``"exact phrase"`` (or « … »), ``OR``/``OU``, ``-word``/``NOT``/``SAUF``,
``prefix*`` and parentheses. Anything else is searched as plain words, with a notice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 500
MAX_TERMS = 30
MAX_DEPTH = 8
# A shorter prefix would expand to thousands of index terms.
MIN_PREFIX_LENGTH = 3

NOTICE_SYNTAX = _("Syntaxe non reconnue : recherche sur les mots seuls.")
NOTICE_TOO_LONG = _("Requête trop longue : seuls les premiers mots sont recherchés.")
NOTICE_SHORT_PREFIX = _(
    "Une troncature (*) demande au moins trois lettres : recherche sur les mots seuls."
)
NOTICE_CONTROL = _("Caractères invisibles retirés : recherche sur les mots seuls.")

OR_WORDS = frozenset({"OR", "OU"})
AND_WORDS = frozenset({"AND", "ET"})
NOT_WORDS = frozenset({"NOT", "SAUF"})
OPERATOR_WORDS = OR_WORDS | AND_WORDS | NOT_WORDS

OPENING_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
BREAKS = frozenset("()") | frozenset(OPENING_QUOTES) | frozenset(OPENING_QUOTES.values())
# Punctuation trimmed from the ends of a bare word ("frontières," → "frontières").
EDGE_PUNCTUATION = ".,;:!?…'’`´\"«»“”()[]{}<>/\\|+=&%$#@~^_"
WORD_RE = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Prefix | Phrase | Not | And | Or


@dataclass(frozen=True)
class ParsedQuery:
    """The query as typed (trimmed, capped), its tree (None when empty) and any notices."""

    text: str
    tree: Node | None
    notices: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self.tree is None


class QuerySyntaxError(ValueError):
    def __init__(self, notice=NOTICE_SYNTAX):
        super().__init__("query rejected")
        self.notice = notice


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse a user's query; never raises: rejected input becomes plain words plus a notice."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    notices = []
    cleaned = "".join(" " if _is_invisible(char) else char for char in text)
    if cleaned != text:
        notices.append(NOTICE_CONTROL)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_QUERY_LENGTH:
        notices.append(NOTICE_TOO_LONG)
        cleaned = cleaned[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
    if notices:
        return ParsedQuery(cleaned, plain_words(cleaned), tuple(notices))
    try:
        tree = _Parser(_tokenize(cleaned)).parse()
        if tree is not None and sum(1 for _ in leaves(tree)) > MAX_TERMS:
            raise QuerySyntaxError(NOTICE_TOO_LONG)
    except QuerySyntaxError as error:
        return ParsedQuery(cleaned, plain_words(cleaned), (error.notice,))
    return ParsedQuery(cleaned, tree)


def plain_words(text: str) -> Node | None:
    """The words of ``text``, all required, operators and punctuation ignored."""
    words = [word for word in WORD_RE.findall(text) if word not in OPERATOR_WORDS]
    terms = tuple(Term(word) for word in words[:MAX_TERMS])
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


def leaves(node: Node, *, negated: bool = False, include_negated: bool = True):
    """Yield ``(leaf, negated)`` for every word, prefix and phrase of the tree."""
    if isinstance(node, Not):
        yield from leaves(node.child, negated=not negated, include_negated=include_negated)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from leaves(child, negated=negated, include_negated=include_negated)
    elif include_negated or not negated:
        yield node, negated


def positive_leaves(node: Node | None) -> list[Term | Prefix | Phrase]:
    """The words, prefixes and phrases a matching document contains (for highlighting)."""
    if node is None:
        return []
    return [leaf for leaf, negated in leaves(node, include_negated=False) if not negated]


def _is_invisible(char: str) -> bool:
    # Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned.
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}


# Tokens: ("WORD", text), ("PREFIX", text), ("PHRASE", text), ("OR",), ("AND",), ("NOT",),
# ("(",), (")",).


def _tokenize(text: str) -> list[tuple]:
    tokens = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append((char,))
            i += 1
        elif char in OPENING_QUOTES:
            closing = OPENING_QUOTES[char]
            end = text.find(closing, i + 1)
            if end == -1:
                raise QuerySyntaxError()
            phrase = " ".join(text[i + 1 : end].split())
            if WORD_RE.search(phrase):
                tokens.append(("PHRASE", phrase))
            i = end + 1
        elif char in BREAKS:
            # A closing quote with no opening one.
            raise QuerySyntaxError()
        else:
            start = i
            while i < len(text) and not text[i].isspace() and text[i] not in BREAKS:
                i += 1
            tokens.extend(_bare_tokens(text[start:i], followed_by=text[i : i + 1]))
    return tokens


def _bare_tokens(bare: str, *, followed_by: str) -> list[tuple]:
    if bare in OR_WORDS:
        return [("OR",)]
    if bare in AND_WORDS:
        return [("AND",)]
    if bare in NOT_WORDS:
        return [("NOT",)]
    if bare == "-":
        # "-" glued to a phrase or a group negates it; a "-" on its own is a stray operator.
        if followed_by and (followed_by in OPENING_QUOTES or followed_by == "("):
            return [("NOT",)]
        raise QuerySyntaxError()
    if bare.startswith("-"):
        return [("NOT",), *_bare_tokens(bare[1:], followed_by=followed_by)]
    if bare.startswith("+") and len(bare) > 1:
        return _bare_tokens(bare[1:], followed_by=followed_by)
    word = bare.strip(EDGE_PUNCTUATION)
    is_prefix = word.endswith("*")
    stem = word.rstrip("*")
    if len(word) - len(stem) > 1:
        raise QuerySyntaxError()
    word = stem.strip(EDGE_PUNCTUATION + "-")
    if "*" in word or (is_prefix and not word):
        raise QuerySyntaxError()
    if not WORD_RE.search(word):
        # Punctuation only ("…", "—"): nothing to search.
        return []
    if is_prefix:
        # An elision is not part of the prefix (l’organis* → organis*); a compound cannot be one.
        word = re.split(r"[’']", word)[-1]
        if not word.isalnum():
            raise QuerySyntaxError()
        if len(word) < MIN_PREFIX_LENGTH:
            raise QuerySyntaxError(NOTICE_SHORT_PREFIX)
        return [("PREFIX", word)]
    return [("WORD", word)]


class _Parser:
    """query := or_expr; or_expr := and_expr (OR and_expr)*; and_expr := unary (AND? unary)*;
    unary := NOT unary | primary; primary := WORD | PREFIX | PHRASE | "(" or_expr ")"."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError()
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND":
                self.take()
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        if self.peek() == "NOT":
            self.take()
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind = self.peek()
        if kind == "WORD":
            return Term(self.take()[1])
        if kind == "PREFIX":
            return Prefix(self.take()[1])
        if kind == "PHRASE":
            return Phrase(self.take()[1])
        if kind == "(":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError()
            node = self.or_expr()
            if self.peek() != ")":
                raise QuerySyntaxError()
            self.take()
            self.depth -= 1
            return node
        # A lone or misplaced operator, a stray ")" or the end of the query.
        raise QuerySyntaxError()
