from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from kg.errors import InputError
from kg.graph import counts
from kg.graph.export import export
from kg.schema import NODE_TYPES, REL_TYPES


def test_graphml_reads_back_with_every_node_and_edge(sample_graph, tmp_path):
    [path] = export(sample_graph, tmp_path / "g.graphml", format="graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == sample_graph.number_of_nodes()
    assert back.number_of_edges() == sample_graph.number_of_edges()


def test_json_is_node_link(sample_graph, tmp_path):
    [path] = export(sample_graph, tmp_path / "g.json", format="json")
    data = json.loads(path.read_text())
    assert len(data["nodes"]) == sample_graph.number_of_nodes()
    assert len(data["edges"]) == sample_graph.number_of_edges()


def test_csv_has_neo4j_admin_import_layout(sample_graph, tmp_path):
    files = export(sample_graph, tmp_path / "csv", format="csv")
    assert len(files) == len(NODE_TYPES) + len(REL_TYPES)
    c = counts(sample_graph)
    with (tmp_path / "csv" / "nodes_Paper.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "id:ID(Paper)" and rows[0][-1] == ":LABEL"
    assert "authors:string[]" in rows[0] and "year:long" in rows[0]
    assert len(rows) - 1 == c["Paper"]
    with (tmp_path / "csv" / "relationships_PROPOSES.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == [":START_ID(Paper)", ":END_ID(Method)", ":TYPE"]
    assert len(rows) - 1 == c["PROPOSES"]


def test_unknown_format_is_an_error(sample_graph, tmp_path):
    with pytest.raises(InputError, match="unknown export format 'xml'; choose one of: graphml, json, csv"):
        export(sample_graph, tmp_path / "x", format="xml")
