"""The library calls the CLI makes, one per command: each wires the steps of the flow.

corpus → extract → graph → store → query / view. Nothing here prints; long
work reports through an optional ``progress`` callback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.config import Settings
from kg.corpus import ReadReport, read_papers, sample_corpus
from kg.errors import InputError, QueryError
from kg.extract import Extractor
from kg.graph import GraphBuilder
from kg.querylib import NamedQuery
from kg.records import Extraction
from kg.schema import NODE_TYPES, REL_TYPES
from kg.store import GraphStore, LoadReport, QueryResult, open_store

Progress = Callable[[int], None]


@dataclass
class BuildSummary:
    read: ReadReport
    load: LoadReport
    counts: dict[str, int] = field(default_factory=dict)
    store: str = ""


def extractions(
    sources: Iterable[Path],
    *,
    format: str | None = None,
    report: ReadReport | None = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
) -> Iterator[Extraction]:
    """Read and extract every paper of the sources (the bundled sample if none), streaming."""
    paths = list(sources) or [sample_corpus()]
    extractor = extractor or Extractor()
    for extraction in extractor.extract(read_papers(paths, format=format, report=report)):
        if progress:
            progress(1)
        yield extraction


def extract_to_jsonl(
    sources: Iterable[Path], out: Path, *, format: str | None = None, progress: Progress | None = None
) -> ReadReport:
    """`kg extract`: one JSON object per paper, in the gold format's superset."""
    report = ReadReport()
    try:
        with out.open("w", encoding="utf-8") as handle:
            for extraction in extractions(sources, format=format, report=report, progress=progress):
                handle.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from e
    return report


def build(
    sources: Iterable[Path],
    *,
    settings: Settings,
    format: str | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """`kg build`: extract the sources and load the graph into the configured store."""
    report = ReadReport()
    extractor = Extractor()
    builder = GraphBuilder(gazetteer=extractor.gazetteer)
    builder.add_all(extractions(sources, format=format, report=report, extractor=extractor, progress=progress))
    with open_store(settings) as store:
        load = store.load(builder.graph)
        return BuildSummary(read=report, load=load, counts=store.counts(), store=store.name)


def run_query(
    query: NamedQuery, *, settings: Settings, params: dict[str, Any] | None = None, write: bool = False
) -> QueryResult:
    """`kg query`: run one query, on its defaults overridden by ``params``."""
    if query.neo4j_only and settings.store != "neo4j":
        raise QueryError(f"query {query.name} needs Neo4j; run it with --store neo4j")
    values = {**query.defaults, **(params or {})}
    with open_store(settings, read_only=not write) as store:
        return store.run(query.text, values, write=write)


def stats(*, settings: Settings) -> dict[str, int]:
    """`kg stats`: nodes per label and relationships per type in the store."""
    with open_store(settings, read_only=True) as store:
        return store.counts()


def graph_from_store(store: GraphStore) -> nx.MultiDiGraph:
    """The whole stored graph back in networkx, for drawing and analysis."""
    graph = nx.MultiDiGraph()
    for spec in NODE_TYPES:
        names = [name for name, _ in spec.all_properties]
        result = store.run(f"MATCH (n:{spec.label}) RETURN " + ", ".join(f"n.{p} AS {p}" for p in names))
        for row in result.records():
            graph.add_node(f"{spec.label}:{row[spec.key]}", label=spec.label, **row)
    for rel in REL_TYPES:
        source, target = (next(n for n in NODE_TYPES if n.label == label) for label in (rel.source, rel.target))
        result = store.run(
            f"MATCH (a:{rel.source})-[r:{rel.type}]->(b:{rel.target}) "
            f"RETURN a.{source.key} AS a, b.{target.key} AS b, r.paper_id AS paper_id, r.sentence AS sentence"
        )
        for row in result.records():
            graph.add_edge(
                f"{rel.source}:{row['a']}",
                f"{rel.target}:{row['b']}",
                key=f"{rel.type}|{row['paper_id']}",
                type=rel.type,
                paper_id=row["paper_id"],
                sentence=row["sentence"],
            )
    return graph


def render_viz(out: Path, *, settings: Settings, max_nodes: int = 400) -> tuple[int, int]:
    """`kg viz`: draw the stored graph into one HTML file; returns (nodes drawn, nodes left out)."""
    from kg.view.pyvis_view import render

    with open_store(settings, read_only=True) as store:
        graph = graph_from_store(store)
    return render(graph, out, max_nodes=max_nodes)


def build_graph_only(sources: Iterable[Path], *, format: str | None = None) -> tuple[nx.MultiDiGraph, ReadReport]:
    """Extract the sources into an in-memory graph without touching a store."""
    report = ReadReport()
    extractor = Extractor()
    builder = GraphBuilder(gazetteer=extractor.gazetteer)
    builder.add_all(extractions(sources, format=format, report=report, extractor=extractor))
    return builder.graph, report
