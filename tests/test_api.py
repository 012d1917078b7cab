"""Builds as the library runs them: streamed in chunks, incremental, safe to rerun."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import api, querylib
from kg.config import Settings
from kg.errors import InputError, QueryError

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def settings(tmp_path):
    return Settings.from_env({}, db=tmp_path / "db")


def _jsonl(path, papers):
    path.write_text("".join(json.dumps(p) + "\n" for p in papers))
    return path


def test_a_second_build_extracts_nothing_and_changes_nothing(settings):
    first = api.build(None, settings=settings, chunk_size=50)
    second = api.build(None, settings=settings, chunk_size=50)
    assert first.load.papers == 171 and first.unchanged == 0 and first.replaced == 0
    assert second.load.papers == 0 and second.unchanged == 171 and second.replaced == 0
    assert second.counts == first.counts
    forced = api.build(None, settings=settings, chunk_size=50, force=True)
    assert forced.load.papers == 171 and forced.replaced == 171 and forced.counts == first.counts


def test_chunked_build_equals_one_chunk(settings, tmp_path):
    """The same nodes, every property (an entity's name and aliases gathered across chunks by the
    builders' registry) and the same relationships, however the papers were chunked."""
    whole_settings = Settings.from_env({}, db=tmp_path / "whole")
    chunked = api.build(None, settings=settings, chunk_size=40)
    whole = api.build(None, settings=whole_settings, chunk_size=10_000)
    assert chunked.counts == whole.counts
    assert _graph_contents(settings) == _graph_contents(whole_settings)


def _graph_contents(settings: Settings) -> tuple[list[str], list[str]]:
    graph = api.stored_graph(settings=settings)
    nodes = sorted(json.dumps([n, d], sort_keys=True) for n, d in graph.nodes(data=True))
    edges = sorted(json.dumps([a, b, d], sort_keys=True) for a, b, d in graph.edges(data=True))
    return nodes, edges


def test_adding_papers_extracts_only_the_new_ones(settings, tmp_path):
    api.build(None, settings=settings)
    new = _jsonl(tmp_path / "new.jsonl", [{"id": "2401.99999", "title": "ZapNet: Tiny Models", "abstract": "We propose ZapNet, 2x faster than FooNet."}])
    summary = api.build([new], settings=settings)
    assert summary.load.papers == 1
    assert summary.counts["Paper"] == 172
    again = api.build([new], settings=settings)
    assert again.load.papers == 0 and again.counts == summary.counts


def test_a_build_counts_the_papers_in_the_graph_another_extractor_read(settings, tmp_path, extractor):
    """After a kg upgrade of the same schema, or a gazetteer edit, a build of other papers leaves
    the graph's older papers as they were read: it says how many, for `kg upgrade` to read again."""
    first = _jsonl(tmp_path / "a.jsonl", [{"title": "ZapNet: Tiny Models", "abstract": "We propose ZapNet, 2x faster than FooNet on ImageNet."}])
    api.build([first], settings=settings, extractor=extractor)
    assert api.run_query("MATCH (p:Paper) SET p.extractor_version = 'older'", settings=settings, write=True).changes == {}
    second = _jsonl(tmp_path / "b.jsonl", [{"title": "ZipNet: Small Models", "abstract": "We propose ZipNet, which prunes ResNet-50 on ImageNet."}])
    assert api.build([second], settings=settings, extractor=extractor).other_extractor == 1
    assert api.build([first], settings=settings, extractor=extractor).other_extractor == 0


def test_same_title_under_another_id_is_not_added_twice(settings, tmp_path):
    api.build(None, settings=settings)
    dup = _jsonl(tmp_path / "dup.jsonl", [{"id": "2410.14649", "title": "EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search", "abstract": "Other text."}])
    summary = api.build([dup], settings=settings)
    assert summary.known_titles == 1 and summary.counts["Paper"] == 171


def test_a_changed_abstract_replaces_the_papers_facts(settings, tmp_path):
    path = tmp_path / "p.jsonl"
    _jsonl(path, [{"id": "x1", "title": "OldNet: A Study", "abstract": "We propose OldNet for pruning."}])
    api.build([path], settings=settings)
    _jsonl(path, [{"id": "x1", "title": "NewNet: A Study", "abstract": "We propose NewNet for quantization."}])
    summary = api.build([path], settings=settings)
    assert summary.load.papers == 1
    from kg.querylib import resolve

    rows = api.run_query(resolve("MATCH (m:Method) RETURN m.name AS name ORDER BY name"), settings=settings).rows
    assert rows == [["NewNet"]]


def test_an_interrupted_build_rerun_ends_in_the_clean_graph(settings, tmp_path):
    ticks: list[int] = []
    clean = api.build(None, settings=Settings.from_env({}, db=tmp_path / "clean"), chunk_size=40, progress=ticks.append)
    assert sum(ticks) == 171 and set(ticks) == {1}  # the bar moves with each paper, not each chunk
    seen = 0

    def interrupt(n: int) -> None:  # Ctrl-C while the third chunk is being extracted
        nonlocal seen
        seen += n
        if seen >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.build(None, settings=settings, chunk_size=40, progress=interrupt)
    rerun = api.build(None, settings=settings, chunk_size=40)
    assert rerun.unchanged == 80 and rerun.load.papers == 91
    assert rerun.counts == clean.counts


def test_two_workers_give_the_same_graph(settings, tmp_path):
    one = api.build(None, settings=settings)
    two = api.build(None, settings=Settings.from_env({}, db=tmp_path / "two"), workers=2)
    assert two.counts == one.counts


def test_a_paper_is_found_by_its_bare_arxiv_id(settings, tmp_path):
    paper = {"id": "2401.10770", "title": "BarQuant: Quantization", "abstract": "We propose BarQuant, a quantization method."}
    api.build([_jsonl(tmp_path / "p.jsonl", [paper])], settings=settings)
    record, _ = api.explain("2401.10770", settings=settings)
    assert record["id"] == "arxiv:2401.10770"
    assert api.explain("2401.107", settings=settings)[0]["id"] == "arxiv:2401.10770"  # the start of an id
    for written in ("arXiv:2401.10770", "2401.10770v2", "https://arxiv.org/abs/2401.10770"):
        assert api.explain(written, settings=settings)[0]["id"] == "arxiv:2401.10770"
    with pytest.raises(QueryError, match="^give a paper: its id"):
        api.explain(" ", settings=settings)
    # typed by the query's text default: not the number 2401.1077
    evidence = querylib.resolve("paper_evidence")
    params = querylib.typed_params(evidence, {"paper": "2401.10770"})
    assert params == {"paper": "2401.10770"}
    rows = api.run_query(evidence, settings=settings, params=params).records()
    assert {r["object"] for r in rows} >= {"BarQuant"}


@pytest.mark.neo4j
def test_explain_finds_the_same_facts_on_neo4j_as_on_the_embedded_store(settings, neo4j, neo4j_settings, sample_graph):
    """Neo4j finds a paper's own facts from the paper and the rest by their paper_id: the same facts."""
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(settings.db)
    store.load(sample_graph)
    ids = [row[0] for row in store.run(
        "MATCH (:Method)-[i:INSTANCE_OF]->(:Technique) MATCH (p:Paper {id: i.paper_id})-[:REPORTS]->(:Result)-[:FOR_MODEL]->() "
        "RETURN DISTINCT p.id ORDER BY p.id LIMIT 3"
    ).rows]
    store.close()
    neo4j.load(sample_graph)
    assert len(ids) == 3
    for paper in ids:
        _, embedded = api.explain(paper, settings=settings)
        _, on_neo4j = api.explain(paper, settings=neo4j_settings)
        assert sorted(map(repr, on_neo4j)) == sorted(map(repr, embedded))
        assert {"PROPOSES", "INSTANCE_OF", "REPORTS", "FOR_MODEL"} <= {fact.relation for fact in embedded}


def test_explain_shows_each_fact_with_its_evidence_and_what_a_result_says(settings, tmp_path):
    paper = {
        "id": "p1",
        "title": "FooAttention: Fast Attention for Llama 2",
        "abstract": "We propose FooAttention. On WikiText-2, FooAttention makes Llama-2-7B 2.5x faster "
        "than FlashAttention on an NVIDIA A100 GPU.",
    }
    api.build([_jsonl(tmp_path / "p.jsonl", [paper])], settings=settings)
    record, facts = api.explain("fast attention", settings=settings)
    assert record["id"] == "p1"
    by_relation = {}
    for fact in facts:
        by_relation.setdefault(fact.relation, []).append(fact)
        assert fact.evidence in paper["title"] + " " + paper["abstract"]
    assert [f.object for f in by_relation["REPORTS"]] == ["2.5x speedup (increase, a gain, vs FlashAttention)"]
    result = "2.5x speedup (increase, a gain, vs FlashAttention)"
    assert [(f.subject, f.object) for f in by_relation["FOR_MODEL"]] == [(result, "Llama-2-7B")]
    assert [(f.subject, f.object) for f in by_relation["ON_DATASET"]] == [(result, "WikiText-2")]
    assert [(f.subject, f.object) for f in by_relation["ON_HARDWARE"]] == [(result, "NVIDIA A100")]  # the gazetteer's name
    fields = {"metric": "speedup", "value": 2.5, "unit": "x", "direction": "increase", "gain": True, "baseline": "FlashAttention"}
    assert [f.result for f in by_relation["REPORTS"]] == [fields]  # JSON readers get the fields, not only the text
    assert [f.result for f in by_relation["FOR_MODEL"]] == [fields]
    assert [f.result for f in by_relation["PROPOSES"] + by_relation["EVALUATED_ON"]] == [None, None]  # no result at either end


def test_the_library_takes_one_path_as_it_is_and_a_query_by_name_or_text(settings, tmp_path):
    import kg

    one = _jsonl(tmp_path / "one.jsonl", [{"title": "ZapPrune: Pruning LLMs", "abstract": "We propose ZapPrune, a pruning method."}])
    assert kg.build(str(one), settings=settings).load.papers == 1  # not the letters of "one.jsonl"
    by_name = kg.run_query("methods_per_technique", settings=settings, params={"technique": "pruning"})
    assert {"method": "ZapPrune", "technique": "pruning", "papers": 1} in by_name.records()
    by_text = kg.run_query("MATCH (p:Paper) RETURN p.title AS title", settings=settings)
    assert by_text.records() == [{"title": "ZapPrune: Pruning LLMs"}]
    graph = kg.stored_graph(settings=settings)
    assert graph.nodes["Method:zapprune"]["name"] == "ZapPrune"
    for wrong in ("3", True):
        with pytest.raises(QueryError, match=f"parameter limit must be a number, not {wrong!r}"):
            kg.run_query("most_compared_baselines", settings=settings, params={"limit": wrong})
    # the library's own user is told how to allow a write or reach Neo4j, not only the CLI's flags
    with pytest.raises(QueryError, match=r"read-only unless writes are allowed \(kg query --write; write=True in Python\)"):
        kg.run_query("MATCH (p:Paper) SET p.title = 'x'", settings=settings)
    neo4j_only = tmp_path / "n.cypher"
    neo4j_only.write_text("// Which paths?\n// @neo4j-only\nMATCH p = shortestPath((a)-[*]-(b)) RETURN p LIMIT 1\n")
    with pytest.raises(QueryError, match=r'needs Neo4j; run it on the Neo4j store \(--store neo4j; store="neo4j" in Settings\)'):
        kg.run_query(str(neo4j_only), settings=settings)


def test_a_notebook_passes_paths_as_str_or_path_wherever_it_gives_one(settings, tmp_path):
    import kg

    one = _jsonl(tmp_path / "one.jsonl", [{"title": "ZapPrune: Pruning LLMs", "abstract": "We propose ZapPrune, a pruning method."}])
    assert kg.extract_to_jsonl(one, str(tmp_path / "out.jsonl"))[1] == 1  # an output given as str
    assert kg.export_extractions(tmp_path / "out.jsonl", str(tmp_path / "csv")).counts["Paper"] == 1
    kg.load_extractions(tmp_path / "out.jsonl", settings=settings)
    query = tmp_path / "titles.cypher"
    query.write_text("// Titles\nMATCH (p:Paper) RETURN p.title AS title\n")
    assert kg.run_query(query, settings=settings).records() == [{"title": "ZapPrune: Pruning LLMs"}]  # a Path


def test_a_build_while_the_notebook_holds_the_graph_open_keeps_its_papers(settings, tmp_path):
    # LadybugDB locks a graph against other processes only: a second Database of it in this
    # process wrote as if alone, and the held store's close lost the build's papers
    import kg

    kg.build(None, settings=settings)
    one = _jsonl(tmp_path / "one.jsonl", [{"title": "ZapPrune: Pruning LLMs", "abstract": "We propose ZapPrune, a pruning method."}])
    held = kg.open_store(settings)
    assert kg.build(one, settings=settings).load.papers == 1
    assert kg.run_query("MATCH (p:Paper) RETURN count(p)", settings=settings).rows == [[172]]
    held.close()
    # as the next session finds it (this process may still see what it wrote)
    code = f"import kg; print(kg.run_query('MATCH (p:Paper) RETURN count(p)', settings=kg.Settings(db={str(settings.db)!r})).rows)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "[[172]]\n"


def test_a_new_embedded_graph_opened_for_writing_answers_with_no_rows(tmp_path):
    from kg.store import open_store

    with open_store(Settings.from_env({}, db=tmp_path / "new")) as store:
        assert store.run("MATCH (p:Paper) RETURN count(p) AS n").rows == [[0]]


def _admin_rows(folder, delimiter):
    """Each CSV file's header and its rows as a multiset, array cells split into lists."""
    import csv
    from collections import Counter

    files = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        arrays = {i for i, name in enumerate(header) if name.endswith("[]")}
        files[path.name] = (header, Counter(
            tuple(tuple(cell.split(delimiter)) if i in arrays and cell else cell for i, cell in enumerate(row)) for row in rows
        ))
    return files


def test_extractions_exported_in_chunks_are_the_export_of_their_load(settings, tmp_path, sample_extractions):
    """The streamed export writes, chunk by chunk and with no store, the graph `kg load` makes of
    the same files: entities met in many chunks once, with every alias; hierarchy edges once."""
    from kg.graph.export import STREAM_DELIMITER

    parts = [tmp_path / f"part-{i}.jsonl" for i in range(3)]
    for i, part in enumerate(parts):
        part.write_text("".join(json.dumps(e.to_json()) + "\n" for e in sample_extractions[i::3]))
    api.load_extractions(parts, settings=settings)
    api.export_graph(tmp_path / "from-store", format="csv", settings=settings)
    summary = api.export_extractions(parts, tmp_path / "streamed", chunk_size=25)
    assert summary.counts["Paper"] == 171 and summary.read.papers == 171 and not summary.read.skipped
    streamed = _admin_rows(tmp_path / "streamed", STREAM_DELIMITER)
    assert streamed == _admin_rows(tmp_path / "from-store", ";")
    assert sum(len(rows) for _, rows in streamed.values()) == sum(summary.counts.values()) + 1  # and the graph's record
    assert sum(summary.counts.values()) == sum(api.stats(settings=settings).values())
    assert "--array-delimiter=U+001F" in (tmp_path / "streamed" / "import.sh").read_text()


def test_export_of_extractions_skips_bad_lines_and_exports_a_repeated_id_once(tmp_path, sample_extractions):
    first, second, third = (e.to_json() for e in sample_extractions[:3])
    revised = {**first, "title": first["title"] + " (revised)"}
    third["title"] = revised["title"]  # another paper with the title of a repeat that is not exported
    part = tmp_path / "part.jsonl"
    lines = [first, "{not json", second, revised, first, third]
    part.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    summary = api.export_extractions([part], tmp_path / "csv")
    assert (summary.read.papers, summary.repeated, summary.counts["Paper"]) == (3, 2, 3)
    assert summary.read.skipped == ["part.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"]
    [(_, papers)] = [v for k, v in _admin_rows(tmp_path / "csv", "\u001f").items() if k == "nodes_Paper.csv"]
    assert {row[:2] for row in papers} == {(e["id"], e["title"]) for e in (first, second, third)}


def test_a_build_of_a_source_that_cannot_be_read_leaves_no_empty_graph(settings, tmp_path):
    """The first chunk is read before the store is opened: an empty graph would be taken for a
    real one by the commands that come after."""
    from kg.errors import InputError

    source = tmp_path / "p.csv"
    source.write_text("title,summary\nQuantX: Fast Quantization,We propose QuantX.\n")
    with pytest.raises(InputError, match="CSV needs columns title and abstract; missing abstract"):
        api.build([source], settings=settings, rules_only=True)
    assert not settings.db.exists()


def test_a_record_with_a_number_too_long_to_read_is_skipped_and_the_others_loaded(settings, tmp_path, sample_extractions):
    part = tmp_path / "part.jsonl"
    long_line = '{"id": "x", "title": "X", "year": ' + "1" * 5000 + "}"  # the first line, which is checked for papers
    part.write_text(long_line + "\n" + json.dumps(sample_extractions[0].to_json()) + "\n")
    summary = api.load_extractions([part], settings=settings)
    assert summary.load.papers == 1
    assert summary.read.skipped == ["part.jsonl:1: not valid JSON (a number of 5,000 digits is too long to read at column 35)"]


def test_a_hand_edited_record_with_a_value_of_the_wrong_type_is_skipped_not_the_batch(settings, tmp_path, sample_extractions):
    """"abc" as a year failed the store's cast, and with it the load of the whole batch."""
    records = [e.to_json() for e in sample_extractions[:3]]
    records[1]["year"] = "abc"
    part = tmp_path / "part.jsonl"
    part.write_text("".join(json.dumps(r) + "\n" for r in records))
    summary = api.load_extractions([part], settings=settings)
    assert summary.load.papers == 2 and summary.counts["Paper"] == 2
    assert summary.read.skipped == ['part.jsonl:2: its year must be a whole number or null, not "abc" (write one with `kg extract`)']


_ABSTRACT = "We propose QuantX, which quantizes the weights of large language models to four bits " * 2


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("papers.csv", f'id,title,abstract\nq1,QuantX: Fast Quantization,"{_ABSTRACT}"\n', "a CSV table"),
        ("papers.txt", f"QuantX: Fast Quantization\n\n{_ABSTRACT}\n", "a listing page"),
        ("papers.json", json.dumps([{"title": "QuantX: Fast Quantization", "abstract": _ABSTRACT}], indent=2), "a JSON array of them"),
    ],
)
def test_load_refuses_papers_in_another_format_before_opening_the_store(settings, tmp_path, name, content, what):
    """Each line was listed as "not valid JSON", and an empty graph made."""
    from kg.errors import InputError

    source = tmp_path / name
    source.write_text(content)
    message = f"{source} holds papers ({what}), not `kg extract` output; build a graph of them with `kg build {source}`"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        api.load_extractions([source], settings=settings)
    assert not settings.db.exists()


