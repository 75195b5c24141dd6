"""Organs of the Assembly and of the Court, seat allocations, and who held which post or seat."""

from __future__ import annotations

from mappings.load import Tables
from mappings.rdf import RDF_TYPE, Emitter, asp, iri, org

TOP_LEVEL = {"assembly", "court"}


def agent(kind: object, key: object):
    return iri("person" if kind == "person" else "state", str(key))


def map_organs(tables: Tables, out: Emitter) -> None:
    for row in tables["organs"]:
        src, key = row.source, str(row["organ_id"])
        organ = iri("organ", key)
        out.entity(organ, "Organ", src, str(row["name"]))
        out.add(organ, RDF_TYPE, org("FormalOrganization" if row["kind"] in TOP_LEVEL else "OrganizationalUnit"), src)
        out.add(organ, asp("abbreviation"), row["abbreviation"], src)
        out.add(organ, asp("organKind"), iri("organ-kind", str(row["kind"])), src)
        if row["parent_id"]:
            out.add(organ, org("subOrganizationOf"), iri("organ", str(row["parent_id"])), src)
        out.add(organ, asp("seatCount"), row["seats"], src)
        out.add(organ, asp("termYears"), row["term_years"], src)
        out.add(organ, asp("locatedIn"), row["location_city"], src)
        out.add(organ, asp("note"), row["note"], src)
    for row in tables["seat_allocations"]:
        src = row.source
        when = row["decided_at_session"] or (row["valid_from"] and str(row["valid_from"])) or "initial"
        node = iri("seat-allocation", f"{row['organ_id']}-{row['un_group']}-{when}")
        out.entity(node, "SeatAllocation", src,
                   f"{row['seats']} seats of {row['organ_id']} for {row['un_group']} (from {when})")
        out.add(node, asp("allocationOf"), iri("organ", str(row["organ_id"])), src)
        out.add(node, asp("allocatedTo"), iri("regional-group", str(row["un_group"])), src)
        out.add(node, asp("seatCount"), row["seats"], src)
        out.add(node, asp("previousSeatCount"), row["previous_seats"], src)
        out.add(node, asp("validFrom"), row["valid_from"], src)
        if row["decided_at_session"]:
            out.add(node, asp("decidedAt"), iri("session", str(row["decided_at_session"])), src)


def map_mandates(tables: Tables, out: Emitter) -> None:
    for row in tables["mandates"]:
        src = row.source
        start = row["start_date"]
        # undated mandates are told apart by the election that gave them
        when = start.isoformat() if start else f"elected-{row['election_id'] or 'unknown'}"  # type: ignore[attr-defined]
        key = f"{row['holder_id']}-{row['organ_id']}-{row['role']}-{when}"
        mandate = iri("mandate", key)
        holder = agent(row["holder_type"], row["holder_id"])
        out.entity(mandate, "Mandate", src, f"{row['holder_id']} as {row['role']} of {row['organ_id']}")
        out.add(mandate, org("member"), holder, src)
        out.add(mandate, org("organization"), iri("organ", str(row["organ_id"])), src)
        out.add(mandate, org("role"), iri("role", str(row["role"])), src)
        out.interval(mandate, start, row["end_date"], src)  # type: ignore[arg-type]
        if row["election_id"]:
            out.add(mandate, asp("electedIn"), iri("election", str(row["election_id"])), src)
        out.add(mandate, asp("note"), row["note"], src)
