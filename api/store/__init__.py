"""The store behind the API (see ``base.py``): choose the embedded store or a remote SPARQL engine."""

from __future__ import annotations

from api.store.base import Repository
from graph.settings import Settings
from graph.store import Layout


def open_repository(settings: Settings, layout: Layout) -> Repository:
    """The remote engine named by the ``sparql_backend`` setting, else the built embedded store."""
    if settings.sparql_backend:
        from api.store.remote import RemoteRepository

        return RemoteRepository(settings, layout)
    from api.store.embedded import EmbeddedRepository

    return EmbeddedRepository(layout, settings)
