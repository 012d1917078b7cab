"""The CLI as a user runs it: a subprocess, exit codes, and the exact text printed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kg.errors import QueryError
from kg.store.cypher import READ_PROCEDURES

GOLD = Path(__file__).parent / "data" / "gold"


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "kg-data"
    result = kg("build", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Loaded 171 papers into the embedded store at {db}; it now holds 171 papers, ")
    return db


def test_help_lists_every_command():
    result = kg("--help")
    assert result.returncode == 0
    for command in ("build", "extract", "query", "queries", "viz", "stats", "eval", "explain", "fetch"):
        assert f"  {command} " in result.stdout


def test_the_readme_query_prints_a_table(built):
    result = kg(
        "query",
        "MATCH (m:Method)-[:INSTANCE_OF]->(t:Technique) RETURN t.name AS technique, count(DISTINCT m) AS methods ORDER BY methods DESC",
        "--db",
        str(built),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["technique", "|", "methods"]
    assert lines[-1].endswith("rows)")
    assert len(lines) > 4


def test_query_json_is_an_array_of_row_objects(built):
    result = kg("query", "MATCH (p:Paper) RETURN p.id AS id, p.title AS title ORDER BY id LIMIT 2", "--format", "json", "--db", str(built))
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and set(rows[0]) == {"id", "title"}


def test_explain_prints_the_plan_not_a_cut_cell(built):
    result = kg("query", "EXPLAIN MATCH (m:Method) RETURN m.name LIMIT 2", "--db", str(built))
    assert result.returncode == 0, result.stderr
    assert "Tables: Method" in result.stdout and "\\n" not in result.stdout and "rows)" not in result.stdout
    as_json = kg("query", "EXPLAIN MATCH (m:Method) RETURN m.name", "--format", "json", "--db", str(built))
    assert as_json.stdout == "[]\n" and "Tables: Method" in as_json.stderr  # the rows a program reads stay clean


def test_query_csv_and_params(built):
    result = kg(
        "query", "MATCH (p:Paper) WHERE p.title STARTS WITH $prefix RETURN p.title AS title",
        "--param", "prefix=EvoPress", "--format", "csv", "--db", str(built),
    )
    assert result.stdout.splitlines() == ["title", "EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search"]


def test_writes_are_refused_without_write_flag(built):
    result = kg("query", "MATCH (p:Paper) DETACH DELETE p", "--db", str(built))
    assert result.returncode == 1
    assert result.stderr == "Error: DETACH writes to the graph; queries are read-only unless writes are allowed (kg query --write; write=True in Python)\n"


def test_a_write_says_what_it_added_and_removed(built, tmp_path):
    db = tmp_path / "kg-data"
    shutil.copytree(built, db)
    deleted = kg("query", "MATCH (m:Method {key: 'coreinfer'}) DETACH DELETE m", "--write", "--db", str(db))
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout == ""
    assert deleted.stderr.startswith("Changed the graph: -1 Method, -1 PROPOSES")
    created = kg("query", "CREATE (m:Method {key: 'x', name: 'X'}) RETURN m.name AS name", "--write", "--db", str(db))
    assert created.stdout.splitlines()[0] == "name"
    assert created.stderr == "Changed the graph: +1 Method.\n"
    renamed = kg("query", "MATCH (m:Method {key: 'x'}) SET m.name = 'Y'", "--write", "--db", str(db))
    assert renamed.stderr == "No node or relationship was added or removed.\n"
    assert kg("query", "MATCH (m:Method) RETURN count(m) AS n", "--db", str(db)).stderr == ""  # a read says nothing


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("CHECKPOINT", "CHECKPOINT writes the database's log to its files"),
        ("EXPORT DATABASE 'dump'", "EXPORT writes the graph out to files"),
        ("CALL threads = 1", f"CALL threads is not a procedure a read may call (those are: {', '.join(sorted(READ_PROCEDURES))})"),
        ("LOAD FROM 'dump' RETURN *", "LOAD reads files or extensions on this machine"),
        ("MATC (n) RETURN n", "MATC is not how a read begins (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL or SHOW)"),
    ],
)
def test_statements_that_are_not_reads_are_refused_and_leave_the_graph_readable(built, tmp_path, query, why):
    result = kg("query", query, "--db", str(built), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"Error: {why}; queries are read-only unless writes are allowed (kg query --write; write=True in Python)\n"
    assert not (tmp_path / "dump").exists()
    assert kg("stats", "--db", str(built)).returncode == 0


def test_a_mistyped_query_name_or_parameter_is_one_plain_line(built):
    result = kg("query", "methods_per_technque", "--db", str(built))
    assert (result.returncode, result.stderr.splitlines()[0][:55]) == (1, "Error: no query named methods_per_technque; did you mea")
    result = kg("query", "methods_per_technique", "-p", "techinque=pruning", "--db", str(built))
    assert (result.returncode, result.stderr) == (1, "Error: the query has no parameter techinque; it takes: technique\n")


def test_bad_cypher_is_one_line_error(built):
    result = kg("query", "MATCH (n:NoSuchLabel) RETURN n", "--db", str(built))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_query_json_is_strict_json_even_for_values_json_lacks(built):
    result = kg("query", "RETURN 0.0/0.0 AS nan, 1.0/0.0 AS inf, date('2024-01-02') AS day", "--format", "json", "--db", str(built))
    assert json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"not JSON: {name}")) == [
        {"nan": "nan", "inf": "inf", "day": "2024-01-02"}
    ]


def test_booleans_print_as_cypher_writes_them(built):
    for format_, expected in (("table", "true | false"), ("csv", "true,false")):
        result = kg("query", "RETURN true AS yes, false AS no", "--format", format_, "--db", str(built))
        assert result.stdout.splitlines()[-2 if format_ == "table" else -1] == expected


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("MATCH (:Paper)-[r]->(:Method) RETURN type(r) AS t", "a relationship's type is label(r) on the embedded store"),
        ("RETURN toInteger('12') AS i", "convert with CAST(x AS INT64)"),
        ("RETURN [1, 2, 3][0] AS first", "lists count from 1 on the embedded store"),
        # a type mismatch: one line, not the page of function signatures LadybugDB appends
        ("MATCH (r:Result) RETURN r.metric + ' ' + r.value AS d", "convert the number with CAST(x AS STRING)"),
        # runs on LadybugDB but answers '' (labels(n) is a string there): refused rather than wrong
        ("MATCH (m:Method) RETURN labels(m)[0] AS label", "labels(n) is one label, a string, on the embedded store"),
    ],
)
def test_neo4j_idioms_the_embedded_store_reads_otherwise_get_a_pointer(built, query, hint):
    result = kg("query", query, "--db", str(built))
    assert result.returncode == 1
    assert hint in result.stderr and "README: Cypher on the two stores" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_database_error_is_one_line(built):
    result = kg("query", "RETURN abs('x') AS a", "--db", str(built))
    assert result.returncode == 1
    assert result.stderr == "Error: Binder exception: Function ABS did not receive correct arguments: Actual: (STRING)\n"


@pytest.mark.parametrize("command", [("query", "MATCH (n) RETURN n"), ("query", "--write", "CREATE (:Method {name: 'x'})"), ("analyze",)])
def test_a_command_on_a_missing_database_says_how_to_build_and_makes_none(tmp_path, command):
    result = kg(*command, "--db", str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stderr == f"Error: no graph at {tmp_path / 'none'}; build one first with `kg build` (or pass --db PATH)\n"
    assert not (tmp_path / "none").exists()


def test_files_that_cannot_be_read_or_written_are_one_plain_line(built, tmp_path):
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    for args, message in [
        (("load", str(binary), "--db", str(tmp_path / "db")), f"Error: cannot read {binary}: it looks like a binary file, not text\n"),
        (("eval", str(binary)), f"Error: cannot read gold file {binary}: not UTF-8 text (byte 128)\n"),
        (("eval", str(empty)), f"Error: no gold records in {empty}\n"),
        (("viz", "-o", str(tmp_path / "no" / "v.html"), "--db", str(built)), f"Error: cannot write {tmp_path / 'no' / 'v.html'}: No such file or directory\n"),
        (("export", "--format", "csv", "-o", str(tmp_path / "no" / "csv"), "--db", str(built)), f"Error: cannot write {tmp_path / 'no' / 'csv'}: No such file or directory\n"),
        (("build", str(tmp_path), "--db", str(tmp_path / "db")), f"Error: cannot read {tmp_path}: it is a folder; pass the files in it (such as {tmp_path}/*.jsonl)\n"),
        (("query", "most_compared_baselines", "-p", "limit=abc", "--db", str(built)), "Error: parameter limit must be a number, not 'abc'\n"),
    ]:
        result = kg(*args)
        assert (result.returncode, result.stderr) == (1, message), args


@pytest.mark.parametrize("command", ["build", "load"])
def test_a_missing_source_leaves_no_empty_graph_behind(tmp_path, command):
    result = kg(command, str(tmp_path / "typo.jsonl"), "--db", str(tmp_path / "db"))
    assert (result.returncode, result.stderr) == (1, f"Error: cannot read {tmp_path / 'typo.jsonl'}: no such file\n")
    assert not (tmp_path / "db").exists()  # later commands still say "no graph at ...", not "no paper"


def test_extract_refuses_to_write_over_its_own_source(tmp_path):
    source = tmp_path / "papers.jsonl"
    line = '{"id": "p1", "title": "FooQuant: Quantization", "abstract": "We propose FooQuant, a quantization method."}\n'
    source.write_text(line)
    result = kg("extract", str(source), "-o", str(source))
    assert (result.returncode, result.stderr) == (1, f"Error: {source} is also a source; write the extraction to another file\n")
    assert source.read_text() == line


def test_load_says_why_a_line_is_not_extract_output(tmp_path):
    lines = tmp_path / "mixed.jsonl"
    edited = [  # what `kg extract` never writes: each would have failed deep in a load
        {"id": "b", "title": 2024, "entities": {}},
        {"id": "c", "title": "T", "entities": {"Algorithm": []}},
        {"id": "d", "title": "Innocent \x1b]0;PWNED\x07", "entities": {}},
        {"id": "e", "title": "T\ud800", "entities": {}},
    ]
    lines.write_text(
        '[1, 2]\n{"id": "a", "title": "T", "abstract": "x"}\n{bad\n' + "".join(json.dumps(r) + "\n" for r in edited)
    )
    result = kg("load", str(lines), "--db", str(tmp_path / "db"))
    assert result.returncode == 3
    assert result.stderr.splitlines()[1:] == [
        "  mixed.jsonl:1: not a `kg extract` record (write one with `kg extract`)",
        "  mixed.jsonl:2: not a `kg extract` record: it has no 'entities' (papers themselves go to `kg build`)",
        "  mixed.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "  mixed.jsonl:4: its title is not text (write one with `kg extract`)",
        "  mixed.jsonl:5: it has mentions labelled Algorithm, which the schema lacks "
        "(Method, Technique, Model, Dataset, Metric, Task, Hardware) (write one with `kg extract`)",
        "  mixed.jsonl:6: it holds a control character or a broken character, which `kg extract` never writes "
        "(write one with `kg extract`)",
        "  mixed.jsonl:7: it holds a control character or a broken character, which `kg extract` never writes "
        "(write one with `kg extract`)",
    ]


def test_a_table_writes_out_control_characters_a_terminal_would_obey():
    from kg.cli import _format_rows

    shown = _format_rows(["title\x1b[2J"], [["Innocent \x1b]0;PWNED\x07\x1b[31mred"]], "table")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Innocent \\x1b]0;PWNED\\x07\\x1b[31mred" in shown and shown.startswith("title\\x1b[2J")
    # CSV for a terminal too (a file keeps the graph's text); JSON escapes C1 controls as it does C0
    assert _format_rows(["t"], [["a\x1b[2Jb"]], "csv", terminal=True) == "t\na\\x1b[2Jb\n"
    assert _format_rows(["t"], [["a\x1b[2Jb"]], "csv") == "t\na\x1b[2Jb\n"
    assert json.loads(_format_rows(["t"], [["a\x9b31m\u2028b"]], "json")) == [{"t": "a\x9b31m\u2028b"}]
    assert "\x9b" not in _format_rows(["t"], [["a\x9b31m"]], "json")


def test_load_of_a_file_of_papers_is_one_line_that_says_to_build_it(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text('{"id": "a", "title": "T", "abstract": "x"}\n' * 600)
    db = tmp_path / "db"
    result = kg("load", str(papers), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr == f"Error: {papers} holds papers, not `kg extract` output; build a graph of them with `kg build {papers}`\n"
    assert not db.exists()  # no empty graph left for later commands to take for a real one


def test_loading_nothing_into_a_new_graph_leaves_an_empty_graph_and_a_warning(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    db = tmp_path / "db"
    result = kg("load", str(empty), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Loaded 0 papers into the embedded store at {db}; it now holds 0 papers, 0 nodes, 0 relationships.\n"
    assert result.stderr == "Warning: the sources held no papers.\n"
    assert kg("stats", "--db", str(db)).returncode == 0


def test_stats_counts_every_label(built):
    result = kg("stats", "--db", str(built))
    assert result.returncode == 0
    counts = dict(line.split() for line in result.stdout.splitlines())
    assert counts["Paper"] == "171"
    for label in ("Method", "Technique", "Model", "Dataset", "Metric", "Task", "Hardware", "Result", "Repository"):
        assert int(counts[label]) > 0, label


def test_extract_writes_the_documented_format(tmp_path):
    out = tmp_path / "out.jsonl"
    source = tmp_path / "in.jsonl"
    paper = json.dumps({"id": "2401.00001", "title": "FooNet: Fast", "abstract": "We propose FooNet, which is 3x faster than BarNet."})
    source.write_text(paper + "\n{broken\n" + paper + "\n")
    result = kg("extract", str(source), "-o", str(out))
    assert result.returncode == 3, result.stderr
    assert result.stdout == f"Wrote 1 paper to {out}.\nSkipped 1 duplicate paper.\n"
    assert "Skipped 1 record that could not be read:\n  in.jsonl:2: not valid JSON" in result.stderr
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["id"] == "arxiv:2401.00001"
    assert record["proposes"] == ["FooNet"]
    assert record["results"][0]["value"] == 3 and record["results"][0]["unit"] == "x"
    assert set(record["results"][0]) >= {"metric", "value", "unit", "baseline", "dataset", "model", "hardware", "direction", "sentence"}


def test_an_extraction_that_fails_halfway_leaves_the_last_output_as_it_was(tmp_path):
    """The papers of the first source are extracted before the second turns out unreadable: the
    earlier run's output must survive whole, not emptied or cut short to look like a new one."""
    good, bad, out = tmp_path / "a.jsonl", tmp_path / "b.csv", tmp_path / "out.jsonl"
    good.write_text(json.dumps({"id": "2401.00001", "title": "FooNet: Fast", "abstract": "We propose FooNet."}) + "\n")
    long_abstract = "We prune large models. " * 4000  # the bad byte comes after the first block is read
    bad.write_bytes(f"title,abstract\nPruneNet,{long_abstract}\n".encode() + b"Caf\xe9Net,We prune.\n")  # Windows-1252
    assert kg("extract", str(good), "-o", str(out)).returncode == 0
    earlier = out.read_bytes()
    result = kg("extract", str(good), str(bad), "-o", str(out), "--rules-only")
    assert result.returncode == 1 and "--encoding cp1252" in result.stderr
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "b.csv", "out.jsonl"]  # no part file left
    assert kg("extract", str(good), str(bad), "--encoding", "cp1252", "-o", str(out), "--rules-only").returncode == 0
    assert [json.loads(line)["title"] for line in out.read_text().splitlines()] == ["FooNet: Fast", "PruneNet", "CaféNet"]
    link = tmp_path / "link.jsonl"  # an output through a link writes the file it names, and keeps the link
    link.symlink_to(out)
    assert kg("extract", str(good), "-o", str(link), "--rules-only").returncode == 0
    assert link.is_symlink() and [json.loads(line)["title"] for line in out.read_text().splitlines()] == ["FooNet: Fast"]


