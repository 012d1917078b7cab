"""The embedded store: LadybugDB, a graph database in a file that speaks Cypher.

No server: the database lives in ``<db>/graph.lbug``. It is the default store.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from kg.errors import QueryCancelled, QueryError, StoreUnavailable
from kg.iterutil import chunked
from kg.schema import META, NODE_TYPES, REL_TYPES, node_type
from kg.store import cypher
from kg.store.base import CANCELLED, Cancellation, GraphStore, Progress, QueryResult

DB_FILE = "graph.lbug"
_INTERNAL = ("_ID", "_LABEL", "_SRC", "_DST")
#: a column type as table_info names it, where the schema spells it otherwise
_TABLE_INFO_TYPES = {"BOOLEAN": "BOOL"}
#: Neo4j's idioms that LadybugDB reads otherwise, with what to write instead: a user coming from
#: Neo4j should get a pointer, not a bare "function TYPE does not exist"
_DIALECT_HINTS = (
    ("function TYPE does not exist", "a relationship's type is label(r) on the embedded store"),
    (
        r"function TO(?:INTEGER|FLOAT|STRING|BOOLEAN) does not exist",
        "convert with CAST(x AS INT64), CAST(x AS DOUBLE), CAST(x AS STRING) or CAST(x AS BOOLEAN) "
        "on the embedded store",
    ),
    (r"function \+\((?:STRING,\w+|\w+,STRING)\)", "to join text and a number, convert the number with CAST(x AS STRING) on the embedded store"),
    ("function SPLIT does not exist", "split a string with string_split(text, separator) on the embedded store"),
    ("1-based position", "lists count from 1 on the embedded store: the first item is list[1]"),
    ("vector with ANY type", "an empty list parameter has no type of its own on the embedded store: write CAST($x AS STRING[])"),
)
#: "labels(n)[0]" runs on LadybugDB, where labels(n) is one string, and answers "": refuse it
_INDEXED_LABELS = re.compile(r"\blabels\s*\(\s*\w+\s*\)\s*\[", re.IGNORECASE)


def plain(value: Any) -> Any:
    """Nodes and relationships as property dicts with their label, like the Neo4j store gives."""
    if isinstance(value, dict) and "_LABEL" in value:
        out = {k: v for k, v in value.items() if k not in _INTERNAL and v is not None}
        key = "_type" if "_SRC" in value else "_label"
        return {key: value["_LABEL"], **out}
    if isinstance(value, dict) and "_NODES" in value and "_RELS" in value:  # a path
        return {"nodes": [plain(n) for n in value["_NODES"]], "relationships": [plain(r) for r in value["_RELS"]]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


#: The longest query text, and the deepest nesting of brackets, the embedded store is given.
#: LadybugDB 0.22 parses by recursion and kills the whole process (SIGSEGV), `kg serve` with it,
#: on a query of 10,000 terms ("RETURN 1+1+...", 20,000 characters; 8,000 took 6.6 s) or lists
#: nested 1,000 deep (400 took 35 s): no timeout can stop that, so such a query is refused.
MAX_QUERY_CHARS = 10_000
MAX_NESTING = 64


def _check_engine_limits(statement: str) -> None:
    if len(statement) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(statement):,} characters long; the embedded store takes at most "
            f"{MAX_QUERY_CHARS:,} (far longer ones crash it): pass long values as parameters"
        )
    # only a statement with that many brackets at all is tokenized: every load batch comes here
    opening = statement.count("(") + statement.count("[") + statement.count("{")
    if opening > MAX_NESTING and (depth := cypher.nesting_depth(statement)) > MAX_NESTING:
        raise QueryError(
            f"the query nests brackets {depth:,} deep; the embedded store takes at most {MAX_NESTING} "
            "levels (far deeper ones crash it)"
        )


class EmbeddedStore(GraphStore):
    name = "embedded"
    typed_parameters = True

    def __init__(self, path: Path, *, read_only: bool = False, existing: bool = False, buffer_pool_mb: int = 1024) -> None:
        import ladybug

        self.path = Path(path)
        self.read_only = read_only
        self.buffer_pool_mb = buffer_pool_mb
        #: held while a stop interrupts, a query starts or ends, or the store closes: see `_interrupt`
        self._stop_lock = threading.Lock()
        #: the cancellable query running now (a number per query), if any
        self._running: int | None = None
        self._queries = 0
        db_file = self.path / DB_FILE
        if (read_only or existing) and not db_file.exists():
            raise StoreUnavailable(
                f"no graph at {self.path}; build one first with `kg build` (or pass --db PATH)"
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = _share_database(self.path, read_only=read_only, buffer_pool_mb=buffer_pool_mb)
        except MemoryError as e:
            raise StoreUnavailable(
                f"cannot open the graph at {self.path}: this machine cannot give its page memory of "
                f"{buffer_pool_mb:,} MiB; lower KG_BUFFER_POOL_MB"
            ) from e
        except (RuntimeError, OSError) as e:
            message = str(e).split("\n")[0]
            if "lock" in message.lower():
                raise StoreUnavailable(
                    f"the graph at {self.path} is in use by another kg process; wait for it or stop it"
                ) from e
            if "buffer pool" in message.lower():
                message += f" (its page memory is {buffer_pool_mb:,} MiB; raise KG_BUFFER_POOL_MB)"
            raise StoreUnavailable(f"cannot open the graph at {self.path}: {message}") from e
        try:
            self._conn = ladybug.Connection(self._db.database)
        except BaseException:
            _let_go(self._db, None)
            raise
        # the database is let go when the store closes, or, left open, when it is collected
        self._release = weakref.finalize(self, _let_go, self._db, self._conn)
        if not read_only and not self.run("CALL show_tables() RETURN name").rows:
            # a new graph answers queries with no rows, not "Table Paper does not exist"; a graph
            # with tables gets this schema's only once it is checked to be this kg's (`_ensure_schema`)
            self.setup_schema()

    def _explain(self, message: str) -> str:
        # one line: without the page of function signatures a type mismatch lists
        message = " ".join(re.split(r" Supported inputs are|\nExpected:", message)[0].split())
        if "buffer pool is full" in message.lower() or "unable to allocate memory" in message.lower():
            return (
                f"the embedded database ran out of page memory ({self.buffer_pool_mb} MiB); "
                "set KG_BUFFER_POOL_MB higher, or narrow the query"
            )
        for error, hint in _DIALECT_HINTS:
            if re.search(error, message, re.IGNORECASE):
                return f"{message} ({hint}; README: Cypher on the two stores)"
        return message

    def run(
        self,
        statement: str,
        parameters: dict[str, Any] | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
        max_rows: int | None = None,
        cancel: Cancellation | None = None,
    ) -> QueryResult:
        if not self._release.alive:
            raise StoreUnavailable(f"the store of {self.path} is closed; open it again with kg.open_store")
        if write and self.read_only:  # its database may be open for writing by another store of this process
            raise QueryError("the store was opened read-only; open one with kg.open_store(settings) to change the graph")
        _check_engine_limits(statement)
        if not write:
            cypher.check_read(statement)
        if _INDEXED_LABELS.search(statement):
            raise QueryError(
                "labels(n) is one label, a string, on the embedded store, so labels(n)[0] would answer ''; "
                "write label(n) (README: Cypher on the two stores)"
            )
        self._conn.set_query_timeout(int(timeout * 1000) if timeout else 0)
        try:
            with self._interruptible(cancel) if cancel else nullcontext():
                result = self._conn.execute(statement, parameters or {})
        except RuntimeError as e:
            message = str(e).strip()
            if cancel and cancel.cancelled and "interrupt" in message.lower():
                raise QueryCancelled(CANCELLED) from e
            if timeout and "interrupt" in message.lower():
                raise QueryError(f"the query ran longer than {timeout:g} s and was stopped (--timeout)") from e
            raise QueryError(self._explain(message)) from e
        finally:
            self._conn.set_query_timeout(0)
        if isinstance(result, list):  # several statements: the last one answers
            result = result[-1]
        columns = list(result.get_column_names())
        if columns == ["explain result"]:  # EXPLAIN and PROFILE answer with the plan drawn as text
            return QueryResult([], [], plan=str(result.get_next()[0]) if result.has_next() else "")
        rows = []
        while result.has_next():
            if max_rows is not None and len(rows) >= max_rows:
                return QueryResult(columns, rows, truncated=True)
            rows.append([plain(v) for v in result.get_next()])
        return QueryResult(columns, rows)

    @contextmanager
    def _interruptible(self, cancel: Cancellation) -> Iterator[None]:
        """Connection.interrupt, from another thread, is the engine's documented way to stop a
        query; the query then fails with "Interrupted"."""
        with self._stop_lock:
            self._queries += 1
            query = self._running = self._queries
        try:
            with cancel.stopping(lambda: self._interrupt(query)):
                yield
        finally:
            with self._stop_lock:
                self._running = None

    def _interrupt(self, query: int) -> None:
        """Interrupt ``query`` if it still runs. A `Cancellation` may call this late, from its own
        thread: an interrupt for a query that has ended would stop the connection's next one, and
        the connection may have closed since."""
        with self._stop_lock:  # interrupt only sets a flag: nothing waits long for this lock
            if self._running == query:
                self._conn.interrupt()

    def _put_nodes(self, label: str, rows: list[dict[str, Any]], progress: Progress | None) -> None:
        """Create the nodes the store does not hold and update the others, each found by its key:
        LadybugDB reads the whole table for a MERGE by key (`cypher.create_nodes`)."""
        key = node_type(label).key
        for batch in chunked(rows, self.batch_size):
            found = self.run(cypher.stored_keys(label), {"keys": [row[key] for row in batch]}).rows
            held = {row[0] for row in found}
            new = [row for row in batch if row[key] not in held]
            if new:
                self.run(cypher.create_nodes(label, typed=True), {"rows": new}, write=True)
            if len(new) < len(batch):
                old = [row for row in batch if row[key] in held]
                self.run(cypher.update_nodes(label, typed=True), {"rows": old}, write=True)
            if progress:
                progress(len(batch))

    def _put_relationships(self, type_: str, rows: list[dict[str, Any]], progress: Progress | None) -> None:
        """CREATE, not MERGE, which LadybugDB checks by reading every relationship of one end
        (`cypher.create_relationships`). Safe here: the load's deletes have run, and a statement
        is not retried, so none can be written twice."""
        self.run_batches(cypher.create_relationships(type_, typed=True), rows, progress)

    @property
    def location(self) -> str:
        return f"the graph at {self.path}"

    def setup_schema(self) -> None:
        """Create missing tables, and add the columns a newer schema has to older ones."""
        for statement in cypher.embedded_ddl():
            self.run(statement, write=True)
        tables = [(spec.label, spec.all_properties) for spec in (*NODE_TYPES, META)]
        tables += [(rel.type, rel.properties) for rel in REL_TYPES]
        for table, properties in tables:
            info = self.run(f"CALL table_info('{table}') RETURN *")  # names from the schema only
            existing = {row[1] for row in info.rows}
            for name, type_ in properties:
                if name not in existing:
                    self.run(f"ALTER TABLE {table} ADD {name} {type_}", write=True)

    def missing_schema(self) -> list[str]:
        """Every table, column (with its type) and relationship table's ends the schema names."""
        tables = {row[0]: row[1] for row in self.run("CALL show_tables() RETURN name, type").rows}
        wanted = [(spec.label, "NODE", spec.all_properties, None) for spec in NODE_TYPES]
        wanted += [(rel.type, "REL", rel.properties, [rel.source, rel.target]) for rel in REL_TYPES]
        missing = []
        for table, kind, properties, ends in wanted:
            if tables.get(table) != kind:
                missing.append(f"{kind.lower()} table {table}")
                continue
            held = {row[1]: row[2] for row in self.run(f"CALL table_info('{table}') RETURN *").rows}  # names from the schema only
            missing += [
                f"column {table}.{name} {type_}"
                for name, type_ in properties
                if held.get(name) != _TABLE_INFO_TYPES.get(type_, type_)
            ]
            if ends and [ends] != [row[:2] for row in self.run(f"CALL show_connection('{table}') RETURN *").rows]:
                missing.append(f"rel table {table} from {ends[0]} to {ends[1]}")
        return missing

    def close(self) -> None:
        with self._stop_lock:  # not while a stop interrupts; any later one finds no query running
            self._running = None
            if hasattr(self, "_release"):
                self._release()


