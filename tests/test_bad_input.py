"""Broken tables stop the build with file, line and field, and the served graph stays as it was."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from graph.build import BuildFailed, build
from graph.settings import Settings
from graph.store import Layout, current_version, open_read_only
from mappings import TABLES_DIR


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    target = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, target)
    return target


def edit(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header = rows[0]
    rows[line - 1][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def append(path: Path, line_from: int) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows.append(rows[line_from - 1])
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


CASES = [
    ("sessions.csv", 2, "start_date", "2023-02-30", "start_date"),
    ("sessions.csv", 2, "kind", "", "kind"),
    ("persons.csv", 2, "nationality_iso3", "XXX", "nationality_iso3"),
    ("budgets.csv", 2, "source", "no-such-source", "source"),
    ("resolutions.csv", 2, "symbol", "ICC/ASP 22 Res 3", "symbol"),
]


@pytest.mark.parametrize(("file", "line", "column", "value", "field"), CASES)
def test_malformed_row_names_file_line_and_field(tables: Path, file, line, column, value, field) -> None:
    edit(tables / file, line, column, value)
    with pytest.raises(BuildFailed) as info:
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)
    message = str(info.value)
    assert f"{file}:{line}:" in message and f"'{field}'" in message


def test_duplicate_key_is_refused(tables: Path) -> None:
    append(tables / "sessions.csv", 2)
    with pytest.raises(BuildFailed, match=r"sessions\.csv:\d+: field 'session_id': duplicate key"):
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)


def test_failed_builds_leave_the_served_graph_untouched(built_settings: Settings, tables: Path) -> None:
    layout = Layout(built_settings.data_dir)
    before = current_version(layout)
    target = os.readlink(layout.current)
    # 1. a malformed row
    edit(tables / "sessions.csv", 2, "start_date", "not-a-date")
    with pytest.raises(BuildFailed):
        build(built_settings, tables_dir=tables, quiet=True)
    assert current_version(layout) == before and os.readlink(layout.current) == target
    # 2. well-formed rows that break a shape: a session that ends before it starts
    edit(tables / "sessions.csv", 2, "start_date", "2002-09-03")
    with (tables / "sessions.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["special-2030-01", "special", "", "", "2030-01-02", "2030-01-01", "", "The Hague",
                                 "NLD", "", "cicc-asp22", ""])
    with pytest.raises(BuildFailed, match="SHACL") as info:
        build(built_settings, tables_dir=tables, quiet=True)
    assert "session" in str(info.value)
    assert current_version(layout) == before
    store = open_read_only(layout)
    assert bool(store.query("ASK { ?s ?p ?o }"))
