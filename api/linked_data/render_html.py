"""HTML pages for people: Jinja2 templates fed with plain view models built here from descriptions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from api.linked_data.common import ENTITY_FORMATS, local_path
from api.linked_data.describe import DERIVED_FROM, RDF_TYPE, RDFS_LABEL, Description, Node, Term, select
from api.linked_data.vocab import vocab
from graph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAV = [
    ("States", "/states"),
    ("Sessions", "/sessions"),
    ("Organs", "/organs"),
    ("Elections", "/elections"),
    ("Resolutions", "/resolutions"),
    ("Persons", "/persons"),
    ("Ontology", "/ontology"),
    ("SPARQL", "/sparql"),
]
SKIP_SUMMARY = {RDF_TYPE, RDFS_LABEL, DERIVED_FROM}


@cache
def env() -> Environment:
    e = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.globals["nav"] = NAV
    return e


def render(template: str, **context) -> str:
    return env().get_template(template).render(**context)


def humanize(key: str) -> str:
    out = "".join(" " + c.lower() if c.isupper() else c for c in key)
    return out[:1].upper() + out[1:]


class Labels:
    """Human labels of predicates and classes (from the ontology graph), cached per graph version."""

    _by_version: dict[str, dict[str, str]] = {}

    @classmethod
    def get(cls, store: ox.Store, version: str) -> dict[str, str]:
        hit = cls._by_version.get(version)
        if hit is None:
            q = (
                "SELECT ?g ?s ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                "FILTER(LANG(?l) = 'en' || LANG(?l) = '') }"
            )
            hit = {row["s"].value: row["l"].value for row in select(store, q, g=ox.NamedNode(ONTOLOGY_GRAPH))}
            cls._by_version = {version: hit}
        return hit


RANK_ORDER = {"preferred": 0, "normal": 1, "deprecated": 2}


def _label(node: Node) -> str:
    labels = node.props.get(RDFS_LABEL)
    if labels:
        return labels[0].value
    return node.iri.value.rsplit("/", 1)[-1]


class PageBuilder:
    """Turns a Description into the entity page's view model."""

    def __init__(self, desc: Description, base: str, term_labels: dict[str, str]):
        self.desc = desc
        self.base = base
        self.terms = term_labels
        self.v = vocab()
        graphs = sorted(desc.claims, key=lambda g: (g.value == INFERRED_GRAPH, g.value))
        self.source_no = {g: n for n, g in enumerate(graphs, start=1)}
        self.fact_graphs = desc.graphs_of()

    def href(self, iri: str) -> str:
        path = local_path(iri, self.base)
        if path is not None:
            return path
        return iri

    def prop(self, p: ox.NamedNode) -> dict:
        key = self.v.key(p.value)
        label = self.terms.get(p.value) or humanize(key.split(":")[-1]).lower()
        return {"label": label, "key": key, "iri": p.value, "href": self.href(p.value)}

    def value(self, o: Term, node: Node | None = None) -> dict:
        if isinstance(o, ox.NamedNode):
            if node is not None and o in node.embedded:
                return {
                    "embedded": self.facts(node.embedded[o], with_sources=False),
                    "href": self.href(o.value),
                    "text": _label(node.embedded[o]),
                }
            labels = self.desc.labels.get(o) or self.desc.titles.get(o)
            text = labels[0].value if labels else self.terms.get(o.value) or o.value.rsplit("/", 1)[-1]
            return {"text": text, "href": self.href(o.value)}
        if isinstance(o, ox.Literal):
            dt = o.datatype.value.rsplit("#", 1)[-1] if not o.language else o.language
            return {"text": o.value, "datatype": dt}
        return {"text": str(o)}

    def facts(self, node: Node, with_sources: bool = True) -> list[dict]:
        rows = []
        for p, values in sorted(node.props.items(), key=lambda kv: self._order(kv[0])):
            if p == DERIVED_FROM and with_sources:
                continue
            vals = []
            for o in values:
                val = self.value(o, node)
                if with_sources:
                    val["sources"] = sorted(self.source_no[g] for g in self.fact_graphs.get((p, o), [])
                                            if g in self.source_no)
                    if node is self.desc.root:
                        val.update(self.ranking(p, o))
                vals.append(val)
            rows.append({"prop": self.prop(p), "values": vals})
        rows += self.unsettled(node, {p for p in node.props}) if with_sources and node is self.desc.root else []
        return rows

    def ranking(self, p: ox.NamedNode, o: Term) -> dict:
        """Why the shown value is preferred, and what the other sources say ("other sources say ...")."""
        claims = [c for c in self.desc.ranked if c.predicate == p]
        if not claims:
            return {}
        mine = next((c for c in claims if c.value == o and c.rank == "preferred"), None)
        return {"why": mine.reason.value if mine else None, "others": self.others(claims, exclude=o)}

    def others(self, claims: list, exclude: Term | None) -> list[dict]:
        by_value: dict[Term, list] = {}
        for c in claims:
            if c.value != exclude:
                by_value.setdefault(c.value, []).append(c)
        return [{"value": self.value(v), "rank": cs[0].rank, "reason": cs[0].reason.value,
                 "sources": sorted(self.source_no[c.source] for c in cs if c.source in self.source_no)}
                for v, cs in by_value.items()]

    def unsettled(self, node: Node, shown: set[ox.NamedNode]) -> list[dict]:
        """Facts with no preferred value (a tie, or every claim deprecated): only the claims."""
        rows = []
        for p in sorted({c.predicate for c in self.desc.ranked} - shown, key=self._order):
            claims = [c for c in self.desc.ranked if c.predicate == p]
            rows.append({"prop": self.prop(p), "values": [], "unsettled": claims[0].reason.value,
                         "others": self.others(claims, exclude=None)})
        return rows

    def _order(self, p: ox.NamedNode) -> tuple:
        first = {RDF_TYPE.value: 0, RDFS_LABEL.value: 1}
        return (first.get(p.value, 2), self.v.key(p.value))

    def disagreements(self) -> list[dict]:
        """Facts on which sources disagree: every claim side by side, with its rank and reason."""
        out = []
        for p in sorted({c.predicate for c in self.desc.ranked}, key=self._order):
            claims = [c for c in self.desc.ranked if c.predicate == p]
            out.append({
                "prop": self.prop(p),
                "claims": [{"source": self.source(c.source), "values": [self.value(c.value)], "rank": c.rank,
                            "reason": c.reason.value, "rows": list(c.rows)}
                           for c in sorted(claims, key=lambda c: (RANK_ORDER[c.rank], self.source_no.get(c.source, 0)))
                           if c.source in self.source_no],
            })
        return out

    def source(self, g: ox.NamedNode) -> dict:
        labels = self.desc.labels.get(g) or self.desc.titles.get(g)
        name = labels[0].value if labels else g.value.rstrip("/").rsplit("/", 1)[-1]
        return {"no": self.source_no[g], "label": name, "href": self.href(g.value), "iri": g.value}

    def related(self) -> list[dict]:
        sections = []
        for rev, kids in self.desc.root.children:
            rows = []
            for kid in kids:
                summary = [
                    {"prop": self.prop(p), "values": [self.value(o, kid) for o in vals]}
                    for p, vals in sorted(kid.props.items(), key=lambda kv: self._order(kv[0]))
                    if p not in SKIP_SUMMARY
                ]
                nested = [
                    {
                        "title": humanize(r.key),
                        "items": [
                            {
                                "text": _label(k),
                                "href": self.href(k.iri.value),
                                "facts": self.facts(k, with_sources=False),
                            }
                            for k in ks
                        ],
                    }
                    for r, ks in kid.children
                ]
                rows.append(
                    {
                        "text": _label(kid),
                        "href": self.href(kid.iri.value),
                        "summary": summary,
                        "nested": nested,
                    }
                )
            sections.append(
                {"title": humanize(rev.key), "key": rev.key, "rows": rows, "via": self.prop(rev.prop)}
            )
        return sections

    def page(self, path: str, chart: str | None) -> dict:
        root = self.desc.root
        types = [
            {"text": self.terms.get(t.value) or self.v.type_name(t.value), "href": self.href(t.value)}
            for t in root.props.get(RDF_TYPE, [])
            if isinstance(t, ox.NamedNode)
        ]
        describe_query = f"DESCRIBE <{root.iri.value}>"
        return {
            "title": _label(root),
            "iri": root.iri.value,
            "types": types,
            "facts": [f for f in self.facts(root) if f["prop"]["iri"] != RDF_TYPE.value],
            "disagreements": self.disagreements(),
            "sources": [self.source(g) for g in sorted(self.source_no, key=lambda g: self.source_no[g])],
            "related": self.related(),
            "formats": [
                {
                    "name": f.name,
                    "label": f.suffix,
                    "media_type": f.media_type,
                    "href": f"{quote(path, safe='/:.-_~')}.{f.suffix}",
                }
                for f in ENTITY_FORMATS
                if f.name != "html"
            ],
            "sparql_href": "/sparql?query=" + quote(describe_query, safe=""),
            "chart": Markup(chart) if chart else None,  # noqa: S704 - our SVG, text escaped
        }
