"""The library calls the CLI makes, one per command: each wires the steps of the flow.

corpus → extract → graph → store → query / view. Nothing here prints; long
work reports through an optional ``progress`` callback.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from kg.config import Settings
from kg.corpus import (
    ReadReport,
    Sources,
    arxiv_id,
    as_paths,
    check_source,
    read_papers,
    sample_corpus,
)
from kg.corpus.extractions import extraction_sources, read_extractions
from kg.errors import InputError, QueryError
from kg.evaluate import EvalReport, evaluate, load_gold
from kg.extract import Extractor, Gazetteer
from kg.graph import EntityRegistry, GraphBuilder
from kg.iterutil import chunked
from kg.jsonutil import holds_lone_surrogate
from kg.querylib import NamedQuery, check_one_statement, check_params, library_query, resolve
from kg.records import Extraction, Paper, claim_text, normalize_title
from kg.schema import NAME_PROPERTIES, NODE_TYPES, REL_TYPES, node_type
from kg.store import Cancellation, GraphStore, LoadReport, QueryResult, open_store
from kg.store.version import stored_version

Progress = Callable[[int], None]


@dataclass
class BuildSummary:
    """What `build` or `load_extractions` came to: papers read and skipped (``read``), loaded
    (``load``), and the graph's nodes per label and relationships per type after it (``counts``)."""

    read: ReadReport
    load: LoadReport
    counts: dict[str, int] = field(default_factory=dict)
    store: str = ""
    #: papers whose text and extractor were unchanged since the last load: not extracted again
    unchanged: int = 0
    #: papers whose normalised title is already in the store under another id
    known_titles: int = 0
    #: papers this run loaded that the store already held: their old facts were replaced
    replaced: int = 0
    #: whether this run changed a graph that `kg analyze` had ranked (its figures are now stale)
    analysis_stale: bool = False
    #: `build`: papers in the graph that another extractor read (this kg before an upgrade, a
    #: gazetteer since edited, --rules-only) and that this build did not read again
    other_extractor: int = 0


