"""Fetching from live sources, end to end against a local HTTP server that answers recorded fixtures."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kg.corpus import read_papers
from kg.corpus.fetch import bare_arxiv_id, fetch_arxiv, fetch_hf_papers, state_path
from kg.errors import FetchError

FIXTURES = Path(__file__).parents[1] / "data" / "fetch"
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
ALL_IDS = ["2306.00978", "2305.14314", "2301.00774", "2211.10438", "2210.17323"]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Service:
    """What the local server answers: arXiv pages by `start`, the HF list, and one-off answers queued first."""

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[dict[str, str]] = []
        self.pages = {"0": fixture("arxiv_page1.xml"), "3": fixture("arxiv_page2.xml")}
        self.queued: list[tuple[str | None, int, dict[str, str], bytes]] = []
        self.always: tuple[int, dict[str, str], bytes] | None = None

    @property
    def arxiv_url(self) -> str:
        return f"{self.url}/api/query"

    @property
    def hf_url(self) -> str:
        return f"{self.url}/api/daily_papers"

    def queue(
        self, status: int, body: bytes, headers: dict[str, str] | None = None, *, start: str | None = None
    ) -> None:
        """Answer the next request (for arXiv result `start`, if given) with this, once."""
        self.queued.append((start, status, headers or {}, body))

    def queue_rate_limited(self, status: int, *, start: str | None = None) -> None:
        recorded = json.loads(fixture("arxiv_rate_limited.json"))
        self.queue(status, recorded["body"].encode(), recorded["headers"], start=start)

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        for i, (start, status, headers, body) in enumerate(self.queued):
            if start is None or start == params.get("start"):
                del self.queued[i]
                return status, headers, body
        if self.always:
            return self.always
        if path == "/api/daily_papers":
            return 200, JSON, fixture("hf_daily_papers.json")
        return 200, ATOM, self.pages.get(params.get("start", "0"), fixture("arxiv_empty.xml"))


@pytest.fixture
def service():
    svc = Service()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            svc.requests.append({"path": parts.path, **params})
            status, headers, body = svc.answer(parts.path, params)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    svc.url = f"http://127.0.0.1:{server.server_port}"
    yield svc
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def waits() -> list[float]:
    return []


def fetch(service: Service, out: Path, waits: list[float], **options):
    options = {"page_size": 3, "delay": 0, **options}
    return fetch_arxiv("all:quantization", out, base_url=service.arxiv_url, sleep=waits.append, **options)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- arXiv: paging and stopping ---------------------------------------------------------------


def test_arxiv_pages_through_every_result_newest_first(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits)

    assert [r["id"] for r in lines(out)] == ALL_IDS
    assert lines(out)[0] == {
        "id": "2306.00978",
        "title": "AWQ: Activation-aware Weight Quantization for LLM Compression and Acceleration",
        "abstract": lines(out)[0]["abstract"],
        "authors": ["Ji Lin", "Jiaming Tang", "Song Han"],
        "date": "2023-06-01T17:59:10Z",
        "year": 2023,
        "url": "https://arxiv.org/abs/2306.00978",
        "categories": ["cs.CL", "cs.AI", "cs.LG"],
    }
    assert lines(out)[0]["abstract"].startswith("Large language models are costly to serve. We propose")
    assert (report.written, report.already, report.requests, report.stopped) == (5, 0, 2, "no more results")
    assert service.requests == [
        {
            "path": "/api/query",
            "search_query": "all:quantization",
            "start": start,
            "max_results": "3",
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        for start in ("0", "3")
    ]
    assert not state_path(out).exists()


@pytest.mark.parametrize(("max_papers", "requests"), [(2, 1), (3, 1), (4, 2)])
def test_arxiv_stops_at_max(service, tmp_path, waits, max_papers, requests):
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits, max_papers=max_papers)
    assert [r["id"] for r in lines(out)] == ALL_IDS[:max_papers]
    assert report.stopped == f"reached the limit of {max_papers} papers"
    assert len(service.requests) == requests


def test_arxiv_stops_at_papers_older_than_since(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits, since=date(2022, 11, 1))
    assert [r["id"] for r in lines(out)] == ALL_IDS[:4]
    assert report.stopped == "reached papers submitted before 2022-11-01"


def test_arxiv_empty_feed_writes_an_empty_file(service, tmp_path, waits):
    service.always = (200, ATOM, fixture("arxiv_empty.xml"))
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits)
    assert out.read_text() == ""
    assert (report.written, report.stopped) == (0, "no more results")


def test_arxiv_waits_between_requests(service, tmp_path, waits):
    fetch(service, tmp_path / "arxiv.jsonl", waits, delay=3.0)
    assert len(waits) == 1 and 2.5 < waits[0] <= 3.0


# -- arXiv: errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 400])
def test_arxiv_error_feed_is_one_clear_error(service, tmp_path, waits, status):
    service.always = (status, ATOM, fixture("arxiv_error.xml"))
    with pytest.raises(FetchError) as e:
        fetch(service, tmp_path / "arxiv.jsonl", waits)
    url = f"{service.arxiv_url}?search_query=all%3Aquantization&start=0&max_results=3&sortBy=submittedDate&sortOrder=descending"
    if status == 200:
        assert str(e.value) == f"the arXiv API rejected the request: incorrect id format for 1234.12345 ({url})"
    else:
        assert (
            str(e.value) == f"the arXiv API answered HTTP 400 Bad Request for {url}: incorrect id format for 1234.12345"
        )


@pytest.mark.parametrize("status", [429, 503])
def test_arxiv_rate_limit_waits_as_told_then_succeeds(service, tmp_path, waits, status):
    service.queue_rate_limited(status, start="3")
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits)
    assert waits == [7.0]
    assert [r["id"] for r in lines(out)] == ALL_IDS
    assert report.requests == 3


def test_arxiv_rate_limit_gives_up_after_bounded_retries(service, tmp_path, waits):
    for _ in range(4):
        service.queue_rate_limited(503)
    with pytest.raises(
        FetchError, match=r"still refusing requests \(HTTP 503\) after 3 retries at http://127\.0\.0\.1"
    ):
        fetch(service, tmp_path / "arxiv.jsonl", waits)
    assert waits == [7.0, 7.0, 7.0]
    assert len(service.requests) == 4


def test_arxiv_unreachable_server_names_the_url(tmp_path, waits):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/api/query"
    with pytest.raises(FetchError) as e:
        fetch_arxiv("all:x", tmp_path / "arxiv.jsonl", base_url=base, delay=0, sleep=waits.append)
    assert str(e.value).startswith(f"cannot reach the arXiv API at {base}?search_query=all%3Ax&start=0")
    assert "check the network connection and the base URL" in str(e.value)
    assert not (tmp_path / "arxiv.jsonl").exists()  # no empty file left for `kg build` to read as 0 papers


def test_a_base_url_that_is_no_web_address_is_one_line(tmp_path, waits):
    with pytest.raises(FetchError) as e:
        fetch_arxiv("all:x", tmp_path / "arxiv.jsonl", base_url="notaurl", delay=0, sleep=waits.append)
    assert str(e.value) == "'notaurl' is no web address for the arXiv API; give one that starts with https://"


def test_arxiv_answer_that_is_not_atom_is_refused(service, tmp_path, waits):
    service.always = (200, {"Content-Type": "text/html"}, b"<html><body>Service moved</body></html>")
    with pytest.raises(
        FetchError, match=r"did not answer with an Atom feed \(root element 'html'\); check the base URL"
    ):
        fetch(service, tmp_path / "arxiv.jsonl", waits)


# -- arXiv: resuming ----------------------------------------------------------------------------


@pytest.mark.parametrize(("max_papers", "expected"), [(None, 5), (4, 4)])
def test_arxiv_resumes_after_a_failure_without_duplicates(service, tmp_path, waits, max_papers, expected):
    service.queue(500, b"Internal Server Error", start="3")
    out = tmp_path / "arxiv.jsonl"
    with pytest.raises(FetchError, match=r"the arXiv API answered HTTP 500 Internal Server Error for .*start=3"):
        fetch(service, out, waits, max_papers=max_papers)
    assert [r["id"] for r in lines(out)] == ALL_IDS[:3]
    assert json.loads(state_path(out).read_text())["next_start"] == 3

    service.requests.clear()
    report = fetch(service, out, waits, max_papers=max_papers)
    assert report.resumed_at == 3
    assert service.requests[0]["start"] == "3"
    assert [r["id"] for r in lines(out)] == ALL_IDS[:expected]
    assert not state_path(out).exists()


def test_arxiv_empty_page_inside_the_results_is_resumable(service, tmp_path, waits):
    service.queue(200, fixture("arxiv_empty.xml"), ATOM, start="3")
    out = tmp_path / "arxiv.jsonl"
    with pytest.raises(FetchError, match=r"answered an empty page at result 3 of 5 .*; rerun the same command"):
        fetch(service, out, waits)
    service.queue(200, fixture("arxiv_empty.xml"), ATOM, start="3")  # a resumed run remembers there are 5
    with pytest.raises(FetchError, match=r"answered an empty page at result 3 of 5 "):
        fetch(service, out, waits)
    fetch(service, out, waits)
    assert [r["id"] for r in lines(out)] == ALL_IDS


def test_arxiv_rerun_skips_papers_already_written(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    fetch(service, out, waits)
    report = fetch(service, out, waits)
    assert (report.written, report.already) == (0, 5)
    assert [r["id"] for r in lines(out)] == ALL_IDS


def test_arxiv_cut_off_last_line_is_dropped_and_fetched_again(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    fetch(service, out, waits, max_papers=2)
    with out.open("a") as f:
        f.write('{"id": "2301.00774", "title": "SparseGPT: Mas')
    fetch(service, out, waits)
    assert [r["id"] for r in lines(out)] == ALL_IDS


def test_arxiv_unfinished_fetch_for_another_query_is_not_mixed_in(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    state_path(out).write_text(json.dumps({"source": "arxiv", "query": "cat:cs.CV", "since": None, "next_start": 200}))
    with pytest.raises(FetchError) as e:
        fetch(service, out, waits)
    assert str(e.value) == (
        f"{out} has an unfinished fetch for query 'cat:cs.CV'; rerun that command to finish it, "
        f"or delete {state_path(out)} to start a new one"
    )


def test_fetched_file_reads_back_as_papers_with_arxiv_ids(service, tmp_path, waits):
    out = tmp_path / "arxiv.jsonl"
    fetch(service, out, waits)
    papers = list(read_papers([out]))
    assert [p.id for p in papers] == [f"arxiv:{i}" for i in ALL_IDS]
    gptq = papers[-1]
    assert gptq.title == "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers"
    assert (gptq.year, gptq.url) == (2022, "https://arxiv.org/abs/2210.17323")
    assert gptq.authors == ("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh")


@pytest.mark.parametrize(
    ("raw", "bare"),
    [("2210.17323v2", "2210.17323"), ("arxiv:2210.17323", "2210.17323"), ("hep-ex/0307015v1", "hep-ex/0307015")],
)
def test_bare_arxiv_id_drops_prefix_and_version(raw, bare):
    assert bare_arxiv_id(raw) == bare


# -- Hugging Face daily papers ------------------------------------------------------------------


def test_hf_papers_writes_the_days_list(service, tmp_path):
    out = tmp_path / "hf.jsonl"
    report = fetch_hf_papers(out, day=date(2024, 2, 28), base_url=service.hf_url)
    assert service.requests == [{"path": "/api/daily_papers", "date": "2024-02-28"}]
    records = lines(out)
    assert [r["id"] for r in records] == ["2402.17764", "2402.19427"]
    assert records[0]["title"] == "The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits"
    assert records[0]["abstract"].startswith(
        "Recent research, such as BitNet, is paving the way for a new era of 1-bit Large"
    )
    assert records[0]["authors"] == ["Shuming Ma", "Hongyu Wang", "Lingxiao Ma", "Furu Wei"]
    assert (records[0]["date"], records[0]["year"]) == ("2024-02-27T18:56:19Z", 2024)
    assert (records[0]["url"], records[0]["categories"]) == ("https://arxiv.org/abs/2402.17764", [])
    assert (report.written, report.already) == (2, 0)
    assert [p.id for p in read_papers([out])] == ["arxiv:2402.17764", "arxiv:2402.19427"]

    again = fetch_hf_papers(out, day=date(2024, 2, 28), base_url=service.hf_url)
    assert (again.written, again.already, len(lines(out))) == (0, 2, 2)


def test_hf_papers_without_date_asks_for_the_latest_list(service, tmp_path):
    fetch_hf_papers(tmp_path / "hf.jsonl", base_url=service.hf_url)
    assert service.requests == [{"path": "/api/daily_papers"}]


def test_hf_papers_error_answer_is_one_clear_error(service, tmp_path):
    service.queue(400, fixture("hf_error.json"), JSON)
    with pytest.raises(FetchError) as e:
        fetch_hf_papers(tmp_path / "hf.jsonl", day=date(2999, 1, 1), base_url=service.hf_url)
    assert str(e.value) == (
        f"the Hugging Face papers API answered HTTP 400 Bad Request for {service.hf_url}?date=2999-01-01: "
        "Invalid date: the daily papers list for 2999-01-01 does not exist yet"
    )
    assert not (tmp_path / "hf.jsonl").exists()


# -- the CLI, as a user runs it -----------------------------------------------------------------


def kg(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_fetch_arxiv_prints_a_summary(service, tmp_path):
    result = kg(
        "fetch", "arxiv", "--query", "x", "--max", "3", "-o", "out.jsonl",
        cwd=tmp_path, KG_ARXIV_URL=service.arxiv_url, KG_FETCH_DELAY="0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "Wrote 3 new papers from arXiv to out.jsonl (0 already there); stopped: reached the limit of 3 papers.\n"
    )
    assert [r["id"] for r in lines(tmp_path / "out.jsonl")] == ALL_IDS[:3]


def test_cli_fetch_arxiv_error_is_one_line_and_exit_1(service, tmp_path):
    service.always = (200, ATOM, fixture("arxiv_error.xml"))
    result = kg(
        "fetch", "arxiv", "--query", "x", "-o", "out.jsonl",
        cwd=tmp_path, KG_ARXIV_URL=service.arxiv_url, KG_FETCH_DELAY="0",
    )  # fmt: skip
    url = f"{service.arxiv_url}?search_query=x&start=0&max_results=100&sortBy=submittedDate&sortOrder=descending"
    assert result.returncode == 1
    assert result.stderr == f"Error: the arXiv API rejected the request: incorrect id format for 1234.12345 ({url})\n"


def test_cli_fetch_hf_papers(service, tmp_path):
    result = kg("fetch", "hf-papers", "--date", "2024-02-28", "-o", "hf.jsonl", cwd=tmp_path, KG_HF_URL=service.hf_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Wrote 2 new papers from Hugging Face daily papers to hf.jsonl (0 already there); "
        "stopped: the list for 2024-02-28 had 2 papers.\n"
    )


def _without_total(page: bytes) -> bytes:
    return re.sub(rb"<opensearch:totalResults[^>]*>\d+</opensearch:totalResults>", b"", page)


def test_arxiv_stops_when_a_server_without_total_results_answers_the_same_page_again(service, tmp_path, waits):
    """A static file or a proxy that ignores `start` and leaves out totalResults: it was asked for
    the same page forever."""
    service.always = (200, ATOM, _without_total(fixture("arxiv_page1.xml")))
    out = tmp_path / "arxiv.jsonl"

    def sleep(seconds: float) -> None:  # between requests: a fetch that never stops fails here
        waits.append(seconds)
        assert len(waits) < 10, "asked for the same page again and again"

    report = fetch_arxiv("all:quantization", out, base_url=service.arxiv_url, sleep=sleep, page_size=3, delay=60)
    assert [r["id"] for r in lines(out)] == ALL_IDS[:3]
    assert report.stopped == "the page at result 3 held only papers of earlier pages (does the server ignore start?)"
    assert (report.written, report.requests) == (3, 2)
    assert not state_path(out).exists()


def test_arxiv_without_total_results_pages_on_until_an_empty_page(service, tmp_path, waits):
    service.pages = {start: _without_total(page) for start, page in service.pages.items()}
    report = fetch(service, tmp_path / "arxiv.jsonl", waits)
    assert [r["id"] for r in lines(tmp_path / "arxiv.jsonl")] == ALL_IDS
    assert (report.requests, report.stopped) == (3, "no more results")


def test_hf_papers_with_odd_fields_keeps_the_day_and_writes_text(service, tmp_path):
    """A superscript digit passed str.isdigit() and failed int(), an unexpected ValueError that
    lost the day's list; a list-valued summary was written as Python's repr "['...']"."""
    items = json.loads(fixture("hf_daily_papers.json"))
    items[0]["paper"]["publishedAt"] = "\u00b2\u2070\u00b2\u2074-02-27T18:56:19.000Z"
    items[1]["paper"]["summary"] = ["First half of the abstract.", "Second half."]
    items[1]["paper"]["title"] = {"text": "not a title"}
    service.queue(200, json.dumps(items).encode(), JSON)
    out = tmp_path / "hf.jsonl"
    report = fetch_hf_papers(out, day=date(2024, 2, 28), base_url=service.hf_url)
    first, second = lines(out)
    assert report.written == 2
    assert (first["date"], first["year"]) == ("\u00b2\u2070\u00b2\u2074-02-27T18:56:19.000Z", None)
    assert second["abstract"] == "First half of the abstract. Second half."
    assert second["title"] == items[1]["title"]  # the item's own title, as when the paper has none


def test_a_retry_after_in_superscript_digits_is_no_number_and_the_usual_wait_is_taken(service, tmp_path, waits):
    service.queue(503, b"", {"Retry-After": "\u00b2"}, start="0")
    report = fetch(service, tmp_path / "arxiv.jsonl", waits)
    assert report.written == 5 and waits == [2.0]  # max(delay, 1) * 2, not an unexpected ValueError


def _with_ids(*ids: object) -> bytes:
    """The day's list, its first paper repeated under each of ``ids``."""
    items = json.loads(fixture("hf_daily_papers.json"))
    extra = [{**items[0], "paper": {**items[0]["paper"], "id": paper_id}} for paper_id in ids]
    return json.dumps(items + extra + ["not an item"]).encode()


