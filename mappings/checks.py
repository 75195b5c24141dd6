"""A single source's impossible claims, refused with the file, line and column of the row.

Two sources that disagree are a conflict for the ranking to settle; one source that contradicts
itself (a session that ends before it starts, an entry into force before the deposit) is an error
in that claim: fix the row, or deprecate the wrong cell with ``rank=deprecated`` and a reason.
A deprecated cell is not checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from mappings.load import Row, Tables


@dataclass(frozen=True)
class Order:
    """``later`` must not come before ``earlier`` in one row (``strict``: must come after it)."""

    table: str
    earlier: str
    later: str
    what: str
    strict: bool = False


ORDERS = (
    Order("sessions", "start_date", "end_date", "a session cannot end before it starts"),
    Order("elections", "date", "end_date", "an election cannot end before it starts"),
    Order("mandates", "start_date", "end_date", "a mandate cannot end before it starts"),
    Order("states", "signature_date", "deposit_date", "a state deposits its instrument on or after signing"),
    Order("states", "deposit_date", "entry_into_force", "the Statute enters into force for a state after its deposit",
          strict=True),
    Order("states", "deposit_date", "withdrawal_notified", "a state can only withdraw after it became party",
          strict=True),
    Order("states", "withdrawal_notified", "withdrawal_effective", "a withdrawal takes effect after its notification",
          strict=True),
    Order("amendments", "adoption_date", "entry_into_force", "an amendment enters into force after its adoption"),
)


def deprecated(row: Row, column: str) -> bool:
    if row["rank"] != "deprecated":
        return False
    fields = cast(tuple[str, ...], row["rank_fields"] or ())
    return not fields or column in fields


def check_rows(tables: Tables) -> None:
    """Raise a TableError for the first impossible claim a row makes on its own."""
    for rule in ORDERS:
        for row in tables[rule.table]:
            a, b = row[rule.earlier], row[rule.later]
            if a is None or b is None or deprecated(row, rule.earlier) or deprecated(row, rule.later):
                continue
            if b < a or (rule.strict and b == a):  # type: ignore[operator]
                raise row.error(rule.later, f"{b} is {'not after' if rule.strict else 'before'} {rule.earlier} {a} "
                                f"in the same row: {rule.what}; correct the row or deprecate the wrong cell")
    _check_counts(tables)


def _check_counts(tables: Tables) -> None:
    """One source cannot elect more candidates than the seats it says were filled, nor give a
    candidate more votes in a round than the ballots it says were cast."""
    seats = {(str(r["election_id"]), r.source): r for r in tables["elections"] if r["seats"] is not None}
    held: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in tables["candidates"]:
        if r["elected"] is True and not deprecated(r, "elected"):
            held[(str(r["election_id"]), r.source)].append(r)
    for key, rows in held.items():
        if key not in seats or deprecated(seats[key], "seats"):
            continue
        total = sum((cast(Decimal, r["seat_share"]) or Decimal(1) for r in rows), Decimal(0))
        limit = cast(int, seats[key]["seats"])
        if total > limit:
            raise rows[-1].error("elected", f"this source elects candidates holding {total} seats in {key[0]}, but "
                                 f"says {limit} seats were filled ({seats[key].file.name}:{seats[key].line}); "
                                 "mark seat sharing with seat_share, or correct the rows")
    ballots: dict[tuple[str, int, str], Row] = {
        (str(r["election_id"]), cast(int, r["round"]), r.source): r for r in tables["rounds"]
        if r["votes_cast"] is not None}
    for r in tables["round_votes"]:
        cast_in = ballots.get((str(r["election_id"]), cast(int, r["round"]), r.source))
        if cast_in is None or deprecated(r, "votes") or deprecated(cast_in, "votes_cast"):
            continue
        if cast(int, r["votes"]) > cast(int, cast_in["votes_cast"]):
            raise r.error("votes", f"{r['votes']} votes for {r['candidate_id']}, but the same source says "
                          f"{cast_in['votes_cast']} ballots were cast in round {r['round']} "
                          f"({cast_in.file.name}:{cast_in.line})")
