"""The query page in headless Chromium: YASGUI's editor and result views, served offline by us.

What a researcher does on it: run an example and follow an entity link, share the URL, get
highlighting, completion of our prefixes, classes and properties and an error marker while typing,
page and sort a 20,000-row result, switch to a chart, and use it all on a phone.
"""

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
ASP = "PREFIX asp: <https://w3id.org/asp-kg/ontology#>\n"
DIGITS = "{0 1 2 3 4 5 6 7 8 9}"
TWENTY_THOUSAND = (
    f"SELECT ?n ?label WHERE {{ VALUES ?a {DIGITS} VALUES ?b {DIGITS} VALUES ?c {DIGITS} VALUES ?d {DIGITS} "
    "VALUES ?e { 1 0 } BIND(?e * 10000 + ?a * 1000 + ?b * 100 + ?c * 10 + ?d AS ?n) "
    'BIND(CONCAT("row ", STR(?n)) AS ?label) }'
)
ROWS = ".yasr table.dataTable tbody tr"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and any request leaving loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    local = ("http://127.0.0.1", "data:")
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.set_default_timeout(15_000)
    pg.outside_requests = outside
    pg.errors = errors
    yield pg
    context.close()


def _set_query(page, text: str, cursor_at_end: bool = True) -> None:
    page.evaluate("q => aspQueryPage.yasqe.setValue(q)", text)
    if cursor_at_end:
        page.evaluate("() => { const y = aspQueryPage.yasqe; y.focus(); y.setCursor({line: y.lastLine(), ch: 1e6}); }")


def _run_and_wait(page) -> str:
    page.evaluate("() => { document.getElementById('status').textContent = ''; }")
    page.click("#run")
    page.wait_for_function("/ ms$/.test(document.getElementById('status').textContent)", timeout=60_000)
    return page.inner_text("#status")


def _hints(page) -> list[str]:
    page.wait_for_selector(".CodeMirror-hints li")
    return page.locator(".CodeMirror-hints li").all_inner_texts()


def test_run_an_example_and_follow_an_entity_link(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint)
    assert "PREFIX asp:" in page.evaluate("aspQueryPage.yasqe.getValue()")
    assert page.locator("#example-list a").count() >= 20
    page.click("a[data-example=sessions]")
    page.wait_for_function("/ ms$/.test(document.getElementById('status').textContent)")
    assert "rows" in page.inner_text("#status")
    assert page.locator(ROWS).count() >= 23
    link = page.locator(ROWS + " a.iri").first
    assert link.get_attribute("href").startswith("/id/session/")
    assert link.inner_text().startswith("id:session/")  # prefixed, from our prefixes
    share = page.input_value("#share")
    assert "ORDER BY ?start" in parse_qs(urlparse(share).query)["query"][0]
    assert "ORDER BY ?start" in parse_qs(urlparse(page.url).query)["query"][0]  # the history entry
    formats = {a.get_attribute("data-format") for a in page.locator("#downloads a").all()}
    assert formats == {"json", "xml", "csv", "tsv"}
    if link.evaluate("a => a.closest('.expandable') !== null"):
        link.click()  # YASR's first click on a clipped cell shows it whole
    with page.context.expect_page() as opened:  # entity pages open beside the results
        link.click()
    entity = opened.value
    entity.wait_for_load_state()
    assert urlparse(entity.url).path.startswith("/id/session/")
    assert entity.locator("h1").count() == 1
    entity.close()
    assert page.locator("#recent-list li").count() >= 1  # kept in this browser
    assert page.outside_requests == []  # nothing but our own server: works offline
    assert page.errors == []


