"""The Whoosh engine: Haystack's Whoosh backend made French, exact on facets and fast.

``backend`` (the Haystack backend, query and engine that settings name) runs one search per
query from ``schema`` (fields and documents), ``handle`` (the process's searcher and what it
computes per index version), ``matching``, ``scoring``, ``facets``, ``phrases`` and
``spelling`` (numpy over document numbers); ``writer`` writes the index and ``index`` is the
engine as the search package sees it (``articles.search.engine.SearchEngine``). Every private
Whoosh name the engine still needs is in ``internals``.
"""
