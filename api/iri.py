"""Is this an IRI a SPARQL engine and an RDF serialiser will accept? One check, used everywhere.

An absolute IRI (RFC 3987: a scheme, then no character that SPARQL's IRIREF excludes), percent
signs followed by two hex digits, at most one fragment. Enough to refuse what would break a query
or a document; not a full RFC 3987 parser.
"""

from __future__ import annotations

import re

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f-\x9f]')
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
    scheme_end = iri.index(":") + 1
    authority_end = len(iri)
    if iri.startswith("//", scheme_end):
        authority_end = next((i for i in range(scheme_end + 2, len(iri)) if iri[i] in "/?#"), len(iri))
    for i, char in enumerate(iri):
        if char in "[]" and not scheme_end + 2 <= i < authority_end:
            return f"an IRI has [ or ] only around an IP address in its host (position {i})"
    query_at, fragment_at = iri.find("?"), iri.find("#")
    for i, char in enumerate(iri):
        o = ord(char)
        if o < 0x80 or _ucschar(o):
            continue
        in_query = query_at != -1 and i > query_at and (fragment_at == -1 or i < fragment_at)
        if in_query and _iprivate(o):
            continue
        return f"an IRI cannot contain the character U+{o:04X} (position {i}; RFC 3987 allows it nowhere there)"
    return None


def _ucschar(o: int) -> bool:
    """RFC 3987's ucschar: letters of every script, but no controls, surrogates, private use,
    noncharacters or tag characters."""
    if 0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF:
        return True
    return 0x10000 <= o <= 0xEFFFD and (o & 0xFFFF) <= 0xFFFD and not 0xE0000 <= o < 0xE1000


def _iprivate(o: int) -> bool:
    """Private-use characters, which RFC 3987 allows in the query part only."""
    return 0xE000 <= o <= 0xF8FF or 0xF0000 <= o <= 0xFFFFD or 0x100000 <= o <= 0x10FFFD
