"""A synthetic graph in the shapes of ``ontology/README.md``, for SPARQL tests and the benchmark.

Deterministic (seeded), spread over several source graphs with deliberate disagreements, so every
example question of the query page has answers. Used until the real ``aspkg build`` output is
available; ``make_data_dir`` publishes it exactly as a build would (``graph.store.publish``).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pycountry
import pyoxigraph as ox

from graph.store import Layout, publish

BASE = "https://w3id.org/asp-kg/"
ID = BASE + "id/"
ASP = BASE + "ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"
XSD = "http://www.w3.org/2001/XMLSchema#"
SOURCES = ("seed-overview", "un-press", "treaty-record", "news-digest")
ONTOLOGY_GRAPH = BASE + "graph/ontology"
GROUPS = ("AFRICAN", "APG", "EEG", "GRULAC", "WEOG")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri if iri.startswith("http") else ID + iri)


def _lit(v: object) -> ox.Literal:
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(v, float):
        return ox.Literal(f"{v:.1f}", datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(v, date):
        return ox.Literal(v.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(v))


class _Graph:
    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []

    def add(self, s: str, p: str, o: object, source: str) -> None:
        graph = ox.NamedNode(ONTOLOGY_GRAPH) if source == "ontology" else _n("source/" + source)
        obj = o if isinstance(o, (ox.NamedNode, ox.Literal)) else _lit(o)
        self.quads.append(ox.Quad(_n(s), ox.NamedNode(p), obj, graph))

    def entity(self, s: str, cls: str, source: str, label: str | None = None, **props: object) -> None:
        self.add(s, RDF_TYPE, ox.NamedNode(ASP + cls), source)
        self.add(s, PROV, _n("source/" + source), source)
        if label:
            self.add(s, LABEL, ox.Literal(label, language="en"), source)
        for name, value in props.items():
            if value is not None:
                self.add(s, (ORG + name[4:]) if name.startswith("org_") else ASP + name, value, source)


def _concepts(g: _Graph) -> None:
    schemes = {
        "regional-group": GROUPS,
        "role": (
            "state-party",
            "president",
            "first-vice-president",
            "second-vice-president",
            "vice-president",
            "member",
            "judge",
            "prosecutor",
            "deputy-prosecutor",
        ),
        "adoption-method": ("consensus", "vote"),
        "budget-kind": ("proposed", "cbf-recommended", "approved"),
        "participant-kind": ("ngos", "ngo-representatives"),
        "election-kind": ("judges", "prosecutor", "deputy-prosecutor", "bureau"),
        "legal-instrument": ("rome-statute", "rules-of-procedure-and-evidence"),
    }
    for scheme, codes in schemes.items():
        for code in codes:
            iri = f"{scheme}/{code}"
            g.add(iri, RDF_TYPE, ox.NamedNode(SKOS + "Concept"), "ontology")
            g.add(iri, SKOS + "notation", code, "ontology")
            g.add(iri, SKOS + "prefLabel", ox.Literal(code.replace("-", " "), language="en"), "ontology")


def build_quads(scale: int = 1, seed: int = 7) -> list[ox.Quad]:
    """Every quad of the synthetic graph; ``scale`` multiplies the many-valued parts."""
    rnd = random.Random(seed)
    g = _Graph()
    _concepts(g)
    for s in SOURCES:
        g.entity(f"source/{s}", "Source", "seed-overview", f"Source {s}", title=f"Synthetic source {s}")
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)[:150]
    states = [c.alpha_3 for c in countries]
    for c in countries:
        g.entity(
            f"state/{c.alpha_3}",
            "State",
            "treaty-record",
            c.name,
            isoAlpha3=c.alpha_3,
            regionalGroup=_n("regional-group/" + rnd.choice(GROUPS)),
        )
    parties = rnd.sample(states, 120)
    if "UKR" not in parties:
        parties.append("UKR")
    for number, iso in enumerate(parties, 1):
        since = date(2025, 1, 1) if iso == "UKR" else date(2002, 7, 1) + timedelta(days=rnd.randint(0, 7000))
        end = None
        if number % 50 == 0:
            end = since + timedelta(days=3000)
            g.add(
                f"state/{iso}", ASP + "withdrawalNotificationDate", end - timedelta(days=365), "treaty-record"
            )
            g.add(f"state/{iso}", ASP + "withdrawalEffectiveDate", end, "treaty-record")
        g.entity(
            f"membership/{iso}-party",
            "StatePartyMembership",
            "treaty-record",
            partyState=_n(f"state/{iso}"),
            org_organization=_n("organ/assembly"),
            org_role=_n("role/state-party"),
            startDate=since,
            endDate=end,
            partyNumber=number,
        )
    for organ, name in (
        ("assembly", "Assembly of States Parties"),
        ("bureau", "Bureau"),
        ("tfv", "Trust Fund"),
        ("cbf", "Committee on Budget and Finance"),
        ("chambers", "Chambers"),
        ("otp", "OTP"),
    ):
        g.entity(f"organ/{organ}", "Organ", "seed-overview", name)
    for city in ("The Hague", "New York"):
        g.entity(f"venue/{city.lower().replace(' ', '-')}", "Venue", "seed-overview", city, city=city)
    for n in range(1, 24):
        start = date(2001 + n, 11, 20) + timedelta(days=rnd.randint(0, 14))
        end = start + timedelta(days=rnd.randint(4, 9))
        venue = "venue/the-hague" if n % 2 else "venue/new-york"
        g.entity(
            f"session/{n}",
            "RegularSession",
            "seed-overview",
            f"Session {n}",
            sessionNumber=n,
            startDate=start,
            endDate=end,
            venue=_n(venue),
            heldBy=_n("organ/assembly"),
        )
        if n % 4 == 0:  # a second source that disagrees on the closing day
            g.entity(f"session/{n}", "RegularSession", "news-digest", None, endDate=end + timedelta(days=2))
        for k in range(1, rnd.randint(3, 8) + 1):
            sym = f"ICC-ASP/{n}/Res.{k}"
            g.entity(
                f"resolution/{sym}",
                "Resolution",
                "un-press",
                sym,
                symbol=sym,
                title=f"Resolution {k} of {n}",
                adoptedAt=_n(f"session/{n}"),
                adoptionMethod=_n("adoption-method/consensus"),
            )
        if n % 3 == 2:
            members = rnd.sample(parties, 21)
            roles = ["president", "first-vice-president", "second-vice-president"] + ["member"] * 18
            for iso, role in zip(members, roles, strict=True):
                g.entity(
                    f"mandate/{iso}-bureau-{role}-{start}",
                    "Mandate",
                    "seed-overview",
                    org_member=_n(f"state/{iso}"),
                    org_organization=_n("organ/bureau"),
                    org_role=_n(f"role/{role}"),
                    startDate=start,
                    endDate=start + timedelta(days=3 * 365),
                )
        for p in range(scale * 2):
            donor = rnd.choice(parties)
            g.entity(
                f"pledge/{n}-{donor}-{p}",
                "Pledge",
                "news-digest",
                donor=_n(f"state/{donor}"),
                recipient=_n("organ/tfv"),
                amount=float(rnd.randint(10, 2000) * 1000),
                currency="EUR",
                decidedAt=_n(f"session/{n}"),
            )
        for kind in ("ngos", "ngo-representatives"):
            g.entity(
                f"participation/{n}-{kind}",
                "Participation",
                "news-digest",
                session=_n(f"session/{n}"),
                participantKind=_n(f"participant-kind/{kind}"),
                participantCount=rnd.randint(50, 800),
            )
        for k in range(scale * 3):
            behalf = rnd.sample(parties, 2)
            sid = f"statement/{n}-{k}"
            g.entity(
                sid,
                "Statement",
                "news-digest",
                session=_n(f"session/{n}"),
                speakerName=f"Speaker {n}.{k}",
                topic=rnd.choice(("budget", "cooperation", "victims", "complementarity")),
            )
            for iso in behalf:
                g.add(sid, ASP + "onBehalfOf", _n(f"state/{iso}"), "news-digest")
    amount = 53_000_000.0
    for year in range(2004, 2026):
        amount *= 1 + rnd.uniform(-0.02, 0.09)
        g.entity(
            f"budget/{year}/approved",
            "BudgetFigure",
            "un-press",
            budgetYear=ox.Literal(str(year), datatype=ox.NamedNode(XSD + "gYear")),
            budgetKind=_n("budget-kind/approved"),
            amount=round(amount, -2),
            currency="EUR",
        )
    person_no = 0
    for year in (2003, 2006, 2009, 2011, 2014, 2017, 2020, 2023):
        eid = f"election/{year}-judges"
        rounds = rnd.randint(1, 12)
        g.entity(
            eid,
            "Election",
            "un-press",
            f"Election of judges {year}",
            electionKind=_n("election-kind/judges"),
            date=date(year, 12, 10),
            roundCount=rounds,
            seatsToFill=6,
            electionFor=_n("organ/chambers"),
        )
        if year == 2023:
            g.entity(eid, "Election", "news-digest", None, roundCount=rounds + 1)
        candidates = []
        for _ in range(6 + 4 * scale):
            person_no += 1
            pid = f"person/judge-{person_no}"
            iso = rnd.choice(parties)
            g.entity(
                pid, "Person", "un-press", f"Judge Candidate {person_no}", nationality=_n(f"state/{iso}")
            )
            candidates.append(pid)
        for i, pid in enumerate(candidates):
            cid = f"{eid}/candidacy/{pid.split('/')[-1]}"
            g.entity(cid, "Candidacy", "un-press", candidacyIn=_n(eid), candidate=_n(pid), elected=i < 6)
            if i < 6:
                g.add(eid, ASP + "electedCandidate", _n(pid), "un-press")
                g.entity(
                    f"mandate/{pid.split('/')[-1]}-chambers-judge",
                    "Mandate",
                    "un-press",
                    org_member=_n(pid),
                    org_organization=_n("organ/chambers"),
                    org_role=_n("role/judge"),
                    startDate=date(year + 1, 3, 11),
                    electedIn=_n(eid),
                )
        for r in range(1, rounds + 1):
            rid = f"{eid}/round/{r}"
            g.entity(
                rid,
                "VotingRound",
                "un-press",
                roundOf=_n(eid),
                roundNumber=r,
                votesCast=rnd.randint(100, 123),
            )
            for pid in candidates:
                g.entity(
                    f"{rid}/count/{pid.split('/')[-1]}",
                    "VoteCount",
                    "un-press",
                    countIn=_n(rid),
                    countFor=_n(pid),
                    votesReceived=rnd.randint(0, 110),
                )
    for i, (name, role, start) in enumerate(
        (
            ("Luis Moreno Ocampo", "prosecutor", date(2003, 6, 16)),
            ("Fatou Bensouda", "prosecutor", date(2012, 6, 15)),
            ("Karim Khan", "prosecutor", date(2021, 6, 16)),
            ("Serge Brammertz", "deputy-prosecutor", date(2003, 11, 3)),
        )
    ):
        pid = f"person/prosecutor-{i}"
        g.entity(pid, "Person", "un-press", name)
        g.entity(
            f"mandate/prosecutor-{i}",
            "Mandate",
            "un-press",
            org_member=_n(pid),
            org_organization=_n("organ/otp"),
            org_role=_n(f"role/{role}"),
            startDate=start,
        )
    for i, res in enumerate(("RC/Res.5", "RC/Res.6", "ICC-ASP/16/Res.4", "ICC-ASP/22/Res.2")):
        g.entity(f"resolution/{res}", "Resolution", "un-press", res, symbol=res)
        g.entity(
            f"amendment/a{i}",
            "Amendment",
            "un-press",
            adoptedBy=_n(f"resolution/{res}"),
            amends=_n("legal-instrument/rome-statute"),
            subject=f"amendment {i}",
            adoptionDate=date(2010 + 3 * i, 6, 10),
        )
    for grp in GROUPS:
        g.entity(
            f"seat-allocation/cbf-{grp}-22",
            "SeatAllocation",
            "seed-overview",
            allocationOf=_n("organ/cbf"),
            allocatedTo=_n(f"regional-group/{grp}"),
            seatCount=rnd.randint(2, 4),
            previousSeatCount=2,
            decidedAt=_n("session/22"),
        )
    return g.quads


def make_data_dir(root: Path, version: str = "v-test", scale: int = 1) -> Layout:
    """A data directory whose ``current`` store holds the synthetic graph, published like a build."""
    layout = Layout(root)
    db = layout.store_dir(version) / "db"
    db.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(db))
    quads = list(build_quads(scale))
    store.bulk_extend(quads)
    # as the build does: the default graph is the deduplicated union of the named graphs
    store.bulk_extend({ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads})
    store.flush()
    del store
    manifest = {"version": version, "quads": len(quads)}  # what the query workers read to choose memory
    (db.parent / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    publish(layout, version)
    return layout
