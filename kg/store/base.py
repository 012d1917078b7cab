"""The store interface both backends implement, and the shared load procedure.

A load is idempotent and safe to rerun after an interruption: for each batch
of papers it first removes what earlier loads said about those papers, then
merges nodes and relationships, and at the end removes entities that nothing
points at any more. Rerunning any prefix of that sequence and then the whole
of it ends in the same graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.graph.build import edge_rows, node_rows
from kg.schema import NODE_TYPES, REL_TYPES
from kg.store import cypher

Progress = Callable[[int], None]


@dataclass
class QueryResult:
    """Rows of a query, keyed by the RETURN clause's column names."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass
class LoadReport:
    papers: int = 0
    nodes: int = 0
    relationships: int = 0


class GraphStore(ABC):
    """A graph database that speaks Cypher: the embedded store or Neo4j."""

    name: str = "store"
    #: whether typed values need an explicit CAST in load statements
    typed_parameters: bool = False
    batch_size: int = 500

    @abstractmethod
    def run(self, statement: str, parameters: dict[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run one statement; reads unless ``write`` is set."""

    @abstractmethod
    def setup_schema(self) -> None:
        """Create tables, constraints and indexes that are missing."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_batches(self, statement: str, rows: list[dict[str, Any]], progress: Progress | None = None) -> None:
        for batch in _batches(rows, self.batch_size):
            self.run(statement, {"rows": batch}, write=True)
            if progress:
                progress(len(batch))

    def load(self, graph: nx.MultiDiGraph, *, progress: Progress | None = None) -> LoadReport:
        """Put ``graph`` into the store, replacing what it held about the same papers."""
        self.setup_schema()
        nodes, edges = node_rows(graph), edge_rows(graph)
        paper_ids = [row["id"] for row in nodes.get("Paper", [])]
        for batch in _batches(paper_ids, self.batch_size):
            for statement in cypher.delete_paper_facts():
                self.run(statement, {"ids": batch}, write=True)
        for spec in NODE_TYPES:
            self.run_batches(cypher.merge_nodes(spec.label, typed=self.typed_parameters), nodes.get(spec.label, []), progress)
        for rel in REL_TYPES:
            self.run_batches(
                cypher.merge_relationships(rel.type, typed=self.typed_parameters), edges.get(rel.type, []), progress
            )
        for statement in cypher.delete_orphans():
            self.run(statement, write=True)
        return LoadReport(
            papers=len(paper_ids),
            nodes=sum(len(r) for r in nodes.values()),
            relationships=sum(len(r) for r in edges.values()),
        )

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        return {name: int(self.run(statement).rows[0][0]) for name, statement in cypher.count_statements()}


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
