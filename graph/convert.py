"""One RDF file converted to another format by pyoxigraph's parser and serialiser, in a process of
its own, while the build goes on.

pyoxigraph holds the GIL while its serialiser pulls each quad from its parser, so two conversions
on two threads take longer than one after the other (at 20 claims per fact: 6.4 against 4.1 s for
the TriG and the JSON-LD). Child processes write the JSON-LD and the TriG dumps, the slowest of
them, while the build writes the others. The children run at the lowest CPU priority, like the
store's loader (``graph/priority.py``): the build's own thread comes first.

Run as a script (``python convert.py SOURCE SOURCE_FORMAT TARGET TARGET_FORMAT [PREFIX=IRI ...]``), it imports
pyoxigraph only: it starts in a tenth of a second and holds a few tens of megabytes.
"""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs this file with the same interpreter, fixed arguments
import sys
import threading
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox


def convert(source: Path, source_format: str, target: Path, target_format: str,
            prefixes: dict[str, str] | None = None) -> None:
    """Lenient: the source was written by pyoxigraph's own serialiser, from terms it had checked."""
    quads = ox.parse(path=source, format=ox.RdfFormat.from_extension(source_format), lenient=True)
    ox.serialize(quads, str(target), format=ox.RdfFormat.from_extension(target_format),  # type: ignore[arg-type]
                 prefixes=prefixes)


class Conversion:
    """``convert`` in a child process, started here; ``wait`` raises with the child's error output if
    it failed. Leaving the ``with`` block kills a child still running (the build failed meanwhile)."""

    def __init__(self, source: Path, source_format: str, target: Path, target_format: str,
                 prefixes: dict[str, str] | None = None) -> None:
        self.source, self.target = source, target
        self._waited = False
        declared = [f"{name}={iri}" for name, iri in (prefixes or {}).items()]
        self._proc = subprocess.Popen(  # noqa: S603 - this file, with paths the build chose
            [sys.executable, str(Path(__file__).resolve()), str(source), source_format, str(target), target_format,
             *declared],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> Conversion:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._waited:  # the build failed meanwhile
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.communicate()

    def wait(self) -> None:
        _, err = self._proc.communicate()
        self._waited = True
        if self._proc.returncode != 0:
            said = err.decode("utf-8", "replace").strip()[-2000:]  # a traceback's end, if it was one
            raise RuntimeError(f"writing {self.target.name} from {self.source.name} failed "
                               f"(exit status {self._proc.returncode}): {said}")


def _lowest_priority() -> None:
    # graph/priority.py's, without importing the package (this file also runs as a script)
    if hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def main(argv: list[str]) -> int:
    _lowest_priority()
    try:
        convert(Path(argv[0]), argv[1], Path(argv[2]), argv[3], dict(p.split("=", 1) for p in argv[4:]) or None)
    except (OSError, ValueError, SyntaxError) as exc:  # what a parser or a file gives: said in one line
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
