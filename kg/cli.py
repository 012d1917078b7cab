"""The `kg` command: a thin layer over `kg.api`; each command makes one library call and prints.

Library errors (`KgError`) become ``Error: ...`` on stderr and exit 1; no
traceback reaches the user.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import json
import os
import re
import shlex
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from kg import __version__
from kg.config import STORES, Settings
from kg.errors import KgError, clip

if TYPE_CHECKING:
    from kg import api
    from kg.corpus import ReadReport
    from kg.querylib import NamedQuery

F = TypeVar("F", bound=Callable[..., Any])
FORMAT_CHOICES = click.Choice(["page", "jsonl", "csv", "atom"])


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        interrupted = False

        def on_interrupt(signum: int, frame: Any) -> None:
            nonlocal interrupted
            interrupted = True
            raise KeyboardInterrupt

        # Ctrl-C in the middle of a Neo4j write can come out of the driver as some other error
        # (a half-sent message): remember that it was pressed, and say so whatever comes out
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            return func(*args, **kwargs)
        except KgError as e:
            if interrupted:
                _interrupted()
            raise click.ClickException(_shown(str(e), lines=True)) from e
        except KeyboardInterrupt:
            _interrupted()
        except BrokenPipeError:  # before click, which would exit 1 for it
            _output_closed()
        except Exception:
            if interrupted:  # the driver's buffer half-written ("BufferError: Existing exports ...")
                _interrupted()
            raise
        finally:
            signal.signal(signal.SIGINT, previous)

    return wrapper  # type: ignore[return-value]


#: the commands whose work a rerun finishes (each is safe to rerun); a query or a page is just stopped
_RESUMABLE = {"build", "load", "extract", "export", "analyze", "fetch", "viz", "upgrade"}


#: The exit status when the output goes to a pipe whose reader stopped early (`kg query ... |
#: head -1`): 128 + SIGPIPE, what a shell reports for a program that signal stopped (`yes | head
#: -1`), so a `set -o pipefail` script can tell that the output was cut short; 0 would say it all
#: got through. Not the signal itself (SIGPIPE to SIG_DFL): a Neo4j connection or a `kg serve`
#: client that closes would then kill kg too. Set in `_handle_errors`, around every command, since
#: click's `main()` catches a broken pipe before `main()` below sees it (and exits 1).
EXIT_PIPE_CLOSED = 141


def _output_closed() -> NoReturn:
    """Stop at once and in silence: the reader has what it wanted, and stderr may be the same pipe."""
    _stdout_to_devnull()
    sys.exit(EXIT_PIPE_CLOSED)


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so that Python's flush of what is still buffered, as it exits,
    does not fail again ("Exception ignored ... BrokenPipeError"), as the docs of `signal` advise."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _interrupted() -> None:
    context = click.get_current_context(silent=True)
    if context is not None and context.info_name in _RESUMABLE:
        click.echo("Interrupted; rerun the same command to finish (it is safe to rerun).", err=True)
    else:
        click.echo("Interrupted.", err=True)
    sys.exit(130)


def _settings(store: str | None, db: Path | None) -> Settings:
    """Settings from flags and environment; the Neo4j password, if not in NEO4J_PASSWORD,
    is asked for at a terminal (never echoed) and otherwise is an error."""
    settings = Settings.from_env(store=store, db=db)
    if settings.store == "neo4j" and settings.neo4j_password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("set NEO4J_PASSWORD to the Neo4j password (it is never read from a flag)")
        password = click.prompt(f"Password for {settings.neo4j_user} at {settings.neo4j_uri}", hide_input=True, err=True)
        settings = replace(settings, neo4j_password=password)
    return settings


def _store_options(func: F) -> F:
    func = click.option("--db", type=click.Path(path_type=Path), help="Embedded database folder [env KG_DB; default ./kg-data].")(func)
    func = click.option(
        "--store", type=click.Choice(STORES), help="Where the graph lives [env KG_STORE; default embedded]."
    )(func)
    return func


@contextmanager
def _progress(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, silent when stderr is not a terminal."""
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=" papers", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        yield bar.update


