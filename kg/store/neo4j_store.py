"""The Neo4j store, through the official driver.

Writes go through managed transactions (``execute_write``), which the driver
retries on transient errors; a read runs once, in a transaction of a READ
session, where Neo4j itself refuses any write.
"""

from __future__ import annotations

import logging
import re
import uuid
import warnings
from contextlib import nullcontext
from typing import Any

from kg.errors import AuthError, QueryCancelled, QueryError, StoreUnavailable
from kg.store import cypher
from kg.store.base import CANCELLED, Cancellation, GraphStore, QueryResult

#: the key of the transaction metadata that names a cancellable query to `_terminate`
_CANCEL_KEY = "kg_cancel"
#: seconds one attempt to stop a query waits for a connection to a server that does not answer
#: (the driver's own default is 60 s): `kg serve`'s Cancel waits 5 s for the query to stop
STOP_TIMEOUT = 2.0

# `QueryResult.warnings` come from the GQL status objects: stable in driver 6, which deprecates
# the older notifications, and a preview in 5.x that warns on every query, into a user's stderr.
# One way serves both majors once that warning is hushed, by its text and for this module only
# (its category moved between 5 and 6, and naming it would import the driver before it is used).
warnings.filterwarnings("ignore", message="GQLSTATUS support is a preview feature", module=re.escape(__name__))


def plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships become property dicts."""
    from neo4j import graph as neo4j_graph

    if isinstance(value, neo4j_graph.Node):
        return {"_label": next(iter(value.labels), None), **dict(value)}
    if isinstance(value, neo4j_graph.Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, neo4j_graph.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # a date, time or duration ("P1D"), not the tuple a Duration is
        return value.iso_format()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Neo4jStore(GraphStore):
    name = "neo4j"

    def __init__(self, driver: Any, *, database: str | None = None, uri: str = "", stop_driver: Any = None) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        #: the driver `_terminate` stops queries through (`connect` makes one with short timeouts)
        self.stop_driver = driver if stop_driver is None else stop_driver

    def _transaction(
        self,
        statement: str,
        parameters: dict[str, Any],
        timeout: float | None,
        max_rows: int | None,
        metadata: dict[str, str] | None = None,
    ) -> Any:
        from neo4j import unit_of_work

        @unit_of_work(timeout=timeout, metadata=metadata)
        def work(tx: Any) -> QueryResult:
            result = tx.run(statement, parameters)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([plain(v) for v in record.values()])
            summary = result.consume()  # a PROFILE's plan comes with the summary, rows cut or not
            plan = summary.profile or summary.plan
            warnings = [
                status.status_description.removeprefix("warn: ")
                for status in summary.gql_status_objects
                if status.is_notification and status.raw_severity == "WARNING"
            ]
            return QueryResult(
                columns, rows, truncated=truncated, plan=_plan_text(plan) if plan else None, warnings=list(dict.fromkeys(warnings))
            )

        return work

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
        from neo4j import exceptions

        if not write:
            cypher.check_read(statement)  # a READ session still runs LOAD CSV, TERMINATE, dbms procedures
        # a cancellable query's transaction carries a name of its own, for `_terminate` to find it by
        tag = uuid.uuid4().hex if cancel else None
        metadata = {_CANCEL_KEY: tag} if tag else None
        work = self._transaction(statement, parameters or {}, timeout, max_rows, metadata)
        try:
            with (
                cancel.stopping(lambda: self._terminate(tag)) if cancel and tag else nullcontext(),
                self.driver.session(database=self.database, default_access_mode="READ" if not write else "WRITE") as session,
            ):
                if write:
                    return session.execute_write(work)
                # A read runs once: retrying a query that ran out of memory only fails again, later.
                with session.begin_transaction(timeout=timeout, metadata=metadata) as tx:
                    return work(tx)
        except exceptions.AuthError as e:
            raise AuthError(
                f"Neo4j at {self.uri} refused the credentials; check NEO4J_USER and NEO4J_PASSWORD"
            ) from e
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as e:
            if write:  # the connection was verified when the store opened: it was lost since
                raise StoreUnavailable(
                    f"lost the connection to Neo4j at {self.uri} during a write; once it answers again, "
                    "rerun the command (kg build, load and analyze rerun end in the same graph)"
                ) from e
            raise StoreUnavailable(_unreachable(self.uri)) from e
        except exceptions.Neo4jError as e:
            if cancel and cancel.cancelled and "Transaction.Terminated" in (e.code or ""):
                raise QueryCancelled(CANCELLED) from e
            if "DatabaseNotFound" in (e.code or ""):
                raise StoreUnavailable(f"Neo4j at {self.uri} has no database {self.database!r}; check NEO4J_DATABASE") from e
            if "AuthenticationRateLimit" in (e.code or ""):
                raise AuthError(_rate_limited(self.uri)) from e
            if "MemoryPoolOutOfMemoryError" in (e.code or ""):
                raise QueryError(
                    "the query needs more memory than the Neo4j server allows a transaction; "
                    "narrow it (fewer hops, a LIMIT) or raise dbms.memory.transaction.total.max"
                ) from e
            if timeout and "TransactionTimedOut" in (e.code or ""):
                raise QueryError(f"the query ran longer than {timeout:g} s and was stopped (--timeout)") from e
            if not write and "write" in (e.message or "").lower() and "read" in (e.message or "").lower():
                raise QueryError(f"this query writes to the graph; {cypher.READ_ONLY}") from e
            # the first line says it; Neo4j follows it with the query and a caret under the place
            raise QueryError((e.message or str(e)).strip().splitlines()[0]) from e

    def _terminate(self, tag: str) -> None:
        """Stop the transaction whose metadata carries ``tag``, from a session of its own.

        The driver cannot stop a query from another thread: its sessions are not thread-safe,
        and closing the connection under a running query is what the async driver's ``cancel``
        does, with the driver's errors to match. Neo4j's own way is TERMINATE TRANSACTIONS
        (Community has it, and a user may always end their own); the running query then fails
        with Neo.ClientError.Transaction.Terminated. A transaction whose BEGIN has not reached
        the server yet is not listed: `Cancellation.cancel` calls this again until the query ends.
        A late call finds no transaction with that tag and ends nothing.
        """
        try:
            with self.stop_driver.session(database=self.database) as session:
                session.run(
                    f"SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.{_CANCEL_KEY} = $tag "
                    "TERMINATE TRANSACTIONS transactionId YIELD transactionId AS terminated RETURN terminated",
                    {"tag": tag},
                ).consume()
        except Exception:  # the driver's errors, or whatever a socket says once `close` shut it under this call
            pass  # the next attempt tries again; a lost server fails the query itself, with its own message

    @property
    def location(self) -> str:
        database = f" (database {self.database})" if self.database else ""
        return f"the graph in Neo4j at {self.uri}{database}"

    def setup_schema(self) -> None:
        """Constraints and the full-text index; an index from an older schema is rebuilt."""
        if self._fulltext_index_stale():
            self.run(f"DROP INDEX {cypher.FULLTEXT_INDEX}", write=True)
        for statement in cypher.neo4j_ddl():
            self.run(statement, write=True)

    def missing_schema(self) -> list[str]:
        """The constraints and indexes `cypher.neo4j_ddl` makes, by name, and the full-text
        index's fields. Neo4j has no tables: a label, property or relationship type is there
        only while some node or relationship has it, so these are all of a graph's shape Neo4j
        can show. Whether the facts are the ones this kg's graph builder makes is not seen
        here; adopting a graph rests on that and on its papers' extractor version."""
        held = {row[0] for row in self.run("SHOW CONSTRAINTS YIELD name RETURN name").rows}
        held |= {row[0] for row in self.run("SHOW INDEXES YIELD name RETURN name").rows}
        missing = [name for name in cypher.neo4j_schema_names(meta=False) if name not in held]
        if self._fulltext_index_stale():
            labels, properties = cypher.fulltext_fields()
            missing.append(f"{cypher.FULLTEXT_INDEX} over {', '.join(labels)}: {', '.join(properties)}")
        return missing

    def _fulltext_index_stale(self) -> bool:
        """Whether the full-text index is there over other labels or properties than this schema's
        (an older kg's)."""
        labels, properties = cypher.fulltext_fields()
        existing = self.run(
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties WHERE name = $name "
            "RETURN labelsOrTypes AS labels, properties AS properties",
            {"name": cypher.FULLTEXT_INDEX},
        ).rows
        return bool(existing) and (sorted(existing[0][0]) != sorted(labels) or sorted(existing[0][1]) != properties)

    def close(self) -> None:
        """Close both drivers; a stop still running (from its own thread, see `Cancellation`)
        then fails, which is all it could do for a query that has ended."""
        if self.stop_driver is not self.driver:
            self.stop_driver.close()
        self.driver.close()


