"""Cypher generated from the schema: DDL for each store, and the batched load statements.

Labels and relationship types cannot be query parameters, so they come only
from `kg.schema` (checked by `node_type` / `rel_type`); every value goes as a
parameter in ``$rows`` or ``$ids``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QueryError
from kg.schema import (
    COMPUTED_PROPERTIES,
    ENTITY_LABELS,
    HIERARCHY,
    META,
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
    """Node and relationship tables for the embedded store (and the table of the graph's own
    record, `META`), created only if missing."""
    statements = []
    for spec in (*NODE_TYPES, META):
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
    """A uniqueness constraint on each label's key (and `META`'s) and one full-text index, if missing."""
    return [statement for _, statement in _neo4j_schema()]


def neo4j_schema_names(*, meta: bool = True) -> list[str]:
    """The names of the constraints and indexes `neo4j_ddl` makes; without ``meta``, those a
    graph had before it recorded its schema version (`kg.store.version`)."""
    return [name for name, _ in _neo4j_schema(meta=meta)]


def _neo4j_schema(*, meta: bool = True) -> list[tuple[str, str]]:
    statements = [
        (
            f"{spec.label.lower()}_{spec.key}_unique",
            f"CREATE CONSTRAINT {spec.label.lower()}_{spec.key}_unique IF NOT EXISTS "
            f"FOR (n:{spec.label}) REQUIRE n.{spec.key} IS UNIQUE",
        )
        for spec in ((*NODE_TYPES, META) if meta else NODE_TYPES)
    ]
    statements.append(("paper_title_key", "CREATE INDEX paper_title_key IF NOT EXISTS FOR (n:Paper) ON (n.title_key)"))
    # what a reload deletes by paper id (`delete_paper_facts`), so it seeks rather than scans
    statements.append(("result_paper_id", "CREATE INDEX result_paper_id IF NOT EXISTS FOR (n:Result) ON (n.paper_id)"))
    statements += [
        (
            f"{rel.type.lower()}_paper_id",
            f"CREATE INDEX {rel.type.lower()}_paper_id IF NOT EXISTS FOR ()-[r:{rel.type}]-() ON (r.paper_id)",
        )
        for rel in REL_TYPES
        if rel.source != "Paper" and not rel.hierarchy
    ]
    labels, properties = fulltext_fields()
    statements.append(
        (
            FULLTEXT_INDEX,
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{'|'.join(labels)}) "
            f"ON EACH [{', '.join(f'n.{p}' for p in properties)}]",
        )
    )
    return statements


def _value(name: str, type_: str, *, typed: bool) -> str:
    # The embedded store infers a parameter's type from its values; a batch in
    # which a column is all null would otherwise be taken for STRING.
    return f"CAST(row.{name} AS {type_})" if typed and type_ != STRING else f"row.{name}"


def _node_sets(spec: NodeType, *, typed: bool) -> str:
    return ", ".join(
        f"n.{name} = {_value(name, type_, typed=typed)}"
        for name, type_ in spec.properties
        if name not in COMPUTED_PROPERTIES
    )


def merge_nodes(label: str, *, typed: bool) -> str:
    spec: NodeType = node_type(label)
    return f"UNWIND $rows AS row MERGE (n:{spec.label} {{{spec.key}: row.{spec.key}}}) SET {_node_sets(spec, typed=typed)}"


def stored_keys(label: str) -> str:
    """Which of the keys in ``$keys`` the store holds a node of, each looked up by its key."""
    spec = node_type(label)
    return f"UNWIND $keys AS k MATCH (n:{spec.label} {{{spec.key}: k}}) RETURN n.{spec.key}"


def create_nodes(label: str, *, typed: bool) -> str:
    """New nodes, for rows whose key the store does not hold (`stored_keys`).

    The embedded store does not MERGE its nodes: LadybugDB 0.22 plans ``UNWIND $rows AS row MERGE (n:L {key:
    row.key})`` as a scan of the whole table for every batch, joined with the batch, not as a
    lookup by the key (on a graph of 100k papers, 4 s for a batch of 500 results), while a MATCH
    or CREATE by the key goes through its index."""
    spec: NodeType = node_type(label)
    return f"UNWIND $rows AS row CREATE (n:{spec.label} {{{spec.key}: row.{spec.key}}}) SET {_node_sets(spec, typed=typed)}"


def update_nodes(label: str, *, typed: bool) -> str:
    """New values onto nodes the store holds (`stored_keys`), found by their key."""
    spec: NodeType = node_type(label)
    return f"UNWIND $rows AS row MATCH (n:{spec.label} {{{spec.key}: row.{spec.key}}}) SET {_node_sets(spec, typed=typed)}"


def set_computed(label: str, *, typed: bool) -> str:
    """Write analytics results (degree, PageRank, community) onto existing nodes."""
    spec = node_type(label)
    types = dict(spec.properties)
    sets = ", ".join(f"n.{name} = {_value(name, types[name], typed=typed)}" for name in sorted(COMPUTED_PROPERTIES))
    return f"UNWIND $rows AS row MATCH (n:{spec.label} {{{spec.key}: row.key}}) SET {sets}"


def mark_papers_pending() -> str:
    """The first write of a reload, before its deletes: a paper whose old facts are going is no
    longer loaded, so a load killed after the deletes is redone by the next build, not skipped."""
    return "UNWIND $ids AS id MATCH (p:Paper {id: id}) SET p.content_hash = null"


def mark_papers_loaded() -> str:
    """The last write of a load: a paper with its hash set has all its facts in the store."""
    return "UNWIND $rows AS row MATCH (p:Paper {id: row.id}) SET p.content_hash = row.content_hash"


def _relationship_ends(rel: RelType) -> str:
    source, target = node_type(rel.source), node_type(rel.target)
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{source.label} {{{source.key}: row.source}}) "
        f"MATCH (b:{target.label} {{{target.key}: row.target}}) "
    )


def _relationship_sets(rel: RelType, *, typed: bool) -> str:
    return ", ".join(f"r.{name} = {_value(name, t, typed=typed)}" for name, t in rel.properties if name != "paper_id")


def merge_relationships(type_: str, *, typed: bool) -> str:
    rel: RelType = rel_type(type_)
    return (
        f"{_relationship_ends(rel)}"
        f"MERGE (a)-[r:{rel.type} {{paper_id: row.paper_id}}]->(b) SET {_relationship_sets(rel, typed=typed)}"
    )


def create_relationships(type_: str, *, typed: bool) -> str:
    """A load's relationships, each created between its two ends found by their keys: how the
    embedded store writes them (Neo4j MERGEs, which a retried transaction needs).

    Not MERGE: none of them can be in the store by then (each names a paper of the load, whose
    earlier facts the load has deleted, or goes up a hierarchy from a node of the load, whose
    edges up it has deleted), and LadybugDB 0.22 checks a MERGE's relationship by reading, for
    each row, every relationship of the end whose table is smaller: a metric, technique or device
    that tens of thousands of results and papers point at. That took page memory and time that
    grew with the graph (on 100k papers, one batch of 500 INSTANCE_OF rows joined 14.5 million
    pairs in 11 s; a build with 512 MiB of page memory failed half way)."""
    rel: RelType = rel_type(type_)
    return (
        f"{_relationship_ends(rel)}"
        f"CREATE (a)-[r:{rel.type} {{paper_id: row.paper_id}}]->(b) SET {_relationship_sets(rel, typed=typed)}"
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


def read_meta() -> str:
    """The schema version the graph records and whether an upgrade is part way (no row: none)."""
    return f"MATCH (m:{META.label} {{{META.key}: $id}}) RETURN m.schema_version AS version, m.upgrading AS upgrading"


def write_meta(*, only_if_missing: bool = False) -> str:
    """Record ``$version`` and ``$upgrading`` as the graph's; with ``only_if_missing``, only where
    the graph records nothing yet (a load into a graph emptied by hand since it was checked)."""
    sets = "m.schema_version = $version, m.upgrading = $upgrading"
    return f"MERGE (m:{META.label} {{{META.key}: $id}}) {'ON CREATE SET' if only_if_missing else 'SET'} {sets}"


def count_statements() -> list[tuple[str, str]]:
    """One count query per label and relationship type, in schema order."""
    return [
        *((spec.label, f"MATCH (n:{spec.label}) RETURN count(n) AS n") for spec in NODE_TYPES),
        *((rel.type, f"MATCH ()-[r:{rel.type}]->() RETURN count(r) AS n") for rel in REL_TYPES),
    ]


#: what a clause refused in read-only mode does, when it is more than a change to the graph
_REACHES_OUT = {
    "LOAD": "reads files or extensions on this machine",
    "COPY": "copies files into the graph or the graph out to files",
    "EXPORT": "writes the graph out to files",
    "IMPORT": "reads files into the graph",
    "INSTALL": "installs an extension",
    "UNINSTALL": "removes an extension",
    "CHECKPOINT": "writes the database's log to its files",
    "ATTACH": "opens another database",
    "USE": "switches to another database",
    "TERMINATE": "stops other clients' queries",
    "START": "starts a database",
    "STOP": "stops a database",
    "GRANT": "changes who may do what",
    "DENY": "changes who may do what",
    "REVOKE": "changes who may do what",
    "ENABLE": "changes a server",
    "BEGIN": "opens a transaction",
    "COMMIT": "commits a transaction",
    "ROLLBACK": "rolls back a transaction",
}


#: how to allow a write, for a user of the command line and of the library alike
READ_ONLY = "queries are read-only unless writes are allowed (kg query --write; write=True in Python)"


def refusal(clause: str) -> str:
    """Why a read-only query may not run ``clause`` (from `write_clause`): what the clause would do."""
    word = clause.split()[0]
    if word == "\\r":
        return "a carriage return that ends no line (\\r) is read differently by the two stores; end lines with \\n"
    if clause == "CALL (...)":
        return "CALL (...) takes only the variables a subquery imports, then { ... }"
    if clause == "CALL":
        return "CALL needs a procedure or a subquery { ... } after it (a name that spells it goes in backticks: `call`)"
    if word == "CALL":
        return f"{clause} is not a procedure a read may call (those are: {', '.join(sorted(READ_PROCEDURES))})"
    if word == "SHOW":
        return f"{clause} shows more than the schema (a read may show indexes, constraints, functions or procedures)"
    if word == "CYPHER":
        return "CYPHER takes a version and option=value pairs, then a read"
    if word not in _NOT_IN_A_READ | _COMMANDS:  # a typo ("MATC") or a statement no one listed
        return f"{word} is not how a read begins (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL or SHOW)"
    return f"{clause} {_REACHES_OUT.get(word, 'writes to the graph')}"


@dataclass(frozen=True)
class Token:
    """A piece of Cypher: a word, a string, a `quoted name`, a $parameter, a number or a symbol."""

    kind: str
    text: str


#: one statement's pieces
Statement = tuple[Token, ...]

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # ASCII: a letter kg does not know splits a word, never joins one
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_QUOTED_NAME = re.compile(r"`[^`]*`")
_DIGITS = re.compile(r"\d+")  # a numbered parameter: $0
#: Java's unicode escapes, which Neo4j decodes before it reads a query ("\u0027" is a quote
#: anywhere, even in a keyword); an escaped backslash does not start one
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")


def tokens(cypher: str, *, line_ends: str = "\n", open_cypher_comments: bool = False) -> list[Token]:
    """The pieces of ``cypher``, comments left out, as one reading of it takes them.

    ``open_cypher_comments``: a block comment ends as openCypher's grammar (and LadybugDB) says, at
    a "*/" whose star does not follow another star it pairs with ("/* a **/ b */" is one comment),
    not at the first "*/" (Neo4j)."""
    found: list[Token] = []
    i, n = 0, len(cypher)
    while i < n:
        c = cypher[i]
        if c.isspace():
            i += 1
        elif cypher.startswith("//", i):
            while i < n and cypher[i] not in line_ends:
                i += 1
        elif cypher.startswith("/*", i):
            i = _comment_end(cypher, i + 2, open_cypher_comments)
        elif c in "'\"`":
            j = i + 1
            while j < n and cypher[j] != c:
                j += 2 if c != "`" and cypher[j] == "\\" else 1  # both stores read "\'" as a quote in the text
            found.append(Token("name" if c == "`" else "string", cypher[i : j + 1]))
            i = j + 1
        elif c == "$" and (word := _WORD.match(cypher, i + 1) or _QUOTED_NAME.match(cypher, i + 1) or _DIGITS.match(cypher, i + 1)):
            found.append(Token("param", word.group().strip("`")))
            i = word.end()
        elif word := _WORD.match(cypher, i):
            found.append(Token("word", word.group()))
            i = word.end()
        elif number := _NUMBER.match(cypher, i):
            found.append(Token("number", number.group()))
            i = number.end()
        else:
            found.append(Token("symbol", c))
            i += 1
    return found


def nesting_depth(cypher: str) -> int:
    """How deep ``cypher``'s brackets, braces and parentheses nest, outside strings and comments."""
    depth = deepest = 0
    for token in tokens(cypher):
        if token.kind == "symbol" and token.text in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "symbol" and token.text in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _comment_end(cypher: str, i: int, open_cypher: bool) -> int:
    """Where the block comment whose text starts at ``i`` ends."""
    if not open_cypher:
        close = cypher.find("*/", i)
        return len(cypher) if close < 0 else close + 2
    while i < len(cypher):
        if cypher[i] != "*":
            i += 1
        elif cypher.startswith("*/", i):
            return i + 2
        else:
            i += 2  # a star and the character after it, which is not "/"
    return len(cypher)


