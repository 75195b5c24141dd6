"""Make a synthetic set of source tables N times larger than the real ones, from the real ones.

Copy k of every table cites source ``<id>-xk`` and suffixes the free-form keys (persons, elections,
amendments, pledges, statements) so copies add entities, not only claims. Fixed keys (states,
sessions, organs, resolution symbols) stay: the copies become further sources' claims about them.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

from mappings import TABLES_DIR

SUFFIXED = {"source", "source_id", "person_id", "election_id", "amendment_id", "pledge_id", "statement_id"}
AGENT_COLUMNS = {"candidate_id", "holder_id"}  # a person slug (suffixed) or a state code (kept)


def generate(target: Path, factor: int, source: Path = TABLES_DIR) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "README.md", target / "README.md")
    for path in sorted(source.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        out = [header]
        for k in range(factor):
            for row in body:
                out.append([_cell(header, row, i, k) for i in range(len(header))])
        with (target / path.name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(out)
    return target


def _cell(header: list[str], row: list[str], i: int, k: int) -> str:
    name, value = header[i], row[i]
    if k == 0 or not value:
        return value
    if name == "source" and value == "pycountry-iso3166":
        return value
    is_state_code = len(value) == 3 and value.isupper()
    if name in SUFFIXED or (name in AGENT_COLUMNS and not is_state_code):
        return f"{value}-x{k}"
    return value


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2])))
