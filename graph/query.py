"""``aspkg query``: run SPARQL on the built graph from the shell, for scripts and quick checks."""

from __future__ import annotations

import sys

import pyoxigraph as ox

from graph.namespaces import sparql_prologue
from graph.settings import Settings
from graph.store import Layout, NoGraphBuilt, open_read_only

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS}


def run_cli_query(settings: Settings, text: str, fmt: str = "table") -> int:
    try:
        store = open_read_only(Layout(settings.data_dir))
    except NoGraphBuilt as exc:
        print(exc, file=sys.stderr)
        return 2
    query = text if "PREFIX" in text.upper() else sparql_prologue() + text
    try:
        result = store.query(query)
    except SyntaxError as exc:
        print(f"syntax error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false")
    elif isinstance(result, ox.QuerySolutions):
        if fmt in RESULT_FORMATS:
            out.write(result.serialize(format=RESULT_FORMATS[fmt]) or b"")
        else:
            _table(result)
    else:
        rdf = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        out.write(result.serialize(format=rdf) or b"")
    return 0


def _table(solutions: ox.QuerySolutions) -> None:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(sol[n]) for n in names] for sol in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"({len(rows)} rows)", file=sys.stderr)


def _cell(term: object) -> str:
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else str(term)
