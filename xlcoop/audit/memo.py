"""The bounded memos the audit keeps by content from file to file, and one way to forget them.

Each memo maps a digest of what a file holds (a sheet shape, a structure) to what was worked out
from it once; the least recently used entry leaves first when it is full. ``forget`` empties
every one of them: the state of a fresh process (tests and benchmarks time or compare that).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

_ALL: list[Memo] = []


class Memo(OrderedDict):  # type: ignore[type-arg]
    def __init__(self, keep: int) -> None:
        super().__init__()
        self.keep = keep
        _ALL.append(self)

    def find(self, key: Any) -> Any:
        """The value kept for ``key`` (None if none), now the most recently used."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.keep:
            self.popitem(last=False)


def forget() -> None:
    """Empty every memo of the audit."""
    for memo in _ALL:
        memo.clear()
