"""Recent results kept in memory, and the ETag that lets clients revalidate them.

The graph only changes with a rebuild, which changes the version id; keying on (version, normalised
query, dataset, media type) makes every entry valid until the next build without any invalidation.
The ETag is derived from that same key, so a 304 needs no evaluation even after eviction.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024

CacheKey = tuple[str, str, tuple, str]


def make_key(version: str, normalised_query: str, dataset: tuple, media_type: str) -> CacheKey:
    return (version, normalised_query, dataset, media_type)


@functools.lru_cache(maxsize=4096)
def etag_for(key: CacheKey) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f'"{key[0][:16]}-{digest}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against our ETag."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    headers: tuple[tuple[bytes, bytes], ...] = ()  # a whole response's (``repeated.py``)


class ResultCache:
    """An LRU bounded by entry count and total bytes; ``entries=0`` disables it."""

    def __init__(self, entries: int, max_bytes: int = MAX_TOTAL_BYTES):
        self.max_entries = entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[CacheKey, Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0

    def get(self, key: CacheKey) -> Entry | None:
        entry = self._data.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: CacheKey, entry: Entry) -> None:
        if not self.enabled or len(entry.body) > MAX_ENTRY_BYTES:
            return
        old = self._data.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._data[key] = entry
        self._bytes += len(entry.body)
        while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._data.popitem(last=False)
            self._bytes -= len(evicted.body)

    def clear(self) -> None:
        self._data.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)
