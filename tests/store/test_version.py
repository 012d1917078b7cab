"""A graph an older kg wrote: refused in one line by every command but `kg upgrade`, which brings it
to the graph a fresh build of the same papers makes, and can be run again after a stop.

An "older" graph is a real graph this kg wrote, then put back as an older kg left it: no record of
its schema version, no Result.gain and no ON_DATASET relationships (which kg gained in 82e9696 and
4954f15); on the embedded store without their columns and tables either, on Neo4j without the index
kg makes for ON_DATASET. A graph "from before versions" is one this kg wrote less its record (and on
the embedded store the record's table), as every kg before the record left a graph: `kg upgrade`
adopts it without extracting, unless its papers were read by another extractor."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg import api
from kg.config import Settings
from kg.errors import StoreOutdated
from kg.extract import Extractor
from kg.graph import build_graph
from kg.schema import META, SCHEMA_VERSION, fingerprint
from kg.store import open_store
from kg.store.embedded import EmbeddedStore
from kg.store.version import StoredVersion, extractor_versions, stored_version

#: the papers these tests build their graphs of: enough for results on benchmarks, quick to extract
PAPERS = 24


@pytest.fixture(scope="module")
def extractions(sample_extractions):
    return sample_extractions[:PAPERS]


@pytest.fixture(scope="module")
def graph(extractions, extractor):
    return build_graph(extractions, gazetteer=extractor.gazetteer)


def _shape(store) -> tuple[set, set]:
    """The graph's nodes (label and key) and relationships (type, ends, paper), without
    `kg analyze`'s: what a fresh build of the same papers has whatever their order."""
    graph = api.graph_from_store(store)
    return set(graph.nodes), {key for _, _, key in graph.edges(keys=True) if not key.startswith("SIMILAR_TO")}


def _make_older(store) -> None:
    store.run(f"MATCH (m:{META.label}) DELETE m", write=True)
    if isinstance(store, EmbeddedStore):
        store.run(f"DROP TABLE {META.label}", write=True)
        store.run("DROP TABLE ON_DATASET", write=True)
        store.run("ALTER TABLE Result DROP gain", write=True)
    else:
        store.run("MATCH ()-[r:ON_DATASET]->() DELETE r", write=True)
        store.run("MATCH (r:Result) REMOVE r.gain", write=True)
        store.run("DROP INDEX on_dataset_paper_id IF EXISTS", write=True)


def _unversion(store) -> None:
    """As a kg from before schema versions left the graph."""
    store.run(f"MATCH (m:{META.label}) DELETE m", write=True)
    if isinstance(store, EmbeddedStore):
        store.run(f"DROP TABLE {META.label}", write=True)
    else:
        store.run(f"DROP CONSTRAINT {META.label.lower()}_{META.key}_unique IF EXISTS", write=True)


def _mark_results(store) -> int:
    """Mark every result as the store holds it, so that one extracted again shows; how many."""
    return store.run("MATCH (r:Result) SET r.sentence = r.sentence + ' [as stored]' RETURN count(r)", write=True).rows[0][0]


def _marked(store) -> tuple[int, int]:
    """The results, and those still as they were marked."""
    statement = "MATCH (r:Result) RETURN count(r), sum(CASE WHEN r.sentence ENDS WITH ' [as stored]' THEN 1 ELSE 0 END)"
    return tuple(store.run(statement).rows[0])


@pytest.fixture
def older(tmp_path, graph):
    """Settings of an embedded graph an older kg wrote, and the shape a fresh build gives."""
    settings = Settings(db=tmp_path / "db")
    with open_store(settings) as store:
        store.load(graph)
        fresh = _shape(store)
        _make_older(store)
    return settings, fresh


@pytest.fixture
def unversioned(tmp_path, graph):
    """Settings of an embedded graph from before schema versions, and the shape a fresh build gives."""
    settings = Settings(db=tmp_path / "db")
    with open_store(settings) as store:
        store.load(graph)
        fresh = _shape(store)
        _unversion(store)
    return settings, fresh


def _adoptable(where: str, papers: int = PAPERS, *, unfinished: int = 0) -> str:
    again = f"again only the {unfinished} whose load did not finish" if unfinished else "nothing again"
    return (
        f"{where} records no schema version (kg recorded none before version {SCHEMA_VERSION}); run `kg upgrade` "
        f"(kg.upgrade in Python) to record it: its {papers} papers were read by this kg's extractor, so it extracts {again}"
    )


