"""States, their UN regional group and their party status over time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pycountry

from mappings.load import Tables
from mappings.rdf import PROV_DERIVED, Emitter, asp, iri, org, source_graph

ISO_SOURCE = "pycountry-iso3166"
ART126_SOURCE = "derived-rome-statute-art126"
FIRST_ENTRY_INTO_FORCE = date(2002, 7, 1)


def entry_into_force(deposit: date) -> date:
    """Article 126: the first day of the month after the 60th day following deposit (never before
    the Statute's own entry into force on 1 July 2002)."""
    day60 = deposit + timedelta(days=60)
    first_next = date(day60.year + (day60.month == 12), day60.month % 12 + 1, 1)
    return max(FIRST_ENTRY_INTO_FORCE, first_next)


def map_states(tables: Tables, out: Emitter) -> None:
    described: set[str] = set()
    for row in tables["states"]:
        code, src = str(row["iso3"]), row.source
        state = iri("state", code)
        out.entity(state, "State", src, str(row["name"]) if row["name"] else None)
        out.add(state, asp("isoAlpha3"), code, src)
        out.add(state, asp("signatureDate"), row["signature_date"], src)
        if row["instrument"]:
            out.add(state, asp("instrumentType"), iri("instrument-type", str(row["instrument"])), src)
        out.add(state, asp("instrumentDepositDate"), row["deposit_date"], src)
        out.add(state, asp("entryIntoForceDate"), row["entry_into_force"], src)
        out.add(state, asp("partyNumber"), row["party_number"], src)
        out.add(state, asp("withdrawalNotificationDate"), row["withdrawal_notified"], src)
        out.add(state, asp("withdrawalEffectiveDate"), row["withdrawal_effective"], src)
        out.add(state, asp("note"), row["note"], src)
        if row["entry_into_force"]:
            _party_status(out, code, row["entry_into_force"], row["withdrawal_effective"], src)
        described.add(code)
    _derive_entry_into_force(tables, out)
    for row in tables["state_groups"]:
        state = iri("state", str(row["iso3"]))
        out.entity(state, "State", row.source)
        out.add(state, asp("regionalGroup"), iri("regional-group", str(row["un_group"])), row.source)
        described.add(str(row["iso3"]))
    for code in sorted(described | referenced_states(tables)):
        iso_facts(out, code)


def _derive_entry_into_force(tables: Tables, out: Emitter) -> None:
    """Entry into force computed from each cited deposit date, in a graph of its own.

    The computed date cites the deposit's source too, so a stated date that differs from the
    computed one shows up in the conflict report instead of being silently replaced.
    """
    ended = {str(r["iso3"]): r["withdrawal_effective"] for r in tables["states"] if r["withdrawal_effective"]}
    for row in tables["states"]:
        deposit = row["deposit_date"]
        if deposit is None:
            continue
        code = str(row["iso3"])
        start = entry_into_force(deposit)  # type: ignore[arg-type]
        out.add(iri("state", code), asp("entryIntoForceDate"), start, ART126_SOURCE)
        _party_status(out, code, start, ended.get(code), ART126_SOURCE)
        out.add(iri("membership", f"{code}-party"), PROV_DERIVED, source_graph(row.source), ART126_SOURCE)


def _party_status(out: Emitter, code: str, start: object, end: object, src: str) -> None:
    membership = iri("membership", f"{code}-party")
    state = iri("state", code)
    out.entity(membership, "StatePartyMembership", src, f"{code} as a State Party to the Rome Statute")
    out.add(state, asp("partyStatus"), membership, src)
    out.add(membership, asp("partyState"), state, src)
    out.add(membership, org("member"), state, src)
    out.add(membership, org("organization"), iri("organ", "assembly"), src)
    out.add(membership, org("role"), iri("role", "state-party"), src)
    out.interval(membership, start, end, src)  # type: ignore[arg-type]


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
