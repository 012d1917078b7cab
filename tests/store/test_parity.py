"""Every query in queries/ answers on the sample graph, and the same on both stores."""

from __future__ import annotations

import pytest

from kg import querylib

QUERIES = querylib.list_queries()
pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def loaded_embedded(tmp_path_factory, sample_graph):
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("parity") / "db")
    store.load(sample_graph)
    yield store
    store.close()


def test_the_library_has_at_least_twelve_queries():
    assert len(QUERIES) >= 12


_EMBEDDED_QUERIES = [q for q in QUERIES if not q.neo4j_only]  # the Neo4j-only ones: the parity test below


@pytest.mark.parametrize("query", _EMBEDDED_QUERIES, ids=[q.name for q in _EMBEDDED_QUERIES])
def test_query_returns_rows_on_its_defaults(loaded_embedded, query):
    result = loaded_embedded.run(query.text, query.defaults)
    assert result.rows, f"{query.name} returned no rows on the sample graph"


@pytest.mark.neo4j
def test_every_query_answers_the_same_on_both_stores(loaded_embedded, neo4j, sample_graph):
    neo4j.load(sample_graph)
    for query in QUERIES:
        neo4j_rows = neo4j.run(query.text, query.defaults).rows
        if query.neo4j_only:
            assert neo4j_rows, query.name
            continue
        embedded_rows = loaded_embedded.run(query.text, query.defaults).rows
        assert neo4j_rows == embedded_rows, query.name


def test_compared_against_gives_the_number_each_paper_sets_against_the_method(loaded_embedded):
    query = querylib.resolve("compared_against")
    result = loaded_embedded.run(query.text, {**query.defaults, "method": "powerinfer"})
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    assert [(r["baseline"], r["proposed"], r["value"], r["unit"]) for r in rows] == [("PowerInfer", ["CoreInfer"], 2.72, "x")]
    assert "PowerInfer" in rows[0]["sentence"]


def test_path_between_names_a_result_by_its_measure_not_its_id(loaded_embedded):
    query = querylib.resolve("path_between")
    result = loaded_embedded.run(query.text, {**query.defaults, "from": "GPTQ", "to": "NVIDIA A100"})
    steps = {step for row in result.records() for step in (row["step_1"], row["step_2"]) if step}
    assert "result: speedup" in steps  # the Metric node's name, not the sentence's "speedups"
    assert not any("#r" in step for step in steps)  # a result's id is "<paper id>#r<n>"


PATH_QUERY = "MATCH p = (:Paper)-[:PROPOSES]->(m:Method {key: $key}) RETURN p"


def test_a_path_comes_back_as_its_nodes_and_relationships(loaded_embedded):
    [[path]] = loaded_embedded.run(PATH_QUERY, {"key": "coreinfer"}).rows
    paper, method = path["nodes"]
    assert paper["_label"] == "Paper" and method == {**method, "_label": "Method", "name": "CoreInfer"}
    assert [r["_type"] for r in path["relationships"]] == ["PROPOSES"]
    assert not any(key.isupper() for node in path["nodes"] for key in node)  # none of the store's own _ID, _LABEL


@pytest.mark.neo4j
def test_a_path_is_the_same_on_both_stores(loaded_embedded, neo4j, sample_graph):
    neo4j.load(sample_graph)
    assert neo4j.run(PATH_QUERY, {"key": "coreinfer"}).rows == loaded_embedded.run(PATH_QUERY, {"key": "coreinfer"}).rows


def test_a_model_family_is_found_by_the_name_its_models_start_with(loaded_embedded):
    # LLaMA2-7B's family is Llama; asking for "Llama 2" still finds it, under the name asked for
    query = querylib.library_query("techniques_by_model_family")
    asked = loaded_embedded.run(query.text, {**query.defaults, "family": "Llama 2"}).records()
    assert asked and {row["family"] for row in asked} == {"Llama 2"}
    broader = loaded_embedded.run(query.text, {**query.defaults, "family": "Llama", "limit": 500}).records()
    assert {(r["technique"]) for r in asked} <= {r["technique"] for r in broader}


@pytest.mark.neo4j
def test_a_model_family_asked_by_name_is_the_same_on_both_stores(loaded_embedded, neo4j, sample_graph):
    neo4j.load(sample_graph)
    query = querylib.library_query("techniques_by_model_family")
    params = {**query.defaults, "family": "Llama 2"}
    assert neo4j.run(query.text, params).rows == loaded_embedded.run(query.text, params).rows


#: a question about a suite, a dataset or a base device also finds results on its parts and variants
ROLL_UPS = [
    ("results_on_dataset", "dataset", "ImageNet", {"ImageNet", "ImageNet-1K"}),
    ("results_on_hardware", "hardware", "a100", {"NVIDIA A100", "NVIDIA A100-40GB"}),
]


@pytest.mark.parametrize(("name", "param", "asked", "found"), ROLL_UPS, ids=[r[0] for r in ROLL_UPS])
def test_results_asked_for_a_broader_node_include_those_on_its_parts(loaded_embedded, name, param, asked, found):
    query = querylib.library_query(name)
    rows = loaded_embedded.run(query.text, {**query.defaults, param: asked}).records()
    assert {row[param] for row in rows} == found  # the row names the node the result is on
    part = max(found, key=len)
    only = loaded_embedded.run(query.text, {**query.defaults, param: part}).records()
    assert only and {row[param] for row in only} == {part}  # a part does not find its whole


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "param", "asked", "found"), ROLL_UPS, ids=[r[0] for r in ROLL_UPS])
def test_results_asked_for_a_broader_node_are_the_same_on_both_stores(loaded_embedded, neo4j, sample_graph, name, param, asked, found):
    neo4j.load(sample_graph)
    query = querylib.library_query(name)
    params = {**query.defaults, param: asked}
    assert neo4j.run(query.text, params).rows == loaded_embedded.run(query.text, params).rows
