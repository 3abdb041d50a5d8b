"""Haystack's Whoosh backend, made French (see ``articles/search.py`` for the search contract)."""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend


class FrenchWhooshSearchBackend(WhooshSearchBackend):
    pass


class FrenchWhooshEngine(WhooshEngine):
    backend = FrenchWhooshSearchBackend
