"""A description's triples as Turtle, N-Triples or RDF/XML, via rdflib's serialisers.

Literals keep their exact lexical form: rdflib's Turtle writer abbreviates numbers and booleans
(``187086100`` as a decimal becomes ``187086100.0``, another term), so typed literals are written in
full. N-Triples lines are sorted, so the same description always gives the same bytes.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.plugin import Serializer, register
from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer

from api.negotiation import NTRIPLES, RDFXML, TURTLE, Format
from graph.namespaces import PREFIXES


class ExactTurtle(TurtleSerializer):
    """Turtle that never rewrites a literal's lexical form."""

    def label(self, node, position: int) -> str:
        if isinstance(node, Literal) and node.datatype is not None:
            return node._literal_n3(use_plain=False,
                                    qname_callback=lambda dt: self.get_pname(dt, _GEN_QNAME_FOR_DT))
        return super().label(node, position)


register("exact-turtle", Serializer, __name__, "ExactTurtle")
RDFLIB_FORMATS = {TURTLE.name: "exact-turtle", NTRIPLES.name: "nt", RDFXML.name: "xml"}


def serialize(triples, fmt: Format, id_base: str) -> bytes:
    g = Graph(bind_namespaces="none")
    for t in triples:
        g.add(t)
    if fmt is not NTRIPLES:
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
        if fmt is TURTLE:
            prefixes["id"] = id_base
        for prefix, ns in prefixes.items():
            g.bind(prefix, ns, override=True, replace=True)
    out = g.serialize(format=RDFLIB_FORMATS[fmt.name], encoding="utf-8")
    if fmt is NTRIPLES:
        out = b"".join(sorted(line + b"\n" for line in out.splitlines() if line.strip()))
    return out
