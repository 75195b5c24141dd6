"""Repeated SPARQL requests answered before routing: the same bytes as the first answer, for less work.

A researcher's notebook re-running its cells, or a dashboard polling, sends byte-identical requests.
The router's result cache already spares them the engine, but routing, dependency injection and
negotiation still cost more than the answer itself. This ASGI middleware keeps the complete
response (headers and body) of each cacheable 200 from ``/sparql``, keyed on everything the router
reads from a request (method, scheme, host, path, query string, Accept) and on the version served,
and replays it on the next identical request. A request with ``If-None-Match``, or a body, goes to
the router (a 304, a POST); so does any response that is not a complete, cacheable 200.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.sparql.cache import Entry, ResultCache

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

READS = {b"accept": 0, b"host": 1}  # the request headers the router's answer depends on
BYPASS = (b"if-none-match", b"content-length", b"transfer-encoding")


class RepeatedRequests:
    """``app`` with identical, cacheable GET and HEAD requests to ``path`` answered from memory."""

    def __init__(self, app: ASGIApp, version: Callable[[], str], path: str = "/sparql", entries: int = 512):
        self.app = app
        self.version = version
        self.path = path
        self.cache = ResultCache(entries)
        self.served: str | None = None

    def _key(self, scope: Scope) -> tuple | None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in ("GET", "HEAD"):
            return None
        read: list[bytes | None] = [None, None]
        for name, value in scope["headers"]:
            if name in BYPASS:
                return None
            slot = READS.get(name)
            if slot is not None:
                if read[slot] is not None:  # a repeated header: let the router decide
                    return None
                read[slot] = value
        try:
            version = self.version()
        except Exception:  # noqa: BLE001 - no graph, engine down: the router gives the right error
            return None
        if version != self.served:  # answers of an older version are never asked for again
            self.cache.clear()
            self.served = version
        return (version, scope["method"], scope.get("scheme"), scope.get("root_path", ""), *read,
                scope["query_string"])

    async def __call__(self, scope: Scope, receive, send) -> None:
        key = self._key(scope) if self.cache.enabled else None
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.cache.get(key)
        if entry is not None:  # a fresh list: a middleware outside may add to a message's headers
            await send({"type": "http.response.start", "status": 200, "headers": list(entry.headers)})
            await send({"type": "http.response.body", "body": entry.body})
            return
        start: tuple[int, tuple[tuple[bytes, bytes], ...]] | None = None

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":  # the router's headers, before CORS adds to them
                start = (message["status"], tuple((bytes(k), bytes(v)) for k, v in message.get("headers", ())))
            elif message["type"] == "http.response.body" and start is not None:
                if not message.get("more_body") and _cacheable(*start):
                    headers = tuple((k, b"hit" if k == b"x-cache" else v) for k, v in start[1])
                    etag = next((v for k, v in headers if k == b"etag"), b"").decode("latin-1")
                    self.cache.put(key, Entry(bytes(message.get("body", b"")), etag, headers))
                start = None
            await send(message)

        await self.app(scope, receive, keep)


def _cacheable(status: int, headers: tuple[tuple[bytes, bytes], ...]) -> bool:
    """A 200 the router marked as cacheable (an ETag and a public Cache-Control)."""
    if status != 200:
        return False
    names = dict(headers)
    return b"etag" in names and names.get(b"cache-control", b"").startswith(b"public") and b"x-cache" in names
