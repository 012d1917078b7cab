"""Graph analytics with networkx, written back to the store where they help queries.

Degree and PageRank rank techniques and methods; communities group
techniques that papers use together; ``SIMILAR_TO`` links papers that share
many entities. All of it is recomputed from the whole graph each time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.schema import ENTITY_LABELS

RANKED_LABELS = ("Technique", "Method", "Model", "Dataset", "Task")


@dataclass
class Analytics:
    #: node id -> {"degree": int, "pagerank": float, "community": int | None}
    scores: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    #: (paper id, paper id, shared entity count)
    similar: list[tuple[str, str, int]] = field(default_factory=list)
    communities: int = 0


def _papers_of(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """The entities each paper names."""
    entities: dict[str, set[str]] = {}
    for source, target in graph.edges():
        if graph.nodes[source].get("label") == "Paper" and graph.nodes[target].get("label") in ENTITY_LABELS:
            entities.setdefault(source, set()).add(target)
    return entities


def technique_communities(graph: nx.MultiDiGraph) -> list[set[str]]:
    """Groups of techniques that papers use together (greedy modularity on co-use)."""
    co_use = nx.Graph()
    for entities in _papers_of(graph).values():
        techniques = sorted(e for e in entities if graph.nodes[e]["label"] == "Technique")
        co_use.add_nodes_from(techniques)
        for a, b in combinations(techniques, 2):
            weight = co_use.get_edge_data(a, b, {"weight": 0})["weight"]
            co_use.add_edge(a, b, weight=weight + 1)
    if co_use.number_of_edges() == 0:
        return [{n} for n in co_use.nodes]
    found = nx.algorithms.community.greedy_modularity_communities(co_use, weight="weight")
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def similar_papers(graph: nx.MultiDiGraph, *, min_shared: int = 3) -> list[tuple[str, str, int]]:
    """Pairs of papers sharing at least ``min_shared`` entities, each pair once."""
    papers_by_entity: dict[str, list[str]] = {}
    for paper, entities in _papers_of(graph).items():
        for entity in entities:
            papers_by_entity.setdefault(entity, []).append(paper)
    shared: Counter[tuple[str, str]] = Counter()
    for papers in papers_by_entity.values():
        if len(papers) > 200:  # an entity nearly every paper names says nothing about similarity
            continue
        for a, b in combinations(sorted(papers), 2):
            shared[(a, b)] += 1
    return sorted(
        ((a, b, n) for (a, b), n in shared.items() if n >= min_shared), key=lambda t: (-t[2], t[0], t[1])
    )


def _pagerank(graph: nx.Graph, *, alpha: float = 0.85, iterations: int = 100, tolerance: float = 1e-10) -> dict[str, float]:
    """PageRank by power iteration, so that analytics needs no SciPy."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / len(nodes))
    degree = dict(graph.degree)
    for _ in range(iterations):
        dangling = alpha * sum(rank[n] for n in nodes if degree[n] == 0) / len(nodes)
        new = {}
        for node in nodes:
            incoming = sum(rank[m] / degree[m] for m in graph.neighbors(node))
            new[node] = (1 - alpha) / len(nodes) + dangling + alpha * incoming
        if sum(abs(new[n] - rank[n]) for n in nodes) < tolerance:
            return new
        rank = new
    return rank


def analyse(graph: nx.MultiDiGraph, *, min_shared: int = 3) -> Analytics:
    """Degree, PageRank and community of ranked nodes, and similar paper pairs: all from the
    extracted facts, never from the ``SIMILAR_TO`` edges an earlier analysis left, so that
    analysing again gives the same numbers."""
    facts = nx.subgraph_view(graph, filter_edge=lambda a, b, key: graph.edges[a, b, key].get("type") != "SIMILAR_TO")
    simple = nx.Graph(facts.to_undirected(as_view=True))
    pagerank = _pagerank(simple)
    community_of = {
        node: index for index, community in enumerate(technique_communities(facts)) for node in community
    }
    scores: dict[str, dict[str, float | int | None]] = {}
    for node, data in facts.nodes(data=True):
        if data.get("label") in RANKED_LABELS:
            scores[node] = {
                "degree": simple.degree(node),
                "pagerank": round(pagerank.get(node, 0.0), 8),
                "community": community_of.get(node),
            }
    return Analytics(
        scores=scores,
        similar=similar_papers(facts, min_shared=min_shared),
        communities=len(set(community_of.values())),
    )
