"""Neo4j-only behaviour, against the real server."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg.errors import AuthError, QueryCancelled, QueryError, StoreUnavailable
from kg.schema import REL_TYPES
from kg.store import Cancellation, cypher
from kg.store.neo4j_store import connect

pytestmark = pytest.mark.neo4j


def test_unreachable_server_names_the_uri_and_how_to_start_one(free_port):
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable) as info:
        connect(uri, "neo4j", "whatever1")
    assert str(info.value) == (
        f"cannot reach Neo4j at {uri}; start one with `docker compose up -d` or `scripts/neo4j-local start`"
    )


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687"])
def test_an_address_that_is_not_bolt_says_what_to_use(uri):
    with pytest.raises(StoreUnavailable) as info:
        connect(uri, "neo4j", "whatever1")
    assert str(info.value) == (
        f"NEO4J_URI {uri!r} is not a Bolt address; use one that starts with bolt:// or neo4j://, "
        "such as bolt://localhost:7687 (http://localhost:7474 is Neo4j Browser's page)"
    )


@pytest.mark.parametrize("secret", ["hunter2secret", "p@ss/word"])
def test_a_password_written_into_the_uri_is_not_repeated(secret, free_port):
    for uri in (f"bolt://neo4j:{secret}@127.0.0.1:{free_port()}", f"neo4j://neo4j:{secret}@127.0.0.1:{free_port()}"):
        with pytest.raises(StoreUnavailable) as info:
            connect(uri, "neo4j", "whatever1")
        assert secret not in str(info.value) and "neo4j:***@127.0.0.1" in str(info.value)


def test_wrong_password_says_so(neo4j, neo4j_settings):
    settings = neo4j_settings
    with pytest.raises(AuthError, match="refused the credentials; check NEO4J_USER and NEO4J_PASSWORD"):
        connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password + "-wrong")


def test_tls_to_a_server_without_it_says_so(neo4j, neo4j_settings):
    uri = neo4j_settings.neo4j_uri.replace("bolt://", "bolt+s://").replace("neo4j://", "neo4j+s://")
    with pytest.raises(StoreUnavailable, match=r"cannot open an encrypted \(TLS\) connection to Neo4j at .*; for a server without TLS"):
        connect(uri, neo4j_settings.neo4j_user, neo4j_settings.neo4j_password)


def test_tls_with_a_certificate_not_trusted_says_how_to_accept_it(tmp_path):
    """A TLS listener with a self-signed certificate: the advice is bolt+ssc://, not plain bolt://."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost"],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def handshake_once() -> None:
        connection, _ = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass  # the client hangs up on the certificate

    threading.Thread(target=handshake_once, daemon=True).start()
    try:
        with pytest.raises(StoreUnavailable, match=r"certificate this machine does not trust \(self-signed\?\); use bolt\+ssc://"):
            connect(f"bolt+s://localhost:{listener.getsockname()[1]}", "neo4j", "whatever1", retry_seconds=1)
    finally:
        listener.close()


def test_an_unknown_database_names_the_setting(neo4j, neo4j_settings):
    s = neo4j_settings
    store = connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password, database="nosuchgraph")
    try:
        with pytest.raises(StoreUnavailable, match="has no database 'nosuchgraph'; check NEO4J_DATABASE"):
            store.run("RETURN 1")
    finally:
        store.close()


def test_logins_refused_after_wrong_passwords_say_to_wait(neo4j):
    """Neo4j locks a user out for a few seconds after three wrong passwords: not a bug in kg.
    A user of its own, so the lockout does not touch the other tests' logins."""
    uri = neo4j.uri
    neo4j.driver.execute_query("CREATE USER kg_lockout_probe IF NOT EXISTS SET PASSWORD 'right-pass1' CHANGE NOT REQUIRED", database_="system")
    try:
        messages = []
        for attempt in range(5):
            with pytest.raises(AuthError) as info:
                connect(uri, "kg_lockout_probe", f"wrong-pass{attempt}")
            messages.append(str(info.value))
        assert "refused the credentials" in messages[0]
        assert messages[-1].endswith("refuses logins for a few seconds after several wrong passwords in a row; wait, then check NEO4J_USER and NEO4J_PASSWORD")
    finally:
        neo4j.driver.execute_query("DROP USER kg_lockout_probe IF EXISTS", database_="system")


