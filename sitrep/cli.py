"""Command line: ``sitrep extract | places | stats | gazetteer import | serve``.

Events go to stdout (or --output); warnings, failures and the summary go to stderr.
Exit status: 0 all inputs read; 1 some inputs failed but others were processed; 2 usage error or nothing
could be read.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from typing import IO

from sitrep.errors import SitrepError, UsageError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sitrep", description="Conflict news reports in; conflict-event data out.")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract events from files, directories or stdin (-)")
    ex.add_argument("paths", nargs="+", metavar="PATH")
    ex.add_argument("--published", type=_date, help="publication date for inputs that carry none")
    ex.add_argument("--format", default="jsonl", choices=["jsonl", "json", "csv", "geojson", "table"])
    ex.add_argument("--output", "-o", help="write events here instead of stdout")
    ex.add_argument("--db", help="store results in this SQLite file (re-runs add nothing)")
    ex.add_argument("--no-merge", action="store_true",
                    help="with --db: store each article's events as they are, without merging them into the "
                         "stored events they tell (default: one stored event per real-world event)")
    ex.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    ex.add_argument("--engine", default="local", choices=["local", "dask"],
                    help="local processes (default) or dask.distributed")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: address of an existing cluster (default: a LocalCluster)")

    pl = sub.add_parser("places", help="list every place mention, resolved, with its role")
    pl.add_argument("paths", nargs="+", metavar="PATH")
    pl.add_argument("--published", type=_date)
    pl.add_argument("--format", default="jsonl", choices=["jsonl"])
    pl.add_argument("--output", "-o")

    st = sub.add_parser("stats", help="counts of a store")
    st.add_argument("--db", required=True)

    gz = sub.add_parser("gazetteer", help="manage the gazetteer index")
    gzs = gz.add_subparsers(dest="gz_command", required=True)
    imp = gzs.add_parser("import", help="add a GeoNames dump (allCountries.txt or a country file)")
    imp.add_argument("file")

    sv = sub.add_parser("serve", help="the web view over a store")
    sv.add_argument("--db", required=True)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)

    rp = sub.add_parser("report", help="one self-contained HTML file (map, timeline, table) of a store")
    rp.add_argument("--db", required=True)
    rp.add_argument("--output", "-o", required=True, help="the HTML file to write")
    return p


@contextlib.contextmanager
def _output(path: str | None):
    if path in (None, "-"):
        yield sys.stdout
    else:
        try:
            f = open(path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
        with f:
            yield f


def _cmd_extract(args) -> int:
    from sitrep.batch import run_batch
    from sitrep.export import Writer, event_record
    from sitrep.ingest import read_inputs

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    store = None
    if args.db:
        from sitrep.store import open_store

        store = open_store(args.db, merge=not args.no_merge)
    try:
        with _output(args.output) as out:
            writer = Writer(args.format, out)

            def emit(res):
                for ev in res.events:
                    writer.write(event_record(ev))

            summary = run_batch(read_inputs(args.paths, published=args.published), emit, store=store,
                                workers=args.workers, engine=args.engine, scheduler=args.scheduler)
            writer.close()
    finally:
        if store is not None:
            store.close()
    _report(summary, sys.stderr)
    return summary.exit_status()


def _cmd_places(args) -> int:
    from sitrep.batch import run_batch
    from sitrep.export import place_record
    from sitrep.ingest import read_inputs

    with _output(args.output) as out:
        def emit(res):
            for pm in res.places:
                out.write(json.dumps(place_record(res.article.document_id or res.article.id, pm),
                                     ensure_ascii=False) + "\n")

        summary = run_batch(read_inputs(args.paths, published=args.published), emit)
    _report(summary, sys.stderr, what="documents")
    return summary.exit_status()


def _report(summary, err: IO[str], what: str = "documents") -> None:
    parts = [f"{summary.documents} {what}", f"{summary.events} events", f"{len(summary.failures)} failures"]
    if summary.skipped:
        parts.append(f"{summary.skipped} already stored")
    print("sitrep: " + ", ".join(parts), file=err)


def _cmd_stats(args) -> int:
    from sitrep.store import open_store

    store = open_store(args.db)
    try:
        print(json.dumps(store.stats()))
    finally:
        store.close()
    return 0


def _cmd_gazetteer(args) -> int:
    from sitrep.resolve.gazetteer import Gazetteer

    added = Gazetteer.load().import_geonames(args.file)
    print(f"sitrep: imported {added} places from {args.file}", file=sys.stderr)
    return 0


def _cmd_serve(args) -> int:
    try:
        from sitrep.serve import serve
    except ImportError as exc:
        raise UsageError("the web view is not installed in this version") from exc
    serve(args.db, host=args.host, port=args.port)
    return 0


def _cmd_report(args) -> int:
    from sitrep.serve.report import write_report  # stdlib + sitrep only; no web server needed

    n = write_report(args.db, args.output)
    print(f"sitrep: wrote {n} events to {args.output}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handlers = {"extract": _cmd_extract, "places": _cmd_places, "stats": _cmd_stats,
                "gazetteer": _cmd_gazetteer, "serve": _cmd_serve,
                "report": _cmd_report}
    try:
        return handlers[args.command](args)
    except UsageError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return 2
    except SitrepError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sitrep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
