"""Shared fixtures: the sample corpus, one extractor per session, real stores.

Neo4j tests use the real server that `scripts/neo4j-local start` (or docker
compose) runs. Locally, without one, they are skipped with a message saying
how to start it; in CI (CI=true) a missing server fails them instead. They
empty its database before each test, so they refuse one that holds a graph,
and one that another test run on this machine is using.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg.corpus import read_papers, sample_corpus
from kg.extract import Extractor
from kg.graph import build_graph
from kg.records import Paper
from kg.store.embedded import EmbeddedStore

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold"


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """A function giving a loopback port nothing listens on, for a server a test starts itself."""

    def pick() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def sample_papers() -> list[Paper]:
    return list(read_papers([sample_corpus()]))


@pytest.fixture(scope="session")
def sample_extractions(extractor, sample_papers):
    return list(extractor.extract(sample_papers))


@pytest.fixture(scope="session")
def sample_graph(extractor, sample_extractions):
    return build_graph(sample_extractions, gazetteer=extractor.gazetteer)


@pytest.fixture(scope="session")
def dev_gold() -> list[dict]:
    return [json.loads(line) for name in ("dev_a.jsonl", "dev_b.jsonl") for line in (GOLD / name).open()]


@pytest.fixture
def embedded(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    yield store
    store.close()


def _neo4j_settings():
    """The test server's settings: the environment's, with scripts/neo4j-local's default password."""
    from kg.config import Settings

    return Settings.from_env({"NEO4J_PASSWORD": "kgpassword", **os.environ}, store="neo4j")


@pytest.fixture(scope="session")
def neo4j_settings():
    return _neo4j_settings()


@pytest.fixture(scope="session")
def neo4j_session_store():
    from kg.errors import StoreError
    from kg.store.neo4j_store import connect

    settings = _neo4j_settings()
    try:
        store = connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, database=settings.neo4j_database)
    except StoreError as e:
        message = f"Neo4j not available ({e}); start one with `scripts/neo4j-local start`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with _used_by_this_run_alone(store, settings.neo4j_uri):
        # the tests empty the database they use: never one that holds someone's graph
        held = store.run("MATCH (n) RETURN count(n) AS n").rows[0][0]
        if held and os.environ.get("KG_TEST_NEO4J_WIPE") != "1":
            store.close()
            pytest.fail(
                f"the Neo4j at {settings.neo4j_uri} holds a graph ({held} nodes) and the tests would empty it; point "
                "NEO4J_URI at a Neo4j for testing, or set KG_TEST_NEO4J_WIPE=1 to let them empty this one",
                pytrace=False,
            )
        yield store
        store.run("MATCH (n) DETACH DELETE n", write=True)  # and leave it empty for the next run
        store.close()


@contextmanager
def _used_by_this_run_alone(store: Any, uri: str) -> Iterator[None]:
    """Hold, for the session, a lock file named by the database's own id.

    An empty database is no sign that nobody is using it: two runs on one machine both found the
    same server empty (each empties it between tests) and then emptied each other's graphs
    mid-test. The id (`db.info()`) is the same however the address is written (localhost,
    127.0.0.1, neo4j://), and a lock (flock) dies with its process, so a run that was killed
    leaves nothing to clean up. Runs on other machines sharing one server are not seen.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock, and no lock
        yield
        return
    with store.driver.session(database=store.database) as session:
        database_id = session.run("CALL db.info() YIELD id RETURN id").single()[0]
    path = Path(tempfile.gettempdir()) / f"kg-tests-neo4j-{database_id}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:  # another user's lock file: it can still be locked, not written
        fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = path.read_text(errors="replace").strip() or "another process"
            store.close()
            pytest.fail(
                f"another test run ({holder}) is using the Neo4j at {uri} and empties it before each test; wait for it "
                "to end, or start a Neo4j of your own (NEO4J_BOLT_PORT=7689 KG_NEO4J_STATE=.neo4j-2 "
                "scripts/neo4j-local start) and point NEO4J_URI at it (bolt://127.0.0.1:7689)",
                pytrace=False,
            )
        try:  # who holds it, for the message of a run refused
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}, from {os.getcwd()}".encode())
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # and with it the lock


@pytest.fixture
def neo4j(neo4j_session_store):
    """The real Neo4j, emptied before each test."""
    neo4j_session_store.run("MATCH (n) DETACH DELETE n", write=True)
    return neo4j_session_store
