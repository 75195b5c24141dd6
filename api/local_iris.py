"""Serve linked-data documents with the server's own address in place of the public base IRI.

Entity IRIs are ``https://w3id.org/asp-kg/id/...``; on a local or air-gapped deployment w3id.org does
not resolve, so a client that follows links (Comunica's link traversal, a crawler) stops at the first
one. With the ``serve_local_iris`` setting, documents name ``http://this-server/id/...`` instead,
which this server dereferences. SPARQL results and dumps keep the public IRIs (the data's identity);
the documents' ``rel="canonical"`` link still gives the public IRI.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REWRITTEN_TYPES = (b"application/ld+json", b"text/turtle", b"application/n-triples", b"application/rdf+xml",
                   b"text/html", b"application/json")
KEEP_PREFIXES = ("/sparql", "/dumps", "/static")


class LocalIris:
    def __init__(self, app: ASGIApp, public_base: str):
        self.app = app
        self.public = public_base.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(KEEP_PREFIXES):
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers", [])).get(b"host", b"localhost")
        scheme = (scope.get("scheme") or "http").encode()
        local = scheme + b"://" + host + b"/"
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            headers = list(start.get("headers", []))
            ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            data = bytes(body)
            if ctype.split(b";")[0].strip() in REWRITTEN_TYPES:
                data = data.replace(self.public + b"id/", local + b"id/")
                headers = [(k, str(len(data)).encode()) if k.lower() == b"content-length" else (k, v)
                           for k, v in headers]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data, "more_body": False})

        await self.app(scope, receive, capture)
