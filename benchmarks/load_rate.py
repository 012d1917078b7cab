"""Load rate: kg's batched loader (GraphStore.load) against a naive one, on both stores.

The batched loader writes ``UNWIND $rows AS row MERGE ...`` in batches of
``GraphStore.batch_size`` rows. The naive loader writes the same graph one
statement per fact, one ``MERGE`` per node and one per relationship, values
still passed as parameters; on Neo4j each statement is its own transaction,
as a loop over ``session.run`` would make it. Both start from an empty
database with the schema (constraints / tables) already in place, and the
same graph, extracted once from a generated corpus. Rows are nodes plus
relationships; the ratio is taken within each round of the interleaved runs.

Neo4j: by default the script expects a server at bolt://127.0.0.1:7688 that
it may wipe; ``--start-neo4j`` starts one there with scripts/neo4j-local
(state in /tmp/bench-neo4j) and stops it at the end. Never point it at the
server the tests use: the script deletes everything in the database.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "SIMILAR_TO does not exist" on counts


def extract_graph(corpus: Path):  # type: ignore[no-untyped-def]
    from kg.corpus import read_papers
    from kg.extract import Extractor
    from kg.graph import build_graph

    extractor = Extractor()
    return build_graph(extractor.extract(read_papers([corpus])), gazetteer=extractor.gazetteer)


# -- the naive loader -------------------------------------------------------------------------


def naive_statements(graph, *, typed: bool) -> list[tuple[str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """One MERGE per node and one per relationship, in the order GraphStore.load writes them."""
    from kg.graph.build import edge_rows, node_rows
    from kg.schema import COMPUTED_PROPERTIES, NODE_TYPES, REL_TYPES, STRING, node_type

    def value(name: str, type_: str) -> str:
        return f"CAST(${name} AS {type_})" if typed and type_ != STRING else f"${name}"

    nodes, edges = node_rows(graph), edge_rows(graph)
    out: list[tuple[str, dict[str, Any]]] = []
    for spec in NODE_TYPES:
        sets = ", ".join(
            f"n.{name} = {value(name, t)}" for name, t in spec.properties if name not in COMPUTED_PROPERTIES
        )
        statement = f"MERGE (n:{spec.label} {{{spec.key}: ${spec.key}}}) SET {sets}"
        for row in nodes.get(spec.label, []):
            out.append((statement, {k: v for k, v in row.items() if k not in COMPUTED_PROPERTIES}))
    for rel in REL_TYPES:
        source, target = node_type(rel.source), node_type(rel.target)
        sets = ", ".join(f"r.{name} = {value(name, t)}" for name, t in rel.properties if name != "paper_id")
        statement = (
            f"MATCH (a:{source.label} {{{source.key}: $source}}) MATCH (b:{target.label} {{{target.key}: $target}}) "
            f"MERGE (a)-[r:{rel.type} {{paper_id: $paper_id}}]->(b) SET {sets}"
        )
        for row in edges.get(rel.type, []):
            out.append((statement, row))
    return out


def load_naive(store, statements: list[tuple[str, dict[str, Any]]]) -> None:  # type: ignore[no-untyped-def]
    for statement, parameters in statements:
        store.run(statement, parameters, write=True)


# -- the stores --------------------------------------------------------------------------------


class EmbeddedTarget:
    name = "embedded (LadybugDB)"

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.count = 0

    def fresh(self):  # type: ignore[no-untyped-def]
        from kg.store.embedded import EmbeddedStore

        self.count += 1
        store = EmbeddedStore(self.scratch / f"db{self.count}")
        store.setup_schema()
        store._schema_ready = True
        return store

    def done(self, store) -> None:  # type: ignore[no-untyped-def]
        store.close()
        shutil.rmtree(store.path, ignore_errors=True)


class Neo4jTarget:
    name = "Neo4j"

    def __init__(self, uri: str, user: str, password: str) -> None:
        from kg.store.neo4j_store import connect

        self.store = connect(uri, user, password)
        self.store.setup_schema()
        self.store._schema_ready = True

    def fresh(self):  # type: ignore[no-untyped-def]
        common.wipe_neo4j(self.store.driver)
        return self.store

    def done(self, store) -> None:  # type: ignore[no-untyped-def]
        pass

    def close(self) -> None:
        self.store.close()


def measure(target, graph, statements, repeats: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    times: dict[str, list[float]] = {"batched": [], "naive": []}
    runs: dict[str, Callable[[Any], Any]] = {
        "batched": lambda store: store.load(graph),
        "naive": lambda store: load_naive(store, statements),
    }
    for round_ in range(repeats):
        for name, run in runs.items():
            store = target.fresh()
            began = time.perf_counter()
            run(store)
            times[name].append(time.perf_counter() - began)
            counts = store.counts()
            target.done(store)
            print(f"  {target.name} round {round_ + 1}: {name}: {times[name][-1]:.2f} s "
                  f"({sum(counts.values()):,} nodes + relationships stored)", file=sys.stderr)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--papers", type=int, default=500, help="corpus size the graph is extracted from (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of each loader per store (default 3)")
    common.add_neo4j_arguments(parser)
    args = parser.parse_args(argv)

    from kg.graph.build import edge_rows, node_rows

    corpus = common.corpus(args.papers, seed=args.seed)
    graph = extract_graph(corpus)
    n_nodes = sum(len(r) for r in node_rows(graph).values())
    n_rels = sum(len(r) for r in edge_rows(graph).values())
    rows = n_nodes + n_rels
    print(common.header("Load rate", {
        "graph": f"extracted from {corpus.name}: {n_nodes:,} nodes + {n_rels:,} relationships = {rows:,} rows",
    }))

    from kg.store.base import GraphStore

    results: list[tuple[Any, ...]] = []
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    port = urlparse(args.neo4j_uri).port or 7687
    started = False
    try:
        embedded = EmbeddedTarget(scratch)
        targets: list[Any] = [embedded]
        if not args.no_neo4j:
            if args.start_neo4j:
                common.neo4j_local("start", port)
                started = True
            targets.append(Neo4jTarget(args.neo4j_uri, args.neo4j_user, args.neo4j_password))
        for target in targets:
            typed = target is embedded
            statements = naive_statements(graph, typed=typed)
            assert len(statements) == rows
            times = measure(target, graph, statements, args.repeats)
            ratios = [n / b for b, n in zip(times["batched"], times["naive"])]
            batched_rates = [rows / t for t in times["batched"]]
            naive_rates = [rows / t for t in times["naive"]]
            results.append((
                target.name, common.median(batched_rates), common.median(naive_rates),
                common.median(ratios), common.spread(ratios),
            ))
            if isinstance(target, Neo4jTarget):
                target.fresh()
                target.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if started:
            common.neo4j_local("stop", port)

    print(f"Rows (nodes + relationships) per second, median of {args.repeats} interleaved rounds; "
          f"batch size {GraphStore.batch_size}. The speed-up is naive time / batched time within a round.\n")
    print(common.table(
        ["store", "batched rows/s", "naive rows/s", "batched speed-up (median)", "range"], results,
    ))
    print(f"Load average at end: {common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
