"""Bound values as query text, for engines that take no substitutions: a ``VALUES`` block.

The embedded store binds a canned query's parameters through the engine's substitutions; a remote
engine only takes text, so ``bind_values`` puts the values in a ``VALUES (?a ?b) { (… …) }`` block
at the start of the query's WHERE group. Values are never spliced in as they come: each term is
checked (an IRI must be an absolute IRIREF, a language tag a language tag) and a literal's text is
escaped, so no value can end its term early and add syntax of its own.

This gives the substitutions' answers when the bound variables occur in the main pattern (or its
FILTERs, OPTIONALs, EXISTS): a VALUES row joined at the start of the group binds them there. It
differs where a substitution reaches and a join does not: a variable used only inside a sub-SELECT
that does not project it, or one assigned again by ``BIND(… AS ?x)`` (a syntax error with VALUES).
Our canned queries use their parameters in the main pattern only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import BNode, Literal, URIRef

from api.iri import iri_problem
from api.sparql.lexer import _TOKEN

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_LANG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_VAR = re.compile(r"[A-Za-z0-9_]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\ud800-\udfff]')  # C0/C1 controls as \uXXXX
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def sparql_iri(value: str) -> str:
    problem = iri_problem(value)
    if problem:
        raise ValueError(f"not an absolute IRI that SPARQL can write as <...>: {problem}")
    return f"<{value}>"


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    if "\ud800" <= c <= "\udfff":
        raise ValueError("a literal holds a lone surrogate, which no query can carry")
    return f"\\u{ord(c):04X}"


def sparql_literal(lit: Literal) -> str:
    text = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(lit)) + '"'
    if lit.language:
        if not _LANG.fullmatch(lit.language):
            raise ValueError(f"not a language tag: {lit.language!r}")
        return f"{text}@{lit.language}"
    if lit.datatype is None or str(lit.datatype) == XSD_STRING:
        return text
    if str(lit.datatype) == RDF_LANG_STRING:
        raise ValueError("an rdf:langString literal needs a language tag")
    return f"{text}^^{sparql_iri(str(lit.datatype))}"


def sparql_term(term: URIRef | BNode | Literal) -> str:
    """A term as SPARQL text; raises ``ValueError`` for what a query cannot carry (a blank node:
    in a query, ``_:b`` is a fresh variable, not the node of the store)."""
    if isinstance(term, URIRef):
        return sparql_iri(str(term))
    if isinstance(term, Literal):
        return sparql_literal(term)
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be bound in a query sent to another engine")
    raise ValueError(f"not an RDF term: {term!r}")


def _where_brace(query: str) -> int:
    """Offset just after the ``{`` opening the WHERE group: the first ``{`` outside any braces and
    parentheses after the query form keyword (for CONSTRUCT, the one after WHERE, not the template)."""
    braces = parens = 0
    form: str | None = None
    previous = ""
    for m in _TOKEN.finditer(query):
        kind, text = m.lastgroup, m.group()
        if kind in ("WS", "COMMENT"):
            continue
        top = braces == 0 and parens == 0
        if kind == "OTHER" and text == "{":
            if top and form is not None and (form != "CONSTRUCT" or previous == "WHERE"):
                return m.end()
            braces += 1
        elif kind == "OTHER" and text == "}":
            braces -= 1
        elif kind == "OTHER" and text == "(":
            parens += 1
        elif kind == "OTHER" and text == ")":
            parens -= 1
        elif kind == "WORD" and top:
            word = text.upper()
            if form is None and word in _FORMS:
                form = word
            elif form == "CONSTRUCT" and word == "WHERE" and previous == "CONSTRUCT":
                raise ValueError("CONSTRUCT WHERE { ... } (the short form) cannot take a VALUES block; "
                                 "write CONSTRUCT { template } WHERE { pattern }")
        previous = text.upper() if kind == "WORD" else text
    raise ValueError("the query has no WHERE group to put the bound values in")


def bind_values(query: str, bindings: Mapping[str, URIRef | BNode | Literal]) -> str:
    """``query`` with ``bindings`` (variable name -> term) as a one-row VALUES block opening its WHERE group."""
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VAR.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
    row = " ".join(sparql_term(bindings[name]) for name in names)
    block = " VALUES (" + " ".join(f"?{n}" for n in names) + f") {{ ({row}) }} "
    at = _where_brace(query)
    return query[:at] + block + query[at:]
