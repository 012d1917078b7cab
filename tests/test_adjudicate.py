"""scripts/adjudicate: two annotations and the decisions on their disagreements make one gold."""

import importlib.machinery
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold"
SCRIPT = ROOT / "scripts" / "adjudicate"


def _load_script():
    loader = importlib.machinery.SourceFileLoader("adjudicate", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("adjudicate", loader))
    loader.exec_module(module)
    return module


adjudicate = _load_script()


def _record(**entities):
    proposes = entities.pop("proposes", [])
    full = {label: entities.get(label, []) for label in ("Method", "Technique", "Model", "Dataset", "Metric", "Task", "Hardware")}
    return {"id": "p1", "title": "T", "abstract": "A", "entities": full, "proposes": proposes, "results": [{"value": 2}], "code": []}


def test_questions_are_the_items_only_one_annotator_marked_without_saying_who():
    first = _record(Method=["FooNet"], Metric=["accuracy"], Task=["pose estimation"], proposes=["FooNet"])
    second = _record(Method=["FooNet", "BarNet"], Metric=["Accuracy", "latency"], proposes=["FooNet"])
    asked = adjudicate.questions(first, second)
    assert [(q["kind"], q["text"]) for q in asked] == [("Method", "BarNet"), ("Metric", "latency"), ("Task", "pose estimation")]
    # the same questions whichever annotation comes first: the order does not tell who marked what
    assert [(q["kind"], q["text"]) for q in adjudicate.questions(second, first)] == [(q["kind"], q["text"]) for q in asked]


def test_merge_keeps_agreed_items_and_the_kept_questions_and_the_first_results():
    first = _record(Method=["FooNet"], Metric=["accuracy"], Task=["pose estimation"], proposes=["FooNet"])
    second = _record(Method=["FooNet", "BarNet"], Metric=["Accuracy", "latency"], proposes=["FooNet"])
    merged = adjudicate.merge(first, second, {0: False, 1: True, 2: True})
    assert merged["entities"]["Method"] == ["FooNet"]
    assert merged["entities"]["Metric"] == ["accuracy", "latency"]
    assert merged["entities"]["Task"] == ["pose estimation"]
    assert merged["proposes"] == ["FooNet"]
    assert merged["results"] == first["results"]


def test_merge_adds_links_between_names_the_merged_record_lists_and_refuses_others():
    first = _record(Method=["FooNet", "BarNet"], Technique=["pruning"], proposes=["FooNet"])
    links = {"instance_of": [["FooNet", "pruning", "text"]], "compared_with": ["BarNet"]}
    merged = adjudicate.merge(first, first, {}, links)
    assert merged["instance_of"] == [["FooNet", "pruning", "text"]] and merged["compared_with"] == ["BarNet"]
    assert "instance_of" not in adjudicate.merge(first, first, {})
    with pytest.raises(SystemExit, match="does not list"):
        adjudicate.merge(first, first, {}, {"instance_of": [["FooNet", "quantization", "text"]]})
    with pytest.raises(SystemExit, match="does not list"):
        adjudicate.merge(first, first, {}, {"compared_with": ["QuxNet"]})


def test_merge_refuses_an_undecided_question_and_a_proposes_without_its_name():
    first = _record(Method=["FooNet"], proposes=["FooNet"])
    second = _record()
    with pytest.raises(SystemExit, match="has no decision"):
        adjudicate.merge(first, second, {0: True})
    with pytest.raises(SystemExit, match="neither Method nor Model"):
        adjudicate.merge(first, second, {0: False, 1: True})


@pytest.mark.parametrize(
    "first, split",
    [(["dev_a.jsonl", "dev_b.jsonl"], "dev"), (["heldout.jsonl"], "heldout"), (["train.jsonl"], "train")],
)
def test_the_shipped_adjudicated_gold_is_what_the_decisions_give(first, split):
    command = [sys.executable, str(SCRIPT), "merge", *(str(GOLD / f) for f in first)]
    command += ["--second", str(GOLD / f"{split}_second.jsonl"), "--decisions", str(GOLD / f"{split}_decisions.jsonl")]
    command += ["--links", str(GOLD / f"{split}_links.jsonl")]
    adjudicated = f"{split}_adjudicated.jsonl"
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout == (GOLD / adjudicated).read_text(encoding="utf-8")
