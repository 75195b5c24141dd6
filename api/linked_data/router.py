"""The linked-data API and pages as one router any FastAPI app can mount:
``LinkedDataRouter(repository, settings)`` includes the sub-routers, each with one job."""

from __future__ import annotations

from typing import Any

from api.deps import Mounted, Services
from api.linked_data import collections, context, entities, files, home, ontology
from api.store.base import Repository
from graph.settings import Settings

SUB_ROUTERS = (home.router, context.router, ontology.router, files.router, collections.router, entities.router)


class LinkedDataRouter(Mounted):
    def __init__(self, repository: Repository, settings: Settings, **kwargs: Any):
        super().__init__(Services(repository, settings), list(SUB_ROUTERS), **kwargs)
