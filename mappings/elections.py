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

    for row in out.rows(tables["persons"]):
        src = row.source
        person = iri("person", str(row["person_id"]))
        out.entity(person, "Person", src, str(row["name"]), "name")
        out.fact(person, NamedNode(FOAF_NAME), row, "name")
        out.link(person, asp("nationality"), row, "nationality_iso3", "state")


def map_elections(tables: Tables, out: Emitter) -> None:
    for row in out.rows(tables["elections"]):
        src, key = row.source, str(row["election_id"])
        election = iri("election", key)
        year = key[:4]
        out.entity(election, "Election", src, f"{year} {KIND_LABEL.get(str(row['kind']), str(row['kind']))}")
        out.link(election, asp("electionKind"), row, "kind", "election-kind")
        out.link(election, asp("electionFor"), row, "organ_id", "organ")
        out.link(election, asp("session"), row, "session_id", "session")
        out.fact(election, asp("date"), row, "date")
        out.fact(election, asp("endDate"), row, "end_date")
        out.fact(election, asp("seatsToFill"), row, "seats")
        out.link(election, asp("electionMethod"), row, "method", "election-method")
        out.fact(election, asp("roundCount"), row, "rounds")
        out.fact(election, asp("requiredMajority"), row, "required_majority")
        out.fact(election, asp("note"), row, "note")
    for row in out.rows(tables["candidates"]):
        src = row.source
        election = iri("election", str(row["election_id"]))
        candidate = agent(row["candidate_type"], row["candidate_id"])
        candidacy = iri("election", f"{row['election_id']}/candidacy/{row['candidate_id']}")
        out.entity(candidacy, "Candidacy", src, f"{row['candidate_id']} in the {row['election_id']} election")
        out.add(candidacy, asp("candidacyIn"), election, src)
        out.add(candidacy, asp("candidate"), candidate, src)
        out.link(candidacy, asp("nominatedBy"), row, "nominating_iso3", "state")
        out.fact(candidacy, asp("elected"), row, "elected")
        out.fact(candidacy, asp("seatShare"), row, "seat_share")  # asp:electedCandidate: see graph.derive
    kinds = {(str(r["election_id"]), str(r["candidate_id"])): r["candidate_type"] for r in tables["candidates"]}
    for row in out.rows(tables["rounds"]):
        src = row.source
        node = iri("election", f"{row['election_id']}/round/{row['round']}")
        out.entity(node, "VotingRound", src, f"round {row['round']} of the {row['election_id']} election")
        out.link(node, asp("roundOf"), row, "election_id", "election")
        out.fact(node, asp("roundNumber"), row, "round")
        out.fact(node, asp("date"), row, "date")
        out.fact(node, asp("votesCast"), row, "votes_cast")
        out.fact(node, asp("abstentions"), row, "abstentions")
        out.fact(node, asp("invalidBallots"), row, "invalid")
        out.fact(node, asp("requiredVotes"), row, "required_majority")
    for row in out.rows(tables["round_votes"]):
        src = row.source
        round_node = iri("election", f"{row['election_id']}/round/{row['round']}")
        node = iri("election", f"{row['election_id']}/round/{row['round']}/count/{row['candidate_id']}")
        out.entity(node, "VoteCount", src, f"votes for {row['candidate_id']} in round {row['round']}")
        out.add(node, asp("countIn"), round_node, src)
        out.link(round_node, asp("roundOf"), row, "election_id", "election")
        out.add(round_node, asp("roundNumber"), row["round"], src)
        kind = kinds[(str(row["election_id"]), str(row["candidate_id"]))]
        out.add(node, asp("countFor"), agent(kind, row["candidate_id"]), src)
        out.fact(node, asp("votesReceived"), row, "votes")
