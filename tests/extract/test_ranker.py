from __future__ import annotations

from kg.extract.pipeline import Extractor, build_pipeline
from kg.extract.ranker import Context, SpanRanker, features, group_candidates
from kg.records import Paper

TITLE = "Widget Sparsity for Fast Inference"
ABSTRACT = "We study token pruning for vision transformers. Token pruning cuts latency by 2x on ImageNet."


def _paper_text() -> str:
    return Paper(id="t", title=TITLE, abstract=ABSTRACT).text


def test_features_carry_the_label_and_the_patterns_that_found_the_span(found_in):
    found = found_in(_paper_text())
    groups = group_candidates(found.candidates)
    context = Context(found, groups)
    token_pruning = [g for g in groups if found.text[g.start : g.end] == "token pruning" and g.label == "Technique"]
    assert token_pruning
    feats = features(token_pruning[0], context)
    assert "bias" in feats
    assert "head:pruning|Technique" in feats
    assert any(f.startswith("src:") and f.endswith("|Technique") for f in feats)
    assert features(token_pruning[0], context) == feats  # deterministic


def test_the_ranker_decides_between_overlapping_candidates():
    """A ranker that prefers loose phrases keeps the longer phrase; one that does not keeps the
    gazetteer's shorter term. Hand-set weights, so this tests the plumbing, not the training."""
    text_abstract = "Our widget pruning works on every layer."
    favour_phrases = SpanRanker({"bias": -5.0, "src:open_phrase|Technique": 8.0}, 0.5)
    favour_gazetteer = SpanRanker({"bias": -5.0, "src:gazetteer|Technique": 8.0}, 0.5)
    paper = Paper(id="t", title="T", abstract=text_abstract)
    e1 = next(Extractor(build_pipeline(ranker=favour_phrases)).extract([paper]))
    e2 = next(Extractor(build_pipeline(ranker=favour_gazetteer)).extract([paper]))
    assert "widget pruning" in {m.text for m in e1.entities("Technique")}
    assert {m.text for m in e2.entities("Technique")} == {"pruning"}


def test_shipped_ranker_is_loaded_and_versions_the_extractor():
    shipped = SpanRanker.load()
    assert shipped is not None and len(shipped.weights) > 100
    with_ranker = Extractor()
    rules_only = Extractor(build_pipeline(rules_only=True))
    assert with_ranker.version.endswith("." + shipped.version)
    assert rules_only.version != with_ranker.version
    assert rules_only.nlp.get_pipe("kg_names").ranker is None


def test_a_dumped_model_loads_back_the_same(tmp_path):
    shipped = SpanRanker.load()
    shipped.dump(tmp_path / "ranker.json")
    again = SpanRanker.load(tmp_path / "ranker.json")
    assert again.weights == shipped.weights and again.threshold == shipped.threshold
    assert again.label_thresholds == shipped.label_thresholds and shipped.label_thresholds
    assert again.version == shipped.version
    assert SpanRanker.load(tmp_path / "missing.json") is None


def test_a_name_no_gazetteer_knows_is_offered_as_every_kind_of_name(found_in):
    text = Paper(
        id="t",
        title="Widgets",
        abstract="We tune Zorblax 2 and QuuxNet on the Flurbo corpus and ImageNet, beating T9.",
    ).text
    kinds: dict[str, set[str]] = {}
    for c in found_in(text).candidates:
        kinds.setdefault(text[c.start : c.end], set()).add(c.label)
    for name in ("QuuxNet", "Zorblax", "Zorblax 2", "Flurbo", "T9"):
        assert {"Method", "Model", "Dataset"} <= kinds[name], name
    assert kinds["ImageNet"] == {"Dataset"}  # a known name keeps the kind the gazetteer gives it
    assert "We" not in kinds  # a capitalised word that opens a sentence is not offered


def test_a_name_reads_the_same_all_through_an_abstract():
    """Hand-set weights that trust a name only in the title and a known technique everywhere: the
    name's later occurrences still win over the technique inside them ("MoE" in "Quokka-MoE")."""
    weights = {"bias": -5.0, "in_title:True|Method": 9.0, "in_title:True|Model": 9.0, "src:gazetteer|Technique": 7.0}
    paper = Paper(id="t", title="Quokka-MoE: A Small Language Model", abstract="On MMLU, Quokka-MoE scores 61.2 points.")
    extraction = next(Extractor(build_pipeline(ranker=SpanRanker(weights, 0.5))).extract([paper]))
    names = [(m.label, m.text) for m in extraction.mentions if "MoE" in m.text]
    assert len(names) == 2 and names[0] == names[1] and names[0][1] == "Quokka-MoE", names
