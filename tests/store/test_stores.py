"""The same behaviour asked of both stores: the embedded database and the real Neo4j."""

from __future__ import annotations

import threading
import time

import pytest

from kg.errors import QueryCancelled, QueryError
from kg.graph import build_graph, counts
from kg.records import Extraction, Mention, Paper, Result
from kg.store import Cancellation

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    return request.getfixturevalue(request.param)


def _paper_graph(method: str, paper_id: str = "p1"):
    sentence = f"We propose {method} for cheap inference."
    paper = Paper(id=paper_id, title=f"{method}: Cheap", abstract=sentence)
    extraction = Extraction(
        paper=paper,
        extractor_version="test",
        mentions=[Mention("Method", method, method, 11, 11 + len(method), sentence)],
        proposes=[method],
    )
    return build_graph([extraction])


def _one_paper_naming(label: str, name: str, gazetteer):
    """The graph of one paper (p1) whose one sentence names ``name`` as ``label``."""
    sentence = f"We use {name}."
    paper = Paper(id="p1", title="Cheap LLMs", abstract=sentence)
    mention = Mention(label, name, name, 7, 7 + len(name), sentence)
    return build_graph([Extraction(paper=paper, extractor_version="test", mentions=[mention])], gazetteer=gazetteer)


def _nonzero(c: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in c.items() if v}


def test_load_round_trip_matches_the_networkx_counts(store, sample_graph):
    store.load(sample_graph)
    assert _nonzero(store.counts()) == counts(sample_graph)


def test_loading_twice_changes_no_count(store, sample_graph):
    store.load(sample_graph)
    first = store.counts()
    store.load(sample_graph)
    assert store.counts() == first


def test_reload_replaces_a_papers_facts_and_leaves_no_orphans(store):
    store.load(_paper_graph("OldName"))
    store.load(_paper_graph("NewName"))
    names = store.run("MATCH (m:Method) RETURN m.name AS name ORDER BY name").rows
    assert names == [["NewName"]]
    assert _nonzero(store.counts()) == counts(_paper_graph("NewName"))


def test_a_technique_no_paper_uses_any_more_goes_with_its_bare_broader_ones(store, extractor):
    def uses(technique: str):
        return _one_paper_naming("Technique", technique, extractor.gazetteer)

    store.load(uses("post-training quantization"))  # and its taxonomy: quantization, model compression
    store.load(uses("structured pruning"))
    names = [row[0] for row in store.run("MATCH (t:Technique) RETURN t.name ORDER BY t.name").rows]
    assert names == ["model compression", "pruning", "structured pruning"]
    assert _nonzero(store.counts()) == counts(uses("structured pruning"))


def test_a_benchmark_no_paper_uses_any_more_goes_with_its_bare_suite(store, extractor):
    def evaluates_on(dataset: str):
        return _one_paper_naming("Dataset", dataset, extractor.gazetteer)

    store.load(evaluates_on("LAION-2B"))  # and its parts chain: LAION-5B, LAION
    assert store.run("MATCH (d:Dataset)-[:PART_OF*1..3]->(:Dataset {name: 'LAION'}) RETURN count(d)").rows == [[2]]
    store.load(evaluates_on("SST-2"))
    names = [row[0] for row in store.run("MATCH (d:Dataset) RETURN d.name ORDER BY d.name").rows]
    assert names == ["GLUE", "SST-2"]
    assert _nonzero(store.counts()) == counts(evaluates_on("SST-2"))


def test_a_technique_moved_in_the_taxonomy_keeps_only_its_new_parent(store):
    from kg.extract.gazetteer import Entry, Gazetteer

    def under(parent: str):
        gazetteer = Gazetteer([Entry("Technique", "zorb pruning", (), (parent,)), Entry("Technique", parent)], {})
        return _one_paper_naming("Technique", "zorb pruning", gazetteer)

    store.load(under("pruning"))
    store.load(under("early exit"))  # the taxonomy changed between two builds of the same paper
    parents = store.run("MATCH (:Technique {key: 'zorbpruning'})-[:SUBCLASS_OF]->(t) RETURN t.name").rows
    assert parents == [["early exit"]]
    assert _nonzero(store.counts()) == counts(under("early exit"))  # the old parent, bare, is gone too


