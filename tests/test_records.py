from __future__ import annotations

import json

from kg.graph import build_graph, counts, edge_rows, node_rows
from kg.records import Extraction, Paper, claim_text, normalize_title, paper_id_for


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
