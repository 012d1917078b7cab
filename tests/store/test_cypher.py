from __future__ import annotations

import pytest

from kg.errors import QueryError, SchemaError
from kg.schema import META, NODE_TYPES, REL_TYPES, node_type, rel_type
from kg.store import cypher


def test_both_stores_ddl_come_from_the_one_schema():
    embedded, neo4j = cypher.embedded_ddl(), cypher.neo4j_ddl()
    assert len(embedded) == len(NODE_TYPES) + len(REL_TYPES) + 1  # and the graph's record of its schema version
    assert all("IF NOT EXISTS" in s for s in embedded + neo4j)
    for spec in (*NODE_TYPES, META):
        assert any(f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE" in s for s in neo4j)
        assert any(f"TABLE IF NOT EXISTS {spec.label}(" in s and f"PRIMARY KEY({spec.key})" in s for s in embedded)


def test_load_statements_take_values_only_as_parameters():
    statement = cypher.merge_nodes("Paper", typed=True)
    assert statement.startswith("UNWIND $rows AS row MERGE (n:Paper {id: row.id})")
    assert "CAST(row.year AS INT64)" in statement
    assert "CAST" not in cypher.merge_nodes("Paper", typed=False)
    rel = cypher.merge_relationships("PROPOSES", typed=False)
    assert "MERGE (a)-[r:PROPOSES {paper_id: row.paper_id}]->(b)" in rel
    # the embedded store's way: a lookup by key, then CREATE or MATCH ... SET
    assert cypher.stored_keys("Paper") == "UNWIND $keys AS k MATCH (n:Paper {id: k}) RETURN n.id"
    assert cypher.create_nodes("Paper", typed=True).startswith("UNWIND $rows AS row CREATE (n:Paper {id: row.id}) SET")
    assert "CAST(row.year AS INT64)" in cypher.update_nodes("Paper", typed=True)
    assert cypher.update_nodes("Paper", typed=False).startswith("UNWIND $rows AS row MATCH (n:Paper {id: row.id}) SET")
    assert "CREATE (a)-[r:PROPOSES {paper_id: row.paper_id}]->(b)" in cypher.create_relationships("PROPOSES", typed=False)


def test_unknown_labels_never_reach_a_query():
    with pytest.raises(SchemaError, match=r"unknown label .Paper\) DETACH DELETE"):
        node_type("Paper) DETACH DELETE")
    with pytest.raises(SchemaError, match="unknown relationship type"):
        rel_type("X")


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        # a read runs; the first clause of anything else is named, whatever the statement is called
        ("MATCH (n) RETURN n", None),
        ("MATCH (n) WHERE n.name = 'CREATE' RETURN n // DELETE", None),
        ("MATCH (n) DETACH DELETE n", "DETACH"),
        ("match (n) set n.x = 1", "SET"),
        ("CREATE (n:X)", "CREATE"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("EXPORT DATABASE '/tmp/x'", "EXPORT"),
        ("MATCH (n) RETURN n; BEGIN TRANSACTION", "BEGIN"),
        ("CALL threads = 1", "CALL threads"),
        ("CALL create_fts_index('Method', 'i', ['name'])", "CALL create_fts_index"),
        ("CALL db.clearQueryCaches()", "CALL db.clearQueryCaches"),
        ("OPTIONAL MATCH (n) RETURN n;", None),
        ("CALL table_info('Method') RETURN *", None),
        ("CALL current_setting('home_directory') RETURN *", "CALL current_setting"),  # an allowlist, not a guess by name
        ("CALL CLEAR_WARNINGS() RETURN *", "CALL CLEAR_WARNINGS"),
        ("PROFILE MATCH (n) RETURN count(n)", None),
        ("SHOW INDEXES YIELD name RETURN name", None),
        ("CALL db.labels() YIELD label RETURN label", None),
        ("OPTIONAL CALL db.labels() YIELD label RETURN label", None),
        ("CALL { MATCH (n) RETURN n } RETURN count(*)", None),
        ("MATCH (p:Paper) CALL (p) { MATCH (p)-->(m) RETURN count(m) AS c } RETURN p.id, c", None),
        ("OPTIONAL CALL db.labels() YIELD label RETURN label", None),
        ("CYPHER 5 MATCH (n) RETURN n LIMIT 1", None),
        ("CYPHER runtime=slotted MATCH (n) RETURN n LIMIT 1", None),
        ("MATCH (n)\r\nRETURN n // a Windows line end\r\n", None),
        ("RETURN 1 /* a **/ + 2 AS x", None),
        ("MATCH (p) WHERE p.title <> 'don\\'t drop it' RETURN p", None),
    ],
)
def test_write_clause_names_the_first_clause_that_is_not_a_read(query, clause):
    assert cypher.write_clause(query) == clause


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("MATCH (p:Paper) RETURN p.id AS create, $set AS s", None),
        ("MATCH (n) RETURN n.set, n.delete", None),
        ("MATCH (n) WITH n AS x SET x.y = 1", "SET"),
        ("MATCH (start:Paper) WHERE start.year > 2020 RETURN start.title AS set, {load: 1} AS m", None),
        ("RETURN x AS `set`", None),
        ("UNWIND ['a'] AS start RETURN start", None),
        ("MATCH (p) RETURN p.id AS create ORDER BY create", "CREATE"),  # the price: `create` in backticks
        ("MATCH (n:Paper) RETURN n {.id, .set} AS m", None),  # a map projection
    ],
)
def test_a_name_that_spells_a_clause_is_a_name_where_the_grammar_makes_it_one(query, clause):
    assert cypher.write_clause(query) == clause


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        # what five rounds of security review got past the check at the time, on one store or the other
        ('WITH "/*" AS a LOAD FROM "/etc/passwd" (file_format="csv") RETURN *, "*/" AS b', "LOAD"),  # /* in a string
        ('WITH 1 AS as LOAD FROM "/etc/hostname" (header=false) RETURN *', "LOAD"),  # a variable named "as"
        ('MATCH (p) WITH count(p) AS n //\rLOAD CSV FROM "file:///etc/hostname" AS l RETURN l', "\\r"),  # Neo4j ends // at \r; LadybugDB reads no comment
        ("RETURN 'a\\' COPY (RETURN 1) TO '/tmp/x.csv' //'", None),  # one string: both stores read \\' as a quote in it
        ('RETURN "/*" AS a; CHECKPOINT; RETURN "*/" AS b', "CHECKPOINT"),
        ("CALL read_csv_serial('/etc/passwd') RETURN *", "CALL read_csv_serial"),  # crashes LadybugDB 0.22
        ("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t YIELD message RETURN *", "SHOW TRANSACTIONS"),
        ("MATCH (n) RETURN n TERMINATE TRANSACTIONS 'x'", "TERMINATE"),
        ("CALL dbms.listConnections() YIELD connectionId RETURN connectionId", "CALL dbms.listConnections"),
        ("RETURN 1LOAD", "LOAD"),
        ("UNWIND [1] AS x /* **/ ' */ LOAD FROM '/etc/passwd' RETURN * //'", "LOAD"),  # LadybugDB's comments end later
        ("RETURN 1 /* **/ ' */; CHECKPOINT //'", "CHECKPOINT"),
        ("WITH 'a\\u0027 AS x LOAD CSV FROM 'http://h/x.csv' AS row RETURN row //'", "LOAD"),  # Neo4j decodes \u first
        ("WITH 1 AS x \\u004cOAD CSV FROM 'http://h/x.csv' AS row RETURN row", "LOAD"),
        ("/* \\u002a/ SHOW TRANSACTIONS YIELD currentQuery //*/ RETURN 1", "SHOW TRANSACTIONS"),
        ('UNWIND [1] AS as WITH as LOAD FROM "/etc/hostname" RETURN *', "LOAD"),  # "as" a variable, not AS
        ('WITH {as: 1} AS m WHERE 1 = m.as LOAD FROM "/etc/hostname" RETURN *', "LOAD"),
        ("RETURN 1.LOAD FROM 'x'", "LOAD"),
        ("MATCH (n) CALL { USE other MATCH (m) RETURN m } RETURN n", "USE"),
        ("MATCH (n) RETURN n UNION USE other MATCH (n) RETURN n", "USE"),
        ("CALL (p) { LOAD FROM 'x' RETURN 1 } RETURN 1", "LOAD"),
        ("CYPHER 5 USE system MATCH (n) RETURN n", "CYPHER"),  # a prefix skips options, not clauses
        ('RETURN 1 //**/ 2; LOAD FROM "/etc/hostname" RETURN *\r ', "\\r"),  # LadybugDB: "//" is no comment then
        ('CYPHER LOAD CSV FROM [match IN [1] | "http://h/x.csv"][0] AS l RETURN l', "CYPHER"),
        ('CYPHER runtime=[match IN [1] | "x"][0] RETURN 1', "CYPHER"),
        ('UNWIND [1] AS as LOAD WITH HEADERS (x STRING) FROM "/etc/hostname" RETURN x', "LOAD"),
        ("MATCH (match:Paper) WITH match, 1 AS as SET match.title = 'x' RETURN 1", "SET"),
        ("MATCH (p:Paper) WITH p LIMIT 1 INSERT (x:Pwned {id: 'i'}) RETURN 1", "INSERT"),
        ("UNWIND [1] AS x CALL { WITH x USE system MATCH (p) RETURN count(p) AS c } RETURN c", "USE"),
    ],
)
def test_every_bypass_a_security_review_found_is_refused(query, clause):
    assert cypher.write_clause(query) == clause


