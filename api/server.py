"""Run the application under uvicorn."""

from __future__ import annotations

import uvicorn

from graph.settings import Settings
from graph.store import Layout


def serve(settings: Settings, build_first: bool = False) -> None:
    if build_first and not Layout(settings.data_dir).current.exists():
        from graph.build import build

        build(settings)
    from api.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
