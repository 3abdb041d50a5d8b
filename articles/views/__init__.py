"""Public views: browsing pages in ``browse``, the search page and its exports in ``search``."""
