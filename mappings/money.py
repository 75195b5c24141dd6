"""Budget figures per year and pledges, as exact decimals with their currency."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import Emitter, asp, iri, literal

XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"


def map_money(tables: Tables, out: Emitter) -> None:
    from pyoxigraph import Literal, NamedNode

    for row in tables["budgets"]:
        src = row.source
        node = iri("budget", f"{row['year']}/{row['kind']}")
        out.entity(node, "BudgetFigure", src, f"{row['year']} {str(row['kind']).replace('-', ' ')} budget figure")
        out.add(node, asp("budgetYear"), Literal(str(row["year"]), datatype=NamedNode(XSD_GYEAR)), src)
        out.add(node, asp("budgetKind"), iri("budget-kind", str(row["kind"])), src)
        out.add(node, asp("amount"), literal(row["amount"]), src)
        out.add(node, asp("currency"), row["currency"], src)
        if row["session_id"]:
            out.add(node, asp("decidedAt"), iri("session", str(row["session_id"])), src)
        if row["resolution_symbol"]:
            out.add(node, asp("resolution"), iri("resolution", str(row["resolution_symbol"])), src)
        out.add(node, asp("note"), row["note"], src)
    for row in tables["pledges"]:
        src = row.source
        node = iri("pledge", str(row["pledge_id"]))
        out.entity(node, "Pledge", src, f"pledge of {row['amount']} {row['currency']} by {row['donor_iso3']}")
        out.add(node, asp("donor"), iri("state", str(row["donor_iso3"])), src)
        if row["recipient_organ_id"]:
            out.add(node, asp("recipient"), iri("organ", str(row["recipient_organ_id"])), src)
        out.add(node, asp("amount"), literal(row["amount"]), src)
        out.add(node, asp("currency"), row["currency"], src)
        out.add(node, asp("periodYears"), row["period_years"], src)
        if row["session_id"]:
            out.add(node, asp("decidedAt"), iri("session", str(row["session_id"])), src)
