"""Neo4j-only behaviour, against the real server."""

from __future__ import annotations

import socket

import pytest

from kg.errors import AuthError, StoreUnavailable
from kg.store.neo4j_store import connect

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_names_the_uri_and_how_to_start_one():
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreUnavailable) as info:
        connect(uri, "neo4j", "whatever1")
    assert str(info.value) == (
        f"cannot reach Neo4j at {uri}; start one with `docker compose up -d` or `scripts/neo4j-local start`"
    )


def test_wrong_password_says_so(neo4j, neo4j_settings):
    settings = neo4j_settings
    with pytest.raises(AuthError, match="refused the credentials; check NEO4J_USER and NEO4J_PASSWORD"):
        connect(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password + "-wrong")


def test_schema_has_constraints_and_fulltext_index(neo4j):
    neo4j.setup_schema()
    neo4j.setup_schema()
    constraints = neo4j.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS label, properties[0] AS key").records()
    assert {"label": "Paper", "key": "id"} in constraints
    assert {"label": "Method", "key": "key"} in constraints
    indexes = neo4j.run("SHOW FULLTEXT INDEXES YIELD name RETURN name").rows
    assert ["kg_search"] in indexes


def test_fulltext_search_finds_titles(neo4j, sample_graph):
    neo4j.load(sample_graph)
    neo4j.run("CALL db.awaitIndexes(60)")
    rows = neo4j.run(
        "CALL db.index.fulltext.queryNodes('kg_search', $q) YIELD node RETURN node.title AS title LIMIT 3",
        {"q": "EvoPress"},
    ).rows
    assert ["EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search"] in rows


def test_routing_uri_works_against_a_single_server(neo4j, neo4j_settings):
    settings = neo4j_settings
    uri = settings.neo4j_uri.replace("bolt://", "neo4j://")
    store = connect(uri, settings.neo4j_user, settings.neo4j_password)
    try:
        assert store.run("RETURN 1 AS one").rows == [[1]]
    finally:
        store.close()