def test_viz_around_a_name_the_query_did_not_return_says_so(built, tmp_path):
    result = kg("viz", "--query", "search", "--around", "GPTQ", "-o", str(tmp_path / "v.html"), "--db", str(built))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no node named 'GPTQ' in what the query returns; ")


def test_viz_depth_without_around_is_refused_not_ignored(built, tmp_path):
    result = kg("viz", "--depth", "3", "-o", str(tmp_path / "v.html"), "--db", str(built))
    assert result.returncode == 2
    assert result.stderr.endswith("Error: --depth sets how far --around reaches; there is no --around\n")
    assert not (tmp_path / "v.html").exists()


def test_eval_scores_a_file_named_twice_once():
    result = kg("eval", str(GOLD / "dev_a.jsonl"), str(GOLD / "dev_a.jsonl"), "--rules-only")
    assert result.returncode == 0, result.stderr
    papers = sum(1 for line in (GOLD / "dev_a.jsonl").open() if line.strip())
    assert result.stdout.splitlines()[0] == f"{papers} papers"


def test_eval_lists_gold_names_missing_from_their_abstract_and_still_scores(tmp_path):
    gold = tmp_path / "g.jsonl"
    record = {"id": "g1", "title": "NestQuant", "abstract": "We propose NestQuant.", "entities": {"Model": ["Llama-3-70B"]}}
    gold.write_text(json.dumps(record) + "\n")
    result = kg("eval", str(gold), "--rules-only")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"1 gold name not in its abstract, scored as missed:\n  {gold}:1: 'Llama-3-70B' is not in the title or abstract\n"
    assert result.stdout.splitlines()[0] == "1 paper"