def _readings(cypher: str) -> Iterator[list[Token]]:
    """``cypher`` as each store might read it: unicode escapes decoded first or not (Neo4j does), a
    "//" comment ended by a newline only or by any line break, a block comment ended as Neo4j or as
    LadybugDB ends it. A query is a read only if it is one on every reading."""
    decoded = _UNICODE_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), cypher)
    for text in dict.fromkeys((cypher, decoded)):
        # only what the text can be read differently by (a query without comments is read once);
        # a "\r" that ends no line never gets here (`write_clause` refuses it)
        for line_ends in ("\n", "\n\r\u2028\u2029\x85") if "//" in text else ("\n",):
            for open_cypher in (False, True) if "/*" in text else (False,):
                yield tokens(text, line_ends=line_ends, open_cypher_comments=open_cypher)


def _statements(pieces: list[Token]) -> tuple[Statement, ...]:
    statements: list[list[Token]] = [[]]
    for piece in pieces:
        if piece.kind == "symbol" and piece.text == ";":
            statements.append([])
        else:
            statements[-1].append(piece)
    return tuple(tuple(statement) for statement in statements if statement)


@functools.lru_cache(maxsize=8)
def _read(cypher: str) -> tuple[tuple[Statement, ...], ...]:
    """The statements of each reading of ``cypher``, kept for the checks one query goes through
    (its statements, its parameters, the read check in kg serve and again in the store)."""
    return tuple(_statements(reading) for reading in _readings(cypher))


