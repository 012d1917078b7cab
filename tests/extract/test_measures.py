"""What a number measures, read from the words around it."""

from __future__ import annotations

import pytest

from kg.extract.results import find_results
from kg.records import Mention


def _mention(sentence: str, text: str, label: str, *, last: bool = False) -> Mention:
    start = sentence.rindex(text) if last else sentence.index(text)
    return Mention(label, text, text, start, start + len(text), sentence)


def test_metric_is_the_object_of_the_verb_of_change():
    s = "TVConv reduces the computational cost by up to 3.1x and improves the corresponding throughput by 2.3x."
    assert [(r.value, r.metric, r.direction) for r in find_results(s)] == [
        (3.1, "computational cost", "decrease"),
        (2.3, "corresponding throughput", "increase"),
    ]


@pytest.mark.parametrize(
    ("sentence", "metrics"),
    [
        ("It reaches a compression ratio of 576x.", ["compression ratio"]),  # "X of N"
        ("It saves nearly 50% FLOPs without sacrificing accuracy.", ["FLOPs"]),  # the words after the number
        ("It gives 1.4x higher throughput at 20% lower cost.", ["throughput", "cost"]),  # past a comparative
        ("It preserves 98.4% of the original model's capabilities.", ["capabilities"]),  # what is measured, not whose
        ("It uses 2 to 25 times fewer number of parameters.", ["number of parameters"] * 2),  # a range shares its words
        ("RT-DETR achieves 53.1% / 54.3% AP on COCO.", ["AP", "AP"]),
        ("Q* is up to 129 times faster than A* search.", ["speedup"]),
        ("It speeds up exact FFT convolutions by up to 7.93x over PyTorch.", ["speedup"]),
        ("It cuts the cost by 10%, a 3x saving in GPU hours.", ["cost", "GPU hours"]),
        ("It runs at a decoding speed of 32 tokens/s, 2.4 times faster than llama.cpp.", ["decoding speed", "speedup"]),
        ("It supports contexts up to 16x longer than before.", [None]),  # a comparative is not a measure
        ("It scores only 0.9 points below the full-precision model.", [None]),  # nor what follows it
        ("It keeps accuracy within 1% of the teacher.", [None]),  # nor what it is measured against
        ("It lowers energy consumption per token by 31%.", ["energy consumption per token"]),
        ("It cuts the peak memory of fine-tuning from 142 GB to 46 GB.", ["peak memory"]),  # as with "by"
        ("Gains range from 18% to 51% in accuracy.", ["accuracy", "accuracy"]),  # a range names it elsewhere
        ("It fits a 4x larger batch on one GPU.", ["batch size"]),  # a larger batch is not a larger model
        ("It lets one GPU serve batches 4 times larger.", ["batch size"]),
        ("The student is 12x smaller than the teacher.", ["model size"]),
    ],
)
def test_metric_from_the_words_around_the_number(sentence, metrics):
    assert [r.metric for r in find_results(sentence)] == metrics


def test_metric_mention_inside_the_phrase_wins_and_other_names_are_not_measures():
    s = "It improves state-of-the-art accuracy by 10% and runs 2x A100 GPUs while Quiet-STaR reaches superior accuracy (32.03%)."
    mentions = [_mention(s, "accuracy", "Metric"), _mention(s, "accuracy", "Metric", last=True), _mention(s, "A100 GPUs", "Hardware")]
    metrics = [r.metric for r in find_results(s, mentions=mentions)]
    assert metrics[0] == "accuracy" and metrics[1] != "A100 GPUs" and metrics[2] == "accuracy"


def test_metric_named_after_the_number_in_a_clause():
    s = "It reduces complexity by 73% in inference time, 78% in computation, and 74% in parameters."
    assert [r.metric for r in find_results(s, mentions=[_mention(s, "inference time", "Metric")])] == [
        "inference time",
        "computation",
        "parameters",
    ]
