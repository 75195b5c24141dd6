"""Checks run on a query before any engine sees it.

Oxigraph calls a ``SERVICE`` endpoint while it merely *prepares* a query (measured: the HTTP request
leaves before the first result is read), so ``SERVICE`` must be refused before the text reaches
the engine at all. The decision rests on a real parse, and fails closed:

1. SPARQL applies ``\\uXXXX``/``\\UXXXXXXXX`` escapes to the whole query text before parsing; so do we.
2. A ``SERVICE`` clause needs the letters ``service`` (in any case) in that text. A query without
   them cannot call out, whatever its syntax: nothing more to decide.
3. A query that has them is parsed with rdflib's SPARQL 1.1 grammar (a full parser, not a lexer) and
   refused if the parse tree holds a ``SERVICE`` pattern. If it cannot be parsed (a syntax error, or
   an Oxigraph extension such as ``LATERAL`` that rdflib does not know), we cannot tell where the
   word sits, so the query is refused: the user is told to drop the word or write standard SPARQL.

Nesting is bounded before anything parses the text (Oxigraph overflows its stack at about 2,500
levels). The tokenizer (``lexer.py``) only classifies the query form for content negotiation and
finds what makes a result uncacheable; it decides nothing about safety.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from api.sparql.errors import SparqlError
from api.sparql.lexer import Token, scan, tokenize, unescape_codepoints

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
NONDETERMINISTIC_WORDS = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})
MAX_NESTING = 200  # brackets, braces and parentheses open at once; real queries use fewer than 20
_SERVICE = re.compile("service", re.IGNORECASE)


class QueryRefused(SparqlError):
    """A query this endpoint will not evaluate (update, SERVICE, too deeply nested)."""


@dataclass(frozen=True)
class Analysis:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None when unrecognisable
    is_update: bool
    uses_service: bool  # refused: the parse found SERVICE, or the text names it and does not parse
    service_reason: str  # why, in words, when uses_service
    deterministic: bool
    has_dataset_clause: bool  # FROM / FROM NAMED in the query itself
    normalised: str  # comments dropped and whitespace collapsed: the cache key
    nesting: int  # deepest bracket nesting of the raw text


def _words(tokens: list[Token]) -> set[str]:
    return {t.text.upper() for t in tokens if t.kind == "WORD"}


def _first_word_after_prologue(tokens: list[Token]) -> str | None:
    i = 0
    while i < len(tokens):
        t = tokens[i]
        word = t.text.upper() if t.kind == "WORD" else None
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word is not None:
            return word
        else:
            return None
    return None


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``{ ( [`` in the raw text, strings and comments included: counting too many
    only refuses a query that nests brackets inside strings hundreds deep."""
    depth = deepest = 0
    for ch in text:
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth = max(0, depth - 1)
    return deepest


def _has_service_pattern(node: object) -> bool:
    """Does an rdflib parse tree hold a SERVICE graph pattern anywhere?"""
    stack = [node]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        if isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))  # type: ignore[call-overload]
    return False


def service_decision(unescaped: str) -> tuple[bool, str]:
    """(refuse, why) for the SERVICE rule; ``unescaped`` has its codepoint escapes applied."""
    if not _SERVICE.search(unescaped):
        return False, ""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(unescaped)
    except RecursionError:
        return True, "the query names SERVICE and is too deeply nested for the safety check to parse it"
    except Exception:  # noqa: BLE001 - any parse failure is a reason to refuse, not to crash
        return True, ("the query names SERVICE but the safety check cannot parse it as standard SPARQL 1.1, "
                      "so it cannot tell a SERVICE clause from the word; write standard SPARQL 1.1 or "
                      "avoid the word 'service' outside strings and IRIs")
    if _has_service_pattern(tree):
        return True, ("federated queries (SERVICE) are not allowed on this public endpoint; "
                      "download the dumps to query them with your own federation")
    return False, ""


@lru_cache(maxsize=2048)
def analyse(query: str) -> Analysis:
    """Classify ``query``; memoised, since researchers and the benchmark repeat the same texts."""
    unescaped = unescape_codepoints(query)
    depth = nesting_depth(unescaped)
    tokens, normalised = scan(query)  # one pass of the lexer for a new query
    unescaped_tokens = tokens if unescaped == query else tokenize(unescaped)
    words = _words(tokens) | _words(unescaped_tokens)
    first = _first_word_after_prologue(unescaped_tokens)
    refuse, why = service_decision(unescaped) if depth <= MAX_NESTING else (False, "")
    return Analysis(
        form=first if first in QUERY_FORMS else None,
        is_update=first in UPDATE_WORDS,
        uses_service=refuse,
        service_reason=why,
        deterministic=not (words & NONDETERMINISTIC_WORDS),
        has_dataset_clause="FROM" in words,
        normalised=normalised,
        nesting=depth,
    )


def check(query: str) -> Analysis:
    """The analysis of an acceptable query; raises :class:`QueryRefused` otherwise."""
    a = analyse(query)
    if a.nesting > MAX_NESTING:
        raise QueryRefused(
            400, "query too deeply nested",
            f"the query nests brackets {a.nesting} levels deep; this endpoint accepts at most {MAX_NESTING}",
        )
    if a.is_update:
        raise QueryRefused(
            400, "update refused", "this endpoint is read-only: SPARQL Update operations are not accepted"
        )
    if a.uses_service:
        raise QueryRefused(400, "SERVICE refused", a.service_reason)
    return a
