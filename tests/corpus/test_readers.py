from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.corpus import ReadReport, detect_format, make_paper, read_papers, sample_corpus
from kg.errors import InputError
from kg.records import paper_id_for

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query: search_query=all:quantization</title>
  <id>http://arxiv.org/api/abc</id>
  <entry>
    <id>http://arxiv.org/abs/2210.17323v2</id>
    <published>2022-10-31T17:29:17Z</published>
    <title>GPTQ: Accurate Post-Training Quantization
      for Generative Pre-trained Transformers</title>
    <summary>  Generative Pre-trained Transformer models, known as GPT or OPT, set
      themselves apart through breakthrough performance across complex language modelling tasks. </summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <author><name>Elias Frantar</name></author>
    <author><name>Saleh Ashkboos</name></author>
    <link href="http://arxiv.org/abs/2210.17323v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2210.17323v2" rel="related" type="application/pdf"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2306.00978v1</id>
    <title>AWQ</title>
    <summary></summary>
  </entry>
</feed>
"""


def test_sample_page_has_171_papers_with_titles_and_abstracts():
    report = ReadReport()
    papers = list(read_papers([sample_corpus()], report=report))
    assert len(papers) == 171
    assert papers[0].title.startswith("EvoPress: Towards Optimal Dynamic Model Compression")
    assert papers[0].abstract.startswith("The high computational costs of large language models")
    assert papers[-1].title == "Meta-Learning for Speeding Up Large Model Inference in Decentralized Environments"
    assert report.skipped == [] and report.papers == 171


def test_the_sample_papers_say_they_come_from_the_sample_not_from_where_pip_put_it():
    papers = list(read_papers([sample_corpus()]))
    assert {p.source for p in papers} == {"kg sample: papers_page.txt"}


def test_a_users_file_is_the_source_as_given(tmp_path):
    (tmp_path / "p.jsonl").write_text(json.dumps({"title": "T", "abstract": "A."}) + "\n")
    (paper,) = read_papers([tmp_path / "p.jsonl"])
    assert paper.source == str(tmp_path / "p.jsonl")


@pytest.mark.parametrize(
    ("sources", "what"),
    [
        ([{"title": "T", "abstract": "A."}], "dict"),
        ({"title": "T", "abstract": "A."}, "dict"),
        (None, "NoneType"),
        ([Path("p.jsonl"), 3], "int"),
    ],
)
def test_what_is_no_source_is_refused_saying_what_a_source_is(sources, what):
    # a notebook's list of paper dicts failed deep inside pathlib with a TypeError
    with pytest.raises(InputError) as info:
        read_papers(sources)
    assert str(info.value).startswith(f"a source is a file's path (str or Path), or a list of them, not {what}")
    if what == "dict":
        assert "papers in memory (kg.make_paper(title, abstract) makes one) go to kg.Extractor().extract([...]) and kg.build_graph" in str(info.value)


def test_page_reader_skips_header_lines(tmp_path):
    page = tmp_path / "page.txt"
    abstract = "We propose FooNet, a method " + "that does many things well " * 6 + "."
    page.write_text(
        f"new\n\nSubscribe\n\nMar 14\n\nFooNet: Fast Things\n\n{abstract}\n\nShortNet: Tiny Things\n\n"
        f"Only ten words of abstract here, too few to tell.\n\nBarNet for Things\n\n{abstract}\n\nLoad more\n"
    )
    report = ReadReport()
    papers = list(read_papers([page], report=report))
    assert [p.title for p in papers] == ["FooNet: Fast Things", "BarNet for Things"]
    # a paper whose abstract is too short is listed, not lost in silence; header and footer lines are not papers
    assert report.skipped == ["page.txt: line block 6: 'ShortNet: Tiny Things': its abstract has fewer than 25 words"]


def test_an_abstract_whose_title_is_too_short_to_be_one_is_listed_not_lost_in_silence(tmp_path):
    page = tmp_path / "page.txt"
    abstract = "We propose FooNet, a method " + "that does many things well " * 6 + "."
    page.write_text(f"FooNet: Fast Things\n\n{abstract}\n\nMamba\n\n{abstract}\n\nBarNet for Things\n\n{abstract}\n")
    report = ReadReport()
    assert [p.title for p in read_papers([page], report=report)] == ["FooNet: Fast Things", "BarNet for Things"]
    assert report.skipped == [
        "page.txt: line block 4: 'We propose FooNet, a method that does many things well th...': an abstract with no "
        "title line before it (a title is one line of 8 to 300 characters)"
    ]


def test_a_title_longer_than_a_line_is_not_taken_for_the_abstract_of_the_header_before_it(tmp_path):
    page = tmp_path / "page.txt"
    abstract = "We propose FooNet, a method " + "that does many things well " * 25 + "."
    long_title = "FooNet: " + " ".join(f"Fast Things for Setting {n} with Many Models" for n in range(9))
    assert len(long_title) > 300 and len(long_title.split()) >= 25
    page.write_text(f"Mar 14\n\n{long_title}\n\n{abstract}\n\nBarNet for Things\n\n{abstract}\n")
    report = ReadReport()
    assert [p.title for p in read_papers([page], report=report)] == [long_title, "BarNet for Things"]
    assert report.skipped == []
    # an abstract in two paragraphs is still one title and its abstract, the rest listed
    two = tmp_path / "two.txt"
    first = "We propose FooNet. It does " + "many things well " * 10 + "and more."
    two.write_text(f"FooNet: Fast Things\n\n{first}\n\n{abstract}\n")
    report = ReadReport()
    assert [p.title for p in read_papers([two], report=report)] == ["FooNet: Fast Things"]
    assert len(report.skipped) == 1


def test_a_json_array_is_read_like_json_lines(tmp_path):
    records = [{"title": "GPTQ", "abstract": "A method."}, {"title": "AWQ", "abstract": "Another."}, ["not an object"]]
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8-sig")
    report = ReadReport()
    assert [p.title for p in read_papers([path], report=report)] == ["GPTQ", "AWQ"]
    assert report.skipped == ["papers.json: item 3: not a JSON object"]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "GPTQ",\n')
    report = ReadReport()
    assert list(read_papers([broken], report=report)) == []
    assert len(report.skipped) == 1 and report.skipped[0].startswith("broken.json: ")


def test_a_page_wrapped_at_80_columns_reads_the_same_papers(tmp_path):
    import textwrap

    paragraphs = sample_corpus().read_text(encoding="utf-8").split("\n\n")
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("\n\n".join(textwrap.fill(p, 80, break_long_words=False, break_on_hyphens=False) for p in paragraphs), encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([wrapped], report=report))
    original = list(read_papers([sample_corpus()]))
    assert [(p.title, p.abstract) for p in papers] == [(p.title, p.abstract) for p in original]
    assert report.skipped == []


def test_a_page_without_blank_lines_has_a_block_per_line(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("FooNet: Fast Things\n" + "We propose FooNet, a method " + "that does many things well " * 6 + ".\n")
    assert [p.title for p in read_papers([page])] == ["FooNet: Fast Things"]


def test_a_page_with_no_papers_is_listed_not_passed_over(tmp_path):
    page = tmp_path / "notes.md"
    page.write_text("# Notes\n\nRead the GPTQ paper.\n")
    report = ReadReport()
    assert list(read_papers([page], report=report)) == []
    assert len(report.skipped) == 1 and report.skipped[0].startswith("notes.md: no papers in it: a listing page is")


ABSTRACT = "We propose QuantX, which quantizes the weights of large language models to four bits " * 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # a table or JSON saved as text is read as what it is, not as a page whose title is its header
        ("papers.txt", f'id,title,abstract\nq1,QuantX: Fast Quantization,"{ABSTRACT}"\n'),
        ("papers.tsv", f"id\ttitle\tabstract\nq1\tQuantX: Fast Quantization\t{ABSTRACT}\n"),
        ("papers.txt", f"id\ttitle\tabstract\nq1\tQuantX: Fast Quantization\t{ABSTRACT}\n"),
        ("papers_export", json.dumps([{"id": "q1", "title": "QuantX: Fast Quantization", "abstract": ABSTRACT}], indent=2)),
        ("papers.md", json.dumps({"id": "q1", "title": "QuantX: Fast Quantization", "abstract": ABSTRACT}) + "\n"),
        ("one.jsonl", json.dumps({"id": "q1", "title": "QuantX: Fast Quantization", "abstract": ABSTRACT}, indent=2)),
    ],
)
def test_a_file_is_read_as_what_it_holds_whatever_its_name(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    report = ReadReport()
    assert [(p.id, p.title) for p in read_papers([path], report=report)] == [("q1", "QuantX: Fast Quantization")]
    assert report.skipped == []


@pytest.mark.parametrize(
    "title",
    [
        "[CLS] Attention is All You Need for Training-Free Visual Token Pruning",  # opens like JSON
        "{Fast} Decoding for Everyone",
        "Title-Guided Abstractive Summarization, Revisited",  # names "title" and "abstract", with a comma
    ],
)
def test_a_page_whose_first_title_looks_like_data_is_still_a_page(tmp_path, title):
    page = tmp_path / "page.txt"
    page.write_text(f"{title}\n\n{ABSTRACT}\n")
    assert [p.title for p in read_papers([page])] == [title]


def test_pretty_printed_objects_one_after_another_are_each_read_and_a_broken_one_skipped(tmp_path):
    records = [{"id": f"q{i}", "title": f"Paper {i}: Fast Things", "abstract": ABSTRACT} for i in range(3)]
    pretty = [json.dumps(r, indent=2) for r in records]
    pretty[1] = pretty[1].replace('"title":', '"title"')  # as `jq .` writes them, one of them broken
    path = tmp_path / "papers.json"
    path.write_text("\n".join(pretty) + "\n")
    report = ReadReport()
    assert [p.id for p in read_papers([path], report=report)] == ["q0", "q2"]
    assert len(report.skipped) == 1 and report.skipped[0].startswith("papers.json:8: not valid JSON")


def test_a_form_feed_between_words_is_a_space_not_glue(tmp_path):
    path = tmp_path / "pdf.jsonl"
    path.write_text(json.dumps({"id": "q", "title": "Word\x0cOther: Things", "abstract": ABSTRACT}) + "\n")
    assert [p.title for p in read_papers([path])] == ["Word Other: Things"]


def test_a_broken_json_array_says_none_of_its_records_were_read(tmp_path):
    path = tmp_path / "papers.json"
    path.write_text('[\n{"title": "A", "abstract": "b"},\n{"title": "C" "abstract": "d"}\n]')
    report = ReadReport()
    assert list(read_papers([path], report=report)) == []
    assert report.skipped == ["papers.json: not valid JSON (Expecting ',' delimiter at line 3, column 15), so none of its records were read"]


def test_json_nested_deeper_than_the_parser_goes_is_skipped_in_words(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"id": "g", "title": "Paper G: Fast Things", "abstract": ABSTRACT})
    (tmp_path / "p.jsonl").write_text(f'{good}\n{{"id": "d", "title": "D", "abstract": {deep}}}\n')
    (tmp_path / "a.json").write_text(deep)
    other = json.dumps({"id": "h", "title": "Paper H: Fast Things", "abstract": ABSTRACT}, indent=2)  # as `jq .` writes it
    (tmp_path / "o.json").write_text('{\n  "id": "d", "title": "D", "abstract": ' + deep + "}\n" + other + "\n")
    report = ReadReport()
    papers = list(read_papers([tmp_path / "p.jsonl", tmp_path / "a.json", tmp_path / "o.json"], report=report))
    assert [p.id for p in papers] == ["g", "h"]
    assert report.skipped == [
        "p.jsonl:2: JSON nested too deeply to be a paper record",
        "a.json: JSON nested too deeply to be a paper record, so none of its records were read",
        "o.json:1: JSON nested too deeply to be a paper record",
    ]


def test_an_oversized_csv_field_skips_its_row_and_keeps_the_others(tmp_path):
    path = tmp_path / "huge.csv"
    rows = [f'q{i},Paper {i}: Fast Things,"{ABSTRACT}"' for i in range(3)]
    rows.insert(1, f'big,Paper Big: Huge,"{"x " * 1_000_000}"')
    path.write_text("id,title,abstract\n" + "\n".join(rows) + "\n")
    report = ReadReport()
    assert [p.id for p in read_papers([path], report=report)] == ["q0", "q1", "q2"]
    assert len(report.skipped) == 1 and "longer than 100000" in report.skipped[0]


def test_control_characters_and_lone_surrogates_do_not_reach_the_graph(tmp_path):
    path = tmp_path / "odd.jsonl"
    record = {"id": "q\x01", "title": "Quant\x07X: Fast \x1b[0mThings", "abstract": ABSTRACT + " \ud800 end"}
    path.write_text(json.dumps(record) + "\n")  # json.dumps writes the surrogate as \ud800, as real exports do
    [paper] = read_papers([path])
    assert (paper.id, paper.title) == ("q", "QuantX: Fast [0mThings")
    assert paper.abstract.endswith("\ufffd end")
    assert paper.content_hash  # the text encodes as UTF-8, so it can be hashed and stored


def test_jsonl_keeps_good_records_and_counts_bad_ones(tmp_path):
    path = tmp_path / "papers.jsonl"
    lines = [
        json.dumps({"id": "2210.17323", "title": "GPTQ", "abstract": "A method.", "year": 2022, "authors": ["A", "B"]}),
        "{not json",
        json.dumps({"title": "No abstract"}),
        json.dumps(["a list"]),
        json.dumps({"title": "Other", "abstract": "Text.", "extra": 1}),
        '{"title": "Tab\tinside", "abstract": "x"}',
    ]
    path.write_text("\n".join(lines) + "\n")
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    assert [p.title for p in papers] == ["GPTQ", "Other"]
    assert papers[0].id == "arxiv:2210.17323"
    assert papers[0].year == 2022 and papers[0].authors == ("A", "B")
    assert papers[0].url == "https://arxiv.org/abs/2210.17323"
    assert papers[1].id == paper_id_for("Other")
    assert report.skipped == [
        "papers.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "papers.jsonl:3: no abstract",
        "papers.jsonl:4: not a JSON object",
        "papers.jsonl:6: not valid JSON (Invalid control character at column 15)",
    ]


def test_csv_reads_columns_case_insensitively(tmp_path):
    path = tmp_path / "papers.csv"
    path.write_text('Title,Abstract,URL\n"A, B",Text one.,https://arxiv.org/abs/2401.00001v1\nC,,\n', encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    assert [(p.title, p.id) for p in papers] == [("A, B", "arxiv:2401.00001")]
    assert report.skipped == ["papers.csv:3: no abstract"]


def test_json_reads_field_names_in_any_case_as_csv_does(tmp_path):
    path = tmp_path / "papers.jsonl"
    lines = [
        {"Title": "FooNet: A", "Abstract": "Text one.", "URL": "https://arxiv.org/abs/2401.00001v1", "Year": 2024},
        {"TITLE": "Shadowed", " title ": "BarNet: B", "abstract": "Text two."},  # the lower-case name wins
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    assert [(p.title, p.year) for p in papers] == [("FooNet: A", 2024), ("BarNet: B", None)]
    assert papers[0].id == "arxiv:2401.00001"
    assert report.skipped == []


def test_html_character_references_in_a_title_or_abstract_are_decoded(tmp_path):
    path = tmp_path / "papers.jsonl"
    record = {"title": "Q&amp;A at Scale: R&D&#8217;s FooNet", "abstract": "We use &lt;2 bits &amp; AT&T data; &madeup; stays."}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (paper,) = read_papers([path], report=ReadReport())
    assert paper.title == "Q&A at Scale: R&D\u2019s FooNet"
    assert paper.abstract == "We use <2 bits & AT&T data; &madeup; stays."
    # a name HTML does not define stays, even one that begins with a defined one; references to
    # characters that show nothing are dropped like the characters themselves
    record = {"title": "A &ltfoo; &ampere; B", "abstract": "x&#x34F;y &#xE0041;z"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (paper,) = read_papers([path], report=ReadReport())
    assert (paper.title, paper.abstract) == ("A &ltfoo; &ampere; B", "xy z")


def test_atom_text_is_not_decoded_twice(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id>'
        "<title>Escaping &amp;lt;script&amp;gt; in FooNet</title><summary>We &amp; they.</summary></entry></feed>",
        encoding="utf-8",
    )
    (paper,) = read_papers([path], report=ReadReport())
    assert (paper.title, paper.abstract) == ("Escaping &lt;script&gt; in FooNet", "We & they.")


def test_csv_without_abstract_column_is_one_clear_error(tmp_path):
    path = tmp_path / "papers.csv"
    path.write_text("title,summary\nA,B\n")
    with pytest.raises(InputError, match=r"CSV needs columns title and abstract; missing abstract \(found: title, summary\)"):
        list(read_papers([path]))


def test_atom_feed_from_arxiv_api(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(ATOM)
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    assert len(papers) == 1
    paper = papers[0]
    assert paper.id == "arxiv:2210.17323"
    assert paper.title == "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers"
    assert paper.abstract.startswith("Generative Pre-trained Transformer models")
    assert paper.year == 2022
    assert paper.authors == ("Elias Frantar", "Saleh Ashkboos")
    assert paper.url == "http://arxiv.org/abs/2210.17323v2"
    assert paper.date == "2022-10-31"
    assert paper.categories == ("cs.LG", "cs.CL")
    assert report.skipped == ["feed.xml: entry 2: no abstract"]


def test_duplicates_across_sources_are_read_once(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"title": "Same Title", "abstract": "x"}) + "\n")
    b.write_text(json.dumps({"title": "same  title!", "abstract": "y"}) + "\n")
    report = ReadReport()
    assert len(list(read_papers([a, b], report=report))) == 1
    assert report.duplicates == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.jsonl", "", "jsonl"),
        ("x.csv", "", "csv"),
        ("x.xml", "", "atom"),
        ("x.txt", "", "page"),
        ("noext", '{"title": "a"}', "jsonl"),
        ("noext", "<feed>", "atom"),
        ("noext", "title,abstract\n", "csv"),
        ("noext", "Some Title\n\nAbstract", "page"),
    ],
)
def test_detect_format(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content)
    assert detect_format(path) == expected


def test_missing_binary_and_non_utf8_files_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_papers([tmp_path / "nope.jsonl"]))
    page = tmp_path / "latin1.txt"
    page.write_bytes("Caf\xe9 title\n\nabstract".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.txt: not UTF-8 text \(byte 3, line 1\); if it comes from Excel or another Windows program, read it with --encoding cp1252 \(or latin-1\)$"):
        list(read_papers([page]))
    binary = tmp_path / "model.jsonl"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(InputError, match="model.jsonl: it looks like a binary file, not text"):
        list(read_papers([binary]))


def test_a_bad_line_among_good_ones_is_skipped_and_counted(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"title": "Good One", "abstract": "Fine."}).encode()
    bad = '{"title": "caf\xe9", "abstract": "x"}'.encode("latin-1")
    huge = json.dumps({"title": "Huge", "abstract": "word " * 30_000}).encode()
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + bad + b"\n" + huge + b"\n\n" + good.replace(b"One", b"Two") + b"\n")
    report = ReadReport()
    papers = list(read_papers([path], report=report))
    assert [p.title for p in papers] == ["Good One", "Good Two"]
    assert report.skipped == [
        "mixed.jsonl:2: not UTF-8 text (byte 14); it begins with a UTF-8 byte-order mark but is not UTF-8 throughout; convert it with iconv first",
        "mixed.jsonl:3: abstract of 149999 characters is longer than 100000; not an abstract",
    ]


def test_json_lines_from_windows_keep_their_good_lines_and_say_which_encoding_reads_the_rest(tmp_path):
    """A cp1252 JSON Lines file had each line with an "é" listed as "not UTF-8 text", with none
    of the --encoding hint that a CSV or a page in cp1252 is refused with."""
    path = tmp_path / "win.jsonl"
    records = [{"title": f"Caf\u00e9 {n}", "abstract": "Fine."} for n in (1, 2)]
    records.insert(1, {"title": "Plain", "abstract": "Fine."})
    path.write_bytes(b"".join(json.dumps(r, ensure_ascii=False).encode("cp1252") + b"\n" for r in records))
    report = ReadReport()
    assert [p.title for p in read_papers([path], report=report)] == ["Plain"]
    assert report.skipped == [
        "win.jsonl:1: not UTF-8 text (byte 14); if it comes from Excel or another Windows program, read it with --encoding cp1252 (or latin-1)",
        "win.jsonl:3: not UTF-8 text (byte 14)",
    ]
    assert [p.title for p in read_papers([path], encoding="cp1252")] == ["Caf\u00e9 1", "Plain", "Caf\u00e9 2"]
    path.write_bytes(path.read_bytes() + b'{"title": "\x81 undefined", "abstract": "Fine."}\n')
    report = ReadReport()
    assert len(list(read_papers([path], report=report, encoding="cp1252"))) == 3
    assert report.skipped == ["win.jsonl:4: not cp1252 text (byte 11); check that --encoding names the encoding it was saved in"]


def test_csv_with_a_huge_field_skips_that_row(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("title,abstract\nA,short\nB," + "x" * 200_000 + "\nC,also short\n")
    report = ReadReport()
    assert [p.title for p in read_papers([path], report=report)] == ["A", "C"]
    assert report.skipped == ["p.csv:3: abstract of 200000 characters is longer than 100000; not an abstract"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("p.csv", "title,abstract,year\nA,one.,20x4\nB,two.,2023\nC,three.,\n"),
        ("p.jsonl", "".join(json.dumps(r) + "\n" for r in [
            {"title": "A", "abstract": "one.", "year": "20x4"},
            {"title": "B", "abstract": "two.", "year": 2023.0},  # as pandas writes a year
            {"title": "C", "abstract": "three."},
        ])),
    ],
)
def test_a_year_that_is_no_year_keeps_the_paper_and_is_reported(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    report = ReadReport()
    assert [(p.title, p.year) for p in read_papers([tmp_path / name], report=report)] == [("A", None), ("B", 2023), ("C", None)]
    assert report.skipped == []
    line = 2 if name.endswith(".csv") else 1  # a CSV's first line is its header
    assert report.warnings == [f"{name}:{line}: year '20x4' is not a year; read without one"]


def test_a_bad_year_beside_a_good_date_takes_the_dates_year_without_a_word(tmp_path):
    (tmp_path / "p.csv").write_text("title,abstract,year,date\nA,one.,n/a,2024-05-01\n")
    report = ReadReport()
    assert [p.year for p in read_papers([tmp_path / "p.csv"], report=report)] == [2024]
    assert report.warnings == []


def test_paper_id_is_stable_for_the_same_title():
    assert paper_id_for("A  Title!") == paper_id_for("a title")
    assert paper_id_for("x", arxiv_id="2401.00001") == "arxiv:2401.00001"


def test_sample_corpus_is_package_data():
    assert Path(sample_corpus()).is_file()


def test_a_paper_under_an_id_already_read_with_other_text_is_listed_not_just_counted(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps({"id": "2401.00001", "title": "FooNet: A", "abstract": "First."}) + "\n")
    same = json.dumps({"id": "x", "title": "Bar", "abstract": "Same."})
    second.write_text(json.dumps({"id": "2401.00001", "title": "Other", "abstract": "Other."}) + "\n" + same + "\n" + same + "\n")
    report = ReadReport()
    assert [p.title for p in read_papers([first, second], report=report)] == ["FooNet: A", "Bar"]
    assert report.skipped == ["b.jsonl:1: arxiv:2401.00001: another paper with this id came first ('FooNet: A'); kept that one"]
    assert report.duplicates == 1  # the same record twice is only counted


def test_a_paper_under_an_id_already_read_is_listed_with_the_line_it_stands_on(tmp_path):
    path = tmp_path / "papers.csv"
    path.write_text("id,title,abstract\n2401.00001,FooNet: A,First.\n2401.00002,BarNet: B,Second.\n2401.00001,Other,Third.\n")
    report = ReadReport()
    assert [p.title for p in read_papers([path], report=report)] == ["FooNet: A", "BarNet: B"]
    assert report.skipped == ["papers.csv:4: arxiv:2401.00001: another paper with this id came first ('FooNet: A'); kept that one"]


def test_an_empty_csv_holds_no_papers_like_an_empty_jsonl(tmp_path):
    for name in ("empty.csv", "empty.jsonl"):
        (tmp_path / name).write_text("")
        report = ReadReport()
        assert list(read_papers([tmp_path / name], report=report)) == [] and report.skipped == []


def test_invisible_characters_are_dropped_from_titles_and_abstracts(tmp_path):
    # a bidirectional override shows the title's end reversed; zero-width spaces split names invisibly
    record = {"title": "Fast\u200bQuant: string\u202egnirts pruning", "abstract": "We prop\u00adose Fast\u200bQuant."}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (paper,) = read_papers([path])
    assert paper.title == "FastQuant: stringgnirts pruning"
    assert paper.abstract == "We propose FastQuant."


def test_a_compressed_file_or_a_pipe_is_refused_with_what_to_do(tmp_path):
    import gzip
    import os

    packed = tmp_path / "papers.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"title": "A", "abstract": "b"}\n'))
    with pytest.raises(InputError, match=r"it is gzip-compressed; decompress it first \(gunzip -k "):
        list(read_papers([packed]))
    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    with pytest.raises(InputError, match="not a regular file \\(a pipe or a device\\); save it to a file first"):
        list(read_papers([pipe]))


#: a whole number longer than Python turns into an int (4,300 digits): json.loads raised a bare
#: ValueError for it, which ended the whole run
LONG_NUMBER = "1" * 5000


@pytest.mark.parametrize(
    ("name", "layout", "where"),
    [
        ("p.jsonl", "lines", "p.jsonl:2: not valid JSON (a number of 5,000 digits is too long to read at column"),
        ("p.json", "lines", "p.json:2: not valid JSON (a number of 5,000 digits is too long to read at column"),
        ("papers", "lines", "papers:2: not valid JSON (a number of 5,000 digits is too long to read at column"),
        ("p.json", "array", "p.json: item 2: not valid JSON (a number of more than 4,300 digits is too long to read)"),
        ("p.json", "pretty", "p.json:6: not valid JSON (a number of 5,000 digits is too long to read at column"),
    ],
)
def test_a_number_too_long_to_read_skips_its_record_and_keeps_the_others(tmp_path, name, layout, where):
    records = [
        json.dumps({"id": "a", "title": "Paper A: Fast Things", "abstract": ABSTRACT}),
        '{"id": "b", "title": "Paper B: Slow Things", "abstract": "x", "year": ' + LONG_NUMBER + "}",
        json.dumps({"id": "c", "title": "Paper C: Other Things", "abstract": ABSTRACT}),
    ]
    if layout == "array":
        text = "[" + ",\n".join(records) + "]"
    elif layout == "pretty":  # as `jq .` writes objects, one after another
        text = "\n".join(json.dumps(json.loads(r), indent=2) for r in records[::2])
        text = text.replace("}\n{", '}\n{\n  "id": "b",\n  "year": ' + LONG_NUMBER + "\n}\n{", 1)
    else:
        text = "\n".join(records) + "\n"
    (tmp_path / name).write_text(text)
    report = ReadReport()
    assert [p.id for p in read_papers([tmp_path / name], report=report)] == ["a", "c"]
    assert len(report.skipped) == 1 and report.skipped[0].startswith(where), report.skipped


@pytest.mark.parametrize("blank", ["   ", "\u200b", "\u200b \ufeff\u2060"])
@pytest.mark.parametrize("name", ["p.jsonl", "p.csv"])
def test_an_id_of_only_spaces_or_invisible_characters_is_no_id(tmp_path, name, blank):
    """Cleaned, such an id was "" for every paper that had one: the second was "another paper with
    this id", and `kg explain` of the first listed the taxonomy's edges (paper_id "") as its facts."""
    titles = ["Paper A: Fast Things", "Paper B: Slow Things"]
    if name.endswith(".csv"):
        text = "id,title,abstract\n" + "".join(f'{blank},{t},"{ABSTRACT}"\n' for t in titles)
    else:
        text = "".join(json.dumps({"id": blank, "title": t, "abstract": ABSTRACT}) + "\n" for t in titles)
    (tmp_path / name).write_text(text)
    report = ReadReport()
    assert [p.id for p in read_papers([tmp_path / name], report=report)] == [paper_id_for(t) for t in titles]
    assert report.skipped == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])  # "utf-16" writes little-endian with its mark
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.csv", f'id,title,abstract\r\nq1,Caf\u00e9Quant: Fast Quantization,"{ABSTRACT}"\r\n'),
        ("p.txt", f"Header line\n\nCaf\u00e9Quant: Fast Quantization\n\n{ABSTRACT}\n"),
        ("p.jsonl", json.dumps({"id": "q1", "title": "Caf\u00e9Quant: Fast Quantization", "abstract": ABSTRACT}, ensure_ascii=False) + "\n"),
        ("p.json", json.dumps([{"id": "q1", "title": "Caf\u00e9Quant: Fast Quantization", "abstract": ABSTRACT}], indent=2)),
    ],
)
def test_a_utf16_file_with_its_byte_order_mark_is_read_as_its_utf8_twin(tmp_path, name, content, encoding):
    """Excel's "Unicode text" and PowerShell's `>` write UTF-16 with a byte-order mark; its zero
    bytes had it refused as "a binary file"."""
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""
    (tmp_path / "u16").mkdir()
    (tmp_path / "u16" / name).write_bytes(bom + content.encode(encoding))
    (tmp_path / name).write_text(content, encoding="utf-8")
    report = ReadReport()
    papers = list(read_papers([tmp_path / "u16" / name], report=report))
    assert [(p.title, p.abstract) for p in papers] == [(p.title, p.abstract) for p in read_papers([tmp_path / name])]
    assert papers[0].title == "Caf\u00e9Quant: Fast Quantization" and report.skipped == []


