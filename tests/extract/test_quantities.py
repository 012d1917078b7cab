"""Numbers and units, ranges and the forms LaTeX leaves behind."""

from __future__ import annotations

import pytest

from kg.extract.quantities import Spans, group_ends, quantities, value_of


def _read(text: str) -> list[tuple[float, str]]:
    return [(value_of(q.number), q.unit) for q in quantities(text)]


@pytest.mark.parametrize(("text", "value"), [("a 1,288x reduction", 1288), ("up to 3.5× faster", 3.5)])
def test_number_formats(text, value):
    assert [v for v, _ in _read(text)] == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with 3-5x model size reduction", [(3, "x"), (5, "x")]),
        ("runs 5-40 times faster", [(5, "x"), (40, "x")]),
        ("using merely 4\\%-20\\% of the data", [(4, "%"), (20, "%")]),
        ("gains of 15%-50% across budgets", [(15, "%"), (50, "%")]),
        ("2 to 25 times fewer parameters", [(2, "x"), (25, "x")]),
        ("108 / 74 FPS on a T4 GPU", [(108, "FPS"), (74, "FPS")]),
        ("2.6 and 1.9 points above A and B", [(2.6, "points"), (1.9, "points")]),
        # a number that belongs to the word before it is not half of a pair
        ("91.3% of Level 1 and 78.0% of Level 2", [(91.3, "%"), (78.0, "%")]),
    ],
)
def test_ranges_that_write_the_unit_once(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a test error of 2.08\\% only", [(2.08, "%")]),  # LaTeX's escaped percent
        ("speeds up pre-training by sim3x", [(3, "x")]),  # "\\sim3x" with its backslash lost
        ("approximately 4X faster", [(4, "x")]),
        ("improves throughput by 10+%", [(10, "%")]),
        ("achieves 40.4 AP on COCO", [(40.4, "AP")]),
        ("quantizes it in 11 minutes", [(11, "minutes")]),
        ("from 94 s to 31 s, and 143.66s runtime", [(94, "s"), (31, "s"), (143.66, "s")]),
        ("a search cost of 0.3 GPU-days", [(0.3, "GPU-days")]),
        ("taking 10s of seconds, then 5s per step", [(5, "s")]),  # "10s of" is a magnitude, not 10 s
    ],
)
def test_written_forms(text, expected):
    assert _read(text) == expected


def test_a_hyphen_after_a_word_is_not_a_range_or_a_sign():
    assert _read("GPT-4 at 3x and Llama-2 at 1.5% accuracy") == [(3, "x"), (1.5, "%")]


def test_only_numbers_in_one_unit_form_a_group():
    text = "10.33x and 2.72x speedup; 32 tokens/s, 2.4x faster"
    found = quantities(text)
    ends = group_ends(text, found)
    assert [text[q.start : e] for q, e in zip(found, ends)] == ["10.33x and 2.72x", "2.72x", "32 tokens/s", "2.4x"]


def test_spans_cover_positions_also_when_they_nest():
    spans = Spans([(5, 10), (0, 30), (40, 45)])
    assert [p in spans for p in (0, 7, 20, 30, 39, 44, 45)] == [True, True, True, False, False, True, False]
    assert 3 not in Spans([])


def test_bits_are_a_unit_and_a_pair_writes_it_once():
    assert _read("down to 3 or 4 bits per weight, averaging 2.37 bits") == [(3, "bits"), (4, "bits"), (2.37, "bits")]
    # "4-bit" names a setting, not a measured number of bits
    assert _read("a 4-bit model") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a 2.9$\\times$ speedup", [(2.9, "x")]),
        ("a 2.5 $\\times$ speedup", [(2.5, "x")]),
        ("is $2.5\\times$ faster", [(2.5, "x")]),
        ("a 2.3-point drop in accuracy", [(2.3, "points")]),
        ("gains 1 point on MMLU", [(1, "points")]),
        ("sustains 2,400 tokens per second", [(2400, "tokens/s")]),
        ("falls by a factor of 3.3", [(3.3, "x")]),
        ("falls by a factor of 3.3x", [(3.3, "x")]),  # the unit written too: one number, not two
        ("evaluated on 2 point clouds", []),
    ],
)
def test_units_written_in_latex_or_words(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("obtains 32.31 dB PSNR", [(32.31, "dB")]),
        ("a control loop at 9.8 Hz", [(9.8, "Hz")]),
        ("a gap of 0.04 nats", [(0.04, "nats")]),
        ("sustains 3.2 requests per second", [(3.2, "requests per second")]),
        # thousands or millions of parameters are a compact model's size; billions mostly name a model
        ("with 312K parameters and 19.6G MACs", [(312, "K"), (19.6, "G")]),
        ("only 0.018M trainable parameters", [(0.018, "M")]),
        ("a 7B parameters model, 3M tokens", []),
    ],
)
def test_units_of_signal_quality_frequency_and_counts(text, expected):
    assert _read(text) == expected
