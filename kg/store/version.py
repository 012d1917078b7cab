"""Which kg wrote a graph, and bringing one an older kg wrote up to this one in place.

A graph records the `SCHEMA_VERSION` of the kg that wrote it, in its one `META` node. A graph an
older kg wrote is not this kg's graph: the embedded store lacks tables and columns the queries
name (a database error for `kg stats`), Neo4j answers without them (`best_gain_per_technique`
gave no rows, with nothing but a warning), and a build that adds papers beside the old ones
leaves a mixed graph. So every command but `kg upgrade` refuses one, in a line that says to run
it; a graph a newer kg wrote is refused too.

`kg upgrade` extracts the graph's papers again from the text the graph holds (a paper keeps its
title and abstract), so it needs no sources. It may stop anywhere and be run again, and ends in
the graph a fresh build of the same papers makes:

1. `begin_upgrade` adds the tables, columns, constraints and indexes this schema has (each only if
   missing). A graph that records no version but is this kg's otherwise (`adoptable`: a graph
   kg wrote before it recorded one, read by this very extractor) is adopted: it records this
   schema version and keeps its facts. For a graph of an older schema, or one whose every paper
   an older extractor read, it marks every paper not loaded, deletes every fact (entities,
   results, their relationships), and then records this schema version with ``upgrading`` set:
   until the end, commands refuse the graph as part way through an upgrade, and a rerun does not
   start over.
2. The caller extracts and loads each paper that is not loaded or that another extractor read,
   chunk by chunk (`stored_papers`); a load marks its papers loaded last.
3. `finish_upgrade` removes entities nothing points at and clears ``upgrading``.

A graph whose schema is this one but where only some papers were read by another extractor (a
gazetteer edited since) keeps its other papers: only those are extracted again, as a build would.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import QueryError, StoreOutdated
from kg.records import Paper
from kg.schema import META_ID, NODE_TYPES, REL_TYPES, SCHEMA_VERSION
from kg.store import cypher

if TYPE_CHECKING:
    from kg.store.base import GraphStore

#: the schema version a graph that records none can be at most: kg has recorded it since version 1,
#: so once SCHEMA_VERSION is raised past this, no such graph is adopted (`adoptable`)
UNRECORDED = 1

#: nodes deleted per statement when an upgrade clears a graph's facts: one transaction for a
#: whole label of a large graph would need its every relationship in memory at once
DELETE_BATCH = 10_000


@dataclass(frozen=True)
class StoredVersion:
    """What a graph records about the kg that wrote it."""

    #: its schema version; None when it records none (a kg from before versions, or a new graph)
    version: int | None
    #: whether `kg upgrade` began on it and has not finished
    upgrading: bool
    #: its papers (0 when not counted: see `stored_version`)
    papers: int

    @property
    def current(self) -> bool:
        """Whether this kg may read and write the graph as it is."""
        if self.version is None:
            return self.papers == 0  # a new graph, or one emptied by hand
        return self.version == SCHEMA_VERSION and not self.upgrading


def stored_version(store: GraphStore, *, count_papers: bool = False) -> StoredVersion:
    """What the graph in ``store`` records; a read, so it works on a read-only store. Its papers
    are counted only where that matters (a graph of another version, or ``count_papers``): every
    command asks this before it starts."""
    try:
        rows = store.run(cypher.read_meta(), {"id": META_ID}).rows
    except QueryError:  # an embedded graph from before versions has no table for it
        rows = []
    if not rows or rows[0][0] is None:
        return StoredVersion(None, False, _papers(store))
    version, upgrading = int(rows[0][0]), bool(rows[0][1])
    current = version == SCHEMA_VERSION and not upgrading
    return StoredVersion(version, upgrading, _papers(store) if count_papers or not current else 0)


def _papers(store: GraphStore) -> int:
    try:
        return int(store.run("MATCH (p:Paper) RETURN count(p) AS n").rows[0][0])
    except QueryError:  # an embedded graph with no table of papers (yet)
        return 0


def check_current(store: GraphStore) -> StoredVersion:
    """What the graph records, once it is found to be a graph this kg may use as it is; else
    `StoreOutdated`, saying what to run."""
    stored = stored_version(store)
    if not stored.current:
        raise StoreOutdated(_not_current(store, stored))
    return stored


def record(store: GraphStore, *, upgrading: bool, only_if_missing: bool = False) -> None:
    """Record this kg's schema version as the graph's."""
    statement = cypher.write_meta(only_if_missing=only_if_missing)
    store.run(statement, {"id": META_ID, "version": SCHEMA_VERSION, "upgrading": upgrading}, write=True)


def _not_current(store: GraphStore, stored: StoredVersion) -> str:
    where = store.location
    if stored.version is not None and stored.version > SCHEMA_VERSION:
        return (
            f"{where} was written by a newer kg (schema version {stored.version}; this kg knows {SCHEMA_VERSION} "
            "at most); install the newer kg (pip install -U), or use another graph"
        )
    if stored.upgrading:
        return f"{where} is part way through `kg upgrade`, which stopped before the end; run `kg upgrade` again to finish it"
    if stored.version is None:
        versions = extractor_versions()
        adopted = adoptable(store, versions)
        if adopted is not None:
            run = "`kg upgrade --rules-only` (kg.upgrade(rules_only=True)" if versions[adopted] else "`kg upgrade` (kg.upgrade"
            unfinished = _unfinished(store)
            extracts = f"again only the {unfinished} whose load did not finish" if unfinished else "nothing again"
            papers = "its paper was" if stored.papers == 1 else f"its {stored.papers} papers were"
            return (
                f"{where} records no schema version (kg recorded none before version {UNRECORDED}); run {run} in "
                f"Python) to record it: {papers} read by this kg's extractor, so it extracts {extracts}"
            )
    written = "one that recorded no schema version" if stored.version is None else f"schema version {stored.version}"
    papers = "its paper" if stored.papers == 1 else f"its {stored.papers} papers"
    return (
        f"{where} was written by an older kg ({written}; this kg's is {SCHEMA_VERSION}); run `kg upgrade` "
        f"(kg.upgrade in Python) to bring it up to date: it extracts {papers} again from the text the graph holds"
    )


def adoptable(store: GraphStore, versions: Collection[str]) -> str | None:
    """The extractor version, of ``versions``, that every paper of a graph was read by, if the
    graph is this kg's in all but the record of its schema version (every graph kg wrote before
    it kept one): ``kg upgrade`` then records the version instead of extracting the papers again.

    A paper's extractor version hashes kg/extract's code, the gazetteers and the ranker, not the
    graph builder's, so the graph's shape is checked too (`GraphStore.missing_schema`): on the
    embedded store every table, column and relationship's ends kg/schema.py names; on Neo4j,
    which has no tables, only the constraints and indexes this kg makes. Asked before any of
    this schema's additions are made to the graph (`GraphStore._ensure_schema`), or a graph
    older than that would pass."""
    if SCHEMA_VERSION != UNRECORDED or store.missing_schema():
        return None
    rows = store.run("MATCH (p:Paper) RETURN DISTINCT p.extractor_version AS version LIMIT 2").rows
    return rows[0][0] if len(rows) == 1 and rows[0][0] in versions else None


def extractor_versions() -> dict[str, bool]:
    """The versions this kg's extractor stamps a paper with, to whether they are --rules-only's,
    for a message about a graph of neither."""
    from kg.extract.gazetteer import Gazetteer
    from kg.extract.pipeline import extractor_version
    from kg.extract.ranker import SpanRanker

    gazetteer = Gazetteer.load()
    return {extractor_version(gazetteer, None): True, extractor_version(gazetteer, SpanRanker.load()): False}


def _unfinished(store: GraphStore) -> int:
    """Papers whose load stopped before its end, which a build or an upgrade extracts again."""
    return int(store.run("MATCH (p:Paper) WHERE p.content_hash IS NULL RETURN count(p) AS n").rows[0][0])


@dataclass(frozen=True)
class UpgradePlan:
    """What `begin_upgrade` found and did."""

    before: StoredVersion
    #: whether every fact was deleted, so that every paper is extracted again from nothing
    rebuild: bool
    #: whether `kg analyze` had ranked the graph (its figures go, or go stale)
    analysed: bool
    #: whether the graph recorded no version but was this kg's otherwise (`adoptable`)
    adopted: bool = False


def begin_upgrade(store: GraphStore, extractor_version: str) -> UpgradePlan:
    """Step 1 of an upgrade (see the module's docstring); the store may then be loaded into."""
    before = stored_version(store, count_papers=True)
    if before.version is not None and before.version > SCHEMA_VERSION:
        raise StoreOutdated(_not_current(store, before))
    # before the schema's additions, which would make any graph look like this kg's
    adopted = before.version is None and before.papers > 0 and adoptable(store, {extractor_version}) is not None
    store.setup_schema()
    analysed = store.analysed()
    resumed = before.version == SCHEMA_VERSION and before.upgrading
    older = before.papers > 0 and not adopted and (before.version is None or before.version < SCHEMA_VERSION)
    rebuild = resumed or older or (before.papers > 0 and _read_by_another(store, extractor_version) == before.papers)
    if rebuild and not resumed:
        store.run("MATCH (p:Paper) SET p.content_hash = null", write=True)  # first: a stop after it redoes them all
        _delete_facts(store)
        record(store, upgrading=True)
    elif before.version is None:
        record(store, upgrading=False)
    store._schema_ready = True  # checked here: the loads that follow need not, and would refuse an upgrading graph
    return UpgradePlan(before, rebuild, analysed, adopted)


def _read_by_another(store: GraphStore, extractor_version: str) -> int:
    """Papers another extractor read, or whose load has not finished."""
    statement = (
        "MATCH (p:Paper) WHERE p.content_hash IS NULL OR p.extractor_version IS NULL "
        "OR p.extractor_version <> $version RETURN count(p) AS n"
    )
    return int(store.run(statement, {"version": extractor_version}).rows[0][0])


def _delete_facts(store: GraphStore) -> None:
    """Every node but the papers (and the graph's own record), with its relationships, and the
    relationships between papers (`kg analyze`'s), a batch at a time."""
    for spec in NODE_TYPES:
        if spec.label == "Paper":
            continue
        statement = f"MATCH (n:{spec.label}) WITH n LIMIT {DELETE_BATCH} DETACH DELETE n RETURN count(*) AS n"
        while store.run(statement, write=True).rows[0][0]:
            pass
    for rel in REL_TYPES:
        if rel.source == rel.target == "Paper":
            store.run(f"MATCH (:Paper)-[r:{rel.type}]->(:Paper) DELETE r", write=True)


def stored_papers(store: GraphStore, *, chunk_size: int) -> Iterator[list[tuple[Paper, str | None, str | None]]]:
    """The graph's papers as the readers made them, with the content hash and extractor version
    their load recorded, in chunks ordered by id. A chunk is read only once the one before has
    been handled, so loading it meanwhile is safe."""
    after = ""
    columns = "p.id, p.title, p.abstract, p.url, p.year, p.authors, p.source, p.date, p.categories, p.content_hash, p.extractor_version"
    while True:
        rows = store.run(
            f"MATCH (p:Paper) WHERE p.id > $after RETURN {columns} ORDER BY p.id LIMIT {int(chunk_size)}", {"after": after}
        ).rows
        if not rows:
            return
        yield [
            (
                Paper(
                    id=row[0], title=row[1] or "", abstract=row[2] or "", url=row[3], year=row[4],
                    authors=tuple(row[5] or ()), source=row[6], date=row[7], categories=tuple(row[8] or ()),
                ),
                row[9],
                row[10],
            )
            for row in rows
        ]
        after = rows[-1][0]


def finish_upgrade(store: GraphStore) -> None:
    """Step 3 of an upgrade: what no paper names any more goes, and the graph is this kg's."""
    store.delete_orphans()
    record(store, upgrading=False)