def _outdated(where: str, papers: int = PAPERS) -> str:
    return (
        f"{where} was written by an older kg (one that recorded no schema version; this kg's is {SCHEMA_VERSION}); "
        f"run `kg upgrade` (kg.upgrade in Python) to bring it up to date: it extracts its {papers} papers again from "
        "the text the graph holds"
    )


def test_the_schema_version_stands_for_this_shape():
    """Raise SCHEMA_VERSION (and record the new fingerprint here) with any change to the schema's
    labels, properties or relationship types: a graph written before is then upgraded, not misread."""
    assert (SCHEMA_VERSION, fingerprint()) == (1, "64ee31399fb9")


def test_a_new_graph_records_this_schema_version(tmp_path, graph):
    with EmbeddedStore(tmp_path / "db") as store:
        store.load(graph)
        assert stored_version(store, count_papers=True) == StoredVersion(SCHEMA_VERSION, False, PAPERS)


def test_a_graph_emptied_by_hand_and_loaded_again_records_it_again(embedded, graph):
    embedded.load(graph)
    embedded.run("MATCH (n) DETACH DELETE n", write=True)
    embedded.load(graph)
    assert stored_version(embedded).version == SCHEMA_VERSION


COMMANDS = pytest.mark.parametrize(
    "command",
    [
        lambda s: api.stats(settings=s),
        lambda s: api.run_query("results_on_dataset", settings=s),
        lambda s: api.run_query("MATCH (p:Paper) RETURN count(p)", settings=s),
        lambda s: api.explain("EvoPress", settings=s),
        lambda s: api.stored_graph(settings=s),
        lambda s: api.analyze(settings=s),
        lambda s: api.build(None, settings=s),
    ],
    ids=["stats", "library query", "query", "explain", "export", "analyze", "build"],
)


@COMMANDS
def test_every_command_refuses_an_older_graph_in_one_line(older, command):
    settings, _ = older
    with pytest.raises(StoreOutdated) as info:
        command(settings)
    assert str(info.value) == _outdated(f"the graph at {settings.db}")
    with EmbeddedStore(settings.db, read_only=True) as store:
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows == [[PAPERS]]  # a build refused before it read
        # nor did a command that writes add this schema's tables first, which would pass it for this kg's graph
        assert store.missing_schema() == ["column Result.gain BOOLEAN", "rel table ON_DATASET"]


@COMMANDS
def test_every_command_refuses_a_graph_from_before_versions_saying_nothing_is_extracted(unversioned, command):
    settings, _ = unversioned
    with pytest.raises(StoreOutdated) as info:
        command(settings)
    assert str(info.value) == _adoptable(f"the graph at {settings.db}")
    with EmbeddedStore(settings.db, read_only=True) as store:
        assert stored_version(store) == StoredVersion(None, False, PAPERS)


def test_the_cli_says_so_in_one_line(older):
    settings, _ = older
    result = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--db", str(settings.db)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert result.stderr == f"Error: {_outdated(f'the graph at {settings.db}')}\n"


def test_a_write_query_runs_on_an_older_graph(older):
    """The user's own Cypher may be what empties or mends the graph by hand."""
    settings, _ = older
    api.run_query("MATCH (n) DETACH DELETE n", settings=settings, write=True)
    with EmbeddedStore(settings.db, read_only=True) as store:
        assert store.run("MATCH (n) RETURN count(n)").rows == [[0]]  # empty, as asked: no record either
    assert api.stats(settings=settings)["Paper"] == 0  # and of this schema's tables


def test_upgrade_makes_the_graph_a_fresh_build_makes(older, extractor):
    settings, fresh = older
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.schema_before, summary.papers, summary.extracted, summary.rebuilt) == (None, PAPERS, PAPERS, True)
    with open_store(settings, read_only=True) as store:
        assert _shape(store) == fresh
        assert store.run("MATCH (r:Result) WHERE r.gain IS NOT NULL RETURN count(r)").rows[0][0] > 0
    assert api.run_query("results_on_dataset", settings=settings).rows
    again = api.upgrade(settings=settings, extractor=extractor)
    assert (again.extracted, again.rebuilt) == (0, False)


