from __future__ import annotations

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from kg import api
from kg.config import Settings
from kg.graph.analytics import _pagerank, analyse, similar_papers, technique_communities


def test_pagerank_matches_networkx_reference():
    graph = nx.Graph(nx.karate_club_graph().edges())
    graph.add_node("isolated")
    ours, reference = _pagerank(graph), _pagerank_python(graph)
    assert max(abs(ours[n] - reference[n]) for n in graph) < 1e-4


def _paper_graph(papers: dict[str, list[str]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for paper, techniques in papers.items():
        graph.add_node(paper, label="Paper", id=paper)
        for t in techniques:
            graph.add_node(t, label="Technique", key=t)
            graph.add_edge(paper, t, key="USES_TECHNIQUE", type="USES_TECHNIQUE")
    return graph


def test_techniques_used_together_fall_in_one_community():
    graph = _paper_graph({"p1": ["a", "b"], "p2": ["a", "b"], "p3": ["c", "d"], "p4": ["c", "d"]})
    assert technique_communities(graph) == [{"a", "b"}, {"c", "d"}]


def test_similar_papers_need_enough_shared_entities():
    graph = _paper_graph({"p1": ["a", "b", "c"], "p2": ["a", "b", "c"], "p3": ["a"]})
    assert similar_papers(graph, min_shared=3) == [("p1", "p2", 3)]
    assert ("p1", "p3", 1) in similar_papers(graph, min_shared=1)


def test_analyse_scores_ranked_labels_only(sample_graph):
    result = analyse(sample_graph)
    labels = {sample_graph.nodes[n]["label"] for n in result.scores}
    assert labels <= {"Technique", "Method", "Model", "Dataset", "Task"}
    assert all(v["degree"] >= 1 for v in result.scores.values())


@pytest.mark.filterwarnings("ignore")
def test_analyze_writes_back_to_the_store(tmp_path):
    settings = Settings.from_env({}, db=tmp_path / "db")
    api.build(None, settings=settings)
    summary = api.analyze(settings=settings)
    assert summary.ranked > 0 and summary.similar_pairs > 0
    from kg.querylib import resolve

    rows = api.run_query(
        resolve("MATCH (t:Technique) WHERE t.pagerank IS NOT NULL RETURN count(t) AS n"), settings=settings
    ).rows
    assert rows[0][0] > 0
    pairs = api.run_query(resolve("MATCH ()-[r:SIMILAR_TO]->() RETURN count(r) AS n"), settings=settings).rows
    assert pairs == [[summary.similar_pairs]]
    ranks = resolve("MATCH (t:Technique) RETURN t.key AS key, t.pagerank AS rank, t.degree AS degree ORDER BY key")
    first = api.run_query(ranks, settings=settings).rows
    again = api.analyze(settings=settings)
    assert again.similar_pairs == summary.similar_pairs
    assert api.run_query(resolve("MATCH ()-[r:SIMILAR_TO]->() RETURN count(r) AS n"), settings=settings).rows == pairs
    # the SIMILAR_TO edges the first run left are not facts the second one ranks by
    assert api.run_query(ranks, settings=settings).rows == first
    # and an export or a script reads them back whole, with their count of what the papers share
    stored = api.stored_graph(settings=settings)
    similar = [d for _, _, d in stored.edges(data=True) if d["type"] == "SIMILAR_TO"]
    assert len(similar) == summary.similar_pairs and all(d["shared"] >= 3 for d in similar)


def test_a_load_that_changes_an_analysed_graph_says_its_figures_are_stale(tmp_path):
    settings = Settings.from_env({}, db=tmp_path / "db")
    paper = tmp_path / "p.jsonl"
    paper.write_text('{"id": "p1", "title": "FooQuant: Quantization", "abstract": "We propose FooQuant, a quantization method."}\n')
    assert not api.build([paper], settings=settings).analysis_stale  # nothing ranked yet
    api.analyze(settings=settings)
    assert not api.build([paper], settings=settings).analysis_stale  # unchanged: nothing loaded
    paper.write_text('{"id": "p1", "title": "FooQuant: Quantization", "abstract": "We propose FooQuant, a pruning method."}\n')
    assert api.build([paper], settings=settings).analysis_stale
