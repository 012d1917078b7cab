from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.extract.gazetteer import Gazetteer
from kg.extract.ranker import SpanRanker, group_candidates
from kg.extract.training import (
    cross_validate,
    examples,
    extractor_with,
    fit,
    gazetteer_without,
    train,
    training_examples,
    written_training_examples,
)
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


def test_gazetteer_without_forgets_the_gold_names_but_not_the_vocabulary():
    gazetteer = Gazetteer.load()
    assert gazetteer.label_of("ImageNet") == "Dataset" and gazetteer.label_of("quantization") == "Technique"
    record = {"entities": {"Dataset": ["ImageNet"], "Technique": ["quantization"], "Model": []}}
    forgetful = gazetteer_without([record], gazetteer)
    assert forgetful.label_of("ImageNet") is None
    assert forgetful.label_of("quantization") == "Technique"  # techniques are vocabulary, not names
    assert len(forgetful.entries) < len(gazetteer.entries)


def test_a_ranker_trained_on_unseen_names_reads_the_kind_of_a_new_name_from_its_context(dev_gold):
    """Trained with the gold names hidden from the gazetteer now and then, the ranker learns what
    the words around a name say: a new name listed with benchmarks is a benchmark. (Trained
    with the gazetteer always on, the same ranker keeps both new names below as methods.)"""
    ranker = train(dev_gold, unseen_names=True)
    assert ranker.meta["unseen_names"] is True
    abstracts = [
        "We compress Zorblax-7B with our method, and evaluate on GSM8K and QuuxQA.",
        "On ZorbBench, our approach reaches 71.2% accuracy.",
    ]
    extractor = extractor_with(ranker)
    for abstract, name in zip(abstracts, ("QuuxQA", "ZorbBench")):
        extraction = next(extractor.extract([Paper(id="t", title="Compact Widgets", abstract=abstract)]))
        assert name in {m.text for m in extraction.entities("Dataset")}
        assert name not in {m.text for m in extraction.entities("Method")}


def test_train_script_refuses_the_held_out_split():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/train-ranker"), str(ROOT / "tests/data/gold/heldout.jsonl"), "--no-write"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "held-out" in result.stderr


def test_written_abstracts_teach_every_kind_techniques_too():
    written = [
        {
            "title": "Tandem: Faster Decoding",
            "abstract": "We propose Tandem, which uses speculative decoding on Llama-2-7B and GSM8K.",
            "entities": {"Method": ["Tandem"], "Technique": ["speculative decoding"], "Model": ["Llama-2-7B"]},
        }
    ]
    gazetteer = Gazetteer.load()
    learnt = written_training_examples(written, gazetteer, unseen_names=False)
    labels = {feats[0].split("|")[1] for feats, _ in learnt}
    assert {"Method", "Model", "Technique"} <= labels
    assert learnt == training_examples(written, gazetteer)


def test_cross_validation_learns_from_written_abstracts_without_scoring_them(dev_gold):
    written = dev_gold[10:13]
    report = cross_validate(dev_gold[:6], folds=3, written=written)
    assert report.papers == 6
