from __future__ import annotations

import pytest

from kg.extract.results import find_results
from kg.records import Mention


def _mention(sentence: str, text: str, label: str, *, last: bool = False) -> Mention:
    start = sentence.rindex(text) if last else sentence.index(text)
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


def test_results_both_ends_of_a_dashed_range_measure_what_the_range_does():
    # the high end's own neighbourhood names another measure ("TTFT"), but a range measures one thing
    s = "We demonstrate relative accuracy improvements in the range of 15%-50% across a range of TTFT budgets."
    mentions = [_mention(s, "accuracy", "Metric"), _mention(s, "TTFT", "Metric")]
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


def test_a_named_measure_just_before_the_verb_is_its_subject():
    s = "Its word error rate on LibriSpeech test-clean rises by only 0.3% absolute."
    (result,) = find_results(s, mentions=[_mention(s, "word error rate", "Metric")])
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


def test_a_level_is_not_compared_with_the_sentences_baseline_but_a_share_is():
    s = "FooQ reaches 94.1% accuracy, 2.1% higher than ResNet-18."
    results = find_results(s, mentions=[_mention(s, "accuracy", "Metric"), _mention(s, "ResNet-18", "Model")])
    assert [(r.value, r.baseline) for r in results] == [(94.1, None), (2.1, "ResNet-18")]
    s = "FooQ retains 97% of the accuracy of BERT-base."
    results = find_results(s, mentions=[_mention(s, "accuracy", "Metric"), _mention(s, "BERT-base", "Model")])
    assert [(r.value, r.baseline) for r in results] == [(97, "BERT-base")]


def test_outperforming_on_a_lower_is_better_score_is_a_decrease():
    s = "FooQ outperforms SparseGPT by 1.1 in perplexity."
    mentions = [_mention(s, "FooQ", "Method"), _mention(s, "SparseGPT", "Method"), _mention(s, "perplexity", "Metric")]
    (result,) = find_results(s, mentions=mentions)
    assert (result.metric, result.direction, result.gain, result.baseline) == ("perplexity", "decrease", True, "SparseGPT")


@pytest.mark.parametrize("s", ["FooQ reduces time to first token by 58%.", "With FooQ, time to first token drops by 58%."])
def test_a_measure_name_with_a_stop_word_inside_is_read_whole(s):
    (result,) = find_results(s, mentions=[_mention(s, "time to first token", "Metric")])
    assert (result.metric, result.direction, result.gain) == ("time to first token", "decrease", True)


def test_the_measure_named_after_the_next_and_is_the_next_claims():
    s = "It improves over QuaRot by 2.7 points, and narrows the perplexity gap."
    (result,) = find_results(s, mentions=[_mention(s, "QuaRot", "Method"), _mention(s, "perplexity", "Metric")])
    assert result.metric is None


def test_what_follows_within_a_share_of_is_compared_with_not_measured():
    s = "FP8 runs reach a validation loss within 0.3% of BF16."
    (result,) = find_results(s, mentions=[_mention(s, "validation loss", "Metric")])
    assert result.metric == "validation loss"


def test_a_baseline_phrase_ends_at_its_verb():
    s = "The speedup of our kernel over cuBLAS is 1.2x on average."
    (result,) = find_results(s, mentions=[_mention(s, "cuBLAS", "Method")])
    assert result.baseline == "cuBLAS"


@pytest.mark.parametrize(
    ("sentence", "baseline"),
    [
        ("Its acceptance length is 30% longer than that of EAGLE.", "EAGLE"),
        ("It gains 1.9% over standard logit distillation without any inference overhead.", "standard logit distillation"),
    ],
)
def test_a_baseline_phrase_drops_that_of_and_ends_before_without(sentence, baseline):
    (result,) = find_results(sentence)
    assert result.baseline == baseline


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        # a gap above or below another's score
        ("FooQ is 2.6 and 1.9 points above BarViT at the same precision.", ["BarViT"], [(2.6, "BarViT"), (1.9, "BarViT")]),
        ("The student scores 0.4 points below the teacher.", [], [(0.4, "teacher")]),
        ("The loss plateaus 0.31 nats above the BF16 baseline.", [], [(0.31, "BF16 baseline")]),
        ("It is 0.06 dB and 0.29 dB below BarSR respectively.", ["BarSR"], [(0.06, "BarSR"), (0.29, "BarSR")]),
        # a share of a model's own, dense or full-precision self
        ("FooQ keeps 94% of the dense model's average accuracy.", [], [(94, "dense model")]),
        ("FooQ retains 96.1% of the FP16 average zero-shot accuracy.", [], [(96.1, "FP16")]),
        ("FooQ retains 98.7% of full-cache accuracy.", [], [(98.7, "full-cache")]),
        ("FooQ trains on 30% of the full training set.", [], [(30, None)]),
        ("Scores stay within 1% of dense attention.", [], [(1, "dense attention")]),
        ("FooQ stays within 6% of the throughput of BarServe.", ["BarServe"], [(6, "BarServe")]),
        ("Decoding reaches 3.8 times the throughput of a CPU-only baseline.", [], [(3.8, "CPU-only baseline")]),
        # verbs that compare
        ("Its average score exceeds that of BarLoRA by 0.5 points.", ["BarLoRA"], [(0.5, "BarLoRA")]),
        ("The student trails BarGPT by 17.4 points of pass@1.", ["BarGPT"], [(17.4, "BarGPT")]),
        ("Prefix tuning lags BarLoRA by 3 to 5 points.", ["BarLoRA"], [(3, "BarLoRA"), (5, "BarLoRA")]),
        ("FooDiff reaches a 58% win rate against BarCache.", ["BarCache"], [(58, "BarCache")]),
        # a level set beside another's level is not a change against it
        ("FooNet reaches 9.12 points versus 9.31 points for BarFormer.", ["BarFormer"], [(9.12, None)]),
    ],
)
def test_what_a_gap_a_share_or_a_comparing_verb_is_measured_against(sentence, names, expected):
    mentions = [_mention(sentence, name, "Method") for name in names]
    assert [(r.value, r.baseline) for r in find_results(sentence, mentions=mentions)] == expected