@pytest.mark.parametrize(("encoding", "order"), [("utf-16-le", "le"), ("utf-16-be", "be")])
def test_utf16_without_a_byte_order_mark_is_refused_saying_which_encoding_reads_it(tmp_path, encoding, order):
    path = tmp_path / "p.csv"
    path.write_bytes(f'title,abstract\nQuantX: Fast Quantization,"{ABSTRACT}"\n'.encode(encoding))
    with pytest.raises(InputError, match=rf"p.csv: it looks like UTF-16 text without a byte-order mark; read it with --encoding utf-16-{order} \(or convert it: iconv -f UTF-16{order.upper()} -t UTF-8 .*p.csv > converted.csv\)$"):
        list(read_papers([path]))
    assert [p.title for p in read_papers([path], encoding=f"UTF-16{order.upper()}")] == ["QuantX: Fast Quantization"]
    broken = tmp_path / "b.jsonl"
    broken.write_bytes(b"\xff\xfe" + '{"title": "x"}\n'.encode("utf-16-le") + b"\x00\xdc")  # a lone low surrogate
    with pytest.raises(InputError, match=r"b.jsonl: not UTF-16 text \(byte 32, line 2\); it begins with a UTF-16 byte-order mark but is not UTF-16 throughout; convert it with iconv first$"):
        list(read_papers([broken]))


