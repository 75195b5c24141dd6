"""A small published store shaped like ontology/README.md, for the linked-data tests.

It holds two sources that disagree (session 22's end date, Armenia's party number), an election with
rounds and counts, party-status memberships (one ended by withdrawal), budgets, VoID metadata and the
real ontology and vocabularies in the ontology graph, so every page and chart has something to show.
As the build does, the claims are ranked by ``graph.ranking`` (the Coalition's pages are tier 2, the
UN overview tier 3): the default graph holds the preferred view and the claims graph the ranks.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.store import Layout, publish

B = "https://w3id.org/asp-kg/"
ID = B + "id/"
ASP = B + "ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ONTOLOGY_GRAPH = B + "graph/ontology"
INFERRED_GRAPH = B + "graph/inferred"
METADATA_GRAPH = B + "graph/metadata"
REPO = Path(__file__).resolve().parent.parent


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def i(key: str) -> ox.NamedNode:
    return ox.NamedNode(ID + key)


def a(local: str) -> ox.NamedNode:
    return ox.NamedNode(ASP + local)


def d(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=n(XSD + "date"))


def num(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=n(XSD + "integer"))


def dec(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=n(XSD + "decimal"))


def s(value: str) -> ox.Literal:
    return ox.Literal(value)


TYPE = n(RDF + "type")
LABEL = n(RDFS + "label")


def _sources() -> dict[str, dict[str, list[tuple]]]:
    """source id -> subject key -> [(predicate, object)]."""
    return {
        "cicc-asp22": {
            "session/22": [
                (TYPE, a("RegularSession")),
                (LABEL, s("22nd session of the Assembly")),
                (a("sessionNumber"), num(22)),
                (a("startDate"), d("2023-12-04")),
                (a("endDate"), d("2023-12-14")),
                (a("venue"), i("venue/un-hq-new-york")),
                (a("heldBy"), i("organ/assembly")),
            ],
            "venue/un-hq-new-york": [
                (TYPE, a("Venue")),
                (LABEL, s("United Nations Headquarters, New York")),
                (a("city"), s("New York")),
                (a("country"), i("state/USA")),
            ],
            "resolution/ICC-ASP/22/Res.3": [
                (TYPE, a("Resolution")),
                (LABEL, s("ICC-ASP/22/Res.3")),
                (a("symbol"), s("ICC-ASP/22/Res.3")),
                (
                    a("title"),
                    s("Strengthening the International Criminal Court and the Assembly of States Parties"),
                ),
                (a("shortName"), s("Omnibus")),
                (a("adoptedAt"), i("session/22")),
                (a("adoptionDate"), d("2023-12-14")),
                (a("adoptionMethod"), i("adoption-method/consensus")),
            ],
            "resolution/ICC-ASP/22/Res.1": [
                (TYPE, a("Resolution")),
                (LABEL, s("ICC-ASP/22/Res.1")),
                (a("symbol"), s("ICC-ASP/22/Res.1")),
                (a("title"), s("Resolution on amendments to the Rules of Procedure and Evidence")),
                (a("adoptedAt"), i("session/22")),
                (a("adoptsAmendment"), i("amendment/asp22-rpe-rule-1")),
            ],
            "amendment/asp22-rpe-rule-1": [
                (TYPE, a("Amendment")),
                (LABEL, s("Amendment asp22-rpe-rule-1")),
                (a("adoptedBy"), i("resolution/ICC-ASP/22/Res.1")),
                (a("amends"), i("legal-instrument/rules-of-procedure-and-evidence")),
                (a("subject"), s("judicial notice of adjudicated facts")),
            ],
            "election/2023-judges": [
                (TYPE, a("Election")),
                (LABEL, s("2023 election of six judges")),
                (a("electionKind"), i("election-kind/judges")),
                (a("electionFor"), i("organ/chambers")),
                (a("session"), i("session/22")),
                (a("seatsToFill"), num(6)),
                (a("roundCount"), num(2)),
                (a("requiredMajority"), s("two-thirds")),
                (a("electedCandidate"), i("person/haykel-ben-mahfoudh")),
            ],
            "election/2023-judges/candidacy/haykel-ben-mahfoudh": [
                (TYPE, a("Candidacy")),
                (LABEL, s("Haykel Ben Mahfoudh in 2023 election of six judges")),
                (a("candidacyIn"), i("election/2023-judges")),
                (a("candidate"), i("person/haykel-ben-mahfoudh")),
                (a("nominatedBy"), i("state/TUN")),
                (a("elected"), ox.Literal("true", datatype=n(XSD + "boolean"))),
            ],
            "election/2023-judges/candidacy/jane-doe": [
                (TYPE, a("Candidacy")),
                (LABEL, s("Jane Doe in 2023 election of six judges")),
                (a("candidacyIn"), i("election/2023-judges")),
                (a("candidate"), i("person/jane-doe")),
                (a("elected"), ox.Literal("false", datatype=n(XSD + "boolean"))),
            ],
            "election/2023-judges/round/1": [
                (TYPE, a("VotingRound")),
                (LABEL, s("Round 1 of 2023 election of six judges")),
                (a("roundOf"), i("election/2023-judges")),
                (a("roundNumber"), num(1)),
                (a("date"), d("2023-12-04")),
                (a("votesCast"), num(119)),
                (a("requiredVotes"), num(80)),
            ],
            "election/2023-judges/round/2": [
                (TYPE, a("VotingRound")),
                (LABEL, s("Round 2 of 2023 election of six judges")),
                (a("roundOf"), i("election/2023-judges")),
                (a("roundNumber"), num(2)),
                (a("date"), d("2023-12-05")),
                (a("votesCast"), num(118)),
                (a("requiredVotes"), num(79)),
            ],
            "election/2023-judges/round/1/count/haykel-ben-mahfoudh": [
                (TYPE, a("VoteCount")),
                (a("countIn"), i("election/2023-judges/round/1")),
                (a("countFor"), i("person/haykel-ben-mahfoudh")),
                (a("votesReceived"), num(72)),
            ],
            "election/2023-judges/round/1/count/jane-doe": [
                (TYPE, a("VoteCount")),
                (a("countIn"), i("election/2023-judges/round/1")),
                (a("countFor"), i("person/jane-doe")),
                (a("votesReceived"), num(41)),
            ],
            "election/2023-judges/round/2/count/haykel-ben-mahfoudh": [
                (TYPE, a("VoteCount")),
                (a("countIn"), i("election/2023-judges/round/2")),
                (a("countFor"), i("person/haykel-ben-mahfoudh")),
                (a("votesReceived"), num(85)),
            ],
            "person/haykel-ben-mahfoudh": [
                (TYPE, a("Person")),
                (LABEL, s("Haykel Ben Mahfoudh")),
                (n(FOAF + "name"), s("Haykel Ben Mahfoudh")),
                (a("nationality"), i("state/TUN")),
            ],
            "person/jane-doe": [
                (TYPE, a("Person")),
                (LABEL, s("Jane Doe")),
                (a("nationality"), i("state/ARM")),
            ],
            "mandate/haykel-ben-mahfoudh-chambers-judge-2024-03-08": [
                (TYPE, a("Mandate")),
                (LABEL, s("Haykel Ben Mahfoudh, judge")),
                (n(ORG + "member"), i("person/haykel-ben-mahfoudh")),
                (n(ORG + "organization"), i("organ/chambers")),
                (n(ORG + "role"), i("role/judge")),
                (a("startDate"), d("2024-03-08")),
                (a("electedIn"), i("election/2023-judges")),
            ],
            "budget/2024/approved": [
                (TYPE, a("BudgetFigure")),
                (LABEL, s("Approved budget 2024")),
                (a("budgetYear"), ox.Literal("2024", datatype=n(XSD + "gYear"))),
                (a("budgetKind"), i("budget-kind/approved")),
                (a("amount"), dec("187086100")),
                (a("currency"), s("EUR")),
                (a("decidedAt"), i("session/22")),
                (a("resolution"), i("resolution/ICC-ASP/22/Res.3")),
            ],
            "organ/assembly": [
                (TYPE, a("Organ")),
                (LABEL, s("Assembly of States Parties")),
                (a("abbreviation"), s("ASP")),
                (a("organKind"), i("organ-kind/assembly")),
            ],
            "organ/chambers": [
                (TYPE, a("Organ")),
                (LABEL, s("Chambers")),
                (a("seatCount"), num(18)),
                (a("termYears"), num(9)),
            ],
            "organ/cbf": [
                (TYPE, a("Organ")),
                (LABEL, s("Committee on Budget and Finance")),
                (a("abbreviation"), s("CBF")),
                (n(ORG + "subOrganizationOf"), i("organ/assembly")),
            ],
            "seat-allocation/cbf-GRULAC-22": [
                (TYPE, a("SeatAllocation")),
                (LABEL, s("CBF seats of GRULAC")),
                (a("allocationOf"), i("organ/cbf")),
                (a("allocatedTo"), i("regional-group/GRULAC")),
                (a("seatCount"), num(2)),
                (a("decidedAt"), i("session/22")),
            ],
            "state/ARM": [(a("partyNumber"), num(123))],
        },
        "cicc-asp21": {
            "session/21": [
                (TYPE, a("RegularSession")),
                (LABEL, s("21st session of the Assembly")),
                (a("sessionNumber"), num(21)),
                (a("startDate"), d("2022-12-05")),
                (a("endDate"), d("2022-12-10")),
                (a("venue"), i("venue/world-forum")),
                (a("heldBy"), i("organ/assembly")),
            ],
            "venue/world-forum": [
                (TYPE, a("Venue")),
                (LABEL, s("World Forum, The Hague")),
                (a("city"), s("The Hague")),
                (a("country"), i("state/NLD")),
            ],
            "budget/2023/approved": [
                (TYPE, a("BudgetFigure")),
                (LABEL, s("Approved budget 2023")),
                (a("budgetYear"), ox.Literal("2023", datatype=n(XSD + "gYear"))),
                (a("budgetKind"), i("budget-kind/approved")),
                (a("amount"), dec("169825900.50")),
                (a("currency"), s("EUR")),
                (a("decidedAt"), i("session/21")),
            ],
        },
        "un-overview": {
            "session/22": [(a("endDate"), d("2023-12-15")), (a("startDate"), d("2023-12-04"))],
            "state/ARM": [(a("partyNumber"), num(124))],
        },
        "states-treaty-record": _states(),
    }


def _states() -> dict[str, list[tuple]]:
    rows = [
        ("UKR", "Ukraine", "EEG", "2000-01-20", "2024-10-25", "2025-01-01", None),
        ("NLD", "Netherlands", "WEOG", "1998-07-18", "2001-07-17", "2002-07-01", None),
        ("USA", "United States of America", "WEOG", "2000-12-31", None, None, None),
        ("TUN", "Tunisia", "AFRICAN", None, "2011-06-24", "2011-09-01", None),
        ("ARM", "Armenia", "EEG", "1999-10-01", "2023-11-14", "2024-02-01", None),
        ("BDI", "Burundi", "AFRICAN", "1999-01-13", "2004-09-21", "2004-12-01", "2017-10-27"),
        ("VEN", "Venezuela", "GRULAC", "1998-10-14", "2000-06-07", "2002-07-01", None),
        ("ARG", "Argentina", "GRULAC", "1999-01-08", "2001-02-08", "2002-07-01", None),
    ]
    out: dict[str, list[tuple]] = {}
    for iso, name, group, signed, deposited, in_force, withdrawn in rows:
        facts: list[tuple] = [
            (TYPE, a("State")),
            (LABEL, s(name)),
            (a("isoAlpha3"), s(iso)),
            (a("regionalGroup"), i(f"regional-group/{group}")),
        ]
        if signed:
            facts.append((a("signatureDate"), d(signed)))
        if deposited:
            facts.append((a("instrumentDepositDate"), d(deposited)))
        if in_force:
            m = f"membership/{iso}-party"
            facts += [(a("entryIntoForceDate"), d(in_force)), (a("partyStatus"), i(m))]
            mfacts = [
                (TYPE, a("StatePartyMembership")),
                (LABEL, s(f"{name} as State Party")),
                (a("partyState"), i(f"state/{iso}")),
                (n(ORG + "organization"), i("organ/assembly")),
                (n(ORG + "role"), i("role/state-party")),
                (a("startDate"), d(in_force)),
                (n(ORG + "memberDuring"), n(ID + m + "#interval")),
            ]
            interval = [(TYPE, n(TIME + "Interval")), (n(TIME + "hasBeginning"), n(ID + m + "#start"))]
            out[m + "#start"] = [(TYPE, n(TIME + "Instant")), (n(TIME + "inXSDDate"), d(in_force))]
            if withdrawn:
                facts.append((a("withdrawalEffectiveDate"), d(withdrawn)))
                mfacts.append((a("endDate"), d(withdrawn)))
                interval.append((n(TIME + "hasEnd"), n(ID + m + "#end")))
                out[m + "#end"] = [(TYPE, n(TIME + "Instant")), (n(TIME + "inXSDDate"), d(withdrawn))]
            out[m] = mfacts
            out[m + "#interval"] = interval
        out[f"state/{iso}"] = facts
    return out


SOURCE_TIERS = {"cicc-asp22": 2, "cicc-asp21": 2, "un-overview": 3, "states-treaty-record": 1}
SOURCE_TITLES = {
    "cicc-asp22": "ASP22: 22nd session of the Assembly of States Parties",
    "cicc-asp21": "ASP21: 21st session of the Assembly of States Parties",
    "un-overview": "Sessions of the Assembly (UN overview)",
    "states-treaty-record": "Rome Statute treaty record",
}


def _ranked(quads: list[ox.Quad]) -> tuple[set[ox.Triple], list[ox.Quad]]:
    """The preferred view and the claim nodes, by the build's own ranking."""
    from graph.claims import claim_quads
    from graph.ontology import PER_LANGUAGE, functional_properties, ontology_quads
    from graph.ranking import SourceInfo, preferred_view, rank_claims

    sources = {ID + f"source/{k}": SourceInfo(ID + f"source/{k}", tier, "publisher " + k, None, SOURCE_TITLES[k])
               for k, tier in SOURCE_TIERS.items()}
    decisions = rank_claims(quads, {}, sources, functional_properties(ontology_quads()), set(PER_LANGUAGE))
    view = {q.triple for stated in preferred_view(quads, decisions, set(PER_LANGUAGE), {}).values() for q in stated}
    return view, sorted(claim_quads(decisions.values()), key=str)


