"""Fetch papers from live sources into the JSON Lines that `read_papers` takes.

Two sources: the arXiv API (an Atom feed, paged, newest first) and the Hugging
Face daily papers list (JSON). Each writes one paper a line with `id` (the arXiv
id without version), `title`, `abstract`, `authors`, `date`, `year`, `url` and
`categories`, appends to the output and skips ids the output already holds, so
rerunning a command never writes a paper twice.

An arXiv fetch that stops part way (an HTTP error, Ctrl-C) leaves a small state
file beside the output (``OUT.fetch-state.json``) saying which result to ask for
next; rerunning the same command resumes there and removes it when done.

HTTP goes through urllib only; the base URLs are parameters, so tests point
them at a local server.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from kg.corpus.http import Client
from kg.errors import FetchError, clip

__all__ = [
    "ARXIV_URL",
    "HF_URL",
    "FetchReport",
    "FetchedPaper",
    "bare_arxiv_id",
    "fetch_arxiv",
    "fetch_hf_papers",
    "parse_arxiv_feed",
    "parse_hf_daily_papers",
    "state_path",
]

ARXIV_URL = "http://export.arxiv.org/api/query"
HF_URL = "https://huggingface.co/api/daily_papers"

# The arXiv API's Atom answer, as the arXiv API User's Manual describes it
# (https://info.arxiv.org/help/api/user-manual.html, sections 3.3 "Outline of an
# Atom feed" and 3.4 "Errors"): a <feed> with opensearch:totalResults, one
# <entry> per paper (<id> http://arxiv.org/abs/ID vN, <published>, <title>,
# <summary>, <author><name>, <category term>, arxiv:primary_category), or a
# single <entry> whose <id> is http://arxiv.org/api/errors#... with the message
# in <summary>. The manual asks for a 3 second gap between calls and caps one
# slice at 2000 results.
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_MAX_PAGE = 2000

_VERSION = re.compile(r"v\d+$")
_ASCII_YEAR = re.compile(r"[0-9]{4}")
#: an arXiv id without its version: 2401.10774, or hep-th/9901001 as ids were before 2007
_ARXIV_ID = re.compile(r"[0-9]{4}\.[0-9]{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/[0-9]{7}")


@dataclass(frozen=True)
class FetchedPaper:
    """One paper as a live source describes it; `as_json` is the line written for it."""

    id: str
    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        # ASCII digits only: str.isdigit() takes a superscript "²", which int() refuses
        return int(self.date[:4]) if self.date and _ASCII_YEAR.match(self.date) else None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "date": self.date,
            "year": self.year,
            "url": self.url,
            "categories": list(self.categories),
        }


@dataclass
class FetchReport:
    """What a fetch came to: papers written, papers the output already had, why it stopped, and
    the records of the answer that were no paper, each with why."""

    output: Path
    written: int = 0
    already: int = 0
    requests: int = 0
    stopped: str = ""
    resumed_at: int | None = None
    skipped: list[str] = field(default_factory=list)


def state_path(output: Path) -> Path:
    """Where an unfinished arXiv fetch into `output` records the next result to ask for."""
    return output.with_name(output.name + ".fetch-state.json")


# -- arXiv -------------------------------------------------------------------------------------


def fetch_arxiv(
    query: str,
    output: Path,
    *,
    since: date | None = None,
    max_papers: int | None = None,
    page_size: int = 100,
    base_url: str = ARXIV_URL,
    delay: float = 3.0,
    retries: int = 3,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Page through the arXiv API's answer to `query`, newest first, appending papers to `output`.

    Stops after `max_papers` new papers (counted over resumed runs too), at the
    first paper submitted before `since`, or at the end of the results. Waits
    `delay` seconds between requests, as the API asks, and on HTTP 429/503
    waits as long as Retry-After says, `retries` times at most.
    """
    if not query.strip():
        raise FetchError("an arXiv query is needed, e.g. --query 'cat:cs.LG AND abs:quantization'")
    if not 1 <= page_size <= _MAX_PAGE:
        raise FetchError(
            f"page size {page_size} is out of range; the arXiv API serves 1 to {_MAX_PAGE} results a request"
        )
    output = Path(output)
    out = _JsonLinesOutput(output)
    state = _ArxivState(output, query=query, since=since)
    start, written_before, known_total = state.load()
    client = Client("arXiv API", delay=delay, retries=retries, timeout=timeout, sleep=sleep, explain=_arxiv_error_text)
    report = FetchReport(output=output, resumed_at=start or None)
    since_text = since.isoformat() if since else None
    sent: set[str] = set()  # the entry ids the pages of this run held

    def limit_reached() -> bool:
        return max_papers is not None and written_before + report.written >= max_papers

    while True:
        if limit_reached():
            report.stopped = f"reached the limit of {max_papers} papers"
            break
        url = _with_params(
            base_url,
            search_query=query,
            start=start,
            max_results=page_size,
            sortBy="submittedDate",
            sortOrder="descending",
        )
        page = _read_arxiv_feed(client.get(url), url=url)
        entries, total = page.papers, page.total
        report.skipped += [f"result {start + index}: {why}" for index, why in page.skipped]
        known_total = max(known_total or 0, total) if total is not None else known_total
        if not page.ids:
            if known_total and start < known_total:
                # The API now and then answers a page inside the results with no entries.
                raise FetchError(
                    f"the arXiv API answered an empty page at result {start} of {known_total} ({url}); "
                    "rerun the same command to resume from there"
                )
            report.stopped = "no more results"
            break
        if all(entry_id in sent for entry_id in page.ids):
            # a static file or a proxy that ignores `start`, without totalResults: the same page
            # again and again, which would be asked for forever
            report.stopped = f"the page at result {start} held only papers of earlier pages (does the server ignore start?)"
            report.skipped = report.skipped[: len(report.skipped) - len(page.skipped)]  # listed already
            break
        sent.update(page.ids)
        batch: list[FetchedPaper] = []
        for paper in entries:
            if since_text and paper.date and paper.date[:10] < since_text:
                report.stopped = f"reached papers submitted before {since_text}"
                break
            if paper.id in out.ids:
                report.already += 1
                continue
            if max_papers is not None and written_before + report.written + len(batch) >= max_papers:
                report.stopped = f"reached the limit of {max_papers} papers"
                break
            batch.append(paper)
            out.ids.add(paper.id)
        out.append(batch)
        report.written += len(batch)
        start += len(page.ids)  # every entry, the skipped too: the next page starts after them
        if report.stopped:
            break
        if known_total is not None and start >= known_total:
            report.stopped = "no more results"
            break
        state.save(start, written_before + report.written, known_total)
    out.finish()
    state.clear()
    report.requests = client.requests
    return report