def test_a_reference_keeps_its_measures_benchmark_free_for_the_claim():
    s = "FooQ stays within 10% of the FP16 MT-Bench score at 2 bits."
    results = find_results(s, mentions=[_mention(s, "MT-Bench", "Dataset")])
    assert [(r.value, r.baseline, r.dataset) for r in results if r.unit == "%"] == [(10, "FP16", "MT-Bench")]


@pytest.mark.parametrize(
    ("sentence", "models", "expected"),
    [
        ("It attains 79.1% accuracy for Quill-S and 81.0% for Quill-L.", ["Quill-S", "Quill-L"], ["Quill-S", "Quill-L"]),
        (
            "Wren-13B decodes with a 3.9x speedup, and a 3.1x speedup for Wren-70B.",
            ["Wren-13B", "Wren-70B"],
            ["Wren-13B", "Wren-70B"],
        ),
        ("Serving Wren-7B, it reaches 48.3 tokens/s for the 3.9B Tern model.", ["Wren-7B", "Tern"], ["Tern"]),
    ],
)
def test_a_number_said_to_be_for_a_model_is_about_that_model(sentence, models, expected):
    mentions = [_mention(sentence, name, "Model") for name in models]
    assert [r.model for r in find_results(sentence, mentions=mentions)] == expected


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("On the Pixel 8, it decodes at 9.8 tokens/s.", "decoding speed"),
        ("A 4-step sample takes 0.31 s on one GPU.", "latency"),
        ("It reaches 55.1 on LongVideoBench.", "score"),
        ("It cuts time to first token to 120 ms.", "time to first token"),
    ],
)
def test_a_number_whose_measure_is_not_named_measures_what_its_unit_does(sentence, metric):
    named = [("time to first token", "Metric"), ("LongVideoBench", "Dataset")]
    mentions = [_mention(sentence, name, label) for name, label in named if name in sentence]
    (result,) = find_results(sentence, mentions=mentions)
    assert result.metric == metric


def test_a_claim_is_measured_on_the_chip_not_the_link_or_disk_beside_it():
    s = "Training on 128 NVIDIA A100 GPUs connected by InfiniBand, FooPipe improves throughput by 1.62x."
    mentions = [_mention(s, "NVIDIA A100 GPUs", "Hardware"), _mention(s, "InfiniBand", "Hardware")]
    assert [r.hardware for r in find_results(s, mentions=mentions)] == ["NVIDIA A100 GPUs"]
    s = "On InfiniBand, FooPipe moves gradients 1.3x faster."  # named alone, the link is what was measured
    assert [r.hardware for r in find_results(s, mentions=[_mention(s, "InfiniBand", "Hardware")])] == ["InfiniBand"]


@pytest.mark.parametrize(
    ("sentence", "direction", "gain"),
    [
        ("Training throughput is 1.4x that of BarFormer at 8K context.", "increase", True),
        ("It processes 2,540 images/s, 19.7x the throughput of the teacher.", "increase", True),
        ("Its latency is 0.6x that of BarFormer.", "decrease", True),
    ],
)
def test_a_multiple_of_anothers_measure_says_which_way_it_moved(sentence, direction, gain):
    named = [("throughput", "Metric"), ("latency", "Metric"), ("BarFormer", "Method")]
    mentions = [_mention(sentence, name, label, last=True) for name, label in named if name in sentence]
    (result,) = [r for r in find_results(sentence, mentions=mentions) if r.unit == "x"]
    assert (result.direction, result.gain) == (direction, gain)


