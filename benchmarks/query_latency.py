"""Query latency: p50 and p95 of every named query (queries/*.cypher) on both stores.

Each query of kg.querylib.list_queries() runs on its defaults, as `kg query NAME`
would run it, on a built graph: the embedded store opened read-only, and
Neo4j holding the same graph (copied over from the embedded store through
GraphStore.load, so both hold exactly the same nodes and relationships).
The runs are interleaved (every query on every store, then again), after one
untimed warm-up run each; the time is the library call only (store.run),
not opening the store or starting Python.

Neo4j: as in load_rate.py, a server at --neo4j-uri that the script may wipe
(default bolt://127.0.0.1:7688); --start-neo4j starts and stops one there.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "SIMILAR_TO does not exist" on counts


def build_embedded(corpus: Path, db: Path) -> float:
    command = [*common.kg_command(), "build", str(corpus), "--db", str(db)]
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - began


def analyze(flags: list[str], **neo4j: str) -> float:
    env = {**os.environ, "KG_STORE": "embedded"}
    if neo4j:
        env.update(NEO4J_URI=neo4j["uri"], NEO4J_USER=neo4j["user"], NEO4J_PASSWORD=neo4j["password"])
    began = time.perf_counter()
    subprocess.run([*common.kg_command(), "analyze", *flags], check=True, capture_output=True, env=env)
    return time.perf_counter() - began


def copy_to_neo4j(embedded, neo4j) -> float:  # type: ignore[no-untyped-def]
    """The embedded graph into an emptied Neo4j, with the batched loader."""
    from kg.api import graph_from_store

    graph = graph_from_store(embedded)
    common.wipe_neo4j(neo4j.driver)
    began = time.perf_counter()
    neo4j.load(graph)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=10000, help="corpus size of the graph (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--db", type=Path, help="an embedded graph already built (default: build one in a temp folder)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each query on each store (default 20)")
    common.add_neo4j_arguments(parser)
    parser.add_argument("--only", action="append", help="run only this query (repeatable)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="stop a query after this many seconds and report it as timed out (default 120)")
    parser.add_argument("--analyze", action="store_true",
                        help="run `kg analyze` on both stores first (degree, PageRank, communities, SIMILAR_TO)")
    args = parser.parse_args(argv)

    from kg.querylib import list_queries
    from kg.store.embedded import EmbeddedStore

    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-query-"))
    port = urlparse(args.neo4j_uri).port or 7687
    started = False
    notes: dict[str, str] = {}
    try:
        if args.db:
            db = args.db
            notes["graph"] = f"embedded database {db} (given)"
        else:
            corpus = common.corpus(args.papers, seed=args.seed)
            db = scratch / "db"
            seconds = build_embedded(corpus, db)
            notes["graph"] = f"built from {corpus.name} ({args.papers:,} papers) in {seconds:,.0f} s"
        if args.analyze:
            notes["kg analyze (embedded)"] = f"{analyze(['--db', str(db)]):,.0f} s"
        embedded = EmbeddedStore(db, read_only=True)
        counts = embedded.counts()
        notes["size"] = (f"{sum(counts[k] for k in counts if k[:1].isupper() and not k.isupper()):,} nodes, "
                         f"{sum(counts[k] for k in counts if k.isupper()):,} relationships")
        stores: dict[str, Any] = {"embedded": embedded}
        if not args.no_neo4j:
            if args.start_neo4j:
                common.neo4j_local("start", port)
                started = True
            from kg.store.neo4j_store import connect

            neo4j = connect(args.neo4j_uri, args.neo4j_user, args.neo4j_password)
            notes["Neo4j"] = f"{args.neo4j_uri}, loaded in {copy_to_neo4j(embedded, neo4j):,.0f} s"
            if args.analyze:
                seconds = analyze(["--store", "neo4j"], uri=args.neo4j_uri, user=args.neo4j_user,
                                  password=args.neo4j_password)
                notes["kg analyze (Neo4j)"] = f"{seconds:,.0f} s"
            stores["neo4j"] = neo4j
        print(common.header("Query latency", notes))

        queries = [q for q in list_queries() if not args.only or q.name in args.only]
        times: dict[tuple[str, str], list[float]] = {}
        rows_out: dict[tuple[str, str], int] = {}
        errors: dict[tuple[str, str], str] = {}
        for run in range(args.runs + 1):
            for query in queries:
                for name, store in stores.items():
                    key = (query.name, name)
                    if key in errors or (query.neo4j_only and name != "neo4j"):
                        continue
                    began = time.perf_counter()
                    try:  # each store stops a query at its own timeout, as `kg query --timeout` does
                        result = store.run(query.text, dict(query.defaults), timeout=args.timeout)
                    except Exception as e:  # a query that fails on a store is reported, not fatal
                        elapsed = time.perf_counter() - began
                        message = str(e).splitlines()[0][:100]
                        if elapsed >= args.timeout:
                            message = f"timed out: stopped after {args.timeout:g} s"
                        errors[key] = f"{message} (failed after {elapsed:.1f} s)"
                        continue
                    elapsed = time.perf_counter() - began
                    if run:  # run 0 warms caches and is not counted
                        times.setdefault(key, []).append(elapsed)
                    rows_out[key] = len(result.rows)
            if run:
                print(f"  run {run}/{args.runs} done", file=sys.stderr)
    finally:
        for store in locals().get("stores", {}).values():
            store.close()
        shutil.rmtree(scratch, ignore_errors=True)
        if started:
            common.neo4j_local("stop", port)

    names = list(stores)
    columns = ["query"]
    for name in names:
        columns += [f"{name} p50 ms", f"{name} p95 ms", f"{name} rows"]
    if len(names) == 2:
        columns.append("neo4j p50 / embedded p50")
    table_rows = []
    for query in queries:
        row: list[Any] = [query.name]
        p50s = []
        for name in names:
            key = (query.name, name)
            if key in errors:
                row += [f"error: {errors[key]}", "", ""]
                p50s.append(None)
            elif key not in times:
                row += ["n/a", "", ""]
                p50s.append(None)
            else:
                p50 = common.percentile(times[key], 50) * 1000
                row += [p50, common.percentile(times[key], 95) * 1000, rows_out[key]]
                p50s.append(p50)
        if len(names) == 2:
            row.append(p50s[1] / p50s[0] if None not in p50s else "")
        table_rows.append(row)
    print(f"Milliseconds per query on its defaults, {args.runs} timed runs each (nearest-rank percentiles).\n")
    print(common.table(columns, table_rows))
    print(f"Load average at end: {common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
