"""A ``Description`` as a framed JSON-LD document, built directly as a dict (fast, no JSON-LD library).

Literals whose datatype the @context already coerces are written as plain JSON (dates as strings,
integers and booleans as JSON values); any other literal carries its own ``@type`` or ``@language``,
so expanding the document gives back exactly the store's terms. ``claims`` (``@included``) lists,
per named graph, the entity's facts that graph states.
"""

from __future__ import annotations

from rdflib.term import Literal, URIRef

from api.linked_data.describe import RANK_IRIS, RDF_TYPE, RDFS_LABEL, Description, Node, Term
from api.linked_data.vocab import XSD, Vocab, vocab

XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"


def literal_json(lit: Literal, coercion: str | None, v: Vocab) -> object:
    value = str(lit)
    dt = str(lit.datatype) if lit.datatype is not None else XSD_STRING
    if lit.language:
        return {"@value": value, "@language": lit.language}
    if (
        dt == XSD_INTEGER
        and coercion in (None, XSD_INTEGER)
        and value.lstrip("-").isdigit()
        and str(int(value)) == value
    ):
        return int(value)
    if dt == XSD_BOOLEAN and coercion in (None, XSD_BOOLEAN) and value in ("true", "false"):
        return value == "true"
    if coercion == dt or (coercion is None and dt == XSD_STRING):
        return value
    if dt == XSD_STRING:
        return {"@value": value}
    return {"@value": value, "@type": v.compact(dt)}


def term_json(o: Term, key: str, v: Vocab) -> object:
    if isinstance(o, Literal):
        return literal_json(o, v.coercion.get(key), v)
    return {"id": str(o) if isinstance(o, URIRef) else f"_:{o}"}


def _ref(o: URIRef, desc: Description, v: Vocab) -> dict:
    out: dict[str, object] = {"id": str(o)}
    labels = desc.labels.get(o)
    if labels:
        out["label"] = _one([literal_json(x, None, v) for x in labels])
    titles = desc.titles.get(o)
    if titles:
        out["title"] = _one([literal_json(x, None, v) for x in titles])
    return out


def _one(values: list) -> object:
    return values[0] if len(values) == 1 else values


def node_json(node: Node, desc: Description, v: Vocab) -> dict:
    out: dict[str, object] = {"id": str(node.iri)}
    types = node.props.get(RDF_TYPE)
    if types:
        out["type"] = _one([v.type_name(str(t)) for t in types if isinstance(t, URIRef)])
    for p, values in node.props.items():
        if p == RDF_TYPE:
            continue
        key = v.key(str(p))
        rendered: list[object] = []
        for o in values:
            if isinstance(o, URIRef):
                child = node.embedded.get(o)
                rendered.append(node_json(child, desc, v) if child else _ref(o, desc, v))
            else:
                rendered.append(term_json(o, key, v))
        out[key] = _one(rendered)
    for rev, kids in node.children:
        out[rev.key] = [node_json(k, desc, v) for k in kids]
    return out


def claims_json(desc: Description, v: Vocab) -> list[dict]:
    out = []
    for g, facts in sorted(desc.claims.items(), key=lambda kv: str(kv[0])):
        stated: dict[str, object] = {"id": str(desc.root.iri)}
        for p, o in facts:
            key = v.key(str(p))
            value = v.type_name(str(o)) if p == RDF_TYPE else term_json(o, key, v)
            prev = stated.get(key)
            stated[key] = (
                value if prev is None else (prev + [value] if isinstance(prev, list) else [prev, value])
            )
        claim: dict[str, object] = {"id": str(g)}
        labels = desc.labels.get(g)
        if labels:
            claim["label"] = _one([literal_json(x, None, v) for x in labels])
        claim["@graph"] = [stated]
        out.append(claim)
    return out


def ranked_json(desc: Description, v: Vocab) -> list[dict]:
    """Each claim of a contested fact as an ``asp:Claim`` node (reverse of ``rdf:subject``): the value
    a source states, its rank (Wikidata's rank terms), the rule and the reason."""
    out = []
    for rc in desc.ranked:
        obj = ({"id": str(rc.value)} if isinstance(rc.value, URIRef)
               else literal_json(rc.value, "none", v) if isinstance(rc.value, Literal) else str(rc.value))
        if isinstance(obj, str | int | bool):
            obj = {"@value": obj}
        node: dict[str, object] = {
            "id": str(rc.iri), "type": "Claim", "predicate": v.compact(str(rc.predicate)), "object": obj,
            "statedBy": str(rc.source), "rank": v.compact(str(RANK_IRIS[rc.rank])),
            "rankRule": str(rc.rule), "rankReason": literal_json(rc.reason, None, v),
        }
        if rc.rows:
            node["tableRow"] = _one(list(rc.rows))
        out.append(node)
    return out


def document(desc: Description, context_url: str, v: Vocab | None = None) -> dict:
    """The entity's JSON-LD document; ``context_url`` is where the published @context lives.

    The entity's properties hold the preferred value of each fact; ``rankedClaims`` lists, beside them,
    every source's claim of the contested ones with its rank and reason; ``claims`` what each source's
    graph states."""
    v = v or vocab()
    doc: dict[str, object] = {"@context": context_url}
    doc.update(node_json(desc.root, desc, v))
    if desc.ranked:
        doc["rankedClaims"] = ranked_json(desc, v)
    doc["claims"] = claims_json(desc, v)
    return doc


__all__ = ["document", "node_json", "literal_json", "RDFS_LABEL"]