def statement_count(cypher: str) -> int:
    """How many statements ``cypher`` holds, on the reading that finds the most."""
    return max(len(statements) for statements in _read(cypher))


def parameters(cypher: str) -> set[str]:
    """The names of the $parameters ``cypher`` reads (not those inside its strings or comments), on
    any reading ("\\u0024x" is $x to Neo4j)."""
    return {piece.text for statements in _read(cypher) for statement in statements for piece in statement if piece.kind == "param"}


#: how a statement that only reads begins; anything else (CHECKPOINT, EXPORT DATABASE, BEGIN, a
#: setting) is refused in read-only mode, whatever it is called
_READ_STARTS = frozenset("MATCH OPTIONAL WITH UNWIND RETURN CALL SHOW".split())
#: clause words that write or reach out of the graph wherever they stand in a statement
_NOT_IN_A_READ = frozenset(
    "CREATE INSERT MERGE DELETE DETACH SET REMOVE DROP ALTER RENAME FOREACH LOAD COPY IMPORT EXPORT TERMINATE USE".split()
)
#: commands that begin a statement, a subquery or a part of a UNION: there they are refused,
#: elsewhere they are names ("UNWIND list AS start"). USE is refused anywhere: Neo4j takes it after
#: a subquery's importing WITH too
_COMMANDS = frozenset("CHECKPOINT ATTACH INSTALL UNINSTALL GRANT DENY REVOKE START STOP ENABLE BEGIN COMMIT ROLLBACK".split())
#: what may follow a column alias ("RETURN p.id AS create, ..."): punctuation only, since a variable
#: may be named "as" ("UNWIND [1] AS as LOAD WITH HEADERS ..."); a clause word after AS with a
#: word after it is read as the clause it spells (write `create` in backticks to keep it a name)
_AFTER_ALIAS = frozenset(",;)}")
#: what a property access follows ("n.set", "list[0].load", "{a: 1}.copy", "n {.id, .load}"), as
#: against "1.LOAD"
_OWNERS = frozenset(")]}{,")
#: the procedures a read may call (an allowlist: a store's other table functions read files, change
#: settings or, in LadybugDB 0.22, crash the process on a bad path)
READ_PROCEDURES = frozenset(
    (
        "db.labels db.relationshiptypes db.propertykeys db.awaitindexes db.schema.visualization db.schema.nodetypeproperties "
        "db.schema.reltypeproperties db.index.fulltext.querynodes db.index.fulltext.queryrelationships "
        "dbms.components table_info show_tables show_connection query_fts_index"
    ).split()
)
#: what a SHOW that reads the schema may name (not transactions, settings, users or servers)
_SHOW_TARGETS = frozenset("INDEX INDEXES CONSTRAINT CONSTRAINTS FUNCTION FUNCTIONS PROCEDURE PROCEDURES".split())
_SHOW_WORDS = _SHOW_TARGETS | frozenset(
    "ALL BUILT IN USER DEFINED RANGE TEXT POINT LOOKUP FULLTEXT VECTOR UNIQUE UNIQUENESS NODE RELATIONSHIP REL KEY "
    "PROPERTY EXIST EXISTENCE TYPE".split()
)


