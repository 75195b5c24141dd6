"""A SPARQL engine's answers to our own queries, read into rdflib terms exactly as the embedded store
gives them: lexical forms kept (no normalisation), a plain string without a datatype.

SELECT and ASK come as SPARQL 1.1 JSON results, CONSTRUCT as N-Triples. The N-Triples reader is a
small strict one, not rdflib's, whose literals would be normalised; anything malformed (an answer an
engine cut short, say) is a ``ValueError``, never a partial result.
"""

from __future__ import annotations

import json
import re

from rdflib.term import BNode, Literal, URIRef

from api.store.base import Row, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def typed(text: str, datatype: str | None) -> Literal:
    """A literal of ``datatype``, its lexical form kept; except that booleans written ``1``/``0`` by
    some engines (Virtuoso) read as the ``true``/``false`` the dataset holds."""
    if not datatype or datatype == XSD_STRING:
        return Literal(text)
    if datatype == XSD_BOOLEAN and text in ("1", "0"):
        text = "true" if text == "1" else "false"
    return Literal(text, datatype=URIRef(datatype), normalize=False)


def json_term(value: object) -> Term:
    """A term of SPARQL JSON results (``literal`` with ``xml:lang`` or ``datatype``, legacy
    ``typed-literal``, ``uri``, ``bnode``)."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError(f"not a SPARQL JSON term: {value!r}")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=value["xml:lang"])
        return typed(text, value.get("datatype"))
    raise ValueError(f"unsupported SPARQL JSON term type {kind!r}")


def _document(body: bytes) -> dict:
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"the engine's answer is not JSON ({e}): {body[:200]!r}") from None
    if not isinstance(doc, dict):
        raise ValueError("the engine's answer is not a SPARQL JSON results document")
    return doc


def select_rows(body: bytes) -> list[Row]:
    """Solutions of a SPARQL JSON SELECT result; an unbound variable is absent from its row."""
    results = _document(body).get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise ValueError("the engine's answer has no results.bindings list")
    rows: list[Row] = []
    for solution in bindings:
        if not isinstance(solution, dict):
            raise ValueError(f"not a solution: {solution!r}")
        rows.append({name: json_term(value) for name, value in solution.items()})
    return rows


def ask_boolean(body: bytes) -> bool:
    answer = _document(body).get("boolean")
    if not isinstance(answer, bool):
        raise ValueError("the engine's answer has no boolean")
    return answer


_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI = rf'<((?:[^\x00-\x20<>"{{}}|^`\\]|{_UCHAR})*)>'
_BNODE = r'_:([^\s<>"]+(?<!\.))'
_LITERAL = rf'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|{_UCHAR})*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^{_IRI})?'
_STATEMENT = re.compile(
    rf"[ \t]*(?:(?:{_IRI}|{_BNODE})[ \t]*{_IRI}[ \t]*(?:{_IRI}|{_BNODE}|{_LITERAL})[ \t]*\.[ \t]*)?(?:#.*)?"
)
_ESCAPE = re.compile(rf'\\[tbnrf"\'\\]|{_UCHAR}')
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ECHAR[m.group()[1]] if len(m.group()) == 2 else chr(int(m.group()[2:], 16)), text)


def ntriples(body: bytes) -> list[tuple[Term, Term, Term]]:
    """The triples of an N-Triples document; ``ValueError`` at the first line that is not one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"the engine's N-Triples are not UTF-8: {e}") from None
    out: list[tuple[Term, Term, Term]] = []
    for number, line in enumerate(text.split("\n"), 1):
        m = _STATEMENT.fullmatch(line.rstrip("\r"))
        if m is None:
            raise ValueError(f"line {number} of the engine's N-Triples is not a triple: {line[:200]!r}")
        s_iri, s_bnode, p_iri, o_iri, o_bnode, o_text, o_lang, o_datatype = m.groups()
        if p_iri is None:
            continue  # blank line or comment
        subject: Term = URIRef(_unescape(s_iri)) if s_iri is not None else BNode(s_bnode)
        obj: Term
        if o_iri is not None:
            obj = URIRef(_unescape(o_iri))
        elif o_bnode is not None:
            obj = BNode(o_bnode)
        elif o_lang:
            obj = Literal(_unescape(o_text), lang=o_lang)
        elif o_datatype is not None and _unescape(o_datatype) != XSD_STRING:
            obj = typed(_unescape(o_text), _unescape(o_datatype))
        else:
            obj = Literal(_unescape(o_text))
        out.append((subject, URIRef(_unescape(p_iri)), obj))
    return out
