"""The one command line: ``policykg``. Each command is a thin wrapper over a plain function.

Human-readable output (tables, summaries, markdown) is in Chinese unless ``--lang en`` or the
environment (LC_ALL / LC_MESSAGES / LANG = en…) asks for English, through the catalogs of i18n/;
JSON, CSV headers and RDF never change with the language.

Exit codes: 0 success, 1 some input failed (the rest was done), 2 usage or a fatal error;
``ingest`` stopped by a signal: 128 + the signal's number (``serve`` stopped by one: 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from i18n import LOCALES, N_, _, activate, locale_from_environment, ngettext
from kg import settings
from kg.errors import KGError


def store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="DIR", default=None,
                   help="store directory (default: $POLICYKG_STORE or ~/.local/share/policykg/store)")


def store_path(args) -> str:
    return args.store or settings.get("POLICYKG_STORE")


class ReportStream:
    """Each report as it comes: a line on stderr (tqdm's bar above it), or with ``--json`` one
    item of a JSON array streamed to stdout; none is kept. Used by ingest and load."""

    def __init__(self, args, total: int) -> None:
        from tqdm import tqdm

        self.json, self.write = args.json, tqdm.write
        self.bar = tqdm(total=total, unit="file", disable=args.json or not sys.stderr.isatty(), file=sys.stderr)
        self.counts = {"loaded": 0, "failed": 0, "unchanged": 0, "skipped": 0}
        self.warned = 0                     # reports with warnings (W201 no provision …)

    def __call__(self, report) -> None:
        left_out = report.status == "skipped" or (report.status == "failed" and report.error["code"].startswith("K8"))
        if not left_out:                    # a path the walk left out is no input of the bar's count
            self.bar.update(1)
        self.counts[report.status if report.status in self.counts else "loaded"] += 1
        self.warned += bool(report.warnings)
        if self.json:
            first = sum(self.counts.values()) == 1
            sys.stdout.write(("[\n" if first else ",\n") + json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
            return
        if report.status in ("failed", "skipped"):
            err = report.error
            self.write(f"{'FAILED ' if report.status == 'failed' else 'skipped'}  {report.path}: {err['code']} "
                       f"{err['message']}", file=sys.stderr)
        elif report.status != "unchanged":
            flag = f", unrecognised agencies: {'、'.join(report.unrecognised)}" if report.unrecognised else ""
            self.write(f"{report.status:<9}{report.path}: {report.title} ({report.identifier or 'no 文号'}) "
                       f"{report.tasks} tasks, {report.provisions} provisions, {report.agencies} agencies, "
                       f"{report.triples} triples{flag}")
            for w in report.warnings:     # loaded, but not silently: e.g. W201 no provision found
                self.write(f"WARNING {report.path}: {w['code']} {w['message']}", file=sys.stderr)

    def close(self) -> None:
        """Stopped half-way, the array still closes on the documents done."""
        self.bar.close()
        if self.json:
            print("\n]" if sum(self.counts.values()) else "[]")


def cmd_ingest(args) -> int:
    from kg.ingest import ingest_paths, iter_inputs
    from kg.lifecycle import Stopped, stop_on_signals
    from kg.search import connect, index_path, sync
    from kg.store.embedded import open_store

    store = open_store(store_path(args))
    follow = args.follow_symlinks
    total = sum(1 for _ in iter_inputs(args.paths, follow))   # counted, not held: the inputs are walked again
    if not total:
        for report in _left_out(args.paths, follow):
            print(f"skipped  {report.path}: {report.error['code']} {report.error['message']}", file=sys.stderr)
        print("error: no .txt/.html/.htm files found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    stream = ReportStream(args, total)
    index = connect(index_path(store_path(args)))          # each document is indexed as it is written
    stop_on_signals()               # SIGTERM/SIGINT/SIGHUP: the write under way ends, the workers are ended
    stopped = None
    try:
        ingest_paths(store, args.paths, stream, jobs=args.jobs, bulk=args.bulk, index=index, keep_reports=False,
                     follow_symlinks=follow)
    except Stopped as e:            # only the signal is kept: the traceback's frames (and workers) go now
        stopped = (e.signum, e.name)
    finally:                        # stopped half-way, the array still closes on the documents done
        stream.close()
    counts = stream.counts
    if stopped is not None:
        print(f"stopped ({stopped[1]}) after {counts['loaded']} loaded, {counts['failed']} failed; each "
              f"document written is whole; run the same command again to finish", file=sys.stderr)
        return 128 + stopped[0]
    try:
        sync(index, store)          # and whatever else changed (e.g. an earlier ingest cut short)
    except sqlite3.Error as e:      # derived data: the documents are in the store, `serve` syncs at start
        print(f"warning: the search index was not brought up to date ({e}); `policykg serve` does it at start",
              file=sys.stderr)
    if not args.json:
        print(_("%(loaded)s loaded, %(failed)s failed; store: %(store)s", loaded=counts["loaded"],
                failed=counts["failed"], store=store_path(args)))
        if stream.warned:
            print(_("%(n)s of them with warnings (see WARNING above)", n=stream.warned))
        if counts["skipped"]:
            print(_("%(n)s paths left out (see skipped above)", n=counts["skipped"]))
    return 1 if counts["failed"] else 0


def _left_out(paths: list[str], follow: bool) -> list:
    from kg.ingest import iter_inputs

    reports: list = []
    for _path in iter_inputs(paths, follow, reports.append):
        pass
    return reports


def cmd_query(args) -> int:
    query = args.query
    if query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise KGError("K206", f"{query[1:]} ({e.strerror})") from e
    from kg.query.pool import query_once

    body, content_type = query_once(store_path(args), query, args.format, args.timeout)
    if args.format == "table" and content_type == "application/sparql-results+json":
        import pyoxigraph as ox

        from kg.query.sparql import table

        print(table(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)))
    else:
        sys.stdout.write(body.decode("utf-8"))
    return 0


def cmd_export(args) -> int:
    from kg.query.export import export
    from kg.store.embedded import open_store

    data = export(open_store(store_path(args), read_only=True), args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_validate(args) -> int:
    from kg.store.checks import validate_store
    from kg.store.embedded import open_store

    results = validate_store(open_store(store_path(args), read_only=True))
    if not results:
        raise KGError("K102")
    bad = 0
    for iri, result in results.items():
        print(f"{'ok  ' if result.conforms else 'FAIL'} {iri}")
        if not result.conforms:
            bad += 1
            for v in result.violations[:20]:
                print(f"     {v['focus_node']} {v['path']}: {v['message']}")
    print(_("%(good)s of %(n)s documents conform to ontologies/shapes.ttl", good=len(results) - bad, n=len(results)))
    return 1 if bad else 0


def cmd_stats(args) -> int:
    from kg.query.stats import stats
    from kg.store.embedded import open_store

    data = stats(open_store(store_path(args), read_only=True))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key, value in data.items():
        if key != "per_document":
            print(f"{_(STAT_WORDS[key]) if key in STAT_WORDS else key:<24}{value}")
    for d in data["per_document"]:
        count = ngettext("%(num)4d task", "%(num)4d tasks", d["tasks"])
        print(f"  {d['identifier'] or '-':<20}{count}  {d['title']}")
    if data["old_shape_documents"]:
        print(ngettext("%(num)d document was written by an older version in an older graph shape: "
                       "run `policykg ingest` on the same files to rewrite it (nothing is lost).",
                       "%(num)d documents were written by an older version in an older graph shape: "
                       "run `policykg ingest` on the same files to rewrite them (nothing is lost).",
                       data["old_shape_documents"]), file=sys.stderr)
    return 0


STAT_WORDS = {"documents": N_("Documents:"), "tasks": N_("Tasks:"), "safeguards": N_("Safeguards:"),
              "measures": N_("Measures:"), "agencies": N_("Agencies:"),
              "unrecognised_agencies": N_("Unrecognised agencies:"), "targets": N_("Targets:"),
              "citations": N_("Citations:"), "triples": N_("Triples:"),
              "old_shape_documents": N_("In an older graph shape:")}


def cmd_serve(args) -> int:
    import contextlib

    from kg.lifecycle import Stopped
    from kg.store.embedded import open_store
    from kg.store.remote import is_url
    from web.serve import serve

    path = store_path(args)
    if not is_url(path):
        if not Path(path).is_dir():             # serving never creates a store: K101, not a traceback
            raise KGError("K101", f"{path} (no such store directory: run `policykg ingest PATH --store {path}`)")
        open_store(path, read_only=True)        # K101 with the reason when it cannot be read
    # serve returns when a signal stops it; Stopped comes out only when the signal came before
    # waitress's loop began (the loop catches it itself)
    with contextlib.suppress(Stopped):
        serve(store=path, host=args.host, port=args.port)
    return 0


# Command groups: each module has ``register(subparsers)``; one module per area so that
# new areas (network, comparison, analytics) add commands without touching this file's core.
COMMAND_MODULES = ("policykg.cmd_network", "policykg.cmd_compare", "policykg.cmd_analytics",
                   "policykg.cmd_shards")


def parser() -> argparse.ArgumentParser:
    import importlib

    p = argparse.ArgumentParser(prog="policykg", description="Knowledge graph of Chinese policy documents.")
    p.add_argument("--lang", choices=LOCALES, default=None,
                   help="language of human-readable output (default: from LC_ALL/LC_MESSAGES/LANG; Chinese)")
    sub = p.add_subparsers(dest="command", required=True)
    _register_core(sub)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        module.register(sub)
    for command in sub.choices.values():          # --lang after the command too (policykg stats --lang en)
        command.add_argument("--lang", choices=LOCALES, default=argparse.SUPPRESS,
                             help="language of human-readable output (default: from LANG; Chinese)")
    return p


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return n


def _register_core(sub) -> None:

    s = sub.add_parser("ingest", help="extract documents (.txt/.html files or folders) into the store")
    s.add_argument("paths", nargs="+", metavar="PATH")
    store_arg(s)
    s.add_argument("--json", action="store_true", help="print the per-file report as JSON")
    s.add_argument("--jobs", "-j", type=_positive, default=1, metavar="N",
                   help="extract in N worker processes (the store is still written in input order)")
    s.add_argument("--follow-symlinks", action="store_true",
                   help="in folders, follow symbolic links (by default a link leading out of the folder, or to "
                        "a folder, is not followed, and is reported)")
    s.add_argument("--bulk", action="store_true",
                   help="write new documents with the bulk loader: several times faster for a first load, "
                        "but not crash-safe (after a crash, run the same command again)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("query", help="run a read-only SPARQL query (text, or @file.rq)")
    s.add_argument("query", metavar="QUERY|@file.rq")
    store_arg(s)
    s.add_argument("--format", default="table", choices=["json", "csv", "tsv", "xml", "table", "ttl", "nt", "jsonld"],
                   help="json is the SPARQL 1.1 results JSON format (default: table)")
    s.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop the query after SECONDS (default: no limit)")
    s.set_defaults(func=cmd_query)

    s = sub.add_parser("export", help="write the whole graph")
    s.add_argument("--format", default="trig", choices=["ttl", "nt", "jsonld", "trig", "nq"])
    s.add_argument("--output", "-o", metavar="FILE")
    store_arg(s)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("validate", help="check every document graph against ontologies/shapes.ttl")
    store_arg(s)
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("stats", help="counts of documents, tasks, agencies …")
    store_arg(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("serve", help="serve the search page, SPARQL endpoint and JSON API")
    store_arg(s)
    s.add_argument("--host", default=None, help="default: $POLICYKG_HOST or 127.0.0.1")
    s.add_argument("--port", type=int, default=None, help="default: $POLICYKG_PORT or 8000")
    s.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    activate(args.lang or locale_from_environment())
    try:
        return args.func(args)
    except KGError as e:
        print(_("error: %(message)s", message=str(e)), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def run() -> None:
    """The console entry point (``policykg``, ``python -m policykg``): ``main``'s exit status. A
    command stopped by a signal (128 + N) leaves at once once its output is flushed, without
    interpreter shutdown: a worker pool ended half-way may keep a thread blocked on a worker's
    unfinished message, which shutdown would wait on for ever (``kg.workers._abandon``). What the
    command wrote is committed already (each document in its own transaction)."""
    code = main()
    if isinstance(code, int) and code >= 128:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
