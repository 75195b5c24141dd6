"""The tools researchers use, with their defaults, against a real server holding the real graph:
SPARQLWrapper (default and every return format, GET and POST), rdflib's SPARQLStore as a Graph and
as a Dataset, pandas reading CSV, pyld and jsonld.js fetching entities by URL, Comunica following
links on a local deployment, and the errors they show to their users."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pandas as pd
import pytest
import rdflib
from conftest_oxigraph import oxigraph_server, published  # noqa: F401
from conftest_sparql import start_server, stop_server
from pyld import jsonld
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.store import Layout

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parent.parent
ASP = "https://w3id.org/asp-kg/ontology#"
PARTIES = f"""PREFIX asp: <{ASP}>
SELECT ?state ?deposit WHERE {{ ?state a asp:State ; asp:instrumentDepositDate ?deposit }} ORDER BY ?state"""
SESSION = "https://w3id.org/asp-kg/id/session/20"


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def server(request, built_layout: Layout):
    """Our server on the embedded store, then on Oxigraph's server holding the published dataset."""
    env = {}
    if request.param == "oxigraph":
        request.getfixturevalue("published")
        env["ASPKG_SPARQL_BACKEND"] = request.getfixturevalue("oxigraph_server").query
    s = start_server(built_layout.root, timeout=10.0, **env)
    yield s
    stop_server(s)


@pytest.fixture(scope="module")
def local_server(built_layout: Layout):
    s = start_server(built_layout.root, timeout=10.0, ASPKG_SERVE_LOCAL_IRIS="true")
    yield s
    stop_server(s)


