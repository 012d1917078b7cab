"""`kg serve`: a local web page to explore the graph — a Cypher box, the query library, a table and a graph.

Standard library only (`http.server`); the page is three static files in
``kg/view/static`` plus the vis-network script and style that pyvis ships,
served from here, so the page works with no network.

    GET  /               the page
    GET  /static/NAME    its script and style, and vis-network
    GET  /api/queries    the query library: name, question, defaults, text
    GET  /api/schema     colour, shape and key property of each node label; the relationship types
    POST /api/query      {"cypher": TEXT} or {"name": NAME}, optional "params" and "run" (an id the
                         page picks) → {"columns", "rows", "truncated", "warnings", "plan"?} or {"error"}
                         ({"error", "cancelled": true}, status 409, when it was cancelled)
    POST /api/cancel     {"run": ID} → {"stopped": true} once the query with that id has stopped (or
                         had not started; it then never does), {"stopped": false} if it still ran
                         CANCEL_WAIT seconds later (it then ends at --timeout)

The store is opened per query, read-only, and closed before the answer goes
out (`kg.api.run_query` with ``write=False``), rather than held open for the
server's life. The embedded engine allows one read-write ``Database`` per file,
so nothing here may keep one; a read-only handle does not lock `kg build` out
(LadybugDB 0.22), but it goes on answering from the graph as it was when it was
opened, so a rebuilt graph would never show. Opened per query, the server holds
nothing between requests, never stands in a build's way, and each query sees
what the last build left (one run during a build may see it half done). It
costs about 30 ms a query on the sample graph (for Neo4j, a new driver a
query). Queries run one at a time, so the process never has two ``Database``
objects on one file.

One at a time, a query nobody waits for would hold every later one back until
it ends or reaches --timeout. So the page cancels its running query when Cancel
is pressed and when a newer query of its own replaces it (or it is closed), and
the store stops it then and there (`kg.store.Cancellation`: LadybugDB's
``Connection.interrupt``, Neo4j's TERMINATE TRANSACTIONS); the lock is free at
once for the next query. A query is cancelled by the id its page sent with it,
so one page (or tab) never cancels another's.

What keeps it safe: it binds 127.0.0.1 unless told otherwise, and another
address needs ``allow_remote`` and a token (`check_host`); when a token is set,
the page and the API answer only requests that carry it (``X-KG-Token`` header
or ``?token=``); on a loopback address, requests must name a loopback host
(no DNS rebinding); every query is read-only; the page builds its DOM with
``textContent`` only, and the Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import socket
import socketserver
import sys
import threading
import traceback
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg import api, jsonutil, querylib
from kg.config import Settings
from kg.errors import KgError, QueryCancelled, QueryError, StoreUnavailable
from kg.querylib import NamedQuery
from kg.schema import NODE_TYPES, REL_TYPES
from kg.store import Cancellation, QueryResult, open_store
from kg.store.base import CANCELLED, jsonable
from kg.store.cypher import check_read
from kg.view.pyvis_view import STYLE, vis_assets

__all__ = ["CANCEL_WAIT", "MAX_ROWS", "QUERY_TIMEOUT", "PageServer", "check_host", "is_loopback", "make_server"]

#: rows sent to the page; the rest are counted, not sent
MAX_ROWS = 1000
#: seconds a query from the page may run before the store stops it (`kg serve --timeout`)
QUERY_TIMEOUT = 30.0
#: seconds POST /api/cancel waits for the query to stop before it answers that it has not yet
CANCEL_WAIT = 5.0
MAX_BODY = 1 << 20
#: the id a page gives each query it sends, to cancel it by: random, so no other page can guess it
RUN_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: ids cancelled before their query arrived (the two requests raced), remembered so it never runs
_EARLY_CANCELS = 256
TOKEN_HEADER = "X-KG-Token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_OWN_STATIC = {"app.js": "text/javascript", "app.css": "text/css"}
_VIS_STATIC = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only reaches this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: the shortest token a server reachable from other machines takes
MIN_TOKEN = 16
_MAKE_TOKEN = "make one with `python -c \"import secrets; print(secrets.token_urlsafe())\"`"


def check_host(host: str, *, allow_remote: bool = False, token: str | None = None) -> None:
    """Refuse a non-loopback address unless remote access is asked for and guarded by a token."""
    if is_loopback(host):
        return
    if not allow_remote:
        raise KgError(
            f"refusing to serve on {host}: it is not a loopback address, so anyone who can reach this "
            "machine could read the graph; serve on 127.0.0.1, or pass --allow-remote with a token "
            "(--token or KG_SERVE_TOKEN) that clients must send"
        )
    if not token:
        raise KgError(
            "--allow-remote needs a token that clients must send: pass --token or set KG_SERVE_TOKEN "
            f"({_MAKE_TOKEN})"
        )
    if len(token.strip()) < MIN_TOKEN:
        raise KgError(f"the token is shorter than {MIN_TOKEN} characters, which anyone could guess ({_MAKE_TOKEN})")


def label_styles() -> dict[str, dict[str, str]]:
    """Colour and shape (as `kg viz` draws them) and key property per node label."""
    styles = {}
    for spec in NODE_TYPES:
        color, shape = STYLE.get(spec.label, ("#777777", "dot"))
        styles[spec.label] = {"color": color, "shape": shape, "key": spec.key}
    return styles


class PageServer(ThreadingHTTPServer):
    """The HTTP server of `kg serve`; `run` serves until Ctrl-C."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], *, settings: Settings, token: str | None = None, query_timeout: float = QUERY_TIMEOUT
    ) -> None:
        self.settings = settings
        self.token = token or None
        #: queries run one at a time, so one that never ends would hold every later one back
        self.query_timeout = query_timeout
        self.loopback = is_loopback(address[0])
        self.static = {**{name: _static_dir() / name for name in _OWN_STATIC}, **vis_assets()}
        self.query_lock = threading.Lock()
        #: the queries sent with a run id, running or waiting for the lock, by id
        self.runs: dict[str, Cancellation] = {}
        self.cancelled_early: OrderedDict[str, None] = OrderedDict()
        self.runs_lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up in DNS; the URL needs none of that
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    @property
    def url(self) -> str:
        host = self.server_name
        return f"http://[{host}]:{self.server_port}/" if ":" in host else f"http://{host}:{self.server_port}/"

    def run(self) -> None:
        """Serve until Ctrl-C, then close the socket; returns normally either way."""
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that went away is no error
            super().handle_error(request, client_address)

    def run_query(self, body: Any) -> QueryResult:
        """Answer one POST /api/query body, always read-only."""
        if not isinstance(body, dict):
            raise QueryError('send a JSON object: {"cypher": "MATCH ..."} or {"name": "<library query>"}, optional "params"')
        params = body.get("params")
        params = {} if params is None else params  # not `or {}`: [] or false would pass as no params
        if not isinstance(params, dict):
            raise QueryError('"params" must be a JSON object of name: value')
        query = _named(body)
        if query.neo4j_only and self.settings.store != "neo4j":
            raise QueryError(f"query {query.name} needs Neo4j; start kg serve with --store neo4j to run it")
        check_read(query.text, how_to_write="this page only reads the graph (change it with `kg query --write`)")
        with self._cancellable(_run_id(body)) as cancel, self._query_turn(cancel):
            # rows past the page's are never fetched: a cross product of two labels is millions
            return api.run_query(
                query,
                settings=self.settings,
                params=params,
                write=False,
                timeout=self.query_timeout,
                max_rows=MAX_ROWS,
                cancel=cancel,
            )

    def cancel_query(self, body: Any) -> bool:
        """Answer one POST /api/cancel body: stop the query sent with that run id; whether it has
        stopped (a query not yet arrived is remembered, and refused when it comes)."""
        run_id = _run_id(body if isinstance(body, dict) else {})
        if run_id is None:
            raise QueryError('send {"run": ID}, the id the query was sent with')
        with self.runs_lock:
            cancel = self.runs.get(run_id)
            if cancel is None:
                self.cancelled_early[run_id] = None
                while len(self.cancelled_early) > _EARLY_CANCELS:
                    self.cancelled_early.popitem(last=False)
                return True
        return cancel.cancel(wait=CANCEL_WAIT)

    @contextmanager
    def _cancellable(self, run_id: str | None) -> Iterator[Cancellation]:
        """A `Cancellation` for one query, findable by its run id while the query waits and runs."""
        cancel = Cancellation()
        if run_id is None:  # a client that sends no id cannot cancel; the timeout still applies
            yield cancel
            return
        with self.runs_lock:
            if run_id in self.runs:
                raise QueryError('a query with this "run" id is running already; send a new id with each query')
            if run_id in self.cancelled_early:  # its cancel overtook it
                del self.cancelled_early[run_id]
                cancel.cancel()
            self.runs[run_id] = cancel
        try:
            yield cancel
        finally:
            with self.runs_lock:
                del self.runs[run_id]

    @contextmanager
    def _query_turn(self, cancel: Cancellation) -> Iterator[None]:
        """Hold the query lock, waiting for the query before; a query cancelled while it waits
        leaves at once rather than when the one before it ends."""
        while not self.query_lock.acquire(timeout=Cancellation.RETRY):
            if cancel.cancelled:
                raise QueryCancelled(CANCELLED)
        try:
            yield
        finally:
            self.query_lock.release()


