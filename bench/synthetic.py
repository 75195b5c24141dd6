"""Make a synthetic set of source tables N times larger than the real ones, from the real ones.

Three growth models, each copy k of a table citing its own source ``<id>-xk``:

- ``mixed`` (the first benchmark's): copies suffix the free-form keys (persons, elections,
  amendments, pledges, statements), so they add entities; fixed keys (states, sessions, organs,
  resolution symbols) stay, so the copies also become further sources' claims about those.
- ``entities``: more of everything that has a free-form key, and nothing else: tables with fixed
  keys only (states, sessions, organs, resolutions, budgets...) are not copied, so the facts about
  fixed things keep their claims while persons, elections, candidacies, rounds, mandates, pledges
  and statements grow N times.
- ``claims``: the same facts, stated by N sources: no key is suffixed, so every fact gets N claims
  (N up to 20 is the realistic range: the Assembly's records, press releases, the Coalition, news,
  copies).
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

from mappings import TABLES_DIR

SOURCE_COLUMNS = {"source", "source_id"}
FREE_KEYS = {"person_id", "election_id", "amendment_id", "pledge_id", "statement_id"}
AGENT_COLUMNS = {"candidate_id", "holder_id"}  # a person slug (suffixed) or a state code (kept)
MODELS = ("mixed", "entities", "claims")


def generate(target: Path, factor: int, source: Path = TABLES_DIR, model: str = "mixed") -> Path:
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "README.md", target / "README.md")
    for path in sorted(source.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        grows = model != "entities" or bool(set(header) & (FREE_KEYS | AGENT_COLUMNS)) or "source_id" in header
        out = [header]
        for k in range(factor if grows else 1):
            for row in body:
                out.append([_cell(header, row, i, k, model) for i in range(len(header))])
        with (target / path.name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(out)
    return target


def _cell(header: list[str], row: list[str], i: int, k: int, model: str = "mixed") -> str:
    name, value = header[i], row[i]
    if k == 0 or not value:
        return value
    if name == "source" and value == "pycountry-iso3166":
        return value
    if name in SOURCE_COLUMNS:
        return f"{value}-x{k}"
    if model == "claims":
        return value
    is_state_code = len(value) == 3 and value.isupper()
    if name in FREE_KEYS or (name in AGENT_COLUMNS and not is_state_code):
        return f"{value}-x{k}"
    return value


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2]), model=sys.argv[3] if len(sys.argv) > 3 else "mixed"))
