"""Run the application under uvicorn (``aspkg serve``, or ``python -m api.server`` as the tests do)."""

from __future__ import annotations

import argparse

import uvicorn

from api.http_protocol import BoundedHttpToolsProtocol
from graph.settings import Settings
from graph.store import Layout


def serve(settings: Settings, build_first: bool = False, log_level: str = "info", access_log: bool = True) -> None:
    if build_first and not Layout(settings.data_dir).current.exists():
        from graph.build import build

        build(settings)
    from api.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=log_level,
                access_log=access_log, http=BoundedHttpToolsProtocol)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="serve the built graph (settings from ASPKG_* variables)")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--log-level", default="warning")
    p.add_argument("--no-access-log", action="store_true")
    a = p.parse_args()
    serve(Settings.from_env(host=a.host, port=a.port), log_level=a.log_level, access_log=not a.no_access_log)
