from __future__ import annotations

import json
import re
from pathlib import Path

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
        # `kg queries NAME` shows what a row of the answer means: the header says it
        assert any(line.startswith("// A row is") for line in q.text.splitlines()), q.name


def test_a_query_that_looks_entities_up_by_name_names_every_entity_label():
    """A label alternation, not a bare (n): Neo4j would scan every node, papers and results too."""
    from kg.schema import ENTITY_LABELS

    text = querylib.library_query("path_between").text
    assert "MATCH (a) " not in text and "MATCH (b) " not in text
    assert set(re.findall(r"MATCH \([ab]:([\w|]+)\)", text)) == {"|".join(ENTITY_LABELS)}


def test_the_readme_counts_the_library_right():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"lists the whole library ({len(querylib.list_queries())} queries)" in readme


def test_resolve_inline_file_and_name(tmp_path):
    assert querylib.resolve("MATCH (n) RETURN n").name == "<inline>"
    path = tmp_path / "mine.cypher"
    path.write_text("// What?\nRETURN 1 AS x\n")
    assert querylib.resolve(str(path)).question == "What?"
    assert querylib.resolve("techniques_by_method_count").name == "techniques_by_method_count"
    with pytest.raises(QueryError, match="no query file nope.cypher; the library has: "):
        querylib.resolve("nope.cypher")


def test_a_mistyped_name_is_named_not_parsed_as_cypher():
    with pytest.raises(QueryError, match=r"^no query named methods_per_technque; did you mean methods_per_technique\?"):
        querylib.resolve("methods_per_technque")
    with pytest.raises(QueryError, match="^no query named zzz; the library has: "):
        querylib.resolve("zzz")
    with pytest.raises(QueryError, match="^the query is empty"):
        querylib.resolve("  ")
    # a statement of one keyword is still Cypher (refused or run by the store, not named)
    assert querylib.resolve("CHECKPOINT").name == "<inline>"


def test_a_parameter_the_query_never_reads_is_refused():
    query = querylib.resolve("methods_per_technique")
    querylib.check_params(query, {"technique": "pruning"})
    with pytest.raises(QueryError, match="^the query has no parameter techinque; it takes: technique$"):
        querylib.check_params(query, {"techinque": "pruning"})
    inline = querylib.resolve("MATCH (p:Paper) WHERE p.id = $id RETURN p // $not_a_parameter")
    querylib.check_params(inline, {"id": "x"})
    with pytest.raises(QueryError, match="no parameter not_a_parameter; it takes: id"):
        querylib.check_params(inline, {"not_a_parameter": 1})


def test_param_text_is_typed_by_the_query_defaults():
    query = querylib.parse_query("q", '// @param paper = "GPTQ"\n// @param limit = 10\n// @param exact = false\nRETURN $paper, $limit, $exact, $other')
    typed = querylib.typed_params(query, {"paper": "2401.10770", "limit": " 5 ", "exact": "true", "other": "[1, 2]"})
    assert typed == {"paper": "2401.10770", "limit": 5, "exact": True, "other": [1, 2]}
    with pytest.raises(QueryError, match="^parameter limit must be a number, not 'abc'$"):
        querylib.typed_params(query, {"limit": "abc"})
    with pytest.raises(QueryError, match="^parameter limit must be a number, not 'true'$"):
        querylib.typed_params(query, {"limit": "true"})
    with pytest.raises(QueryError, match="^parameter exact must be true or false, not 'yes'$"):
        querylib.typed_params(query, {"exact": "yes"})


def test_a_parameter_the_query_reads_without_a_value_is_refused():
    query = querylib.parse_query("q", "// @param limit = 5\nMATCH (n) WHERE n.name = $name RETURN n LIMIT $limit")
    with pytest.raises(QueryError, match=r"^no value given for \$name \(kg query -p NAME=VALUE\)$"):
        querylib.check_params(query, {})
    querylib.check_params(query, {"name": "GPTQ"})  # the default covers limit


