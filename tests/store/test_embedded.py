"""What only the embedded store does: its file, its lock, its schema upgrades."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from kg.errors import StoreUnavailable
from kg.store import Cancellation
from kg.store.embedded import EmbeddedStore


def test_an_older_database_gets_the_new_columns(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    store.setup_schema()
    store.run("ALTER TABLE Paper DROP categories", write=True)
    store.setup_schema()
    columns = {row[1] for row in store.run("CALL table_info('Paper') RETURN *").rows}
    store.close()
    assert "categories" in columns


def test_a_database_held_by_another_process_is_a_clear_error(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    store.setup_schema()
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import ladybug, time; db = ladybug.Database({str(tmp_path / 'db' / 'graph.lbug')!r}); print('open', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable) as info:
            EmbeddedStore(tmp_path / "db")
        assert str(info.value) == f"the graph at {tmp_path / 'db'} is in use by another kg process; wait for it or stop it"
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_database_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreUnavailable, match="no graph at .*; build one first with `kg build`"):
        EmbeddedStore(tmp_path / "none", read_only=True)


def test_a_query_long_or_nested_enough_to_crash_the_engine_is_refused_first(embedded):
    """LadybugDB 0.22 dies (SIGSEGV, `kg serve` with it) on 10,000 terms or lists nested 1,000
    deep; kg refuses past its limits, and a query just inside them still runs."""
    from kg.errors import QueryError
    from kg.store.embedded import MAX_NESTING, MAX_QUERY_CHARS

    terms = (MAX_QUERY_CHARS - len("RETURN  AS x")) // 2
    assert embedded.run("RETURN " + "+".join(["1"] * terms) + " AS x").rows == [[terms]]
    with pytest.raises(QueryError, match=r"^the query is 10,00\d characters long; the embedded store takes at most 10,000"):
        embedded.run("RETURN " + "+".join(["1"] * (terms + 1)) + " AS x")
    nested = "RETURN " + "[" * MAX_NESTING + "1" + "]" * MAX_NESTING + " AS x"
    assert len(embedded.run(nested).rows) == 1
    with pytest.raises(QueryError, match=r"^the query nests brackets 65 deep; the embedded store takes at most 64 levels"):
        embedded.run("RETURN " + "[" * (MAX_NESTING + 1) + "1" + "]" * (MAX_NESTING + 1) + " AS x")
    # brackets in a string are no nesting
    assert embedded.run("RETURN $s + '" + "[" * 100 + "' AS x", {"s": "a"}).rows == [["a" + "[" * 100]]


def test_page_memory_the_machine_cannot_give_is_a_clear_error(tmp_path):
    with pytest.raises(StoreUnavailable, match=r"cannot give its page memory of 99,999,999,999 MiB; lower KG_BUFFER_POOL_MB$"):
        EmbeddedStore(tmp_path / "db", buffer_pool_mb=99_999_999_999)


class _Lending(Cancellation):
    """A `Cancellation` that keeps each stop a store lends it, to call it late as one may."""

    def __init__(self) -> None:
        super().__init__()
        self.lent: list = []

    def stopping(self, stop):
        self.lent.append(stop)
        return super().stopping(stop)


def test_a_stop_called_after_its_query_ended_leaves_the_next_query_and_a_closed_store_alone(embedded, sample_graph):
    """`Cancellation` runs each stop in a thread of its own, so one can come after its query has
    left the store: Connection.interrupt then would stop whatever the connection runs next."""
    embedded.load(sample_graph)
    first = _Lending()
    assert embedded.run("RETURN 1 AS one", cancel=first).rows == [[1]]
    [late] = first.lent
    ended = threading.Event()

    def stop_late_and_often() -> None:
        while not ended.is_set():
            late()
            ended.wait(0.002)

    stopper = threading.Thread(target=stop_late_and_often)
    stopper.start()
    try:
        for _ in range(3):
            rows = embedded.run(
                "MATCH (a:Paper), (b:Paper) WHERE (a.abstract + b.abstract) CONTAINS 'zzzz' RETURN count(*) AS n",
                cancel=Cancellation(),
            ).rows
            assert rows == [[0]]
    finally:
        ended.set()
        stopper.join()
    embedded.close()
    late()  # and a closed store is not touched


def _papers_graph(*titles: str):
    from kg.graph import build_graph
    from kg.records import Extraction, Paper

    return build_graph(Extraction(Paper(id=f"p:{t}", title=t, abstract=f"About {t}."), "test") for t in titles)


def _papers(path) -> int:
    with EmbeddedStore(path, read_only=True) as store:
        return store.counts()["Paper"]


def test_a_load_while_this_process_holds_the_graph_open_keeps_what_it_wrote(tmp_path):
    """A notebook cell holds a store; another builds into the same graph. LadybugDB's lock keeps out
    other processes only: two Databases of one file in one process each wrote it as if alone, and
    the held one's close undid the load (or left a file no one could open)."""
    held = EmbeddedStore(tmp_path / "db")
    with EmbeddedStore(tmp_path / "db") as other:
        other.load(_papers_graph("One", "Two"))
    assert held.counts()["Paper"] == 2  # the held store sees the load at once
    held.run("MATCH (p:Paper) SET p.year = 2024", write=True)
    held.close()
    assert _papers(tmp_path / "db") == 2


