"""Resolutions as legal resources, and the amendments to the basic texts they adopt."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import RDF_TYPE, Emitter, asp, iri

ELI_LEGAL_RESOURCE = "http://data.europa.eu/eli/ontology#LegalResource"


def map_resolutions(tables: Tables, out: Emitter) -> None:
    from pyoxigraph import NamedNode

    for row in tables["resolutions"]:
        src, symbol = row.source, str(row["symbol"])
        res = iri("resolution", symbol)
        out.entity(res, "Resolution", src, f"{symbol}" + (f": {row['short_name']}" if row["short_name"] else ""))
        out.add(res, RDF_TYPE, NamedNode(ELI_LEGAL_RESOURCE), src)
        out.add(res, asp("symbol"), symbol, src)
        out.add(res, asp("title"), row["title"], src)
        out.add(res, asp("shortName"), row["short_name"], src)
        if row["session_id"]:
            out.add(res, asp("adoptedAt"), iri("session", str(row["session_id"])), src)
        out.add(res, asp("adoptionDate"), row["adoption_date"], src)
        if row["adoption_method"]:
            out.add(res, asp("adoptionMethod"), iri("adoption-method", str(row["adoption_method"])), src)
        out.add(res, asp("topic"), row["topic"], src)
    for row in tables["amendments"]:
        src = row.source
        node = iri("amendment", str(row["amendment_id"]))
        where = f"{row['provision']} of the " if row["provision"] else ""
        out.entity(node, "Amendment", src, f"amendment to {where}{str(row['instrument']).replace('-', ' ')}")
        out.add(node, asp("amends"), iri("legal-instrument", str(row["instrument"])), src)
        out.add(node, asp("provision"), row["provision"], src)
        out.add(node, asp("subject"), row["subject"], src)
        out.add(node, asp("adoptionDate"), row["adoption_date"], src)
        out.add(node, asp("entryIntoForceDate"), row["entry_into_force"], src)
        if row["resolution_symbol"]:
            res = iri("resolution", str(row["resolution_symbol"]))
            out.add(node, asp("adoptedBy"), res, src)
            out.add(res, asp("adoptsAmendment"), node, src)