def parse_arxiv_feed(data: bytes, *, url: str, skipped: list[str] | None = None) -> tuple[list[FetchedPaper], int | None]:
    """The papers in one arXiv API answer and the opensearch:totalResults it reports. An entry
    whose id is no arxiv.org/abs/ address of an arXiv id is left out, and said why in
    ``skipped`` when it is given."""
    page = _read_arxiv_feed(data, url=url)
    if skipped is not None:
        skipped += [f"entry {index + 1}: {why}" for index, why in page.skipped]
    return page.papers, page.total


@dataclass
class _ArxivPage:
    """One answer of the arXiv API: its papers, the entries left out (their index on the page,
    and why), and every entry's id as written, which says how far the page reached."""

    papers: list[FetchedPaper]
    total: int | None
    skipped: list[tuple[int, str]]
    ids: list[str]


def _read_arxiv_feed(data: bytes, *, url: str) -> _ArxivPage:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise FetchError(f"the arXiv API at {url} did not answer with an Atom feed ({e}); check the base URL") from e
    if root.tag != f"{_ATOM}feed":
        raise FetchError(
            f"the arXiv API at {url} did not answer with an Atom feed (root element {root.tag!r}); check the base URL"
        )
    error = _arxiv_feed_error(root)
    if error:
        raise FetchError(f"the arXiv API rejected the request: {error} ({url})")
    total_text = (root.findtext(f"{_OPENSEARCH}totalResults") or "").strip()
    total = int(total_text) if total_text.isascii() and total_text.isdigit() else None
    page = _ArxivPage(papers=[], total=total, skipped=[], ids=[])
    for index, entry in enumerate(root.findall(f"{_ATOM}entry")):
        page.ids.append((entry.findtext(f"{_ATOM}id") or "").strip())
        try:
            page.papers.append(_arxiv_paper(entry))
        except ValueError as e:
            page.skipped.append((index, str(e)))
    return page


def _arxiv_feed_error(root: ET.Element) -> str | None:
    for entry in root.findall(f"{_ATOM}entry"):
        entry_id = (entry.findtext(f"{_ATOM}id") or "").strip()
        if "arxiv.org/api/errors" in entry_id:
            return _clean(entry.findtext(f"{_ATOM}summary") or "") or entry_id
    return None


def _arxiv_error_text(body: bytes) -> str | None:
    try:
        return _arxiv_feed_error(ET.fromstring(body))
    except ET.ParseError:
        return None