def test_viz_writes_a_self_contained_page(built, tmp_path):
    out = tmp_path / "graph.html"
    result = kg("viz", "-o", str(out), "--db", str(built))
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert "new vis.Network" in page
    assert 'src="http' not in page and 'href="http' not in page


def test_queries_lists_the_library():
    result = kg("queries")
    assert result.returncode == 0
    assert "techniques_by_method_count\n    Which techniques have the most named methods?" in result.stdout
    assert kg("query", "--list").stdout == result.stdout  # where a user looks first


def test_queries_name_prints_the_query_whole(tmp_path):
    result = kg("queries", "compared_against")
    assert result.returncode == 0
    assert result.stdout.startswith("// Which papers compare against a method")
    assert "// A row is one paper that compares against the method" in result.stdout and "MATCH (p:Paper)" in result.stdout
    unknown = kg("queries", "compared_agianst")
    assert unknown.returncode == 1
    assert unknown.stderr == "Error: no query named compared_agianst; did you mean compared_against? (`kg queries` lists the library)\n"
    (tmp_path / "notes").write_text("my notes")  # a file of the user's is no library query
    assert kg("queries", "notes", cwd=tmp_path).returncode == 1


def test_library_query_by_name_with_param(built):
    result = kg("query", "techniques_by_method_count", "-p", "limit=1", "--format", "json", "--db", str(built))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 1