def test_hf_papers_skips_and_lists_an_id_that_is_no_arxiv_id(service, tmp_path):
    """Such an id was written as it came: "../x" became a paper id, and its arxiv.org URL."""
    service.queue(200, _with_ids("../../etc/passwd", "2402.1 7764", "", None, 2402.17765, "hep-th/9901001v2"), JSON)
    out = tmp_path / "hf.jsonl"
    report = fetch_hf_papers(out, day=date(2024, 2, 28), base_url=service.hf_url)
    assert [r["id"] for r in lines(out)] == ["2402.17764", "2402.19427", "hep-th/9901001"]
    assert report.skipped == [
        "item 3: its id '../../etc/passwd' is not an arXiv id",
        "item 4: its id '2402.1 7764' is not an arXiv id",
        "item 5: it has no id",
        "item 6: it has no id",
        "item 7: its id 2402.17765 is not an arXiv id",
        "item 9: no paper in it",
    ]
    assert (report.written, report.stopped) == (3, "the list for 2024-02-28 had 3 papers")


def test_cli_fetch_hf_papers_lists_what_it_skipped_and_exits_3(service, tmp_path):
    service.queue(200, _with_ids("a/b"), JSON)
    result = kg("fetch", "hf-papers", "--date", "2024-02-28", "-o", "hf.jsonl", cwd=tmp_path, KG_HF_URL=service.hf_url)
    assert result.returncode == 3
    assert result.stdout == (
        "Wrote 2 new papers from Hugging Face daily papers to hf.jsonl (0 already there); "
        "stopped: the list for 2024-02-28 had 2 papers.\n"
    )
    assert result.stderr == (
        "Skipped 2 records that could not be read:\n"
        "  item 3: its id 'a/b' is not an arXiv id\n"
        "  item 4: no paper in it\n"
    )


