from __future__ import annotations

import pytest

from kg.extract.results import find_results


def test_results_reduction_keeps_value_and_direction(mention):
    s = "FAST-VQA improves accuracy by 10% while reducing 99.5% FLOPs."
    results = find_results(s, mentions=[mention(s, "accuracy", "Metric"), mention(s, "FLOPs", "Metric")])
    assert [(r.value, r.unit, r.metric, r.direction) for r in results] == [
        (10, "%", "accuracy", "increase"),
        (99.5, "%", "FLOPs", "decrease"),
    ]


def test_results_range_gives_two_values():
    s = "It yields 2x to 5x faster inference."
    assert [(r.value, r.unit) for r in find_results(s)] == [(2, "x"), (5, "x")]


def test_results_both_ends_of_a_dashed_range_measure_what_the_range_does(mention):
    # the high end's own neighbourhood names another measure ("TTFT"), but a range measures one thing
    s = "We demonstrate relative accuracy improvements in the range of 15%-50% across a range of TTFT budgets."
    mentions = [mention(s, "accuracy", "Metric"), mention(s, "TTFT", "Metric")]
    assert [(r.value, r.metric) for r in find_results(s, mentions=mentions)] == [(15, "accuracy"), (50, "accuracy")]


@pytest.mark.parametrize(
    ("sentence", "metric", "direction"),
    [
        ("Inference energy falls by a factor of 3.3.", "Inference energy", "decrease"),
        ("Latency is reduced by 2.8 ms.", "Latency", "decrease"),
        ("Throughput rises by 40% on A100.", "Throughput", "increase"),
        ("Peak memory drops to 22 GB.", "Peak memory", "decrease"),
    ],
)
def test_the_measure_of_a_change_can_be_the_verbs_subject(sentence, metric, direction):
    (result,) = find_results(sentence)
    assert (result.metric, result.direction, result.gain) == (metric, direction, True)


def test_a_named_measure_just_before_the_verb_is_its_subject(mention):
    s = "Its word error rate on LibriSpeech test-clean rises by only 0.3% absolute."
    (result,) = find_results(s, mentions=[mention(s, "word error rate", "Metric")])
    assert (result.metric, result.direction, result.gain) == ("word error rate", "increase", False)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "~" and "\\sim" qualify a number as "about" does
        ("It reduces latency by ~60% and model size by ~75%.", [(60, "latency"), (75, "model size")]),
        ("It cuts latency by \\sim 30%.", [(30, "latency")]),
        ("The distilled model is 40% smaller than the teacher.", [(40, "model size")]),
        ("FooQ compresses ResNet-50 by 8x.", [(8, "compression ratio")]),
        # a list measures one thing when its later members name nothing of their own
        ("It reduces memory by 4.1x, 3.9x and 3.6x.", [(4.1, "memory"), (3.9, "memory"), (3.6, "memory")]),
    ],
)
def test_what_a_number_measures_in_more_written_forms(sentence, expected):
    results = find_results(sentence)
    assert [(r.value, r.metric) for r in results] == expected
    assert all(r.gain is True for r in results)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It is 1.5 points more accurate than STTS.", [(1.5, "accuracy")]),
        # a verb or an adverb after a number is not what it measures
        ("Latency improves by only 1.3x, compared with the 1.8x implied by FLOPs.", [(1.3, "Latency"), (1.8, None)]),
        ("This brings planning under 30 seconds even for a 70B model.", [(30, None)]),
        ("Shrinking the KV cache by 5.3x lets one GPU serve more.", [(5.3, "KV cache")]),
    ],
)
def test_words_after_a_number_that_do_not_name_a_measure(sentence, expected):
    assert [(r.value, r.metric) for r in find_results(sentence)] == expected


def test_a_level_is_not_compared_with_the_sentences_baseline_but_a_share_is(mention):
    s = "FooQ reaches 94.1% accuracy, 2.1% higher than ResNet-18."
    results = find_results(s, mentions=[mention(s, "accuracy", "Metric"), mention(s, "ResNet-18", "Model")])
    assert [(r.value, r.baseline) for r in results] == [(94.1, None), (2.1, "ResNet-18")]
    s = "FooQ retains 97% of the accuracy of BERT-base."
    results = find_results(s, mentions=[mention(s, "accuracy", "Metric"), mention(s, "BERT-base", "Model")])
    assert [(r.value, r.baseline) for r in results] == [(97, "BERT-base")]


