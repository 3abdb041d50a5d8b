"""Answer "what lies near this position?" without reading the whole text or list again.

Detection asks, for every mention, verb or quote, about the others near it. Asked of the whole
list each time, these questions make detection grow with the square of the text; asked of a
sorted index, each costs a search and the few items it finds.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")


class Occupied:
    """The characters of a text taken by spans found so far (names, role phrases).

    A span is refused where it shares a character with a span taken before: marking characters
    answers that in the span's length, however many spans are taken.
    """

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._taken = bytearray(length)
        for start, end in spans:
            self.take(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self._taken[start:end]

    def take(self, start: int, end: int) -> None:
        self._taken[start:end] = b"\x01" * (end - start)


class ByPosition(Generic[Item]):
    """Items sorted by a position (their start), looked up by a range of positions."""

    def __init__(self, items: Sequence[Item], position: Callable[[Item], int]) -> None:
        self.items = sorted(items, key=position)
        self._positions = [position(item) for item in self.items]

    def within(self, low: int, high: int) -> list[Item]:
        """The items at ``low`` ≤ position < ``high``, in order."""
        first = bisect.bisect_left(self._positions, low)
        last = bisect.bisect_left(self._positions, high)
        return self.items[first:last]

    def first_from(self, low: int) -> Item | None:
        """The first item at ``low`` or after it."""
        index = bisect.bisect_left(self._positions, low)
        return self.items[index] if index < len(self.items) else None
