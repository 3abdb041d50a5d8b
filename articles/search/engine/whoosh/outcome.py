"""One Whoosh search's outcome, and the orders a search can ask for."""

from dataclasses import dataclass, field

from haystack.exceptions import SearchBackendError

_SORT_ALIASES = {"published_on": "published_on", "year": "published_on"}
_RELEVANCE = {"score", "-score", "_score", "-_score", "relevance", "-relevance"}


@dataclass
class SearchOutcome:
    """Everything one Whoosh search found; any slice of it is a page."""

    handle: object
    searcher: object
    docnums: list
    scores: dict | None
    hits: int
    facets: dict = field(default_factory=dict)
    spelling_suggestion: str | None = None

    @property
    def complete(self) -> bool:
        """Every hit is ranked (not only the first ``top``)."""
        return len(self.docnums) >= self.hits

    def covers(self, end) -> bool:
        """This outcome can serve the slice ending at ``end`` (None: to the last hit)."""
        return self.complete or (end is not None and end <= len(self.docnums))


def sort_order(sort_by) -> str | None:
    """None for relevance, or "asc"/"desc" by publication date."""
    if not sort_by:
        return None
    directions = set()
    for order_by in sort_by:
        if order_by in _RELEVANCE:
            continue
        name = order_by.lstrip("-")
        if _SORT_ALIASES.get(name) != "published_on":
            raise SearchBackendError(
                f"Cannot sort by {order_by!r}: sort by relevance or by (-)published_on."
            )
        directions.add("desc" if order_by.startswith("-") else "asc")
    if len(directions) > 1:
        raise SearchBackendError("Sort by published_on one way only.")
    return directions.pop() if directions else None
