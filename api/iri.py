"""Is this an IRI a SPARQL engine and an RDF serialiser will accept? One check, used everywhere.

An absolute IRI (RFC 3987: a scheme, then no character that SPARQL's IRIREF excludes), percent
signs followed by two hex digits, at most one fragment. Enough to refuse what would break a query
or a document; not a full RFC 3987 parser.
"""

from __future__ import annotations

import re

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def iri_problem(iri: str) -> str | None:
    """Why ``iri`` is not a usable absolute IRI, or None."""
    if not SCHEME.match(iri):
        return f"{iri[:80]!r} is not an absolute IRI (it needs a scheme such as https:)"
    bad = FORBIDDEN.search(iri)
    if bad:
        char = bad.group()
        shown = "a space" if char == " " else f"the character {char!r}"
        return f"an IRI cannot contain {shown} (position {bad.start()})"
    if BAD_PERCENT.search(iri):
        return "an IRI's % must be followed by two hexadecimal digits"
    if iri.count("#") > 1:
        return "an IRI has at most one # (the fragment)"
    return None