def test_a_suite_or_base_device_no_paper_names_is_found_by_the_names_people_write(store, extractor):
    from kg import querylib

    sentence = "On ImageNet-1K, QuantX runs 2x faster on A100-80GB GPUs."
    paper = Paper(id="p1", title="QuantX: Fast", abstract=sentence)
    mentions = [
        Mention("Dataset", "ImageNet-1K", "ImageNet-1K", 3, 14, sentence),
        Mention("Hardware", "A100-80GB", "NVIDIA A100-80GB", 39, 48, sentence),
    ]
    result = Result(metric="speedup", value=2.0, unit="x", sentence=sentence, dataset="ImageNet-1K", hardware="A100-80GB")
    extraction = Extraction(paper=paper, extractor_version="test", mentions=mentions, results=[result])
    store.load(build_graph([extraction], gazetteer=extractor.gazetteer))
    for name, param, asked in (("results_on_dataset", "dataset", "ILSVRC"), ("results_on_hardware", "hardware", "A100")):
        query = querylib.library_query(name)  # ImageNet and NVIDIA A100 are in the graph only as the broader nodes
        rows = store.run(query.text, {**query.defaults, param: asked}).records()
        assert [(row[param], row["value"]) for row in rows] == [(result.dataset if param == "dataset" else "NVIDIA A100-80GB", 2.0)]