def _parse_params(values: tuple[str, ...], query: NamedQuery | None) -> dict[str, Any]:
    from kg.querylib import typed_params

    params: dict[str, str] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = raw
    return typed_params(query, params)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """kg: a knowledge graph of techniques for making large models cheaper.

    Reads paper abstracts, extracts methods, techniques, models, datasets,
    metrics, tasks, hardware, results and code links, and stores them as a
    graph you can query with Cypher.

    Exit codes: 0 done; 1 an error (one line on stderr, nothing lost); 2 a
    usage error; 3 done, but some records could not be read (listed on stderr);
    141 the output went to a pipe whose reader stopped early (`| head`).
    """


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from kg.corpus.text import check_encoding

    try:
        return check_encoding(value)
    except KgError as e:
        raise click.BadParameter(str(e)) from e


_encoding_option = click.option(
    "--encoding",
    metavar="NAME",
    callback=_check_encoding,
    help="Read sources in this text encoding, such as cp1252 for a CSV that Excel on Windows saved "
    "[default: UTF-8]. A byte-order mark, or an XML file's own declaration, still decides for its file.",
)

_rules_only_option = click.option(
    "--rules-only",
    is_flag=True,
    help="Skip the span ranker: extraction takes about half the time, at about 0.04 lower F1 on unseen abstracts (README).",
)


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=FORMAT_CHOICES, help="Read every source as this format instead of guessing.")
@click.option("--add", is_flag=True, hidden=True)  # builds always add; kept so older scripts still run
@click.option("--force", is_flag=True, help="Extract every paper again, even those unchanged since the last build.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Extraction processes.")
@_encoding_option
@_rules_only_option
@_store_options
@_handle_errors
def build(
    sources: tuple[Path, ...],
    format_: str | None,
    encoding: str | None,
    add: bool,
    force: bool,
    workers: int,
    rules_only: bool,
    store: str | None,
    db: Path | None,
) -> None:
    """Extract SOURCES (the bundled sample page if none) and add them to the graph.

    Builds are incremental and only add: papers already in the graph stay (start
    a new graph with another --db, or delete its folder); a paper whose text and
    extractor are unchanged since the last build is not extracted again, a paper
    already present under another id (same normalised title) is not added twice,
    and a paper whose text changed has its old facts replaced. Running it twice
    leaves the same graph; an interrupted build can simply be run again.
    """
    from kg import api

    settings = _settings(store, db)
    with _progress("building") as progress:
        summary = api.build(
            sources or None, settings=settings, format=format_, progress=progress, workers=workers, force=force,
            rules_only=rules_only, encoding=encoding,
        )
    _report_loaded(summary, settings)
    if summary.unchanged:
        were, they = ("was", "it") if summary.unchanged == 1 else ("were", "they")
        click.echo(f"{_count(summary.unchanged, 'paper')} {were} unchanged since the last build and kept as {they} {were}.")
    if summary.other_extractor:
        were = "was" if summary.other_extractor == 1 else "were"
        click.echo(
            f"Note: {_count(summary.other_extractor, 'paper')} in the graph {were} extracted by another version of kg's "
            "extractor (an older kg, an edited gazetteer, --rules-only); `kg upgrade` extracts them again from the text "
            "the graph holds.",
            err=True,
        )
    _report_reading_problems(summary.read)


def _report_loaded(summary: api.BuildSummary, settings: Settings) -> None:
    """What this run loaded, and what the graph holds now (a build only adds)."""
    where = settings.db if settings.store == "embedded" else settings.neo4j_uri
    papers, nodes, relationships = _totals(summary.counts)
    replaced = f" ({summary.replaced} of them already there: their facts were replaced)" if summary.replaced else ""
    click.echo(
        f"Loaded {_count(summary.load.papers, 'paper')}{replaced} into the {summary.store} store at {where}; "
        f"it now holds {_count(papers, 'paper')}, {_count(nodes, 'node')}, {_count(relationships, 'relationship')}."
    )
    if summary.read.duplicates or summary.known_titles:
        click.echo(f"Skipped {_count(summary.read.duplicates + summary.known_titles, 'duplicate paper')}.")
    if summary.analysis_stale:
        click.echo(
            "Note: `kg analyze` ranked this graph before this load; rerun it to bring PageRank, "
            "communities and SIMILAR_TO up to date.",
            err=True,
        )
    _warn_if_empty(summary.read)


