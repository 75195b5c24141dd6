"""Source tables to RDF: each module maps one area; ``map_all`` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from mappings.load import Tables, load_tables
from mappings.rdf import Emitter

TABLES_DIR = Path(__file__).resolve().parent / "tables"


def map_all(tables: Tables, on_step: Callable[[dict[ox.NamedNode, list[ox.Quad]]], None] | None = None,
            ) -> tuple[Emitter, set[ox.Quad]]:
    """Every row as quads in its source's graph (with their origins), and the source records.
    ``on_step`` is given what each area adds (``Emitter.stated``) as soon as it is mapped: the
    build starts loading the store then, not after the last area."""
    from mappings.elections import map_elections, map_persons
    from mappings.money import map_money
    from mappings.organs import map_mandates, map_organs
    from mappings.resolutions import map_resolutions
    from mappings.sessions import map_participation, map_sessions, map_statements
    from mappings.sources import map_sources
    from mappings.states import map_states

    out = Emitter()
    for step in (map_states, map_sessions, map_organs, map_persons, map_elections, map_mandates,
                 map_resolutions, map_money, map_participation, map_statements):
        step(tables, out)
        if on_step is not None:
            on_step(out.stated())
    return out, map_sources(tables)


__all__ = ["TABLES_DIR", "Tables", "load_tables", "map_all"]
