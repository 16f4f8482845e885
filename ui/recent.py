"""The newest values by key, bounded and shared by a worker's threads: the query results ui.state answered and
the texts and tables ui.widgets keeps. Reading a value makes it the newest; beyond `limit` the oldest goes."""

from __future__ import annotations

import collections
import threading

MISSING = object()


class Recent:
    def __init__(self, limit: int):
        self.limit = limit
        self._items: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
