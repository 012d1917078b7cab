from __future__ import annotations

import pytest

from kg.extract.gains import better_way, is_gain


@pytest.mark.parametrize(
    "metric, way",
    [
        ("inference time", "lower"),
        ("P99 latency", "lower"),
        ("peak GPU memory", "lower"),
        ("the number of parameters", "lower"),
        ("parameter count", "lower"),
        ("time per output token", "lower"),
        ("time to first token", "lower"),
        ("WikiText-2 perplexity", "lower"),
        ("word error rate", "lower"),
        ("top-1 accuracy", "higher"),
        ("energy efficiency", "higher"),
        ("tokens per second", "higher"),
        ("win rate", "higher"),
        ("compression ratio", "higher"),
        ("bit rate", "lower"),
        ("FID score", "lower"),
        ("CLIP score", "higher"),
        ("pass@1", "higher"),
        ("top-1", "higher"),
        ("sequence length", None),
        ("batch size", "higher"),  # more requests at once on the same device
        ("model size", "lower"),
        (None, None),
    ],
)
def test_which_way_a_measure_is_better_comes_from_its_head(metric, way):
    assert better_way(metric) == way


def test_an_unnamed_measure_is_read_from_its_unit():
    assert better_way(None, "points") == "higher"  # "0.8 points below the full cache"
    assert better_way("", "ms") == "lower"
    assert better_way(None, "GPU hours") == "lower"
    assert better_way("accuracy", "GB") == "higher"  # a named measure comes first
    assert better_way(None, "%") is None


def test_a_gain_is_a_change_for_the_better_on_the_measure():
    assert is_gain("memory", None, "decrease", "reduc") is True  # "reduces memory by 40%"
    assert is_gain("accuracy", None, "decrease", "drop") is False  # "an accuracy drop of 0.4%"
    assert is_gain("perplexity", None, "increase", "increas") is False
    assert is_gain("throughput", None, "increase", "higher") is True


def test_some_words_settle_it_whatever_the_measure():
    assert is_gain("video quality", None, "increase", "better") is True
    assert is_gain("ROUGE-L", None, "decrease", "degrad") is False
    assert is_gain("experts", None, "decrease", "remov") is True  # "removes 25% of the experts"
    assert is_gain("experts", None, "decrease", "fewer") is None  # the measure does not say


def test_a_level_is_no_gain_unless_the_measure_is_a_gain_itself():
    assert is_gain("accuracy", None, None, None) is None  # "achieves 96.1% accuracy"
    assert is_gain("speedup", None, None, None) is True  # "a 2.9x speedup"
    assert is_gain("compression ratio", None, None, None) is True
    assert is_gain("accuracy", None, None, "improv") is None  # a share kept: "retains 97% of the accuracy"
