"""Short, specific error messages from the parser's, for people reading them in a client.

The embedded engine (Oxigraph) reports an undeclared prefix as a list of hundreds of expected character ranges; a
researcher needs "prefix nope: is not declared; known prefixes: asp, org, ...". Other syntax errors
keep the parser's position and a short list of what it expected.
"""

from __future__ import annotations

import re

from graph.namespaces import PREFIXES

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
MAX_EXPECTED = 8


def _token_before(query: str, line: int, column: int) -> str:
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    head = text[: max(0, column - 1)]
    m = re.search(r"([A-Za-z][\w.-]*)?:?\S*$", head)
    return m.group(0) if m else ""


def syntax_message(message: str, query: str) -> str:
    """The parser's ``message`` about ``query``, made readable."""
    m = _POSITION.match(message)
    where = f"line {m.group(1)}, column {m.group(2)}" if m else "the query"
    rest = message[m.end():] if m else message
    if "Prefix not found" in rest and m:
        token = _token_before(query, int(m.group(1)), int(m.group(2)))
        prefix = token.split(":", 1)[0] if ":" in token else token
        known = ", ".join(sorted(PREFIXES))
        return (f"prefix {prefix}: is not declared (at {where}); declare it with PREFIX {prefix}: <...>, or use one "
                f"of the prefixes this endpoint declares for you: {known}")
    if rest.startswith("expected one of "):
        items = [i.strip() for i in rest[len("expected one of "):].split(", ") if i.strip()]
        shown = ", ".join(items[:MAX_EXPECTED]) + (", ..." if len(items) > MAX_EXPECTED else "")
        return f"syntax error at {where}: expected one of {shown}"
    return f"syntax error at {where}: {rest[:300]}"


_UNKNOWN_FUNCTION = re.compile(r"custom function (<[^<>\s]{1,500}>) is not supported", re.I)


def unknown_function(message: str) -> str | None:
    """For an engine's "custom function <f> is not supported", the message clients get; else None."""
    m = _UNKNOWN_FUNCTION.search(message)
    if m is None:
        return None
    return (f"unknown function {m.group(1)}: this endpoint evaluates the SPARQL 1.1 built-in functions "
            "and XPath casts only")
