"""Documentation cannot drift: every setting, command and route is in the README."""

from __future__ import annotations

import re
from pathlib import Path

from graph.cli import parser
from graph.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = re.search(r"```\n(.*?)```", README, re.S)
    assert block is not None
    assert block.group(1).split() == ["make", "run", "make", "test"]


def test_every_setting_is_documented_with_its_help() -> None:
    for name, help_text in Settings.documented().items():
        assert f"| `{name}` |" in README, f"setting {name} missing from README"
        assert help_text in README, f"help text of {name} differs from README"


def test_every_command_is_documented() -> None:
    sub = next(a for a in parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"`aspkg {name}" in README, f"command {name} missing from README"


def test_every_route_is_documented() -> None:
    from api.app import create_app

    def walk(routes):  # included routers keep their own route lists
        for r in routes:
            if hasattr(r, "original_router"):
                yield from walk(r.original_router.routes)
            elif getattr(r, "path", None):
                yield r.path

    paths = set(walk(create_app(Settings.from_env()).routes))
    assert "/sparql" in paths and "/id/{path:path}" in paths
    skip = {"/docs/oauth2-redirect"}
    for path in sorted(paths - skip):
        assert f"`{path}`" in README, f"route {path} missing from README's route table"


def test_tables_readme_columns_match_the_schema():
    """The column tables of mappings/tables/README.md are generated from mappings/schema.py."""
    from mappings.readme import README, render

    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "mappings/tables/README.md is stale: run python -m mappings.readme"
