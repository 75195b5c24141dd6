"""The numbers behind the charts, read from the store (bound parameters only), cached per graph version."""

from __future__ import annotations

from datetime import date

from rdflib.term import URIRef

from api.deps import GraphHandle
from api.linked_data import charts
from api.linked_data.common import local_path
from api.linked_data.describe import Description
from api.store.base import Repository
from graph.namespaces import ASP

A = str(ASP)
PREFIX = f"PREFIX asp: <{A}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _date(lit) -> date | None:
    try:
        return date.fromisoformat(str(lit)[:10]) if lit is not None else None
    except ValueError:
        return None


def party_periods(repo: Repository) -> list[tuple[date, date | None]]:
    q = (
        PREFIX
        + """SELECT ?m (MIN(?s) AS ?start) (MIN(?e) AS ?end) WHERE {
        ?m a asp:StatePartyMembership ; asp:startDate ?s . OPTIONAL { ?m asp:endDate ?e } } GROUP BY ?m"""
    )
    out = []
    for row in repo.select(q):
        start = _date(row.get("start"))
        if start:
            out.append((start, _date(row.get("end"))))
    return out


def session_points(repo: Repository, base: str) -> list[tuple[date, str, str | None]]:
    q = (
        PREFIX
        + """SELECT ?s (MIN(?d) AS ?start) (SAMPLE(?l) AS ?label) WHERE {
        ?s a asp:Session ; asp:startDate ?d . OPTIONAL { ?s rdfs:label ?l } } GROUP BY ?s"""
    )
    out = []
    for row in repo.select(q):
        d = _date(row.get("start"))
        if d:
            label = str(row["label"]) if "label" in row else str(row["s"]).rsplit("/", 1)[-1]
            out.append((d, label, local_path(str(row["s"]), base)))
    return out


def approved_budgets(repo: Repository, id_base: str) -> tuple[dict[int, float], str]:
    q = (
        PREFIX
        + """SELECT ?kind ?y (MAX(?a) AS ?amount) (SAMPLE(?c) AS ?cur) WHERE {
        ?b asp:budgetKind ?kind ; asp:budgetYear ?y ; asp:amount ?a . OPTIONAL { ?b asp:currency ?c } }
        GROUP BY ?kind ?y"""
    )
    out: dict[int, float] = {}
    currency = "EUR"
    kind = URIRef(id_base + "budget-kind/approved")
    for row in repo.select(q, {"kind": kind}):
        try:
            out[int(str(row["y"])[:4])] = float(str(row["amount"]))
        except (KeyError, TypeError, ValueError):
            continue
        if "cur" in row:
            currency = str(row["cur"])
    return out, currency


def home_charts(handle: GraphHandle, public_base: str) -> dict[str, str]:
    """The three dataset-wide charts as SVG, computed once per graph version."""
    key = ("home", handle.version, public_base)
    cache = handle.cache("charts", 64)
    hit = cache.get(key)
    repo = handle.repo
    if hit is None:
        amounts, currency = approved_budgets(repo, public_base + "id/")
        hit = {
            "states-parties": charts.states_parties_over_time(party_periods(repo)),
            "sessions": charts.sessions_timeline(session_points(repo, public_base)),
            "budgets": charts.budgets_per_year(amounts, currency),
        }
        cache.put(key, hit)
    return hit


def election_chart(desc: Description) -> str | None:
    """Votes per round for an election document that embeds its rounds and counts."""
    rounds: list[int] = []
    series: dict[str, dict[int, int]] = {}
    required: dict[int, int] = {}
    for rev, kids in desc.root.children:
        if rev.key != "rounds":
            continue
        for rnd in kids:
            number = _int(rnd.props.get(URIRef(A + "roundNumber")))
            if number is None:
                continue
            rounds.append(number)
            need = _int(rnd.props.get(URIRef(A + "requiredVotes")))
            if need is not None:
                required[number] = need
            for crev, counts in rnd.children:
                if crev.key != "counts":
                    continue
                for c in counts:
                    whom = c.props.get(URIRef(A + "countFor")) or []
                    votes = _int(c.props.get(URIRef(A + "votesReceived")))
                    who = whom[0] if whom else None
                    if not isinstance(who, URIRef) or votes is None:
                        continue
                    labels = desc.labels.get(who)
                    name = str(labels[0]) if labels else str(who).rsplit("/", 1)[-1]
                    series.setdefault(name, {})[number] = votes
    if not rounds or not series:
        return None
    return charts.votes_per_round(rounds, series, required)


def _int(values) -> int | None:
    if not values:
        return None
    try:
        return int(str(values[0]))
    except ValueError:
        return None
