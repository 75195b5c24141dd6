"""Static files the home page points to: data dumps, SHACL shapes, and the pages' own CSS/JS."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from rdflib import Graph

from api.linked_data import render_html
from api.linked_data.common import frozen, version_folder
from api.linked_data.entities import negotiate
from api.negotiation import HTML, JSONLD, TURTLE

router = APIRouter()
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "ld"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")  # bounded: a longer name is no file of ours
MEDIA = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".gz": "application/gzip",
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".zip": "application/zip",
}


def _file(directory: Path, name: str) -> Path | None:
    """``directory/name`` when ``name`` is a plain file name that exists there (no traversal)."""
    if not SAFE_NAME.match(name):
        return None
    path = directory / name
    return path if path.is_file() and path.resolve().parent == directory.resolve() else None


def human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def dump_files(request: Request) -> list[dict]:
    folder = version_folder(request)
    try:
        directory = folder / "dumps" if folder is not None else None
        files = sorted(p for p in directory.iterdir() if p.is_file()) if directory and directory.is_dir() else []
    except OSError:
        files = []
    return [{"name": p.name, "href": f"/dumps/{p.name}", "size": human_size(p.stat().st_size)} for p in files]


def _listing(request: Request, title: str, items: list[dict], message: str) -> Response:
    chosen = negotiate(request, None, None, (JSONLD, HTML))
    if isinstance(chosen, Response):
        return chosen
    if chosen is HTML:
        return HTMLResponse(
            render_html.render(
                "ld_message.html",
                title=title,
                message=message,
                links=[{"href": i["href"], "text": i["name"]} for i in items],
                version=None,
            ),
            headers={"Vary": "Accept"},
        )
    return JSONResponse({"title": title, "files": items}, headers={"Vary": "Accept"})


@router.get("/dumps", tags=["Files"], summary="List the data dumps of the published graph")
def dumps(request: Request) -> Response:
    items = dump_files(request)
    return _listing(
        request,
        "Dumps",
        items,
        "Complete downloads of the published graph."
        if items
        else "No dumps have been built yet: `aspkg build` writes them.",
    )


@router.api_route(
    "/dumps/{name}",
    methods=["GET", "HEAD"],
    tags=["Files"],
    summary="Download one dump",
    responses={200: {"content": {"application/n-quads": {}, "application/trig": {}, "application/n-triples": {},
                                 "text/turtle": {}, "application/ld+json": {}}}},
)
def dump(request: Request, name: str) -> Response:
    folder = version_folder(request)
    path = _file(folder / "dumps", name) if folder is not None else None
    if path is None:
        return JSONResponse(
            {
                "error": "not found",
                "detail": f"no dump named {name!r}",
                "dumps": [d["name"] for d in dump_files(request)],
            },
            status_code=404,
        )
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"))


def shape_files(request: Request) -> list[Path]:
    folder = frozen(request, "shapes")
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


@router.get(
    "/shapes",
    tags=["Files"],
    summary="The SHACL shapes the build validates against",
    description="HTML list for browsers, all shapes merged as Turtle for `Accept: text/turtle`, "
    "or a JSON list of the files.",
)
def shapes(request: Request) -> Response:
    accept = request.headers.get("accept") or ""
    if "text/turtle" in accept:
        merged = Graph()
        for p in shape_files(request):
            merged.parse(p, format="turtle")
        return Response(
            merged.serialize(format="turtle", encoding="utf-8"),
            media_type=TURTLE.content_type,
            headers={"Vary": "Accept"},
        )
    items = [{"name": p.name, "href": f"/shapes/{p.name}"} for p in shape_files(request)]
    return _listing(
        request,
        "SHACL shapes",
        items,
        "The shapes every build is validated against." if items else "No shapes files are present yet.",
    )


@router.get("/shapes/{name}", tags=["Files"], summary="One SHACL shapes file (Turtle)")
def shape(name: str, request: Request) -> Response:
    path = _file(frozen(request, "shapes"), name)
    if path is None or path.suffix != ".ttl":
        return JSONResponse(
            {"error": "not found", "shapes": [p.name for p in shape_files(request)]}, status_code=404
        )
    return FileResponse(path, media_type=TURTLE.content_type)


@router.get("/static/ld/{name}", include_in_schema=False)
def static(name: str) -> Response:
    path = _file(STATIC_DIR, name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(
        path,
        media_type=MEDIA.get(path.suffix, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=3600"},
    )