def test_a_claim_that_goes_on_with_and_by_keeps_its_verb_and_compares_with_its_own_name():
    s = "FooSAM improves mAP by 3.4 over BarSAM and by 1.2 over BazSAM, and stays within 1.5 mIoU of the original QuxSAM."
    names = [("mAP", "Metric"), ("mIoU", "Metric"), ("BarSAM", "Model"), ("BazSAM", "Model"), ("QuxSAM", "Model")]
    results = find_results(s, mentions=[_mention(s, name, label) for name, label in names])
    assert [(r.value, r.direction, r.baseline) for r in results] == [
        (3.4, "increase", "BarSAM"),
        (1.2, "increase", "BazSAM"),
        (1.5, "decrease", "original QuxSAM"),
    ]


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        # verbs that are also nouns compare nothing
        ("FooNet reduces straggler lag by 30%.", [], [(30, None)]),
        ("FooBeat improves beat tracking F1 by 3.1 points.", [], [(3.1, None)]),
        ("The student exceeds the teacher's accuracy of 80.1% on ImageNet.", [], [(80.1, None)]),
        # "against" an attack is no comparison; a bare "full" is no reference
        ("FooGuard reaches 62.1% robust accuracy against AutoAttack.", [], [(62.1, None)]),
        ("FooNet achieves 45% of the full fine-tuning performance.", [], [(45, None)]),
        ("FooNet lags 2 points behind BarGPT on MMLU.", ["BarGPT"], [(2, "BarGPT")]),
    ],
)
def test_what_is_not_a_baseline(sentence, names, expected):
    mentions = [_mention(sentence, name, "Model") for name in names]
    assert [(r.value, r.baseline) for r in find_results(sentence, mentions=mentions)] == expected


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


def test_a_verb_after_for_is_not_a_models_name():
    s = "FooLM needs 10x fewer tokens for distilling BarGPT."
    results = find_results(s, mentions=[_mention(s, "FooLM", "Model"), _mention(s, "BarGPT", "Model")])
    assert [r.model for r in results] == ["FooLM"]


def test_a_chip_named_with_its_pcie_form_is_a_device():
    s = "FooNet is 2x faster on 8 NVIDIA A100 PCIe GPUs connected by NVLink."
    mentions = [_mention(s, "NVIDIA A100 PCIe GPUs", "Hardware"), _mention(s, "NVLink", "Hardware")]
    assert [r.hardware for r in find_results(s, mentions=mentions)] == ["NVIDIA A100 PCIe GPUs"]


def test_a_devices_memory_size_is_not_a_result():
    s = "Peak memory drops to 22 GB, enabling fine-tuning on a single 24 GB GPU or two 80GB A100 GPUs."
    assert [(r.value, r.unit) for r in find_results(s)] == [(22, "GB")]


def test_each_claim_takes_the_benchmark_and_hardware_in_its_own_words():
    s = "It improves accuracy on HumanEval by 4.7% and on MBPP by 3.9%, and is 1.45x faster on H100 and 1.28x faster on A100."
    mentions = [_mention(s, name, label) for name, label in
                (("HumanEval", "Dataset"), ("MBPP", "Dataset"), ("H100", "Hardware"), ("A100", "Hardware"))]
    results = find_results(s, mentions=mentions)
    assert [(r.value, r.dataset) for r in results[:2]] == [(4.7, "HumanEval"), (3.9, "MBPP")]
    assert [(r.value, r.hardware) for r in results[2:]] == [(1.45, "H100"), (1.28, "A100")]


def test_a_score_changed_from_a_to_b_on_a_benchmark_is_read():
    s = "FooQ reduces perplexity on WikiText-2 from 5.47 to 5.12."
    mentions = [_mention(s, "perplexity", "Metric"), _mention(s, "WikiText-2", "Dataset")]
    results = find_results(s, mentions=mentions)
    assert [(r.value, r.metric, r.direction, r.gain, r.dataset) for r in results][-1] == (
        5.12, "perplexity", "decrease", True, "WikiText-2"
    )


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




def _read(sentence: str, **labelled: str) -> list[tuple]:
    """(value, metric, direction, baseline, model, dataset) of each result; mentions given as text=label."""
    mentions = [_mention(sentence, text.replace("_", " "), label) for text, label in labelled.items()]
    return [(r.value, r.metric, r.direction, r.baseline, r.model, r.dataset) for r in find_results(sentence, mentions=mentions)]


def test_results_each_clause_keeps_its_own_direction_and_comparison():
    s = "PASER outperforms conventional baselines, effectively recovering capabilities while utilizing merely 4%-20% of the post-training data."
    assert [(v, m, b) for v, m, _, b, *_ in _read(s)] == [(4, "post-training data", None), (20, "post-training data", None)]
    s = "It improves the accuracy by 2.7% compared to the E2E model on ImageNet, while saving the training cost by 43%."
    assert [(v, d, b, ds) for v, _, d, b, _, ds in _read(s, ImageNet="Dataset")] == [
        (2.7, "increase", "E2E model", "ImageNet"),
        (43, "decrease", "E2E model", "ImageNet"),
    ]


def test_results_respectively_pairs_names_with_numbers_in_order():
    s = "LinGen gets a 50.5%, 52.1%, 49.1% win rate with respect to Gen-3, LumaLabs, and Kling, respectively."
    assert [b for _, _, _, b, *_ in _read(s, **{"Gen-3": "Model", "LumaLabs": "Model", "Kling": "Model"})] == ["Gen-3", "LumaLabs", "Kling"]
    s = "Compressed CodeBERT and GraphCodeBERT are 4.31 times and 4.15 times faster than the original model, respectively."
    assert [(m, model) for _, m, _, _, model, _ in _read(s, CodeBERT="Model", GraphCodeBERT="Model")] == [
        ("speedup", "CodeBERT"),
        ("speedup", "GraphCodeBERT"),
    ]


