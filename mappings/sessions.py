"""Sessions with their dates and venues, and what happened at them: participation, statements."""

from __future__ import annotations

from typing import cast

from mappings.load import Row, Tables
from mappings.rdf import Emitter, asp, iri, ordinal, slug

KIND_CLASS = {"regular": "RegularSession", "resumed": "ResumedSession", "special": "SpecialSession",
              "review-conference": "ReviewConference"}
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def session_label(row: Row) -> str:
    key, kind = str(row["session_id"]), row["kind"]
    if kind == "regular":
        return f"{ordinal(int(key))} session of the Assembly of States Parties"
    if kind == "resumed":
        parent, _, n = key.partition("-r")
        return f"{ORDINAL_WORDS.get(int(n), ordinal(int(n)))} resumption of the {ordinal(int(parent))} session"
    if kind == "review-conference":
        return f"Review Conference of the Rome Statute ({key[3:]})"
    year, month = key.split("-")[1:3]
    return f"special session of the Assembly of States Parties ({year}-{month})"


def map_sessions(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["sessions"]):
        key, src = str(row["session_id"]), row.source
        session = iri("session", key)
        out.entity(session, KIND_CLASS[str(row["kind"])], src, session_label(row))
        out.add(session, asp("heldBy"), iri("organ", "assembly"), src)
        number = row["number"]
        if number is None and key.split("-r")[0].isdigit():
            number = int(key.split("-r")[0])
        out.add(session, asp("sessionNumber"), number, src, "number")
        out.fact(session, asp("statedOrdinal"), row, "stated_ordinal")
        out.fact(session, asp("startDate"), row, "start_date")
        out.fact(session, asp("endDate"), row, "end_date")
        out.fact(session, asp("note"), row, "note")
        parent = row["parent_session"] or (key.split("-r")[0] if "-r" in key else None)
        if parent:
            out.add(session, asp("resumptionOf"), iri("session", str(parent)), src)
            if "-r" in key:
                out.add(session, asp("resumptionNumber"), int(key.split("-r")[1]), src)
        if row["venue"] or row["city"]:
            venue = iri("venue", slug(" ".join(str(v) for v in (row["venue"], row["city"]) if v)))
            out.add(session, asp("venue"), venue, src, "venue")
            out.entity(venue, "Venue", src, ", ".join(str(v) for v in (row["venue"], row["city"]) if v))
            out.fact(venue, asp("city"), row, "city")
            out.link(venue, asp("country"), row, "country_iso3", "state")


def map_participation(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["participation"]):
        src = row.source
        node = iri("participation", f"{row['session_id']}-{row['kind']}")
        out.entity(node, "Participation", src, f"{row['kind']} at session {row['session_id']}".replace("-", " "))
        out.link(node, asp("session"), row, "session_id", "session")
        out.link(node, asp("participantKind"), row, "kind", "participant-kind")
        out.fact(node, asp("participantCount"), row, "count")
        out.fact(node, asp("countQualifier"), row, "qualifier")


def map_statements(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["statements"]):
        src = row.source
        node = iri("statement", str(row["statement_id"]))
        speaker = row["speaker_name"] or row["speaker_iso3"] or row["speaker_org"] or "unnamed speaker"
        out.entity(node, "Statement", src, f"Statement by {speaker}" + (f" ({row['topic']})" if row["topic"] else ""))
        out.link(node, asp("session"), row, "session_id", "session")
        out.fact(node, asp("date"), row, "date")
        out.link(node, asp("speaker"), row, "speaker_iso3", "state")
        out.fact(node, asp("speakerName"), row, "speaker_name")
        out.fact(node, asp("speakerOrganization"), row, "speaker_org")
        for code in cast(tuple[str, ...], row["on_behalf_of"] or ()):
            out.add(node, asp("onBehalfOf"), iri("state", code), src)
        out.fact(node, asp("topic"), row, "topic")
