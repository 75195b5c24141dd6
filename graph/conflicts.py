"""``aspkg conflicts``: every fact on which sources disagree, from the documented SPARQL query."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from graph.settings import Settings
from graph.store import Layout, NoGraphBuilt, open_read_only

CONFLICTS_QUERY = (Path(__file__).parent / "queries" / "conflicts.rq").read_text(encoding="utf-8")


def conflicts(store: ox.Store) -> list[dict[str, str]]:
    rows = []
    seen: dict[tuple[str, str, str], dict[str, str]] = {}
    for sol in cast(ox.QuerySolutions, store.query(CONFLICTS_QUERY)):
        key = (sol["subject"].value, sol["property"].value, str(sol["value"]))
        if key in seen:  # one value may carry several labels; keep the first
            continue
        label = sol["subjectLabel"]
        row = {"subject": key[0], "label": label.value if label else "", "property": key[1],
               "value": sol["value"].value, "sources": sol["sources"].value}
        seen[key] = row
        rows.append(row)
    return rows


def print_conflicts(settings: Settings, fmt: str = "text") -> int:
    try:
        store = open_read_only(Layout(settings.data_dir))
    except NoGraphBuilt as exc:
        print(exc, file=sys.stderr)
        return 2
    rows = conflicts(store)
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["subject", "label", "property", "value", "sources"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        current = None
        for row in rows:
            if (row["subject"], row["property"]) != current:
                current = (row["subject"], row["property"])
                print(f"\n{row['label'] or row['subject']}  ({row['subject']})\n  {row['property']}")
            print(f"    {row['value']:<28} per {row['sources'].replace('https://w3id.org/asp-kg/id/source/', '')}")
        subjects = {(r['subject'], r['property']) for r in rows}
        print(f"\n{len(subjects)} disputed facts, {len(rows)} competing claims")
    return 0
