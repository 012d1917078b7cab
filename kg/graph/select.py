"""Parts of the graph worth drawing: what a query returned, or a neighbourhood."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.errors import QueryError
from kg.extract.canonical import normalize_key

_NAMING = ("name", "title", "id", "key", "url")


def _values(rows: Iterable[Iterable[Any]]) -> Iterable[Any]:
    for row in rows:
        for value in row:
            if isinstance(value, list):
                yield from value
            elif isinstance(value, dict) and "nodes" in value:
                yield from value["nodes"]
            else:
                yield value


def returned_by(graph: nx.MultiDiGraph, rows: list[list[Any]]) -> nx.MultiDiGraph:
    """The nodes a query's rows name (returned nodes, or values equal to a node's name, title,
    id, key or url) and the edges among them."""
    by_name: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        for field in _NAMING:
            if data.get(field):
                by_name.setdefault(str(data[field]), []).append(node)
    chosen: set[str] = set()
    for value in _values(rows):
        if isinstance(value, dict):
            label = value.get("_label")
            key = value.get("key", value.get("id", value.get("url")))
            if label and key is not None and f"{label}:{key}" in graph:
                chosen.add(f"{label}:{key}")
        elif isinstance(value, str):
            chosen.update(by_name.get(value, ()))
    return graph.subgraph(chosen).copy()


def neighbourhood(graph: nx.MultiDiGraph, name: str, *, depth: int = 1, within: str = "the graph") -> nx.MultiDiGraph:
    """Everything within ``depth`` steps of the node(s) named ``name`` (names fold as in the graph);
    ``within`` says what ``graph`` is, for the error when no node has the name."""
    wanted = normalize_key(name)
    centres = [
        node
        for node, data in graph.nodes(data=True)
        if any(data.get(f) and normalize_key(str(data[f])) == wanted for f in _NAMING)
        or wanted in {normalize_key(a) for a in data.get("aliases") or ()}
    ]
    if not centres:
        raise QueryError(f"no node named {name!r} in {within}; `kg query search -p text=...` finds names")
    undirected = graph.to_undirected(as_view=True)
    keep: set[str] = set()
    for centre in centres:
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
    return graph.subgraph(keep).copy()
