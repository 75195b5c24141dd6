"""The web application: mounts the routers; each router gets what it needs through ``Depends``."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.sparql.repeated import RepeatedRequests
from api.store import open_repository
from graph.settings import Settings
from graph.store import Layout


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    layout = Layout(settings.data_dir)

    repository = open_repository(settings, layout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await repository.start()
        try:
            yield
        finally:
            await repository.aclose()

    app = FastAPI(
        title="ASP Knowledge Graph",
        description="SPARQL endpoint and linked-data API of the knowledge graph of the Assembly of States "
        "Parties to the Rome Statute of the International Criminal Court.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.layout = layout
    app.state.repository = repository
    # innermost: it keeps the router's own headers, and CORS (outside it) still adds its own
    app.add_middleware(RepeatedRequests, version=repository.version, entries=settings.cache_entries)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "Link", "Content-Location", "X-Result-Truncated"],
    )
    from api.linked_data.router import LinkedDataRouter
    from api.sparql.router import SparqlRouter

    app.include_router(SparqlRouter(repository, settings))
    app.include_router(LinkedDataRouter(repository, settings))
    from api.openapi import install

    install(app)
    if settings.serve_local_iris:
        from api.local_iris import LocalIris

        app.add_middleware(LocalIris, public_base=settings.public_base)
    return app