def in_shard(paper_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether a paper belongs to shard ``(i, n)`` (1-based): a stable hash of its id, so any
    scheduler can run ``kg extract --shard i/n`` on n machines and together they cover all."""
    if shard is None:
        return True
    index, count = shard
    return int(hashlib.sha1(paper_id.encode("utf-8")).hexdigest(), 16) % count == index - 1


def extract_to_jsonl(
    sources: Sources | None,
    out: str | Path,
    *,
    format: str | None = None,
    progress: Progress | None = None,
    shard: tuple[int, int] | None = None,
    workers: int = 1,
    rules_only: bool = False,
    encoding: str | None = None,
    extractor: Extractor | None = None,
) -> tuple[ReadReport, int]:
    """`kg extract`: one JSON object per paper, in the gold format's superset; returns what
    reading came to and how many papers were written. ``encoding`` reads sources that are not
    UTF-8 (as `read_papers` takes it); an unknown name is refused before the output is opened.
    ``extractor`` is used instead of a new one (see `build`)."""
    report = ReadReport()
    written = 0
    out = Path(out)
    paths = _paths_or_sample(sources)
    # opening the output for writing would empty a source before it is read
    if any(_same_file(path, out) for path in paths):
        raise InputError(f"{out} is also a source; write the extraction to another file")
    papers = (p for p in read_papers(paths, format=format, report=report, encoding=encoding) if in_shard(p.id, shard))
    try:
        with _replaced_on_success(out) as handle:
            for extraction in _extractor(extractor, rules_only=rules_only).extract(papers, n_process=workers):
                handle.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
                written += 1
                if progress:
                    progress(1)
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from e
    return report, written


def _extractor(extractor: Extractor | None, *, rules_only: bool) -> Extractor:
    """The extractor given, else a new one (with the span ranker unless ``rules_only``). Making
    one builds spaCy's pipeline, about two seconds, so a notebook that builds or extracts in a
    loop passes one made once; ``rules_only`` with one that has the ranker is refused rather than
    one of the two quietly ignored."""
    if extractor is None:
        return Extractor(rules_only=rules_only)
    if not isinstance(extractor, Extractor):
        raise InputError(f"extractor is a kg.Extractor (or None for a new one), not {type(extractor).__name__}")
    if rules_only and not extractor.rules_only:
        raise InputError(
            "rules_only asks for the extractor without its span ranker, and the extractor given has it; "
            "pass kg.Extractor(rules_only=True), or leave rules_only out"
        )
    return extractor


@contextmanager
def _replaced_on_success(out: Path) -> Iterator[TextIO]:
    """A text file that becomes ``out`` only once the block ends without an error.

    A source that turns out unreadable halfway (a CSV that is not UTF-8), or a Ctrl-C, would
    otherwise leave ``out`` emptied or cut short, and an extraction cut short looks like a
    whole one to `kg load`: the output of an earlier run stays as it was instead. A pipe or
    device (``-o /dev/stdout``) is written as it goes.
    """
    if out.exists() and not out.is_file():
        with out.open("w", encoding="utf-8") as handle:
            yield handle
        return
    target = out.resolve() if out.is_symlink() else out  # the file a link names, not the link
    part = target.with_name(f".{target.name}.{os.getpid()}.part")  # beside it: the rename stays on one disk
    try:
        with part.open("w", encoding="utf-8") as handle:
            yield handle
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def _paths_or_sample(sources: Sources | None) -> list[Path]:
    """The sources' paths; None is the bundled sample. An empty list is refused, not read as the
    sample: ``kg.build(glob("data/*.jsonl"))`` with a pattern that matched nothing would have put
    171 unrelated papers into the graph."""
    if sources is None:
        return [sample_corpus()]
    paths = as_paths(sources)
    if not paths:
        raise InputError("no sources: the list of files is empty (a pattern that matched nothing?); pass None for the bundled sample")
    return paths


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


#: papers extracted, built into a graph and loaded at a time: memory stays flat with corpus size
CHUNK_SIZE = 2000


def load_extractions(paths: Sources, *, settings: Settings, progress: Progress | None = None) -> BuildSummary:
    """`kg load`: put `kg extract` output (from any number of shards) into the store, no spaCy.

    As in `build`, a paper whose title the store (or an earlier record of this load) already has
    under another id is skipped as a duplicate: files extracted one by one may each hold the same
    paper under two ids. The same id again (a shard loaded twice) replaces what it said."""
    report = ReadReport()
    registry = EntityRegistry()
    gazetteer = Gazetteer.load()
    load = LoadReport()
    summary = BuildSummary(read=report, load=load)
    paths = extraction_sources(paths)
    with open_store(settings) as store:
        summary.store = store.name
        index, titles = store.paper_index()
        held = set(index)
        loaded: set[str] = set()
        new_titles = (e for e in read_extractions(paths, report) if not _title_known(e, titles, summary))
        for batch in chunked(new_titles, CHUNK_SIZE):
            builder = GraphBuilder(gazetteer=gazetteer, registry=registry)
            report.papers += len(batch)
            # the papers whose old facts go first: held before this load or loaded by it already
            # (a shard given twice); the others are new, so their deletes would find nothing
            ids = {e.paper.id for e in batch}
            stored = {i for i in ids if i in held or i in loaded}
            loaded.update(ids)
            load.add(store.load(builder.add_all(batch), cleanup=False, stored=stored))
            if progress:
                progress(len(batch))
        summary.replaced = len(loaded & held)  # a paper in two files, or two shards, counts once
        store.delete_orphans()
        summary.counts = store.counts()
        summary.analysis_stale = bool(load.papers) and store.analysed()
    return summary


@dataclass
class ExportSummary:
    """What `export_extractions` came to: the records read and skipped, and the files written."""

    read: ReadReport
    files: list[Path] = field(default_factory=list)
    #: rows written per label and relationship type
    counts: dict[str, int] = field(default_factory=dict)
    #: papers whose normalised title an earlier record had under another id
    known_titles: int = 0
    #: records of a paper id an earlier record had: the first is exported
    repeated: int = 0


def export_extractions(
    paths: Sources, out: str | Path, *, progress: Progress | None = None, chunk_size: int = CHUNK_SIZE
) -> ExportSummary:
    """`kg export EXTRACTIONS --format csv`: `kg extract` output (any number of shards) straight
    to neo4j-admin's import files, with no store and no whole graph in memory, for a corpus too
    big for either. The graph is the one `kg load` of the same files makes in an empty store,
    save that a paper id met again is skipped (the first record is exported) where `kg load`
    lets the later one replace it: neo4j-admin takes each node once, and only a second pass over
    the files could tell which record is last. Memory grows with the distinct entities and with
    the papers' ids and titles (kept to skip repeats), not with their facts."""
    from kg.graph.export import export_chunks
    from kg.store.cypher import neo4j_ddl

    report = ReadReport()
    summary = ExportSummary(read=report)
    paths = extraction_sources(paths)
    registry = EntityRegistry()
    gazetteer = Gazetteer.load()
    seen: set[str] = set()

    def first_of_each_id() -> Iterator[Extraction]:
        titles: dict[str, str] = {}
        for extraction in read_extractions(paths, report):
            if extraction.paper.id in seen:  # before its title is taken: a repeat exports nothing
                summary.repeated += 1
                continue
            if _title_known(extraction, titles, summary):
                continue
            seen.add(extraction.paper.id)
            report.papers += 1
            yield extraction

    def chunks() -> Iterator[nx.MultiDiGraph]:
        for batch in chunked(first_of_each_id(), chunk_size):
            yield GraphBuilder(gazetteer=gazetteer, registry=registry).add_all(batch)
            if progress:
                progress(len(batch))

    writer = export_chunks(chunks(), Path(out), schema=neo4j_ddl())
    summary.files, summary.counts = writer.files, writer.counts
    return summary


def _title_known(extraction: Extraction, titles: dict[str, str], summary: BuildSummary | ExportSummary) -> bool:
    """Whether ``titles`` (normalised title → id) holds this paper's title under another id: one
    paper in two files under two ids. Counted in ``summary.known_titles``; else the title is taken."""
    if titles.setdefault(normalize_title(extraction.paper.title), extraction.paper.id) == extraction.paper.id:
        return False
    summary.known_titles += 1
    return True


def build(
    sources: Sources | None = None,
    *,
    settings: Settings,
    format: str | None = None,
    progress: Progress | None = None,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    force: bool = False,
    rules_only: bool = False,
    encoding: str | None = None,
    extractor: Extractor | None = None,
) -> BuildSummary:
    """`kg build`: extract the sources (None: the bundled sample) and load them into the
    configured store, chunk by chunk.

    Papers stream through in chunks, so memory stays flat however large the
    corpus. A paper whose text and extractor version match what the store
    holds is not extracted again (unless ``force``); one whose title the store
    already has under another id is skipped as a duplicate. ``encoding`` reads sources that are
    not UTF-8, such as a CSV that Excel on Windows saved ("cp1252"); without it such a file is
    refused, saying where, rather than read by a guess (see `read_papers`).

    ``extractor`` is used instead of a new one: making one builds spaCy's pipeline (about two
    seconds), which a notebook that builds in a loop pays once by passing ``kg.Extractor()``
    made once. Worker processes (``workers`` > 1) extract with it too (they fork from this one).
    """
    extractor = _extractor(extractor, rules_only=rules_only)
    report = ReadReport()
    registry = EntityRegistry()
    load = LoadReport()
    summary = BuildSummary(read=report, load=load)
    paths = _paths_or_sample(sources)
    for path in paths:
        check_source(path)
    # the first chunk is read before the store is opened: a source that cannot be read at all (a
    # CSV without an abstract column) is refused before an empty graph is made of it
    chunks = chunked(read_papers(paths, format=format, report=report, encoding=encoding), chunk_size)
    first = next(chunks, None)
    with open_store(settings) as store:
        summary.store = store.name
        loaded, titles = store.paper_index()
        for chunk in itertools.chain([first] if first else [], chunks):
            todo, stored = _papers_to_extract(chunk, loaded, titles, extractor.version, force=force, summary=summary)
            if progress and len(chunk) > len(todo):
                progress(len(chunk) - len(todo))  # unchanged and duplicate papers: done already
            if todo:
                summary.replaced += len(stored)
                builder = GraphBuilder(gazetteer=extractor.gazetteer, registry=registry)
                builder.add_all(_counted(extractor.extract(todo, n_process=workers), progress))
                load.add(store.load(builder.graph, cleanup=False, stored=stored))
        store.delete_orphans()
        summary.counts = store.counts()
        summary.analysis_stale = bool(load.papers) and store.analysed()
        summary.other_extractor = int(
            store.run(
                "MATCH (p:Paper) WHERE p.extractor_version <> $version RETURN count(p) AS n", {"version": extractor.version}
            ).rows[0][0]
        )
    return summary


@dataclass
class UpgradeSummary:
    """What `upgrade` came to."""

    #: the schema version the graph recorded before (None: none, as kg recorded none before 1)
    schema_before: int | None
    #: the graph's papers
    papers: int = 0
    #: papers extracted again (the others were read by this extractor already)
    extracted: int = 0
    #: whether every fact was made again from nothing, as a fresh build would make it
    rebuilt: bool = False
    #: whether the graph recorded no schema version but was this kg's otherwise, and was kept as it
    #: was (`kg.store.version.adoptable`); ``extracted`` then counts only papers whose load had stopped
    adopted: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    store: str = ""
    #: the graph, as messages name it
    location: str = ""
    #: whether `kg analyze` had ranked the graph before: its figures are gone or stale
    analysis_stale: bool = False


def upgrade(
    *,
    settings: Settings,
    progress: Progress | None = None,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    rules_only: bool = False,
    extractor: Extractor | None = None,
) -> UpgradeSummary:
    """`kg upgrade`: bring a graph an older kg wrote up to this kg, in place, from the text it
    holds: its papers are extracted again (every one for an older schema; else those another
    extractor read) and the graph records this kg's schema version. A graph that records no
    version but that this kg's extractor read, in this kg's tables, is adopted instead: it only
    records the version (seconds, where extracting a large graph again takes hours). Stopped
    anywhere, it can be run again, and ends in the graph a fresh build of the same papers makes
    (`kg.store.version`). ``extractor``, ``workers`` and ``rules_only`` as for `build`."""
    from kg.store.version import begin_upgrade, finish_upgrade, stored_papers

    extractor = _extractor(extractor, rules_only=rules_only)
    with open_store(settings, existing=True, check_version=False) as store:
        plan = begin_upgrade(store, extractor.version)
        summary = UpgradeSummary(
            plan.before.version, store=store.name, location=store.location, rebuilt=plan.rebuild, adopted=plan.adopted
        )
        registry = EntityRegistry()
        for chunk in stored_papers(store, chunk_size=chunk_size):
            todo = [paper for paper, hash_, version in chunk if (hash_, version) != (paper.content_hash, extractor.version)]
            summary.papers += len(chunk)
            if progress and len(chunk) > len(todo):
                progress(len(chunk) - len(todo))
            if todo:
                builder = GraphBuilder(gazetteer=extractor.gazetteer, registry=registry)
                builder.add_all(_counted(extractor.extract(todo, n_process=workers), progress))
                store.load(builder.graph, cleanup=False, stored={paper.id for paper in todo})
                summary.extracted += len(todo)
        finish_upgrade(store)
        summary.counts = store.counts()
        summary.analysis_stale = plan.analysed and (plan.rebuild or summary.extracted > 0)
    return summary


def _counted(extractions: Iterable[Extraction], progress: Progress | None) -> Iterator[Extraction]:
    """Each extraction as it comes, ticking the progress bar: a chunk takes minutes to extract,
    and a bar that moved once per chunk looked stuck."""
    for extraction in extractions:
        yield extraction
        if progress:
            progress(1)


def _papers_to_extract(
    chunk: list[Paper],
    loaded: dict[str, tuple[str | None, str | None]],
    titles: dict[str, str],
    version: str,
    *,
    force: bool,
    summary: BuildSummary,
) -> tuple[list[Paper], set[str]]:
    """The chunk's papers that need extracting, and which of them the store already holds."""
    todo: list[Paper] = []
    for paper in chunk:
        other = titles.get(normalize_title(paper.title))
        if other is not None and other != paper.id:
            summary.known_titles += 1
        elif not force and loaded.get(paper.id) == (paper.content_hash, version):
            summary.unchanged += 1
        else:
            todo.append(paper)
    return todo, {p.id for p in todo if p.id in loaded}


def run_query(
    query: NamedQuery | str | os.PathLike[str],
    *,
    settings: Settings,
    params: Mapping[str, Any] | None = None,
    write: bool = False,
    timeout: float | None = None,
    max_rows: int | None = None,
    cancel: Cancellation | None = None,
) -> QueryResult:
    """`kg query`: run one query, on its defaults overridden by ``params``. ``query`` is Cypher,
    a library name ("methods_per_technique") or a ``.cypher`` file, as `kg query` takes it.
    ``cancel`` lets another thread stop it (`kg serve`'s Cancel): it then raises `QueryCancelled`."""
    if isinstance(query, os.PathLike):  # a .cypher file as a Path
        query = os.fspath(query)
    if isinstance(query, str):
        query = resolve(query)
    if not isinstance(query, NamedQuery):
        raise QueryError(f"a query is Cypher text, a library query's name or a .cypher file's path, not {type(query).__name__}")
    if params is not None and not isinstance(params, Mapping):  # a list of pairs failed in the check's own message
        raise QueryError(f"params is a dict of parameter names to values, not {type(params).__name__}")
    if query.neo4j_only and settings.store != "neo4j":
        raise QueryError(f"query {query.name} needs Neo4j; run it on the Neo4j store (--store neo4j; store=\"neo4j\" in Settings)")
    if holds_lone_surrogate(query.text):
        raise QueryError("the query holds half of a UTF-16 pair (a lone surrogate), which no store can read")
    check_one_statement(query)
    params = dict(params or {})
    check_params(query, params)
    values = {**query.defaults, **params}
    # a write is the user's own Cypher, which may be what empties or mends a graph an older kg wrote
    with open_store(settings, read_only=not write, existing=True, check_version=not write) as store:
        if not write:
            return store.run(query.text, values, timeout=timeout, max_rows=max_rows, cancel=cancel)
        before = store.counts(tables_may_lack=True)
        result = store.run(query.text, values, write=True, timeout=timeout, max_rows=max_rows, cancel=cancel)
        after = store.counts(tables_may_lack=True)
        stored = stored_version(store)
        if stored.version is None and stored.current:  # emptied by hand: a new graph, given this kg's tables
            store.setup_schema()  # (its record comes with its first load: an empty database stays empty)
        result.changes = {name: after[name] - before[name] for name in after if after[name] != before[name]}
        return result


def unmatched_names(params: dict[str, Any], *, settings: Settings) -> list[str]:
    """The text values of ``params`` that no paper title or id, entity name or alias, or code link
    in the graph contains (the library's `search`): why a query about "SparseGPT" came back
    empty, when the graph never heard of it."""
    search = library_query("search")
    with open_store(settings, read_only=True) as store:
        return [
            value
            for value in params.values()
            if isinstance(value, str) and value.strip() and not store.run(search.text, {"text": value, "limit": 1}).rows
        ]


def score_extractor(
    gold: Sources, *, rules_only: bool = False, warnings: list[str] | None = None, extractor: Extractor | None = None
) -> EvalReport:
    """`kg eval`: the extractor's precision, recall and F1 against gold files (docs/ANNOTATION.md);
    a file named twice is scored once. Gold names that are not in their abstract are scored as
    missed and listed in ``warnings`` when it is given. ``extractor`` is scored instead of a new
    one (see `build`)."""
    files = list(dict.fromkeys(path.resolve() for path in as_paths(gold)))
    records = [record for path in files for record in load_gold(path, warnings)]
    return evaluate(records, extractor=_extractor(extractor, rules_only=rules_only))


def stats(*, settings: Settings) -> dict[str, int]:
    """`kg stats`: nodes per label and relationships per type in the store."""
    with open_store(settings, read_only=True) as store:
        return store.counts()


def stored_graph(*, settings: Settings) -> nx.MultiDiGraph:
    """The whole stored graph in networkx (nodes "Label:key" with their properties, edges with
    ``type`` and theirs: ``paper_id``, ``sentence``, a SIMILAR_TO's ``shared``), for analysis in
    a script or notebook. A property a node lacks is None and some are lists, which
    ``nx.write_graphml`` refuses: `write_graph` writes GraphML of it, as `kg export` does."""
    with open_store(settings, read_only=True) as store:
        return graph_from_store(store)


def graph_from_store(store: GraphStore) -> nx.MultiDiGraph:
    """The whole stored graph back in networkx, for drawing and analysis."""
    graph = nx.MultiDiGraph()
    for spec in NODE_TYPES:
        names = [name for name, _ in spec.all_properties]
        result = store.run(f"MATCH (n:{spec.label}) RETURN " + ", ".join(f"n.{p} AS {p}" for p in names))
        for row in result.records():
            graph.add_node(f"{spec.label}:{row[spec.key]}", label=spec.label, **row)
    for rel in REL_TYPES:
        source, target = node_type(rel.source), node_type(rel.target)
        names = [name for name, _ in rel.properties]
        result = store.run(
            f"MATCH (a:{rel.source})-[r:{rel.type}]->(b:{rel.target}) "
            f"RETURN a.{source.key} AS `_a`, b.{target.key} AS `_b`, " + ", ".join(f"r.{p} AS {p}" for p in names)
        )
        for row in result.records():
            a, b = row.pop("_a"), row.pop("_b")
            graph.add_edge(f"{rel.source}:{a}", f"{rel.target}:{b}", key=f"{rel.type}|{row['paper_id']}", type=rel.type, **row)
    return graph


def render_viz(
    out: Path,
    *,
    settings: Settings,
    max_nodes: int = 400,
    query: NamedQuery | None = None,
    params: dict[str, Any] | None = None,
    around: str | None = None,
    depth: int = 1,
) -> tuple[int, int]:
    """`kg viz`: draw the stored graph, the part a query returns, or a neighbourhood, into one
    HTML file; returns (nodes drawn, nodes left out)."""
    from kg.graph.select import neighbourhood, returned_by
    from kg.view.pyvis_view import render

    if query is not None:
        check_params(query, params or {})
    elif params:
        raise QueryError("--param sets a parameter of --query; there is no --query")
    with open_store(settings, read_only=True) as store:
        graph = graph_from_store(store)
        if query is not None:
            result = store.run(query.text, {**query.defaults, **(params or {})})
            graph = returned_by(graph, result.rows)
    if around is not None:
        within = "what the query returns" if query is not None else "the graph"
        graph = neighbourhood(graph, around, depth=depth, within=within)
    return render(graph, out, max_nodes=max_nodes)


@dataclass
class Fact:
    """One fact as `kg explain` shows it: ``subject``/``object`` are readable text, and when one
    end is a result, ``result`` holds its fields so JSON readers need not parse that text."""

    relation: str
    subject: str
    object: str
    evidence: str
    result: dict[str, Any] | None = None


def explain(paper: str, *, settings: Settings) -> tuple[dict[str, Any], list[Fact]]:
    """`kg explain`: every fact one paper supports, each with its evidence sentence.

    ``paper`` is a paper id, a bare arXiv id (stored as "arxiv:2401.10774"), the start of either
    (ids are long hashes for papers without an arXiv id) or a piece of its title (case-insensitive).
    """
    if not isinstance(paper, str) or not paper.strip():
        raise QueryError("give a paper: its id, the start of its id, or a piece of its title")
    name_of = {spec.label: next(p for p in NAME_PROPERTIES if p in dict(spec.all_properties)) for spec in NODE_TYPES}
    written = arxiv_id(paper)  # "arXiv:2401.10774", "2401.10774v2", an abs/ URL
    ids = [paper, *([f"arxiv:{written}"] if written else [])]
    with open_store(settings, read_only=True) as store:
        returned = "RETURN p.id AS id, p.title AS title, p.url AS url, p.extractor_version AS version ORDER BY id LIMIT 2"
        found = store.run(f"MATCH (p:Paper) WHERE p.id IN $ids {returned}", {"ids": ids}).records()
        if not found:  # the start of an id
            found = store.run(
                f"MATCH (p:Paper) WHERE p.id STARTS WITH $q OR p.id STARTS WITH $arxiv {returned}",
                {"q": paper, "arxiv": f"arxiv:{paper}"},
            ).records()
        if not found:  # a piece of a title
            found = store.run(f"MATCH (p:Paper) WHERE toLower(p.title) CONTAINS toLower($q) {returned}", {"q": paper}).records()
        if not found:
            raise QueryError(f"no paper with id or title matching {paper!r}; `kg query search -p text=...` finds one")
        if len(found) > 1:
            titles = "; ".join(f"{r['id']} ({r['title']})" for r in found)
            raise QueryError(f"{paper!r} matches more than one paper: {titles} ...; give the id")
        record = found[0]
        facts: list[Fact] = []
        for rel in REL_TYPES:
            if rel.hierarchy:  # the gazetteers' hierarchies belong to no paper: their paper_id is ""
                continue
            # a paper's own facts are found from the paper by its key (on Neo4j a scan of every
            # relationship of the type otherwise); the others by their paper_id, which Neo4j indexes
            source = "(a:Paper {id: $id})" if rel.source == "Paper" else f"(a:{rel.source})"
            rows = store.run(
                f"MATCH {source}-[r:{rel.type}]->(b:{rel.target}) WHERE r.paper_id = $id "
                f"RETURN {_described('a', rel.source, name_of)}, {_described('b', rel.target, name_of)}, "
                f"r.sentence AS evidence ORDER BY a_name, b_name",
                {"id": record["id"]},
            ).records()
            for row in rows:
                subject = "paper" if rel.source == "Paper" else _description(row, "a")
                result = _result_fields(row, "a" if rel.source == "Result" else "b") if "Result" in (rel.source, rel.target) else None
                facts.append(Fact(rel.type, subject, _description(row, "b"), str(row["evidence"] or ""), result))
    return record, facts


_RESULT_FIELDS = ("value", "unit", "direction", "gain", "baseline")


def _described(alias: str, label: str, name_of: dict[str, str]) -> str:
    """The columns that describe one end of a fact: its name, and a result's number and comparison."""
    columns = [f"{alias}.{name_of[label]} AS {alias}_name"]
    for name in _RESULT_FIELDS:
        columns.append(f"{alias}.{name} AS {alias}_{name}" if label == "Result" else f"null AS {alias}_{name}")
    return ", ".join(columns)


def _result_fields(row: dict[str, Any], alias: str) -> dict[str, Any]:
    """A result's number, unit, measure and comparison, as stored."""
    return {"metric": row[f"{alias}_name"], **{name: row[f"{alias}_{name}"] for name in _RESULT_FIELDS}}


def _description(row: dict[str, Any], alias: str) -> str:
    """"50% FLOPs (decrease, a gain, vs FlashAttention)" for a result; the name for anything else."""
    name, value, unit = row[f"{alias}_name"], row[f"{alias}_value"], row[f"{alias}_unit"]
    if value is None:
        return str(name)
    text = claim_text(value, unit, name)
    gain = {True: "a gain", False: "a cost"}.get(row[f"{alias}_gain"])
    baseline = row[f"{alias}_baseline"] and f"vs {row[f'{alias}_baseline']}"
    notes = [n for n in (row[f"{alias}_direction"], gain, baseline) if n]
    return f"{text} ({', '.join(notes)})" if notes else text


def serve(
    *,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8765,
    allow_remote: bool = False,
    token: str | None = None,
    ready: Callable[[str], None] | None = None,
    query_timeout: float | None = None,
) -> None:
    """`kg serve`: serve the local web page until Ctrl-C; ``ready`` gets its URL once it listens.
    Each query stops after ``query_timeout`` seconds (the server's default if None)."""
    from kg.view.server import QUERY_TIMEOUT, make_server

    server = make_server(
        settings=settings, host=host, port=port, allow_remote=allow_remote, token=token, query_timeout=query_timeout or QUERY_TIMEOUT
    )
    if ready:
        ready(server.url)
    server.run()


@dataclass
class AnalyzeSummary:
    """What `analyze` came to: nodes ranked, technique communities found, papers paired as similar."""

    ranked: int
    communities: int
    similar_pairs: int


def analyze(*, settings: Settings, min_shared: int = 3) -> AnalyzeSummary:
    """`kg analyze`: degree, PageRank and technique communities onto nodes, and
    ``SIMILAR_TO`` between papers sharing at least ``min_shared`` entities."""
    from kg.graph.analytics import analyse
    from kg.store import cypher

    with open_store(settings, existing=True) as store:
        graph = graph_from_store(store)
        result = analyse(graph, min_shared=min_shared)
        by_label: dict[str, list[dict[str, Any]]] = {}
        for node, values in result.scores.items():
            data = graph.nodes[node]
            by_label.setdefault(data["label"], []).append({"key": data["key"], **values})
        for label, rows in by_label.items():
            store.run_batches(cypher.set_computed(label, typed=store.typed_parameters), rows)
        store.run("MATCH ()-[r:SIMILAR_TO]->() DELETE r", write=True)
        ids = {node: data["id"] for node, data in graph.nodes(data=True) if data.get("label") == "Paper"}
        rows = [
            {"source": ids[a], "target": ids[b], "paper_id": "", "sentence": f"{n} shared entities", "shared": n}
            for a, b, n in result.similar
        ]
        store.run_batches(cypher.merge_relationships("SIMILAR_TO", typed=store.typed_parameters), rows)
    return AnalyzeSummary(ranked=len(result.scores), communities=result.communities, similar_pairs=len(rows))


def export_graph(out: Path, *, format: str, settings: Settings) -> list[Path]:
    """`kg export`: the stored graph as GraphML, node-link JSON or neo4j-admin import CSV."""
    with open_store(settings, read_only=True) as store:
        graph = graph_from_store(store)
    return write_graph(graph, out, format=format)


def write_graph(graph: nx.MultiDiGraph, out: str | Path, *, format: str = "graphml") -> list[Path]:
    """A graph of kg's (`stored_graph`'s, `build_graph`'s, or a part of one) written as `kg
    export --format` writes the stored one: GraphML for Gephi or Cytoscape, node-link JSON, or a
    folder of neo4j-admin import CSV. Returns the files written.

    ``nx.write_graphml`` refuses such a graph: a property a node lacks is None, and aliases,
    authors and categories are lists, neither of which GraphML has. Here a None is left out and a
    list joined with ";" (CSV: its array delimiter, which the import script names)."""
    from kg.graph.export import export
    from kg.store.cypher import neo4j_ddl

    if not isinstance(graph, nx.Graph):
        raise InputError(f"write_graph takes a networkx graph (kg.stored_graph's or kg.build_graph's), not {type(graph).__name__}")
    return export(graph, Path(out), format=format, schema=neo4j_ddl())
