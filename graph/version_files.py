"""The definitions a version was built with, frozen beside its data: the ontology, the SHACL shapes
and the JSON-LD @context.

The server serves these (``/ontology``, ``/shapes``, ``/context.jsonld``) rather than the files of
the checkout, so after a ``git pull`` without a rebuild they still match the data being served.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from graph.settings import REPO_ROOT

ONTOLOGY_DIR = REPO_ROOT / "ontology"
SHAPES_DIR = REPO_ROOT / "shapes"
CONTEXT_FILE = REPO_ROOT / "api" / "context.jsonld"


def freeze(target: Path) -> list[str]:
    """Copy the definitions into ``target`` (``ontology/``, ``shapes/``, ``context.jsonld``)."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for folder, pattern in ((ONTOLOGY_DIR, "*.ttl"), (SHAPES_DIR, "*.ttl")):
        out = target / folder.name
        out.mkdir(exist_ok=True)
        for path in sorted(folder.glob(pattern)):
            shutil.copyfile(path, out / path.name)
            copied.append(f"{folder.name}/{path.name}")
    shutil.copyfile(CONTEXT_FILE, target / CONTEXT_FILE.name)
    copied.append(CONTEXT_FILE.name)
    return copied