def test_outperforming_on_a_lower_is_better_score_is_a_decrease(mention):
    s = "FooQ outperforms SparseGPT by 1.1 in perplexity."
    mentions = [mention(s, "FooQ", "Method"), mention(s, "SparseGPT", "Method"), mention(s, "perplexity", "Metric")]
    (result,) = find_results(s, mentions=mentions)
    assert (result.metric, result.direction, result.gain, result.baseline) == ("perplexity", "decrease", True, "SparseGPT")


@pytest.mark.parametrize("s", ["FooQ reduces time to first token by 58%.", "With FooQ, time to first token drops by 58%."])
def test_a_measure_name_with_a_stop_word_inside_is_read_whole(s, mention):
    (result,) = find_results(s, mentions=[mention(s, "time to first token", "Metric")])
    assert (result.metric, result.direction, result.gain) == ("time to first token", "decrease", True)


def test_the_measure_named_after_the_next_and_is_the_next_claims(mention):
    s = "It improves over QuaRot by 2.7 points, and narrows the perplexity gap."
    (result,) = find_results(s, mentions=[mention(s, "QuaRot", "Method"), mention(s, "perplexity", "Metric")])
    assert result.metric is None


def test_what_follows_within_a_share_of_is_compared_with_not_measured(mention):
    s = "FP8 runs reach a validation loss within 0.3% of BF16."
    (result,) = find_results(s, mentions=[mention(s, "validation loss", "Metric")])
    assert result.metric == "validation loss"


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("On the Pixel 8, it decodes at 9.8 tokens/s.", "decoding speed"),
        ("A 4-step sample takes 0.31 s on one GPU.", "latency"),
        ("It reaches 55.1 on LongVideoBench.", "score"),
        ("It cuts time to first token to 120 ms.", "time to first token"),
    ],
)
def test_a_number_whose_measure_is_not_named_measures_what_its_unit_does(sentence, metric, mention):
    named = [("time to first token", "Metric"), ("LongVideoBench", "Dataset")]
    mentions = [mention(sentence, name, label) for name, label in named if name in sentence]
    (result,) = find_results(sentence, mentions=mentions)
    assert result.metric == metric


@pytest.mark.parametrize(
    ("sentence", "direction", "gain"),
    [
        ("Training throughput is 1.4x that of BarFormer at 8K context.", "increase", True),
        ("It processes 2,540 images/s, 19.7x the throughput of the teacher.", "increase", True),
        ("Its latency is 0.6x that of BarFormer.", "decrease", True),
    ],
)
def test_a_multiple_of_anothers_measure_says_which_way_it_moved(sentence, direction, gain, mention):
    named = [("throughput", "Metric"), ("latency", "Metric"), ("BarFormer", "Method")]
    mentions = [mention(sentence, name, label, last=True) for name, label in named if name in sentence]
    (result,) = [r for r in find_results(sentence, mentions=mentions) if r.unit == "x"]
    assert (result.direction, result.gain) == (direction, gain)


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("FooVid generates 10 s videos at 24 fps.", None),
        ("It prefills at 5000 tokens/s.", "prefill speed"),
        ("It fine-tunes the model at 312 tokens/s.", "throughput"),
    ],
)
def test_a_unit_names_a_measure_only_where_the_words_say_so(sentence, metric):
    assert find_results(sentence)[0].metric == metric


def test_a_devices_memory_size_is_not_a_result():
    s = "Peak memory drops to 22 GB, enabling fine-tuning on a single 24 GB GPU or two 80GB A100 GPUs."
    assert [(r.value, r.unit) for r in find_results(s)] == [(22, "GB")]


def test_a_score_changed_from_a_to_b_on_a_benchmark_is_read(mention):
    s = "FooQ reduces perplexity on WikiText-2 from 5.47 to 5.12."
    mentions = [mention(s, "perplexity", "Metric"), mention(s, "WikiText-2", "Dataset")]
    results = find_results(s, mentions=mentions)
    assert [(r.value, r.metric, r.direction, r.gain, r.dataset) for r in results][-1] == (
        5.12, "perplexity", "decrease", True, "WikiText-2"
    )