def test_eval_prints_scores(tmp_path):
    result = kg("eval", str(GOLD / "dev_a.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["papers"] == 30
    assert 0 < report["strict"]["micro"]["f1"] <= 1


def test_unknown_store_and_bad_param_are_usage_errors(built):
    result = kg("query", "RETURN 1 AS x", "--param", "novalue", "--db", str(built))
    assert result.returncode == 2
    assert "'novalue' is not NAME=VALUE" in result.stderr


def test_the_neo4j_password_never_shows_in_output(tmp_path, neo4j_settings):
    import os

    secret = "s3cret-never-print-me"
    # nothing listens on the first; the second is the tests' own Neo4j (if one runs), not whatever has 7687
    for uri in ("bolt://127.0.0.1:1", neo4j_settings.neo4j_uri):
        env = {**os.environ, "NEO4J_PASSWORD": secret, "NEO4J_URI": uri}
        result = subprocess.run(
            [sys.executable, "-m", "kg", "stats", "--store", "neo4j"], capture_output=True, text=True, env=env, timeout=120
        )
        assert result.returncode == 1
        assert secret not in result.stdout + result.stderr
        assert result.stderr.startswith("Error: ")


def test_neo4j_without_a_password_says_where_to_put_it():
    import os

    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--store", "neo4j"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert "set NEO4J_PASSWORD to the Neo4j password (it is never read from a flag)" in result.stderr


def test_shards_extracted_apart_and_loaded_together_equal_one_build(tmp_path, built):
    outputs = []
    for i in (1, 2, 3):
        out = tmp_path / f"shard{i}.jsonl"
        result = kg("extract", "--shard", f"{i}/3", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert f"(shard {i}/3 of the 171 papers read)" in result.stdout
        outputs.append(str(out))
    assert sum(len(open(o).readlines()) for o in outputs) == 171
    db = tmp_path / "sharded"
    result = kg("load", *outputs, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert kg("stats", "--db", str(db)).stdout == kg("stats", "--db", str(built)).stdout


def test_loading_papers_the_graph_holds_says_they_were_replaced_not_added(tmp_path):
    out = tmp_path / "all.jsonl"
    assert kg("extract", "-o", str(out)).returncode == 0
    first = tmp_path / "first.jsonl"
    first.write_text("".join(out.read_text().splitlines(keepends=True)[:40]))
    db = str(tmp_path / "db")
    assert kg("load", str(first), "--db", db).stdout.startswith("Loaded 40 papers into")
    again = kg("load", str(out), "--db", db)
    assert again.stdout.startswith("Loaded 171 papers (40 of them already there: their facts were replaced) into")
    assert "it now holds 171 papers" in again.stdout
    twice = kg("load", str(first), str(first), "--db", db)  # one file named twice: each paper counts once
    assert twice.stdout.startswith("Loaded 40 papers (40 of them already there: their facts were replaced) into")


def test_stats_as_json_for_scripts(built):
    table = kg("stats", "--db", str(built)).stdout
    counts = json.loads(kg("stats", "--format", "json", "--db", str(built)).stdout)
    assert counts["Paper"] == 171
    assert {name: str(n) for name, n in counts.items()} == dict(line.split() for line in table.splitlines())


def test_csv_output_keeps_every_digit_and_ends_lines_as_a_pipe_expects(built):
    result = kg("query", "RETURN 1234567.0 AS a, 2.3456789 AS b, 0.00001 AS c", "--format", "csv", "--db", str(built))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a,b,c\n1234567,2.3456789,1e-05\n"


def test_load_skips_a_paper_another_file_holds_under_another_id_as_build_does(tmp_path):
    abstract = "We propose QuantX, which quantizes the weights of Llama-2-7B to four bits with 2x less memory."
    outputs = []
    for name, paper_id in (("jan", "jan-17"), ("feb", "arXiv:2401.00017")):  # one paper, two ids
        source = tmp_path / f"{name}.jsonl"
        source.write_text(json.dumps({"id": paper_id, "title": "QuantX: Fast Quantization", "abstract": abstract}) + "\n")
        out = tmp_path / f"{name}.out.jsonl"
        assert kg("extract", str(source), "-o", str(out), "--rules-only").returncode == 0
        outputs.append(str(out))
    result = kg("load", *outputs, "--db", str(tmp_path / "db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Loaded 1 paper into") and "Skipped 1 duplicate paper." in result.stdout
    assert "it now holds 1 paper" in result.stdout


def test_a_year_that_is_no_year_is_a_warning_not_a_skip(tmp_path):
    (tmp_path / "p.csv").write_text("title,abstract,year\nPruning LLMs,We prune LLMs.,20x4\n")
    result = kg("extract", str(tmp_path / "p.csv"), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0
    assert result.stderr == "Read 1 record without a value that made no sense:\n  p.csv:2: year '20x4' is not a year; read without one\n"


def test_a_library_query_about_a_name_the_graph_lacks_says_so(built):
    result = kg("query", "compared_against", "-p", "method=SparseGPT", "--db", str(built))
    assert result.returncode == 0 and result.stdout.endswith("(0 rows)\n")
    assert result.stderr == "Nothing in the graph is named 'SparseGPT'; `kg query search -p text=...` finds what is.\n"
    known = kg("query", "compared_against", "-p", "method=GPTQ", "--db", str(built))  # a name nobody compares with
    assert known.stdout.endswith("(0 rows)\n") and known.stderr == ""
    searched = kg("query", "search", "-p", "text=SparseGPT", "--db", str(built))  # its own answer says it
    assert searched.stdout.endswith("(0 rows)\n") and searched.stderr == ""


def test_a_table_says_when_it_cut_a_cell(built):
    cut = kg("query", "MATCH (p:Paper) RETURN p.abstract AS abstract LIMIT 1", "--db", str(built))
    assert cut.stdout.splitlines()[2].endswith("...")
    assert cut.stdout.endswith("(1 row; cells over 80 characters end in '...': --format csv or json prints them whole)\n")
    whole = kg("query", "MATCH (p:Paper) RETURN p.year AS year LIMIT 1", "--db", str(built))
    assert whole.stdout.endswith("(1 row)\n")


def test_bad_shard_is_a_usage_error():
    result = kg("extract", "--shard", "4/3", "-o", "x.jsonl")
    assert result.returncode == 2
    assert "'4/3' is not I/N with 1 <= I <= N (e.g. 2/8)" in result.stderr


def test_rules_only_extraction_skips_the_ranker_in_every_worker(tmp_path):
    from kg.extract import Extractor

    out = tmp_path / "rules.jsonl"
    result = kg("extract", "--rules-only", "--workers", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    versions = {json.loads(line)["extractor_version"] for line in out.read_text().splitlines()}
    assert versions == {Extractor(rules_only=True).version}
    assert Extractor().version not in versions


@pytest.mark.parametrize(
    "error",
    [
        QueryError("Illegal value for field params"),
        BufferError("Existing exports of data: object cannot be re-sized"),  # not a KgError at all
    ],
)
def test_ctrl_c_that_a_library_turns_into_another_error_is_still_an_interruption(error):
    import os
    import signal

    from click.testing import CliRunner

    from kg.cli import _handle_errors

    @click.command(name="load")
    @_handle_errors
    def write() -> None:
        try:  # as the Neo4j driver does when Ctrl-C lands mid-message
            os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            raise error from None

    result = CliRunner().invoke(write)
    assert result.exit_code == 130
    assert "Interrupted; rerun the same command to finish (it is safe to rerun)." in result.output
    assert str(error) not in result.output


def test_ctrl_c_during_a_query_says_only_that_it_stopped():
    from click.testing import CliRunner

    from kg.cli import _handle_errors

    @click.command(name="query")
    @_handle_errors
    def read() -> None:
        raise KeyboardInterrupt

    result = CliRunner().invoke(read)
    assert (result.exit_code, result.output) == (130, "Interrupted.\n")


def test_an_unexpected_error_without_ctrl_c_is_still_reported_as_a_bug():
    from click.testing import CliRunner

    from kg.cli import _handle_errors

    @click.command()
    @_handle_errors
    def broken() -> None:
        raise BufferError("boom")

    result = CliRunner().invoke(broken)
    assert isinstance(result.exception, BufferError)  # main() turns it into "unexpected ... a bug"


def test_export_of_extractions_writes_csv_with_no_store_and_lists_what_it_skipped(tmp_path):
    source = tmp_path / "papers.jsonl"
    source.write_text(
        json.dumps({"id": "p1", "title": "QuantX: Fast Quantization", "abstract": "We propose QuantX, which quantizes Llama-2-7B to four bits."})
        + "\n"
    )
    part = tmp_path / "part.jsonl"
    assert kg("extract", str(source), "-o", str(part), "--rules-only").returncode == 0
    with part.open("a") as handle:
        handle.write("{not json\n")
    result = kg("export", str(part), "--format", "csv", "-o", "csv", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith("Wrote 1 paper, ") and " in 34 files to csv.\n" in result.stdout
    assert "sh csv/import.sh" in result.stdout
    assert result.stderr == "Skipped 1 record that could not be read:\n  part.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)\n"
    assert "QuantX" in (tmp_path / "csv" / "nodes_Method.csv").read_text()
    assert not (tmp_path / "kg-data").exists()  # no store was opened
    other = kg("export", str(part), "--format", "graphml", "-o", "g.graphml", cwd=tmp_path)
    assert other.returncode == 2 and "EXTRACTIONS are exported as csv only; for graphml, `kg load` them and export the store" in other.stderr
    with_store = kg("export", str(part), "--format", "csv", "-o", "csv", "--db", "kg-data", cwd=tmp_path)
    assert with_store.returncode == 2 and "EXTRACTIONS are exported without a store; drop --store and --db" in with_store.stderr


def test_output_to_a_full_disk_is_one_line_not_a_bug(built):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "kg", "stats", "--db", str(built)], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_number_too_long_to_read_is_one_listed_record_or_one_line_not_a_bug(tmp_path):
    long_number = "1" * 5000
    source = tmp_path / "p.jsonl"
    source.write_text(
        json.dumps({"id": "p1", "title": "QuantX: Fast Quantization", "abstract": "We propose QuantX, which quantizes Llama-2-7B."})
        + '\n{"title": "x", "abstract": "y", "year": ' + long_number + "}\n"
    )
    result = kg("build", str(source), "--db", str(tmp_path / "db"), "--rules-only")
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith("Loaded 1 paper into the embedded store")
    assert result.stderr == (
        "Skipped 1 record that could not be read:\n"
        "  p.jsonl:2: not valid JSON (a number of 5,000 digits is too long to read at column 41)\n"
    )
    query = kg("query", "RETURN $x AS x", "-p", f"x={long_number}", "--db", str(tmp_path / "db"))
    assert query.returncode == 1
    assert query.stderr == "Error: a parameter value is a whole number of 5,000 characters, too large for the stores (64 bits)\n"


def test_a_shard_in_superscript_digits_is_a_usage_error_not_a_bug(tmp_path):
    """str.isdigit() takes "²", which int() refuses: an unexpected ValueError."""
    result = kg("extract", "-o", str(tmp_path / "out.jsonl"), "--shard", "\u00b2/3")
    assert result.returncode == 2
    assert "Invalid value for '--shard': '\u00b2/3' is not I/N with 1 <= I <= N (e.g. 2/8)" in result.stderr


def test_a_windows_csv_is_one_line_that_names_the_encoding_and_reads_with_it(tmp_path):
    """Excel on Windows saves CSV in cp1252: one "é" lost the whole file, with no way to read it
    but converting it first."""
    source = tmp_path / "papers.csv"
    abstract = "We propose Caf\u00e9Quant, which quantizes the weights of Llama-2-7B to four bits."
    source.write_bytes(f'title,abstract\nCaf\u00e9Quant: Don\u2019t Waste Bits,"{abstract}"\n'.encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = kg("extract", str(source), "-o", str(out), "--rules-only")
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: cannot read {source}: not UTF-8 text (byte 18, line 2); if it comes from Excel or another "
        "Windows program, read it with --encoding cp1252 (or latin-1)\n",
    )
    result = kg("extract", str(source), "-o", str(out), "--rules-only", "--encoding", "cp1252")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Caf\u00e9Quant: Don\u2019t Waste Bits"
    built = kg("build", str(source), "--db", str(tmp_path / "db"), "--rules-only", "--encoding", "WINDOWS-1252")
    assert built.returncode == 0 and built.stdout.startswith("Loaded 1 paper into the embedded store"), built.stderr


def test_an_unknown_encoding_is_a_usage_error_before_anything_is_written(tmp_path):
    result = kg("build", "--encoding", "utf-9", "--db", str(tmp_path / "db"))
    assert result.returncode == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--encoding': unknown text encoding 'utf-9'; name one Python knows, such as "
        "utf-8, cp1252 (Excel on Windows) or latin-1\n"
    )
    assert not (tmp_path / "db").exists()


def test_a_symlink_loop_as_a_source_is_one_line_that_says_so(tmp_path):
    loop = tmp_path / "papers.jsonl"
    loop.symlink_to(loop)
    result = kg("build", str(loop), "--db", str(tmp_path / "db"))
    assert (result.returncode, result.stderr) == (1, f"Error: cannot read {loop}: it is a symlink loop (ELOOP); make the link point at a file\n")
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize(
    "args",
    [("queries",), ("query", "--list"), ("query", "MATCH (p:Paper) RETURN p.title AS title", "--format", "csv")],
    ids=["queries", "query-list", "query"],
)
def test_output_to_a_pipe_closed_early_stops_quietly_with_141(built, args):
    """`kg query ... | head -1` exited 1 (and a command that printed in pieces could end in "Exception
    ignored ... BrokenPipeError"). The pipe's reading end is closed before kg starts: its first
    write fails, whatever the timing."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kg", *args, *(["--db", str(built)] if args[-1] == "csv" else [])],
            stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (141, "")


def test_upgrade_adopts_a_graph_from_before_versions_and_says_so(tmp_path):
    papers = tmp_path / "p.jsonl"
    papers.write_text(json.dumps({"title": "ZapNet: Tiny Models", "abstract": "We propose ZapNet, 2x faster than FooNet on ImageNet."}) + "\n")
    db = tmp_path / "db"
    assert kg("build", str(papers), "--db", str(db), "--rules-only").returncode == 0
    # as a kg from before schema versions left it (a write query runs on any graph)
    assert kg("query", "--write", "MATCH (m:KgGraph) DELETE m", "--db", str(db)).returncode == 0
    refused = kg("stats", "--db", str(db))
    assert refused.returncode == 1 and refused.stderr == (
        f"Error: the graph at {db} records no schema version (kg recorded none before version 1); run `kg upgrade "
        "--rules-only` (kg.upgrade(rules_only=True) in Python) to record it: its paper was read by this kg's extractor, "
        "so it extracts nothing again\n"
    )
    upgraded = kg("upgrade", "--db", str(db), "--rules-only")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout == (
        f"The graph at {db} is up to date (schema version none recorded before, 1 now); adopted: 1 paper already read "
        "by this kg, nothing re-extracted.\n"
    )
    again = kg("upgrade", "--db", str(db), "--rules-only")
    assert again.stdout == f"The graph at {db} is up to date (schema version 1; its papers were extracted by this kg).\n"
    assert kg("stats", "--db", str(db)).returncode == 0
    # a build of another paper with the ranker: the graph's one paper was read by --rules-only
    other = tmp_path / "q.jsonl"
    other.write_text(json.dumps({"title": "ZipNet: Small Models", "abstract": "We propose ZipNet, which prunes ResNet-50."}) + "\n")
    built = kg("build", str(other), "--db", str(db))
    assert built.returncode == 0 and built.stderr == (
        "Note: 1 paper in the graph was extracted by another version of kg's extractor (an older kg, an edited gazetteer, "
        "--rules-only); `kg upgrade` extracts them again from the text the graph holds.\n"
    )


def test_upgrade_extracts_again_a_graph_another_extractor_read_and_says_so(tmp_path):
    papers = tmp_path / "p.jsonl"
    papers.write_text(json.dumps({"title": "ZapNet: Tiny Models", "abstract": "We propose ZapNet, 2x faster than FooNet on ImageNet."}) + "\n")
    db = tmp_path / "db"
    assert kg("build", str(papers), "--db", str(db), "--rules-only").returncode == 0
    # as a kg from before schema versions, with another extractor, left it
    assert kg("query", "--write", "MATCH (m:KgGraph) DELETE m", "--db", str(db)).returncode == 0
    assert kg("query", "--write", "MATCH (p:Paper) SET p.extractor_version = 'older'", "--db", str(db)).returncode == 0
    refused = kg("stats", "--db", str(db))
    assert refused.returncode == 1 and refused.stderr == (
        f"Error: the graph at {db} was written by an older kg (one that recorded no schema version; this kg's is 1); "
        "run `kg upgrade` (kg.upgrade in Python) to bring it up to date: it extracts its paper again from the text the "
        "graph holds\n"
    )
    upgraded = kg("upgrade", "--db", str(db), "--rules-only")
    assert upgraded.returncode == 0, upgraded.stderr
    assert re.fullmatch(
        rf"The graph at {re.escape(str(db))} is up to date \(schema version none recorded before, 1 now\): extracted 1 "
        r"paper again from the text it holds; it now holds 1 paper, \d+ nodes, \d+ relationships\.\n",
        upgraded.stdout,
    )
    assert kg("stats", "--db", str(db)).returncode == 0