def _arxiv_paper(entry: ET.Element) -> FetchedPaper:
    """The paper of one entry, or ValueError saying why it is none: its id, which becomes the
    paper's id and its arxiv.org URL, must be an abs/ address of an arXiv id."""
    raw_id = (entry.findtext(f"{_ATOM}id") or "").strip()
    if not raw_id:
        raise ValueError("it has no id")
    arxiv_id = bare_arxiv_id(raw_id.split("/abs/", 1)[1]) if "/abs/" in raw_id else ""
    if not _ARXIV_ID.fullmatch(arxiv_id):
        raise ValueError(f"its id {clip(repr(raw_id), 60)} is not the abs/ address of an arXiv id")
    primary = entry.find(f"{_ARXIV}primary_category")
    terms = [primary.get("term")] if primary is not None else []
    terms += [category.get("term") for category in entry.findall(f"{_ATOM}category")]
    return FetchedPaper(
        id=arxiv_id,
        title=_clean(entry.findtext(f"{_ATOM}title") or ""),
        abstract=_clean(entry.findtext(f"{_ATOM}summary") or ""),
        authors=tuple(
            name
            for author in entry.findall(f"{_ATOM}author")
            if (name := _clean(author.findtext(f"{_ATOM}name") or ""))
        ),
        date=_iso_time(entry.findtext(f"{_ATOM}published")),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        categories=tuple(dict.fromkeys(term for term in terms if term)),
    )