def _csv_rows(*rows: str) -> str:
    return "id,title,abstract,year\n" + "".join(row + "\n" for row in rows)


@pytest.mark.parametrize(
    ("text", "ids", "skipped"),
    [
        # the title's quote closes at the next record's opening quote: one made-up paper, one lost
        (
            _csv_rows(f'q1,Paper 1: Fast,"{ABSTRACT}",2020', f'bad,"Unclosed title,{ABSTRACT},2020', f'q2,Paper 2: Slow,"{ABSTRACT}",2021'),
            ["q1", "q2"],
            ["p.csv:3: an unclosed quote? its field runs over 2 lines; read on from the next line"],
        ),
        # an abstract's quote left open with only unquoted records after it: it runs to the end
        (
            _csv_rows(f'bad,Paper 0: Open,"{ABSTRACT},2020', f"q1,Paper 1: Fast,{ABSTRACT.replace(',', ';')},2020", f"q2,Paper 2: Slow,{ABSTRACT.replace(',', ';')},2021"),
            ["q1", "q2"],
            ["p.csv:2: an unclosed quote? its field runs over 3 lines; read on from the next line"],
        ),
        # a quoted abstract over several lines is valid CSV, as is a stray quote within one line
        (
            _csv_rows(f'q1,Paper 1: Fast,"{ABSTRACT}\nits second line, with commas, and more,",2020', f'q2,"Attention" Is All,"{ABSTRACT}",2021'),
            ["q1", "q2"],
            [],
        ),
    ],
)
def test_an_unclosed_csv_quote_loses_only_its_own_record_and_says_so(tmp_path, text, ids, skipped):
    """Python's csv folded the records after an unclosed quote into its field: a made-up paper,
    a lost one, and nothing listed."""
    (tmp_path / "p.csv").write_text(text)
    report = ReadReport()
    assert [p.id for p in read_papers([tmp_path / "p.csv"], report=report)] == ids
    assert report.skipped == skipped