def _not_a_read(statement: Statement) -> str | None:
    """The first clause of one statement that is not a read, if any."""
    words = [piece.text.upper() if piece.kind == "word" else None for piece in statement]
    first = _after_prefixes(statement, words)
    if first >= len(words):
        return words[0] or statement[0].text
    if words[0] == "CYPHER" and words[first] not in _READ_STARTS:
        return "CYPHER"  # an option it does not take, or no read after it
    begins = words[first]
    if begins not in _READ_STARTS or begins == "OPTIONAL" and words[first + 1 : first + 2] not in (["MATCH"], ["CALL"]):
        return begins or statement[first].text
    for k in range(first, len(words)):
        word = words[k]
        if word is None or _names_a_thing(statement, k) or _is_alias(statement, words, k):
            continue
        if word in _NOT_IN_A_READ:
            return word
        if word in _COMMANDS and _begins_a_query(statement, words, k):
            return word
        if word == "CALL" and (refused := _call(statement, k)):
            return refused
        if word == "SHOW" and (refused := _show(words, k)):
            return refused
    return None


def _after_prefixes(statement: Statement, words: list[str | None]) -> int:
    """Where a statement's first clause stands, past "CYPHER 5" or "CYPHER runtime=slotted" and
    "EXPLAIN" or "PROFILE"."""
    first = 0
    if words[0] == "CYPHER":
        first = 1
        while first < len(words):
            if statement[first].kind == "number":
                first += 1
            elif first + 2 < len(words) and statement[first + 1].text == "=" and statement[first + 2].kind in ("word", "number"):
                first += 3  # an option: "runtime=slotted"
            else:
                break
    return first + 1 if first < len(words) and words[first] in ("EXPLAIN", "PROFILE") else first


