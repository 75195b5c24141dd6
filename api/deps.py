"""What routers need, provided through FastAPI ``Depends``: the settings, the repository and the
graph version being served.

A router does not look them up on the application: ``Mounted`` (the base of ``SparqlRouter`` and
``LinkedDataRouter``) puts its own ``Services`` on each request before the handler's dependencies
run, so the routers can be mounted in any FastAPI app, even twice over different repositories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request

from api.store.base import Repository, StoreUnavailable
from graph.settings import Settings


@dataclass
class Services:
    repository: Repository
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)  # per-router state (the SPARQL result cache, ...)


@dataclass(frozen=True)
class GraphHandle:
    """The dataset as this request sees it: the repository and the version it serves now (caches
    and rendered documents are keyed by the version)."""

    version: str
    repo: Repository

    def files(self) -> Path | None:
        """This version's folder (ontology, shapes, context, dumps, docs) when this machine holds it."""
        return self.repo.files(self.version)


class Mounted(APIRouter):
    """A router whose routes get ``services`` through a dependency, whatever app mounts it."""

    def __init__(self, services: Services, routers: list[APIRouter], **kwargs: Any):
        super().__init__(**kwargs)
        self.services = services
        for router in routers:
            self.include_router(router, dependencies=[Depends(self._provide)])

    def _provide(self, request: Request) -> None:
        request.state.services = self.services


def get_services(request: Request) -> Services:
    return request.state.services


def get_settings(request: Request) -> Settings:
    return get_services(request).settings


def get_repository(request: Request) -> Repository:
    return get_services(request).repository


def get_graph(request: Request) -> GraphHandle:
    """Raises ``StoreUnavailable`` when nothing can be served (no graph built, engine down)."""
    repo = get_repository(request)
    return GraphHandle(version=repo.version(), repo=repo)


__all__ = ["GraphHandle", "Mounted", "Services", "StoreUnavailable", "get_graph", "get_repository",
           "get_services", "get_settings"]