def make_server(
    *,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8765,
    allow_remote: bool = False,
    token: str | None = None,
    query_timeout: float = QUERY_TIMEOUT,
) -> PageServer:
    """A bound server for the page, after checking the host and that the store opens."""
    check_host(host, allow_remote=allow_remote, token=token)
    with open_store(settings, read_only=True):
        pass
    try:
        return PageServer((host, port), settings=settings, token=token, query_timeout=query_timeout)
    except OSError as e:
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror or e}; pick another with --port") from e


def _static_dir() -> Path:
    return Path(str(resources.files("kg.view"))) / "static"


def _named(body: dict[str, Any]) -> NamedQuery:
    name, cypher = body.get("name"), body.get("cypher")
    if isinstance(cypher, str) and cypher.strip():
        return querylib.parse_query("<inline>", cypher)
    if isinstance(name, str) and name:
        library = {q.name: q for q in querylib.list_queries()}
        if name not in library:
            raise QueryError(f"no query named {name!r}; the library has: {', '.join(library)}")
        return library[name]
    raise QueryError("nothing to run: type a Cypher query or pick one from the library")


def _run_id(body: dict[str, Any]) -> str | None:
    """The query's run id, None when it has none; one that is not an id the page makes is refused."""
    run_id = body.get("run")
    if run_id is None:
        return None
    if not isinstance(run_id, str) or not RUN_ID.fullmatch(run_id):
        raise QueryError('"run" must be an id of 8 to 64 letters, digits, "-" or "_"')
    return run_id


