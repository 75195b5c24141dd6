"""``aspkg validate FILE...``: check any RDF data against the ontology and shapes, for a contributor's
change or another project's CI, with a readable report, the SHACL report graph and JUnit XML.

Files are read with pyoxigraph's parsers by their extension (Turtle, TriG, N-Triples, N-Quads,
JSON-LD, RDF/XML, N3). Nothing is fetched: a JSON-LD document whose ``@context`` is our published
context (``…/context.jsonld``) is read with the context this checkout ships.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - we only write XML, never parse it

import pyoxigraph as ox

from graph.validation_core import ValidationResult, validate_with_report

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}
CONTEXT_FILE = Path(__file__).resolve().parent.parent / "api" / "context.jsonld"


class UnreadableFile(ValueError):
    """A file that is not RDF we can read: the message names the file and what the parser said."""


def _jsonld_payload(path: Path) -> bytes:
    """The document, with a reference to our published @context replaced by the context itself."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableFile(f"{path}: not JSON: {exc}") from None
    ours = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]

    def inline(node: object) -> object:
        if isinstance(node, dict):
            ctx = node.get("@context")
            if isinstance(ctx, str) and ctx.endswith("/context.jsonld"):
                node = {**node, "@context": ours}
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return json.dumps(inline(doc)).encode("utf-8")


def load(paths: list[Path]) -> ox.Store:
    """All files in one store, each in the graphs it names (a plain triples file in the default graph)."""
    store = ox.Store()
    for path in paths:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UnreadableFile(f"{path}: unknown RDF format; use one of {', '.join(sorted(FORMATS))}")
        if not path.is_file():
            raise UnreadableFile(f"{path}: no such file")
        try:
            payload = _jsonld_payload(path) if fmt == ox.RdfFormat.JSON_LD else path.read_bytes()
            store.bulk_load(payload, format=fmt, base_iri=path.resolve().as_uri())
        except (SyntaxError, ValueError, OSError) as exc:
            if isinstance(exc, UnreadableFile):
                raise
            raise UnreadableFile(f"{path}: {exc}") from None
    return store


def junit_xml(results: list[ValidationResult], conforms: bool, name: str) -> bytes:
    """One test case per shape that was checked and failed, plus one for the whole run (JUnit's schema
    as CI systems read it: a <failure> per violation; warnings go to <system-out>)."""
    by_shape: dict[str, list[ValidationResult]] = {}
    for r in results:
        by_shape.setdefault(r.shape_name, []).append(r)
    violations = [r for r in results if r.severity == "Violation"]
    suite = ET.Element("testsuite", name=f"SHACL validation of {name}", tests=str(len(by_shape) + 1),
                       failures=str(sum(1 for rs in by_shape.values() if any(r.severity == "Violation" for r in rs))
                                    + (0 if conforms else 1)))
    overall = ET.SubElement(suite, "testcase", classname="aspkg.validate", name="conforms")
    if not conforms:
        ET.SubElement(overall, "failure", message=f"{len(violations)} violations").text = "\n".join(
            r.text for r in violations)
    for shape, rs in sorted(by_shape.items()):
        case = ET.SubElement(suite, "testcase", classname="aspkg.shapes", name=shape)
        bad = [r for r in rs if r.severity == "Violation"]
        for r in bad:
            ET.SubElement(case, "failure", message=r.message[:200], type=r.component.rsplit("#", 1)[-1]).text = r.text
        others = [r for r in rs if r.severity != "Violation"]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(r.text for r in others)
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True)


def validate_files(paths: list[Path], report: Path | None = None, junit: Path | None = None) -> tuple[bool, str]:
    """Validate the files together; write the SHACL report graph (Turtle) and JUnit XML if asked."""
    store = load(paths)
    conforms, text, results, graph = validate_with_report(store)
    if report is not None:
        report.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    if junit is not None:
        junit.write_bytes(junit_xml(results, conforms, " ".join(p.name for p in paths)))
    return conforms, text
