"""The query page in headless Chromium: run an example, follow the results, share the URL."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest_sparql import sparql_data_dir, sparql_server  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = os.environ.get("ASPKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        context = browser.new_context()
        outside: list[str] = []
        context.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.outside_requests = outside
        yield pg
        browser.close()


def test_run_an_example_and_follow_an_entity_link(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint)
    assert "PREFIX asp:" in page.input_value("#query")
    examples = page.locator("#example-list a")
    assert examples.count() >= 15
    page.click("a[data-example=sessions]")
    page.wait_for_selector("#result-table tbody tr")
    assert page.locator("#result-table tbody tr").count() >= 23
    link = page.locator("#result-table tbody a").first
    assert link.get_attribute("href").startswith("/id/session/")
    assert "rows" in page.inner_text("#status")
    share = page.input_value("#share")
    assert "ORDER BY ?start" in parse_qs(urlparse(share).query)["query"][0]
    formats = {a.get_attribute("data-format") for a in page.locator("#downloads a").all()}
    assert formats == {"json", "xml", "csv", "tsv"}
    assert page.outside_requests == []  # nothing but our own server: works offline


def test_shared_url_runs_the_query_and_errors_are_shown(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint + "?query=" + "ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_selector("#boolean")
    assert page.inner_text("#boolean") == "true"
    page.fill(
        "#query",
        "PREFIX asp: <https://w3id.org/asp-kg/ontology#>\n"
        "CONSTRUCT WHERE { <https://w3id.org/asp-kg/id/session/22> ?p ?o }",
    )
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr")
    assert "triples" in page.inner_text("#status")
    formats = {a.get_attribute("data-format") for a in page.locator("#downloads a").all()}
    assert formats == {"turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads"}
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.focus("#query")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error")
    assert "syntax error" in page.inner_text("#error")
