"""``policykg extract PATH... --out DIR`` and ``policykg load DIR``: ingest in two steps, through
shard files (kg/shards.py, kg/load.py), the first one on a Dask cluster if asked (kg/cluster.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policykg.cli import ReportStream, store_arg, store_path


def register(subparsers) -> None:
    from policykg.cli import _positive

    s = subparsers.add_parser(
        "extract", help="extract documents into shard files (N-Quads, search rows, reports) to load later",
        description="Writes DIR/shards/NNNNNN.{nq,search.jsonl,reports.jsonl,json} per SHARD-SIZE inputs and "
                    "DIR/manifest.json. Running it again re-extracts only shards whose inputs changed.")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--out", required=True, metavar="DIR", help="the shard directory")
    s.add_argument("--shard-size", type=_positive, default=100, metavar="N", help="inputs per shard (default 100)")
    s.add_argument("--jobs", "-j", type=_positive, default=1, metavar="N", help="extract in N worker processes")
    s.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run the shards on a Dask cluster: tcp://scheduler:8786, or 'local' for a LocalCluster "
                        "of --jobs worker processes (needs pip install 'policykg[dask]')")
    s.add_argument("--shard", type=int, default=None, metavar="K",
                   help="extract shard number K only (0-based; for a cluster that runs one command per shard); "
                        "no manifest.json is written, load finds the shards by their own manifests")
    s.add_argument("--json", action="store_true", help="print the manifest as JSON")
    s.set_defaults(func=cmd_extract)

    s = subparsers.add_parser("load", help="write a shard directory (from `policykg extract`) into the store")
    s.add_argument("dir", metavar="DIR")
    store_arg(s)
    s.add_argument("--bulk", action="store_true",
                   help="write new documents with the bulk loader (Oxigraph's; Virtuoso's own when "
                        "POLICYKG_VIRTUOSO_SQL is set): faster, not crash-safe (after a crash, run it again)")
    s.add_argument("--json", action="store_true", help="print the per-file report as JSON")
    s.set_defaults(func=cmd_load)


def cmd_extract(args) -> int:
    from tqdm import tqdm

    from kg.errors import KGError
    from kg.prepare import iter_inputs
    from kg.shards import extract, local_mapper

    total = sum(1 for _ in iter_inputs(args.paths))
    if not total:
        print("error: no .txt/.html/.htm files found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    bar = tqdm(total=total, unit="file", disable=args.json or not sys.stderr.isatty(), file=sys.stderr)
    failed = []

    def progress(summary: dict) -> None:
        bar.update(summary["counts"]["inputs"])
        for report in summary["failed"]:
            failed.append(report)
            if not args.json:
                tqdm.write(f"FAILED  {report['path']}: {report['error']['code']} {report['error']['message']}",
                           file=sys.stderr)

    try:
        if args.dask:
            from kg.cluster import dask_mapper

            with dask_mapper(args.dask, args.jobs) as mapper:
                result = extract(args.paths, args.out, args.shard_size, mapper, progress, args.shard)
        else:
            result = extract(args.paths, args.out, args.shard_size, local_mapper(args.jobs), progress, args.shard)
    except IndexError as e:
        raise KGError("K705", f"{args.shard} ({e})") from e
    finally:
        bar.close()
    counts = result["counts"]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        shards = "1 shard" if args.shard is not None else f"{len(result['shards'])} shards"
        print(f"{counts['documents']} documents, {counts['failed']} failed, {counts['triples']} triples "
              f"in {shards}; out: {args.out}")
    return 1 if failed else 0


def cmd_load(args) -> int:
    from kg.load import load_shards
    from kg.search import connect, index_path, sync
    from kg.shards import MANIFEST, read_manifest, shard_names
    from kg.store.embedded import open_store

    store = open_store(store_path(args))
    manifest = read_manifest(Path(args.dir) / MANIFEST)
    total = manifest["counts"]["inputs"] if manifest else 0
    stream = ReportStream(args, total or len(shard_names(args.dir)))
    index = connect(index_path(store_path(args)))
    try:
        load_shards(store, args.dir, stream, bulk=args.bulk, index=index, keep_reports=False)
    finally:
        stream.close()
    sync(index, store)
    counts = stream.counts
    if not args.json:
        print(f"{counts['loaded']} loaded, {counts['unchanged']} unchanged, {counts['failed']} failed; "
              f"store: {store_path(args)}")
    return 1 if counts["failed"] else 0