def test_writing_while_this_process_reads_the_graph_says_what_to_close(tmp_path):
    EmbeddedStore(tmp_path / "db").close()
    with EmbeddedStore(tmp_path / "db", read_only=True):
        with pytest.raises(StoreUnavailable) as info:
            EmbeddedStore(tmp_path / "db")
        assert str(info.value) == (
            f"the graph at {tmp_path / 'db'} is open read-only in this process (a store of kg.open_store(..., "
            "read_only=True), or a query in another thread); close that store, or wait for the query, before writing to it"
        )
    with EmbeddedStore(tmp_path / "db") as store:  # once it is closed, writing works
        store.load(_papers_graph("One"))
    assert _papers(tmp_path / "db") == 1


def test_a_read_only_store_stays_read_only_beside_a_writing_one(tmp_path):
    from kg.errors import QueryError

    with EmbeddedStore(tmp_path / "db"), EmbeddedStore(tmp_path / "db", read_only=True) as reader:
        with pytest.raises(QueryError, match=r"^the store was opened read-only; open one with kg.open_store\(settings\)"):
            reader.run("CREATE (:Paper {id: 'x'})", write=True)


def test_a_store_left_open_lets_its_graph_go_when_collected(tmp_path):
    import gc

    from kg.store import embedded

    EmbeddedStore(tmp_path / "db", read_only=False)  # never closed, as a notebook cell may leave it
    gc.collect()
    assert not embedded._OPEN
    with EmbeddedStore(tmp_path / "db", read_only=True):
        assert list(embedded._OPEN.values())[0].users == 1


def test_a_closed_store_says_so(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    store.close()
    store.close()
    with pytest.raises(StoreUnavailable, match=r"^the store of .* is closed; open it again with kg.open_store$"):
        store.run("RETURN 1")


def test_a_load_reaches_nodes_by_their_key_and_never_reads_a_whole_table(embedded, sample_graph):
    """LadybugDB 0.22 plans a MERGE by key as a scan of the node table joined with the batch, and
    a MERGE of a relationship as a read of every relationship of one end (a metric that 100k
    results point at): a build's time and page memory then grew with the graph (BENCHMARKS.md,
    finding 7). What a load runs to put nodes and relationships must look each up by its key."""
    from kg.graph.build import edge_rows, node_rows
    from kg.schema import NODE_TYPES, REL_TYPES
    from kg.store import cypher

    embedded.load(sample_graph)
    nodes, edges = node_rows(sample_graph), edge_rows(sample_graph)
    statements = []
    for spec in NODE_TYPES:
        rows = nodes.get(spec.label, [])[:3]
        statements.append((cypher.stored_keys(spec.label), {"keys": [row[spec.key] for row in rows]}))
        statements.append((cypher.create_nodes(spec.label, typed=True), {"rows": rows}))
        statements.append((cypher.update_nodes(spec.label, typed=True), {"rows": rows}))
    for rel in REL_TYPES:
        statements.append((cypher.create_relationships(rel.type, typed=True), {"rows": edges.get(rel.type, [])[:3]}))
    for statement, parameters in statements:
        if not next(iter(parameters.values())):
            continue  # a label or type the sample has none of
        plan = embedded.run(f"EXPLAIN {statement}", parameters, write=True).plan
        assert "PRIMARY_KEY_LOOKUP" in plan or statement.startswith("UNWIND $rows AS row CREATE"), statement
        assert "SCAN_NODE_TABLE" not in plan and "SCAN_REL_TABLE" not in plan, statement
