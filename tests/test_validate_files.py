"""``aspkg validate FILE...`` as a contributor or another project's CI runs it: a real subprocess,
real files in several RDF formats, the exit code, the report graph and the JUnit XML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own output in a test

import pytest
import rdflib

from graph.store import Layout

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "shape_fixtures" / "_base.ttl"


def aspkg(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph.cli", "validate", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_conforming_file_exits_zero_and_junit_has_no_failure(tmp_path: Path) -> None:
    junit = tmp_path / "shacl.xml"
    run = aspkg(BASE, "--junit", junit)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("Conforms: True")
    suite = ET.parse(junit).getroot()  # noqa: S314 - our own file
    assert suite.tag == "testsuite" and suite.get("failures") == "0"


def test_violations_exit_one_with_report_graph_and_junit_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BASE.read_text(encoding="utf-8").replace(
        'asp:endDate "2023-12-14"^^xsd:date', 'asp:endDate "2023-12-01"^^xsd:date'), encoding="utf-8")
    junit, report = tmp_path / "shacl.xml", tmp_path / "report.ttl"
    run = aspkg(bad, "--junit", junit, "--report", report)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "[SessionEndsOnOrAfterStart]" in run.stdout and "ends on 2023-12-01" in run.stdout
    suite = ET.parse(junit).getroot()  # noqa: S314
    failed = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failed == {"conforms", "SessionEndsOnOrAfterStart"}
    g = rdflib.Graph().parse(report, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in g


def test_two_sources_claims_in_trig_break_the_functional_property_gate(tmp_path: Path) -> None:
    trig = tmp_path / "claims.trig"
    trig.write_text(r"""@prefix asp: <https://w3id.org/asp-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/asp-kg/id/> .
id:source\/a { id:state\/UKR asp:signatureDate "2000-01-20"^^xsd:date . }
id:source\/b { id:state\/UKR asp:signatureDate "2000-01-21"^^xsd:date . }
""", encoding="utf-8")
    run = aspkg(BASE, trig)
    assert run.returncode == 1
    assert "[OneValuePerFunctionalProperty]" in run.stdout and "asp:signatureDate" in run.stdout


def test_the_built_dataset_dump_validates(built_layout: Layout) -> None:
    """The published N-Quads dump is read as the build lays it out: the preferred view conforms."""
    run = aspkg(built_layout.dumps() / "dataset.nq")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr


@pytest.mark.parametrize(("name", "content", "says"), [
    ("broken.ttl", "<a> <b> .", "broken.ttl"),
    ("broken.jsonld", '{"@id": ', "not JSON"),
    ("data.csv", "a,b", "unknown RDF format"),
])
def test_unreadable_files_exit_two_naming_the_file(tmp_path: Path, name: str, content: str, says: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    run = aspkg(path)
    assert run.returncode == 2 and says in run.stderr and run.stdout == ""


def test_an_entity_document_in_json_ld_is_read_with_our_context_offline(tmp_path: Path) -> None:
    doc = tmp_path / "state.jsonld"
    doc.write_text("""{"@context": "https://example.org/context.jsonld",
      "id": "https://w3id.org/asp-kg/id/state/UKR", "signatureDate": "2000-01-20",
      "claims": [{"id": "https://w3id.org/asp-kg/id/source/x",
                  "@graph": [{"id": "https://w3id.org/asp-kg/id/state/UKR", "signatureDate": "2000-01-21"}]}]}""",
                   encoding="utf-8")
    run = aspkg(BASE, doc)
    # the context was applied (asp:signatureDate is read, as an xsd:date) and the two values clash
    assert run.returncode == 1 and "asp:signatureDate" in run.stdout, run.stdout + run.stderr
