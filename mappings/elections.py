"""Persons, elections, candidacies, voting rounds and the votes each candidate received."""

from __future__ import annotations

from mappings.load import Tables
from mappings.organs import agent
from mappings.rdf import Emitter, asp, iri

FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
KIND_LABEL = {
    "judges": "election of judges", "prosecutor": "election of the Prosecutor",
    "deputy-prosecutor": "election of the Deputy Prosecutor", "asp-president": "election of the Assembly President",
    "asp-vice-president": "election of the Assembly Vice-Presidents", "bureau": "election of the Bureau",
    "cbf": "election of members of the Committee on Budget and Finance",
}


def map_persons(tables: Tables, out: Emitter) -> None:
    from pyoxigraph import NamedNode

    for row in tables["persons"]:
        src = row.source
        person = iri("person", str(row["person_id"]))
        out.entity(person, "Person", src, str(row["name"]))
        out.add(person, NamedNode(FOAF_NAME), row["name"], src)
        if row["nationality_iso3"]:
            out.add(person, asp("nationality"), iri("state", str(row["nationality_iso3"])), src)


def map_elections(tables: Tables, out: Emitter) -> None:
    for row in tables["elections"]:
        src, key = row.source, str(row["election_id"])
        election = iri("election", key)
        year = key[:4]
        out.entity(election, "Election", src, f"{year} {KIND_LABEL.get(str(row['kind']), str(row['kind']))}")
        out.add(election, asp("electionKind"), iri("election-kind", str(row["kind"])), src)
        if row["organ_id"]:
            out.add(election, asp("electionFor"), iri("organ", str(row["organ_id"])), src)
        if row["session_id"]:
            out.add(election, asp("session"), iri("session", str(row["session_id"])), src)
        out.add(election, asp("date"), row["date"], src)
        out.add(election, asp("endDate"), row["end_date"], src)
        out.add(election, asp("seatsToFill"), row["seats"], src)
        if row["method"]:
            out.add(election, asp("electionMethod"), iri("election-method", str(row["method"])), src)
        out.add(election, asp("roundCount"), row["rounds"], src)
        out.add(election, asp("requiredMajority"), row["required_majority"], src)
        out.add(election, asp("note"), row["note"], src)
    for row in tables["candidates"]:
        src = row.source
        election = iri("election", str(row["election_id"]))
        candidate = agent(row["candidate_type"], row["candidate_id"])
        candidacy = iri("election", f"{row['election_id']}/candidacy/{row['candidate_id']}")
        out.entity(candidacy, "Candidacy", src, f"{row['candidate_id']} in the {row['election_id']} election")
        out.add(candidacy, asp("candidacyIn"), election, src)
        out.add(candidacy, asp("candidate"), candidate, src)
        if row["nominating_iso3"]:
            out.add(candidacy, asp("nominatedBy"), iri("state", str(row["nominating_iso3"])), src)
        out.add(candidacy, asp("elected"), row["elected"], src)
        if row["elected"]:
            out.add(election, asp("electedCandidate"), candidate, src)
    kinds = {(str(r["election_id"]), str(r["candidate_id"])): r["candidate_type"] for r in tables["candidates"]}
    for row in tables["rounds"]:
        src = row.source
        node = iri("election", f"{row['election_id']}/round/{row['round']}")
        out.entity(node, "VotingRound", src, f"round {row['round']} of the {row['election_id']} election")
        out.add(node, asp("roundOf"), iri("election", str(row["election_id"])), src)
        out.add(node, asp("roundNumber"), row["round"], src)
        out.add(node, asp("date"), row["date"], src)
        out.add(node, asp("votesCast"), row["votes_cast"], src)
        out.add(node, asp("abstentions"), row["abstentions"], src)
        out.add(node, asp("invalidBallots"), row["invalid"], src)
        out.add(node, asp("requiredVotes"), row["required_majority"], src)
    for row in tables["round_votes"]:
        src = row.source
        round_node = iri("election", f"{row['election_id']}/round/{row['round']}")
        node = iri("election", f"{row['election_id']}/round/{row['round']}/count/{row['candidate_id']}")
        out.entity(node, "VoteCount", src, f"votes for {row['candidate_id']} in round {row['round']}")
        out.add(node, asp("countIn"), round_node, src)
        out.add(round_node, asp("roundOf"), iri("election", str(row["election_id"])), src)
        out.add(round_node, asp("roundNumber"), row["round"], src)
        kind = kinds[(str(row["election_id"]), str(row["candidate_id"]))]
        out.add(node, asp("countFor"), agent(kind, row["candidate_id"]), src)
        out.add(node, asp("votesReceived"), row["votes"], src)
