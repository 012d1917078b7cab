from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract.pipeline import Extractor, build_pipeline
from kg.extract.ranker import (
    Context,
    SpanRanker,
    cross_validate,
    examples,
    features,
    fit,
    group_candidates,
    training_examples,
)
from kg.records import Paper

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Widget Sparsity for Fast Inference"
ABSTRACT = "We study token pruning for vision transformers. Token pruning cuts latency by 2x on ImageNet."


def _found(text: str):
    nlp = build_pipeline(rules_only=True)
    finder = nlp.get_pipe("kg_names")
    finder.open_phrases = True
    doc = next(nlp.pipe([text], disable=["kg_names"]))
    return finder.collect(doc)


def _paper_text() -> str:
    return Paper(id="t", title=TITLE, abstract=ABSTRACT).text


def test_fit_learns_which_features_mark_a_kept_candidate():
    data = [(["a", "bias"], 1)] * 20 + [(["b", "bias"], 0)] * 20 + [(["a", "b", "bias"], 1)] * 5
    weights = fit(data, l2=0.1)
    ranker = SpanRanker(weights, 0.5)
    assert weights["a"] > 0 > weights["b"]
    assert ranker.probability(["a", "bias"]) > 0.8 > 0.2 > ranker.probability(["b", "bias"])


def test_features_carry_the_label_and_the_patterns_that_found_the_span():
    found = _found(_paper_text())
    groups = group_candidates(found.candidates)
    context = Context(found, groups)
    token_pruning = [g for g in groups if found.text[g.start : g.end] == "token pruning" and g.label == "Technique"]
    assert token_pruning
    feats = features(token_pruning[0], context)
    assert "bias" in feats
    assert "head:pruning|Technique" in feats
    assert any(f.startswith("src:") and f.endswith("|Technique") for f in feats)
    assert features(token_pruning[0], context) == feats  # deterministic


def test_examples_mark_the_gold_span_not_its_shorter_head():
    found = _found(_paper_text())
    gold = {"Technique": ["token pruning"], "Metric": ["latency"], "Dataset": ["ImageNet"]}
    labelled: dict[tuple[str, str], int] = {}
    for group, (_, y) in zip(group_candidates(found.candidates), examples(found, gold)):
        key = (found.text[group.start : group.end].lower(), group.label)
        labelled[key] = max(y, labelled.get(key, 0))
    assert labelled[("token pruning", "Technique")] == 1
    assert labelled.get(("pruning", "Technique"), 0) == 0
    assert labelled[("latency", "Metric")] == 1


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


def test_cross_validation_scores_every_paper_once(dev_gold):
    records = dev_gold[:6]
    report = cross_validate(records, folds=3)
    assert report.papers == 6
    assert 0.0 < report.strict["micro"].f1 <= 1.0
    assert len(training_examples(records[:2])) > 10


def test_train_script_refuses_the_held_out_split():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/train-ranker"), str(ROOT / "tests/data/gold/heldout.jsonl"), "--no-write"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "held-out" in result.stderr


@pytest.mark.parametrize("split", ["dev_a.jsonl", "dev_b.jsonl", "train.jsonl", "heldout.jsonl", "dev_a_blind.jsonl"])
def test_gold_entities_occur_verbatim(split):
    import json

    for line in (ROOT / "tests" / "data" / "gold" / split).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["title"] + " " + record["abstract"]
        for values in record["entities"].values():
            for value in values:
                assert value in text, (record["id"], value)
