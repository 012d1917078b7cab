"""A Neo4j stopped in the middle of a load: a clear error, and a rerun ends in the full graph.

This test runs its own Neo4j (scripts/neo4j-local with a state folder and port of its own),
so stopping it does not disturb the server the other tests use.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kg.errors import StoreUnavailable
from kg.graph import counts
from kg.store.neo4j_store import connect

pytestmark = [pytest.mark.neo4j, pytest.mark.filterwarnings("ignore")]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j-local"


@pytest.fixture
def own_server(tmp_path, neo4j_session_store, free_port):
    port = free_port()
    env = {**os.environ, "KG_NEO4J_STATE": str(tmp_path / "neo4j"), "NEO4J_BOLT_PORT": str(port), "NEO4J_PASSWORD": "kgpassword"}

    def run(action: str) -> None:
        subprocess.run([str(SCRIPT), action], env=env, check=True, capture_output=True, timeout=300)

    run("start")
    yield f"bolt://127.0.0.1:{port}", run
    run("stop")


def test_a_load_cut_off_by_a_stopped_server_is_finished_by_a_rerun(own_server, sample_graph):
    uri, server = own_server
    store = connect(uri, "neo4j", "kgpassword", retry_seconds=2)
    store.batch_size = 40
    batches = 0

    def stop_server_midway(_: int) -> None:
        nonlocal batches
        batches += 1
        if batches == 6:
            server("stop")

    with pytest.raises(StoreUnavailable, match=f"lost the connection to Neo4j at {uri} during a write; once it answers again, rerun the command"):
        store.load(sample_graph, progress=stop_server_midway)
    store.close()

    server("start")
    store = connect(uri, "neo4j", "kgpassword")
    try:
        partial = {k: v for k, v in store.counts().items() if v}
        assert partial != counts(sample_graph)
        store.load(sample_graph)
        assert {k: v for k, v in store.counts().items() if v} == counts(sample_graph)
    finally:
        store.close()
