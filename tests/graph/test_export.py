from __future__ import annotations

import csv
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import InputError
from kg.graph import EntityRegistry, GraphBuilder, counts
from kg.graph.export import export, export_chunks
from kg.schema import META, NODE_TYPES, REL_TYPES
from kg.store.cypher import neo4j_ddl
from kg.store.version import check_current


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
    assert len(files) == len(NODE_TYPES) + len(REL_TYPES) + 3  # and the graph's record, import.sh, schema.cypher
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


def _graph_with(**paper: object) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("paper:1", label="Paper", id="arxiv:1", title="T", **paper)
    graph.add_node("method:x", label="Method", key="x", name="X", aliases=["X", "X-1"])
    graph.add_edge("paper:1", "method:x", type="PROPOSES", paper_id="arxiv:1", sentence="We propose X.")
    return graph


def test_csv_comes_with_the_import_command_that_reads_it(tmp_path):
    files = export(_graph_with(authors=["A. Author", "B. Author"]), tmp_path / "csv", format="csv")
    script = (tmp_path / "csv" / "import.sh").read_text()
    assert [f.name for f in files[-2:]] == ["import.sh", "schema.cypher"]
    assert 'database import full "${1:-neo4j}" \\\n' in script  # before the files, which take every word after them
    assert "--array-delimiter=U+003B" in script and "--multiline-fields" not in script
    listed = {line.split("=", 1)[1].strip(' \\"').removeprefix("$here/") for line in script.splitlines() if line.startswith(("  --nodes", "  --relationships"))}
    assert listed == {f.name for f in files[:-2]}


def test_an_array_element_holding_the_delimiter_gets_another_one(tmp_path):
    export(_graph_with(authors=["Smith; J.", "Doe|Jane"]), tmp_path / "csv", format="csv")
    assert "--array-delimiter=U+00A6" in (tmp_path / "csv" / "import.sh").read_text()
    with (tmp_path / "csv" / "nodes_Paper.csv").open() as handle:
        header, row = list(csv.reader(handle))
    assert row[header.index("authors:string[]")].split("\u00a6") == ["Smith; J.", "Doe|Jane"]


@pytest.mark.parametrize("paper", [{"abstract": "One line.\nAnother."}, {"authors": ["A. Author\nB. Author"]}])
def test_a_value_over_several_lines_asks_for_multiline_fields(tmp_path, paper):
    export(_graph_with(**paper), tmp_path / "csv", format="csv")
    assert "--multiline-fields=true" in (tmp_path / "csv" / "import.sh").read_text()


