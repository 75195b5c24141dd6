"""The linked-data API and pages: one router that includes the sub-routers, each with one job."""

from __future__ import annotations

from fastapi import APIRouter

from api.linked_data import collections, context, entities, files, home, ontology

router = APIRouter()
for sub in (home.router, context.router, ontology.router, files.router, collections.router, entities.router):
    router.include_router(sub)
