"""Hardening, end to end on a real server: no way out of the sandbox, complete answers or visible
errors in every format, fairness under a bounded abuse load, and long GET queries."""

from __future__ import annotations

import io
import socket
import urllib.error

import httpx
import pandas as pd
import pytest
from conftest_sparql import abuse, sparql_data_dir, start_server, stop_server  # noqa: F401
from SPARQLWrapper import CSV, JSON, SPARQLWrapper
from test_service_refusal import OBFUSCATED


def test_service_obfuscations_reach_nobody_even_without_the_network_sandbox(sparql_data_dir, tmp_path):  # noqa: F811
    """With the worker sandbox switched off, the refusal alone must hold: a listener on loopback
    receives no connection, every attempt is a 400 naming the refusal, and no error carries a reply from outside."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.3)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    log = tmp_path / "server.err"
    server = start_server(sparql_data_dir, stderr=log, ASPKG_WORKER_NO_NETNS="1")
    try:
        for query in OBFUSCATED:
            aimed = query.replace("http://a/", url).replace("http://127.0.0.1:9/", url)
            for r in (httpx.get(server.endpoint, params={"query": aimed}, timeout=10),
                      httpx.post(server.endpoint, data={"query": aimed}, timeout=10)):
                assert r.status_code == 400, (aimed, r.text)
                assert r.json()["error"] == "SERVICE refused"
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        stop_server(server)
        listener.close()
    assert "NO NETWORK SANDBOX" in log.read_text(encoding="utf-8", errors="replace")  # a loud warning


def test_a_required_sandbox_that_is_missing_stops_the_server(sparql_data_dir, tmp_path):  # noqa: F811
    with pytest.raises(RuntimeError, match="exited"):
        start_server(sparql_data_dir, stderr=tmp_path / "err", ASPKG_WORKER_NO_NETNS="1",
                     ASPKG_REQUIRE_NETWORK_SANDBOX="true")
    assert "NO NETWORK SANDBOX" in (tmp_path / "err").read_text(encoding="utf-8", errors="replace")


# --- complete answers or visible errors ----------------------------------------------------------------

FORMATS = {
    "SELECT": ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"],
    "CONSTRUCT": ["application/n-triples", "text/turtle", "application/ld+json", "application/rdf+xml"],
}
QUERIES = {"SELECT": "SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT": "CONSTRUCT WHERE { ?s ?p ?o }"}


@pytest.fixture(scope="module")
def small_limit_server(sparql_data_dir):  # noqa: F811
    """Results over 20 kB are refused; results over 8 kB are spooled to disk before they are sent."""
    server = start_server(sparql_data_dir, ASPKG_MAX_RESULT_BYTES="20000", ASPKG_SPOOL_AFTER_BYTES="8000",
                          ASPKG_CACHE_ENTRIES="0")
    yield server
    stop_server(server)


@pytest.mark.parametrize(("form", "media"), [(f, m) for f, ms in FORMATS.items() for m in ms])
def test_an_over_limit_result_is_a_413_in_every_format(small_limit_server, form, media):
    r = httpx.get(small_limit_server.endpoint, params={"query": QUERIES[form]}, headers={"Accept": media},
                  timeout=30)
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/json")
    assert "20000 bytes" in r.json()["detail"]


@pytest.mark.parametrize("media", ["text/csv", "application/n-triples", "application/sparql-results+json"])
def test_a_spooled_result_is_complete_with_its_length(small_limit_server, media):
    query = {"text/csv": "SELECT * WHERE { ?s ?p ?o } LIMIT 120",
             "application/sparql-results+json": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}.get(
                 media, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 80")
    r = httpx.get(small_limit_server.endpoint, params={"query": query}, headers={"Accept": media}, timeout=30)
    assert r.status_code == 200, r.text
    assert int(r.headers["content-length"]) == len(r.content) > 8000
    if "csv" in media:
        assert len(pd.read_csv(io.BytesIO(r.content))) == 120
    elif "n-triples" in media:
        assert len([line for line in r.text.splitlines() if line.strip()]) == 80


def test_common_clients_see_the_refusal_not_a_short_table(small_limit_server):
    # pandas reading CSV straight from the endpoint
    url = str(httpx.URL(small_limit_server.endpoint, params={"query": QUERIES["SELECT"]}))
    with pytest.raises(urllib.error.HTTPError) as e:
        pd.read_csv(url, storage_options={"Accept": "text/csv"})
    assert e.value.code == 413
    # SPARQLWrapper with its defaults, and asking for CSV
    for fmt in (JSON, CSV):
        client = SPARQLWrapper(small_limit_server.endpoint)
        client.setQuery(QUERIES["SELECT"])
        client.setReturnFormat(fmt)
        with pytest.raises(Exception) as err:  # noqa: B017 - SPARQLWrapper raises its own classes
            client.query().convert()
        assert "413" in str(err.value) or "too large" in str(err.value).lower()


def test_a_deadline_reached_while_the_result_is_produced_is_a_503(sparql_data_dir):  # noqa: F811
    server = start_server(sparql_data_dir, timeout=1.0, ASPKG_CACHE_ENTRIES="0")
    try:
        huge = "CONSTRUCT { ?a ?b ?c . ?d ?e ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"
        for media in ("application/n-triples", "text/turtle"):
            r = httpx.get(server.endpoint, params={"query": huge}, headers={"Accept": media}, timeout=30)
            assert r.status_code in (503, 413), r.status_code
            assert r.headers["content-type"].startswith("application/json")
    finally:
        stop_server(server)


# --- fairness under abuse ------------------------------------------------------------------------------


def test_ordinary_queries_stay_fast_while_runaway_clients_abuse_the_endpoint(sparql_data_dir):  # noqa: F811
    """Four abusive clients (from their own loopback addresses) each keep six runaway queries in
    flight for 10 s; an ordinary client asks a cheap, never-cached query every 100 ms. Its p99 must
    stay under 1 s (the runaways get 429 past their share, and 503 once preempted)."""
    server = start_server(sparql_data_dir, timeout=10.0, workers=3, ASPKG_CACHE_ENTRIES="0")
    try:
        run = abuse(server.endpoint, seconds=10.0)
    finally:
        stop_server(server)
    answers = {s: run.abusive.count(s) for s in sorted(set(run.abusive))}
    print(f"\nordinary queries under abuse: n={len(run.latencies)} p50={run.pct(0.5) * 1000:.0f} ms "
          f"p99={run.pct(0.99) * 1000:.0f} ms; abusive answers: {answers}")
    assert set(run.statuses) == {200}, run.statuses
    assert len(run.latencies) >= 12 and run.pct(0.99) < 1.0
    assert 429 in run.abusive and 503 in run.abusive  # the share limit and the preemption both acted


# --- long GET queries ----------------------------------------------------------------------------------


def _raw_get(base: str, target: str) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_a_get_query_longer_than_the_parser_takes_gets_a_414_with_json(sparql_data_dir):  # noqa: F811
    import json
    import urllib.parse

    server = start_server(sparql_data_dir)
    try:
        query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "{ }" * 14000  # 42 kB, about 126 kB encoded
        raw = _raw_get(server.base, "/sparql?query=" + urllib.parse.quote(query))
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 414")
        assert "POST" in json.loads(body)["detail"]
        ok = httpx.post(server.endpoint, data={"query": query}, timeout=20)
        assert ok.status_code == 200
    finally:
        stop_server(server)