def _names_a_thing(statement: Statement, k: int) -> bool:
    """Whether the word at ``k`` is a name, not a clause: a property ("n.set", "list[0].load"), a
    label ("(n:Set)"), a map key ("{load: 1}") or a variable with one ("set.year", "(set:Paper)").
    "1.LOAD" is no property."""
    before = statement[k - 1].text if k else ""
    after = statement[k + 1].text if k + 1 < len(statement) else ""
    if after in (".", ":") or before == ":":
        return True
    if before != "." or k < 2:
        return False
    owner = statement[k - 2]  # "n.set", "list[0].set", "n {.id, .set}" (a map projection)
    return owner.kind in ("word", "name", "param") or owner.text in _OWNERS


def _is_alias(statement: Statement, words: list[str | None], k: int) -> bool:
    """Whether the word at ``k`` is a column alias ("RETURN p.id AS create, ..."): it follows AS
    (not a property named "as") and punctuation that ends a projection item follows it."""
    if k < 2 or words[k - 1] != "AS" or statement[k - 2].text in (".", ":"):
        return False
    return (statement[k + 1].text if k + 1 < len(statement) else ";") in _AFTER_ALIAS


def _begins_a_query(statement: Statement, words: list[str | None], k: int) -> bool:
    """Whether the word at ``k`` begins a statement, a subquery ("CALL { ...") or a part of a
    UNION, where a command word is a command."""
    if k == 0 or statement[k - 1].text == "{":
        return True
    return words[k - 1] == "UNION" or words[k - 1] == "ALL" and k > 1 and words[k - 2] == "UNION"