def test_load_refuses_text_that_is_no_json_lines_and_holds_no_papers_before_opening_the_store(settings, tmp_path):
    from kg.errors import InputError

    notes = tmp_path / "notes.txt"
    notes.write_text("some notes\n\nmore notes here about things\n")
    message = f"{notes} is not `kg extract` output, which is JSON Lines (one record a line); write it with `kg extract`"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        api.load_extractions([notes], settings=settings)
    assert not settings.db.exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert api.load_extractions([empty], settings=settings).load.papers == 0  # empty is no error, as for kg build


def test_an_empty_list_of_sources_is_refused_not_read_as_the_sample(tmp_path):
    """A glob that matched nothing must not put the 171 papers of the bundled sample into a
    user's graph; None asks for the sample."""
    settings = Settings.from_env({}, db=tmp_path / "db")
    with pytest.raises(InputError, match="the list of files is empty"):
        api.build([], settings=settings)
    with pytest.raises(InputError, match="the list of files is empty"):
        api.extract_to_jsonl((), tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no graph, no output file


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: api.run_query(None, settings=s), "a query is Cypher text, a library query's name or a .cypher file's path, not NoneType"),
        (lambda s: api.run_query("search", settings=s, params=[("text", "x")]), "params is a dict of parameter names to values, not list"),
        (lambda s: api.explain(None, settings=s), "give a paper: its id, the start of its id, or a piece of its title"),
    ],
)
def test_what_is_no_query_parameters_or_paper_is_one_line_from_a_notebook(tmp_path, call, message):
    """From Python these reached an AttributeError or a TypeError deep inside (the list of pairs
    failed while kg wrote its own message about it)."""
    with pytest.raises(QueryError) as caught:
        call(Settings.from_env({}, db=tmp_path / "db"))
    assert str(caught.value) == message
    assert not (tmp_path / "db").exists()