def test_shared_url_runs_the_query_and_errors_are_shown(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint + "?query=" + "ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_function("/ ms$/.test(document.getElementById('status').textContent)")
    assert page.inner_text("#status").startswith("ASK: true")
    _set_query(page, ASP + "CONSTRUCT WHERE { <https://w3id.org/asp-kg/id/session/22> ?p ?o }")
    assert "triples" in _run_and_wait(page)
    assert page.locator(ROWS).count() >= 3
    formats = {a.get_attribute("data-format") for a in page.locator("#downloads a").all()}
    assert formats == {"turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads"}
    _set_query(page, "SELECT * WHERE { ?s nope:p ?o }")
    assert _run_and_wait(page).startswith("error")
    assert "nope" in page.inner_text("#error")  # the server's own message, not a generic one


def test_highlighting_error_marker_and_completion(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint)
    _set_query(page, ASP + "SELECT ?s WHERE { ?s a asp:Session }")
    assert {"SELECT", "WHERE"} <= set(page.locator(".CodeMirror .cm-keyword").all_inner_texts())
    assert "?s" in page.locator(".CodeMirror .cm-atom, .CodeMirror .cm-variable-2").all_inner_texts() or \
        page.locator(".CodeMirror span[class*=cm-]", has_text="?s").count() > 0
    assert page.locator(".parseErrorIcon").count() == 0
    _set_query(page, "SELECT * WHERE { ?s ?p }")
    page.wait_for_selector(".parseErrorIcon")  # the gutter marks the broken line while typing

    _set_query(page, ASP + "SELECT * WHERE {\n  ?s a asp:RegularSe")
    page.keyboard.type("s")
    assert any(h.startswith("asp:RegularSession") for h in _hints(page))  # a class the graph uses
    page.keyboard.press("Escape")

    _set_query(page, ASP + "SELECT * WHERE {\n  ?s asp:startD")
    page.keyboard.type("a")
    hints = _hints(page)
    assert any(h.startswith("asp:startDate") for h in hints)
    page.keyboard.press("Enter")
    assert "?s asp:startDate" in page.evaluate("aspQueryPage.yasqe.getValue()")

    _set_query(page, "SELECT * WHERE {\n  ?s a ")
    page.keyboard.type("asp:")  # an undeclared prefix of ours is declared for you
    page.wait_for_function("aspQueryPage.yasqe.getValue().includes('PREFIX asp: <https://w3id.org/asp-kg/ontology#>')")
    assert page.outside_requests == []  # completion never asks LOV or prefix.cc
    assert page.errors == []


def test_twenty_thousand_rows_are_paged_and_sortable(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint)
    _set_query(page, TWENTY_THOUSAND, cursor_at_end=False)
    assert _run_and_wait(page).startswith("20,000 rows")
    assert page.locator(ROWS).count() == 50  # one page in the document, not 20,000 rows
    assert "of 20,000 entries" in page.inner_text(".yasr .dt-info")
    first = page.locator(ROWS).first.inner_text()
    page.locator(".yasr .dt-paging-button.next").click()
    assert page.locator(ROWS).first.inner_text() != first
    header = page.locator(".yasr table.dataTable thead th", has_text="n").first
    header.click()
    page.wait_for_function("document.querySelector('.yasr thead th.dt-ordering-asc') !== null")
    values = [int(cell.split('"')[1]) for cell in page.locator(ROWS + " td:nth-child(2)").all_inner_texts()]
    assert values == sorted(values) and values[0] == 0  # numeric order, not text order
    header.click()
    page.wait_for_function("document.querySelector('.yasr thead th.dt-ordering-desc') !== null")
    top = page.locator(ROWS + " td:nth-child(2)").first.inner_text()
    assert '"19999"' in top
    assert page.errors == []


def test_chart_view_draws_numbers_and_dates(page, sparql_server):  # noqa: F811
    page.goto(sparql_server.endpoint)
    page.click("a[data-example=sessions]")
    page.wait_for_function("/ ms$/.test(document.getElementById('status').textContent)")
    page.locator(".yasr .select_chart").click()
    page.wait_for_selector("svg.yasr-chart")
    assert page.input_value(".chart-controls select[data-role=type]") == "timeline"  # start and end dates
    assert page.locator("svg.yasr-chart .chart-span").count() >= 23
    box = page.locator("svg.yasr-chart").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    _set_query(page, "SELECT ?label ?value WHERE { VALUES (?label ?value) { (\"a\" 3) (\"b\" 7) (\"c\" 5) } }")
    _run_and_wait(page)
    assert page.input_value(".chart-controls select[data-role=type]") == "bar"
    widths = [float(w) for w in page.locator("svg.yasr-chart .chart-bar rect").evaluate_all(
        "rs => rs.map(r => r.getAttribute('width'))")]
    assert len(widths) == 3 and widths[1] > widths[2] > widths[0]  # 7 > 5 > 3
    _set_query(page, "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
               "SELECT ?day ?amount WHERE { VALUES (?day ?amount) { "
               '("2003-01-01"^^xsd:date 3.5) ("2001-06-30"^^xsd:date 7) ("2002-01-01"^^xsd:date 5.25) } }')
    _run_and_wait(page)
    assert page.input_value(".chart-controls select[data-role=type]") == "line"  # an amount over time
    points = page.locator("svg.yasr-chart polyline").get_attribute("points").split()
    xs = [float(p.split(",")[0]) for p in points]
    assert len(xs) == 3 and xs == sorted(xs)  # in date order, whatever the row order
    assert "2002" in page.locator("svg.yasr-chart .chart-tick").all_text_contents()
    assert page.errors == []


def test_phone_width_has_no_sideways_scroll(browser, sparql_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(sparql_server.endpoint)
    for example in ("judges-elected", "sessions"):
        pg.click(f"a[data-example={example}]")
        pg.wait_for_function("/ ms$/.test(document.getElementById('status').textContent)")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375, example
    pg.locator(".yasr .select_chart").click()
    pg.wait_for_selector("svg.yasr-chart")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
