"""States, their UN regional group and their party status over time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pycountry

from mappings.load import Tables
from mappings.rdf import Emitter, asp, iri

ISO_SOURCE = "pycountry-iso3166"
ART126_SOURCE = "derived-rome-statute-art126"
FIRST_ENTRY_INTO_FORCE = date(2002, 7, 1)
FIRST_INSTRUMENTS = 60  # article 126(1): the Statute entered into force for these on 1 July 2002


def entry_into_force(deposit: date) -> date:
    """Article 126: the first day of the month after the 60th day following deposit (never before
    the Statute's own entry into force on 1 July 2002)."""
    day60 = deposit + timedelta(days=60)
    first_next = date(day60.year + (day60.month == 12), day60.month % 12 + 1, 1)
    return max(FIRST_ENTRY_INTO_FORCE, first_next)


def map_states(tables: Tables, out: Emitter) -> None:
    """What each source says of a state. The entry into force computed from the deposit date, and the
    party status (a membership from entry into force to withdrawal), are made after ranking from the
    preferred dates only (``graph.derive``)."""
    described: set[str] = set()
    for row in out.rows(tables["states"]):
        code, src = str(row["iso3"]), row.source
        state = iri("state", code)
        out.entity(state, "State", src, str(row["name"]) if row["name"] else None, "name")
        out.add(state, asp("isoAlpha3"), code, src)
        out.fact(state, asp("signatureDate"), row, "signature_date")
        out.link(state, asp("instrumentType"), row, "instrument", "instrument-type")
        out.fact(state, asp("instrumentDepositDate"), row, "deposit_date")
        out.fact(state, asp("entryIntoForceDate"), row, "entry_into_force")
        out.fact(state, asp("partyNumber"), row, "party_number")
        out.fact(state, asp("withdrawalNotificationDate"), row, "withdrawal_notified")
        out.fact(state, asp("withdrawalEffectiveDate"), row, "withdrawal_effective")
        out.fact(state, asp("note"), row, "note")
        described.add(code)
    for row in out.rows(tables["state_groups"]):
        state = iri("state", str(row["iso3"]))
        out.entity(state, "State", row.source)
        out.link(state, asp("regionalGroup"), row, "un_group", "regional-group")
        described.add(str(row["iso3"]))
    for code in sorted(described | referenced_states(tables)):
        iso_facts(out, code)


def iso_facts(out: Emitter, code: str) -> None:
    """Names and codes from pycountry, cited to it: never typed by hand."""
    country = pycountry.countries.get(alpha_3=code)
    assert country is not None, code  # codes were checked against pycountry when the tables were read
    state = iri("state", code)
    name = getattr(country, "common_name", None) or country.name
    out.entity(state, "State", ISO_SOURCE, name)
    out.add(state, asp("isoAlpha3"), country.alpha_3, ISO_SOURCE)
    out.add(state, asp("isoAlpha2"), country.alpha_2, ISO_SOURCE)
    out.add(state, asp("isoNumeric"), country.numeric, ISO_SOURCE)
    official = getattr(country, "official_name", None)
    if official and official != name:
        out.add(state, asp("officialName"), official, ISO_SOURCE)


def referenced_states(tables: Tables) -> set[str]:
    """Every state code used anywhere, so each state node has its ISO names."""
    codes: set[str] = set()
    for table, column in (("persons", "nationality_iso3"), ("candidates", "nominating_iso3"),
                          ("sessions", "country_iso3"), ("pledges", "donor_iso3"),
                          ("statements", "speaker_iso3")):
        codes |= tables.keys(table, column)
    for table, kind_col, id_col in (("candidates", "candidate_type", "candidate_id"),
                                    ("mandates", "holder_type", "holder_id")):
        codes |= {str(r[id_col]) for r in tables[table] if r[kind_col] == "state"}
    for row in tables["statements"]:
        codes |= set(cast(tuple[str, ...], row["on_behalf_of"] or ()))
    return codes