def test_a_misspelt_property_is_warned_about_not_answered_as_null_in_silence(neo4j, neo4j_settings, sample_graph):
    neo4j.load(sample_graph)
    result = neo4j.run("MATCH (m:Method) RETURN m.nme AS name LIMIT 1")
    assert result.rows == [[None]]
    assert result.warnings == ["property key does not exist. The property `nme` does not exist. Verify that the spelling is correct."]
    assert neo4j.run("MATCH (m:Method) RETURN m.name AS name LIMIT 1").warnings == []
    env = {**os.environ, "NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_PASSWORD": neo4j_settings.neo4j_password}
    shown = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--store", "neo4j", "MATCH (m:Method) RETURN m.nme AS name LIMIT 1"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert shown.returncode == 0 and shown.stderr == (
        "Neo4j warns: property key does not exist. The property `nme` does not exist. Verify that the spelling is correct.\n"
    )


def test_schema_has_constraints_and_fulltext_index(neo4j):
    neo4j.setup_schema()
    neo4j.setup_schema()
    constraints = neo4j.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS label, properties[0] AS key").records()
    assert {"label": "Paper", "key": "id"} in constraints
    assert {"label": "Method", "key": "key"} in constraints
    indexes = neo4j.run("SHOW FULLTEXT INDEXES YIELD name RETURN name").rows
    assert ["kg_search"] in indexes


def test_what_a_reload_deletes_by_paper_id_has_an_index(neo4j):
    """A scan per batch of reloaded papers would be quadratic in the graph's size."""
    neo4j.run("DROP INDEX result_paper_id IF EXISTS", write=True)  # made by an earlier test's schema
    neo4j.setup_schema()
    indexed = {(r[0], r[1]) for r in neo4j.run("SHOW RANGE INDEXES YIELD labelsOrTypes, properties RETURN labelsOrTypes[0], properties[0]").rows}
    by_paper_id = {("Result", "paper_id")} | {
        (rel.type, "paper_id") for rel in REL_TYPES if f"[r:{rel.type}]->() WHERE r.paper_id" in " ".join(cypher.delete_paper_facts())
    }
    assert len(by_paper_id) > 5 and by_paper_id <= indexed


def test_fulltext_search_finds_titles(neo4j, sample_graph):
    neo4j.load(sample_graph)
    neo4j.run("CALL db.awaitIndexes(60)")
    rows = neo4j.run(
        "CALL db.index.fulltext.queryNodes('kg_search', $q) YIELD node RETURN node.title AS title LIMIT 3",
        {"q": "EvoPress"},
    ).rows
    assert ["EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search"] in rows
    [[alias, name]] = neo4j.run(
        "MATCH (m:Model) WHERE size(m.aliases) > 0 RETURN m.aliases[0] AS alias, m.name AS name ORDER BY name LIMIT 1"
    ).rows
    found = neo4j.run(
        "CALL db.index.fulltext.queryNodes('kg_search', $q) YIELD node RETURN node.name AS name", {"q": f'"{alias}"'}
    ).rows
    assert [name] in found


def test_the_server_reads_no_file_even_for_a_write(neo4j):
    # kg's own check refuses LOAD CSV in a read; a --write query is the server's to refuse
    with pytest.raises(QueryError, match="allow_csv_import_from_file_urls. is false"):
        neo4j.run("LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line", write=True)


def test_an_older_fulltext_index_is_rebuilt_with_the_new_fields(neo4j):
    neo4j.run("DROP INDEX kg_search IF EXISTS", write=True)
    neo4j.run("CREATE FULLTEXT INDEX kg_search FOR (n:Paper) ON EACH [n.title]", write=True)
    neo4j.setup_schema()
    [[properties]] = neo4j.run("SHOW FULLTEXT INDEXES YIELD name, properties WHERE name = 'kg_search' RETURN properties").rows
    assert sorted(properties) == ["abstract", "aliases", "name", "title"]


def test_routing_uri_works_against_a_single_server(neo4j, neo4j_settings):
    settings = neo4j_settings
    uri = settings.neo4j_uri.replace("bolt://", "neo4j://")
    store = connect(uri, settings.neo4j_user, settings.neo4j_password)
    try:
        assert store.run("RETURN 1 AS one").rows == [[1]]
    finally:
        store.close()


def test_cli_builds_into_neo4j_twice_with_the_same_counts_and_a_quiet_stderr(neo4j, neo4j_settings):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NEO4J_PASSWORD": neo4j_settings.neo4j_password, "NEO4J_URI": neo4j_settings.neo4j_uri}

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=600)

    first = kg("build", "--store", "neo4j")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"Loaded 171 papers into the neo4j store at {neo4j_settings.neo4j_uri}; it now holds 171 papers, ")
    counts_once = kg("stats", "--store", "neo4j")
    second = kg("build", "--store", "neo4j")
    assert "171 papers were unchanged since the last build" in second.stdout
    counts_twice = kg("stats", "--store", "neo4j")
    assert counts_once.stdout == counts_twice.stdout
    assert counts_once.stderr == counts_twice.stderr == second.stderr == ""


