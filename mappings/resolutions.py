"""Resolutions as legal resources, and the amendments to the basic texts they adopt."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import RDF_TYPE, Emitter, asp, iri

ELI_LEGAL_RESOURCE = "http://data.europa.eu/eli/ontology#LegalResource"


def map_resolutions(tables: Tables, out: Emitter) -> None:
    from pyoxigraph import NamedNode

    for row in out.rows(tables["resolutions"]):
        src, symbol = row.source, str(row["symbol"])
        res = iri("resolution", symbol)
        out.entity(res, "Resolution", src, f"{symbol}" + (f": {row['short_name']}" if row["short_name"] else ""))
        out.add(res, RDF_TYPE, NamedNode(ELI_LEGAL_RESOURCE), src)
        out.add(res, asp("symbol"), symbol, src)
        out.fact(res, asp("title"), row, "title")
        out.fact(res, asp("shortName"), row, "short_name")
        out.link(res, asp("adoptedAt"), row, "session_id", "session")
        out.fact(res, asp("adoptionDate"), row, "adoption_date")
        out.link(res, asp("adoptionMethod"), row, "adoption_method", "adoption-method")
        out.fact(res, asp("topic"), row, "topic")
        out.fact(res, asp("plenaryMeeting"), row, "meeting")
    for row in out.rows(tables["amendments"]):
        src = row.source
        node = iri("amendment", str(row["amendment_id"]))
        where = f"{row['provision']} of the " if row["provision"] else ""
        out.entity(node, "Amendment", src, f"amendment to {where}{str(row['instrument']).replace('-', ' ')}")
        out.link(node, asp("amends"), row, "instrument", "legal-instrument")
        out.fact(node, asp("provision"), row, "provision")
        out.fact(node, asp("subject"), row, "subject")
        out.fact(node, asp("adoptionDate"), row, "adoption_date")
        out.fact(node, asp("entryIntoForceDate"), row, "entry_into_force")
        if row["resolution_symbol"]:
            res = iri("resolution", str(row["resolution_symbol"]))
            out.add(node, asp("adoptedBy"), res, src)
            out.add(res, asp("adoptsAmendment"), node, src)