def test_an_interrupted_load_rerun_ends_in_the_same_graph(store, sample_graph):
    store.batch_size = 50
    calls = 0

    def die_midway(_: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.load(sample_graph, progress=die_midway)
    assert _nonzero(store.counts()) != counts(sample_graph)
    store.load(sample_graph)
    assert _nonzero(store.counts()) == counts(sample_graph)


def test_a_reload_cut_off_after_its_deletes_leaves_every_paper_to_be_redone(store, sample_graph):
    """A build skips a paper whose hash is stored; one whose old facts are gone must not have one."""
    store.load(sample_graph)
    store.batch_size = 50

    def die_at_once(_: int) -> None:
        raise KeyboardInterrupt  # after the deletes, at the first batch of papers written again

    with pytest.raises(KeyboardInterrupt):
        store.load(sample_graph, progress=die_at_once)
    hashes, _ = store.paper_index()
    assert len(hashes) == counts(sample_graph)["Paper"]
    assert all(content_hash is None for content_hash, _ in hashes.values())


def test_explain_and_profile_give_the_plan(store, sample_graph):
    store.load(sample_graph)
    explained = store.run("EXPLAIN MATCH (m:Method) RETURN m.name AS name")
    assert explained.rows == [] and "Method" in explained.plan
    profiled = store.run("PROFILE MATCH (m:Method {key: 'gptq'}) RETURN m.name AS name")
    if store.name == "neo4j":  # Neo4j's PROFILE runs the query and answers its rows too
        assert profiled.rows == [["GPTQ"]] and "db hits" in profiled.plan
        cut = store.run("PROFILE MATCH (m:Method) RETURN m.name AS name", max_rows=2)
        assert cut.truncated and len(cut.rows) == 2 and "db hits" in cut.plan  # the plan, rows cut or not
    else:
        assert profiled.rows == [] and "ExecutionTime" in profiled.plan
    assert store.run("MATCH (m:Method {key: 'gptq'}) RETURN m.name AS name").plan is None


@pytest.mark.neo4j
def test_a_query_cut_at_max_rows_stops_there_rather_than_run_to_its_end(neo4j):
    """Ten billion rows would take far past the timeout if the server made the rows not read
    (the plan of a PROFILE is read from the summary, after the rows kept)."""
    cut = neo4j.run("UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN x", max_rows=5, timeout=10)
    assert cut.truncated and cut.rows == [[1]] * 5 and cut.plan is None


def test_queries_are_read_only_by_default(store, sample_graph):
    store.load(sample_graph)
    with pytest.raises(QueryError, match="read-only unless writes are allowed"):
        store.run("MATCH (p:Paper) SET p.title = 'x'")
    store.run("MATCH (p:Paper {id: $id}) SET p.title = 'changed'", {"id": "p1"}, write=True)


@pytest.mark.parametrize(
    "query",
    [
        # reaching out of the graph, each in a form the old check missed on one store or the other
        'WITH "/*" AS a LOAD CSV FROM "file:///etc/hostname" AS l RETURN l, "*/" AS b',
        'WITH 1 AS as LOAD FROM "/etc/hostname" (header=false) RETURN *',
        'MATCH (p:Paper) WITH count(p) AS n //\rLOAD CSV FROM "file:///etc/hostname" AS l RETURN l',
        "CALL read_csv_serial('/etc/hostname') RETURN *",  # a crash of LadybugDB 0.22, not an error
        "SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t YIELD message RETURN message",
        "CALL dbms.listConnections() YIELD connectionId RETURN connectionId",
        # and in forms a second review got past the first tokenizer
        "UNWIND [1] AS x /* **/ ' */ LOAD FROM \"/etc/hostname\" (header=false) RETURN * //'",
        "WITH 'a\\u0027 AS x LOAD CSV FROM 'file:///etc/hostname' AS row RETURN row //'",
        'UNWIND [1] AS as WITH as CALL read_csv_serial("/etc/hostname") RETURN *',
        # and a third review's
        'RETURN 1 //**/ 2; LOAD FROM "/etc/hostname" (header=false) RETURN *\r ',
        'CYPHER LOAD CSV FROM [match IN [1] | "file:///etc/hostname"][0] AS l RETURN l',
    ],
)
def test_a_read_may_not_reach_out_of_the_graph(store, sample_graph, query):
    store.load(sample_graph)
    with pytest.raises(QueryError, match="read-only unless writes are allowed"):
        store.run(query)
    assert _nonzero(store.counts()) == counts(sample_graph)  # and the store still answers


def test_values_go_as_parameters(store):
    store.load(_paper_graph("Robert'); DROP"))
    rows = store.run("MATCH (m:Method) WHERE m.name = $name RETURN m.name AS name", {"name": "Robert'); DROP"}).rows
    assert rows == [["Robert'); DROP"]]


def test_nodes_come_back_as_property_dicts(store):
    store.load(_paper_graph("FooNet"))
    [[node]] = store.run("MATCH (m:Method) RETURN m").rows
    assert node["_label"] == "Method" and node["name"] == "FooNet" and node["key"] == "foonet"


def test_a_slow_query_stops_at_its_timeout(store, sample_graph):
    store.load(sample_graph)
    with pytest.raises(QueryError, match=r"ran longer than 0.5 s and was stopped \(--timeout\)"):
        store.run("MATCH (a)-[*1..8]-(b) RETURN count(*) AS n", timeout=0.5)


#: seconds of string work on the sample graph (about 2.5 s embedded, 6 s on Neo4j); a count over
#: ranges would not do, LadybugDB answers it without making the ranges
SLOW = (
    "MATCH (a:Paper), (b:Paper), (c:Hardware) "
    "WHERE (a.abstract + b.abstract + a.abstract + b.abstract) CONTAINS (c.name + 'zz') RETURN count(*) AS slow"
)


def _run_cancelled_after(store, delay: float) -> tuple[float, bool]:
    """Run SLOW and cancel it from another thread ``delay`` seconds in: (seconds the run took
    after the cancel began, whether `cancel` saw it stop); the run must raise `QueryCancelled`."""
    cancel = Cancellation()
    stopped: list[bool] = []
    cancelled_at: list[float] = []

    def cancel_later() -> None:
        time.sleep(delay)
        cancelled_at.append(time.monotonic())
        stopped.append(cancel.cancel(wait=30))

    canceller = threading.Thread(target=cancel_later)
    canceller.start()
    try:
        with pytest.raises(QueryCancelled, match="^the query was cancelled$"):
            store.run(SLOW, cancel=cancel, timeout=60)
        ended = time.monotonic()
    finally:
        canceller.join()
    return ended - cancelled_at[0], stopped[0]


def test_a_query_cancelled_from_another_thread_stops_at_once_and_the_store_answers_the_next(store, sample_graph):
    store.load(sample_graph)
    started = time.monotonic()
    assert store.run(SLOW).rows == [[0]]
    full = time.monotonic() - started
    # 0: before or while the query is compiled, when LadybugDB drops an interrupt and Neo4j
    # does not list the transaction yet; the cancel must go on until it takes
    for delay in (0, 0, 0, 0, 0.001, 0.003, 0.01, 0.3):
        took, stopped = _run_cancelled_after(store, delay)
        assert stopped and took < full / 2, (delay, took, full)
    assert store.run("MATCH (p:Paper) RETURN count(p) AS papers").rows == [[171]]


def test_a_query_cancelled_before_it_starts_never_starts(store):
    cancel = Cancellation()
    assert cancel.cancel()  # nothing runs: it has stopped
    with pytest.raises(QueryCancelled, match="^the query was cancelled$"):
        store.run("MATCH (p:Paper) SET p.title = 'changed' RETURN count(p)", write=True, cancel=cancel)
    assert store.run("RETURN 1 AS one", cancel=Cancellation()).rows == [[1]]


def test_a_row_cap_keeps_the_first_rows_and_says_so(store, sample_graph):
    store.load(sample_graph)
    result = store.run("MATCH (p:Paper) RETURN p.id AS id ORDER BY id", max_rows=5)
    assert len(result.rows) == 5 and result.truncated
    assert not store.run("MATCH (p:Paper) RETURN p.id AS id", max_rows=500).truncated


def test_a_results_gain_comes_back_as_true_false_or_null(store):
    sentence = "FooQuant cuts memory by 40% and latency by 2x, with an accuracy drop of 0.4% and 71.2% accuracy."
    claims = [(40.0, "%", True), (2.0, "x", True), (0.4, "%", False), (71.2, "%", None)]
    paper = Paper(id="p1", title="FooQuant", abstract=sentence)
    results = [Result(metric="memory", value=v, unit=u, sentence=sentence, gain=g) for v, u, g in claims]
    store.load(build_graph([Extraction(paper=paper, extractor_version="test", results=results)]))
    rows = store.run("MATCH (r:Result) RETURN r.value AS value, r.gain AS gain ORDER BY value").rows
    assert [tuple(row) for row in rows] == [(0.4, False), (2.0, True), (40.0, True), (71.2, None)]
    # a batch whose gains are all unknown still loads as the schema's boolean
    results = [Result(metric="accuracy", value=71.2, unit="%", sentence=sentence)]
    store.load(build_graph([Extraction(paper=paper, extractor_version="test2", results=results)]))
    assert store.run("MATCH (r:Result) RETURN r.gain IS NULL AS unknown").rows == [[True]]


def _model_graph(paper_id: str, form: str):
    sentence = f"We apply FooQuant to {form}."
    paper = Paper(id=paper_id, title="FooQuant", abstract=sentence)
    mention = Mention("Model", form, form, 21, 21 + len(form), sentence)
    return build_graph([Extraction(paper=paper, extractor_version="test", mentions=[mention])])


def test_a_later_load_adds_its_forms_to_a_stored_node_and_keeps_its_name(store):
    store.load(_model_graph("p1", "LLaMA-2-7B"))
    store.load(_model_graph("p2", "Llama2-7B"))  # the same key, from a later build
    store.load(_model_graph("p1", "LLaMA-2-7B"))  # a rerun changes nothing
    rows = store.run("MATCH (m:Model) RETURN m.name AS name, m.aliases AS aliases").rows
    assert [tuple(row) for row in rows] == [("LLaMA-2-7B", ["Llama2-7B"])]


def _result_graph(paper_id: str, model: str, metric: str):
    sentence = f"FooQuant is 2x faster on {model}, with 3% lower {metric}."
    paper = Paper(id=paper_id, title="FooQuant", abstract=sentence)
    mentions = [Mention("Model", model, model, 0, 0, sentence), Mention("Metric", metric, metric, 0, 0, sentence)]
    results = [Result(metric=metric, value=2.0, unit="x", sentence=sentence, model=model)]
    return build_graph([Extraction(paper=paper, extractor_version="test", mentions=mentions, results=results)])


def test_a_result_of_a_later_load_names_its_model_and_measure_as_the_stored_nodes_do(store):
    """Built in one run, a result's ``model`` is its FOR_MODEL node's name; built in two (an
    interrupted build rerun, an --add) it must be too, though the second run met another form first."""
    store.load(_result_graph("p1", "ZetaLM-7B", "perplexity score"))
    store.load(_result_graph("p2", "ZetaLm-7B", "perplexity scores"))  # the same keys, other forms
    rows = store.run(
        "MATCH (r:Result)-[:FOR_MODEL]->(m:Model) MATCH (r)-[:OF_METRIC]->(x:Metric) "
        "RETURN r.paper_id, r.model, m.name, r.metric, x.name ORDER BY r.paper_id"
    ).rows
    assert [tuple(row) for row in rows] == [
        ("p1", "ZetaLM-7B", "ZetaLM-7B", "perplexity score", "perplexity score"),
        ("p2", "ZetaLM-7B", "ZetaLM-7B", "perplexity score", "perplexity score"),
    ]
