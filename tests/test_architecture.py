"""The layering the store interface promises: only the embedded repository knows pyoxigraph, and no
router looks its dependencies up on the application (they come through ``Depends``), so the routers
can be mounted in any app and served from any engine."""

from __future__ import annotations

from pathlib import Path

API = Path(__file__).resolve().parent.parent / "api"


def _python_files():
    return sorted(p for p in API.rglob("*.py") if p.is_file())


def test_only_the_embedded_repository_knows_pyoxigraph():
    knowing = {p.relative_to(API).as_posix() for p in _python_files() if "pyoxigraph" in p.read_text()}
    assert knowing and all(path.startswith("store/embedded/") for path in knowing), knowing


def test_routers_get_their_dependencies_injected():
    reaching = [p.relative_to(API).as_posix() for p in _python_files()
                if p.name != "app.py" and ("request.app" in p.read_text() or "app.state" in p.read_text())]
    assert reaching == []
