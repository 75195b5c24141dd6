"""The query page's static files: our own script and styles, and the vendored YASGUI bundle.

Served by this application, never a CDN, so the page works offline. Only names on the list are
served; each file is read and gzipped once, carries a content ETag and is sent compressed to
clients that accept it (the editor bundle is 1 MB, 300 kB gzipped).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response

STATIC = Path(__file__).resolve().parent.parent / "static"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
FILES: dict[str, tuple[Path, str]] = {
    "query.js": (STATIC / "sparql" / "query.js", JS),
    "chart.js": (STATIC / "sparql" / "chart.js", JS),
    "query.css": (STATIC / "sparql" / "query.css", CSS),
    "yasgui.min.js": (STATIC / "vendor" / "yasgui" / "yasgui.min.js", JS),
    "yasgui.min.css": (STATIC / "vendor" / "yasgui" / "yasgui.min.css", CSS),
    "THIRD-PARTY-LICENSES.txt": (
        STATIC / "vendor" / "yasgui" / "THIRD-PARTY-LICENSES.txt",
        "text/plain; charset=utf-8",
    ),
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=len(FILES))
def load(name: str) -> Asset:
    """Read once per process; KeyError for a name that is not on the list."""
    path, media_type = FILES[name]
    body = path.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), media_type, etag)


def respond(asset: Asset, request: Request) -> Response:
    headers = {"Cache-Control": "public, max-age=3600", "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
