"""`kg serve`: the JSON API over a real embedded store, the command, and the page in a real browser.

The browser tests drive Debian's chromium through Playwright. Locally, without
chromium, they are skipped with a message saying how to install it; in CI
(CI set) a missing browser fails them instead. KG_SCREENSHOTS=1 also writes
the page's screenshot to docs/serve.png for the README.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kg import querylib
from kg.config import Settings
from kg.errors import KgError
from kg.graph import build_graph
from kg.records import Extraction, Mention, Paper
from kg.store.embedded import EmbeddedStore
from kg.view.server import MAX_BODY, MAX_ROWS, check_host, is_loopback, make_server

pytestmark = pytest.mark.filterwarnings("ignore")

EVIL_TITLE = "Evil: <script>alert(1)</script> and <img src=x onerror=alert(1)> for LLMs"
DOCS = Path(__file__).resolve().parents[2] / "docs"
READ_ONLY = "; this page only reads the graph (change it with `kg query --write`)"
#: seconds of string work on the sample graph (about 2.5 s embedded, 6 s on Neo4j); a count over
#: ranges would not do, LadybugDB answers it without making the ranges
SLOW = (
    "MATCH (a:Paper), (b:Paper), (c:Hardware) "
    "WHERE (a.abstract + b.abstract + a.abstract + b.abstract) CONTAINS (c.name + 'zz') RETURN count(*) AS slow"
)
CANCELLED = (409, {"error": "the query was cancelled", "cancelled": True})


def _evil_graph():
    sentence = "We propose EvilNet for cheap inference."
    paper = Paper(id="evil1", title=EVIL_TITLE, abstract=sentence)
    extraction = Extraction(
        paper=paper,
        extractor_version="test",
        mentions=[Mention("Method", "EvilNet", "EvilNet", 11, 18, sentence)],
        proposes=["EvilNet"],
    )
    return build_graph([extraction])


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_graph) -> Path:
    """The sample graph plus one paper whose title is markup, in a real embedded store."""
    path = tmp_path_factory.mktemp("serve") / "kg-data"
    store = EmbeddedStore(path)
    try:
        store.load(sample_graph)
        store.load(_evil_graph())
    finally:
        store.close()
    return path


def _start(db: Path, **options: Any):
    server = make_server(settings=Settings(store="embedded", db=db), port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _stop(server, thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(db):
    server, thread = _start(db)
    yield server
    _stop(server, thread)


def request(server, path: str, body: Any = None, *, headers: dict[str, str] | None = None, raw: bytes | None = None):
    """(status, parsed JSON or bytes, headers) of one request; HTTP errors are answers too."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    all_headers = {"Content-Type": "application/json"} if data is not None else {}
    all_headers.update(headers or {})
    req = urllib.request.Request(server.url.rstrip("/") + path, data=data, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, payload, reply_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as e:
        status, payload, reply_headers = e.code, e.read(), e.headers
    if reply_headers.get_content_type() == "application/json":
        return status, json.loads(payload), reply_headers
    return status, payload, reply_headers


def _method(server, method: str):
    req = urllib.request.Request(server.url.rstrip("/") + "/api/query", method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), e.headers


def query(server, **body: Any):
    status, payload, _ = request(server, "/api/query", body)
    return status, payload


def _timed_slow_query(server) -> float:
    """How long SLOW takes here, run to its end: a cancel must answer in well under it."""
    started = time.monotonic()
    status, payload = query(server, cypher=SLOW)
    assert status == 200 and payload["rows"] == [[0]], payload
    return time.monotonic() - started


@pytest.fixture(scope="module")
def slow_seconds(server) -> float:
    return _timed_slow_query(server)


class _Sent:
    """A query sent from a thread of its own, with the id it can be cancelled by."""

    def __init__(self, server, run: str, cypher: str = SLOW) -> None:
        self.answer: tuple[int, Any] | None = None
        self.answered_at = 0.0

        def send() -> None:
            self.answer = query(server, cypher=cypher, run=run)
            self.answered_at = time.monotonic()

        self.thread = threading.Thread(target=send, daemon=True)
        self.thread.start()
        for _ in range(500):  # until the server has it (it then waits its turn, or runs)
            if run in getattr(server, "runs", {}):
                break
            time.sleep(0.01)

    def wait(self) -> tuple[int, Any]:
        self.thread.join(timeout=120)
        assert self.answer is not None
        return self.answer


def cancel(server, run: str) -> tuple[int, Any]:
    status, payload, _ = request(server, "/api/cancel", {"run": run})
    return status, payload


# ---- the JSON API -------------------------------------------------------------------------------


def test_api_lists_the_query_library_with_defaults(server):
    status, payload, _ = request(server, "/api/queries")
    assert status == 200
    assert payload["store"] == "embedded"
    library = {q.name: q for q in querylib.list_queries()}
    assert [q["name"] for q in payload["queries"]] == list(library)
    first = payload["queries"][0]
    assert first["defaults"] == library[first["name"]].defaults
    assert first["question"] == library[first["name"]].question
    assert first["text"] == library[first["name"]].text


def test_api_schema_carries_the_viz_colours_keys_and_relationship_types(server):
    from kg.schema import REL_TYPES
    from kg.view.pyvis_view import STYLE

    status, payload, _ = request(server, "/api/schema")
    assert status == 200
    assert payload["relationships"] == [rel.type for rel in REL_TYPES]
    assert payload["labels"]["Technique"] == {"color": STYLE["Technique"][0], "shape": STYLE["Technique"][1], "key": "key"}
    assert payload["labels"]["Paper"]["key"] == "id"


def test_api_runs_a_library_query_on_its_defaults(server):
    status, payload = query(server, name="methods_per_technique")
    assert status == 200, payload
    assert payload["columns"] == ["method", "technique", "papers"]
    assert payload["rows"] and not payload["truncated"]


def test_api_answers_an_explain_with_the_plan(server):
    status, payload = query(server, cypher="EXPLAIN MATCH (m:Method) RETURN m.name AS name")
    assert status == 200, payload
    assert payload["rows"] == [] and "Method" in payload["plan"]
    assert "plan" not in query(server, cypher="MATCH (m:Method) RETURN m.name AS name LIMIT 1")[1]


def test_api_says_how_to_run_a_neo4j_only_query_in_the_page_s_words(server):
    status, payload = query(server, name="fulltext_search")
    assert status == 400 and payload["error"] == "query fulltext_search needs Neo4j; start kg serve with --store neo4j to run it"


def test_api_params_override_the_defaults(server):
    status, payload = query(server, name="methods_per_technique", params={"technique": "no such technique"})
    assert status == 200, payload
    assert payload["rows"] == []


def test_api_runs_cypher_with_params_and_returns_nodes_as_dicts(server):
    status, payload = query(server, cypher="MATCH (p:Paper {id: $id}) RETURN p.title AS title, p", params={"id": "evil1"})
    assert status == 200, payload
    assert payload["columns"] == ["title", "p"]
    [[title, node]] = payload["rows"]
    assert title == EVIL_TITLE
    assert node["_label"] == "Paper" and node["id"] == "evil1" and node["title"] == EVIL_TITLE


@pytest.mark.parametrize(
    ("cypher", "why"),
    [
        ("MATCH (p:Paper) SET p.title = 'x' RETURN p", "SET writes to the graph"),
        ("CREATE (:Method {key: 'x', name: 'x'})", "CREATE writes to the graph"),
        ("MATCH (n) DETACH DELETE n", "DETACH writes to the graph"),
        ("MERGE (:Method {key: 'y'})", "MERGE writes to the graph"),
        # not reads either: a checkpoint of a read-only database, a dump written to disk, a file read
        ("CHECKPOINT", "CHECKPOINT writes the database's log to its files"),
        ("EXPORT DATABASE 'dump'", "EXPORT writes the graph out to files"),
        ("LOAD FROM '/etc/passwd' RETURN *", "LOAD reads files or extensions on this machine"),
    ],
)
def test_api_refuses_writes_and_leaves_the_graph_alone(server, cypher, why):
    before = query(server, cypher="MATCH (n) RETURN count(n) AS n")[1]["rows"]
    status, payload = query(server, cypher=cypher)
    assert status == 400
    assert payload == {"error": f"{why}{READ_ONLY}"}
    assert query(server, cypher="MATCH (n) RETURN count(n) AS n")[1]["rows"] == before


def test_api_runs_only_library_queries_by_name(server):
    status, payload = query(server, name="../../../etc/passwd")
    assert status == 400
    assert payload["error"].startswith("no query named '../../../etc/passwd'; the library has: ")


def test_api_reports_bad_cypher_as_an_error_message(server):
    status, payload = query(server, cypher="MATCH (p:Paper RETURN p")
    assert status == 400
    assert payload["error"].startswith("Parser exception: ")


def test_api_says_what_to_send_when_there_is_nothing_to_run(server):
    status, payload = query(server, cypher="   ")
    assert (status, payload) == (400, {"error": "nothing to run: type a Cypher query or pick one from the library"})
    for params in ([1], [], False, ""):
        status, payload = query(server, cypher="RETURN 1 AS x", params=params)
        assert (status, payload) == (400, {"error": '"params" must be a JSON object of name: value'})


def test_api_needs_json(server):
    status, payload, _ = request(server, "/api/query", raw=b"cypher=RETURN 1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, payload) == (415, {"error": "send the request as JSON (application/json)"})
    status, payload, _ = request(server, "/api/query", raw=b"{not json")
    assert status == 400 and payload["error"].startswith("the request is not JSON: ")
    status, payload, _ = request(server, "/api/query", raw=b"[" * 100_000 + b"]" * 100_000)
    assert (status, payload) == (400, {"error": "the request is JSON nested too deeply to be a query"})
    status, payload = query(server, cypher='RETURN "\ud800" AS x')
    assert (status, payload) == (400, {"error": "the query holds half of a UTF-16 pair (a lone surrogate), which no store can read"})


def test_api_sends_at_most_max_rows(server):
    status, payload = query(server, cypher=f"UNWIND range(1, {MAX_ROWS + 500}) AS i RETURN i")
    assert status == 200, payload
    assert len(payload["rows"]) == MAX_ROWS and payload["truncated"]
    # the rows past the page's are not fetched at all: a cross product of millions answers at once
    status, payload = query(server, cypher="UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b RETURN a, b")
    assert status == 200 and len(payload["rows"]) == MAX_ROWS and payload["truncated"]


def test_a_query_that_runs_too_long_is_stopped_and_the_next_one_runs(db):
    server, thread = _start(db, query_timeout=0.5)
    try:
        # a path of up to six hops between any two nodes of the sample graph: minutes, not 0.5 s
        status, payload = query(server, cypher="MATCH p = (a)-[*1..6]-(b) RETURN count(p) AS paths")
        assert status == 400
        assert payload["error"] == "the query ran longer than 0.5 s and was stopped (--timeout)"
        status, payload = query(server, cypher="MATCH (p:Paper) RETURN count(p) AS papers")
        assert status == 200 and payload["rows"] == [[172]]
    finally:
        _stop(server, thread)


def test_api_cancel_stops_the_running_query_and_the_next_one_runs_at_once(server, slow_seconds):
    sent = _Sent(server, "first-slow-query")
    time.sleep(0.3)  # running, past its compilation
    cancelled_at = time.monotonic()
    assert cancel(server, "first-slow-query") == (200, {"stopped": True})
    assert sent.wait() == CANCELLED
    assert sent.answered_at - cancelled_at < slow_seconds / 2
    assert query(server, cypher="MATCH (p:Paper) RETURN count(p) AS papers") == (
        200,
        {"columns": ["papers"], "rows": [[172]], "truncated": False, "warnings": []},
    )
    assert time.monotonic() - cancelled_at < slow_seconds / 2  # it did not wait for the slow one
    assert cancel(server, "first-slow-query") == (200, {"stopped": True})  # twice is no error


def test_api_a_query_cancelled_while_it_waits_or_before_it_arrives_never_runs(server, slow_seconds):
    running = _Sent(server, "running-query")
    waiting = _Sent(server, "waiting-query")  # queries run one at a time: this one waits its turn
    started = time.monotonic()
    assert cancel(server, "waiting-query") == (200, {"stopped": True})
    assert waiting.wait() == CANCELLED
    # a cancel that overtook its query (two requests race) is kept: the query never runs
    assert cancel(server, "not-sent-yet") == (200, {"stopped": True})
    assert query(server, cypher="RETURN 1 AS one", run="not-sent-yet") == CANCELLED
    assert time.monotonic() - started < slow_seconds / 2 and running.thread.is_alive()  # not after the first
    assert cancel(server, "running-query") == (200, {"stopped": True})
    assert running.wait() == CANCELLED


def test_api_cancel_is_guarded_like_a_query(server):
    status, payload, _ = request(server, "/api/cancel", {"run": "abcdefgh"}, headers={"Host": "rebound.example"})
    assert (status, payload) == (403, {"error": "this server answers only requests for localhost, not rebound.example"})
    status, payload, _ = request(server, "/api/cancel", raw=b"run=abcdefgh", headers={"Content-Type": "text/plain"})
    assert (status, payload) == (415, {"error": "send the request as JSON (application/json)"})
    # a body past the limit is refused on its Content-Length, before it is read
    connection = http.client.HTTPConnection(server.server_name, server.server_port, timeout=30)
    connection.putrequest("POST", "/api/cancel")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(MAX_BODY + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())) == (413, {"error": f"the request is larger than {MAX_BODY} bytes"})
    connection.close()
    for body in ({}, ["abcdefgh"]):
        assert cancel_body(server, body) == (400, {"error": 'send {"run": ID}, the id the query was sent with'})
    for run in ("short", "a" * 65, "../../etc", 12345678):
        assert cancel(server, run) == (400, {"error": '"run" must be an id of 8 to 64 letters, digits, "-" or "_"'})
        assert query(server, cypher="RETURN 1 AS x", run=run)[0] == 400


def cancel_body(server, body: Any) -> tuple[int, Any]:
    status, payload, _ = request(server, "/api/cancel", body)
    return status, payload


def test_api_values_are_strict_json(server):
    status, payload = query(server, cypher="RETURN 0.0 / 0.0 AS nan, [1, 2] AS xs, {a: 1} AS m")
    assert status == 200, payload
    assert payload["rows"][0][1:] == [[1, 2], {"a": 1}]


def test_pages_and_static_files_are_served_with_a_strict_policy(server):
    status, page, headers = request(server, "/")
    assert status == 200 and b'<script src="/static/app.js"' in page
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe-inline" not in headers["Content-Security-Policy"].split("style-src")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"
    for name, kind in [("vis-network.min.js", "text/javascript"), ("vis-network.css", "text/css"), ("app.js", "text/javascript"), ("app.css", "text/css")]:
        status, body, headers = request(server, f"/static/{name}")
        assert (status, headers.get_content_type()) == (200, kind) and len(body) > 100, name
    assert request(server, "/static/../server.py")[0] == 404
    assert request(server, "/nope")[0] == 404


def test_a_request_for_another_host_name_is_refused_on_loopback(server):
    status, payload, _ = request(server, "/api/queries", headers={"Host": "rebound.example:80"})
    assert (status, payload) == (403, {"error": "this server answers only requests for localhost, not rebound.example:80"})
    assert request(server, "/api/queries", headers={"Host": f"localhost:{server.server_port}"})[0] == 200


def test_a_token_is_needed_for_the_page_and_the_api_once_set(db):
    server, thread = _start(db, token="s3cret-token")
    try:
        status, payload, _ = request(server, "/api/queries")
        assert status == 401
        assert payload == {"error": "this server needs its token: open the page with ?token=TOKEN or send the X-KG-Token header"}
        assert request(server, "/")[0] == 401
        assert request(server, "/api/queries", headers={"X-KG-Token": "wrong"})[0] == 401
        assert request(server, "/api/queries", headers={"X-KG-Token": "s3cret-token"})[0] == 200
        assert request(server, "/?token=s3cret-token")[0] == 200
        assert request(server, "/api/query?token=s3cret-token", {"cypher": "RETURN 1 AS x"})[1]["rows"] == [[1]]
        assert request(server, "/api/cancel", {"run": "abcdefgh"})[0] == 401
        assert request(server, "/api/cancel", {"run": "abcdefgh"}, headers={"X-KG-Token": "s3cret-token"})[1] == {"stopped": True}
        assert request(server, "/static/app.js")[0] == 200  # no data in the page's own code
    finally:
        _stop(server, thread)


# ---- who may listen where ---------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"])
def test_loopback_hosts_need_nothing(host):
    assert is_loopback(host)
    check_host(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_a_non_loopback_host_is_refused_without_allow_remote(host):
    assert not is_loopback(host)
    with pytest.raises(KgError) as error:
        check_host(host, token="t")
    assert str(error.value) == (
        f"refusing to serve on {host}: it is not a loopback address, so anyone who can reach this machine "
        "could read the graph; serve on 127.0.0.1, or pass --allow-remote with a token (--token or "
        "KG_SERVE_TOKEN) that clients must send"
    )


def test_allow_remote_needs_a_token_no_one_could_guess():
    with pytest.raises(KgError, match=r"^--allow-remote needs a token that clients must send: pass --token or set KG_SERVE_TOKEN"):
        check_host("0.0.0.0", allow_remote=True)
    for short in ("t", " " * 20, "fifteen-chars!!"):
        with pytest.raises(KgError, match=r"^the token is shorter than 16 characters, which anyone could guess"):
            check_host("0.0.0.0", allow_remote=True, token=short)
    check_host("0.0.0.0", allow_remote=True, token="sixteen-chars-ok")


def test_a_method_the_server_does_not_serve_is_answered_in_json_with_its_headers(server):
    for method in ("PUT", "DELETE", "OPTIONS"):
        status, payload, headers = _method(server, method)
        assert status == 501 and payload == {"error": f"Unsupported method ('{method}')"}
        assert headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"


# ---- the command --------------------------------------------------------------------------------


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120, env=env)


def test_serve_refuses_a_remote_host_without_a_token(db):
    result = kg("serve", "--host", "0.0.0.0", "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: refusing to serve on 0.0.0.0: it is not a loopback address")
    result = kg("serve", "--host", "0.0.0.0", "--allow-remote", "--db", str(db), env={**os.environ, "KG_SERVE_TOKEN": ""})
    assert result.returncode == 1
    assert result.stderr.startswith("Error: --allow-remote needs a token")


def test_serve_says_how_to_build_when_there_is_no_graph(tmp_path):
    result = kg("serve", "--db", str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stderr == f"Error: no graph at {tmp_path / 'none'}; build one first with `kg build` (or pass --db PATH)\n"


def test_serve_prints_its_url_and_stops_cleanly_on_ctrl_c(db):
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", "0", "--timeout", "0.5", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell that started the tests in the background may have left SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving the graph at http://127.0.0.1:") and line.endswith("/ (read-only; Ctrl-C to stop)\n")
        url = line.split()[4]
        with urllib.request.urlopen(url + "api/queries", timeout=30) as response:
            assert response.status == 200
        slow = urllib.request.Request(
            url + "api/query",
            data=json.dumps({"cypher": "MATCH p = (a)-[*1..6]-(b) RETURN count(p)"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as stopped:  # --timeout reaches the server
            urllib.request.urlopen(slow, timeout=30)
        assert json.loads(stopped.value.read())["error"].startswith("the query ran longer than 0.5 s")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out == "Stopped.\n"
    assert "Traceback" not in err and err == ""


# ---- the page in a real browser ----------------------------------------------------------------


@contextmanager
def _opened(browser, server):
    """The page of ``server`` in a new browser context, ready; it records script errors and dialogs."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url) else route.abort())
    page.goto(server.url)
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, server):
    with _opened(browser, server) as page:
        yield page


def _run(page, state: str = "done") -> None:
    page.click("#run")
    page.wait_for_selector(f"body[data-state={state}]", timeout=60_000)


def test_page_runs_a_library_query_and_draws_table_and_graph(page, tmp_path):
    page.select_option("#library", "methods_per_technique")
    assert page.input_value("#cypher") == querylib.resolve("methods_per_technique").text
    assert page.input_value("#param-technique") == "quantization"
    assert page.text_content("#question") == querylib.resolve("methods_per_technique").question
    _run(page)
    assert page.locator("#table thead th").all_text_contents() == ["method", "technique", "papers"]
    assert page.locator("#table tbody tr").count() > 0
    assert page.locator("#graph canvas").count() == 1
    assert int(page.get_attribute("#graph", "data-nodes")) > 1
    assert int(page.get_attribute("#graph", "data-edges")) > 0
    assert "Technique" in page.locator("#legend .legend-item").all_text_contents()
    assert page.is_hidden("#error")
    page.wait_for_selector("#graph[data-stable=true]", timeout=60_000)
    page.screenshot(path=str(tmp_path / "serve.png"))
    assert (tmp_path / "serve.png").stat().st_size > 10_000
    if os.environ.get("KG_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "serve.png"))
    assert page.problems == [] and page.dialogs == []


def test_page_changed_parameters_reach_the_query(page):
    page.select_option("#library", "methods_per_technique")
    page.fill("#param-technique", "no such technique")
    _run(page)
    assert page.locator("#table tbody tr").count() == 0
    assert page.text_content("#status").startswith("0 rows")


def test_page_back_forward_and_reload_step_through_the_queries_run(page):
    opened = page.input_value("#cypher")  # the example the page opens with
    assert opened.startswith("MATCH ")
    def headers_are(names: list[str]) -> None:
        page.wait_for_function(
            "names => JSON.stringify([...document.querySelectorAll('#table thead th')].map(th => th.textContent)) === JSON.stringify(names)"
            " && document.body.dataset.state === 'done'",
            arg=names,
            timeout=60_000,
        )

    page.select_option("#library", "methods_per_technique")
    page.fill("#param-technique", "pruning")
    _run(page)
    page.fill("#cypher", "MATCH (p:Paper) RETURN p.title AS title LIMIT 3")
    page.dispatch_event("#cypher", "input")
    _run(page)
    page.go_back()
    headers_are(["method", "technique", "papers"])
    assert page.input_value("#library") == "methods_per_technique" and page.input_value("#param-technique") == "pruning"
    page.go_forward()
    headers_are(["title"])
    page.reload()
    page.wait_for_selector("body[data-state=ready], body[data-state=done]", timeout=30_000)
    headers_are(["title"])
    assert page.input_value("#cypher") == "MATCH (p:Paper) RETURN p.title AS title LIMIT 3"
    page.go_back()
    page.go_back()  # before the first query: the page as it opened, still this app
    for _ in range(300):  # polled from here: the page's policy forbids the eval wait_for_function needs
        if page.evaluate("document.querySelector('#cypher') && document.querySelector('#cypher').value") == opened:
            break
        page.wait_for_timeout(100)
    assert page.input_value("#cypher") == opened and page.input_value("#library") == ""
    assert page.problems == []


def test_page_a_query_in_an_address_made_elsewhere_waits_for_run(page, server):
    # a link on another site must not run a query on the user's graph: it fills the page in, whether
    # it loads the page or only changes the address of one already open
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for limit, navigate in ((2, page.goto), (1, lambda url: page.evaluate("url => { location.href = url; }", url))):
        state = {"library": "", "cypher": f"MATCH (p:Paper) RETURN p.title AS title LIMIT {limit}", "params": {}}
        navigate(f"{server.url}#q={urllib.parse.quote(json.dumps(state))}")
        page.wait_for_function("c => document.querySelector('#cypher').value === c", arg=state["cypher"], timeout=30_000)
        page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        assert page.text_content("#status") == "The query in the address is filled in: read it, then press Run."
        assert page.locator("#table tbody tr").count() == 0
    assert not [url for url in requests if url.endswith("/api/query")]
    _run(page)
    assert page.locator("#table tbody tr").count() == 1
    assert page.problems == []


def test_page_says_when_it_shows_only_the_first_rows(page):
    page.fill("#cypher", "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b RETURN a, b")
    _run(page)
    assert page.locator("#table tbody tr").count() == MAX_ROWS
    assert page.text_content("#status").startswith(f"the first {MAX_ROWS} rows (the rest were not fetched; narrow the query or add LIMIT) in ")


def test_page_a_parameter_of_the_wrong_type_clears_the_last_answer(page):
    page.select_option("#library", "most_compared_baselines")
    _run(page)
    assert page.locator("#table tbody tr").count() > 0
    page.fill("#param-limit", "abc")
    _run(page, "error")
    assert page.text_content("#error") == 'parameter limit must be a number, not "abc"'
    assert page.locator("#table tbody tr").count() == 0 and page.text_content("#status") == ""


def test_page_draws_units_and_directions_only_in_tooltips(page):
    page.select_option("#library", "results_of_method")
    _run(page)
    assert "unit" in page.locator("#table thead th").all_text_contents()
    legend = set(page.locator("#legend .legend-item").all_text_contents())
    assert {"Method", "Metric"} <= legend and not legend & {"unit", "direction"}
    assert page.problems == []


@pytest.mark.parametrize("name", ["compared_against", "technique_subtree", "techniques_by_model_family"])
def test_page_draws_the_names_a_library_query_pairs(page, name):
    # columns that name no label ("baseline", "root", "family") still hold the names a row pairs
    page.select_option("#library", name)
    _run(page)
    assert page.locator("#table tbody tr").count() > 0
    assert int(page.get_attribute("#graph", "data-edges")) > 0
    assert page.problems == []


def test_page_draws_nodes_returned_as_nodes(page):
    page.fill("#cypher", "MATCH (p:Paper)-[r:USES_TECHNIQUE]->(t:Technique) RETURN p, r, t LIMIT 20")
    _run(page)
    assert page.locator("#table tbody tr").count() == 20
    assert page.locator("#table tbody tr").first.locator("td .tag").first.text_content() == "Paper"
    assert set(page.locator("#legend .legend-item").all_text_contents()) == {"Paper", "Technique"}
    assert int(page.get_attribute("#graph", "data-edges")) > 0
    assert page.problems == []


def test_page_shows_a_write_query_as_an_error_message(page):
    page.fill("#cypher", "MATCH (p:Paper) SET p.title = 'x' RETURN p")
    _run(page, "error")
    assert page.is_visible("#error")
    assert page.text_content("#error") == f"SET writes to the graph{READ_ONLY}"
    page.fill("#cypher", "MATCH (p:Paper RETURN p")
    _run(page, "error")
    assert page.text_content("#error").startswith("Parser exception: ")
    assert page.dialogs == []


def test_page_shows_the_plan_of_an_explain_and_hides_it_after(page):
    page.fill("#cypher", "EXPLAIN MATCH (m:Method) WHERE m.name = '<b>x</b>' RETURN m.name AS name")
    _run(page)
    assert page.is_visible("#plan") and "Method" in page.text_content("#plan")
    assert page.locator("#plan b").count() == 0  # the query's text in the plan stays text
    page.fill("#cypher", "MATCH (m:Method) RETURN m.name AS name LIMIT 1")
    _run(page)
    assert not page.is_visible("#plan") and page.locator("#table tbody tr").count() == 1


def test_page_shows_the_answer_to_the_latest_query_not_an_earlier_slower_one(page):
    page.evaluate(  # every header the table shows, however briefly
        "window.heads = []; new MutationObserver(() => window.heads.push(document.querySelector('#table thead').textContent))"
        ".observe(document.querySelector('#table thead'), {childList: true, subtree: true})"
    )
    page.fill(  # a few seconds of string work (a count over ranges is answered without making them)
        "#cypher",
        "MATCH (a:Paper), (b:Paper), (c:Hardware) "
        "WHERE (a.abstract + b.abstract + a.abstract + b.abstract) CONTAINS (c.name + 'zz') RETURN count(*) AS slow",
    )
    page.click("#run")
    page.wait_for_selector("body[data-state=running]")
    page.fill("#cypher", "MATCH (m:Method) RETURN m.name AS fast LIMIT 3")
    page.press("#cypher", "Control+Enter")  # the server runs one query at a time: this one answers last
    for _ in range(600):  # polled from here: the page's policy forbids the eval wait_for_function needs
        if "fast" in page.evaluate("window.heads"):
            break
        page.wait_for_timeout(100)
    page.wait_for_selector("body[data-state=done]", timeout=60_000)
    assert "slow" not in page.evaluate("window.heads")  # the first query's answer was dropped, never drawn
    assert page.locator("#table thead th").all_text_contents() == ["fast"]
    assert page.locator("#table tbody tr").count() == 3 and page.text_content("#status").startswith("3 rows in ")
    assert page.is_enabled("#run") and page.problems == []


def test_page_shows_relationships_with_their_evidence_and_says_how_to_draw_them(page):
    page.fill("#cypher", "MATCH (:Paper)-[r:PROPOSES]->(:Method) RETURN r LIMIT 3")
    _run(page)
    cell = page.locator("#table tbody td").first
    assert cell.text_content().startswith(":PROPOSES (") and "sentence: " in cell.get_attribute("title")
    assert page.get_attribute("#graph", "data-nodes") == "0"
    assert "return their nodes too (RETURN a, r, b)" in page.text_content("#graph-note")
    page.fill("#cypher", "MATCH p = (:Paper)-[:PROPOSES]->(m:Method {key: 'gptq'}) RETURN p")
    _run(page)
    assert page.locator("#table tbody td").first.text_content().endswith(" -PROPOSES- GPTQ")


def test_page_label_tags_are_legible_on_every_label_colour(page):
    page.fill("#cypher", "MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:OF_METRIC]->(m:Metric) MATCH (p)-[]->(x) RETURN p, r, m, x LIMIT 300")
    _run(page)
    ratios = page.evaluate(
        """() => {
          const lum = (rgb) => {
            const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map((v) => {
              const c = Number(v) / 255;
              return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const out = {};
          for (const tag of document.querySelectorAll("#table .tag")) {
            const style = getComputedStyle(tag);
            const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
            out[tag.textContent] = (a + 0.05) / (b + 0.05);
          }
          return out;
        }"""
    )
    assert len(ratios) >= 5, ratios
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios  # WCAG AA for small text


def test_page_a_cell_cut_short_opens_with_the_keyboard(page):
    page.fill("#cypher", "MATCH (p:Paper) WHERE size(p.abstract) > 600 RETURN p.abstract AS abstract LIMIT 1")
    _run(page)
    cell = page.locator("#table tbody td.cut").first
    short = cell.text_content()
    assert short.endswith("…") and len(short) == 300
    cell.focus()
    page.keyboard.press("Enter")
    assert len(cell.text_content()) > 600 and cell.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert cell.text_content() == short


def test_page_a_bad_parameter_sent_while_a_query_runs_leaves_run_usable(page):
    page.fill("#cypher", "MATCH (a:Paper), (b:Paper), (c:Hardware) WHERE (a.abstract + b.abstract + a.abstract + b.abstract) "
              "CONTAINS (c.name + 'zz') RETURN count(*) AS n")
    page.click("#run")
    page.wait_for_selector("body[data-state=running]")
    page.select_option("#library", "most_compared_baselines")
    page.fill("#param-limit", "abc")
    page.press("#param-limit", "Enter")  # refused by the page itself; the running query is dropped
    page.wait_for_selector("body[data-state=error]")
    assert page.text_content("#error") == 'parameter limit must be a number, not "abc"'
    page.wait_for_timeout(300)
    assert page.is_enabled("#run")


def test_page_enter_in_a_parameter_runs_the_query(page):
    page.select_option("#library", "methods_per_technique")
    page.fill("#param-technique", "pruning")
    page.press("#param-technique", "Enter")
    page.wait_for_selector("body[data-state=done]", timeout=60_000)
    assert "pruning" in page.locator("#table tbody").text_content()


def test_page_shows_markup_in_a_title_as_text_and_runs_none_of_it(page):
    page.fill("#cypher", "MATCH (p:Paper) WHERE p.id = $id RETURN p.title AS title, p")
    assert page.input_value("#param-id") == ""
    page.fill("#param-id", "evil1")
    _run(page)
    cells = page.locator("#table tbody tr").first.locator("td")
    assert cells.nth(0).text_content() == EVIL_TITLE
    assert cells.nth(1).text_content() == "Paper" + EVIL_TITLE
    assert page.locator("#table img, #table script, #results img").count() == 0
    page.wait_for_selector("#graph[data-stable=true]", timeout=60_000)
    page.wait_for_timeout(300)  # give an injected handler the chance to fire
    assert page.dialogs == []
    assert page.problems == []


# ---- cancelling from the page -------------------------------------------------------------------

FAST = "MATCH (m:Method) RETURN m.name AS fast LIMIT 3"


def _start_slow(page) -> None:
    page.fill("#cypher", SLOW)
    page.click("#run")
    page.wait_for_selector("body[data-state=running]")
    page.wait_for_timeout(300)  # running on the server, past its compilation


def test_page_cancel_stops_the_running_query_and_the_next_one_runs_at_once(page, slow_seconds):
    assert page.is_hidden("#cancel")  # only while a query runs
    _start_slow(page)
    assert page.is_visible("#cancel") and page.is_enabled("#cancel") and page.is_disabled("#run")
    started = time.monotonic()
    page.click("#cancel")
    page.wait_for_selector("body[data-state=cancelled]", timeout=60_000)
    assert time.monotonic() - started < slow_seconds / 2
    assert page.text_content("#status") == "Cancelled."
    assert page.is_hidden("#error") and page.is_hidden("#cancel") and page.is_enabled("#run")
    assert page.evaluate("document.activeElement.id") == "run"  # the focus did not fall off the page
    page.fill("#cypher", FAST)
    started = time.monotonic()
    _run(page)
    assert time.monotonic() - started < slow_seconds / 2  # the server had stopped the slow one
    assert page.locator("#table thead th").all_text_contents() == ["fast"]
    # Chromium logs every answer that is not 2xx; the cancelled query's 409 is the only one
    assert page.problems == ["console: Failed to load resource: the server responded with a status of 409 (Conflict)"]


def test_page_a_newer_query_stops_the_older_one_on_the_server(page, slow_seconds):
    _start_slow(page)
    page.fill("#cypher", FAST)
    started = time.monotonic()
    page.press("#cypher", "Control+Enter")
    page.wait_for_selector("body[data-state=done]", timeout=60_000)
    assert time.monotonic() - started < slow_seconds / 2  # it did not wait behind the slow one
    assert page.locator("#table thead th").all_text_contents() == ["fast"]
    assert page.is_hidden("#cancel") and page.problems == []


def test_page_closed_while_a_query_runs_stops_it_on_the_server(page, server, slow_seconds):
    _start_slow(page)
    started = time.monotonic()
    page.goto("about:blank")
    assert query(server, cypher="RETURN 1 AS one")[0] == 200
    assert time.monotonic() - started < slow_seconds / 2


def test_page_back_to_where_it_opened_drops_the_running_query(page, server, slow_seconds):
    _start_slow(page)
    started = time.monotonic()
    page.go_back()
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    assert query(server, cypher="RETURN 1 AS one")[0] == 200
    assert time.monotonic() - started < slow_seconds / 2  # stopped on the server too
    page.wait_for_timeout(int(slow_seconds * 1000) + 500)  # past when its answer would have come
    assert page.get_attribute("body", "data-state") == "ready"
    assert page.locator("#table thead th").count() == 0 and page.text_content("#status") == ""
    assert page.is_hidden("#cancel") and page.is_enabled("#run") and page.problems == []


# ---- Neo4j ----------------------------------------------------------------------------------------


@pytest.fixture
def neo4j_server(neo4j, neo4j_settings, sample_graph):
    """kg serve on the real Neo4j, holding the sample graph."""
    neo4j.load(sample_graph)
    server = make_server(settings=neo4j_settings, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    _stop(server, thread)


MISSPELT = "property key does not exist. The property `nme` does not exist. Verify that the spelling is correct."


@pytest.mark.neo4j
def test_api_sends_neo4j_s_warnings_with_the_rows(neo4j_server):
    status, payload = query(neo4j_server, cypher="MATCH (p:Paper) RETURN p.nme AS name LIMIT 1")
    assert (status, payload["rows"], payload["warnings"]) == (200, [[None]], [MISSPELT])
    assert query(neo4j_server, cypher="MATCH (p:Paper) RETURN p.id AS id LIMIT 1")[1]["warnings"] == []


@pytest.mark.neo4j
def test_api_cancel_stops_a_neo4j_query_and_the_next_one_runs_at_once(neo4j_server):
    slow_seconds = _timed_slow_query(neo4j_server)
    sent = _Sent(neo4j_server, "neo4j-slow-query")
    time.sleep(0.5)  # running on the server
    cancelled_at = time.monotonic()
    assert cancel(neo4j_server, "neo4j-slow-query") == (200, {"stopped": True})
    assert sent.wait() == CANCELLED
    assert query(neo4j_server, cypher="MATCH (p:Paper) RETURN count(p) AS papers")[1]["rows"] == [[171]]
    assert time.monotonic() - cancelled_at < slow_seconds / 2


@pytest.mark.neo4j
def test_page_shows_neo4j_s_warnings_as_text_apart_from_errors(browser, neo4j_server):
    with _opened(browser, neo4j_server) as page:
        page.fill("#cypher", "MATCH (p:Paper) RETURN p.nme AS name, p.`<img src=x onerror=alert(1)>` AS evil LIMIT 1")
        _run(page)
        assert page.locator("#warning-list li").all_text_contents() == [
            MISSPELT,
            MISSPELT.replace("nme", "<img src=x onerror=alert(1)>"),
        ]
        assert page.is_visible("#warnings") and page.is_hidden("#error")
        assert page.get_by_role("region", name="The store warned about this query").is_visible()
        assert page.text_content("#status").startswith("1 row in ") and page.text_content("#status").endswith("; 2 warnings below")
        assert page.locator("#warnings img, #query-panel img").count() == 0
        page.fill("#cypher", "MATCH (p:Paper) RETURN p.id AS id LIMIT 1")
        _run(page)
        assert page.is_hidden("#warnings") and page.locator("#warning-list li").count() == 0
        page.wait_for_timeout(300)  # give an injected handler the chance to fire
        assert page.dialogs == [] and page.problems == []
