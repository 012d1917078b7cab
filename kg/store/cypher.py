"""Cypher generated from the schema: DDL for each store, and the batched load statements.

Labels and relationship types cannot be query parameters, so they come only
from `kg.schema` (checked by `node_type` / `rel_type`); every value goes as a
parameter in ``$rows`` or ``$ids``.
"""

from __future__ import annotations

import re

from kg.schema import (
    COMPUTED_PROPERTIES,
    ENTITY_LABELS,
    HIERARCHY,
    NODE_TYPES,
    REL_TYPES,
    STRING,
    NodeType,
    RelType,
    node_type,
    rel_type,
)

FULLTEXT_INDEX = "kg_search"


def embedded_ddl() -> list[str]:
    """Node and relationship tables for the embedded store, created only if missing."""
    statements = []
    for spec in NODE_TYPES:
        columns = ", ".join(f"{name} {type_}" for name, type_ in spec.all_properties)
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS {spec.label}({columns}, PRIMARY KEY({spec.key}))"
        )
    for rel in REL_TYPES:
        columns = ", ".join(f"{name} {type_}" for name, type_ in rel.properties)
        statements.append(
            f"CREATE REL TABLE IF NOT EXISTS {rel.type}(FROM {rel.source} TO {rel.target}, {columns})"
        )
    return statements


def fulltext_fields() -> tuple[list[str], list[str]]:
    """The labels and properties the full-text index covers: names, aliases, titles, abstracts."""
    searchable = [spec for spec in NODE_TYPES if spec.searchable]
    return [spec.label for spec in searchable], sorted({p for spec in searchable for p in spec.searchable})


def neo4j_ddl() -> list[str]:
    """A uniqueness constraint on each label's key and one full-text index, if missing."""
    statements = [
        f"CREATE CONSTRAINT {spec.label.lower()}_{spec.key}_unique IF NOT EXISTS "
        f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE"
        for spec in NODE_TYPES
    ]
    statements.append("CREATE INDEX paper_title_key IF NOT EXISTS FOR (n:Paper) ON (n.title_key)")
    statements += [
        f"CREATE INDEX {rel.type.lower()}_paper_id IF NOT EXISTS FOR ()-[r:{rel.type}]-() ON (r.paper_id)"
        for rel in REL_TYPES
        if rel.source != "Paper"
    ]
    labels, properties = fulltext_fields()
    statements.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{'|'.join(labels)}) "
        f"ON EACH [{', '.join(f'n.{p}' for p in properties)}]"
    )
    return statements


def _value(name: str, type_: str, *, typed: bool) -> str:
    # The embedded store infers a parameter's type from its values; a batch in
    # which a column is all null would otherwise be taken for STRING.
    return f"CAST(row.{name} AS {type_})" if typed and type_ != STRING else f"row.{name}"


def merge_nodes(label: str, *, typed: bool) -> str:
    spec: NodeType = node_type(label)
    sets = ", ".join(
        f"n.{name} = {_value(name, type_, typed=typed)}"
        for name, type_ in spec.properties
        if name not in COMPUTED_PROPERTIES
    )
    return f"UNWIND $rows AS row MERGE (n:{spec.label} {{{spec.key}: row.{spec.key}}}) SET {sets}"


def set_computed(label: str, *, typed: bool) -> str:
    """Write analytics results (degree, PageRank, community) onto existing nodes."""
    spec = node_type(label)
    types = dict(spec.properties)
    sets = ", ".join(f"n.{name} = {_value(name, types[name], typed=typed)}" for name in sorted(COMPUTED_PROPERTIES))
    return f"UNWIND $rows AS row MATCH (n:{spec.label} {{{spec.key}: row.key}}) SET {sets}"


def mark_papers_loaded() -> str:
    """The last write of a load: a paper with its hash set has all its facts in the store."""
    return "UNWIND $rows AS row MATCH (p:Paper {id: row.id}) SET p.content_hash = row.content_hash"


def merge_relationships(type_: str, *, typed: bool) -> str:
    rel: RelType = rel_type(type_)
    source, target = node_type(rel.source), node_type(rel.target)
    sets = ", ".join(
        f"r.{name} = {_value(name, t, typed=typed)}" for name, t in rel.properties if name != "paper_id"
    )
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{source.label} {{{source.key}: row.source}}) "
        f"MATCH (b:{target.label} {{{target.key}: row.target}}) "
        f"MERGE (a)-[r:{rel.type} {{paper_id: row.paper_id}}]->(b) SET {sets}"
    )


def delete_paper_facts() -> list[str]:
    """Forget what earlier loads said about these papers, before their facts go in again.

    A paper's own relationships are found from the paper (by its key, not by scanning every
    relationship); the others (a method's INSTANCE_OF that a paper stated) by ``paper_id``.
    """
    statements = ["MATCH (r:Result) WHERE r.paper_id IN $ids DETACH DELETE r"]
    for rel in REL_TYPES:
        if rel.source == "Paper":
            statements.append(f"MATCH (p:Paper)-[r:{rel.type}]->() WHERE p.id IN $ids DELETE r")
        elif not rel.hierarchy:  # the taxonomy and the gazetteers' other hierarchies belong to no paper
            statements.append(f"MATCH ()-[r:{rel.type}]->() WHERE r.paper_id IN $ids DELETE r")
    return statements


