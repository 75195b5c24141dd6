"""Repeated requests answered before routing (``api/sparql/repeated.py``): the same answer as the
router's, never one that belongs to another request, another host or another version."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from conftest_sparql import sparql_data_dir, start_server, stop_server  # noqa: F401
from sparql_data import make_data_dir

from api.sparql.repeated import RepeatedRequests

pytestmark = pytest.mark.e2e

Q = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/asp-kg/ontology#RegularSession> } ORDER BY ?s"}
RELATIVE = {"query": "SELECT ?x WHERE { BIND(<id/state/UKR> AS ?x) }"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("repeated")
    make_data_dir(root, version="v1")
    running = start_server(root)
    yield running, root
    stop_server(running)


def test_a_repeat_is_the_same_answer_with_its_own_cors_headers(server):
    running, _ = server
    first = httpx.get(running.endpoint, params=Q, headers={"Origin": "https://example.org"}, timeout=20)
    again = httpx.get(running.endpoint, params=Q, timeout=20)
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
    for name in ("etag", "content-type", "cache-control", "vary", "content-length"):
        assert first.headers[name] == again.headers[name], name
    # CORS headers belong to each request, not to the answer kept
    assert first.headers["access-control-allow-origin"] == "*" and "access-control-allow-origin" not in again.headers
    cors = httpx.get(running.endpoint, params=Q, headers={"Origin": "https://example.org"}, timeout=20)
    assert cors.headers["access-control-allow-origin"] == "*" and cors.headers["x-cache"] == "hit"
    assert "access-control-allow-origin" not in httpx.get(running.endpoint, params=Q, timeout=20).headers
    assert httpx.get(running.endpoint, params=Q, headers={"If-None-Match": first.headers["etag"]},
                     timeout=20).status_code == 304
    head = httpx.head(running.endpoint, params=Q, timeout=20)
    assert head.status_code == 200 and head.content == b""
    assert httpx.head(running.endpoint, params=Q, timeout=20).content == b""


def test_what_the_router_reads_keeps_answers_apart(server):
    """Accept and Host change the answer (format; the base of relative IRIs): never another's."""
    running, _ = server
    csv = [httpx.get(running.endpoint, params=Q, headers={"Accept": "text/csv"}, timeout=20) for _ in range(2)]
    assert all(r.headers["content-type"].startswith("text/csv") for r in csv) and csv[0].content == csv[1].content
    hosts = {}
    for host in ("one.example", "two.example", "one.example", "two.example"):
        r = httpx.get(running.endpoint, params=RELATIVE, headers={"Host": host, "Accept": "text/csv"}, timeout=20)
        hosts.setdefault(host, set()).add(r.text)
    assert hosts["one.example"] == {"x\r\nhttp://one.example/id/state/UKR\r\n"}
    assert hosts["two.example"] == {"x\r\nhttp://two.example/id/state/UKR\r\n"}


def test_a_new_version_is_never_answered_from_the_old_one(server):
    running, root = server
    count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    before = [httpx.get(running.endpoint, params=count, headers={"Accept": "text/csv"}, timeout=20) for _ in range(2)]
    assert before[1].headers["x-cache"] == "hit"
    make_data_dir(root, version="v2", scale=2)
    after = httpx.get(running.endpoint, params=count, headers={"Accept": "text/csv"}, timeout=20)
    assert after.headers["x-cache"] == "miss" and int(after.text.split()[1]) > int(before[0].text.split()[1])


def test_only_complete_cacheable_answers_are_kept():
    """The router is asked again for anything but a single-message 200 it marked cacheable."""
    calls: list[str] = []
    answers = {
        b"q=ok": (200, [(b"etag", b'"1"'), (b"cache-control", b"public, max-age=300"), (b"x-cache", b"miss")], False),
        b"q=nocache": (200, [(b"cache-control", b"no-cache"), (b"x-cache", b"miss")], False),
        b"q=error": (400, [(b"x-cache", b"miss")], False),
        b"q=streamed": (200, [(b"etag", b'"2"'), (b"cache-control", b"public"), (b"x-cache", b"miss")], True),
    }

    async def router(scope, receive, send):
        calls.append(scope["query_string"].decode())
        status, headers, streamed = answers[scope["query_string"]]
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        if streamed:
            await send({"type": "http.response.body", "body": b"part", "more_body": True})
        await send({"type": "http.response.body", "body": b"body"})

    app = RepeatedRequests(router, version=lambda: "v")

    async def get(qs: bytes, method: str = "GET", headers: tuple = ()) -> list:
        sent: list = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": method, "path": "/sparql", "scheme": "http", "root_path": "",
                 "query_string": qs, "headers": [(b"host", b"h"), *headers]}
        await app(scope, None, send)
        return sent

    async def scenario():
        for qs in answers:
            await get(qs)
            await get(qs)
        replay = await get(b"q=ok")
        assert dict(replay[0]["headers"])[b"x-cache"] == b"hit" and replay[1]["body"] == b"body"
        await get(b"q=ok", headers=((b"if-none-match", b'"1"'),))
        await get(b"q=ok", method="POST", headers=((b"content-length", b"0"),))

    asyncio.run(scenario())
    assert calls == ["q=ok", "q=nocache", "q=nocache", "q=error", "q=error", "q=streamed", "q=streamed",
                     "q=ok", "q=ok"]