def _with_entry_ids(page: bytes, *ids: str) -> bytes:
    """The page with its entries' <id>s replaced by ``ids``, in order (None: the element left out)."""
    found = re.findall(rb"<entry>\s*<id>[^<]*</id>", page)
    for entry, new in zip(found, ids):
        page = page.replace(entry, b"<entry>" + (b"" if new is None else b"<id>" + new.encode() + b"</id>"), 1)
    return page


def test_arxiv_entries_without_an_abs_id_are_skipped_listed_and_paged_past(service, tmp_path, waits):
    """They were dropped uncounted, and the next page was asked for from too early a result: the
    one result short re-read a paper of the page before, or, past the end of a page of only such
    entries, stopped the fetch with an "empty page" error."""
    page1, page2 = service.pages["0"], service.pages["3"]
    service.pages["0"] = _with_entry_ids(page1, "http://arxiv.org/abs/2306.00978v1", "http://arxiv.org/api/x")
    service.pages["3"] = _with_entry_ids(page2, None, "http://arxiv.org/abs/../../etc/passwd")
    out = tmp_path / "arxiv.jsonl"
    report = fetch(service, out, waits)
    assert [r["id"] for r in lines(out)] == ["2306.00978", "2301.00774"]
    assert report.skipped == [
        "result 1: its id 'http://arxiv.org/api/x' is not the abs/ address of an arXiv id",
        "result 3: it has no id",
        "result 4: its id 'http://arxiv.org/abs/../../etc/passwd' is not the abs/ address of an arXiv id",
    ]
    assert (report.written, report.already, report.stopped) == (2, 0, "no more results")
    assert [r["start"] for r in service.requests] == ["0", "3"]