def test_a_write_query_reports_what_it_added_and_removed(neo4j, neo4j_settings, sample_graph):
    from kg import api, querylib

    neo4j.load(sample_graph)
    deleted = api.run_query(
        querylib.resolve("MATCH (m:Method {key: 'coreinfer'}) DETACH DELETE m"), settings=neo4j_settings, write=True
    )
    assert deleted.changes is not None
    assert deleted.changes["Method"] == -1 and deleted.changes["PROPOSES"] == -1
    renamed = api.run_query(
        querylib.resolve("MATCH (m:Method {key: 'powerinfer'}) SET m.name = 'P'"), settings=neo4j_settings, write=True
    )
    assert renamed.changes == {}
    read = api.run_query(querylib.resolve("MATCH (m:Method) RETURN count(m) AS n"), settings=neo4j_settings)
    assert read.changes is None


def test_dates_and_durations_come_back_as_iso_text(neo4j):
    [row] = neo4j.run("RETURN duration('P1D') AS d, date('2024-01-02') AS t").rows
    assert row == ["P1D", "2024-01-02"]


#: about 6 s of string work on the sample graph (as in test_stores)
SLOW = (
    "MATCH (a:Paper), (b:Paper), (c:Hardware) "
    "WHERE (a.abstract + b.abstract + a.abstract + b.abstract) CONTAINS (c.name + 'zz') RETURN count(*) AS slow"
)


def _local_server_pid(uri: str) -> int:
    """The pid of the Java process `scripts/neo4j-local` runs at ``uri``; skips for any other server."""
    state = Path(os.environ.get("KG_NEO4J_STATE") or Path(__file__).resolve().parents[2] / ".neo4j-local")
    try:
        pid = int((state / "neo4j.pid").read_text())
        port = (state / "neo4j.instance").read_text().split()[0]
        ours = b"dev.kg.neo4j.Neo4jServer" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError, IndexError):
        ours = False
    if not ours or port != str(urlsplit(uri).port):
        pytest.skip(f"needs the Neo4j at {uri} to be scripts/neo4j-local's, with its state in {state} (KG_NEO4J_STATE)")
    return pid


def test_a_cancel_answers_in_time_while_the_server_hangs_and_goes_through_once_it_answers(
    neo4j, neo4j_settings, sample_graph
):
    """A server that stops answering (here: SIGSTOP) must not hold a cancel past its wait. A stop
    goes over a new connection, and the driver's default wait for one is 60 s; kg serve's Cancel
    waits 5 s. (On the old code, this cancel answered when the server did.)"""
    pid = _local_server_pid(neo4j_settings.neo4j_uri)
    neo4j.load(sample_graph)
    settings = neo4j_settings
    # as kg serve opens one per query: the running query holds the only connection it has
    store = connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, database=settings.neo4j_database)
    cancel = Cancellation()
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(store.run(SLOW, cancel=cancel, timeout=60).rows)
        except QueryCancelled as e:
            outcome.append(e)

    query = threading.Thread(target=run)
    query.start()
    resume = threading.Timer(10, os.kill, (pid, signal.SIGCONT))  # should the cancel hang, it ends here
    try:
        time.sleep(1)  # the query runs
        os.kill(pid, signal.SIGSTOP)
        resume.start()
        started = time.monotonic()
        stopped = cancel.cancel(wait=2)
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
        resume.cancel()
    try:
        assert (stopped, took < 3) == (False, True), took
        assert cancel.cancel(wait=30)  # the server answers again: the query stops
        query.join(30)
        assert isinstance(outcome[0], QueryCancelled) or outcome == [[[0]]]
        assert store.run("MATCH (p:Paper) RETURN count(p) AS papers").rows == [[171]]
    finally:
        query.join()
        store.close()


def test_a_second_test_run_on_the_same_neo4j_is_refused_before_it_empties_it(neo4j, neo4j_settings):
    """Two runs on one server each found it empty between tests, then emptied each other's graphs
    mid-test; the one that comes second now stops before touching the database."""
    import os
    import subprocess
    import sys

    neo4j.run("CREATE (:Method {key: 'kept', name: 'kept'})", write=True)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "NEO4J_PASSWORD": neo4j_settings.neo4j_password, "NEO4J_URI": neo4j_settings.neo4j_uri}
    second = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/store/test_neo4j.py::test_dates_and_durations_come_back_as_iso_text"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
    assert second.returncode == 1
    assert f"another test run (pid {os.getpid()}, from {os.getcwd()}) is using the Neo4j at {neo4j_settings.neo4j_uri}" in second.stdout
    assert neo4j.run("MATCH (n) RETURN n.key AS key").rows == [["kept"]]