def test_results_the_compared_model_is_the_baseline_not_the_model():
    s = "SqueezeSAM is 50x faster and 100x smaller than SAM."
    mentions = [_mention(s, "SqueezeSAM", "Model"), _mention(s, "SAM", "Model", last=True)]
    assert [(r.baseline, r.model) for r in find_results(s, mentions=mentions)] == [("SAM", "SqueezeSAM")] * 2
    s = "It is 6x smaller than the previous state-of-the-art architecture AmoebaNet-B."
    assert [b for _, _, _, b, *_ in _read(s, **{"AmoebaNet-B": "Model"})] == ["AmoebaNet-B"]


def test_results_a_minus_after_a_space_is_a_sign():
    assert [(r.value, r.unit) for r in find_results("GPT-4 at 3x and Llama-2 at -1.5% accuracy")] == [(3, "x"), (-1.5, "%")]


def test_results_each_number_takes_the_comparison_nearest_it():
    s = "PagedServe gives a 23x improvement over HuggingFace Transformers and 1.7x over vLLM."
    assert [r.baseline for r in find_results(s)] == ["HuggingFace Transformers", "vLLM"]
    s = "It gets a 3.5% absolute improvement over Sheared-LLaMA-1.3B."  # a dot inside a name
    assert [r.baseline for r in find_results(s)] == ["Sheared-LLaMA-1.3B"]
    s = "It is 4x faster relative to the original ViT and 2x faster than the baseline model Swin-T."
    mentions = [_mention(s, "ViT", "Model"), _mention(s, "Swin-T", "Model")]
    assert [r.baseline for r in find_results(s, mentions=mentions)] == ["original ViT", "Swin-T"]


def test_results_direction_from_the_claims_own_words_then_its_clause():
    s = "Our kernels reach a 1.56x speedup and a 1.9x memory reduction for OPT-175B."
    assert [r.direction for r in find_results(s)] == ["increase", "decrease"]
    s = "It reduces complexity by 73% in inference time, 78% in computation, and 74% in parameters."
    assert [r.direction for r in find_results(s)] == ["decrease"] * 3
    s = "MoE-Prune removes 25% of the experts and trails the dense model by only 1.4 points."
    assert [r.direction for r in find_results(s)] == ["decrease", "decrease"]