class _SharedDatabase:
    """One database file this process has open, and how many stores use it."""

    def __init__(self, database: Any, *, read_only: bool, key: Path) -> None:
        self.database = database
        self.read_only = read_only
        self.key = key
        self.users = 0


#: The database files open in this process, by resolved path. LadybugDB's lock on a file keeps
#: other processes out, not a second Database of the same process, and two Database objects of
#: one file each write it as if alone: a `kg.build` while a notebook held a store of the same
#: graph lost the build's papers when the held store closed, or left the file unreadable. So the
#: stores of one graph share its Database, each with a connection of its own.
_OPEN: dict[Path, _SharedDatabase] = {}
_OPEN_LOCK = threading.Lock()


def _share_database(path: Path, *, read_only: bool, buffer_pool_mb: int) -> _SharedDatabase:
    """The open database of the graph at ``path``, opened if no store of this process has it."""
    import ladybug

    key = (path / DB_FILE).resolve()
    with _OPEN_LOCK:
        shared = _OPEN.get(key)
        if shared is None:
            database = ladybug.Database(str(key), read_only=read_only, buffer_pool_size=buffer_pool_mb * 1024 * 1024)
            shared = _OPEN[key] = _SharedDatabase(database, read_only=read_only, key=key)
        elif shared.read_only and not read_only:
            raise StoreUnavailable(
                f"the graph at {path} is open read-only in this process (a store of kg.open_store(..., "
                "read_only=True), or a query in another thread); close that store, or wait for the query, "
                "before writing to it"
            )
        shared.users += 1
        return shared


def _let_go(shared: _SharedDatabase, conn: Any) -> None:
    """Close a store's connection, and the database once no store of this process uses it."""
    if conn is not None:
        conn.close()
    with _OPEN_LOCK:
        shared.users -= 1
        if shared.users == 0:
            del _OPEN[shared.key]
            shared.database.close()
