from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.extract.ranker import SpanRanker, group_candidates
from kg.extract.training import cross_validate, examples, fit, training_examples
from kg.records import Paper

ROOT = Path(__file__).resolve().parents[2]
ABSTRACT = "We study token pruning for vision transformers. Token pruning cuts latency by 2x on ImageNet."


def test_fit_learns_which_features_mark_a_kept_candidate():
    data = [(["a", "bias"], 1)] * 20 + [(["b", "bias"], 0)] * 20 + [(["a", "b", "bias"], 1)] * 5
    weights = fit(data, l2=0.1)
    ranker = SpanRanker(weights, 0.5)
    assert weights["a"] > 0 > weights["b"]
    assert ranker.probability(["a", "bias"]) > 0.8 > 0.2 > ranker.probability(["b", "bias"])


def test_examples_mark_the_gold_span_not_its_shorter_head(found_in):
    found = found_in(Paper(id="t", title="Widget Sparsity for Fast Inference", abstract=ABSTRACT).text)
    gold = {"Technique": ["token pruning"], "Metric": ["latency"], "Dataset": ["ImageNet"]}
    labelled: dict[tuple[str, str], int] = {}
    for group, (_, y) in zip(group_candidates(found.candidates), examples(found, gold)):
        key = (found.text[group.start : group.end].lower(), group.label)
        labelled[key] = max(y, labelled.get(key, 0))
    assert labelled[("token pruning", "Technique")] == 1
    assert labelled.get(("pruning", "Technique"), 0) == 0
    assert labelled[("latency", "Metric")] == 1


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
