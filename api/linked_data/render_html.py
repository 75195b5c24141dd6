"""HTML pages for people: Jinja2 templates fed with plain view models built here from descriptions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib.term import Literal, URIRef

from api.deps import GraphHandle
from api.linked_data.common import ENTITY_FORMATS, local_path
from api.linked_data.describe import DERIVED_FROM, RDF_TYPE, RDFS_LABEL, Description, Node, Term
from api.linked_data.vocab import Vocab, vocab
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
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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

    @classmethod
    def get(cls, handle: GraphHandle) -> dict[str, str]:
        cache = handle.cache("labels", 4)
        hit = cache.get(handle.version)
        if hit is None:
            q = (
                "SELECT ?g ?s ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                "FILTER(LANG(?l) = 'en' || LANG(?l) = '') }"
            )
            found = handle.repo.select(q, {"g": URIRef(ONTOLOGY_GRAPH)})
            hit = {str(row["s"]): str(row["l"]) for row in sorted(found, key=lambda r: (str(r["s"]), str(r["l"])))}
            cache.put(handle.version, hit)
        return hit


RANK_ORDER = {"preferred": 0, "normal": 1, "deprecated": 2}


def _label(node: Node) -> str:
    labels = node.props.get(RDFS_LABEL)
    if labels:
        return str(labels[0])
    return str(node.iri).rsplit("/", 1)[-1]


class PageBuilder:
    """Turns a Description into the entity page's view model."""

    def __init__(self, desc: Description, base: str, term_labels: dict[str, str], v: Vocab | None = None):
        self.desc = desc
        self.base = base
        self.terms = term_labels
        self.v = v or vocab()
        graphs = sorted(desc.claims, key=lambda g: (str(g) == INFERRED_GRAPH, str(g)))
        self.source_no = {g: n for n, g in enumerate(graphs, start=1)}
        self.fact_graphs = desc.graphs_of()

    def href(self, iri: str) -> str:
        path = local_path(iri, self.base)
        if path is not None:
            return path
        return iri

    def prop(self, p: URIRef) -> dict:
        key = self.v.key(str(p))
        label = self.terms.get(str(p)) or humanize(key.split(":")[-1]).lower()
        return {"label": label, "key": key, "iri": str(p), "href": self.href(str(p))}

    def value(self, o: Term, node: Node | None = None) -> dict:
        if isinstance(o, URIRef):
            if node is not None and o in node.embedded:
                return {
                    "embedded": self.facts(node.embedded[o], with_sources=False),
                    "href": self.href(str(o)),
                    "text": _label(node.embedded[o]),
                }
            labels = self.desc.labels.get(o) or self.desc.titles.get(o)
            text = str(labels[0]) if labels else self.terms.get(str(o)) or str(o).rsplit("/", 1)[-1]
            return {"text": text, "href": self.href(str(o))}
        if isinstance(o, Literal):
            dt = str(o.datatype or XSD_STRING).rsplit("#", 1)[-1] if not o.language else o.language
            return {"text": str(o), "datatype": dt}
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

    def ranking(self, p: URIRef, o: Term) -> dict:
        """Why the shown value is preferred, and what the other sources say ("other sources say ...")."""
        claims = [c for c in self.desc.ranked if c.predicate == p]
        if not claims:
            return {}
        mine = next((c for c in claims if c.value == o and c.rank == "preferred"), None)
        return {"why": str(mine.reason) if mine else None, "others": self.others(claims, exclude=o)}

    def others(self, claims: list, exclude: Term | None) -> list[dict]:
        by_value: dict[Term, list] = {}
        for c in claims:
            if c.value != exclude:
                by_value.setdefault(c.value, []).append(c)
        return [{"value": self.value(v), "rank": cs[0].rank, "reason": str(cs[0].reason),
                 "sources": sorted(self.source_no[c.source] for c in cs if c.source in self.source_no)}
                for v, cs in by_value.items()]

    def unsettled(self, node: Node, shown: set[URIRef]) -> list[dict]:
        """Facts with no preferred value (a tie, or every claim deprecated): only the claims."""
        rows = []
        for p in sorted({c.predicate for c in self.desc.ranked} - shown, key=self._order):
            claims = [c for c in self.desc.ranked if c.predicate == p]
            rows.append({"prop": self.prop(p), "values": [], "unsettled": str(claims[0].reason),
                         "others": self.others(claims, exclude=None)})
        return rows

    def _order(self, p: URIRef) -> tuple:
        first = {str(RDF_TYPE): 0, str(RDFS_LABEL): 1}
        return (first.get(str(p), 2), self.v.key(str(p)))

    def disagreements(self) -> list[dict]:
        """Facts on which sources disagree: every claim side by side, with its rank and reason."""
        out = []
        for p in sorted({c.predicate for c in self.desc.ranked}, key=self._order):
            claims = [c for c in self.desc.ranked if c.predicate == p]
            out.append({
                "prop": self.prop(p),
                "claims": [{"source": self.source(c.source), "values": [self.value(c.value)], "rank": c.rank,
                            "reason": str(c.reason), "rows": list(c.rows)}
                           for c in sorted(claims, key=lambda c: (RANK_ORDER[c.rank], self.source_no.get(c.source, 0)))
                           if c.source in self.source_no],
            })
        return out

    def source(self, g: URIRef) -> dict:
        labels = self.desc.labels.get(g) or self.desc.titles.get(g)
        name = str(labels[0]) if labels else str(g).rstrip("/").rsplit("/", 1)[-1]
        return {"no": self.source_no[g], "label": name, "href": self.href(str(g)), "iri": str(g)}

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
                                "href": self.href(str(k.iri)),
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
                        "href": self.href(str(kid.iri)),
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
            {"text": self.terms.get(str(t)) or self.v.type_name(str(t)), "href": self.href(str(t))}
            for t in root.props.get(RDF_TYPE, [])
            if isinstance(t, URIRef)
        ]
        describe_query = f"DESCRIBE <{root.iri}>"
        return {
            "title": _label(root),
            "iri": str(root.iri),
            "types": types,
            "facts": [f for f in self.facts(root) if f["prop"]["iri"] != str(RDF_TYPE)],
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