def test_values_the_two_stores_would_answer_differently_or_not_at_all_are_refused():
    query = querylib.parse_query("q", '// @param text = "GPTQ"\n// @param limit = 10\nMATCH (n) WHERE n.name CONTAINS $text RETURN n LIMIT $limit')
    # an empty text matches everything on Neo4j and nothing on the embedded store
    with pytest.raises(QueryError, match="^parameter text is empty; give it a value$"):
        querylib.check_params(query, {"text": " "})
    with pytest.raises(QueryError, match="^parameter limit must be a whole number, not 2.5$"):
        querylib.check_params(query, {"limit": 2.5})
    with pytest.raises(QueryError, match="^parameter limit must not be negative$"):
        querylib.check_params(query, {"limit": -1})
    assert querylib.typed_params(query, {"limit": "2.0"}) == {"limit": 2}
    querylib.check_params(query, {"text": "x", "limit": 2})


def test_several_statements_in_one_query_are_refused():
    with pytest.raises(QueryError, match="^one statement at a time: this query holds 2, separated by ';'$"):
        querylib.check_one_statement(querylib.resolve("RETURN 1 AS x; RETURN 2 AS y"))
    querylib.check_one_statement(querylib.resolve("RETURN ';' AS x;"))  # a trailing ';', one in a string


def test_a_bare_name_is_a_library_query_never_a_file_of_the_same_name(tmp_path, monkeypatch):
    # a checkout could plant ./search or ./techniques_by_method_count; and "/etc/hostname" is not read
    monkeypatch.chdir(tmp_path)
    (tmp_path / "search").write_text("// Planted\nRETURN 1 AS planted\n")
    assert querylib.resolve("search").library
    for path in ("/etc/hostname", "./mine", "queries/top_methods"):  # read as no file, nor as Cypher
        with pytest.raises(QueryError, match=f"^no query file {re.escape(path)}; a query file's name ends in .cypher$"):
            querylib.resolve(path)
    (tmp_path / "bad.cypher").write_bytes(b"RETURN '\xff'")
    with pytest.raises(QueryError, match="^cannot read the query file bad.cypher: it is not UTF-8 text$"):
        querylib.resolve("bad.cypher")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (2**63, "is a whole number too large for the stores (64 bits)"),
        ([1, "a", None], "mixes numbers and text in one list; the embedded store takes lists of one kind"),
        ("a\ud800", "holds half of a UTF-16 pair (a lone surrogate), which no store can hold"),
        ([[1], ["a"]], "mixes lists of numbers and lists of text in one list; the embedded store takes lists of one kind"),
        ([{"a": 1}, {"b": 2}], "mixes maps {a: numbers} and maps {b: numbers} in one list; the embedded store takes lists of one kind"),
        ({"a": [[1]] * 2, "b": ["x", None], "c": [{"k": 1}, {"k": None}, None]}, None),
        ([{1: "a", "b": 2}], None),  # keys of two kinds, from Python
        (json.loads("[" * 600 + "]" * 600), "is nested more than 32 deep"),  # deep enough to parse, not to store
    ],
)
def test_a_value_no_store_can_take_is_refused_in_words(value, problem):
    query = querylib.parse_query("q", "RETURN $x AS x")
    if problem is None:
        querylib.check_params(query, {"x": value})
    else:
        with pytest.raises(QueryError, match=f"^parameter x {re.escape(problem)}$"):
            querylib.check_params(query, {"x": value})


def test_a_parameter_value_too_deep_to_parse_is_one_line():
    with pytest.raises(QueryError, match="^a parameter value is nested too deeply to read"):
        querylib.parse_value("[" * 5000 + "]" * 5000)


def test_a_parameter_value_too_long_to_read_as_a_number_is_one_line():
    with pytest.raises(QueryError, match=r"^a parameter value is a whole number of 5,000 characters, too large for the stores \(64 bits\)$"):
        querylib.parse_value("1" * 5000)
