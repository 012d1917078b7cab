from __future__ import annotations

import pytest

from kg.extract.results import find_results
from kg.records import Mention


def _mention(sentence: str, text: str, label: str) -> Mention:
    start = sentence.index(text)
    return Mention(label, text, text, start, start + len(text), sentence)


def test_results_parses_times_speedup_with_respectively_baselines():
    s = "CoreInfer achieved a 10.33 times and 2.72 times speedup compared to the Huggingface implementation and PowerInfer, respectively."
    results = find_results(s, mentions=[_mention(s, "speedup", "Metric")])
    assert [(r.value, r.unit, r.metric) for r in results] == [(10.33, "x", "speedup"), (2.72, "x", "speedup")]
    assert [r.baseline for r in results] == ["Huggingface implementation", "PowerInfer"]


def test_results_reduction_keeps_value_and_direction():
    s = "FAST-VQA improves accuracy by 10% while reducing 99.5% FLOPs."
    results = find_results(s, mentions=[_mention(s, "accuracy", "Metric"), _mention(s, "FLOPs", "Metric")])
    assert [(r.value, r.unit, r.metric, r.direction) for r in results] == [
        (10, "%", "accuracy", "increase"),
        (99.5, "%", "FLOPs", "decrease"),
    ]


def test_results_range_gives_two_values():
    s = "It yields 2x to 5x faster inference."
    assert [(r.value, r.unit) for r in find_results(s)] == [(2, "x"), (5, "x")]


def test_results_written_units_and_context():
    s = "Training takes 16 hours on an A100-40GB GPU and uses 24 GB of memory on ImageNet with Llama-2-7B."
    mentions = [_mention(s, "A100-40GB GPU", "Hardware"), _mention(s, "ImageNet", "Dataset"), _mention(s, "Llama-2-7B", "Model")]
    results = find_results(s, mentions=mentions, inside_names=[(m.start, m.end) for m in mentions])
    assert [(r.value, r.unit) for r in results] == [(16, "hours"), (24, "GB")]
    assert {r.hardware for r in results} == {"A100-40GB GPU"}
    assert {r.dataset for r in results} == {"ImageNet"}


def test_results_skip_numbers_inside_names_and_bare_numbers():
    s = "We evaluate Llama-2-7B on 3 benchmarks in 2023."
    m = _mention(s, "Llama-2-7B", "Model")
    assert find_results(s, mentions=[m], inside_names=[(m.start, m.end)]) == []


@pytest.mark.parametrize(("text", "value"), [("a 1,288x reduction", 1288), ("up to 3.5× faster", 3.5)])
def test_results_number_formats(text, value):
    assert [r.value for r in find_results(text)] == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with 3-5x model size reduction", [(3, "x"), (5, "x")]),
        ("runs 5-40 times faster", [(5, "x"), (40, "x")]),
        ("using merely 4\\%-20\\% of the data", [(4, "%"), (20, "%")]),
        ("gains of 15%-50% across budgets", [(15, "%"), (50, "%")]),
        ("2 to 25 times fewer parameters", [(2, "x"), (25, "x")]),
        ("108 / 74 FPS on a T4 GPU", [(108, "FPS"), (74, "FPS")]),
    ],
)
def test_results_ranges_that_write_the_unit_once(text, expected):
    assert [(r.value, r.unit) for r in find_results(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a test error of 2.08\\% only", [(2.08, "%")]),  # LaTeX's escaped percent
        ("speeds up pre-training by sim3x", [(3, "x")]),  # "\\sim3x" with its backslash lost
        ("approximately 4X faster", [(4, "x")]),
        ("improves throughput by 10+%", [(10, "%")]),
        ("achieves 40.4 AP on COCO", [(40.4, "AP")]),
    ],
)
def test_results_written_forms(text, expected):
    assert [(r.value, r.unit) for r in find_results(text)] == expected


def test_results_a_hyphen_after_a_word_is_not_a_range_or_a_sign():
    assert [(r.value, r.unit) for r in find_results("GPT-4 at 3x and Llama-2 at -1.5% accuracy")] == [(3, "x"), (-1.5, "%")]