def test_results_a_share_of_another_models_measure_names_it_as_baseline():
    s = "With only 12% of the FLOPs of ResNet-50, MicroNet-M attains 71.6% top-1 accuracy."
    read = _read(s, FLOPs="Metric", **{"top-1 accuracy": "Metric", "ResNet-50": "Model"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(12, "decrease", "ResNet-50"), (71.6, None, None)]
    s = "The student runs 5.8x faster with a word error rate within 1% of the teacher."
    read = _read(s, **{"word error rate": "Metric"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(5.8, "increase", None), (1, "increase", "teacher")]
    # a share of the sample or of the layer is not a comparison with another model
    s = "Training on 10% of the samples of each class keeps 95% accuracy."
    assert [b for *_, b, _, _ in _read(s)] == [None, None]


def test_results_a_share_of_its_measure_refers_back_to_the_compared_model():
    s = "EffiViT-S improves top-1 accuracy by 1.2% over DeiT-S while using only 62% of its FLOPs."
    read = _read(s, FLOPs="Metric", **{"top-1 accuracy": "Metric", "DeiT-S": "Model"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(1.2, "increase", "DeiT-S"), (62, "decrease", "DeiT-S")]
    # a share kept is a level, not a change; "yet" starts another claim
    s = "The student has 3x fewer parameters than BERT-base yet retains 97% of its performance."
    assert [(v, d, b) for v, _, d, b, *_ in _read(s, **{"BERT-base": "Model"})] == [
        (3, "decrease", "BERT-base"),
        (97, None, "BERT-base"),
    ]


def test_results_a_score_without_a_unit_counts_where_a_measure_names_it():
    s = "It reaches a WikiText-2 perplexity of 5.72, while its FID rises by only 0.3 over 12 runs in 2024."
    assert [(v, m, d) for v, m, d, *_ in _read(s, perplexity="Metric", FID="Metric")] == [
        (5.72, "perplexity", None),
        (0.3, "FID", "increase"),
    ]
    s = "Apollo-3B scores an impressive 55.1 on LongVideoBench across 3 benchmarks."
    assert [(v, m) for v, m, *_ in _read(s, LongVideoBench="Dataset")] == [(55.1, "score")]
    # a count is not a score, nor is a number glued to its unit or inside a measure's name
    s = "It accepts 3.4 tokens per step and serves 2,400 requests per minute."
    assert _read(s) == []
    s = "It improves pass@1 pass@10 and top-1 accuracy."
    assert _read(s, **{"pass@1": "Metric", "pass@10": "Metric", "top-1 accuracy": "Metric"}) == []


def test_results_a_score_set_above_or_below_another_is_a_change():
    s = "It reaches a perplexity of 15.21, 0.35 lower than GaLore and 0.19 above full-rank Adam."
    assert [(v, m, d) for v, m, d, *_ in _read(s, perplexity="Metric", GaLore="Method")] == [
        (15.21, "perplexity", None),
        (0.35, "perplexity", "decrease"),
        (0.19, "perplexity", "increase"),
    ]
    s = "PareSeg yields 1.8 and 0.9 higher mIoU than DepGraph and ToMe, respectively."
    assert [(v, m, d, b) for v, m, d, b, *_ in _read(s, mIoU="Metric", DepGraph="Method", ToMe="Method")] == [
        (1.8, "mIoU", "increase", "DepGraph"),
        (0.9, "mIoU", "increase", "ToMe"),
    ]
    # without a measure near, a number before "higher" is not a score
    assert _read("Batch 4 and 8 higher than before.") == []


def test_results_the_value_reached_and_the_paper_own_value_are_the_claims():
    s = "It raises throughput by 1.6x and cuts FLOPs from 4.6 GFLOPs to 2.9 GFLOPs, ranging from 2x to 3x faster."
    assert [(v, d) for v, _, d, *_ in _read(s, throughput="Metric", FLOPs="Metric")] == [
        (1.6, "increase"),
        (2.9, "decrease"),
        (2, "increase"),
        (3, "increase"),
    ]
    s = "It is faster than YOLOv8-S (2.1 ms vs. 2.6 ms)."
    assert [v for v, *_ in _read(s)] == [2.1]


def test_results_a_share_taken_from_a_model_is_about_that_model():
    s = "ExitWise prunes 43% of the layers of Llama-2-13B, improving its average zero-shot accuracy by 1.2%."
    read = _read(s, **{"Llama-2-13B": "Model", "zero-shot accuracy": "Metric"})
    assert [(v, m, b, model) for v, m, _, b, model, _ in read] == [
        (43, "layers", None, "Llama-2-13B"),
        (1.2, "average zero-shot accuracy", None, "Llama-2-13B"),
    ]


def test_results_reaching_or_keeping_another_models_measure_names_it():
    s = "It takes 41% less wall-clock time to reach the validation perplexity of the standard recipe."
    assert [b for *_, b, _, _ in _read(s)] == ["standard recipe"]
    s = "The student retains 97.1% of BERT-base's GLUE score and is 2.7% more accurate than DeiT-Ti trained longer."
    assert [b for *_, b, _, _ in _read(s, **{"BERT-base": "Model", "DeiT-Ti": "Model"})] == ["BERT-base", "DeiT-Ti"]


def test_results_signs_ranges_and_directions_read_from_whole_words():
    # a range's dash is not a minus; a minus at the start of a sentence is
    assert [v for v, *_ in _read("It is 3 - 5x faster than FlashAttention.")] == [3, 5]
    assert [v for v, *_ in _read("-0.3% accuracy on ImageNet.")] == [-0.3]
    # "execution" holds no "cut", "against" no "gain"
    assert [d for _, _, d, *_ in _read("It improves execution speed by 2x.")] == ["increase"]
    assert [d for _, _, d, *_ in _read("Accuracy stays within 2% against the teacher.")] == [None]


def test_results_a_baselines_value_and_a_starting_value_are_not_claims():
    # the unit written once after the baseline's number is the claim's too
    assert [(v, m) for v, m, *_ in _read("Our model gets 46.9 vs. 44.9 AP.")] == [(46.9, "AP")]
    assert [v for v, *_ in _read("It runs in 2.1 ms vs. 2.6 ms for YOLOv8-S.")] == [2.1]
    s = "The perplexity of 5.8 → 5.72 on WikiText-2."
    assert [(v, m) for v, m, *_ in _read(s, perplexity="Metric")] == [(5.72, "perplexity")]
    # LaTeX writes the percent sign \%
    assert [b for *_, b, _, _ in _read("Its accuracy is within 1\\% of the teacher.")] == ["teacher"]


def test_results_a_verb_of_change_ends_the_measure_read_backwards():
    s = "Its word error rate on LibriSpeech test-clean rises by only 0.3% absolute."
    read = _read(s, **{"word error rate": "Metric", "LibriSpeech test-clean": "Dataset"})
    assert [(v, m, d) for v, m, d, *_ in read] == [(0.3, "word error rate", "increase")]


def test_results_a_better_score_of_a_lower_is_better_measure_is_a_decrease():
    s = "It improves perplexity by more than 10% and accuracy by 2%, with an FID degradation of only 0.3."
    read = _read(s, perplexity="Metric", accuracy="Metric", FID="Metric")
    assert [(v, m, d) for v, m, d, *_ in read] == [
        (10, "perplexity", "decrease"),
        (2, "accuracy", "increase"),
        (0.3, "FID", "increase"),
    ]
    # LaTeX's arrow, its backslash lost: the value reached
    s = "It beats the previous best by a wide margin (37.2 rightarrow 23.3 in FID)."
    assert [v for v, *_ in _read(s, FID="Metric")] == [23.3]


def test_results_smaller_names_the_size_and_an_exponent_is_not_a_number():
    assert [(v, m) for v, m, *_ in _read("SqueezeSAM is 50x faster and 100x smaller than SAM.")] == [
        (50, "speedup"),
        (100, "model size"),
    ]
    assert _read("Conventional NAS needs about 10^4 GPU hours.") == []


def _datasets(sentence: str, names: dict[str, str]) -> list[tuple[float, str | None]]:
    mentions = [_mention(sentence, text, label) for text, label in names.items()]
    return [(r.value, r.dataset) for r in find_results(sentence, mentions=mentions)]


def test_results_a_cost_is_not_measured_on_the_benchmark_a_score_owns():
    s = "It cuts inference latency by 35% with a top-1 accuracy drop of just 0.4% on ImageNet."
    assert _datasets(s, {"latency": "Metric", "accuracy": "Metric", "ImageNet": "Dataset"}) == [
        (35, None),
        (0.4, "ImageNet"),
    ]
    s = "It shrinks the footprint from 26 GB to 4.1 GB with a WikiText-2 perplexity of 5.41."
    assert _datasets(s, {"perplexity": "Metric", "WikiText-2": "Dataset"}) == [(4.1, None), (5.41, "WikiText-2")]
    s = "Both preserve MMLU accuracy, but ours quantizes the model in 11 minutes."
    assert _datasets(s, {"accuracy": "Metric", "MMLU": "Dataset"}) == [(11, None)]


def test_results_a_cost_keeps_the_benchmark_it_was_measured_on():
    s = "DraftLine accelerates generation by 2.8x on HumanEval with no change in pass@1."
    assert _datasets(s, {"HumanEval": "Dataset", "pass@1": "Metric"}) == [(2.8, "HumanEval")]
    s = "On CamVid, it saves 67% computational cost and reaches 72.1% mIoU on CamVid."
    assert _datasets(s, {"computational cost": "Metric", "mIoU": "Metric", "CamVid": "Dataset"}) == [
        (67, "CamVid"),
        (72.1, "CamVid"),
    ]


def test_results_a_score_is_not_measured_on_hardware():
    s = "TinyDet-N reaches 38.4 AP on COCO with an inference speed of 112 FPS on a Jetson Orin."
    names = {"AP": "Metric", "inference speed": "Metric", "COCO": "Dataset", "Jetson Orin": "Hardware"}
    results = find_results(s, mentions=[_mention(s, text, label) for text, label in names.items()])
    assert [(r.value, r.hardware) for r in results] == [(38.4, None), (112, "Jetson Orin")]


def test_results_a_gain_is_told_from_a_cost():
    s = "On Llama-2-7B, our method reduces memory by 40%, at the cost of a 0.12 increase in WikiText-2 perplexity."
    read = find_results(s, mentions=[_mention(s, "memory", "Metric"), _mention(s, "perplexity", "Metric")])
    assert [(r.value, r.metric, r.direction, r.gain) for r in read] == [
        (40, "memory", "decrease", True),
        (0.12, "perplexity", "increase", False),
    ]
    # "at a cost of" opens the next claim: it does not turn the throughput gain into a decrease
    s = "TokenMerge reduces FLOPs by 2x and boosts throughput by 1.9x at a cost of 0.3% top-1 accuracy."
    read = find_results(s, mentions=[_mention(s, m, "Metric") for m in ("FLOPs", "throughput", "top-1 accuracy")])
    assert [(r.value, r.direction, r.gain) for r in read] == [
        (2, "decrease", True),
        (1.9, "increase", True),
        (0.3, "decrease", False),
    ]
    # a level is neither; losing points is a decrease
    s = "ThinPrune reaches 71.2% accuracy and loses only 1.2 points of average zero-shot accuracy."
    read = find_results(s, mentions=[_mention(s, "accuracy", "Metric"), _mention(s, "average zero-shot accuracy", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(71.2, None, None), (1.2, "decrease", False)]


def test_results_from_a_to_b_says_which_way_when_no_word_does():
    s = "With HyperTile, the end-to-end generation time of a 2048-pixel image on one RTX 3090 goes from 94 s to 31 s."
    read = find_results(s, mentions=[_mention(s, "end-to-end generation time", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(31, "decrease", True)]
    s = "SLO attainment went from 71% to 96% and P99 latency 2.1 s -> 2.6 s."
    read = find_results(s, mentions=[_mention(s, "SLO attainment", "Metric"), _mention(s, "P99 latency", "Metric")])
    assert [(r.value, r.direction, r.gain) for r in read] == [(96, "increase", True), (2.6, "increase", False)]


def _every(sentence: str, **labelled: str) -> list[Mention]:
    """A mention of each occurrence of each text."""
    mentions = []
    for text, label in labelled.items():
        start = sentence.find(text)
        while start >= 0:
            mentions.append(Mention(label, text, text, start, start + len(text), sentence))
            start = sentence.find(text, start + 1)
    return sorted(mentions, key=lambda m: m.start)


def test_results_a_gap_within_another_models_score_is_on_the_worse_side():
    s = "Ferrule obtains 27.9 BLEU, within 0.4 and 0.3 BLEU of the teacher."
    results = find_results(s, mentions=_every(s, BLEU="Metric"))
    assert [(r.value, r.direction, r.gain, r.baseline) for r in results] == [
        (27.9, None, None, None),
        (0.4, "decrease", False, "teacher"),
        (0.3, "decrease", False, "teacher"),
    ]
    # "within" a memory size is a budget, not a gap
    s = "Training fits within 16 GB of memory."
    assert [(v, d) for v, _, d, *_ in _read(s)] == [(16, None)]


def test_results_a_list_of_benchmarks_pairs_with_each_run_of_as_many_numbers():
    s = (
        "On arXiv and GovReport, SpanWeave reaches ROUGE-L scores of 41.2 and 49.8, improving over LED-large "
        "by 1.5 and 2.3 ROUGE-L, respectively, and it stays within 0.5 ROUGE-1 of PEGASUS-X on PubMed."
    )
    labels = {"arXiv": "Dataset", "GovReport": "Dataset", "PubMed": "Dataset", "ROUGE-L": "Metric", "ROUGE-1": "Metric"}
    mentions = _every(s, **labels, **{"LED-large": "Model", "PEGASUS-X": "Model"})
    read = [(r.value, r.dataset, r.baseline, r.model) for r in find_results(s, mentions=mentions)]
    assert read == [
        (41.2, "arXiv", None, None),
        (49.8, "GovReport", None, None),
        (1.5, "arXiv", "LED-large", None),
        (2.3, "GovReport", "LED-large", None),
        # ", and it ..." starts another claim: the model compared there is not the subject of those before
        (0.5, "PubMed", "PEGASUS-X", None),
    ]


@pytest.mark.parametrize(
    ("sentence", "baseline"),
    [
        ("It is 5.3x faster than a FAISS IVF-PQ index of the same recall.", "FAISS IVF-PQ index"),
        ("It improves J&F by 1.2 points over the original SAM 2 thanks to fewer distractor matches.", "original SAM 2"),
        ("It runs 1.6x faster than its dense counterpart.", "dense counterpart"),
        ("The student is 180x smaller compared with the teacher.", "teacher"),
        ("It is 1.5x faster than the corresponding Pythia baseline.", "Pythia baseline"),
        ("It is 1.7x faster than the latter.", None),
        ("It costs 124x less than $6.20 per task.", None),
    ],
)
def test_results_the_compared_one_is_named_without_what_qualifies_it(sentence, baseline):
    assert find_results(sentence)[0].baseline == baseline


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


def test_results_points_of_a_measure_and_comparisons_after_the_number():
    s = "TinyDet-N outperforms YOLOv8-n by 1.9 AP points and by 4.1 absolute AP over YOLOv5-n."
    assert [(r.value, r.unit, r.metric) for r in find_results(s)] == [(1.9, "points", "AP"), (4.1, "AP", "AP")]
    # after a number "more than" compares; before one it qualifies ("more than 4x")
    s = "It keeps 98.1% of the full-cache score, 6.7 points more than H2O, at more than 4x less memory."
    read = [(r.value, r.direction, r.baseline) for r in find_results(s, mentions=_every(s, H2O="Method"))]
    assert read[1] == (6.7, "increase", "H2O")
    # the next change of a pair: "by 3.4 over A and by 1.2 over B"
    s = "PebbleSAM improves mAP on COCO by 3.4 over MobileSAM and by 1.2 over EfficientSAM-Ti."
    mentions = _every(s, mAP="Metric", MobileSAM="Model", **{"EfficientSAM-Ti": "Model"})
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)] == [(3.4, "MobileSAM"), (1.2, "EfficientSAM-Ti")]


def test_results_a_multiple_of_another_models_measure_names_it():
    s = "The distilled DeiT-Ti processes 2,540 images/s, 19.7x the throughput of the teacher."
    assert [(r.value, r.baseline) for r in find_results(s)] == [(2540, None), (19.7, "teacher")]
    s = "Training throughput is 1.4x that of Transformer++ at 8K context."
    assert [r.baseline for r in find_results(s, mentions=_every(s, **{"Transformer++": "Model"}))] == ["Transformer++"]


def test_results_each_run_of_numbers_takes_the_nearest_list_of_its_length():
    s = "On FooSet and BarSet it gains 1.5 and 2.3 points, and on BazSet and QuxSet by 3.1 and 4.2 points, respectively."
    mentions = _every(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset", QuxSet="Dataset")
    assert [(r.value, r.dataset) for r in find_results(s, mentions=mentions)] == [
        (1.5, "FooSet"), (2.3, "BarSet"), (3.1, "BazSet"), (4.2, "QuxSet")
    ]


def test_results_a_list_of_benchmarks_pairs_with_a_run_of_as_many_numbers_without_respectively():
    s = "On FooSet, BarSet and BazSet, ZipNet improves accuracy over DATM by 1.8%, 2.6% and 3.9%, while using 4.5x less memory."
    mentions = _every(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset")
    assert [(r.value, r.dataset) for r in find_results(s, mentions=mentions)] == [
        (1.8, "FooSet"), (2.6, "BarSet"), (3.9, "BazSet"), (4.5, None)  # the memory is about all three
    ]
    s = "ZipNet reaches 80.1% and 66.9% accuracy on FooSet and BarSet."
    assert [r.dataset for r in find_results(s, mentions=_every(s, FooSet="Dataset", BarSet="Dataset"))] == ["FooSet", "BarSet"]


def test_results_a_claim_over_a_list_of_benchmarks_or_models_is_about_none_alone():
    s = "Across FooSet, BarSet and BazSet, ZipNet cuts storage by 31x on average relative to the baseline."
    assert [r.dataset for r in find_results(s, mentions=_every(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset"))] == [None]
    s = "Across Llama-2-7B, Llama-2-13B and Llama-2-70B, ZipQ lowers perplexity by 1.9 points on average."
    mentions = _every(s, **{"Llama-2-7B": "Model", "Llama-2-13B": "Model", "Llama-2-70B": "Model"})
    assert [r.model for r in find_results(s, mentions=mentions)] == [None]


def test_results_a_benchmark_that_sets_the_scene_before_a_claim_wins_over_a_nearer_one_after_it():
    s = "On FooSet, ZipNet cuts latency by 52% with a 0.3% accuracy drop, and on BarSet it gains 1.1 points."
    found = [(r.value, r.dataset) for r in find_results(s, mentions=_every(s, FooSet="Dataset", BarSet="Dataset"))]
    assert found == [(52, "FooSet"), (0.3, "FooSet"), (1.1, "BarSet")]


def test_results_counts_of_parameters_and_flops_are_not_measured_on_a_device():
    s = "ZipNet has 11x fewer parameters and 43% fewer FLOPs, and it runs 2.1x faster on an RTX 4090."
    found = [(r.value, r.hardware) for r in find_results(s, mentions=_every(s, **{"RTX 4090": "Hardware"}))]
    assert found == [(11, None), (43, None), (2.1, "RTX 4090")]
    s = "ZipTrain sustains 156 TFLOPS on an RTX 4090, against 45 TFLOPS for ZeRO-Infinity."  # a chip's rate is its own
    assert {r.hardware for r in find_results(s, mentions=_every(s, **{"RTX 4090": "Hardware"}))} == {"RTX 4090"}


def test_results_are_about_the_model_served_not_its_draft_teacher_or_backbone():
    s = "ZipSpec decodes Llama-3-8B at 14.6 tokens/s with Llama-3.2-1B as the draft model, a 2.3x speedup over llama.cpp."
    mentions = _every(s, **{"Llama-3-8B": "Model", "Llama-3.2-1B": "Model"})
    assert {r.model for r in find_results(s, mentions=mentions)} == {"Llama-3-8B"}
    s = "A DeiT-Ti student distilled from ViT-L/16 reaches 75.8% top-1 accuracy."
    assert [r.model for r in find_results(s, mentions=_every(s, **{"DeiT-Ti": "Model", "ViT-L/16": "Model"}))] == ["DeiT-Ti"]
    # a helper named alone is still what the claim is about
    s = "With a 2-bit Llama-2-13B backbone, ZipQ improves MMLU accuracy by 4.8 points over LoftQ."
    assert [r.model for r in find_results(s, mentions=_every(s, **{"Llama-2-13B": "Model"}))] == ["Llama-2-13B"]


def test_results_respectively_pairs_the_methods_a_claim_outperforms():
    s = "ZipDrop keeps 97.3% of the accuracy, outperforming FastV and SparseVLM by 4.8 and 2.1 points respectively."
    mentions = _every(s, FastV="Method", SparseVLM="Method")
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)][1:] == [(4.8, "FastV"), (2.1, "SparseVLM")]


def test_results_a_comparison_carries_over_to_the_next_name_and_number():
    s = "ZipSparse outperforms SR-STE by 0.9 points and ASP (Automatic SParsity) by 2.2 points."
    mentions = _every(s, **{"SR-STE": "Method", "ASP": "Method"})
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)] == [(0.9, "SR-STE"), (2.2, "ASP")]
    # neither compared model is what a claim is about
    s = "ZipDepth reaches an AbsRel of 0.071, outperforming MiDaS-S by 34% and FastDepth by 41%."
    found = find_results(s, mentions=_every(s, **{"MiDaS-S": "Model", "FastDepth": "Model"}))
    assert [(r.value, r.baseline, r.model) for r in found if r.unit == "%"] == [(34, "MiDaS-S", None), (41, "FastDepth", None)]
    # "accelerates A by 2.3x and B by 2.7x" compares nothing: A and B are what it is applied to
    s = "ZipCache accelerates Open-Sora by 2.3x and HunyuanVideo by 2.7x."
    found = find_results(s, mentions=_every(s, **{"Open-Sora": "Model", "HunyuanVideo": "Model"}))
    assert [(r.baseline, r.model) for r in found] == [(None, "Open-Sora"), (None, "HunyuanVideo")]
