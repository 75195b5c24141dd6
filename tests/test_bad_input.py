"""Broken tables stop the build with file, line and field, and the served graph stays as it was."""

from __future__ import annotations

import csv
import io
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


def add_row(path: Path, **cells: str) -> None:
    """Append a row given by column name (the other cells empty)."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([cells.get(h, "") for h in header])


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
    # 2. well-formed rows that break a shape: one source gives the start, another an earlier end;
    #    each row is possible on its own, but the preferred view has a session that ends before it starts
    edit(tables / "sessions.csv", 2, "start_date", "2002-09-03")
    add_row(tables / "sessions.csv", session_id="special-2030-01", kind="special", start_date="2030-01-02",
            city="The Hague", country_iso3="NLD", source="cicc-asp22")
    add_row(tables / "sessions.csv", session_id="special-2030-01", kind="special", end_date="2030-01-01",
            city="The Hague", country_iso3="NLD", source="cicc-asp20")
    with pytest.raises(BuildFailed, match="SHACL") as info:
        build(built_settings, tables_dir=tables, quiet=True)
    assert "session" in str(info.value)
    # the message names the shape, the resource and the CSV rows of the claims behind it
    [line] = [x for x in str(info.value).splitlines() if "special-2030-01" in x and "Violation" in x]
    assert "[SessionEndsOnOrAfterStart]" in line and "[from sessions.csv:" in line
    assert current_version(layout) == before
    store = open_read_only(layout)
    assert bool(store.query("ASK { ?s ?p ?o }"))


IMPOSSIBLE = [
    # (file, line, column to break, value, the column the error names, the rule in words)
    ("sessions.csv", 2, "end_date", "2002-09-01", "end_date", "cannot end before it starts"),
    ("states.csv", 2, "entry_into_force", "2003-01-01", "entry_into_force", "after its deposit"),
]


@pytest.mark.parametrize(("file", "line", "column", "value", "field", "rule"), IMPOSSIBLE)
def test_a_sources_own_impossible_claim_is_an_error_in_that_row(tables: Path, file, line, column, value, field,
                                                                 rule) -> None:
    """One source contradicting itself is not a disagreement between sources: the row is refused with
    its file, line and column, and the message says how to fix it (correct it or deprecate the cell)."""
    edit(tables / file, line, column, value)
    with pytest.raises(BuildFailed) as info:
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)
    message = str(info.value)
    assert f"{file}:{line}:" in message and f"'{field}'" in message and rule in message
    assert "deprecate" in message


def _set_override(path: Path, line: int, rank: str, fields: str, reason: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header = rows[0]
    for name in ("rank", "rank_fields", "rank_reason"):
        if name not in header:
            header.append(name)
            for r in rows[1:]:
                r.append("")
    row = rows[line - 1]
    row[header.index("rank")], row[header.index("rank_fields")], row[header.index("rank_reason")] = rank, fields, reason
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_a_deprecated_cell_is_kept_but_not_checked_nor_shown(tables: Path, tmp_path: Path) -> None:
    """Deprecating the wrong cell (with a reason) lets the build pass; the claim stays in its source's
    graph with the deprecated rank and the reason, and the default graph does not hold it."""
    edit(tables / "sessions.csv", 2, "end_date", "2002-09-01")
    _set_override(tables / "sessions.csv", 2, "deprecated", "end_date", "a typo for 10 September in this release")
    settings = Settings.from_env(data_dir=tmp_path / "var")
    build(settings, tables_dir=tables, quiet=True)
    store = open_read_only(Layout(settings.data_dir))
    session = "<https://w3id.org/asp-kg/id/session/1>"
    end = "<https://w3id.org/asp-kg/ontology#endDate>"
    ends = {r["e"].value for r in store.query(f"SELECT ?e WHERE {{ {session} {end} ?e }}")}
    assert "2002-09-01" not in ends
    [row] = list(store.query(f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?rank ?why WHERE {{ GRAPH <https://w3id.org/asp-kg/graph/claims> {{
          ?c rdf:subject {session} ; rdf:object "2002-09-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
             <http://wikiba.se/ontology#rank> ?rank ; <https://w3id.org/asp-kg/ontology#rankReason> ?why }} }}"""))
    assert row["rank"].value.endswith("DeprecatedRank") and "a typo for 10 September" in row["why"].value


def test_an_override_needs_a_reason(tables: Path) -> None:
    _set_override(tables / "sessions.csv", 2, "deprecated", "end_date", "")
    with pytest.raises(BuildFailed, match=r"sessions\.csv:2: field 'rank_reason'"):
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)


def test_rank_fields_must_name_columns_of_the_table(tables: Path) -> None:
    _set_override(tables / "sessions.csv", 2, "deprecated", "no_such_column", "why not")
    with pytest.raises(BuildFailed, match=r"sessions\.csv:2: field 'rank_fields': 'no_such_column'"):
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)


def _write_bytes_at(path: Path, line: int, column: str, raw: bytes) -> None:
    """Put ``raw`` bytes as the cell of ``column`` on ``line`` (1-based, header = line 1)."""
    lines = path.read_bytes().split(b"\n")
    header = lines[0].decode().split(",")
    cells = next(csv.reader([lines[line - 1].decode()]))
    cells[header.index(column)] = "\x00"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    lines[line - 1] = buf.getvalue().encode().replace(b"\x00", raw)
    path.write_bytes(b"\n".join(lines))


DIAGNOSTICS = [
    # (how to break the table, file, line, field the message must name, words it must contain)
    (lambda t: _write_bytes_at(t / "sessions.csv", 3, "venue", b"Caf\xe9"), "sessions.csv", 3, "venue",
     ["0xE9", "not UTF-8", "save the file as UTF-8"]),
    (lambda t: _open_quote(t / "persons.csv", 4), "persons.csv", 4, "name", ["closing quote", "line 4"]),
    (lambda t: edit(t / "round_votes.csv", 2, "votes", "1000000000"), "round_votes.csv", 2, "votes",
     ["out of range", "between 0 and 200"]),
    (lambda t: edit(t / "sessions.csv", 2, "source", "no-such-source"), "sessions.csv", 2, "source",
     ["'no-such-source' is not a known source", "add a row"]),
    (lambda t: edit(t / "elections.csv", 2, "session_id", "99"), "elections.csv", 2, "session_id",
     ["'99' is not the session_id of any row of sessions.csv"]),
    (lambda t: _drop_last_cells(t / "organs.csv", 3, 2), "organs.csv", 3, None,
     ["expected", "the row ends before column"]),
]


def _open_quote(path: Path, line: int) -> None:
    """Open a quote at the start of the second cell of ``line`` and never close it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1].replace(",", ',"', 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def _drop_last_cells(path: Path, line: int, n: int) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1].rsplit(",", n)[0]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(("breakage", "file", "line", "field", "words"), DIAGNOSTICS)
def test_every_table_error_says_file_line_field_found_and_expected(tables: Path, breakage, file, line, field,
                                                                    words) -> None:
    breakage(tables)
    with pytest.raises(BuildFailed) as info:
        build(Settings.from_env(data_dir=tables.parent / "var"), tables_dir=tables, quiet=True)
    message = str(info.value)
    assert f"{file}:{line}:" in message, message
    if field is not None:
        assert f"field '{field}'" in message, message
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