def test_upgrade_adopts_a_graph_from_before_versions_without_extracting_it(unversioned, extractor):
    settings, fresh = unversioned
    with EmbeddedStore(settings.db) as store:
        results = _mark_results(store)
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.schema_before, summary.papers, summary.extracted) == (None, PAPERS, 0)
    assert (summary.adopted, summary.rebuilt, summary.analysis_stale) == (True, False, False)
    with open_store(settings, read_only=True) as store:
        assert _marked(store) == (results, results)  # no paper's facts were made again
        assert _shape(store) == fresh
        assert stored_version(store) == StoredVersion(SCHEMA_VERSION, False, 0)
        assert store.missing_schema() == []
    assert api.stats(settings=settings)["Paper"] == PAPERS
    assert api.run_query("results_on_dataset", settings=settings).rows
    again = api.upgrade(settings=settings, extractor=extractor)
    assert (again.extracted, again.rebuilt, again.adopted) == (0, False, False)


def test_adopting_a_graph_extracts_again_only_the_papers_whose_load_stopped(unversioned, extractor):
    settings, fresh = unversioned
    with EmbeddedStore(settings.db) as store:
        store.run("MATCH (p:Paper) WITH p ORDER BY p.id LIMIT 2 SET p.content_hash = null", write=True)
    with pytest.raises(StoreOutdated) as info:
        api.stats(settings=settings)
    assert str(info.value) == _adoptable(f"the graph at {settings.db}", unfinished=2)
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (2, False, True)
    with open_store(settings, read_only=True) as store:
        assert _shape(store) == fresh


def test_a_graph_from_before_versions_that_another_extractor_read_is_extracted_again(unversioned, extractor):
    settings, fresh = unversioned
    with EmbeddedStore(settings.db) as store:
        store.run("MATCH (p:Paper) SET p.extractor_version = 'older'", write=True)
        results = _mark_results(store)
    with pytest.raises(StoreOutdated) as info:
        api.stats(settings=settings)
    assert str(info.value) == _outdated(f"the graph at {settings.db}")
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (PAPERS, True, False)
    with open_store(settings, read_only=True) as store:
        assert _marked(store) == (results, 0)
        assert _shape(store) == fresh


def test_a_graph_from_before_versions_lacking_a_table_is_not_adopted(unversioned, extractor):
    """Its papers' extractor version says nothing of the graph builder, which made the tables' facts."""
    settings, _ = unversioned
    with EmbeddedStore(settings.db) as store:
        store.run("DROP TABLE ON_DATASET", write=True)
    with pytest.raises(StoreOutdated) as info:
        api.stats(settings=settings)
    assert str(info.value) == _outdated(f"the graph at {settings.db}")
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (PAPERS, True, False)


def test_a_graph_from_before_versions_is_not_adopted_once_the_schema_version_is_raised(
    unversioned, extractor, monkeypatch
):
    """Such a graph is of version 1 at most; a later kg's graph builder may make other facts of
    the same extraction, which nothing in the graph would show."""
    settings, _ = unversioned
    monkeypatch.setattr("kg.store.version.SCHEMA_VERSION", 2)
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (PAPERS, True, False)


def test_the_versions_a_refusal_names_are_the_extractors(extractor):
    rules_only = Extractor(rules_only=True)
    assert extractor_versions() == {rules_only.version: True, extractor.version: False}