def _show(words: list[str | None], k: int) -> str | None:
    """A SHOW at ``k`` that shows more than the schema, as "SHOW WHAT"."""
    shown = []
    for i in range(k + 1, len(words)):
        if words[i] in (None, "YIELD", "WHERE", "RETURN"):
            break
        shown.append(words[i])
    if set(shown) <= _SHOW_WORDS and _SHOW_TARGETS & set(shown):
        return None
    return " ".join(["SHOW", *shown[:2]])


def _call(statement: Statement, k: int) -> str | None:
    """A CALL at ``k`` that is not a subquery ("CALL { ... }", "CALL (p) { ... }") nor a procedure
    that reads, as "CALL name"."""
    following = statement[k + 1].text if k + 1 < len(statement) else ""
    if following == "{" or following == "(" and _scoped_subquery(statement, k + 1):
        return None
    if following == "(":
        return "CALL (...)"
    procedure = _procedure_name(statement, k + 1)
    return None if procedure.lower() in READ_PROCEDURES else f"CALL {procedure}".strip()


def _scoped_subquery(statement: Statement, opening: int) -> bool:
    """Whether the "(" at ``opening`` holds only the variables a subquery imports and a "{" follows:
    "CALL (p, q) { ... }", "CALL (*) { ... }"."""
    i = opening + 1
    while i < len(statement) and (statement[i].kind == "word" or statement[i].text in (",", "*")):
        i += 1
    return i + 1 < len(statement) and statement[i].text == ")" and statement[i + 1].text == "{"


def _procedure_name(statement: Statement, start: int) -> str:
    """The dotted name that starts at ``start``: "db.index.fulltext.queryNodes"."""
    parts: list[str] = []
    i = start
    while i < len(statement) and statement[i].kind == "word":
        parts.append(statement[i].text)
        if i + 2 < len(statement) and statement[i + 1].text == "." and statement[i + 2].kind == "word":
            i += 2
        else:
            break
    return ".".join(parts)


def check_read(cypher: str, *, how_to_write: str = READ_ONLY) -> None:
    """Refuse, in words, a query that is not a read; each store runs this before a read, and
    `kg serve` before it takes its turn (with its own ``how_to_write``)."""
    if clause := write_clause(cypher):
        word = clause.split()[0].lower()
        named = re.search(rf"\bAS\s+{re.escape(word)}\b", cypher, re.IGNORECASE) if word.isalpha() else None
        hint = f" (to use {word} as a name, write it in backticks: `{word}`)" if named else ""
        raise QueryError(f"{refusal(clause)}{hint}; {how_to_write}")


#: a carriage return that ends no line: LadybugDB's lexer then reads "//" as no comment at all
_LONE_CR = re.compile(r"\r(?!\n)")


def write_clause(cypher: str) -> str | None:
    """The first clause that is not a read, if any, for refusing it in read-only mode: on every
    reading of the query a store might take, each statement must begin as a read, hold no clause
    that writes, reaches out of the graph or runs a command, and call only procedures that read.
    A carriage return that ends no line is refused outright ("\\r"): what the stores make of it
    differs more than a reading can follow."""
    if _LONE_CR.search(cypher):
        return "\\r"
    for statements in _read(cypher):
        for statement in statements:
            if clause := _not_a_read(statement):
                return clause
    return None
