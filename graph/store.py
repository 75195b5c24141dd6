"""The on-disk layout of built graphs, and the atomic swap that publishes a new one.

A build writes a complete pyoxigraph store into ``stores/<version>/`` and only then repoints the
``current`` symlink with an atomic ``os.replace``. Readers (the server, its query workers) open
``current`` read-only, so a failed or half-finished build can never be what is served.

The store's default graph is the preferred view (one value per functional fact, see
``graph/assemble.py``), materialised, so queries run on the plain default graph: do not pass
``use_default_graph_as_union=True``, which would mix every source's unranked claims back in.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class Layout:
    """Paths under the data directory."""

    root: Path

    @property
    def stores(self) -> Path:
        return self.root / "stores"

    @functools.cached_property
    def current(self) -> Path:  # made once: read on every request
        return self.root / "current"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    def store_dir(self, version: str) -> Path:
        return self.stores / version

    def dumps(self, version: str | None = None) -> Path:
        return (self.store_dir(version) if version else self.current) / "dumps"

    def docs(self, version: str | None = None) -> Path:
        return (self.store_dir(version) if version else self.current) / "docs"

    def db(self, version: str | None = None) -> Path:
        return (self.store_dir(version) if version else self.current) / "db"

    def manifest(self, version: str | None = None) -> Path:
        return (self.store_dir(version) if version else self.current) / "manifest.json"


class NoGraphBuilt(RuntimeError):
    """Raised when the server is asked to serve before any successful build."""


def current_version(layout: Layout) -> str:
    """The version id of the published graph (the name of the store directory ``current`` points to)."""
    try:  # one system call: the API asks this on every request
        target = os.readlink(layout.current)
    except OSError:
        raise NoGraphBuilt(f"no graph has been built in {layout.root}: run `aspkg build` first") from None
    return target.rstrip("/").split("/")[-1]


def read_manifest(layout: Layout) -> dict:
    return json.loads(layout.manifest().read_text(encoding="utf-8"))


def open_read_only(layout: Layout) -> ox.Store:
    """Open the published store for reading; safe from many processes at once."""
    current_version(layout)
    return ox.Store.read_only(str(layout.db()))


def publish(layout: Layout, version: str, keep: int = 3) -> None:
    """Atomically make ``stores/<version>`` the served graph, and prune old versions."""
    target = layout.store_dir(version)
    if not (target / "db").is_dir():
        raise FileNotFoundError(f"{target} holds no store")
    tmp_link = layout.root / f".current-{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    os.symlink(Path("stores") / version, tmp_link)
    os.replace(tmp_link, layout.current)
    _prune(layout, keep=keep, protect=version)


def _prune(layout: Layout, keep: int, protect: str) -> None:
    """Remove old versions but the newest ``keep`` ones; a running server may still read those."""
    versions = sorted(
        (p for p in layout.stores.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in versions[keep:]:
        if old.name != protect:
            shutil.rmtree(old, ignore_errors=True)
