"""The ``aspkg`` command: build, validate, serve and query the knowledge graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        sparql_backend=getattr(args, "sparql_backend", None),
    )


def cmd_build(args: argparse.Namespace) -> int:
    from graph.build import BuildFailed, build

    try:
        build(_settings(args), tables_dir=Path(args.tables) if args.tables else None, quiet=args.quiet)
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        print("the previously built graph (if any) is untouched and still served", file=sys.stderr)
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 when the data conform, 1 on a violation, 2 when a file cannot be read."""
    if args.files:
        from graph.validate_files import UnreadableFile, validate_files

        try:
            conforms, report = validate_files([Path(f) for f in args.files],
                                              Path(args.report) if args.report else None,
                                              Path(args.junit) if args.junit else None)
        except UnreadableFile as exc:
            print(f"cannot validate: {exc}", file=sys.stderr)
            return 2
    else:
        from graph.validation import validate_tables

        conforms, report = validate_tables(Path(args.tables) if args.tables else None)
    print(report)
    return 0 if conforms else 1


def cmd_conflicts(args: argparse.Namespace) -> int:
    from graph.conflicts import print_conflicts

    return print_conflicts(_settings(args), fmt=args.format, ties_only=args.ties)


def cmd_serve(args: argparse.Namespace) -> int:
    from api.server import serve

    serve(_settings(args), build_first=args.build)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Exit 0 when the server holds exactly the dataset, 1 otherwise (the message says why)."""
    from graph.publish import PublishFailed, publish
    from graph.store import Layout

    try:
        publish(Layout(_settings(args).data_dir), args.endpoint, query_endpoint=args.query_endpoint,
                update_endpoint=args.update_endpoint, version=args.version, batch_size=args.batch_size)
    except PublishFailed as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from graph.query import run_cli_query

    text = sys.stdin.read() if args.query == "-" else args.query
    return run_cli_query(_settings(args), text, fmt=args.format)


def cmd_settings(args: argparse.Namespace) -> int:
    for name, help_text in Settings.documented().items():
        print(f"ASPKG_{name.upper():<20} {help_text}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aspkg", description="Knowledge graph of the ICC Assembly of States Parties.")
    p.add_argument("--data-dir", help="where stores and dumps live (default: ./var, or ASPKG_DATA_DIR)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="map the source tables, infer, validate and publish the graph")
    b.add_argument("--tables", help="directory of source tables (default: mappings/tables)")
    b.add_argument("--quiet", action="store_true", help="no progress lines")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check the tables and run the SHACL validation (no store is touched); "
                       "with FILE arguments, validate those RDF files against the ontology and shapes")
    v.add_argument("files", nargs="*", metavar="FILE",
                   help="RDF files to validate together (.ttl .trig .nt .nq .jsonld .rdf); none: the source tables")
    v.add_argument("--tables", help="directory of source tables (default: mappings/tables)")
    v.add_argument("--report", metavar="PATH", help="also write the SHACL validation report graph (Turtle)")
    v.add_argument("--junit", metavar="PATH", help="also write the results as JUnit XML, for CI")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("conflicts", help="every fact on which sources disagree: its claims, ranks, winner and rule")
    c.add_argument("--format", default="text", choices=["text", "csv", "json"])
    c.add_argument("--ties", action="store_true", help="only the facts left without a preferred value (ties)")
    c.set_defaults(func=cmd_conflicts)

    s = sub.add_parser("serve", help="serve the SPARQL endpoint, linked data and pages")
    s.add_argument("--host", help="bind address (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 8000)")
    s.add_argument("--build", action="store_true", help="build the graph first if none is built")
    s.add_argument("--sparql-backend", metavar="URL",
                   help="serve from this SPARQL 1.1 query endpoint (see `aspkg publish`) instead of the built store")
    s.set_defaults(func=cmd_serve)

    pub = sub.add_parser("publish", help="load the built graph into a SPARQL 1.1 server (Graph Store Protocol, "
                         "else SPARQL Update) and check that it holds exactly the dataset")
    pub.add_argument("--endpoint", required=True, metavar="URL",
                     help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store for Oxigraph's server")
    pub.add_argument("--query-endpoint", metavar="URL", help="query endpoint for the check (default: the endpoint "
                     "with /store replaced by /query)")
    pub.add_argument("--update-endpoint", metavar="URL", help="SPARQL Update endpoint, used when the server has no "
                     "Graph Store Protocol (default: the endpoint with /store replaced by /update)")
    pub.add_argument("--version", help="the built version to publish (default: the current one)")
    pub.add_argument("--batch-size", type=int, default=50_000, metavar="N", help="triples per request (default 50000)")
    pub.set_defaults(func=cmd_publish)

    q = sub.add_parser("query", help="run a SPARQL query on the built graph ('-' reads stdin)")
    q.add_argument("query")
    q.add_argument("--format", default="table", choices=["table", "json", "csv", "tsv", "xml", "turtle", "nquads"])
    q.set_defaults(func=cmd_query)

    st = sub.add_parser("settings", help="list every setting with its environment variable")
    st.set_defaults(func=cmd_settings)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