def test_a_notebook_passes_one_extractor_to_every_build_and_extraction(settings, tmp_path):
    """kg.build, kg.extract_to_jsonl and kg.score_extractor made a new spaCy pipeline (two
    seconds or more) on every call and took none: a notebook calling them in a loop paid it each
    time. The one given is the one used: here, one without the span ranker."""
    import kg

    rules = kg.Extractor(rules_only=True)
    assert rules.version != kg.Extractor().version  # the extractor's version says which it was
    one = _jsonl(tmp_path / "one.jsonl", [{"title": "ZapPrune: Pruning LLMs", "abstract": "We propose ZapPrune, a pruning method."}])
    assert kg.build(one, settings=settings, extractor=rules).load.papers == 1
    stored = kg.run_query("MATCH (p:Paper) RETURN p.extractor_version AS v", settings=settings).rows
    assert stored == [[rules.version]]
    kg.extract_to_jsonl(one, tmp_path / "out.jsonl", extractor=rules)
    assert json.loads((tmp_path / "out.jsonl").read_text())["extractor_version"] == rules.version
    gold = Path(__file__).parent / "data" / "gold" / "heldout_adjudicated.jsonl"
    assert kg.score_extractor(gold, extractor=rules).as_dict() == kg.score_extractor(gold, rules_only=True).as_dict()