def _wrapper(server, query: str, fmt: str | None, method: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setMethod(method)
    if fmt is not None:
        sw.setReturnFormat(fmt)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [None, JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(server, fmt, method) -> None:
    result = _wrapper(server, PARTIES, fmt, method).query().convert()
    if fmt in (None, XML):
        rows = result.getElementsByTagName("result")  # SPARQLWrapper's default is XML
    elif fmt == JSON:
        rows = result["results"]["bindings"]
    else:
        rows = result.decode().strip().splitlines()[1:]
    assert len(rows) == 125  # one row per State: one preferred deposit date each


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [None, XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON])
def test_sparqlwrapper_construct_and_describe_with_defaults_and_every_format(server, fmt, method) -> None:
    """SPARQLWrapper's default for a CONSTRUCT sends format=xml (and rdf+xml, n3, ... for the others)."""
    for query in (f"CONSTRUCT {{ <{SESSION}> ?p ?o }} WHERE {{ <{SESSION}> ?p ?o }}", f"DESCRIBE <{SESSION}>"):
        result = _wrapper(server, query, fmt, method).query().convert()
        if isinstance(result, rdflib.Graph):
            graph = result
        elif isinstance(result, bytes | str):
            text = result.decode() if isinstance(result, bytes) else result
            kind = "json-ld" if fmt in (JSONLD, JSON) else "turtle"
            graph = rdflib.Graph().parse(data=text, format=kind)
        else:
            graph = rdflib.Graph().parse(data=json.dumps(result), format="json-ld")
        assert (rdflib.URIRef(SESSION), rdflib.URIRef(ASP + "startDate"), None) in graph


def test_errors_reach_the_sparqlwrapper_user(server) -> None:
    cases = {
        "PREFIX x: <http://x/> SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }": "SERVICE",
        "SELECT * WHERE { ?s nope:p ?o }": "prefix nope: is not declared",
        "SELECT (<http://example.org/f>(1) AS ?x) {}": "unknown function <http://example.org/f>",
        "INSERT DATA { <http://a> <http://b> <http://c> }": "read-only",
    }
    for query, words in cases.items():
        with pytest.raises(QueryBadFormed) as e:
            _wrapper(server, query, JSON, "GET").query()
        assert words in str(e.value), str(e.value)
        assert len(str(e.value)) < 600  # short and specific, not a list of character ranges


def test_rdflib_sparqlstore_as_graph_and_as_dataset(server) -> None:
    graph = rdflib.Graph(store=SPARQLStore(server.endpoint))
    assert len(list(graph.query(PARTIES))) == 125
    dataset = rdflib.Dataset(store=SPARQLStore(server.endpoint))  # sends default-graph-uri=urn:x-rdflib:default
    assert len(list(dataset.query(PARTIES))) == 125
    post = rdflib.Graph(store=SPARQLStore(server.endpoint, method="POST_FORM", returnFormat="json"))
    assert post.query(f"ASK {{ <{SESSION}> ?p ?o }}").askAnswer is True


def test_an_unknown_graph_in_the_dataset_is_a_visible_error(server) -> None:
    r = httpx.get(server.endpoint, params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://example.org/nope"})
    assert r.status_code == 400 and "no graph <http://example.org/nope>" in r.json()["detail"]


def test_relative_iris_resolve_against_the_endpoint(server) -> None:
    r = httpx.get(server.endpoint, params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                  headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and f"<{server.base}/s>" in r.text


def test_pandas_reads_csv_straight_from_the_endpoint(server) -> None:
    url = str(httpx.URL(server.endpoint, params={"query": PARTIES, "format": "csv"}))
    frame = pd.read_csv(url)
    assert list(frame.columns) == ["state", "deposit"] and len(frame) == 125
    assert frame["state"].is_unique


def test_pyld_fetches_an_entity_by_url_with_its_default_loader(server) -> None:
    doc = jsonld.expand(f"{server.base}/id/session/20")  # pyld's requests loader, Link header and all
    node = next(n for n in doc if n["@id"] == SESSION)
    assert node[ASP + "startDate"][0]["@value"] == "2021-12-06"
    for suffix in ("ttl", "html"):  # other formats point to the JSON-LD document with one alternate link
        assert jsonld.expand(f"{server.base}/id/session/20.{suffix}")


def test_dumps_and_context_answer_head(server) -> None:
    for path in ("/dumps/dataset.nq", "/dumps/preferred.nt", "/context.jsonld"):
        r = httpx.head(server.base + path)
        assert r.status_code == 200 and int(r.headers["content-length"]) > 0, path


def test_local_iris_mode_lets_a_client_follow_links_on_this_server(local_server) -> None:
    doc = httpx.get(f"{local_server.base}/id/session/20", headers={"Accept": "application/ld+json"}).json()
    assert doc["id"] == f"{local_server.base}/id/session/20"
    venue = doc["venue"]["id"]
    assert venue.startswith(local_server.base + "/id/venue/")
    assert httpx.get(venue, headers={"Accept": "application/ld+json"}).status_code == 200  # one hop, locally


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="no node/npm here")
def test_jsonld_js_fetches_an_entity_by_url(server, tmp_path_factory) -> None:
    work = tmp_path_factory.mktemp("jsonld-js")
    _npm_install(work, "jsonld@9")
    script = work / "fetch.mjs"
    script.write_text(
        "import jsonld from 'jsonld';\n"
        "const doc = await jsonld.expand(process.argv[2]);\n"
        "process.stdout.write(JSON.stringify(doc));\n")
    run = subprocess.run(["node", str(script), f"{server.base}/id/session/20"], cwd=work, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    expanded = json.loads(run.stdout)
    assert any(n.get("@id") == SESSION and ASP + "startDate" in n for n in expanded)


def _npm_install(work: Path, *packages: str) -> None:
    (work / "package.json").write_text('{"name": "t", "version": "1.0.0", "private": true}')
    install = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", *packages], cwd=work,
                             capture_output=True, text=True, timeout=300)
    if install.returncode != 0:
        pytest.skip(f"{packages} could not be installed from npm here: {install.stderr[-300:]}")


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="no node/npm here")
def test_comunica_traverses_links_on_a_local_deployment(local_server, tmp_path_factory) -> None:
    """Link traversal with Comunica's defaults: the seat allocations are only in the regional group's
    document, so the answer needs one hop from the state's document, which works offline only because
    the served documents name this server (ASPKG_SERVE_LOCAL_IRIS)."""
    work = tmp_path_factory.mktemp("comunica")
    _npm_install(work, "@comunica/query-sparql-link-traversal")
    seed = f"{local_server.base}/id/state/UKR"
    script = work / "traverse.mjs"
    script.write_text(
        "import { QueryEngine } from '@comunica/query-sparql-link-traversal';\n"
        "const seed = process.argv[2];\n"
        "const query = `PREFIX asp: <https://w3id.org/asp-kg/ontology#>\n"
        "SELECT DISTINCT ?group ?seats WHERE { <${seed}> asp:regionalGroup ?group .\n"
        "  ?allocation asp:allocatedTo ?group ; asp:seatCount ?seats }`;\n"
        "const stream = await new QueryEngine().queryBindings(query, { sources: [seed], lenient: true });\n"
        "const rows = (await stream.toArray())\n"
        "  .map(b => ({group: b.get('group').value, seats: b.get('seats').value}));\n"
        "process.stdout.write(JSON.stringify(rows));\n")
    run = subprocess.run(["node", str(script), seed], cwd=work, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = json.loads(run.stdout)
    assert rows and all(r["group"] == f"{local_server.base}/id/regional-group/EEG" for r in rows)
    assert all(int(r["seats"]) > 0 for r in rows)


def test_canned_queries_take_parameters_and_answer_in_every_format(server) -> None:
    frame = pd.read_csv(f"{server.base}/queries/parties-on-date.csv?date=2024-02-01")
    before = pd.read_csv(f"{server.base}/queries/parties-on-date.csv?date=2024-01-31")
    assert len(frame) == len(before) + 1  # Armenia, in force on 1 February 2024
    assert set(frame["state"]) - set(before["state"]) == {"https://w3id.org/asp-kg/id/state/ARM"}
    by_accept = httpx.get(f"{server.base}/queries/party-on", params={"state": "UKR", "date": "2025-01-01"},
                          headers={"Accept": "application/sparql-results+json"}).json()
    assert by_accept["results"]["bindings"][0]["party"]["value"] == "true"
    graph = httpx.get(f"{server.base}/queries/describe-session.ttl", params={"session": "20"})
    assert graph.status_code == 200 and "2021-12-06" in graph.text
    bad = httpx.get(f"{server.base}/queries/party-on", params={"date": "2024-13-01"})
    assert bad.status_code == 400 and "date" in bad.json()["detail"]
    page = httpx.get(f"{server.base}/queries/parties-on-date", params={"date": "2024-02-01"},
                     headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'name="date"' in page.text and "Armenia" in page.text
    listed = httpx.get(f"{server.base}/openapi.json").json()["paths"]
    assert "/queries/parties-on-date" in listed
    assert [p["name"] for p in listed["/queries/parties-on-date"]["get"]["parameters"]][:1] == ["date"]
