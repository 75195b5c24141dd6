"""Read and check the source tables; a bad cell stops everything with its file, line and field.

Checking happens before any RDF is made, so a broken table can never reach the store. Each row keeps
its file and line so later errors (an unknown reference, say) can point back to it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import cast

import pycountry

from mappings.schema import LOCAL_CODES, ORDER, TABLES, Column, Table

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SESSION_KEY = re.compile(r"^(?:[1-9][0-9]?(?:-r[1-9])?|special-\d{4}-\d{2}|rc-\d{4})$")
SYMBOL = re.compile(r"^(?:ICC-ASP/(?:\d+|S-\d+)/(?:Res\.\d+|\d+)|RC/Res\.\d+)$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class TableError(ValueError):
    """A malformed source row: names the file, the line and the field."""

    def __init__(self, file: Path | str, line: int, field: str, message: str):
        self.file, self.line, self.field = str(file), line, field
        super().__init__(f"{file}:{line}: field '{field}': {message}")


@dataclass(frozen=True, slots=True)
class Row:
    table: str
    file: Path
    line: int
    values: dict[str, object]

    def __getitem__(self, name: str) -> object:
        return self.values.get(name)

    def get(self, name: str, default: object = None) -> object:
        value = self.values.get(name)
        return default if value is None else value

    def error(self, field: str, message: str) -> TableError:
        return TableError(self.file, self.line, field, message)

    @property
    def source(self) -> str:
        return str(self.values["source"])


@dataclass
class Tables:
    """All rows of all tables, checked, plus the lookups the mappings need."""

    rows: dict[str, list[Row]]
    codes: dict[str, set[str]]
    _keys: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def __getitem__(self, table: str) -> list[Row]:
        return self.rows.get(table, [])

    def keys(self, table: str, column: str) -> set[str]:
        """Values of a column (cached: tables are complete before anything refers to them)."""
        cached = self._keys.get((table, column))
        if cached is None:
            cached = self._keys[(table, column)] = {str(r[column]) for r in self[table] if r[column] is not None}
        return cached


def table_files(directory: Path, table: str) -> list[Path]:
    """``sources.csv`` plus ``sources_*.csv``: several curators can each keep their own file."""
    files = [directory / f"{table}.csv"] if (directory / f"{table}.csv").exists() else []
    return files + sorted(directory.glob(f"{table}_*.csv")) if table == "sources" else files


def load_tables(directory: Path, code_lists: dict[str, set[str]]) -> Tables:
    codes = {**code_lists, **{k: set(v) for k, v in LOCAL_CODES.items()}}
    tables = Tables(rows={}, codes=codes)
    if not (directory / "sources.csv").exists():
        raise TableError(directory / "sources.csv", 0, "-", "the sources table is missing")
    for name in ORDER:
        spec = TABLES[name]
        for path in table_files(directory, name):
            tables.rows.setdefault(name, []).extend(_read(path, spec, tables))
        for cached in [k for k in tables._keys if k[0] == name]:  # the others' keys are as they were
            del tables._keys[cached]
        _check_keys(spec, tables[name])
        _check_self_references(spec, tables)
    _check_agents(tables)
    from mappings.checks import check_rows

    check_rows(tables)
    return tables


def _text_of(path: Path) -> str:
    """The file as text; a byte that is not UTF-8 is named with its line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        header = data[: data.find(b"\n")].decode("utf-8", "replace").split(",")
        field_no = data[start : exc.start].count(b",")
        field = header[field_no].strip() if field_no < len(header) else "-"
        where = exc.start - start + 1
        raise TableError(path, line, field, f"found the byte 0x{data[exc.start]:02X} (character {where} of the "
                         "line), which is not UTF-8: save the file as UTF-8 (it was probably saved as Latin-1 or "
                         "Windows-1252)") from None