def test_a_csv_record_over_several_lines_is_named_by_its_last_line_as_before(tmp_path):
    (tmp_path / "p.csv").write_text(_csv_rows('q1,Paper 1: Fast,"one\ntwo",20x4', 'q2,Paper 2: Slow,"",2021'))
    report = ReadReport()
    assert [p.title for p in read_papers([tmp_path / "p.csv"], report=report)] == ["Paper 1: Fast"]
    assert report.warnings == ["p.csv:3: year '20x4' is not a year; read without one"]
    assert report.skipped == ["p.csv:4: no abstract"]


# -- encodings -----------------------------------------------------------------------------------

#: text as Excel on Windows saves it: "é" is the byte E9, the curly quote "’" the byte 92
WINDOWS_TITLE = "Caf\u00e9Quant: Don\u2019t Waste Bits"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.csv", f'title,abstract\r\nWarm-up Paper: One,"{ABSTRACT}"\r\n{WINDOWS_TITLE},"{ABSTRACT}"\r\n'),
        ("p.txt", f"{WINDOWS_TITLE}\n\n{ABSTRACT}\n"),
        ("p.jsonl", json.dumps({"title": WINDOWS_TITLE, "abstract": ABSTRACT}, ensure_ascii=False) + "\n"),
        ("p.json", json.dumps([{"title": WINDOWS_TITLE, "abstract": ABSTRACT}], ensure_ascii=False)),
    ],
)
def test_a_windows_file_is_read_with_its_encoding_named(tmp_path, name, content):
    """One cp1252 byte lost the whole file (a JSON Lines file: each such line), with no way to
    read it but converting it first."""
    path = tmp_path / name
    path.write_bytes(content.encode("cp1252"))
    report = ReadReport()
    assert [p.title for p in read_papers([path], report=report, encoding="Windows-1252")][-1] == WINDOWS_TITLE
    assert report.skipped == []