def _plan_text(plan: dict[str, Any], depth: int = 0) -> str:
    """A plan as Neo4j Browser lists it: one operator a line, children indented, with what it
    works on and its estimated rows (a profile adds the rows and database hits it took)."""
    args = plan.get("args", {})
    figures = [f"estimated rows {args['EstimatedRows']:g}"] if "EstimatedRows" in args else []
    if "dbHits" in plan:
        figures += [f"rows {plan.get('rows', 0)}", f"db hits {plan['dbHits']}"]
    details = f"  {args['Details']}" if args.get("Details") else ""
    line = f"{'  ' * depth}{plan['operatorType'].split('@')[0]}{details}" + (f"  ({', '.join(figures)})" if figures else "")
    return "\n".join([line, *(_plan_text(child, depth + 1) for child in plan.get("children", []))])


#: what the driver connects over ("http" and "https" are the browser's, or the driver's preview)
_BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def _rate_limited(uri: str) -> str:
    return (
        f"Neo4j at {uri} refuses logins for a few seconds after several wrong passwords in a row; "
        "wait, then check NEO4J_USER and NEO4J_PASSWORD"
    )


def _unreachable(uri: str, error: BaseException | None = None) -> str:
    said = str(error) if error is not None else ""
    if "CERTIFICATE_VERIFY_FAILED" in said or "CertVerification" in said:
        return (
            f"Neo4j at {uri} speaks TLS with a certificate this machine does not trust (self-signed?); "
            "use bolt+ssc:// or neo4j+ssc:// to accept it, or trust its CA"
        )
    if "SSL" in said:
        return (
            f"cannot open an encrypted (TLS) connection to Neo4j at {uri}; for a server without TLS, "
            "use a bolt:// or neo4j:// address"
        )
    return (
        f"cannot reach Neo4j at {uri}; start one with `docker compose up -d` "
        "or `scripts/neo4j-local start`"
    )


def connect(
    uri: str, user: str, password: str, *, database: str | None = None, retry_seconds: float = 30.0
) -> Neo4jStore:
    """A store on a verified connection, so a dead server or a wrong password fails here.

    A write that meets a transient error (a leader switch, a lost connection) is
    retried for up to ``retry_seconds`` before the error is reported.
    """
    from neo4j import GraphDatabase, exceptions

    # "Transaction failed and will be retried", "Failed to read from defunct connection": the
    # driver's own business; what it means for the user comes as one line from kg
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    shown = _without_password(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in _BOLT_SCHEMES:
        raise StoreUnavailable(
            f"NEO4J_URI {shown!r} is not a Bolt address; use one that starts with bolt:// or neo4j://, "
            "such as bolt://localhost:7687 (http://localhost:7474 is Neo4j Browser's page)"
        )
    try:
        driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            max_transaction_retry_time=retry_seconds,
            notifications_min_severity="WARNING",  # QueryResult.warnings; only `kg query` shows them
        )
    except (ValueError, exceptions.ConfigurationError) as e:
        raise StoreUnavailable(f"invalid Neo4j URI {shown!r}: {str(e).replace(uri, shown)}") from e
    try:
        driver.verify_connectivity()
    except exceptions.AuthError as e:
        driver.close()
        raise AuthError(f"Neo4j at {shown} refused the credentials; check NEO4J_USER and NEO4J_PASSWORD") from e
    except exceptions.ClientError as e:
        driver.close()
        if "AuthenticationRateLimit" not in (e.code or ""):
            raise
        raise AuthError(_rate_limited(shown)) from e
    except (exceptions.ServiceUnavailable, OSError) as e:
        driver.close()
        raise StoreUnavailable(_unreachable(shown, e)) from e
    # Stops go through a driver of their own: on a server that has stopped answering, the
    # driver's defaults wait 60 s for a connection, and a pooled one is used without a word to the
    # server first, so a stop would wait on it until the server answers. This one opens no
    # connection until a query is cancelled, and then checks each before use (RESET), within
    # STOP_TIMEOUT; its one connection also caps the stops that talk to the server at a time.
    stop_driver = GraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=STOP_TIMEOUT,
        connection_acquisition_timeout=STOP_TIMEOUT,
        liveness_check_timeout=0,
        max_connection_pool_size=1,
    )
    return Neo4jStore(driver, database=database, uri=shown, stop_driver=stop_driver)


def _without_password(uri: str) -> str:
    """``uri`` as messages may show it: a password written into it ("bolt://neo4j:secret@host",
    even one holding "@" or "/") becomes "***"."""
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest:
        return uri
    userinfo, _, host = rest.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"