def _totals(counts: dict[str, int]) -> tuple[int, int, int]:
    """Papers, nodes and relationships of a graph's counts per label and type."""
    from kg.schema import NODE_TYPES, REL_TYPES

    nodes = sum(counts.get(spec.label, 0) for spec in NODE_TYPES)
    return counts.get("Paper", 0), nodes, sum(counts.get(rel.type, 0) for rel in REL_TYPES)


def _count(n: int, noun: str) -> str:
    """ "1 paper", "2 papers": the nouns here all take an s."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _warn_if_empty(report: ReadReport) -> None:
    """Sources that held no papers at all are no error, but likely not what was meant."""
    if not report.papers and not report.skipped:
        click.echo("Warning: the sources held no papers.", err=True)


#: exit code when the work was done but some records could not be read (they are listed)
EXIT_SKIPPED = 3

#: the widest cell a table prints; longer ones (titles, evidence sentences) are cut, and the table says so
TABLE_CELL = 80


def _report_reading_problems(report: ReadReport) -> None:
    """List the records read without a field that made no sense, then those that were skipped,
    and end with exit code 3 if any were skipped, so scripts can tell."""
    if report.warnings:
        _list(f"Read {_count(len(report.warnings), 'record')} without a value that made no sense:", report.warnings)
    if report.skipped:
        _list(f"Skipped {_count(len(report.skipped), 'record')} that could not be read:", report.skipped)
        sys.exit(EXIT_SKIPPED)


def _list(header: str, lines: list[str], shown: int = 20) -> None:
    click.echo(header, err=True)
    for line in lines[:shown]:
        click.echo(f"  {line}", err=True)
    if len(lines) > shown:
        click.echo(f"  ... and {len(lines) - shown} more", err=True)


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, sep, count = value.partition("/")
    whole = sep and all(part.isascii() and part.isdigit() for part in (index, count))  # not "²", which int() refuses
    if not (whole and 1 <= int(index) <= int(count)):
        raise click.BadParameter(f"{value!r} is not I/N with 1 <= I <= N (e.g. 2/8)")
    return int(index), int(count)


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="JSON Lines file to write.")
@click.option("--format", "format_", type=FORMAT_CHOICES, help="Read every source as this format instead of guessing.")
@click.option("--shard", callback=_parse_shard, help="Extract only shard I of N (I/N), chosen by a stable hash of the paper id.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Extraction processes.")
@_encoding_option
@_rules_only_option
@_handle_errors
def extract(
    sources: tuple[Path, ...],
    output: Path,
    format_: str | None,
    encoding: str | None,
    shard: tuple[int, int] | None,
    workers: int,
    rules_only: bool,
) -> None:
    """Extract SOURCES (the bundled sample if none) to JSON Lines, one paper a line.

    With --shard I/N, n machines (or jobs of any scheduler) each extract one
    shard; `kg load` then puts all the shards' output into the graph.
    """
    from kg import api

    with _progress("extracting") as progress:
        report, written = api.extract_to_jsonl(
            sources or None, output, format=format_, progress=progress, shard=shard, workers=workers, rules_only=rules_only,
            encoding=encoding,
        )
    of_shard = f" (shard {shard[0]}/{shard[1]} of the {report.papers} papers read)" if shard else ""
    click.echo(f"Wrote {_count(written, 'paper')} to {output}{of_shard}.")
    if report.duplicates:
        click.echo(f"Skipped {_count(report.duplicates, 'duplicate paper')}.")
    _warn_if_empty(report)
    _report_reading_problems(report)


@cli.command()
@click.argument("extractions", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_options
@_handle_errors
def load(extractions: tuple[Path, ...], store: str | None, db: Path | None) -> None:
    """Load `kg extract` output (one file or one per shard) into the graph, without extracting."""
    from kg import api

    settings = _settings(store, db)
    with _progress("loading") as progress:
        summary = api.load_extractions(extractions, settings=settings, progress=progress)
    _report_loaded(summary, settings)
    _report_reading_problems(summary.read)


def _list_library() -> None:
    from kg import querylib

    for q in querylib.list_queries():
        params = ", ".join(f"{k}={json.dumps(v)}" for k, v in q.defaults.items())
        click.echo(f"{q.name}\n    {q.question}" + (f"\n    params: {params}" if params else ""))


def _list_and_exit(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        try:  # before any command runs, so outside _handle_errors
            _list_library()
        except BrokenPipeError:
            _output_closed()
        ctx.exit()


@cli.command()
@click.argument("query")
@click.option(
    "--list", is_flag=True, is_eager=True, expose_value=False, callback=_list_and_exit, help="List the library of named queries (as `kg queries`) and exit."
)
@click.option("--param", "-p", "params", multiple=True, help="A query parameter NAME=VALUE (JSON values parse).")
@click.option(
    "--format", "format_", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True, help=f"How to print the rows (a table cuts cells at {TABLE_CELL} characters and says so)."
)
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True, help="Stop the query after this many seconds.")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True, help="Print at most this many rows.")
@_store_options
@_handle_errors
def query(
    query: str,
    params: tuple[str, ...],
    format_: str,
    write: bool,
    timeout: float,
    max_rows: int,
    store: str | None,
    db: Path | None,
) -> None:
    """Run QUERY: Cypher text, a .cypher file, or the name of a query in the library.

    Queries are read-only unless --write is given; a --write query then says how
    many nodes and relationships it added or removed (on stderr). A library query
    runs on the defaults in its header; --param overrides them. A query that begins
    with EXPLAIN or PROFILE prints the store's plan for it (after the rows, or on
    stderr with --format json or csv).
    """
    from kg import api, querylib

    settings = _settings(store, db)
    named = querylib.resolve(query)
    given = _parse_params(params, named)
    result = api.run_query(
        named,
        settings=settings,
        params=given,
        write=write,
        timeout=timeout,
        max_rows=max_rows,
    )
    click.echo(_format_rows(result.columns, result.rows, format_, terminal=sys.stdout.isatty()), nl=False)
    if result.plan is not None:  # beside a table; apart from rows a program reads
        click.echo(_shown(result.plan, lines=True), err=format_ != "table")
    for warning in result.warnings:
        click.echo(f"Neo4j warns: {_shown(warning)}", err=True)
    if not result.rows and named.library and named.name != "search" and not write and given:
        for value in api.unmatched_names(given, settings=settings):
            click.echo(f"Nothing in the graph is named {value!r}; `kg query search -p text=...` finds what is.", err=True)
    if result.truncated:
        click.echo(f"Showing the first {max_rows} rows; raise --max-rows to see more.", err=True)
    if result.changes is not None:
        click.echo(_changes_line(result.changes), err=True)


def _changes_line(changes: dict[str, int]) -> str:
    """What a --write query did to the graph, in counts: the stores do not report property edits alike."""
    if not changes:
        return "No node or relationship was added or removed."
    return "Changed the graph: " + ", ".join(f"{n:+d} {name}" for name, n in changes.items()) + "."


#: characters a terminal would act on (escape sequences, a bell, a carriage return, line breaks)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _shown(text: str, *, lines: bool = False) -> str:
    """``text`` as it may reach a terminal: a control character is written out (``\\x1b``), not
    obeyed, since a graph holds what others wrote (a loaded file, a shared Neo4j). With ``lines``
    a line break stays one (an error of several lines)."""
    keep = "\n" if lines else ""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else m.group().encode("unicode_escape").decode("ascii"), text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as Cypher writes them (and `kg export`), not Python's True
    if isinstance(value, float):
        text = repr(value)  # the shortest text that reads back as the same number: 2.3456789, 1e-05
        return text.removesuffix(".0")  # 1234567, not 1234567.0
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _format_rows(columns: list[str], rows: list[list[Any]], format_: str, *, terminal: bool = False) -> str:
    """The rows as text; for a ``terminal``, CSV cells write out control characters too (a file
    keeps them as the graph holds them; JSON escapes them either way)."""
    if format_ == "json":
        from kg.store.base import jsonable

        text = json.dumps(jsonable([dict(zip(columns, row)) for row in rows]), ensure_ascii=False, indent=2, allow_nan=False)
        # JSON escapes C0 controls itself; DEL, C1 and the Unicode line breaks it leaves as they are
        return re.sub("[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
    if format_ == "csv":
        shown = _shown if terminal else str
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")  # a line a shell pipe reads, not "\r\n"
        writer.writerow([shown(c) for c in columns])
        writer.writerows([[shown(_cell(v)) for v in row] for row in rows])
        return buffer.getvalue()
    if not columns:  # a write with no RETURN
        return ""
    cells = [[_shown(_cell(v)) for v in row] for row in rows]
    columns = [_shown(c) for c in columns]
    cut = any(len(c) > TABLE_CELL for row in cells for c in row)
    cells = [[clip(c, TABLE_CELL) for c in row] for row in cells]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = lambda values: " | ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(columns), "-+-".join("-" * w for w in widths)] + [line(row) for row in cells]
    note = f"; cells over {TABLE_CELL} characters end in '...': --format csv or json prints them whole" if cut else ""
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{note})")
    return "\n".join(out) + "\n"


@cli.command()
@click.argument("name", required=False)
@_handle_errors
def queries(name: str | None) -> None:
    """List the library of named queries with the question each answers; with NAME,
    print that query whole: what a row of its answer means, its parameters and
    their defaults, and its Cypher."""
    if name is None:
        _list_library()
        return
    from kg import querylib

    click.echo(querylib.library_query(name).text.rstrip("\n"))


@cli.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path("kg-graph.html"), show_default=True, help="The page to write."
)
@click.option("--max-nodes", type=click.IntRange(1), default=400, show_default=True, help="Keep this many nodes of highest degree.")
@click.option("--query", "query_", help="Draw what this query returns (Cypher, a .cypher file or a library name).")
@click.option("--param", "-p", "params", multiple=True, help="A parameter of --query, NAME=VALUE.")
@click.option("--around", help="Draw the neighbourhood of the node with this name.")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="Steps from --around.")
@_store_options
@_handle_errors
def viz(
    output: Path,
    max_nodes: int,
    query_: str | None,
    params: tuple[str, ...],
    around: str | None,
    depth: int,
    store: str | None,
    db: Path | None,
) -> None:
    """Draw the graph as one self-contained HTML page (works offline).

    Nodes are coloured and shaped by label and sized by degree; hovering shows
    a node's properties or an edge's evidence sentence; a search box and a
    filter by label sit above the graph.
    """
    from kg import api, querylib

    given = click.get_current_context().get_parameter_source("depth")
    if around is None and given is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--depth sets how far --around reaches; there is no --around")
    named = querylib.resolve(query_) if query_ else None
    drawn, left_out = api.render_viz(
        output,
        settings=_settings(store, db),
        max_nodes=max_nodes,
        query=named,
        params=_parse_params(params, named),
        around=around,
        depth=depth,
    )
    note = f" ({left_out} nodes of lower degree left out; raise --max-nodes to see them)" if left_out else ""
    click.echo(f"Wrote {output} with {drawn} nodes{note}.")


@cli.command()
@click.option(
    "--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="How to print the counts (json: one object, name to count, for scripts).",
)
@_store_options
@_handle_errors
def stats(format_: str, store: str | None, db: Path | None) -> None:
    """Count nodes per label and relationships per type in the store."""
    from kg import api

    counts = api.stats(settings=_settings(store, db))
    if format_ == "json":
        click.echo(json.dumps(counts, indent=2))
        return
    width = max(len(k) for k in counts)
    for name, count in counts.items():
        click.echo(f"{name.ljust(width)}  {count}")


@cli.command()
@click.argument("paper")
@click.option(
    "--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True, help="How to print the facts."
)
@_store_options
@_handle_errors
def explain(paper: str, format_: str, store: str | None, db: Path | None) -> None:
    """Show every fact PAPER supports, with its evidence.

    PAPER is an id, an arXiv id such as 2401.10774, the start of either (enough
    to name one paper), or a piece of its title.
    """
    from kg import api

    record, facts = api.explain(paper, settings=_settings(store, db))
    if format_ == "json":
        click.echo(json.dumps({"paper": record, "facts": [vars(f) for f in facts]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{_shown(record['title'])}\n  id: {_shown(record['id'])}  extractor: {record['version']}")
    for fact in facts:
        subject = "" if fact.subject == "paper" else f"{fact.subject} -> "
        said = _shown(f"{fact.relation}: {subject}{fact.object}")
        click.echo(f"\n{said}\n  \"{_shown(fact.evidence)}\"")


@cli.command()
@click.option("--min-shared", type=click.IntRange(1), default=3, show_default=True, help="Shared entities that make two papers similar.")
@_store_options
@_handle_errors
def analyze(min_shared: int, store: str | None, db: Path | None) -> None:
    """Rank nodes (degree, PageRank), group techniques into communities and link similar papers.

    The results are written back to the store: `degree`, `pagerank` and
    `community` properties, and SIMILAR_TO relationships with a `shared` count.
    """
    from kg import api

    summary = api.analyze(settings=_settings(store, db), min_shared=min_shared)
    click.echo(
        f"Ranked {summary.ranked} nodes, found {summary.communities} technique communities "
        f"and {summary.similar_pairs} pairs of similar papers."
    )


@cli.command()
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Extraction processes.")
@_rules_only_option
@_store_options
@_handle_errors
def upgrade(workers: int, rules_only: bool, store: str | None, db: Path | None) -> None:
    """Bring a graph an older kg wrote up to this kg, in place.

    Every other command refuses a graph written by an older kg (its tables,
    columns or relationships are not this kg's). This extracts its papers
    again from the titles and abstracts the graph holds, so it needs no
    sources: every paper when the schema changed, else those an older
    extractor read. A graph from before kg recorded its schema version
    whose papers this kg's extractor read is adopted: it records the
    version and nothing is extracted. Interrupted, it can simply be run
    again; it ends in the graph a fresh build of the same papers makes.
    """
    from kg import api
    from kg.schema import SCHEMA_VERSION

    settings = _settings(store, db)
    with _progress("upgrading") as progress:
        summary = api.upgrade(settings=settings, progress=progress, workers=workers, rules_only=rules_only)

    where = summary.location[0].upper() + summary.location[1:]
    if summary.adopted:
        kept = summary.papers - summary.extracted
        again = f"re-extracted {summary.extracted} whose load had not finished" if summary.extracted else "nothing re-extracted"
        click.echo(
            f"{where} is up to date (schema version none recorded before, {SCHEMA_VERSION} now); adopted: "
            f"{_count(kept, 'paper')} already read by this kg, {again}."
        )
        return
    if not summary.extracted and not summary.rebuilt:
        click.echo(f"{where} is up to date (schema version {SCHEMA_VERSION}; its papers were extracted by this kg).")
        return
    before = "none recorded" if summary.schema_before is None else summary.schema_before
    papers, nodes, relationships = _totals(summary.counts)
    click.echo(
        f"{where} is up to date (schema version {before} before, {SCHEMA_VERSION} now): extracted "
        f"{_count(summary.extracted, 'paper')} again from the text it holds; it now holds "
        f"{_count(papers, 'paper')}, {_count(nodes, 'node')}, {_count(relationships, 'relationship')}."
    )
    if summary.analysis_stale:
        click.echo("Note: rerun `kg analyze` to rank the upgraded graph (PageRank, communities, SIMILAR_TO).", err=True)


@cli.command()
@click.argument("extractions", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(["graphml", "json", "csv"]), required=True, help="graphml for Gephi and Cytoscape, json (node-link), csv for neo4j-admin import.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="A file (graphml, json) or a folder (csv).")
@_store_options
@_handle_errors
def export(extractions: tuple[Path, ...], format_: str, output: Path, store: str | None, db: Path | None) -> None:
    """Export the stored graph for other tools, or EXTRACTIONS (`kg extract` output) as CSV.

    The csv format writes one file per label and relationship type in the layout
    `neo4j-admin database import full` reads, for bulk loading a big graph,
    import.sh beside them with the import command and the options the files need,
    and schema.cypher with kg's constraints and indexes.

    Given EXTRACTIONS (one file or one per shard), csv is written from them
    directly, with no store and without the whole graph in memory: the graph
    `kg load` of the same files makes in an empty store, save that a paper id
    met again is skipped (the first record is exported), not replaced.
    """
    from kg import api
    from kg.graph.export import IMPORT_SCRIPT, SCHEMA_SCRIPT

    if extractions:
        if format_ != "csv":
            raise click.UsageError(f"EXTRACTIONS are exported as csv only; for {format_}, `kg load` them and export the store")
        if store or db:
            raise click.UsageError("EXTRACTIONS are exported without a store; drop --store and --db")
        with _progress("exporting") as progress:
            summary = api.export_extractions(extractions, output, progress=progress)
        papers, nodes, relationships = _totals(summary.counts)
        click.echo(
            f"Wrote {_count(papers, 'paper')}, {_count(nodes, 'node')} and "
            f"{_count(relationships, 'relationship')} in {_count(len(summary.files), 'file')} to {output}."
        )
        skipped = summary.read.duplicates + summary.known_titles + summary.repeated
        if skipped:
            click.echo(f"Skipped {_count(skipped, 'duplicate paper')}.")
    else:
        files = api.export_graph(output, format=format_, settings=_settings(store, db))
        click.echo(f"Wrote {_count(len(files), 'file')} to {output}.")
    if format_ == "csv":
        click.echo(
            f"Bulk-load them into a new Neo4j database with `sh {shlex.quote(str(output / IMPORT_SCRIPT))}`, "
            f"then make kg's constraints and indexes with {SCHEMA_SCRIPT} (`cypher-shell -f "
            f"{shlex.quote(str(output / SCHEMA_SCRIPT))}`) or `kg analyze --store neo4j`, which also ranks the graph."
        )
    if extractions:
        _warn_if_empty(summary.read)
        _report_reading_problems(summary.read)


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="Also list what was missed and what was extra, per paper (entities, links, results and their attributes).")
@_rules_only_option
@_handle_errors
def eval_(gold: tuple[Path, ...], as_json: bool, show_errors: bool, rules_only: bool) -> None:
    """Score the extractor against GOLD files (JSON Lines in the format of docs/ANNOTATION.md).

    Entities, proposes, code links and results always; INSTANCE_OF links where a gold record has
    an `instance_of` list of [method, technique, basis] pairs, and COMPARED_WITH where it has a
    `compared_with` list of method names.
    """
    from kg import api

    warnings: list[str] = []
    report = api.score_extractor(gold, rules_only=rules_only, warnings=warnings)
    if warnings:
        _list(f"{_count(len(warnings), 'gold name')} not in its abstract, scored as missed:", warnings)
    if as_json:
        payload = report.as_dict()
        if show_errors:
            payload["errors"] = report.errors
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(_count(report.papers, "paper"))
    click.echo(f"{'':16} {'strict P':>9} {'R':>6} {'F1':>6}   {'lenient P':>9} {'R':>6} {'F1':>6}")
    for name, score in report.strict.items():
        lenient = report.lenient[name]
        click.echo(
            f"{name:16} {score.precision:9.3f} {score.recall:6.3f} {score.f1:6.3f}   "
            f"{lenient.precision:9.3f} {lenient.recall:6.3f} {lenient.f1:6.3f}"
        )
    if show_errors:
        for error in report.errors:
            click.echo(f"{error['id']} {error['type']}: missed {error['missed']} extra {error['extra']}")


@cli.group()
def fetch() -> None:
    """Fetch papers from live sources into JSON Lines that `kg build` reads.

    Safe to rerun: papers already in the output file are skipped, and an
    interrupted arXiv fetch resumes where it stopped.
    """


def _fetch_summary(report: Any, source: str) -> None:
    if report.resumed_at:
        click.echo(f"Resumed an unfinished fetch at result {report.resumed_at}.")
    click.echo(
        f"Wrote {report.written} new papers from {source} to {report.output} "
        f"({report.already} already there); stopped: {report.stopped}."
    )
    if report.skipped:  # as for a source file: listed, and exit code 3
        _list(f"Skipped {_count(len(report.skipped), 'record')} that could not be read:", [_shown(s) for s in report.skipped])
        sys.exit(EXIT_SKIPPED)


@fetch.command("arxiv")
@click.option("--query", required=True, help="An arXiv search_query, e.g. 'cat:cs.LG AND abs:quantization'.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Stop at papers first submitted before this day.")
@click.option("--max", "max_papers", type=click.IntRange(min=1), help="Stop after this many new papers.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="JSON Lines file to append to.")
@click.option("--page-size", type=click.IntRange(1, 2000), default=100, show_default=True, help="Results per request.")
@click.option("--delay", type=click.FloatRange(min=0), default=3.0, envvar="KG_FETCH_DELAY", help="Seconds between requests; arXiv asks for 3 [env KG_FETCH_DELAY; default 3].")
@click.option("--base-url", envvar="KG_ARXIV_URL", help="The arXiv API query URL [env KG_ARXIV_URL; default http://export.arxiv.org/api/query].")
@_handle_errors
def fetch_arxiv(
    query: str, since: Any, max_papers: int | None, output: Path, page_size: int, delay: float, base_url: str | None
) -> None:
    """Fetch arXiv papers matching --query, newest first."""
    from kg.corpus import fetch as live

    report = live.fetch_arxiv(
        query,
        output,
        since=since.date() if since else None,
        max_papers=max_papers,
        page_size=page_size,
        delay=delay,
        base_url=base_url or live.ARXIV_URL,
    )
    _fetch_summary(report, "arXiv")


@fetch.command("hf-papers")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day whose list to fetch [default: the latest list].")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="JSON Lines file to append to.")
@click.option("--base-url", envvar="KG_HF_URL", help="The daily papers API URL [env KG_HF_URL; default https://huggingface.co/api/daily_papers].")
@_handle_errors
def fetch_hf_papers(day: Any, output: Path, base_url: str | None) -> None:
    """Fetch one day's Hugging Face daily papers into the -o file."""
    from kg.corpus import fetch as live

    report = live.fetch_hf_papers(output, day=day.date() if day else None, base_url=base_url or live.HF_URL)
    _fetch_summary(report, "Hugging Face daily papers")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; only loopback unless --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on (0: any free one).")
@click.option("--allow-remote", is_flag=True, help="Allow a non-loopback --host; needs a token.")
@click.option(
    "--token",
    envvar="KG_SERVE_TOKEN",
    help="Token clients must send (X-KG-Token header or ?token=), 16 characters or more; prefer the env "
    "KG_SERVE_TOKEN, which other users of this machine cannot see in the process list.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Stop a query from the page after this many seconds (queries run one at a time).",
)
@_store_options
@_handle_errors
def serve(
    host: str, port: int, allow_remote: bool, token: str | None, timeout: float, store: str | None, db: Path | None
) -> None:
    """Serve a local web page to explore the graph: Cypher or library queries, a table and a graph.

    Every query runs read-only, one at a time, and is stopped after --timeout seconds, or sooner
    when the page cancels it (Cancel, or a newer query from the same page). Ctrl-C stops the server.
    """
    from kg import api

    def ready(url: str) -> None:
        click.echo(f"Serving the graph at {url} (read-only; Ctrl-C to stop)")
        if token:
            click.echo("Clients must send the token: open the page with ?token=TOKEN or send the X-KG-Token header.")

    api.serve(
        settings=_settings(store, db), host=host, port=port, allow_remote=allow_remote, token=token, ready=ready, query_timeout=timeout
    )
    click.echo("Stopped.")


#: what a full disk or a gone device says when the output is written: the machine's trouble, not kg's
_OUTPUT_TROUBLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def main() -> None:
    try:
        cli(prog_name="kg")
    except Exception as e:  # the last line of defence: no traceback reaches a user
        if isinstance(e, OSError) and e.errno in _OUTPUT_TROUBLE:
            click.echo(f"Error: cannot write the output: {e.strerror}", err=True)
            _stdout_to_devnull()  # the buffered rest would fail again as Python exits, with a traceback
            sys.exit(1)
        click.echo(f"Error: unexpected {type(e).__name__}: {e} (this is a bug in kg; please report it)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
