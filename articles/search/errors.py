"""The search package's exceptions, engine-neutral: the read side and the views catch these."""


class SearchUnavailable(Exception):
    """The search index is missing or unreadable; ``manage.py sync_index`` rebuilds it."""


class LockBusy(Exception):
    """Another process holds the index writer lock."""