def build_fixture(root: Path, version: str = "v1", extra: list[ox.Quad] | None = None) -> Layout:
    """Write the fixture store under ``root`` and publish it as ``version``."""
    layout = Layout(root)
    db = layout.store_dir(version) / "db"
    db.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(db))
    quads: list[ox.Quad] = []
    for source, subjects in _sources().items():
        g = i(f"source/{source}")
        for key, facts in subjects.items():
            subject = n(ID + key)
            for p, o in facts:
                quads.append(ox.Quad(subject, p, o, g))
            if "#" not in key:
                quads.append(ox.Quad(subject, n(PROV + "wasDerivedFrom"), g, g))
    meta = n(METADATA_GRAPH)
    for source, title in SOURCE_TITLES.items():
        src = i(f"source/{source}")
        quads += [
            ox.Quad(src, TYPE, a("Source"), meta),
            ox.Quad(src, a("title"), s(title), meta),
            ox.Quad(src, LABEL, s(title), meta),
            ox.Quad(src, n(DCT + "publisher"), s("Coalition for the International Criminal Court"), meta),
        ]
    inferred = n(INFERRED_GRAPH)
    for q in list(quads):
        if q.predicate == TYPE and q.object.value.endswith("Session"):
            quads.append(ox.Quad(q.subject, TYPE, a("Session"), inferred))
    onto = n(ONTOLOGY_GRAPH)
    for path in (REPO / "ontology" / "asp.ttl", REPO / "ontology" / "vocabularies.ttl"):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, onto))
    for iri, label in [
        ("role/state-party", "State Party"),
        ("role/judge", "judge"),
        ("legal-instrument/rules-of-procedure-and-evidence", "Rules of Procedure and Evidence"),
    ]:
        quads.append(ox.Quad(i(iri), LABEL, ox.Literal(label, language="en"), onto))
    quads += extra or []
    preferred, claims = _ranked(quads)
    ds = n(B + "dataset")
    void_facts = [
        (TYPE, n(VOID + "Dataset")),
        (n(DCT + "title"), s("ASP Knowledge Graph")),
        (n(VOID + "entities"), num(120)),
    ]
    for p, o in void_facts:
        quads.append(ox.Quad(ds, p, o, meta))
    n_triples = len({(q.subject, q.predicate, q.object) for q in quads}) + len(void_facts) + 1
    quads.append(ox.Quad(ds, n(VOID + "triples"), num(n_triples), meta))
    meta_quads = [q for q in quads if q.graph_name == meta]
    store.extend(quads + claims)
    store.extend([ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in preferred])
    store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in meta_quads])
    store.flush()
    del store
    publish(layout, version)
    return layout