def _host_name(header: str) -> str:
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class _Handler(BaseHTTPRequestHandler):
    server: PageServer
    server_version = "kg-serve"
    timeout = 60  # seconds a client may take to send its request

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path.startswith("/static/"):
            self._static(path.removeprefix("/static/"))
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
        elif not self._allowed():
            return
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, (_static_dir() / "index.html").read_bytes(), "text/html; charset=utf-8")
        elif path == "/api/queries":
            queries = [
                {"name": q.name, "question": q.question, "defaults": q.defaults, "neo4j_only": q.neo4j_only, "text": q.text}
                for q in querylib.list_queries()
            ]
            self._json(HTTPStatus.OK, {"queries": jsonable(queries), "store": self.server.settings.store})
        elif path == "/api/schema":
            self._json(HTTPStatus.OK, {"labels": label_styles(), "relationships": [rel.type for rel in REL_TYPES]})
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if not self._allowed():
            return
        if path not in ("/api/query", "/api/cancel"):
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: POST {path}"})
            return
        found, body = self._json_body()
        if not found:
            return
        try:
            if path == "/api/cancel":
                self._json(HTTPStatus.OK, {"stopped": self.server.cancel_query(body)})
                return
            result = self.server.run_query(body)
        except QueryCancelled as e:  # asked for: no error of the store's, and the lock is free
            self._json(HTTPStatus.CONFLICT, {"error": str(e), "cancelled": True})
        except StoreUnavailable as e:
            self._json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(e)})
        except KgError as e:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(e)})
        except Exception as e:  # a bug: keep serving, say so on the page and in the server's log
            sys.stderr.write(f"kg serve: error answering POST {path}:\n{traceback.format_exc()}")
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error ({type(e).__name__}: {e}); see the server's log"})
        else:
            answer = {
                "columns": result.columns,
                "rows": jsonable(result.rows),
                "truncated": result.truncated,
                "warnings": result.warnings,  # Neo4j's ("The property `nme` does not exist"): a misspelt name answers null
            }
            if result.plan is not None:
                answer["plan"] = result.plan  # EXPLAIN, PROFILE: the plan is the answer
            self._json(HTTPStatus.OK, answer)

    def _json_body(self) -> tuple[bool, Any]:
        """(True, the request's JSON body), or (False, None) once the request is answered with
        why not: not JSON, no valid length, longer than MAX_BODY."""
        if self.headers.get_content_type() != "application/json":
            self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send the request as JSON (application/json)"})
            return False, None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request needs a valid Content-Length"})
            return False, None
        if length > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"the request is larger than {MAX_BODY} bytes"})
            return False, None
        try:
            return True, jsonutil.loads(self.rfile.read(length) or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            self._json(HTTPStatus.BAD_REQUEST, {"error": f"the request is not JSON: {e}"})
        except RecursionError:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request is JSON nested too deeply to be a query"})
        return False, None

    def _allowed(self) -> bool:
        """The Host check on loopback and the token check; answers the request itself when it fails."""
        host = self.headers.get("Host")
        if self.server.loopback and host and not is_loopback(_host_name(host)) and _host_name(host) != self.server.server_name:
            self._json(HTTPStatus.FORBIDDEN, {"error": f"this server answers only requests for localhost, not {host}"})
            return False
        if self.server.token is None:
            return True
        query = parse_qs(urlsplit(self.path).query)
        sent = self.headers.get(TOKEN_HEADER) or (query.get("token") or [""])[0]
        if hmac.compare_digest(sent.encode(), self.server.token.encode()):
            return True
        self._json(
            HTTPStatus.UNAUTHORIZED,
            {"error": f"this server needs its token: open the page with ?token=TOKEN or send the {TOKEN_HEADER} header"},
        )
        return False

    def _static(self, name: str) -> None:
        path = self.server.static.get(name)
        if path is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such file: /static/{name}"})
            return
        self._send(HTTPStatus.OK, path.read_bytes(), {**_OWN_STATIC, **_VIS_STATIC}[name] + "; charset=utf-8")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own errors (a method not served, a malformed request line) as
        JSON with this server's headers, not an HTML page without them."""
        self.close_connection = True
        self._json(HTTPStatus(code), {"error": message or HTTPStatus(code).phrase})

    def _json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a request log would also print tokens sent as ?token=."""