def test_results_written_units_and_context(mention):
    s = "Training takes 16 hours on an A100-40GB GPU and uses 24 GB of memory on ImageNet with Llama-2-7B."
    mentions = [mention(s, "A100-40GB GPU", "Hardware"), mention(s, "ImageNet", "Dataset"), mention(s, "Llama-2-7B", "Model")]
    results = find_results(s, mentions=mentions, inside_names=[(m.start, m.end) for m in mentions])
    assert [(r.value, r.unit) for r in results] == [(16, "hours"), (24, "GB")]
    assert {r.hardware for r in results} == {"A100-40GB GPU"}
    assert {r.dataset for r in results} == {"ImageNet"}


def test_results_skip_numbers_inside_names_and_bare_numbers(mention):
    s = "We evaluate Llama-2-7B on 3 benchmarks in 2023."
    m = mention(s, "Llama-2-7B", "Model")
    assert find_results(s, mentions=[m], inside_names=[(m.start, m.end)]) == []


def test_results_each_clause_keeps_its_own_direction_and_comparison(claims):
    s = "PASER outperforms conventional baselines, effectively recovering capabilities while utilizing merely 4%-20% of the post-training data."
    assert [(v, m, b) for v, m, _, b, *_ in claims(s)] == [(4, "post-training data", None), (20, "post-training data", None)]
    s = "It improves the accuracy by 2.7% compared to the E2E model on ImageNet, while saving the training cost by 43%."
    assert [(v, d, b, ds) for v, _, d, b, _, ds in claims(s, ImageNet="Dataset")] == [
        (2.7, "increase", "E2E model", "ImageNet"),
        (43, "decrease", "E2E model", "ImageNet"),
    ]


def test_results_a_minus_after_a_space_is_a_sign():
    assert [(r.value, r.unit) for r in find_results("GPT-4 at 3x and Llama-2 at -1.5% accuracy")] == [(3, "x"), (-1.5, "%")]


def test_results_direction_from_the_claims_own_words_then_its_clause():
    s = "Our kernels reach a 1.56x speedup and a 1.9x memory reduction for OPT-175B."
    assert [r.direction for r in find_results(s)] == ["increase", "decrease"]
    s = "It reduces complexity by 73% in inference time, 78% in computation, and 74% in parameters."
    assert [r.direction for r in find_results(s)] == ["decrease"] * 3
    s = "MoE-Prune removes 25% of the experts and trails the dense model by only 1.4 points."
    assert [r.direction for r in find_results(s)] == ["decrease", "decrease"]


def test_results_a_score_without_a_unit_counts_where_a_measure_names_it(claims):
    s = "It reaches a WikiText-2 perplexity of 5.72, while its FID rises by only 0.3 over 12 runs in 2024."
    assert [(v, m, d) for v, m, d, *_ in claims(s, perplexity="Metric", FID="Metric")] == [
        (5.72, "perplexity", None),
        (0.3, "FID", "increase"),
    ]
    s = "Apollo-3B scores an impressive 55.1 on LongVideoBench across 3 benchmarks."
    assert [(v, m) for v, m, *_ in claims(s, LongVideoBench="Dataset")] == [(55.1, "score")]
    # a count is not a score, nor is a number glued to its unit or inside a measure's name
    s = "It accepts 3.4 tokens per step and serves 2,400 requests per minute."
    assert claims(s) == []
    s = "It improves pass@1 pass@10 and top-1 accuracy."
    assert claims(s, **{"pass@1": "Metric", "pass@10": "Metric", "top-1 accuracy": "Metric"}) == []


def test_results_a_score_set_above_or_below_another_is_a_change(claims):
    s = "It reaches a perplexity of 15.21, 0.35 lower than GaLore and 0.19 above full-rank Adam."
    assert [(v, m, d) for v, m, d, *_ in claims(s, perplexity="Metric", GaLore="Method")] == [
        (15.21, "perplexity", None),
        (0.35, "perplexity", "decrease"),
        (0.19, "perplexity", "increase"),
    ]
    s = "PareSeg yields 1.8 and 0.9 higher mIoU than DepGraph and ToMe, respectively."
    assert [(v, m, d, b) for v, m, d, b, *_ in claims(s, mIoU="Metric", DepGraph="Method", ToMe="Method")] == [
        (1.8, "mIoU", "increase", "DepGraph"),
        (0.9, "mIoU", "increase", "ToMe"),
    ]
    # without a measure near, a number before "higher" is not a score
    assert claims("Batch 4 and 8 higher than before.") == []