def test_import_sh_finds_its_files_from_anywhere_and_under_any_folder_name(tmp_path):
    """What the script passes neo4j-admin, from another folder, with CDPATH set (cd prints the
    folder then) and a folder name holding spaces and shell characters."""
    folder = tmp_path / "my exports [x] $HOME `id`"
    export(_graph_with(authors=["A"]), folder, format="csv", schema=["CREATE INDEX x IF NOT EXISTS FOR (n:Paper) ON (n.id)"])
    shown = subprocess.run(
        ["sh", f"{folder.name}/import.sh", "kgdb"],  # a relative path: the one CDPATH acts on
        env={**os.environ, "CDPATH": ".", "NEO4J_ADMIN": "printf %s\\n"}, cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert shown[:3] == ["database", "import", "full"] and shown[3] == "kgdb"
    files = [line.split("=", 1)[1] for line in shown if line.startswith(("--nodes=", "--relationships="))]
    assert files and all(Path(f).parent == folder and Path(f).is_file() for f in files)
    assert (folder / "schema.cypher").read_text() == "CREATE INDEX x IF NOT EXISTS FOR (n:Paper) ON (n.id);\n"


def test_csv_refuses_a_graph_whose_lists_hold_every_delimiter(tmp_path):
    with pytest.raises(InputError, match="cannot export CSV: the graph's lists hold every array delimiter"):
        export(_graph_with(authors=["a;b|c\u00a6d\u001fe"]), tmp_path / "csv", format="csv")


_NEO4J_LOCAL = Path(__file__).resolve().parents[2] / "scripts" / "neo4j-local"


@pytest.mark.parametrize("written", ["whole", "in chunks"])
def test_csv_imports_into_neo4j_with_neo4j_admin(written, sample_graph, sample_extractions, extractor, tmp_path, free_port):
    """The real neo4j-admin (Neo4j's AdminTool, from the jars of the test server) imports the
    files, written from a whole graph or streamed in chunks as `kg export EXTRACTIONS` writes
    them, and a server started on the result holds the graph, lists whole."""
    from kg.store.neo4j_store import connect

    graph = sample_graph.copy()
    paper = next(n for n, d in graph.nodes(data=True) if d["label"] == "Paper")
    graph.nodes[paper]["authors"] = ["Smith; J.", "Doe, Jane"]
    if written == "whole":
        export(graph, tmp_path / "csv", format="csv", schema=neo4j_ddl())
    else:
        first = sample_extractions[0]
        assert graph.nodes[paper]["id"] == first.paper.id
        authored = [replace(first, paper=replace(first.paper, authors=("Smith; J.", "Doe, Jane"))), *sample_extractions[1:]]
        registry = EntityRegistry()
        chunks = (
            GraphBuilder(gazetteer=extractor.gazetteer, registry=registry).add_all(authored[i : i + 60])
            for i in range(0, len(authored), 60)
        )
        export_chunks(chunks, tmp_path / "csv", schema=neo4j_ddl())
    port = free_port()
    env = {**os.environ, "KG_NEO4J_STATE": str(tmp_path / "state"), "NEO4J_BOLT_PORT": str(port), "NEO4J_PASSWORD": "kgpassword"}
    imported = subprocess.run(
        ["sh", str(tmp_path / "csv" / "import.sh")],
        env={**env, "NEO4J_ADMIN": f"{_NEO4J_LOCAL} admin"}, capture_output=True, text=True, timeout=600,
    )
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]
    c = counts(graph)
    nodes = graph.number_of_nodes() + 1  # and the graph's record of its schema version
    assert f"Imported:\n  {nodes} nodes\n  {graph.number_of_edges()} relationships" in imported.stdout
    subprocess.run([str(_NEO4J_LOCAL), "start"], env=env, check=True, capture_output=True, timeout=600)
    try:
        store = connect(f"bolt://127.0.0.1:{port}", "neo4j", "kgpassword")
        try:
            authors = store.run("MATCH (p:Paper {id: $id}) RETURN p.authors", {"id": graph.nodes[paper]["id"]}).rows
            assert authors == [[["Smith; J.", "Doe, Jane"]]]
            labels = store.run("MATCH (n) RETURN labels(n)[0], count(*)").rows
            assert dict(labels) == {spec.label: c[spec.label] for spec in NODE_TYPES if c.get(spec.label)} | {META.label: 1}
            # the import records the schema version, so kg takes it for its own graph, not an older kg's
            check_current(store)
            types = store.run("MATCH ()-[r]->() RETURN type(r), count(*)").rows
            assert dict(types) == {rel.type: c[rel.type] for rel in REL_TYPES if c.get(rel.type)}
            for statement in (tmp_path / "csv" / "schema.cypher").read_text().split(";\n")[:-1]:
                store.run(statement, write=True)
            constraints = store.run("SHOW CONSTRAINTS YIELD labelsOrTypes RETURN labelsOrTypes[0]").rows
            assert sorted(r[0] for r in constraints) == sorted(spec.label for spec in (*NODE_TYPES, META))
        finally:
            store.close()
    finally:
        subprocess.run([str(_NEO4J_LOCAL), "stop"], env=env, capture_output=True, timeout=120)


def test_a_failed_csv_export_names_the_file_and_leaves_no_import_script_behind(sample_graph, tmp_path):
    out = tmp_path / "csv"
    export(sample_graph, out, format="csv")
    (out / "relationships_SIMILAR_TO.csv").unlink()
    (out / "relationships_SIMILAR_TO.csv").mkdir()  # a file that cannot be written, halfway through
    with pytest.raises(InputError, match=r"^cannot write .*relationships_SIMILAR_TO\.csv: Is a directory$"):
        export(sample_graph, out, format="csv")
    assert not (out / "import.sh").exists()  # the old one would import the new, partial files
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match=r"csv writes a folder, and .*afile is a file$"):
        export(sample_graph, tmp_path / "afile", format="csv")
