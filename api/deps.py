"""What routers need, provided through FastAPI ``Depends``: settings, the layout and the graph."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request

from graph.settings import Settings
from graph.store import Layout, current_version, open_read_only


@dataclass
class GraphHandle:
    """The published graph as this process sees it: a read-only store and its version id."""

    version: str
    store: ox.Store


class GraphProvider:
    """Opens the published store once and reopens it when a build publishes a new version.

    Checking the ``current`` symlink costs one ``readlink`` per request, which keeps a rebuilt graph
    visible without restarting the server.
    """

    def __init__(self, layout: Layout):
        self.layout = layout
        self._lock = threading.Lock()
        self._handle: GraphHandle | None = None

    def get(self) -> GraphHandle:
        version = current_version(self.layout)
        handle = self._handle
        if handle is not None and handle.version == version:
            return handle
        with self._lock:
            if self._handle is None or self._handle.version != version:
                self._handle = GraphHandle(version=version, store=open_read_only(self.layout))
            return self._handle


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_layout(request: Request) -> Layout:
    return request.app.state.layout


def get_graph(request: Request) -> GraphHandle:
    return request.app.state.graph_provider.get()
