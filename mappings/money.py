"""Budget figures per year and pledges, as exact decimals with their currency."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import Emitter, asp, iri

XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"


def map_money(tables: Tables, out: Emitter) -> None:
    from pyoxigraph import Literal, NamedNode

    for row in out.rows(tables["budgets"]):
        src = row.source
        node = iri("budget", f"{row['year']}/{row['kind']}")
        out.entity(node, "BudgetFigure", src, f"{row['year']} {str(row['kind']).replace('-', ' ')} budget figure")
        out.add(node, asp("budgetYear"), Literal(str(row["year"]), datatype=NamedNode(XSD_GYEAR)), src)
        out.link(node, asp("budgetKind"), row, "kind", "budget-kind")
        out.fact(node, asp("amount"), row, "amount")
        out.fact(node, asp("currency"), row, "currency")
        out.link(node, asp("decidedAt"), row, "session_id", "session")
        out.link(node, asp("resolution"), row, "resolution_symbol", "resolution")
        out.fact(node, asp("note"), row, "note")
    for row in out.rows(tables["pledges"]):
        src = row.source
        node = iri("pledge", str(row["pledge_id"]))
        out.entity(node, "Pledge", src, f"pledge of {row['amount']} {row['currency']} by {row['donor_iso3']}")
        out.link(node, asp("donor"), row, "donor_iso3", "state")
        out.link(node, asp("recipient"), row, "recipient_organ_id", "organ")
        out.fact(node, asp("amount"), row, "amount")
        out.fact(node, asp("currency"), row, "currency")
        out.fact(node, asp("periodYears"), row, "period_years")
        out.link(node, asp("decidedAt"), row, "session_id", "session")
