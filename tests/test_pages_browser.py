"""The pages in a real headless Chromium: they render, their links resolve, the console stays clean."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx
import pytest
import uvicorn
from conftest_sparql import free_port
from ld_fixtures import build_fixture

from api.app import create_app
from graph.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    "/",
    "/states",
    "/states?group=GRULAC&page_size=1",
    "/sessions",
    "/organs",
    "/elections",
    "/resolutions?session=22",
    "/persons",
    "/id/session/22",
    "/id/state/BDI",
    "/id/state/ARM",
    "/id/election/2023-judges",
    "/id/resolution/ICC-ASP/22/Res.3",
    "/id/organ/assembly",
    "/id/regional-group/GRULAC",
    "/id/source/cicc-asp22",
    "/id/election/2023-judges/round/1",
    "/shapes",
    "/dumps",
]



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    layout = build_fixture(tmp_path_factory.mktemp("browser"))
    layout.docs().mkdir(parents=True, exist_ok=True)  # what the build's pyLODE step writes
    (layout.docs() / "ontology.html").write_text(
        "<!doctype html><title>ASP ontology</title><h1>Ontology</h1>"
    )
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings.from_env(data_dir=layout.root)), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_pages_render_without_console_errors(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    links: set[str] = set()
    for path in PAGES:
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() >= 1, path
        assert "ASP Knowledge Graph" in page.title()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urljoin(server + path, href)
            if urlparse(url).netloc == urlparse(server).netloc:
                links.add(url.split("#", 1)[0])
    page.close()
    assert not errors, errors
    broken = []
    with httpx.Client(timeout=30, follow_redirects=True) as client:
        for url in sorted(links):
            r = client.get(url, headers={"Accept": "text/html"})
            if r.status_code != 200:
                broken.append((url, r.status_code))
    assert not broken, broken


def test_charts_are_drawn(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    assert page.locator("svg.chart").count() == 3
    box = page.locator("svg.chart").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    page.goto(server + "/id/election/2023-judges")
    assert page.locator("svg.chart polyline").count() >= 2
    page.close()


def test_entity_page_layout(server, browser):
    page = browser.new_page()
    page.goto(server + "/id/session/22")
    assert page.locator("h1").inner_text() == "22nd session of the Assembly"
    assert page.locator(".conflicts .claim").count() == 2
    page.locator("a", has_text="ttl").first.click()
    assert page.url.endswith("/id/session/22.ttl")
    page.close()
