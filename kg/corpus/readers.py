"""Readers that turn source files into `Paper` records, one at a time.

Every reader is a generator, so a corpus of any size streams through
`extract` without being held in memory. A record that cannot be read is
skipped and counted in the `ReadReport`; a file that cannot be read at all
raises `InputError` with one line saying why.
"""

from __future__ import annotations

import codecs
import csv
import errno
import html
import html.entities
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from kg import jsonutil
from kg.corpus.text import check_encoding, has_bom, not_text, read_text, sniff, text_lines
from kg.errors import InputError, clip
from kg.records import Paper, normalize_title, paper_id_for

FORMATS = ("page", "jsonl", "csv", "atom")

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".xml": "atom",
    ".atom": "atom",
    ".txt": "page",
    ".md": "page",
}

_ARXIV_ID = re.compile(r"(?:arxiv[:/]|abs/|pdf/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class ReadReport:
    """What reading the sources came to: papers read, records skipped and why."""

    papers: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    #: records kept without a value that made no sense (a year "20x4"): warned of, not skipped
    warnings: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        self.skipped.append(f"{where}: {why}")

    def warn(self, where: str, why: str) -> None:
        self.warnings.append(f"{where}: {why}")


def sample_corpus() -> Path:
    """The listing page shipped with the package, read when no source is given."""
    return Path(str(resources.files("kg.corpus") / "data" / "papers_page.txt"))


#: `Paper.source` of the bundled sample's papers
SAMPLE_SOURCE = "kg sample: papers_page.txt"


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def detect_format(path: Path, *, encoding: str | None = None) -> str:
    """Guess a file's format from its extension, else from its first characters (read in
    ``encoding``, as `read_papers` takes it). A text file (.txt, .md) is a listing page unless it
    opens as JSON or with a table's header row: a CSV saved as .txt read as a page would make its
    header a paper's title."""
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension and by_extension != "page":
        return by_extension
    head = sniff(path, encoding)[0].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    first_line = head.splitlines()[0] if head else ""
    # real evidence only: a page's first title may well begin "[CLS] ..." or read "Title-Guided
    # Abstractive Summarization, Revisited"
    if _is_json_object(first_line) or re.match(r"\[\s*\{", head) or re.match(r"\{\s*\n", head):
        return "jsonl"
    if head.startswith("<") and not by_extension:
        return "atom"
    header = {cell.strip().lower() for row in csv.reader([first_line], delimiter=_delimiter(first_line)) for cell in row}
    if {"title", "abstract"} <= header:
        return "csv"
    return "page"


def _delimiter(header: str) -> str:
    """A tab-separated export (.tsv, a spreadsheet's "text" export) has tabs in its header row."""
    return "\t" if header.count("\t") > header.count(",") else ","


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(jsonutil.loads(line), dict)
    except jsonutil.NumberTooLong:  # an object, whatever its numbers: read as one, it is listed
        return line.lstrip().startswith("{")
    except (json.JSONDecodeError, RecursionError):
        return False


#: one source or several: a single path may be given as it is, not in a list
Sources = str | Path | Iterable[str | Path]


def as_paths(sources: Sources) -> list[Path]:
    """The sources as a list of paths (a lone "papers.jsonl" is one file, not eleven letters).

    Anything else is refused here, saying what a source is: a list of paper dicts or `Paper`
    records, from a notebook, failed deep inside pathlib."""
    if isinstance(sources, (str, os.PathLike)):
        return [Path(sources)]
    if isinstance(sources, (bytes, dict)) or not isinstance(sources, Iterable):
        raise InputError(_not_a_source(sources))
    paths = []
    for source in sources:
        if not isinstance(source, (str, os.PathLike)):
            raise InputError(_not_a_source(source))
        paths.append(Path(source))
    return paths


def _not_a_source(value: object) -> str:
    what = f"a source is a file's path (str or Path), or a list of them, not {type(value).__name__}"
    if isinstance(value, (dict, Paper)):
        return (
            f"{what}: papers in memory (kg.make_paper(title, abstract) makes one) go to kg.Extractor().extract([...]) and kg.build_graph, "
            "or, to build a store of them, into a JSONL file of {\"title\", \"abstract\"} objects"
        )
    return what


def read_papers(
    sources: Sources,
    *,
    format: str | None = None,
    report: ReadReport | None = None,
    encoding: str | None = None,
) -> Iterator[Paper]:
    """Papers from every source in turn, each paper once (by id, then by normalised title).

    ``encoding`` is for sources not in UTF-8, such as a CSV that Excel on Windows saved (cp1252):
    a byte-order mark, or an XML file's own declaration, still decides for its file. Without it,
    a file that is not UTF-8 is refused with where it stops being so, not read by a guess. A name
    Python does not know is refused here, before the first paper is asked for."""
    encoding = check_encoding(encoding)
    return _read_papers(as_paths(sources), format=format, report=report if report is not None else ReadReport(), encoding=encoding)


def _read_papers(paths: list[Path], *, format: str | None, report: ReadReport, encoding: str | None) -> Iterator[Paper]:
    seen_ids: dict[str, str] = {}  # id -> title of the paper kept
    seen_titles: set[str] = set()
    sample = sample_corpus()
    for path in paths:
        check_source(path)
        fmt = format or detect_format(path, encoding=encoding)
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
        # the sample's path is where pip put the package: the same for everyone is its name
        is_sample = _same_path(path, sample)
        for where, paper in _READERS[fmt](path, report, encoding=encoding):
            if is_sample:
                paper = replace(paper, source=SAMPLE_SOURCE)
            title_key = normalize_title(paper.title)
            kept = seen_ids.get(paper.id)
            if kept is not None and normalize_title(kept) != title_key:
                # not the same paper read twice (another version of its abstract is): say which went
                report.skip(where, f"{paper.id}: another paper with this id came first ({_preview(kept)}); kept that one")
                continue
            if kept is not None or title_key in seen_titles:
                report.duplicates += 1
                continue
            seen_ids[paper.id] = paper.title
            seen_titles.add(title_key)
            report.papers += 1
            yield paper


def check_source(path: Path) -> None:
    """Refuse a source that is no file, before anything is written: a build of a typo should not
    leave an empty graph behind that later commands take for a real one."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        if e.errno == errno.ELOOP:  # Path.exists() says False, as for a file that is not there
            raise InputError(f"cannot read {path}: it is a symlink loop (ELOOP); make the link point at a file") from e
        if e.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(f"cannot read {path}: no such file") from e
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    except ValueError as e:  # a NUL in the name
        raise InputError(f"cannot read {path}: no such file") from e
    if stat.S_ISDIR(mode):
        raise InputError(f"cannot read {path}: it is a folder; pass the files in it (such as {path}/*.jsonl)")
    if not stat.S_ISREG(mode):  # /dev/stdin, a named pipe: read twice (to guess the format, then to read)
        raise InputError(f"cannot read {path}: not a regular file (a pipe or a device); save it to a file first")


#: Longer than any real abstract or title: such a record is a broken scrape, not a paper.
MAX_ABSTRACT = 100_000
MAX_TITLE = 2_000


#: characters that show nothing but change how text around them reads: bidirectional overrides
#: (a title "‮gnirts" shows reversed), zero-width spaces and joiners, soft hyphens, a stray BOM,
#: fillers and variation selectors that render as nothing, tag characters
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)


#: control characters (a title's stray \x01 or ESC) that no text means and XML cannot hold: a
#: GraphML export of them is not well-formed
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: half of a UTF-16 pair with no other half ("\\ud800" in JSON): no UTF-8 text can hold it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: an HTML character reference, as a page scraped or a feed escaped twice writes "&amp;" or
#: "&#8217;": only a whole reference, with its semicolon ("R&D" and "Q&A" stay as written)
_HTML_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescaped(text: str) -> str:
    """The text with its HTML character references decoded: "Q&amp;A" reads "Q&A". A name HTML
    does not define stays as written, even one that begins with a defined one ("&ltfoo;")."""

    def decoded(match: re.Match[str]) -> str:
        reference = match.group()
        return html.unescape(reference) if reference[1] == "#" or reference[1:] in html.entities.html5 else reference

    return _HTML_REFERENCE.sub(decoded, text) if "&" in text else text


def _clean(text: str) -> str:
    """The text with what would read wrongly, or not be storable, taken out: invisible and
    control characters go (those that separate words, a PDF's form feed, first become spaces),
    a lone surrogate becomes U+FFFD, runs of white space one space."""
    spaced = " ".join(_INVISIBLE.sub("", text).split())
    return " ".join(_LONE_SURROGATE.sub("\ufffd", _CONTROL.sub("", spaced)).split())


def arxiv_id(*candidates: str | None) -> str | None:
    """The arXiv id the first candidate that holds one is written with, in any of the usual forms
    ("arXiv:2401.10774", "2401.10774v2", "https://arxiv.org/abs/2401.10774"), without its version."""
    for candidate in candidates:
        if candidate:
            match = _ARXIV_ID.search(candidate)
            if match and ("arxiv" in candidate.lower() or match.group(0) == candidate.strip()):
                return match.group(1)
    return None


def make_paper(
    title: str,
    abstract: str,
    *,
    id: str | int | None = None,
    url: str | None = None,
    year: int | str | None = None,
    authors: str | Iterable[str] = (),
    date: str | None = None,
    categories: str | Iterable[str] = (),
    source: str | None = None,
) -> Paper:
    """A paper you hold in memory, made as the readers make one of a JSON Lines record with these
    fields: the same cleaned text and the same id (the arXiv id that ``id`` or ``url`` holds,
    else ``id`` as given, else a hash of the normalised title). So it is one paper with what a
    file of it gives, to a build's duplicate check and to `kg explain`, and a `Paper` needs no id
    made up by hand. A record a reader would skip (no abstract, a title of 5,000 characters) is
    refused, saying why."""
    if not isinstance(title, str) or not isinstance(abstract, str):
        raise InputError(f"a paper's title and abstract are text (str), not {type(title).__name__} and {type(abstract).__name__}")
    try:
        return _make_paper(
            title=title,
            abstract=abstract,
            source=source,
            id=None if id is None else str(id),
            url=url,
            year=year,
            authors=authors if isinstance(authors, str) else list(authors or ()),
            date=date,
            categories=categories if isinstance(categories, str) else list(categories or ()),
        )
    except ValueError as e:
        raise InputError(f"not a paper: {e}") from e


def _make_paper(
    *,
    title: str,
    abstract: str,
    source: str | None,
    id: str | None = None,
    url: str | None = None,
    year: object = None,
    authors: object = None,
    date: object = None,
    categories: object = None,
    escaped: bool = True,
) -> Paper:
    """A paper from one record's fields, or ValueError saying why the record is none. With
    ``escaped``, the text may hold HTML character references; Atom XML has had its own decoded by
    the parser, and what is left is the text's own ("&lt;" meant as written)."""
    if escaped:
        title, abstract = _unescaped(title), _unescaped(abstract)
    title, abstract = _clean(title), _clean(abstract)
    if not title:
        raise ValueError("no title")
    if not abstract:
        raise ValueError("no abstract")
    if len(title) > MAX_TITLE:
        raise ValueError(f"title of {len(title)} characters is too long to be a title")
    if len(abstract) > MAX_ABSTRACT:
        raise ValueError(f"abstract of {len(abstract)} characters is longer than {MAX_ABSTRACT}; not an abstract")
    arxiv = arxiv_id(id, url)
    # an id of only spaces or invisible characters is no id: cleaned, it would be "" for every such
    # paper (the second "another paper with this id", and "" is the paper_id of taxonomy edges)
    given = _clean(str(id)) if id else ""
    paper_id = paper_id_for(title, arxiv_id=arxiv) if (arxiv or not given) else given
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        url=_clean(url) if url else (f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
        year=_year(year) or _year(date),
        authors=_names(authors),
        source=source,
        date=str(date)[:10] if date else None,
        categories=_names(categories),
    )


def _year(value: object) -> int | None:
    match = re.search(r"\b(19|20)\d{2}\b", str(value)) if value not in (None, "") else None
    return int(match.group(0)) if match else None


def _check_year(paper: Paper, year: object, where: str, report: ReadReport) -> None:
    """A year the source gave that reads as none is worth a word: the paper is kept without it
    (or with its date's year)."""
    if year is not None and str(year).strip() and paper.year is None:
        report.warn(where, f"year {str(year).strip()[:20]!r} is not a year; read without one")


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = re.split(r"\s*(?:;|,| and )\s*", value)
    elif isinstance(value, list):
        parts = [v if isinstance(v, str) else str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    else:
        return ()
    return tuple(_clean(p) for p in parts if _clean(p))


# -- the listing page ------------------------------------------------------------------------


#: how long a listing page's title line is: shorter is a date or a header, longer a paragraph
_TITLE_CHARS = range(8, 301)


def _looks_like_title(block: str) -> bool:
    return len(block) in _TITLE_CHARS and "\n" not in block


#: words an abstract paragraph of a listing page has at least
_ABSTRACT_WORDS = 25


def _looks_like_abstract(block: str, title: str) -> bool:
    return len(block.split()) >= _ABSTRACT_WORDS and len(block) > len(title)


def read_page(path: Path, report: ReadReport, *, encoding: str | None = None) -> Iterator[tuple[str, Paper]]:
    """A listing page: header lines, then a title line and an abstract paragraph per paper.

    A block counts as a title only when an abstract-sized paragraph follows it,
    which is what tells titles apart from the page's header and date lines. Once
    the papers have begun, a title followed by a paragraph too short to be an
    abstract is listed as skipped, not passed over in silence. A page that holds
    no paper at all is listed as skipped too: it is likely another format.
    """
    blocks = page_blocks(read_text(path, encoding))
    i = 0
    started = False
    while i < len(blocks):
        if _starts_paper(blocks, i):
            started = True
            where = f"{path.name}: line block {i + 1}"
            try:
                yield where, _make_paper(title=blocks[i], abstract=blocks[i + 1], source=str(path))
            except ValueError as e:
                report.skip(where, str(e))
            i += 2
        elif started and i + 1 < len(blocks) and _looks_like_title(blocks[i]) and not _starts_paper(blocks, i + 1):
            report.skip(f"{path.name}: line block {i + 1}", f"{_preview(blocks[i])}: its abstract has fewer than {_ABSTRACT_WORDS} words")
            i += 2
        elif started and _looks_like_abstract(blocks[i], ""):
            # an abstract whose title line is too short or too long to be one ("Mamba"): its paper is
            # lost, so it is listed, not passed over as a footer
            report.skip(
                f"{path.name}: line block {i + 1}",
                f"{_preview(blocks[i])}: an abstract with no title line before it (a title is one line of "
                f"{_TITLE_CHARS.start} to {_TITLE_CHARS.stop - 1} characters)",
            )
            i += 1
        else:  # a header, date or footer line
            i += 1
    if blocks and not started:
        report.skip(
            path.name,
            "no papers in it: a listing page is a title line, then an abstract paragraph of at least "
            f"{_ABSTRACT_WORDS} words, for each paper (another format? see --format)",
        )


def page_blocks(text: str) -> list[str]:
    """A page's titles, abstracts and header lines. Where blank lines part the paragraphs, a
    paragraph's lines are one block (an abstract hard-wrapped at 80 columns is one abstract);
    a page without blank lines has a block per line."""
    paragraphs = _BLANK_LINE.split(text.strip())
    if len(paragraphs) == 1:
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [" ".join(line.strip() for line in paragraph.splitlines() if line.strip()) for paragraph in paragraphs]


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def _starts_paper(blocks: list[str], i: int) -> bool:
    """Whether block ``i`` is a title with its abstract after it. A title too long for the
    usual line is one all the same when it reads as no abstract does (one sentence, no full
    stop) and an abstract follows it; the line before it is then no title, though the long
    title would pass for its abstract."""
    if i + 1 >= len(blocks):
        return False
    if _looks_like_title(blocks[i]) and _looks_like_abstract(blocks[i + 1], blocks[i]):
        return not _long_title(blocks, i + 1)
    return _long_title(blocks, i)


def _long_title(blocks: list[str], i: int) -> bool:
    block = blocks[i]
    return (
        i + 1 < len(blocks)
        and _TITLE_CHARS.stop <= len(block) <= MAX_TITLE
        and "\n" not in block
        and not _SENTENCE_END.search(block)
        and _looks_like_abstract(blocks[i + 1], block)
    )


#: where a sentence ends inside a block, or the block does: an abstract has several
_SENTENCE_END = re.compile(r"[.!?](?:\s+[A-Z(\"']|\s*$)")


def _preview(block: str) -> str:
    return repr(clip(block, 60))


# -- JSON Lines --------------------------------------------------------------------------------


def json_problem(error: json.JSONDecodeError) -> str:
    """Why a line is not JSON, in one line (some messages end in "at" themselves: "Invalid
    control character at")."""
    return f"not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno})"


def read_jsonl(path: Path, report: ReadReport, *, encoding: str | None = None) -> Iterator[tuple[str, Paper]]:
    """JSON Lines with `title` and `abstract` (optional `id`, `url`, `year`, `date`, `authors`,
    `categories`; names in any case), read a line at a time so that a file of any size streams;
    or a JSON array of such objects, as `json.dump` writes one."""
    for where, record in _json_records(path, report, encoding):
        if not isinstance(record, dict):
            report.skip(where, "not a JSON object")
            continue
        record = _fields_in_any_case(record)
        text = {k: v for k, v in record.items() if isinstance(v, str)}
        wrong = [k for k in ("title", "abstract") if k in record and record[k] is not None and k not in text]
        if wrong:
            report.skip(where, f"{' and '.join(wrong)} must be text")
            continue
        scalar_id = record.get("id") if isinstance(record.get("id"), (str, int)) else None
        year = record.get("year")  # text, a number (2023.0 from pandas), or something to warn of
        try:
            paper = _make_paper(
                title=text.get("title", ""),
                abstract=text.get("abstract") or text.get("summary") or "",
                source=str(path),
                id=None if scalar_id is None else str(scalar_id),
                url=text.get("url"),
                year=year,
                authors=record.get("authors"),
                date=text.get("date") or text.get("published"),
                categories=record.get("categories"),
            )
        except ValueError as e:
            report.skip(where, str(e))
            continue
        _check_year(paper, year, where, report)
        yield where, paper


def _fields_in_any_case(record: dict[str, Any]) -> dict[str, Any]:
    """A record's fields by their names in lower case, as CSV headers are read: a spreadsheet or
    an API may write "Title" and "Abstract". A name already in lower case wins over another
    spelling of it in the same record."""
    fields = {key.strip(): value for key, value in record.items() if key == key.lower()}
    for key, value in record.items():
        fields.setdefault(key.strip().lower(), value)
    return fields


def _json_records(path: Path, report: ReadReport, encoding: str | None) -> Iterator[tuple[str, Any]]:
    """Each record with where it stands: a line of JSON Lines, or an item of a JSON array (or the
    one object of a file that holds a single pretty-printed one, as `jq .` writes it)."""
    start = sniff(path, encoding)[0].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        text = read_text(path, encoding)
        try:
            items = jsonutil.loads(text)
        except jsonutil.NumberTooLong:  # only the items that hold such a number are lost
            yield from _items_with_long_numbers(path, jsonutil.loads_marking(text), report)
            return
        except json.JSONDecodeError as e:  # one broken array loses all its items: say so
            report.skip(path.name, f"not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}), so none of its records were read")
            return
        except RecursionError:
            report.skip(path.name, f"{_TOO_DEEP}, so none of its records were read")
            return
        yield from ((f"{path.name}: item {number}", item) for number, item in enumerate(items, start=1))
        return
    if re.match(rb"\{\s*\n", start):
        yield from _json_values(path, report, encoding)
        return
    for number, line in text_lines(path, report, encoding=encoding, advise=True):
        if not line.strip():
            continue
        try:
            yield f"{path.name}:{number}", jsonutil.loads(line)
        except json.JSONDecodeError as e:
            report.skip(f"{path.name}:{number}", json_problem(e))
        except RecursionError:
            report.skip(f"{path.name}:{number}", _TOO_DEEP)


#: JSON nested deeper than Python's parser goes: no paper record is
_TOO_DEEP = "JSON nested too deeply to be a paper record"


def _items_with_long_numbers(path: Path, items: Any, report: ReadReport) -> Iterator[tuple[str, Any]]:
    """The items of a JSON array read with `jsonutil.loads_marking`: one that holds a number too
    long to read is skipped and listed, the others kept."""
    if not isinstance(items, list):
        return
    for number, item in enumerate(items, start=1):
        where = f"{path.name}: item {number}"
        if jsonutil.holds_too_long(item):
            report.skip(where, f"not valid JSON (a number of more than {jsonutil.INT_DIGITS:,} digits is too long to read)")
        else:
            yield where, item


def _json_values(path: Path, report: ReadReport, encoding: str | None) -> Iterator[tuple[str, Any]]:
    """JSON values one after another, each over as many lines as it likes (`jq .` writes objects
    so). A broken one is skipped, and reading goes on at the next line that opens an object."""
    text = read_text(path, encoding)
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        try:
            value, end = jsonutil.raw_decode(text, position)
        except jsonutil.NumberTooLong as e:  # a whole value, whose end is known: go on after it
            report.skip(f"{path.name}:{text.count(chr(10), 0, position) + 1}", json_problem(e))
            position = e.end if e.end is not None else len(text)
            continue
        except json.JSONDecodeError as e:
            report.skip(f"{path.name}:{e.lineno}", json_problem(e))
            broken_at = e.pos
        except RecursionError:
            report.skip(f"{path.name}:{text.count(chr(10), 0, position) + 1}", _TOO_DEEP)
            broken_at = position
        else:
            yield f"{path.name}:{text.count(chr(10), 0, position) + 1}", value
            position = end
            continue
        following = text.find("\n{", broken_at)
        if following < 0:
            return
        position = following + 1


# -- CSV ---------------------------------------------------------------------------------------


def read_csv(path: Path, report: ReadReport, *, encoding: str | None = None) -> Iterator[tuple[str, Paper]]:
    """CSV with a header row naming at least `title` and `abstract`, read a row at a time.

    A quote left unclosed would fold the records after it into one field, a made-up paper in
    place of real ones, without a word: records are read strictly, and one whose quoted field
    runs over lines into text a closing quote cannot be followed by is listed as skipped and the
    lines it ran over read again, so that only its own record is lost."""
    head_bytes, chosen = sniff(path, encoding)
    head = head_bytes.decode("utf-8", errors="ignore")
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    # no field is too long to read: a record too long to be a paper is skipped by _make_paper,
    # with the others kept
    csv.field_size_limit(2**31 - 1)
    lines: _Lines | None = None
    try:
        with path.open(encoding=chosen, newline="") as handle:
            lines = _Lines(handle)
            rows = csv.reader(lines, delimiter=delimiter, strict=True)
            header = next(rows, None)
            if header is None:  # an empty file holds no papers, as an empty JSON Lines file
                return
            columns = {c.strip().lower(): i for i, c in enumerate(header)}
            missing = [c for c in ("title", "abstract") if c not in columns]
            if missing:
                # one short line, whatever the header holds (not a header row at all: a JSON line, a paragraph)
                found = clip(", ".join(" ".join(c.split()) for c in columns) or "none", 120)
                raise InputError(
                    f"cannot read {path}: CSV needs columns title and abstract; missing {', '.join(missing)} "
                    f"(found: {found})"
                )
            twice = _same_field(header)
            if twice:  # which of the two to read would be a guess
                first, second, name = twice
                raise InputError(
                    f"cannot read {path}: CSV columns {first!r} and {second!r} both name the field {name}; "
                    "rename or remove one"
                )
            while True:
                lines.begin_record()
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except csv.Error:
                    record = lines.record
                    if len(record) > 1:  # a quoted field ran on over lines: its record is lost, not the next ones
                        report.skip(
                            f"{path.name}:{record[0][0]}",
                            f"an unclosed quote? its field runs over {len(record)} lines; read on from the next line",
                        )
                        lines.again(record[1:])
                        continue
                    # a stray quote within one line ('"Attention" Is All'): read it as it always was
                    row = next(csv.reader([record[0][1]] if record else [""], delimiter=delimiter), [])
                if not row:
                    continue

                def get(name: str, row: list[str] = row) -> str:
                    index = columns.get(name)
                    return row[index].strip() if index is not None and index < len(row) else ""

                where = f"{path.name}:{lines.record[-1][0] if lines.record else lines.number}"
                try:
                    paper = _make_paper(
                        title=get("title"),
                        abstract=get("abstract"),
                        source=str(path),
                        id=get("id") or None,
                        url=get("url") or None,
                        year=get("year") or None,
                        authors=get("authors") or None,
                        date=get("date") or None,
                        categories=get("categories") or None,
                    )
                except ValueError as e:
                    report.skip(where, str(e))
                    continue
                _check_year(paper, get("year"), where, report)
                yield where, paper
    except UnicodeDecodeError as e:
        raise not_text(path, chosen, encoding) from e
    except csv.Error as e:
        where = f" at line {lines.number}" if lines is not None else ""
        raise InputError(f"cannot read {path}: broken CSV{where} ({e})") from e
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e


#: the columns of a CSV that papers are read from; any others are passed over
CSV_FIELDS = ("title", "abstract", "id", "url", "year", "authors", "date", "categories")


def _same_field(header: list[str]) -> tuple[str, str, str] | None:
    """Two header cells that name one field once case and spaces are set aside ("title" and
    "Title", "abstract" and " Abstract"), as written, and the field: the last was read, silently."""
    first: dict[str, str] = {}
    for cell in header:
        name = cell.strip().lower()
        if name in first:
            return clip(first[name], 40), clip(cell, 40), name
        if name in CSV_FIELDS:
            first[name] = cell
    return None


class _Lines:
    """A file's lines for `csv.reader`, each numbered as it stands in the file, remembering those
    of the record being read so that they can be read again."""

    def __init__(self, handle: Iterable[str]) -> None:
        self._lines = iter(handle)
        self._again: list[tuple[int, str]] = []  # lines to read again, the next one last
        #: the number of the last line handed out
        self.number = 0
        #: the lines of the current record, with their numbers
        self.record: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            number, line = self._again.pop()
        else:
            number, line = self.number + 1, next(self._lines)
        self.number = max(self.number, number)
        self.record.append((number, line))
        return line

    def begin_record(self) -> None:
        self.record = []

    def again(self, lines: list[tuple[int, str]]) -> None:
        """Hand ``lines`` out once more, before any line not yet read."""
        self._again.extend(reversed(lines))


# -- arXiv API Atom ---------------------------------------------------------------------------


def read_atom(path: Path, report: ReadReport, *, encoding: str | None = None) -> Iterator[tuple[str, Paper]]:
    """The Atom feed the arXiv API (export.arxiv.org/api/query) returns, saved to a file. Its
    bytes go to the XML parser, which reads them in the encoding the file declares (``<?xml
    version="1.0" encoding="ISO-8859-1"?>``) or its byte-order mark says; ``encoding`` is for a
    file that says neither, which XML then takes for UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    declared = has_bom(data) or _XML_ENCODING.match(data) is not None
    if not declared:
        sniff(path, encoding)  # a binary or gzip-compressed file is said to be one
    given = encoding if encoding and not declared and codecs.lookup(encoding).name != "utf-8" else None
    try:
        root = ET.fromstring(data, parser=ET.XMLParser(encoding=given) if given else None)
    except ET.ParseError as e:
        if not declared:  # a byte that is not UTF-8 (or not in --encoding) is said to be one
            try:
                data.decode(given or "utf-8")
            except UnicodeDecodeError:
                raise not_text(path, given or "utf-8", encoding) from e
        raise InputError(f"cannot read {path}: not well-formed XML ({e})") from e
    except (ValueError, LookupError) as e:  # a declared one it lacks: "multi-byte encodings are not supported"
        raise InputError(
            f"cannot read {path}: its XML is in an encoding the parser cannot read ({e}); convert it to UTF-8 first"
        ) from e
    if root.tag != f"{_ATOM}feed":
        raise InputError(f"cannot read {path}: not an Atom feed (root element {root.tag!r})")
    for number, entry in enumerate(root.iter(f"{_ATOM}entry"), start=1):
        link = next(
            (
                el.get("href")
                for el in entry.iter(f"{_ATOM}link")
                if el.get("rel", "alternate") == "alternate"
            ),
            None,
        )
        try:
            yield f"{path.name}: entry {number}", _make_paper(
                escaped=False,
                title=entry.findtext(f"{_ATOM}title") or "",
                abstract=entry.findtext(f"{_ATOM}summary") or "",
                source=str(path),
                id=entry.findtext(f"{_ATOM}id"),
                url=link,
                date=entry.findtext(f"{_ATOM}published"),
                categories=[c.get("term", "") for c in entry.iter(f"{_ATOM}category") if c.get("term")],
                authors=[
                    name
                    for a in entry.iter(f"{_ATOM}author")
                    if (name := (a.findtext(f"{_ATOM}name") or "").strip())
                ],
            )
        except ValueError as e:
            report.skip(f"{path.name}: entry {number}", str(e))


#: an XML declaration that names the file's encoding
_XML_ENCODING = re.compile(rb"<\?xml\s[^>]*?\bencoding\s*=")


_READERS = {"page": read_page, "jsonl": read_jsonl, "csv": read_csv, "atom": read_atom}
