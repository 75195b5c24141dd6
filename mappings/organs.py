"""Organs of the Assembly and of the Court, seat allocations, and who held which post or seat."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import RDF_TYPE, Emitter, asp, iri, org

TOP_LEVEL = {"assembly", "court"}


def agent(kind: object, key: object):
    return iri("person" if kind == "person" else "state", str(key))


def map_organs(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["organs"]):
        src, key = row.source, str(row["organ_id"])
        organ = iri("organ", key)
        out.entity(organ, "Organ", src, str(row["name"]), "name")
        out.add(organ, RDF_TYPE, org("FormalOrganization" if row["kind"] in TOP_LEVEL else "OrganizationalUnit"), src)
        out.fact(organ, asp("abbreviation"), row, "abbreviation")
        out.link(organ, asp("organKind"), row, "kind", "organ-kind")
        out.link(organ, org("subOrganizationOf"), row, "parent_id", "organ")
        out.fact(organ, asp("seatCount"), row, "seats")
        out.fact(organ, asp("termYears"), row, "term_years")
        out.fact(organ, asp("locatedIn"), row, "location_city")
        out.fact(organ, asp("note"), row, "note")
    for row in out.rows(tables["seat_allocations"]):
        src = row.source
        when = row["decided_at_session"] or (row["valid_from"] and str(row["valid_from"])) or "initial"
        node = iri("seat-allocation", f"{row['organ_id']}-{row['un_group']}-{when}")
        out.entity(node, "SeatAllocation", src,
                   f"{row['seats']} seats of {row['organ_id']} for {row['un_group']} (from {when})")
        out.link(node, asp("allocationOf"), row, "organ_id", "organ")
        out.link(node, asp("allocatedTo"), row, "un_group", "regional-group")
        out.fact(node, asp("seatCount"), row, "seats")
        out.fact(node, asp("previousSeatCount"), row, "previous_seats")
        out.fact(node, asp("validFrom"), row, "valid_from")
        out.link(node, asp("decidedAt"), row, "decided_at_session", "session")


def map_mandates(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["mandates"]):
        src = row.source
        start = row["start_date"]
        # undated mandates are told apart by the election that gave them
        when = start.isoformat() if start else f"elected-{row['election_id'] or 'unknown'}"  # type: ignore[attr-defined]
        key = f"{row['holder_id']}-{row['organ_id']}-{row['role']}-{when}"
        mandate = iri("mandate", key)
        holder = agent(row["holder_type"], row["holder_id"])
        out.entity(mandate, "Mandate", src, f"{row['holder_id']} as {row['role']} of {row['organ_id']}")
        out.add(mandate, org("member"), holder, src)
        out.link(mandate, org("organization"), row, "organ_id", "organ")
        out.link(mandate, org("role"), row, "role", "role")
        out.interval(mandate, row)
        out.link(mandate, asp("electedIn"), row, "election_id", "election")
        out.fact(mandate, asp("note"), row, "note")
