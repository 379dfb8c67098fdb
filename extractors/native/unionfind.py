"""Union-find over item indexes: ruling lines that touch, labels that align and shaded cells that tile all group
this way."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class Groups:
    """Items ``0 .. n-1`` joined pair by pair into groups."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def root(self, i: int) -> int:
        """The representative of ``i``'s group."""
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self._parent[self.root(i)] = self.root(j)

    def of(self, items: list[T]) -> dict[int, list[T]]:
        """``items`` (indexed like the groups) by group representative, each group in item order."""
        grouped: dict[int, list[T]] = {}
        for i, item in enumerate(items):
            grouped.setdefault(self.root(i), []).append(item)
        return grouped
