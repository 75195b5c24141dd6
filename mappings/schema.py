"""What each source table must look like: its columns, their types, which are required, its key.

Declared as data so the loader checks every table the same way and the README can list it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    # text, date, partial-date, int or int:<min>:<max>, decimal, bool, iso3, source, code:<scheme>,
    # ref:<table>, refs:iso3, ...
    kind: str = "text"
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    per_source: bool = True  # the key is unique per source, and several sources may describe one entity
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def optional_columns(self) -> tuple[Column, ...]:
        """Columns a file of this table may leave out of its header (the override columns)."""
        return RANK_COLUMNS if self.per_source else ()


def C(name: str, kind: str = "text", required: bool = False) -> Column:  # noqa: N802 - reads like a table
    return Column(name, kind, required)


SRC = C("source", "source", True)
NOTE = C("note")
# A curator's override of the ranking rule, allowed (not required) on every table whose rows are claims:
# rank = preferred or deprecated, rank_fields = the columns it applies to (empty: every claim of the row),
# rank_reason = why, in our own words (required with a rank).
RANK_COLUMNS = (C("rank", "code:rank"), C("rank_fields", "columns"), C("rank_reason"))

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("sources", ("source_id",), (
            C("source_id", "slug", True), C("title", "text", True), C("publisher", "text", True),
            C("date", "partial-date"), C("url", "url"), C("kind", "code:source-kind", True),
            C("tier", "code:source-tier", True), NOTE,
        ), per_source=False),
        Table("states", ("iso3",), (
            C("iso3", "iso3", True), C("name"), C("signature_date", "date"),
            C("instrument", "code:instrument-type"), C("deposit_date", "date"), C("entry_into_force", "date"),
            C("party_number", "int:1:200"), C("withdrawal_notified", "date"), C("withdrawal_effective", "date"),
            SRC, NOTE,
        )),
        Table("state_groups", ("iso3",), (
            C("iso3", "iso3", True), C("un_group", "code:regional-group", True), SRC,
        )),
        Table("sessions", ("session_id",), (
            C("session_id", "session-key", True), C("kind", "code:session-kind", True), C("number", "int:1:99"),
            C("parent_session", "ref:sessions"), C("start_date", "date"), C("end_date", "date"),
            C("venue"), C("city"), C("country_iso3", "iso3"), C("stated_ordinal", "int:1:99"), SRC, NOTE,
        )),
        Table("organs", ("organ_id",), (
            C("organ_id", "slug", True), C("name", "text", True), C("abbreviation"),
            C("kind", "code:organ-kind", True), C("parent_id", "ref:organs"), C("seats", "int:1:200"),
            C("term_years", "int:1:20"), C("location_city"), SRC, NOTE,
        )),
        Table("seat_allocations", ("organ_id", "un_group", "valid_from", "decided_at_session"), (
            C("organ_id", "ref:organs", True), C("un_group", "code:regional-group", True),
            C("seats", "int:0:200", True), C("previous_seats", "int:0:200"), C("valid_from", "date"),
            C("decided_at_session", "ref:sessions"), SRC,
        )),
        Table("persons", ("person_id",), (
            C("person_id", "slug", True), C("name", "text", True), C("nationality_iso3", "iso3"), SRC,
        )),
        Table("elections", ("election_id",), (
            C("election_id", "slug", True), C("kind", "code:election-kind", True), C("organ_id", "ref:organs"),
            C("session_id", "ref:sessions"), C("date", "date"), C("end_date", "date"), C("seats", "int:1:200"),
            C("method", "code:election-method"), C("rounds", "int:1:200"), C("required_majority"), SRC, NOTE,
        )),
        Table("candidates", ("election_id", "candidate_id"), (
            C("election_id", "ref:elections", True), C("candidate_type", "code:candidate-type", True),
            C("candidate_id", "candidate", True), C("nominating_iso3", "iso3"), C("elected", "bool"),
            C("seat_share", "decimal"), SRC,
        )),
        Table("rounds", ("election_id", "round"), (
            C("election_id", "ref:elections", True), C("round", "int:1:200", True), C("date", "date"),
            C("votes_cast", "int:0:200"), C("abstentions", "int:0:200"), C("invalid", "int:0:200"),
            C("required_majority", "int:1:200"), SRC,
        )),
        Table("round_votes", ("election_id", "round", "candidate_id"), (
            C("election_id", "ref:elections", True), C("round", "int:1:200", True),
            C("candidate_id", "candidate", True), C("votes", "int:0:200", True), SRC,
        )),
        Table("mandates", ("holder_id", "organ_id", "role", "start_date"), (
            C("holder_type", "code:candidate-type", True), C("holder_id", "holder", True),
            C("organ_id", "ref:organs", True), C("role", "code:role", True), C("start_date", "date"),
            C("end_date", "date"), C("election_id", "ref:elections"), SRC, NOTE,
        )),
        Table("resolutions", ("symbol",), (
            C("symbol", "symbol", True), C("title"), C("short_name"), C("session_id", "ref:sessions"),
            C("adoption_date", "date"), C("adoption_method", "code:adoption-method"), C("topic"),
            C("meeting", "int:1:99"), SRC,
        )),
        Table("amendments", ("amendment_id",), (
            C("amendment_id", "key", True), C("resolution_symbol", "ref:resolutions"),
            C("instrument", "code:legal-instrument", True), C("provision"), C("subject"),
            C("adoption_date", "date"), C("entry_into_force", "date"), SRC,
        )),
        Table("budgets", ("year", "kind"), (
            C("year", "int:1998:2100", True), C("kind", "code:budget-kind", True), C("amount", "decimal", True),
            C("currency", "currency", True), C("session_id", "ref:sessions"),
            C("resolution_symbol", "ref:resolutions"), SRC, NOTE,
        )),
        Table("pledges", ("pledge_id",), (
            C("pledge_id", "key", True), C("session_id", "ref:sessions"), C("donor_iso3", "iso3", True),
            C("recipient_organ_id", "ref:organs"), C("amount", "decimal", True), C("currency", "currency", True),
            C("period_years", "int:1:50"), SRC,
        )),
        Table("participation", ("session_id", "kind"), (
            C("session_id", "ref:sessions", True), C("kind", "code:participant-kind", True),
            C("count", "int:0:100000", True), C("qualifier", "code:count-qualifier"), SRC,
        )),
        Table("statements", ("statement_id",), (
            C("statement_id", "key", True), C("session_id", "ref:sessions"), C("date", "date"),
            C("speaker_iso3", "iso3"), C("speaker_name"), C("speaker_org"), C("on_behalf_of", "refs:iso3"),
            C("topic"), SRC,
        )),
    )
}

# Small closed lists that are not code lists of the ontology (they become classes or plain strings).
LOCAL_CODES: dict[str, tuple[str, ...]] = {
    "source-kind": ("seed", "press-release", "official-record", "treaty-record", "reference-page", "news",
                    "code-list", "derived"),
    "source-tier": ("1", "2", "3", "4"),
    "rank": ("preferred", "deprecated"),
    "session-kind": ("regular", "resumed", "special", "review-conference"),
    "candidate-type": ("person", "state"),
    "count-qualifier": ("exact", "approximately", "nearly", "more-than"),
    "legal-instrument": ("rome-statute", "rules-of-procedure-and-evidence", "elements-of-crimes"),
}

# Load order: a table may only refer to tables loaded before it.
ORDER = (
    "sources", "states", "state_groups", "sessions", "organs", "seat_allocations", "persons", "elections",
    "candidates", "rounds", "round_votes", "mandates", "resolutions", "amendments", "budgets", "pledges",
    "participation", "statements",
)
