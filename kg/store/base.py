"""The store interface both backends implement, and the shared load procedure.

A load is idempotent and safe to rerun after an interruption: for each batch
of papers it first removes what earlier loads said about those papers, then
merges nodes and relationships, and at the end removes entities that nothing
points at any more. Rerunning any prefix of that sequence and then the whole
of it ends in the same graph.
"""

from __future__ import annotations

import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.errors import QueryCancelled, QueryError
from kg.graph.build import RESULT_NAME_FIELDS, edge_rows, node_rows
from kg.iterutil import chunked
from kg.schema import NODE_TYPES, REL_TYPES, node_type, rel_type
from kg.store import cypher, version

Progress = Callable[[int], None]


@dataclass
class QueryResult:
    """Rows of a query, keyed by the RETURN clause's column names."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    #: whether rows were left out because of a row cap
    truncated: bool = False
    #: for a write: how many nodes per label and relationships per type it added (or, below
    #: zero, removed); None for a read
    changes: dict[str, int] | None = None
    #: for a query that begins with EXPLAIN or PROFILE: the engine's plan, as text (Neo4j answers
    #: EXPLAIN with no rows and PROFILE with its rows; the plan is the point of both)
    plan: str | None = None
    #: what the store warned about the query ("The property `nme` does not exist"): a misspelt
    #: name answers null, which looks like an answer
    warnings: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def jsonable(value: Any) -> Any:
    """A result value that `json.dumps` writes as strict JSON (no NaN, no dates)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


#: what a cancelled query answers
CANCELLED = "the query was cancelled"


class Cancellation:
    """A way to stop one query from another thread: `kg serve`'s Cancel button, or a newer query
    from the same page. A timeout cannot do it: it stops a query only once it has run its length.

    The store's ``run`` holds it while the query runs (`stopping`), lending it the store's own
    way of stopping that query; `cancel` calls it, again every `RETRY` seconds until the query
    has left the store, because neither engine keeps a stop that comes too early: LadybugDB drops
    an interrupt that arrives while the query is still being compiled, and Neo4j lists a
    transaction only once its BEGIN has arrived. A query cancelled before it starts never starts.

    Each attempt runs in a thread of its own, one at a time, outside the lock: a stop can hang
    (Neo4j's TERMINATE goes over the network to a server that may not answer), and neither
    `cancel`'s ``wait`` nor the query's way out of `stopping` may wait for it. So an attempt can
    still be running, or only begin, after the query has left the store and the store has
    closed: the stop a store lends must name its one query, and be harmless once that query has
    ended or the store has closed.
    """

    #: seconds between two attempts to stop the query
    RETRY = 0.05

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._cancelled = False
        self._stop: Callable[[], None] | None = None
        #: the attempt running now: another only starts once it has returned, so a stop that
        #: hangs holds one thread, not one every RETRY seconds
        self._attempt: threading.Thread | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self, *, wait: float = 5.0) -> bool:
        """Stop the query; True once it has left the store (or if it never entered it), False if
        it was still running ``wait`` seconds later (it then stops at its timeout)."""
        deadline = time.monotonic() + wait
        with self._changed:
            self._cancelled = True
            while self._stop is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                if self._attempt is None:
                    self._attempt = threading.Thread(target=self._try, args=(self._stop,), daemon=True)
                    self._attempt.start()
                self._changed.wait(min(self.RETRY, remaining))
            return True

    def _try(self, stop: Callable[[], None]) -> None:
        try:
            stop()
        finally:
            with self._changed:
                self._attempt = None

    @contextmanager
    def stopping(self, stop: Callable[[], None]) -> Iterator[None]:
        """The block runs the query that ``stop`` stops (from another thread); raises
        `QueryCancelled` without running it when the query is cancelled already."""
        with self._changed:
            if self._cancelled:
                raise QueryCancelled(CANCELLED)
            self._stop = stop
        try:
            yield
        finally:
            with self._changed:
                self._stop = None
                self._changed.notify_all()


@dataclass
class LoadReport:
    """What a load put into the store: papers, and the nodes and relationships it wrote."""

    papers: int = 0
    nodes: int = 0
    relationships: int = 0

    def add(self, other: LoadReport) -> None:
        self.papers += other.papers
        self.nodes += other.nodes
        self.relationships += other.relationships