def test_a_file_that_is_not_utf8_says_the_byte_and_line_and_which_encoding_to_try(tmp_path):
    """The CSV reader decodes in blocks: the offset of the error within its block was given as
    the file's."""
    rows = "".join(f'Paper {i}: A Title,"{ABSTRACT}"\n' for i in range(100))  # well past the first block
    path = tmp_path / "p.csv"
    path.write_bytes(f"title,abstract\n{rows}{WINDOWS_TITLE},x\n".encode("cp1252"))
    at = len(f"title,abstract\n{rows}Caf".encode())
    message = (
        f"cannot read {path}: not UTF-8 text (byte {at}, line 102); if it comes from Excel or another "
        "Windows program, read it with --encoding cp1252 (or latin-1)"
    )
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        list(read_papers([path]))
    undefined = tmp_path / "q.csv"  # cp1252 has no character for the byte 81
    undefined.write_bytes(b"title,abstract\nQuantX\x81,x\n")
    with pytest.raises(InputError, match=r"q.csv: not cp1252 text \(byte 21, line 2\); check that --encoding names the encoding it was saved in$"):
        list(read_papers([undefined], encoding="cp1252"))


def test_a_byte_order_mark_decides_over_the_encoding_given(tmp_path):
    """`kg build a.csv b.csv --encoding cp1252`, where b.csv is Excel's "CSV UTF-8" (with its mark)."""
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f'title,abstract\n{WINDOWS_TITLE},"{ABSTRACT}"\n'.encode())
    assert [p.title for p in read_papers([path], encoding="cp1252")] == [WINDOWS_TITLE]


