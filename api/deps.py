"""What routers need, provided through FastAPI ``Depends``: the settings, the repository and the
graph version being served.

A router does not look them up on the application: ``Mounted`` (the base of ``SparqlRouter`` and
``LinkedDataRouter``) puts its own ``Services`` on each request before the handler's dependencies
run, so the routers can be mounted in any FastAPI app, even twice over different repositories.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request

from api.store.base import Repository, StoreUnavailable
from graph.settings import Settings


class LRU:
    """A small thread-safe LRU for rendered documents, keyed by graph version among other things."""

    def __init__(self, size: int = 2048):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


@dataclass
class Services:
    repository: Repository
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)  # per-router state (the SPARQL result cache, ...)
    caches: dict[str, LRU] = field(default_factory=dict)  # rendered documents, tables, charts: keyed by version

    def cache(self, name: str, size: int) -> LRU:
        found = self.caches.get(name)
        if found is None:
            found = self.caches.setdefault(name, LRU(size))
        return found


@dataclass(frozen=True)
class GraphHandle:
    """The dataset as this request sees it: the repository, the version it serves now, and the
    caches of this router (their keys start with the version, so a new version never meets old
    entries; two routers over two repositories never share them)."""

    version: str
    repo: Repository
    services: Services

    def cache(self, name: str, size: int) -> LRU:
        return self.services.cache(name, size)

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

    async def _provide(self, request: Request) -> None:
        # async on purpose: FastAPI runs a plain-def dependency in a thread, a hop per request
        request.state.services = self.services


def get_services(request: Request) -> Services:
    return request.state.services


def get_settings(request: Request) -> Settings:
    return get_services(request).settings


def get_repository(request: Request) -> Repository:
    return get_services(request).repository


def get_graph(request: Request) -> GraphHandle:
    """Raises ``StoreUnavailable`` when nothing can be served (no graph built, engine down)."""
    services = get_services(request)
    return GraphHandle(version=services.repository.version(), repo=services.repository, services=services)


__all__ = ["LRU", "GraphHandle", "Mounted", "Services", "StoreUnavailable", "get_graph", "get_repository",
           "get_services", "get_settings"]
