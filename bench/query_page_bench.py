"""Query page: time from running a query to a drawn, paged result table, in headless Chromium.

Runs a query of N rows (default 20,000) on the query page several times with our table (only the
visible page is rendered as HTML) and with YASR's stock table (the baseline: every cell rendered and
sanitised at start-up for type detection and column widths), in one run, and prints the medians and
their ratio. Needs Chromium and Playwright (the test extras).

    python bench/query_page_bench.py [--data-dir var] [--rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest_sparql import start_server, stop_server  # noqa: E402 - the tests' own server

DIGITS = "{0 1 2 3 4 5 6 7 8 9}"


def rows_query(n: int) -> str:
    """N rows from VALUES blocks (no data needed): n must be a multiple of 10,000 or below it."""
    blocks = " ".join(f"VALUES ?d{i} {DIGITS}" for i in range(4))
    extra = max(1, n // 10_000)
    return (
        f"SELECT ?n ?label WHERE {{ {blocks} VALUES ?e {{ {' '.join(map(str, range(extra)))} }} "
        "BIND(?e * 10000 + ?d0 * 1000 + ?d1 * 100 + ?d2 * 10 + ?d3 AS ?n) "
        f'BIND(CONCAT("row ", STR(?n)) AS ?label) FILTER(?n < {n}) }}'
    )


TIMED = """async ([query, stock]) => {
  const page = window.aspQueryPage;
  if (stock) { page.useStockTable(); }
  page.yasqe.setValue(query);
  const start = performance.now();
  let fetched = 0;
  page.yasqe.on('queryResponse', () => { if (!fetched) { fetched = performance.now() - start; } });
  await page.yasqe.query();
  await new Promise(r => setTimeout(r, 0));
  const rows = document.querySelectorAll('.yasr table.dataTable tbody tr').length;
  return {total: performance.now() - start, fetched, rows};
}"""


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", default=str(REPO / "var"))
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    a = p.parse_args()
    from playwright.sync_api import sync_playwright

    server = start_server(Path(a.data_dir), timeout=30.0, workers=2)
    results: dict[str, list[dict]] = {"ours": [], "stock": []}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=a.chromium, args=["--headless", "--no-sandbox"])
            for _ in range(a.repeat):
                for kind in ("stock", "ours"):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(server.endpoint)
                    results[kind].append(page.evaluate(TIMED, [rows_query(a.rows), kind == "stock"]))
                    page.close()
            browser.close()
    finally:
        stop_server(server)
    print(f"{a.rows:,} rows, median of {a.repeat} runs")
    print(f"{'table':<8}{'response ms':>13}{'drawn ms':>10}{'rows in DOM':>13}")
    med = {}
    for kind, runs in results.items():
        med[kind] = statistics.median(r["total"] for r in runs)
        fetched = statistics.median(r["fetched"] for r in runs)
        print(f"{kind:<8}{fetched:>13.0f}{med[kind]:>10.0f}{runs[-1]['rows']:>13}")
    print(f"ours / stock: {med['ours'] / med['stock']:.3f}x")


if __name__ == "__main__":
    main()