def test_an_extractor_that_is_none_or_disagrees_with_rules_only_is_one_line(settings, tmp_path, extractor):
    with pytest.raises(InputError) as caught:
        api.build(None, settings=settings, extractor=extractor, rules_only=True)
    assert str(caught.value) == (
        "rules_only asks for the extractor without its span ranker, and the extractor given has it; "
        "pass kg.Extractor(rules_only=True), or leave rules_only out"
    )
    with pytest.raises(InputError, match="^extractor is a kg.Extractor \\(or None for a new one\\), not str$"):
        api.build(None, settings=settings, extractor="en_core_web_sm")
    assert not (tmp_path / "db").exists()


def test_a_notebook_writes_graphml_of_the_stored_graph_and_of_its_own(settings, tmp_path, extractor):
    """nx.write_graphml refused both graphs (a property a node lacks is None; aliases are lists),
    which `kg export --format graphml` writes: kg.write_graph is that writer, for any graph of kg's."""
    import networkx as nx

    import kg

    one = _jsonl(tmp_path / "one.jsonl", [{"title": "ZapPrune: Pruning Llama 2", "abstract": "We propose ZapPrune, 2x faster than SparseGPT on Llama-2-7B."}])
    kg.build(one, settings=settings, extractor=extractor)
    stored = kg.stored_graph(settings=settings)
    built = kg.build_graph(extractor.extract(kg.read_papers(one)), gazetteer=extractor.gazetteer)
    for name, graph in (("stored", stored), ("built", built)):
        with pytest.raises(nx.NetworkXError, match="does not support <class 'NoneType'>"):
            nx.write_graphml(graph, tmp_path / "raw.graphml")
        assert kg.write_graph(graph, str(tmp_path / f"{name}.graphml")) == [tmp_path / f"{name}.graphml"]
        back = nx.read_graphml(tmp_path / f"{name}.graphml")
        assert sorted(back.nodes) == sorted(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
        assert back.nodes["Technique:pruning"]["aliases"] == ";".join(graph.nodes["Technique:pruning"]["aliases"])
        assert "url" not in back.nodes[next(n for n in back if n.startswith("Paper:"))]  # None: left out
    files = kg.write_graph(built, tmp_path / "csv", format="csv")
    assert {f.name for f in files} >= {"nodes_Paper.csv", "import.sh", "schema.cypher"}
    with pytest.raises(InputError, match="^write_graph takes a networkx graph .*, not list$"):
        kg.write_graph([], tmp_path / "x.graphml")
    with pytest.raises(InputError, match="^unknown export format 'gexf'; choose one of: graphml, json, csv$"):
        kg.write_graph(built, tmp_path / "x.gexf", format="gexf")
