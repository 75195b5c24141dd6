"""The query page's files: the vendored YASGUI bundle is the one recorded, licensed, and served by us.

No request of the page may leave the server (offline by design), the bundle is byte-for-byte what
``rebuild.py`` wrote (a hand edit would go unnoticed otherwise), and the big file goes out gzipped
and revalidates with its ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from conftest_sparql import sparql_data_dir, sparql_server  # noqa: F401

from api.sparql.assets import FILES

VENDOR = Path(__file__).resolve().parents[1] / "api" / "static" / "vendor" / "yasgui"


@pytest.fixture(scope="module")
def client(sparql_server):  # noqa: F811
    with httpx.Client(base_url=sparql_server.base, timeout=20) as c:
        yield c


def test_vendored_bundle_matches_its_record_and_carries_licences():
    record = json.loads((VENDOR / "VERSION.json").read_text())
    assert record["package"] == "@zazuko/yasgui" and re.fullmatch(r"\d+\.\d+\.\d+", record["version"])
    for name, digest in record["sha256"].items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"{name} differs from VERSION.json"
    licences = (VENDOR / "THIRD-PARTY-LICENSES.txt").read_text()
    for package in ("@zazuko/yasgui", "@zazuko/yasqe", "@zazuko/yasr", "codemirror", "datatables.net", "dompurify"):
        assert f"\n{package} " in licences, package
    assert "sourceMappingURL" not in (VENDOR / "yasgui.min.js").read_text()[-300:]  # maps are not vendored


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img") and a.get("src"):
            self.refs.append(a["src"])
        if tag == "link" and a.get("href"):
            self.refs.append(a["href"])


def test_page_loads_only_our_own_files_and_embeds_our_vocabulary(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    parser = _Refs()
    parser.feed(r.text)
    assert parser.refs and all(ref.startswith(("/", "data:")) for ref in parser.refs), parser.refs
    for ref in parser.refs:
        if ref.startswith("/"):
            assert client.get(ref).status_code == 200, ref
    config = json.loads(re.search(r'<script id="config" type="application/json">(.*?)</script>', r.text, re.S)[1])
    assert config["prefixes"]["asp"] == "https://w3id.org/asp-kg/ontology#"
    classes = {iri for iri, _ in config["terms"]["class"]}
    properties = {iri for iri, _ in config["terms"]["property"]}
    assert "https://w3id.org/asp-kg/ontology#RegularSession" in classes
    assert "https://w3id.org/asp-kg/ontology#startDate" in properties
    assert len(config["examples"]) >= 20


def test_assets_are_gzipped_cached_and_listed(client):
    plain = client.get("/sparql/assets/yasgui.min.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/javascript")
    assert "content-encoding" not in plain.headers
    raw = client.get("/sparql/assets/yasgui.min.js", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    assert len(raw.content) == len(plain.content)  # httpx decoded it: same bytes
    with httpx.stream("GET", str(client.base_url) + "/sparql/assets/yasgui.min.js",
                      headers={"Accept-Encoding": "gzip"}) as s:
        wire = b"".join(s.iter_raw())
    assert len(wire) < len(plain.content) / 2 and gzip.decompress(wire) == plain.content
    again = client.get("/sparql/assets/yasgui.min.js", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    for name in FILES:
        assert client.get(f"/sparql/assets/{name}").status_code == 200, name
    missing = client.get("/sparql/assets/yasgui.min.js.map")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
    assert client.get("/sparql/assets/..%2Fquery.py").status_code == 404