def test_results_the_value_reached_and_the_paper_own_value_are_the_claims(claims):
    s = "It raises throughput by 1.6x and cuts FLOPs from 4.6 GFLOPs to 2.9 GFLOPs, ranging from 2x to 3x faster."
    assert [(v, d) for v, _, d, *_ in claims(s, throughput="Metric", FLOPs="Metric")] == [
        (1.6, "increase"),
        (2.9, "decrease"),
        (2, "increase"),
        (3, "increase"),
    ]
    s = "It is faster than YOLOv8-S (2.1 ms vs. 2.6 ms)."
    assert [v for v, *_ in claims(s)] == [2.1]


def test_results_signs_ranges_and_directions_read_from_whole_words(claims):
    # a range's dash is not a minus; a minus at the start of a sentence is
    assert [v for v, *_ in claims("It is 3 - 5x faster than FlashAttention.")] == [3, 5]
    assert [v for v, *_ in claims("-0.3% accuracy on ImageNet.")] == [-0.3]
    # "execution" holds no "cut", "against" no "gain"
    assert [d for _, _, d, *_ in claims("It improves execution speed by 2x.")] == ["increase"]
    assert [d for _, _, d, *_ in claims("Accuracy stays within 2% against the teacher.")] == [None]


def test_results_a_baselines_value_and_a_starting_value_are_not_claims(claims):
    # the unit written once after the baseline's number is the claim's too
    assert [(v, m) for v, m, *_ in claims("Our model gets 46.9 vs. 44.9 AP.")] == [(46.9, "AP")]
    assert [v for v, *_ in claims("It runs in 2.1 ms vs. 2.6 ms for YOLOv8-S.")] == [2.1]
    s = "The perplexity of 5.8 → 5.72 on WikiText-2."
    assert [(v, m) for v, m, *_ in claims(s, perplexity="Metric")] == [(5.72, "perplexity")]
    # LaTeX writes the percent sign \%
    assert [b for *_, b, _, _ in claims("Its accuracy is within 1\\% of the teacher.")] == ["teacher"]


def test_results_a_verb_of_change_ends_the_measure_read_backwards(claims):
    s = "Its word error rate on LibriSpeech test-clean rises by only 0.3% absolute."
    read = claims(s, **{"word error rate": "Metric", "LibriSpeech test-clean": "Dataset"})
    assert [(v, m, d) for v, m, d, *_ in read] == [(0.3, "word error rate", "increase")]


def test_results_a_better_score_of_a_lower_is_better_measure_is_a_decrease(claims):
    s = "It improves perplexity by more than 10% and accuracy by 2%, with an FID degradation of only 0.3."
    read = claims(s, perplexity="Metric", accuracy="Metric", FID="Metric")
    assert [(v, m, d) for v, m, d, *_ in read] == [
        (10, "perplexity", "decrease"),
        (2, "accuracy", "increase"),
        (0.3, "FID", "increase"),
    ]
    # LaTeX's arrow, its backslash lost: the value reached
    s = "It beats the previous best by a wide margin (37.2 rightarrow 23.3 in FID)."
    assert [v for v, *_ in claims(s, FID="Metric")] == [23.3]


def test_results_smaller_names_the_size_and_an_exponent_is_not_a_number(claims):
    assert [(v, m) for v, m, *_ in claims("SqueezeSAM is 50x faster and 100x smaller than SAM.")] == [
        (50, "speedup"),
        (100, "model size"),
    ]
    assert claims("Conventional NAS needs about 10^4 GPU hours.") == []


