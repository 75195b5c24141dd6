"""Every setting of the project, declared once with its help text.

Each setting can be given as an environment variable (``ASPKG_<NAME>``) or, for the commands that take
it, as a command-line option. ``tests/test_docs.py`` fails when a setting here is missing from the
README, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get("ASPKG_" + name.upper(), default)


def _setting(default: object, help: str) -> object:  # noqa: A002 - "help" reads best here
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(REPO_ROOT / "var", "Directory holding built stores, dumps and docs.")  # type: ignore[assignment]
    public_base: str = _setting(
        "https://w3id.org/asp-kg/", "Public base IRI of the dataset; the server maps it to its own address."
    )  # type: ignore[assignment]
    serve_local_iris: bool = _setting(False, (  # type: ignore[assignment]
        "Linked-data documents name entities by this server's own address (http://host/id/...) instead of the "
        "public base IRI, so clients that follow links work where w3id.org does not resolve (a local or "
        "air-gapped deployment); SPARQL results and dumps keep the public IRIs."))
    host: str = _setting("127.0.0.1", "Address `aspkg serve` binds to.")  # type: ignore[assignment]
    port: int = _setting(8000, "Port `aspkg serve` listens on.")  # type: ignore[assignment]
    sparql_backend: str = _setting("", (  # type: ignore[assignment]
        "Query endpoint of an existing SPARQL 1.1 server holding the published dataset (`aspkg publish`); "
        "when set, the whole API is served from it instead of the embedded store. Empty: the embedded store."))
    query_timeout: float = _setting(10.0, "Deadline in seconds for one SPARQL query; the worker is killed after it.")  # type: ignore[assignment]
    query_workers: int = _setting(3, "Number of worker processes evaluating SPARQL queries.")  # type: ignore[assignment]
    memory_store_max_quads: int = _setting(1_000_000, (  # type: ignore[assignment]
        "Stores of at most this many quads (the build's manifest count) are copied into memory once and "
        "shared by every query worker, which runs queries several times faster than on disk; larger stores "
        "are read on disk by each worker. 0: always on disk."))
    max_queries_per_client: int = _setting(4, (  # type: ignore[assignment]
        "Most SPARQL queries one client (peer address) may have waiting or running at once; one more is "
        "answered 429 with Retry-After."))
    preempt_after: float = _setting(0.5, (  # type: ignore[assignment]
        "When queries wait and every worker is busy, a running query is stopped (503, Retry-After) once it has "
        "run this many seconds (at once if its client used far more worker time than the waiting one); "
        "0 disables it."))
    require_network_sandbox: bool = _setting(False, (  # type: ignore[assignment]
        "Refuse to start when query workers cannot enter an empty network namespace (the second barrier, "
        "behind the SERVICE check, against outbound requests); otherwise that is a loud warning at startup."))
    max_query_bytes: int = _setting(100_000, "Largest accepted SPARQL query text or request body, in bytes.")  # type: ignore[assignment]
    max_result_bytes: int = _setting(50_000_000, "Largest serialised result; larger results are refused with 413.")  # type: ignore[assignment]
    spool_after_bytes: int = _setting(4 * 1024 * 1024, (  # type: ignore[assignment]
        "Results larger than this are written to a temporary file until complete (and not cached), then "
        "sent with their exact length; smaller ones stay in memory."))
    cache_entries: int = _setting(512, (  # type: ignore[assignment]
        "Number of recent SPARQL answers kept in each of the two in-process caches: whole responses to "
        "byte-identical requests, answered before routing, and results by normalised query (0 disables both)."))
    page_size: int = _setting(50, "Default page size of the collection endpoints.")  # type: ignore[assignment]

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``ASPKG_*`` variables, then explicit overrides (from the command line)."""
        values: dict[str, object] = {}
        for f in fields(cls):
            default: object = f.default
            raw = _env(f.name, str(default))
            if isinstance(default, bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = Path(raw) if isinstance(default, Path) else type(default)(raw)  # type: ignore[call-arg]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def documented() -> dict[str, str]:
        """Name -> help text, for the README check and ``aspkg settings``."""
        return {f.name: f.metadata["help"] for f in fields(Settings)}
