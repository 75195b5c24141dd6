"""The dump written by a child process (graph/convert.py): the same file as in-process, and a
failure that names the file and carries the child's error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.convert import Conversion, convert

NQ = (b'<https://example.org/s> <https://example.org/p> "v"@en <https://example.org/g> .\n'
      b'<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n')


def test_the_child_writes_what_the_parent_would(tmp_path: Path) -> None:
    (tmp_path / "in.nq").write_bytes(NQ)
    convert(tmp_path / "in.nq", "nq", tmp_path / "here.jsonld", "jsonld")
    with Conversion(tmp_path / "in.nq", "nq", tmp_path / "child.jsonld", "jsonld") as child:
        child.wait()
    assert (tmp_path / "child.jsonld").read_bytes() == (tmp_path / "here.jsonld").read_bytes()
    back = set(ox.parse(path=tmp_path / "child.jsonld", format=ox.RdfFormat.JSON_LD))
    assert back == set(ox.parse(NQ, format=ox.RdfFormat.N_QUADS))


def test_the_child_declares_the_prefixes_it_is_given(tmp_path: Path) -> None:
    """The TriG dump is written by a child too, with the dataset's prefixes: the same file as here."""
    (tmp_path / "in.nq").write_bytes(NQ)
    prefixes = {"ex": "https://example.org/", "odd": "https://example.org/a=b#"}
    convert(tmp_path / "in.nq", "nq", tmp_path / "here.trig", "trig", prefixes)
    with Conversion(tmp_path / "in.nq", "nq", tmp_path / "child.trig", "trig", prefixes) as child:
        child.wait()
    written = (tmp_path / "child.trig").read_bytes()
    assert written == (tmp_path / "here.trig").read_bytes()
    assert b"@prefix ex: <https://example.org/>" in written and b"ex:s ex:p" in written
    assert b"@prefix odd: <https://example.org/a=b#>" in written


def test_a_failed_conversion_raises_with_the_childs_error(tmp_path: Path) -> None:
    said = r"writing out\.jsonld from missing\.nq failed \(exit status 1\): FileNotFoundError"
    with Conversion(tmp_path / "missing.nq", "nq", tmp_path / "out.jsonld", "jsonld") as child, \
            pytest.raises(RuntimeError, match=said):
        child.wait()


def test_leaving_early_stops_the_child(tmp_path: Path) -> None:
    """A build that fails while the child runs does not leave it behind."""
    (tmp_path / "in.nq").write_bytes(NQ)
    with pytest.raises(KeyError), Conversion(tmp_path / "in.nq", "nq", tmp_path / "out.jsonld", "jsonld") as child:
        raise KeyError("the build failed")
    assert child._proc.returncode is not None