@pytest.mark.parametrize("encoding", ["no-such-codec", "rot13", "base64", ""])
def test_an_encoding_python_lacks_or_that_is_no_text_encoding_is_refused_before_reading(tmp_path, encoding):
    message = f"unknown text encoding {encoding!r}; name one Python knows, such as utf-8, cp1252 (Excel on Windows) or latin-1"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        read_papers([tmp_path / "not-yet-there.csv"], encoding=encoding)  # not iterated: refused when called


def _atom(title: str, *, declaration: str = "") -> str:
    return (
        f'{declaration}<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id>'
        f"<title>{title}</title><summary>{ABSTRACT}</summary></entry></feed>"
    )


@pytest.mark.parametrize("given", [None, "utf-8", "cp1252"])
def test_an_xml_file_is_read_in_the_encoding_it_declares(tmp_path, given):
    """It was refused as "not UTF-8 text", and an encoding given would override what it says."""
    path = tmp_path / "feed.xml"
    path.write_bytes(_atom("Caf\u00e9Quant \u00bd", declaration='<?xml version="1.0" encoding="ISO-8859-1"?>\n').encode("latin-1"))
    assert [p.title for p in read_papers([path], encoding=given)] == ["Caf\u00e9Quant \u00bd"]


def test_an_xml_file_that_declares_no_encoding_is_utf8_unless_one_is_given(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(_atom(WINDOWS_TITLE).encode("cp1252"))
    at = _atom(WINDOWS_TITLE).index("\u00e9")  # all ASCII before it
    with pytest.raises(InputError, match=rf"feed.xml: not UTF-8 text \(byte {at}, line 1\); if it comes from Excel .* --encoding cp1252"):
        list(read_papers([path]))
    assert [p.title for p in read_papers([path], encoding="cp1252")] == [WINDOWS_TITLE]


# -- CSV headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "second", "field"),
    [
        ("title,abstract,Title", "title", "Title", "title"),
        ("Title,abstract,TITLE ", "Title", "TITLE ", "title"),
        ("title,abstract, Abstract", "abstract", " Abstract", "abstract"),
        ("id,title,abstract,ID", "id", "ID", "id"),
    ],
)
def test_a_csv_with_two_columns_for_one_field_is_refused_naming_both(tmp_path, header, first, second, field):
    """The last of the two was read, silently: a title column of the wrong spelling won."""
    path = tmp_path / "p.csv"
    path.write_text(f"{header}\n" + ",".join(["x"] * len(header.split(","))) + "\n")
    message = f"cannot read {path}: CSV columns {first!r} and {second!r} both name the field {field}; rename or remove one"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        list(read_papers([path]))