def test_a_refused_clause_is_explained_in_words():
    assert cypher.refusal("CALL read_csv_serial").startswith("CALL read_csv_serial is not a procedure a read may call (those are: ")
    assert cypher.refusal("SHOW TRANSACTIONS").startswith("SHOW TRANSACTIONS shows more than the schema")
    assert cypher.refusal("TERMINATE") == "TERMINATE stops other clients' queries"
    assert cypher.refusal("\\r").startswith("a carriage return that ends no line (\\r) is read differently by the two stores")
    assert cypher.refusal("MATC") == "MATC is not how a read begins (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL or SHOW)"


def test_statements_and_parameters_are_counted_outside_strings_and_comments():
    assert cypher.statement_count('RETURN "/*" AS a; CHECKPOINT; RETURN "*/" AS b') == 3
    assert cypher.statement_count("MATCH (n) RETURN n; // done") == 1
    assert cypher.parameters("MATCH (n) WHERE n.x = $a AND n.y = '$b' RETURN $`c` // $d") == {"a", "c"}


def test_a_refused_name_after_as_is_told_to_go_in_backticks():
    with pytest.raises(QueryError, match=r"^SET writes to the graph \(to use set as a name, write it in backticks: `set`\); "):
        cypher.check_read("MATCH (p) RETURN p.id AS set ORDER BY set")
    with pytest.raises(QueryError, match=r"^SET writes to the graph; "):
        cypher.check_read("MATCH (p) SET p.x = 1")