def _name_results_as_stored(
    results: list[dict[str, Any]], edges: dict[str, list[dict[str, Any]]], renamed: dict[tuple[str, object], str]
) -> None:
    """A result's ``model`` (``metric``, ...) is the name of the node it links to: where the store
    keeps an older name for that node than this load gave it, the result takes the stored one, so
    a graph built in two runs (an interrupted build rerun, a later ``--add``) says what one run says."""
    if not renamed:
        return
    by_id = {row["id"]: row for row in results}
    for type_, field_name in RESULT_NAME_FIELDS.items():
        target = rel_type(type_).target
        for edge in edges.get(type_, []):
            name = renamed.get((target, edge["target"]))
            if name is not None and edge["source"] in by_id:
                by_id[edge["source"]][field_name] = name


class GraphStore(ABC):
    """A graph database that speaks Cypher: the embedded store or Neo4j."""

    name: str = "store"
    #: whether typed values need an explicit CAST in load statements
    typed_parameters: bool = False
    batch_size: int = 500
    _schema_ready: bool = False

    @abstractmethod
    def run(
        self,
        statement: str,
        parameters: dict[str, Any] | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
        max_rows: int | None = None,
        cancel: Cancellation | None = None,
    ) -> QueryResult:
        """Run one statement; reads unless ``write`` is set.

        ``timeout`` (seconds) stops a query that runs too long; ``max_rows`` keeps
        the first rows only and marks the result truncated; ``cancel`` lets another thread
        stop the query before it ends (it then raises `QueryCancelled`).
        """

    @abstractmethod
    def setup_schema(self) -> None:
        """Create tables, constraints and indexes that are missing."""

    @abstractmethod
    def missing_schema(self) -> list[str]:
        """What of kg/schema.py the graph lacks (tables, columns, constraints, indexes), each
        named; the graph's own record (`META`) aside, which no graph had before kg recorded its
        schema version. `kg upgrade` adopts a graph that records none only when this is empty."""

    @property
    def location(self) -> str:
        """The graph, as a message names it: "the graph at kg-data"."""
        return f"the graph in the {self.name} store"

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_batches(self, statement: str, rows: list[dict[str, Any]], progress: Progress | None = None) -> None:
        for batch in chunked(rows, self.batch_size):
            self.run(statement, {"rows": batch}, write=True)
            if progress:
                progress(len(batch))

    def load(
        self,
        graph: nx.MultiDiGraph,
        *,
        progress: Progress | None = None,
        cleanup: bool = True,
        stored: set[str] | None = None,
    ) -> LoadReport:
        """Put ``graph`` into the store, replacing what it held about the same papers.

        A paper's ``content_hash`` is cleared before its old facts are deleted and written
        last, once all its new facts are in, so an interrupted load leaves those papers marked
        as not yet loaded.
        ``stored``, when the caller knows it, names the graph's papers that the
        store already has (only their old facts need removing). It must name every one of them:
        the embedded store creates a load's relationships without looking for them in the store
        (`cypher.create_relationships`), so a stored paper left out would keep its old facts
        beside copies of the new ones.
        """
        self._ensure_schema()
        nodes, edges = node_rows(graph), edge_rows(graph)
        papers = nodes.get("Paper", [])
        paper_ids = [row["id"] for row in papers]
        to_clear = paper_ids if stored is None else [i for i in paper_ids if i in stored]
        for batch in chunked(to_clear, self.batch_size):
            self.run(cypher.mark_papers_pending(), {"ids": batch}, write=True)
            for statement in cypher.delete_paper_facts():
                self.run(statement, {"ids": batch}, write=True)
        pending = [{**row, "content_hash": None} for row in papers]
        self._put_nodes("Paper", pending, progress)
        renamed: dict[tuple[str, object], str] = {}
        for spec in NODE_TYPES:
            if "aliases" in dict(spec.properties):
                nodes[spec.label] = self._keep_stored_names(spec.label, spec.key, nodes.get(spec.label, []), renamed)
        _name_results_as_stored(nodes.get("Result", []), edges, renamed)
        for spec in NODE_TYPES:
            if spec.label != "Paper":
                self._put_nodes(spec.label, nodes.get(spec.label, []), progress)
        for rel in REL_TYPES:
            if rel.hierarchy:
                keys = [row[node_type(rel.source).key] for row in nodes.get(rel.source, [])]
                for batch in chunked(keys, self.batch_size):
                    self.run(cypher.delete_hierarchy_edges(rel.type), {"keys": batch}, write=True)
            self._put_relationships(rel.type, edges.get(rel.type, []), progress)
        done = [{"id": row["id"], "content_hash": row["content_hash"]} for row in papers]
        self.run_batches(cypher.mark_papers_loaded(), done)
        # this store found the graph to be this kg's before its first write; one emptied by hand
        # since (MATCH (n) DETACH DELETE n) is that still, once it holds papers again
        version.record(self, upgrading=False, only_if_missing=True)
        if cleanup:
            self.delete_orphans()
        return LoadReport(
            papers=len(paper_ids),
            nodes=sum(len(r) for r in nodes.values()),
            relationships=sum(len(r) for r in edges.values()),
        )

    def _put_nodes(self, label: str, rows: list[dict[str, Any]], progress: Progress | None) -> None:
        """Nodes by their key: created, or given this load's values where the store holds them."""
        self.run_batches(cypher.merge_nodes(label, typed=self.typed_parameters), rows, progress)

    def _put_relationships(self, type_: str, rows: list[dict[str, Any]], progress: Progress | None) -> None:
        """A load's relationships of one type, once its deletes have run."""
        self.run_batches(cypher.merge_relationships(type_, typed=self.typed_parameters), rows, progress)

    def _keep_stored_names(
        self, label: str, key: str, rows: list[dict[str, Any]], renamed: dict[tuple[str, object], str]
    ) -> list[dict[str, Any]]:
        """An entity the store already holds keeps its name, and the forms this load saw join the
        aliases it had: a later build adds to a node, it does not rename it or forget its forms.
        ``renamed`` gains the (label, key) of each node whose stored name differs from this load's."""
        kept: list[dict[str, Any]] = []
        for batch in chunked(rows, self.batch_size):
            stored = {
                row[0]: (row[1], row[2] or [])
                for row in self.run(
                    f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key}, n.name, n.aliases",
                    {"keys": [row[key] for row in batch]},
                ).rows
            }
            for row in batch:
                if row[key] not in stored:
                    kept.append(row)
                    continue
                name, aliases = stored[row[key]]
                if name != row["name"]:
                    renamed[(label, row[key])] = name
                forms = [*aliases, row["name"], *(row["aliases"] or [])]
                kept.append({**row, "name": name, "aliases": [f for f in dict.fromkeys(forms) if f and f != name]})
        return kept

    def _ensure_schema(self) -> None:
        """Tables and indexes, made once per connection before the first write or lookup, once
        the graph is checked to be this kg's (`kg.store.version`): an older one is refused, not
        written into, and left without this schema's additions, which would make it look like
        this kg's to `kg upgrade`. A new graph records this kg's schema version."""
        if not self._schema_ready:
            stored = version.check_current(self)
            self.setup_schema()
            if stored.version is None:
                version.record(self, upgrading=False)
            self._schema_ready = True

    def delete_orphans(self) -> None:
        self._ensure_schema()  # a load that read nothing into a new graph still leaves a valid one
        for statement in cypher.delete_orphans():
            self.run(statement, write=True)
        # a narrower node gone leaves its broader one bare in turn, up the taxonomy or a suite
        for bare in cypher.bare_broader_nodes():
            while self.run(f"{bare} RETURN count(n) AS n").rows[0][0]:
                self.run(f"{bare} DETACH DELETE n", write=True)

    def paper_index(self) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, str]]:
        """Every stored paper's (content hash, extractor version) by id, and id by normalised
        title: read once per build, instead of one lookup per chunk that scans the papers."""
        self._ensure_schema()
        rows = self.run(
            "MATCH (p:Paper) RETURN p.id AS id, p.content_hash AS hash, p.extractor_version AS version, "
            "p.title_key AS title_key"
        ).rows
        return {r[0]: (r[1], r[2]) for r in rows}, {r[3]: r[0] for r in rows if r[3]}

    def analysed(self) -> bool:
        """Whether `kg analyze` has written its figures into this graph."""
        for spec in NODE_TYPES:
            if "pagerank" in dict(spec.all_properties):
                statement = f"MATCH (n:{spec.label}) WHERE n.pagerank IS NOT NULL RETURN count(n) AS n"
                if self.run(statement).rows[0][0]:
                    return True
        return False

    def counts(self, *, tables_may_lack: bool = False) -> dict[str, int]:
        """Nodes per label and relationships per type. ``tables_may_lack``: the graph may be one an
        older kg wrote (a write query runs on any), whose missing table holds none."""
        counts = {}
        for name, statement in cypher.count_statements():
            try:
                counts[name] = int(self.run(statement).rows[0][0])
            except QueryError:
                if not tables_may_lack:
                    raise
                counts[name] = 0
        return counts