def test_arxiv_feed_parsed_alone_says_which_entries_it_left_out():
    from kg.corpus.fetch import parse_arxiv_feed

    skipped: list[str] = []
    page = _with_entry_ids(fixture("arxiv_page2.xml"), "tag:example.org,2024:1")
    papers, total = parse_arxiv_feed(page, url="http://x", skipped=skipped)
    assert ([p.id for p in papers], total) == (["2210.17323"], 5)
    assert skipped == ["entry 1: its id 'tag:example.org,2024:1' is not the abs/ address of an arXiv id"]


def test_cli_fetch_arxiv_lists_the_entries_it_skipped_and_exits_3(service, tmp_path):
    service.pages["3"] = _with_entry_ids(service.pages["3"], "http://arxiv.org/api/x")
    result = kg(
        "fetch", "arxiv", "--query", "x", "--page-size", "3", "-o", "out.jsonl",
        cwd=tmp_path, KG_ARXIV_URL=service.arxiv_url, KG_FETCH_DELAY="0",
    )  # fmt: skip
    assert result.returncode == 3
    assert result.stdout == "Wrote 4 new papers from arXiv to out.jsonl (0 already there); stopped: no more results.\n"
    assert result.stderr == (
        "Skipped 1 record that could not be read:\n"
        "  result 3: its id 'http://arxiv.org/api/x' is not the abs/ address of an arXiv id\n"
    )
