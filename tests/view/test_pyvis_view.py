"""`kg viz`: the page opens offline in a real Chromium, shows the graph, and runs no injected markup."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.graph import build_graph
from kg.graph.select import neighbourhood, returned_by
from kg.records import Extraction, Mention, Paper
from kg.view.pyvis_view import render, select

pytestmark = pytest.mark.filterwarnings("ignore")
EVIL = "Evil <script>alert(1)</script> <img src=x onerror=alert(2)>"


def _graph_with_markup() -> nx.MultiDiGraph:
    sentence = "We propose EvilNet, 2x faster."
    paper = Paper(id="<b>id</b>", title=EVIL, abstract=sentence)
    extraction = Extraction(
        paper=paper,
        extractor_version="test",
        mentions=[Mention("Method", "EvilNet", "EvilNet", 11, 18, sentence), Mention("Model", "Llama-2-7B", "Llama-2-7B", 0, 1, sentence)],
        proposes=["EvilNet"],
    )
    return build_graph([extraction])


def _open(browser, path):
    page = browser.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("canvas", timeout=30_000)
    return page, dialogs, requests


def test_viz_page_works_offline_and_escapes_markup(browser, tmp_path):
    out = tmp_path / "graph.html"
    render(_graph_with_markup(), out)
    page, dialogs, requests = _open(browser, out)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert all(url.startswith("file://") for url in requests), requests
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("nodes.get().length") == 3
    assert page.title() == "kg graph: 3 nodes"
    labels = page.evaluate("nodes.get().map(function (n) { return n.label; })")
    assert any("<script>" in label for label in labels)  # shown as text on the canvas
    page.close()


def test_viz_search_and_label_filter(browser, tmp_path, sample_graph):
    out = tmp_path / "graph.html"
    render(sample_graph, out, max_nodes=150)
    page, _, _ = _open(browser, out)
    page.fill("#kg-search", "quantization")
    page.press("#kg-search", "Enter")
    assert "match" in page.text_content("#kg-search-status")
    assert page.evaluate("network.getSelectedNodes().length") >= 1
    # a title's end, past the 40 characters its label shows
    finds = page.evaluate("nodes.get().filter(function (n) { return n.kind === 'Paper'; }).map(function (n) { return n.find; })")
    title = max(finds, key=lambda find: len(find.split(" | ")[0]))
    assert len(title.split(" | ")[0]) > 50
    page.fill("#kg-search", title.split(" | ")[0][-15:])
    page.press("#kg-search", "Enter")
    assert "match" in page.text_content("#kg-search-status") and "no match" not in page.text_content("#kg-search-status")
    page.uncheck("#kg-legend input[value=Paper]")
    hidden = page.evaluate("nodes.get().filter(function (n) { return n.hidden; }).map(function (n) { return n.kind; })")
    assert hidden and set(hidden) == {"Paper"}
    page.screenshot(path=str(tmp_path / "viz.png"))
    page.close()


def test_big_graph_keeps_top_nodes_by_degree_and_says_so(sample_graph):
    shown, left_out = select(sample_graph, 50)
    assert shown.number_of_nodes() == 50
    assert left_out == sample_graph.number_of_nodes() - 50
    lowest_kept = min(d for _, d in sample_graph.degree(shown.nodes))
    assert all(d <= lowest_kept for n, d in sample_graph.degree if n not in shown)


def test_neighbourhood_and_query_selection(sample_graph):
    around = neighbourhood(sample_graph, "evopress", depth=1)
    assert "Method:evopress" in around
    assert all(nx.has_path(around.to_undirected(), "Method:evopress", n) for n in around)
    picked = returned_by(sample_graph, [["EvoPress", "quantization"]])
    assert set(picked.nodes) == {"Method:evopress", "Technique:quantization"}
