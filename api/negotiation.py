"""Content negotiation, in one place for every route.

Accept headers are parsed by Werkzeug (q-values, wildcards, specificity), not by hand. A route names
the formats it offers, in order of preference; a ``format=`` parameter or a file suffix wins over
Accept; nothing acceptable left means 406.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    """A serialisation we can produce: its media type, short name (``format=``) and file suffix."""

    name: str
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text_like = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml"))
        json_like = self.media_type in ("application/json", "application/ld+json", "application/n-quads",
                                        "application/n-triples", "application/trig")
        return f"{self.media_type}; charset=utf-8" if text_like or json_like else self.media_type


SPARQL_JSON = Format("json", "application/sparql-results+json", "srj", ("application/json",))
SPARQL_XML = Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "csv")
TSV = Format("tsv", "text/tab-separated-values", "tsv")
TURTLE = Format("turtle", "text/turtle", "ttl", ("application/x-turtle",))
NTRIPLES = Format("ntriples", "application/n-triples", "nt", ("text/plain",))
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml"))
JSONLD = Format("jsonld", "application/ld+json", "jsonld", ("application/json",))
TRIG = Format("trig", "application/trig", "trig")
NQUADS = Format("nquads", "application/n-quads", "nq")
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))

ALL_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV, TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS, HTML)
BY_NAME = {f.name: f for f in ALL_FORMATS} | {"ttl": TURTLE, "nt": NTRIPLES, "rdf": RDFXML, "nq": NQUADS,
                                              "srj": SPARQL_JSON, "srx": SPARQL_XML, "json-ld": JSONLD}


class NotAcceptable(Exception):
    """No offered format is acceptable to the client (HTTP 406)."""

    def __init__(self, offered: tuple[Format, ...]):
        self.offered = offered
        super().__init__("none of the offered formats is acceptable: " + ", ".join(f.media_type for f in offered))


class UnknownFormat(ValueError):
    """A ``format=`` value or suffix we do not produce for this resource (HTTP 400)."""


def choose(accept: str | None, offered: tuple[Format, ...], explicit: str | None = None) -> Format:
    """The best offered format for this request.

    ``explicit`` (a ``format=`` value, a media type, or a suffix) overrides Accept. An absent or empty
    Accept header means the first offered format.
    """
    if explicit:
        key = explicit.strip().lower()
        for f in offered:
            if key in (f.name, f.suffix, f.media_type) or key in f.aliases:
                return f
        wanted = BY_NAME.get(key)
        if wanted in offered:
            return wanted  # type: ignore[return-value]
        raise UnknownFormat(
            f"format {explicit!r} is not offered here; use one of: " + ", ".join(f.name for f in offered)
        )
    if not accept or not accept.strip():
        return offered[0]
    best = _best(accept, offered)
    if best is None:
        raise NotAcceptable(offered)
    return best


@functools.lru_cache(maxsize=1024)
def _best(accept: str, offered: tuple[Format, ...]) -> Format | None:
    """Werkzeug's answer for one Accept header and one set of formats; clients send the same few
    headers again and again, so it is remembered (bounded)."""
    parsed = parse_accept_header(accept, MIMEAccept)
    candidates: list[str] = []
    owner: dict[str, Format] = {}
    for f in offered:
        for mt in (f.media_type, *f.aliases):
            if mt not in owner:
                owner[mt] = f
                candidates.append(mt)
    best = parsed.best_match(candidates)
    return None if best is None else owner[best]


def vary_headers() -> dict[str, str]:
    return {"Vary": "Accept"}