class _ArxivState:
    """The next result to ask for, kept beside the output while a fetch is unfinished."""

    def __init__(self, output: Path, *, query: str, since: date | None) -> None:
        self.output = output
        self.path = state_path(output)
        self.key = {"source": "arxiv", "query": query, "since": since.isoformat() if since else None}

    def load(self) -> tuple[int, int, int | None]:
        """Where to resume: the next result, papers written so far, the total results last reported."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0, 0, None
        if not isinstance(saved, dict):
            return 0, 0, None
        if {k: saved.get(k) for k in self.key} != self.key:
            since = f" since {saved.get('since')}" if saved.get("since") else ""
            raise FetchError(
                f"{self.output} has an unfinished fetch for "
                f"query {saved.get('query')!r}{since}; rerun that command to finish it, "
                f"or delete {self.path} to start a new one"
            )
        try:
            total = saved.get("total")
            return int(saved.get("next_start", 0)), int(saved.get("written", 0)), int(total) if total else None
        except (TypeError, ValueError):
            return 0, 0, None

    def save(self, next_start: int, written: int, total: int | None) -> None:
        saved = {**self.key, "next_start": next_start, "written": written, "total": total}
        self.path.write_text(json.dumps(saved) + "\n", encoding="utf-8")

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


# -- Hugging Face daily papers -----------------------------------------------------------------

# The answer of GET https://huggingface.co/api/daily_papers?date=YYYY-MM-DD (Hub API
# reference, https://huggingface.co/docs/hub/en/api#get-apidailypapers; field names
# as the hugging-face-client crate types them, docs.rs/hugging-face-client
# src/api/arxiv_daily.rs): a JSON list of items, each with `paper` {id (the arXiv
# id), title, summary, authors [{name, ...}], publishedAt, submittedOnDailyAt,
# upvotes, ...} and the item's own publishedAt, title, summary, thumbnail,
# numComments, submittedBy. It carries no arXiv categories.


def fetch_hf_papers(
    output: Path,
    *,
    day: date | None = None,
    base_url: str = HF_URL,
    retries: int = 3,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """Append the Hugging Face daily papers of `day` (the latest list if None) to `output`."""
    output = Path(output)
    out = _JsonLinesOutput(output)
    client = Client(
        "Hugging Face papers API", delay=0, retries=retries, timeout=timeout, sleep=sleep, explain=_hf_error_text
    )
    url = _with_params(base_url, date=day.isoformat()) if day else base_url
    report = FetchReport(output=output)
    papers = parse_hf_daily_papers(client.get(url), url=url, skipped=report.skipped)
    report.requests = client.requests
    batch = []
    for paper in papers:
        if paper.id in out.ids:
            report.already += 1
            continue
        batch.append(paper)
        out.ids.add(paper.id)
    out.append(batch)
    out.finish()
    report.written = len(batch)
    report.stopped = f"the list for {day.isoformat() if day else 'the latest day'} had {len(papers)} papers"
    return report


def parse_hf_daily_papers(data: bytes, *, url: str, skipped: list[str] | None = None) -> list[FetchedPaper]:
    """The papers in one daily_papers answer, in the order listed. An item that is no paper, or
    whose id is no arXiv id (the id becomes the paper's id and its arxiv.org URL), is left out,
    and said why in ``skipped`` when it is given."""
    try:
        items = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise FetchError(
            f"the Hugging Face papers API at {url} did not answer with JSON ({e}); check the base URL"
        ) from e
    if isinstance(items, dict) and items.get("error"):
        raise FetchError(f"the Hugging Face papers API rejected the request: {items['error']} ({url})")
    if not isinstance(items, list):
        raise FetchError(
            f"the Hugging Face papers API at {url} answered with a JSON {type(items).__name__} "
            "where a list of papers was expected; check the base URL"
        )
    papers: list[FetchedPaper] = []
    for number, item in enumerate(items, start=1):
        try:
            papers.append(_hf_paper(item))
        except ValueError as e:
            if skipped is not None:
                skipped.append(f"item {number}: {e}")
    return papers



def _hf_paper(item: object) -> FetchedPaper:
    """The paper of one item, or ValueError saying why it is none."""
    if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
        raise ValueError("no paper in it")
    paper = item["paper"]
    raw = paper.get("id")
    arxiv_id = bare_arxiv_id(raw) if isinstance(raw, str) else ""
    if not _ARXIV_ID.fullmatch(arxiv_id):
        if raw is None or raw == "":
            raise ValueError("it has no id")
        raise ValueError(f"its id {clip(repr(raw), 40)} is not an arXiv id")
    authors = paper.get("authors") if isinstance(paper.get("authors"), list) else []
    return FetchedPaper(
        id=arxiv_id,
        title=_clean(_text(paper.get("title")) or _text(item.get("title"))),
        abstract=_clean(_text(paper.get("summary")) or _text(item.get("summary"))),
        authors=tuple(name for a in authors if isinstance(a, dict) and (name := _clean(_text(a.get("name"))))),
        date=_iso_time(paper.get("publishedAt") or item.get("publishedAt")),
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )


def _text(value: object) -> str:
    """A field of the answer as text: a list of strings joined (str() wrote "['x']", Python's
    own spelling, as an abstract), anything else that is not text none."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
        return " ".join(value)
    return ""


def _hf_error_text(body: bytes) -> str | None:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return str(answer["error"]) if isinstance(answer, dict) and answer.get("error") else None


# -- shared: HTTP, the output file, small helpers ----------------------------------------------


class _JsonLinesOutput:
    """The output file: the ids it already holds, and appending whole lines to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.parent.is_dir():
            raise FetchError(f"cannot write {path}: no such directory {path.parent}")
        self.ids: set[str] = set(self._existing_ids())
        # Checked, not created: a fetch whose first request fails leaves no empty file behind.
        if not os.access(path if path.exists() else path.parent, os.W_OK):
            raise FetchError(f"cannot write {path}: permission denied")

    def finish(self) -> None:
        """Leave the file in place even when nothing was new, so the next command can read it."""
        try:
            self.path.touch()
        except OSError as e:
            raise FetchError(f"cannot write {self.path}: {e.strerror or e}") from e

    def _existing_ids(self) -> Iterable[str]:
        if not self.path.exists():
            return
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise FetchError(f"cannot read the ids already in {self.path}: {e}; choose another output file") from e
        lines = text.split("\n")
        tail = lines.pop()  # "" when the file ends with a newline
        if tail.strip():
            self._mend_tail(text, tail)
            lines.append(tail)
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("id"):
                yield bare_arxiv_id(str(record["id"]))

    def _mend_tail(self, text: str, tail: str) -> None:
        """End a file whose last line lacks its newline: keep a whole record, drop a cut-off one."""
        try:
            json.loads(tail)
        except ValueError:
            with self.path.open("r+b") as f:
                f.truncate(len(text[: len(text) - len(tail)].encode("utf-8")))
            return
        with self.path.open("a", encoding="utf-8") as f:
            f.write("\n")

    def append(self, papers: list[FetchedPaper]) -> None:
        if not papers:
            return
        lines = "".join(json.dumps(p.as_json(), ensure_ascii=False) + "\n" for p in papers)
        try:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(lines)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise FetchError(f"cannot write {self.path}: {e.strerror or e}") from e


def bare_arxiv_id(value: str) -> str:
    """`2210.17323` from `2210.17323v2`, `arxiv:2210.17323` or `hep-ex/0307015v1` likewise."""
    value = value.strip()
    if value.lower().startswith("arxiv:"):
        value = value[len("arxiv:") :]
    return _VERSION.sub("", value)


def _with_params(base_url: str, **params: object) -> str:
    separator = "&" if urllib.parse.urlsplit(base_url).query else "?"
    return base_url + separator + urllib.parse.urlencode(params)


def _iso_time(value: object) -> str | None:
    """A timestamp as ISO 8601 in UTC (`2022-10-31T17:29:17Z`); unparseable text kept as it was."""
    text = str(value).strip() if value else ""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