def test_results_a_gain_is_told_from_a_cost(mention):
    s = "On Llama-2-7B, our method reduces memory by 40%, at the cost of a 0.12 increase in WikiText-2 perplexity."
    read = find_results(s, mentions=[mention(s, "memory", "Metric"), mention(s, "perplexity", "Metric")])
    assert [(r.value, r.metric, r.direction, r.gain) for r in read] == [
        (40, "memory", "decrease", True),
        (0.12, "perplexity", "increase", False),
    ]
    # "at a cost of" opens the next claim: it does not turn the throughput gain into a decrease
    s = "TokenMerge reduces FLOPs by 2x and boosts throughput by 1.9x at a cost of 0.3% top-1 accuracy."
    read = find_results(s, mentions=[mention(s, m, "Metric") for m in ("FLOPs", "throughput", "top-1 accuracy")])
    assert [(r.value, r.direction, r.gain) for r in read] == [
        (2, "decrease", True),
        (1.9, "increase", True),
        (0.3, "decrease", False),
    ]
    # a level is neither; losing points is a decrease
    s = "ThinPrune reaches 71.2% accuracy and loses only 1.2 points of average zero-shot accuracy."
    read = find_results(s, mentions=[mention(s, "accuracy", "Metric"), mention(s, "average zero-shot accuracy", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(71.2, None, None), (1.2, "decrease", False)]


def test_results_from_a_to_b_says_which_way_when_no_word_does(mention):
    s = "With HyperTile, the end-to-end generation time of a 2048-pixel image on one RTX 3090 goes from 94 s to 31 s."
    read = find_results(s, mentions=[mention(s, "end-to-end generation time", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(31, "decrease", True)]
    s = "SLO attainment went from 71% to 96% and P99 latency 2.1 s -> 2.6 s."
    read = find_results(s, mentions=[mention(s, "SLO attainment", "Metric"), mention(s, "P99 latency", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(96, "increase", True), (2.6, "increase", False)]


def test_results_a_gap_within_another_models_score_is_on_the_worse_side(every_mention, claims):
    s = "Ferrule obtains 27.9 BLEU, within 0.4 and 0.3 BLEU of the teacher."
    results = find_results(s, mentions=every_mention(s, BLEU="Metric"))
    assert [(r.value, r.direction, r.gain, r.baseline) for r in results] == [
        (27.9, None, None, None),
        (0.4, "decrease", False, "teacher"),
        (0.3, "decrease", False, "teacher"),
    ]
    # "within" a memory size is a budget, not a gap
    s = "Training fits within 16 GB of memory."
    assert [(v, d) for v, _, d, *_ in claims(s)] == [(16, None)]


def test_results_a_load_a_system_is_measured_under_is_not_a_result():
    s = "P99 latency falls by 61% at 4 requests per second, and it sustains 3.2 requests per second."
    assert [(r.value, r.unit) for r in find_results(s)] == [(61, "%"), (3.2, "requests per second")]


@pytest.mark.parametrize(
    ("sentence", "measures"),
    [
        # a unit says what an unnamed number measures
        ("The decoder answers in 4.7 ms on a phone.", ["latency"]),
        ("MossSR consumes 1.3 W against 2.9 W for SwinIR-light.", ["power", "power"]),
        ("It obtains 32.31 dB on Set5.", ["PSNR"]),
        # words no one measures by are not a measure
        ("Accuracy on MMLU differs by at most 2.7 points across back-ends.", [None]),
        ("It trails by 4.7 points at the same token budget.", [None]),
    ],
)
def test_results_a_measure_is_named_by_measure_words_or_the_unit(sentence, measures):
    assert [r.metric for r in find_results(sentence)] == measures


def test_results_points_of_a_measure_and_comparisons_after_the_number(every_mention):
    s = "TinyDet-N outperforms YOLOv8-n by 1.9 AP points and by 4.1 absolute AP over YOLOv5-n."
    assert [(r.value, r.unit, r.metric) for r in find_results(s)] == [(1.9, "points", "AP"), (4.1, "AP", "AP")]
    # after a number "more than" compares; before one it qualifies ("more than 4x")
    s = "It keeps 98.1% of the full-cache score, 6.7 points more than H2O, at more than 4x less memory."
    read = [(r.value, r.direction, r.baseline) for r in find_results(s, mentions=every_mention(s, H2O="Method"))]
    assert read[1] == (6.7, "increase", "H2O")
    # the next change of a pair: "by 3.4 over A and by 1.2 over B"
    s = "PebbleSAM improves mAP on COCO by 3.4 over MobileSAM and by 1.2 over EfficientSAM-Ti."
    mentions = every_mention(s, mAP="Metric", MobileSAM="Model", **{"EfficientSAM-Ti": "Model"})
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)] == [(3.4, "MobileSAM"), (1.2, "EfficientSAM-Ti")]
