from __future__ import annotations

import pytest

from kg import querylib
from kg.errors import QueryError


def test_header_gives_question_and_typed_defaults():
    q = querylib.parse_query(
        "x",
        '// Which methods use a technique?\n// @param technique = "quantization"\n// @param limit = 5\n'
        "// A row is a method.\nMATCH (n) RETURN n LIMIT $limit\n",
    )
    assert q.question == "Which methods use a technique?"
    assert q.defaults == {"technique": "quantization", "limit": 5}
    assert not q.neo4j_only


@pytest.mark.parametrize(("raw", "value"), [("5", 5), ("2.5", 2.5), ("true", True), ('"a b"', "a b"), ("plain", "plain"), ("[1, 2]", [1, 2])])
def test_parse_value(raw, value):
    assert querylib.parse_value(raw) == value


def test_every_library_query_has_a_question_and_returns_named_columns():
    queries = querylib.list_queries()
    assert len(queries) >= 1
    for q in queries:
        assert q.question.endswith("?"), q.name
        assert " AS " in q.text, q.name


def test_resolve_inline_file_and_name(tmp_path):
    assert querylib.resolve("MATCH (n) RETURN n").name == "<inline>"
    path = tmp_path / "mine.cypher"
    path.write_text("// What?\nRETURN 1 AS x\n")
    assert querylib.resolve(str(path)).question == "What?"
    assert querylib.resolve("techniques_by_method_count").name == "techniques_by_method_count"
    with pytest.raises(QueryError, match="no query file nope.cypher; the library has: "):
        querylib.resolve("nope.cypher")