def test_a_csv_may_repeat_columns_it_does_not_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(f'title,abstract,notes,Notes,,\nQuantX: Fast Quantization,"{ABSTRACT}",a,b,,\n')
    assert [p.title for p in read_papers([path])] == ["QuantX: Fast Quantization"]


# -- what is not a file ----------------------------------------------------------------------------


def test_a_symlink_loop_is_said_to_be_one_not_a_missing_file(tmp_path):
    (tmp_path / "a.jsonl").symlink_to(tmp_path / "b.jsonl")
    (tmp_path / "b.jsonl").symlink_to(tmp_path / "a.jsonl")
    message = f"cannot read {tmp_path / 'a.jsonl'}: it is a symlink loop (ELOOP); make the link point at a file"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        list(read_papers([tmp_path / "a.jsonl"]))


@pytest.mark.parametrize(
    "record",
    [
        {"title": "ZapPrune:  Pruning\u200b LLMs", "abstract": "We propose ZapPrune &amp; more."},
        {"title": "Zap", "abstract": "A.", "id": "arXiv:2401.10774v2", "authors": ["A. One", "B. Two"], "year": 2024},
        {"title": "Zap", "abstract": "A.", "url": "https://arxiv.org/abs/2401.10774", "categories": ["cs.LG"]},
        {"title": "Zap", "abstract": "A.", "id": 1234, "authors": "A. One; B. Two", "date": "2024-01-19T10:00:00Z"},
        {"title": "Zap", "abstract": "A.", "id": "my-own-id", "url": "https://example.org/zap"},
    ],
)
def test_a_paper_made_in_memory_is_the_paper_a_json_lines_file_of_it_gives(tmp_path, record):
    """kg.Paper needs an id, and how the readers make one (an arXiv id, else a hash of the
    normalised title) was not public: a notebook made up its own, and the same paper read from a
    file later was another paper to a build."""
    import kg

    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [read] = read_papers([path])
    assert kg.make_paper(**record, source=str(path)) == read
    assert kg.make_paper(**record).id == read.id


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_paper("A title", "   "), "not a paper: no abstract"),
        (lambda: make_paper("x" * 3000, "An abstract."), "not a paper: title of 3000 characters is too long to be a title"),
        (lambda: make_paper("A title", None), "a paper's title and abstract are text (str), not str and NoneType"),
    ],
)
def test_what_a_reader_would_skip_is_no_paper_in_memory_either(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value) == message
