"""``aspkg conflicts``: every decided conflict with its winner and rule, and every tie.

Read from the claim nodes of the built graph (the query is ``graph/queries/conflicts.rq``), so the
report is exactly what SPARQL users can query.
"""

from __future__ import annotations

import csv
import json
import sys
from itertools import groupby
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from graph.settings import Settings
from graph.store import Layout, NoGraphBuilt, open_read_only

CONFLICTS_QUERY = (Path(__file__).parent / "queries" / "conflicts.rq").read_text(encoding="utf-8")
FIELDS = ["subject", "label", "property", "value", "rank", "rule", "reason", "source", "tier", "rows"]
ID = "https://w3id.org/asp-kg/id/"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def conflicts(store: ox.Store, ties_only: bool = False) -> list[dict[str, str]]:
    rows = []
    for sol in cast(ox.QuerySolutions, store.query(CONFLICTS_QUERY)):
        label, tier = sol["subjectLabel"], sol["tier"]
        rows.append({
            "subject": sol["subject"].value, "label": label.value if label else "",
            "property": sol["property"].value, "value": sol["value"].value,
            "rank": _local(sol["rank"].value).removesuffix("Rank").lower(), "rule": _local(sol["rule"].value),
            "reason": sol["reason"].value, "source": sol["source"].value, "tier": tier.value if tier else "",
            "rows": sol["rows"].value if sol["rows"] else "",
        })
    if ties_only:
        rows = [r for r in rows if r["rule"] == "tie"]
    return rows


def print_conflicts(settings: Settings, fmt: str = "text", ties_only: bool = False) -> int:
    try:
        store = open_read_only(Layout(settings.data_dir))
    except NoGraphBuilt as exc:
        print(exc, file=sys.stderr)
        return 2
    rows = conflicts(store, ties_only)
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        facts = 0
        ties = 0
        for (subject, prop), group in groupby(rows, key=lambda r: (r["subject"], r["property"])):
            claims = list(group)
            facts += 1
            winner = next((c for c in claims if c["rank"] == "preferred"), None)
            ties += claims[0]["rule"] == "tie"
            head = claims[0]["label"] or subject.removeprefix(ID)
            outcome = f"-> {winner['value']}" if winner else f"-> no preferred value ({claims[0]['rule']})"
            print(f"\n{head}  ({subject.removeprefix(ID)})  {_local(prop)}  {outcome}  [{claims[0]['rule']}]")
            for c in claims:
                mark = {"preferred": "*", "normal": " ", "deprecated": "x"}[c["rank"]]
                print(f"  {mark} {c['value'][:40]:<40} tier {c['tier'] or '?'}  {_local(c['source'])}"
                      f"  {c['rows']}")
            print(f"    why: {(winner or claims[0])['reason']}")
        print(f"\n{facts} ranked facts ({ties} ties), {len(rows)} claims; "
              "* preferred, x deprecated by a curator")
    return 0