def delete_hierarchy_edges(type_: str) -> str:
    """The edges up a hierarchy from the nodes with keys ``$keys``, before a load's own go in. A
    graph holds each of its nodes' edges up as the gazetteers say them today, so a parent changed
    since an earlier load (a technique moved in the taxonomy) is not kept beside the new one."""
    rel = rel_type(type_)
    spec = node_type(rel.source)
    return f"UNWIND $keys AS k MATCH (n:{spec.label} {{{spec.key}: k}})-[r:{rel.type}]->() DELETE r"


def delete_orphans() -> list[str]:
    """Entities no fact points at any more (after a paper was re-extracted)."""
    return [
        f"MATCH (n:{label}) WHERE NOT EXISTS {{ MATCH (n)--() }} DELETE n"
        for label in (*ENTITY_LABELS, "Repository")
    ]


def bare_broader_nodes() -> list[str]:
    """A node of a label with a hierarchy that nothing points at: no paper uses it, no method is
    one, nothing narrower hangs from it. Its own edge up the hierarchy does not keep it: a fresh
    build would not have made it. Each statement is completed with what to do with ``n``."""
    return [f"MATCH (n:{label}) WHERE NOT EXISTS {{ MATCH (n)<--() }}" for label in HIERARCHY]


def count_statements() -> list[tuple[str, str]]:
    """One count query per label and relationship type, in schema order."""
    return [
        *((spec.label, f"MATCH (n:{spec.label}) RETURN count(n) AS n") for spec in NODE_TYPES),
        *((rel.type, f"MATCH ()-[r:{rel.type}]->() RETURN count(r) AS n") for rel in REL_TYPES),
    ]


#: a clause word, not a name that spells one: a property ("n.set"), a parameter ("$load") or a
#: column alias ("RETURN p.id AS create") is no clause
_WRITE_CLAUSE = re.compile(
    r"(?<![.$\w])(?<!\bAS\s)(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|ALTER|LOAD|COPY|IMPORT|INSTALL|FOREACH)\b",
    re.IGNORECASE,
)
#: how a statement that only reads begins; anything else (CHECKPOINT, EXPORT DATABASE, BEGIN, a
#: setting) is refused in read-only mode, whatever it is called
_READ_START = re.compile(r"\s*(?:(?:EXPLAIN|PROFILE)\s+)?(?:MATCH|OPTIONAL\s+MATCH|WITH|UNWIND|RETURN|CALL|SHOW)\b", re.IGNORECASE)
#: a procedure ("CALL create_fts_index(...)", "CALL db.clearQueryCaches()") or a setting ("CALL threads = 1")
_CALL = re.compile(r"\bCALL\s+([\w.]+)\s*([(=])", re.IGNORECASE)
#: the words of a procedure's name that say it changes the database (not "current_setting")
_WRITE_WORDS = frozenset("create drop clear delete remove set merge install load project import export".split())


#: clauses refused in read-only mode that do more than change the graph, and what they do
_REACHES_OUT = {
    "LOAD": "reads files or extensions on this machine",
    "COPY": "copies files into the graph or the graph out to files",
    "EXPORT": "writes the graph out to files",
    "INSTALL": "installs an extension",
}


#: words that begin a statement that is not a read, on either store
_NOT_READS = frozenset(
    "CREATE MERGE DELETE DETACH SET REMOVE DROP ALTER FOREACH IMPORT CHECKPOINT BEGIN COMMIT ROLLBACK "
    "ATTACH USE UNINSTALL CALL GRANT DENY REVOKE START STOP TERMINATE ENABLE".split()
) | _REACHES_OUT.keys()


#: how to allow a write, for a user of the command line and of the library alike
READ_ONLY = "queries are read-only unless writes are allowed (kg query --write; write=True in Python)"


def refusal(clause: str) -> str:
    """Why a read-only query may not run ``clause``: what the clause would do."""
    word = clause.split()[0]
    if word not in _NOT_READS:  # a typo ("MATC") or a statement no one listed
        return f"{word} is not how a read begins (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL or SHOW)"
    return f"{clause} {_REACHES_OUT.get(word, 'writes to the graph')}"


def strip_comments_and_strings(cypher: str) -> str:
    """Cypher with comments and string literals blanked, for looking at its clauses."""
    without_comments = re.sub(r"//[^\n]*|/\*.*?\*/", " ", cypher, flags=re.DOTALL)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", "''", without_comments)


def write_clause(cypher: str) -> str | None:
    """The first clause that would write, if any; for refusing writes in read-only mode."""
    plain = strip_comments_and_strings(cypher)
    for statement in plain.split(";"):
        if statement.strip() and not _READ_START.match(statement):
            return statement.split()[0].upper()
    if match := _WRITE_CLAUSE.search(plain):
        return match.group(1).upper()
    for call in _CALL.finditer(plain):
        words = re.findall(r"[A-Z]+(?![a-z])|[A-Za-z][a-z]*", call.group(1))
        if call.group(2) == "=" or _WRITE_WORDS & {w.lower() for w in words}:
            return f"CALL {call.group(1)}"
    return None
