from __future__ import annotations

import json
import re

import pytest

from kg.errors import NotExtractOutput
from kg.graph import build_graph, counts, edge_rows, node_rows
from kg.records import Extraction, Paper, Result, claim_text, normalize_title, paper_id_for


def test_extraction_json_round_trip_gives_the_same_graph(sample_extractions, extractor):
    back = [Extraction.from_json(json.loads(json.dumps(e.to_json()))) for e in sample_extractions]
    a = build_graph(sample_extractions, gazetteer=extractor.gazetteer)
    b = build_graph(back, gazetteer=extractor.gazetteer)
    assert counts(a) == counts(b)
    assert node_rows(a) == node_rows(b)
    assert edge_rows(a) == edge_rows(b)


def test_content_hash_follows_the_text_only():
    a = Paper(id="1", title="T", abstract="A", url="u1")
    b = Paper(id="2", title="T", abstract="A", url="u2")
    assert a.content_hash == b.content_hash
    assert a.content_hash != Paper(id="1", title="T", abstract="B").content_hash


def test_normalize_title():
    assert normalize_title("  GPTQ: Accurate,  Post-Training!") == "gptq accurate post training"
    assert paper_id_for("x").startswith("title:")


def test_a_claim_reads_with_its_unit_and_without_a_stray_space():
    assert claim_text(2.5, "x", "speedup") == "2.5x speedup"
    assert claim_text(40, "%", "memory") == "40% memory"
    assert claim_text(16, "GB", None) == "16 GB"
    assert claim_text(5.72, "", "perplexity") == "5.72 perplexity"


def _record(**changes):
    paper = Paper(id="p1", title="QuantX: Fast Quantization", abstract="We propose QuantX.", year=2024, authors=("Alice Smith",))
    result = Result(metric="speedup", value=2.5, unit="x", sentence="QuantX is 2.5x faster.", gain=True)
    record = Extraction(paper=paper, extractor_version="v", results=[result]).to_json()
    for name, value in changes.items():
        if name.startswith("result_"):
            record["results"][0][name.removeprefix("result_")] = value
        else:
            record[name] = value
    return record


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"year": "abc"}, 'its year must be a whole number or null, not "abc"'),
        ({"year": 2024.5}, "its year must be a whole number or null, not 2024.5"),
        ({"year": True}, "its year must be a whole number or null, not true"),
        ({"year": 10**20}, "its year must be a whole number or null, not 100000000000000000000"),
        ({"authors": "Alice Smith"}, 'its authors must be a list of text, not "Alice Smith"'),
        ({"categories": ["cs.LG", 5]}, 'its categories must be a list of text, not ["cs.LG", 5]'),
        ({"url": 5}, "its url must be text or null, not 5"),
        ({"id": ""}, "its id is empty"),
        ({"title": "  "}, "its title is empty"),
        ({"proposes_canonical": "QuantX"}, 'its proposes_canonical must be a list of text, not "QuantX"'),
        ({"result_gain": "yes"}, 'its results[1].gain must be true, false or null, not "yes"'),
        ({"result_value": "2.5"}, 'its results[1].value must be a number, not "2.5"'),
        ({"result_value": None}, "its results[1] has no value"),
        ({"result_metric": ["speedup"]}, 'its results[1].metric must be text or null, not ["speedup"]'),
        ({"result_paper": "p1"}, "its results[1] has paper, which a result does not (metric, value, unit"),
        ({"entities": {"Method": [{"text": "QuantX", "canonical": "QuantX", "start": "0", "end": 6, "sentence": "s"}]}},
         'its entities.Method start must be a whole number, not "0"'),
        ({"instance_of": [{"source": "QuantX"}]}, "its instance_of must be a list of {source, target, sentence} objects of text"),
    ],
)
def test_a_record_whose_values_the_schema_types_otherwise_is_refused_with_why(changes, problem):
    """Stored as it was, "abc" as a year failed a whole batch of a load, "yes" as a gain became
    null, and the text "Alice Smith" as authors a list of its letters."""
    with pytest.raises(NotExtractOutput, match="^" + re.escape(problem)):
        Extraction.from_json(_record(**changes))


def test_what_kg_extract_writes_is_read_back_whatever_it_holds():
    record = _record(year=None, url=None, date=None, result_gain=None, result_metric=None, result_value=3)
    assert Extraction.from_json(record).results[0].value == 3