def _records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each CSV record; a quote left open is reported where it was opened."""
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    header: list[str] = []
    while True:
        first = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(path, reader.line_num, "-", f"the CSV cannot be read here: {exc}") from None
        end = reader.line_num
        if end > first:
            for i, cell in enumerate(cells):
                if "\n" in cell or "\r" in cell:
                    name = header[i].strip() if i < len(header) else f"cell {i + 1}"
                    raise TableError(path, first, name, f"a quote opened in this cell on line {first} is only "
                                     f"closed on line {end}: a closing quote (\") is missing, or a line break "
                                     "sits inside a quoted cell")
        header = header or cells
        yield first, cells


def _read(path: Path, spec: Table, tables: Tables) -> Iterable[Row]:
    records = _records(path, _text_of(path))
    try:
        _, header = next(records)
    except StopIteration:
        raise TableError(path, 1, "-", "the file is empty; a header row is required") from None
    header = [h.strip() for h in header]
    columns = spec.columns + tuple(c for c in spec.optional_columns if c.name in header)
    names = tuple(c.name for c in columns)
    missing = [c for c in spec.column_names if c not in header]
    unknown = [h for h in header if h not in names]
    if missing or unknown:
        optional = ",".join(c.name for c in spec.optional_columns)
        raise TableError(
            path, 1, (missing or unknown)[0],
            f"header must be {','.join(spec.column_names)}" + (f" (optionally followed by {optional})"
                                                               if optional else "")
            + (f"; missing {missing}" if missing else "") + (f"; unknown {unknown}" if unknown else ""),
        )
    position = {name: at for at, name in enumerate(header)}  # a name given twice: its last cell, as before
    placed = [(column, position[column.name]) for column in columns]
    absent = [column for column in spec.optional_columns if column.name not in position]
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            if len(cells) < len(header):
                where, what = header[len(cells)], f"found {len(cells)} cells, expected {len(header)}: the row " \
                    f"ends before column '{header[len(cells)]}' (add the missing commas)"
            else:
                where, what = header[-1], f"found {len(cells)} cells, expected {len(header)}: a comma inside a " \
                    "cell? put that cell in double quotes"
            raise TableError(path, line, where, what)
        row = Row(spec.name, path, line, {})
        for column, at in placed:
            row.values[column.name] = _parse(cells[at].strip(), column, row, tables)
        for column in absent:
            row.values[column.name] = None
        _check_override(row, spec)
        yield row


def _check_override(row: Row, spec: Table) -> None:
    """A rank needs a reason (and a reason a rank); rank_fields must name columns of the table."""
    if (row["rank"] is None) != (row["rank_reason"] is None):
        missing = "rank_reason" if row["rank"] is not None else "rank"
        raise row.error(missing, "a curated override needs both a rank (preferred or deprecated) and a rank_reason")
    for name in cast(tuple[str, ...], row["rank_fields"] or ()):
        if name not in spec.column_names or name in spec.key or name == "source":
            raise row.error("rank_fields", f"{name!r} is not a column of {spec.name} that states a fact")


def _parse(text: str, column: Column, row: Row, tables: Tables) -> object:
    if text == "":
        if column.required:
            raise row.error(column.name, "a value is required")
        return None
    parse = _parser(column.kind, row.table)
    if parse is None:
        raise row.error(column.name, f"unknown column kind {column.kind}")
    try:
        return parse(text, column, tables)
    except _Bad as exc:
        raise row.error(column.name, f"found {text!r}, expected {exc}") from None
    except _Wrong as exc:
        raise row.error(column.name, str(exc)) from None


Parser = Callable[[str, Column, "Tables"], object]


@cache
def _parser(kind: str, table: str) -> Parser | None:
    """The function that reads a cell of ``kind`` in ``table``: chosen once per kind, not by testing
    every kind for each of the two million cells of the 100x benchmark."""
    if kind in _READERS:
        return _READERS[kind]
    if kind.startswith("int:"):
        return _int
    if kind.startswith("code:"):
        return _code
    if kind.startswith("ref:"):
        return _as_is if kind[4:] == table else _ref  # a table's references to itself: checked once it is read
    return None


def _as_is(text: str, column: Column, tables: Tables) -> object:
    return text


def _matching(pattern: re.Pattern[str], expected: str) -> Parser:
    return lambda t, c, ts: t if pattern.match(t) else _bad(expected)


def _partial_date(text: str, column: Column, tables: Tables) -> object:
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        _bad("YYYY, YYYY-MM or YYYY-MM-DD")
    _date((text + "-01-01")[:10])  # a real month and day, where given
    return PartialDate(text)


def _int(text: str, column: Column, tables: Tables) -> object:
    if not re.fullmatch(r"-?[0-9]+", text):
        _bad("a whole number")
    value = int(text)
    if column.kind.startswith("int:"):
        low, high = (int(x) for x in column.kind.split(":")[1:])
        if not low <= value <= high:
            raise _Wrong(f"{value} is out of range: {column.name} must be between {low} and {high} "
                         "(a typo? the ASP has had at most 125 States Parties)")
    return value


def _source(text: str, column: Column, tables: Tables) -> object:
    if text not in tables.keys("sources", "source_id"):
        raise _Wrong(f"{text!r} is not a known source: add a row with this source_id to sources.csv or "
                     "a sources_*.csv file first")
    return text


def _code(text: str, column: Column, tables: Tables) -> object:
    allowed = tables.codes[column.kind[5:]]
    return text if text in allowed else _bad(f"one of {', '.join(sorted(allowed))}")


def _ref(text: str, column: Column, tables: Tables) -> object:
    target = column.kind[4:]
    key = TABLES[target].key[0]
    if text not in tables.keys(target, key):
        raise _Wrong(f"{text!r} is not the {key} of any row of {target}.csv: add that row first, "
                     "or correct the reference")
    return text


_READERS: dict[str, Parser] = {
    "text": _as_is, "candidate": _as_is, "holder": _as_is,  # a person slug or ISO code, checked in the mapping
    "date": lambda t, c, ts: _date(t), "partial-date": _partial_date, "int": _int,
    "decimal": lambda t, c, ts: Decimal(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else _bad(
        "a decimal like 121550000.00"),
    "bool": lambda t, c, ts: {"true": True, "false": False}[t] if t in ("true", "false") else _bad("true or false"),
    "slug": _matching(SLUG, "lower-case letters, digits and hyphens"),
    "key": _matching(KEY, "letters, digits, '.', '_' and '-'"),
    "url": lambda t, c, ts: t if t.startswith(("http://", "https://")) else _bad("an http(s) URL"),
    "currency": _matching(CURRENCY, "an ISO 4217 code such as EUR"),
    "symbol": _matching(SYMBOL, "a symbol such as ICC-ASP/22/Res.3 or RC/Res.6"),
    "session-key": _matching(SESSION_KEY, "a session key such as 22, 19-r2, rc-2010"),
    "iso3": lambda t, c, ts: check_iso3(t), "columns": lambda t, c, ts: tuple(t.split()),
    "refs:iso3": lambda t, c, ts: tuple(check_iso3(code) for code in t.split()), "source": _source,
}


class PartialDate(str):
    """A publication date known to the year, month or day (xsd:gYear, gYearMonth or date)."""

    @property
    def datatype(self) -> str:
        return {4: "gYear", 7: "gYearMonth"}.get(len(self), "date")


class _Bad(Exception):
    """What a cell should have been (the message reads "found X, expected <this>")."""


class _Wrong(Exception):
    """A whole sentence saying what is wrong with a cell."""


def _bad(expected: str) -> object:
    raise _Bad(expected)


def _date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        _bad("a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad("a real calendar date as YYYY-MM-DD") from None


def check_iso3(text: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", text) or pycountry.countries.get(alpha_3=text) is None:
        raise _Bad("an ISO 3166-1 alpha-3 code known to pycountry")
    return text


def _check_keys(spec: Table, rows: list[Row]) -> None:
    seen: dict[tuple, Row] = {}
    for row in rows:
        key = tuple(row[k] for k in spec.key) + ((row["source"],) if spec.per_source else ())
        if key in seen:
            first = seen[key]
            what = " + ".join(spec.key) + (" + source" if spec.per_source else "")
            raise row.error(
                spec.key[0], f"duplicate key ({what} = {key}) already on {first.file.name}:{first.line}"
            )
        seen[key] = row


def _check_self_references(spec: Table, tables: Tables) -> None:
    for column in spec.columns:
        if column.kind == f"ref:{spec.name}":
            keys = tables.keys(spec.name, spec.key[0])
            for row in tables[spec.name]:
                value = row[column.name]
                if value is not None and value not in keys:
                    raise row.error(column.name, f"no {spec.name} row has {spec.key[0]} {value!r}")


def _check_agents(tables: Tables) -> None:
    """Candidates, vote counts and mandate holders must name a known person or a state."""
    persons = tables.keys("persons", "person_id")
    standing: dict[str, set[str]] = {}
    for row in tables["candidates"]:
        _check_agent(row, "candidate_id", str(row["candidate_type"]), persons)
        standing.setdefault(str(row["election_id"]), set()).add(str(row["candidate_id"]))
    for row in tables["mandates"]:
        _check_agent(row, "holder_id", str(row["holder_type"]), persons)
    for row in tables["round_votes"]:
        if str(row["candidate_id"]) not in standing.get(str(row["election_id"]), set()):
            raise row.error("candidate_id", f"{row['candidate_id']!r} is not a candidate of {row['election_id']}"
                            " in candidates.csv")


def _check_agent(row: Row, column: str, kind: str, persons: set[str]) -> None:
    value = str(row[column])
    if kind == "person" and value not in persons:
        raise row.error(column, f"no persons row has person_id {value!r}")
    if kind == "state":
        try:
            check_iso3(value)
        except _Bad as exc:
            raise row.error(column, f"{value!r} is not valid: expected {exc}") from None