def test_an_upgrade_stopped_part_way_is_refused_until_it_is_run_again(older, extractor):
    settings, fresh = older

    def stop_after_some(done: int, seen=[0]) -> None:  # noqa: B006 - a counter across calls
        seen[0] += done
        if seen[0] >= PAPERS // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.upgrade(settings=settings, extractor=extractor, progress=stop_after_some, chunk_size=PAPERS // 3)
    with pytest.raises(StoreOutdated) as info:
        api.stats(settings=settings)
    assert str(info.value) == (
        f"the graph at {settings.db} is part way through `kg upgrade`, which stopped before the end; "
        "run `kg upgrade` again to finish it"
    )
    summary = api.upgrade(settings=settings, extractor=extractor, chunk_size=PAPERS // 3)
    assert 0 < summary.extracted < PAPERS  # the papers done before the stop are not extracted again
    with open_store(settings, read_only=True) as store:
        assert _shape(store) == fresh


def test_a_graph_a_newer_kg_wrote_is_refused_upgrade_too(tmp_path, graph, extractor):
    settings = Settings(db=tmp_path / "db")
    with open_store(settings) as store:
        store.load(graph)
        store.run(f"MATCH (m:{META.label}) SET m.schema_version = $v", {"v": SCHEMA_VERSION + 1}, write=True)
    newer = (
        f"the graph at {settings.db} was written by a newer kg (schema version {SCHEMA_VERSION + 1}; this kg knows "
        f"{SCHEMA_VERSION} at most); install the newer kg (pip install -U), or use another graph"
    )
    for command in (lambda: api.stats(settings=settings), lambda: api.upgrade(settings=settings, extractor=extractor)):
        with pytest.raises(StoreOutdated) as info:
            command()
        assert str(info.value) == newer


def test_upgrade_extracts_again_only_what_another_extractor_read(tmp_path, graph, extractor):
    """Same schema, some papers read by an older extractor (a gazetteer edited since): those only."""
    settings = Settings(db=tmp_path / "db")
    with open_store(settings) as store:
        store.load(graph)
        store.run("MATCH (p:Paper) WITH p ORDER BY p.id LIMIT 3 SET p.extractor_version = 'older'", write=True)
    summary = api.upgrade(settings=settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt) == (3, False)
    with open_store(settings, read_only=True) as store:
        assert store.run("MATCH (p:Paper {extractor_version: 'older'}) RETURN count(p)").rows[0][0] == 0


@pytest.fixture
def neo4j_schema_restored(neo4j):
    """The test server's store, its constraints and indexes made again after the test, which drops some."""
    yield neo4j
    neo4j.setup_schema()


@pytest.mark.neo4j
def test_neo4j_refuses_an_older_graph_and_upgrade_brings_it_up_to_date(
    neo4j_schema_restored, neo4j_settings, graph, extractor
):
    neo4j = neo4j_schema_restored
    neo4j.load(graph)
    fresh = _shape(neo4j)
    _make_older(neo4j)
    with pytest.raises(StoreOutdated) as info:
        api.run_query("best_gain_per_technique", settings=neo4j_settings)  # answered no rows, with a warning
    assert str(info.value) == _outdated(f"the graph in Neo4j at {neo4j_settings.neo4j_uri}")
    summary = api.upgrade(settings=neo4j_settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (PAPERS, True, False)
    assert _shape(neo4j) == fresh
    assert api.run_query("best_gain_per_technique", settings=neo4j_settings).rows


@pytest.mark.neo4j
def test_neo4j_adopts_a_graph_from_before_versions_without_extracting_it(
    neo4j_schema_restored, neo4j_settings, graph, extractor
):
    neo4j = neo4j_schema_restored
    neo4j.load(graph)
    fresh = _shape(neo4j)
    _unversion(neo4j)
    results = _mark_results(neo4j)
    with pytest.raises(StoreOutdated) as info:
        api.run_query("best_gain_per_technique", settings=neo4j_settings)
    assert str(info.value) == _adoptable(f"the graph in Neo4j at {neo4j_settings.neo4j_uri}")
    summary = api.upgrade(settings=neo4j_settings, extractor=extractor)
    assert (summary.schema_before, summary.papers, summary.extracted) == (None, PAPERS, 0)
    assert (summary.adopted, summary.rebuilt) == (True, False)
    assert _marked(neo4j) == (results, results)  # no paper's facts were made again
    assert _shape(neo4j) == fresh
    assert stored_version(neo4j).version == SCHEMA_VERSION
    assert api.run_query("best_gain_per_technique", settings=neo4j_settings).rows


@pytest.mark.neo4j
def test_neo4j_extracts_again_a_graph_from_before_versions_that_another_extractor_read(
    neo4j_schema_restored, neo4j_settings, graph, extractor
):
    neo4j = neo4j_schema_restored
    neo4j.load(graph)
    fresh = _shape(neo4j)
    _unversion(neo4j)
    neo4j.run("MATCH (p:Paper) SET p.extractor_version = 'older'", write=True)
    results = _mark_results(neo4j)
    with pytest.raises(StoreOutdated) as info:
        api.stats(settings=neo4j_settings)
    assert str(info.value) == _outdated(f"the graph in Neo4j at {neo4j_settings.neo4j_uri}")
    summary = api.upgrade(settings=neo4j_settings, extractor=extractor)
    assert (summary.extracted, summary.rebuilt, summary.adopted) == (PAPERS, True, False)
    assert _marked(neo4j) == (results, 0)
    assert _shape(neo4j) == fresh
