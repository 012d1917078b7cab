"""What a number is about: its model, benchmark and device (`kg.extract.subjects`), read through
`find_results`."""

from __future__ import annotations

import pytest

from kg.extract.results import find_results


@pytest.fixture
def datasets(mention):
    """(value, benchmark) of each result in ``sentence``; its mentions given as {text: label}."""

    def read(sentence: str, names: dict[str, str]) -> list[tuple[float, str | None]]:
        mentions = [mention(sentence, text, label) for text, label in names.items()]
        return [(r.value, r.dataset) for r in find_results(sentence, mentions=mentions)]

    return read


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
def test_a_number_said_to_be_for_a_model_is_about_that_model(sentence, models, expected, mention):
    mentions = [mention(sentence, name, "Model") for name in models]
    assert [r.model for r in find_results(sentence, mentions=mentions)] == expected


def test_a_claim_is_measured_on_the_chip_not_the_link_or_disk_beside_it(mention):
    s = "Training on 128 NVIDIA A100 GPUs connected by InfiniBand, FooPipe improves throughput by 1.62x."
    mentions = [mention(s, "NVIDIA A100 GPUs", "Hardware"), mention(s, "InfiniBand", "Hardware")]
    assert [r.hardware for r in find_results(s, mentions=mentions)] == ["NVIDIA A100 GPUs"]
    s = "On InfiniBand, FooPipe moves gradients 1.3x faster."  # named alone, the link is what was measured
    assert [r.hardware for r in find_results(s, mentions=[mention(s, "InfiniBand", "Hardware")])] == ["InfiniBand"]


def test_a_verb_after_for_is_not_a_models_name(mention):
    s = "FooLM needs 10x fewer tokens for distilling BarGPT."
    results = find_results(s, mentions=[mention(s, "FooLM", "Model"), mention(s, "BarGPT", "Model")])
    assert [r.model for r in results] == ["FooLM"]


def test_a_chip_named_with_its_pcie_form_is_a_device(mention):
    s = "FooNet is 2x faster on 8 NVIDIA A100 PCIe GPUs connected by NVLink."
    mentions = [mention(s, "NVIDIA A100 PCIe GPUs", "Hardware"), mention(s, "NVLink", "Hardware")]
    assert [r.hardware for r in find_results(s, mentions=mentions)] == ["NVIDIA A100 PCIe GPUs"]


def test_each_claim_takes_the_benchmark_and_hardware_in_its_own_words(mention):
    s = "It improves accuracy on HumanEval by 4.7% and on MBPP by 3.9%, and is 1.45x faster on H100 and 1.28x faster on A100."
    mentions = [mention(s, name, label) for name, label in
                (("HumanEval", "Dataset"), ("MBPP", "Dataset"), ("H100", "Hardware"), ("A100", "Hardware"))]
    results = find_results(s, mentions=mentions)
    assert [(r.value, r.dataset) for r in results[:2]] == [(4.7, "HumanEval"), (3.9, "MBPP")]
    assert [(r.value, r.hardware) for r in results[2:]] == [(1.45, "H100"), (1.28, "A100")]


def test_results_a_share_taken_from_a_model_is_about_that_model(claims):
    s = "ExitWise prunes 43% of the layers of Llama-2-13B, improving its average zero-shot accuracy by 1.2%."
    read = claims(s, **{"Llama-2-13B": "Model", "zero-shot accuracy": "Metric"})
    assert [(v, m, b, model) for v, m, _, b, model, _ in read] == [
        (43, "layers", None, "Llama-2-13B"),
        (1.2, "average zero-shot accuracy", None, "Llama-2-13B"),
    ]


def test_results_a_cost_is_not_measured_on_the_benchmark_a_score_owns(datasets):
    s = "It cuts inference latency by 35% with a top-1 accuracy drop of just 0.4% on ImageNet."
    assert datasets(s, {"latency": "Metric", "accuracy": "Metric", "ImageNet": "Dataset"}) == [
        (35, None),
        (0.4, "ImageNet"),
    ]
    s = "It shrinks the footprint from 26 GB to 4.1 GB with a WikiText-2 perplexity of 5.41."
    assert datasets(s, {"perplexity": "Metric", "WikiText-2": "Dataset"}) == [(4.1, None), (5.41, "WikiText-2")]
    s = "Both preserve MMLU accuracy, but ours quantizes the model in 11 minutes."
    assert datasets(s, {"accuracy": "Metric", "MMLU": "Dataset"}) == [(11, None)]


def test_results_a_cost_keeps_the_benchmark_it_was_measured_on(datasets):
    s = "DraftLine accelerates generation by 2.8x on HumanEval with no change in pass@1."
    assert datasets(s, {"HumanEval": "Dataset", "pass@1": "Metric"}) == [(2.8, "HumanEval")]
    s = "On CamVid, it saves 67% computational cost and reaches 72.1% mIoU on CamVid."
    assert datasets(s, {"computational cost": "Metric", "mIoU": "Metric", "CamVid": "Dataset"}) == [
        (67, "CamVid"),
        (72.1, "CamVid"),
    ]


def test_results_a_score_is_not_measured_on_hardware(mention):
    s = "TinyDet-N reaches 38.4 AP on COCO with an inference speed of 112 FPS on a Jetson Orin."
    names = {"AP": "Metric", "inference speed": "Metric", "COCO": "Dataset", "Jetson Orin": "Hardware"}
    results = find_results(s, mentions=[mention(s, text, label) for text, label in names.items()])
    assert [(r.value, r.hardware) for r in results] == [(38.4, None), (112, "Jetson Orin")]


def test_results_a_claim_over_a_list_of_benchmarks_or_models_is_about_none_alone(every_mention):
    s = "Across FooSet, BarSet and BazSet, ZipNet cuts storage by 31x on average relative to the baseline."
    assert [r.dataset for r in find_results(s, mentions=every_mention(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset"))] == [None]
    s = "Across Llama-2-7B, Llama-2-13B and Llama-2-70B, ZipQ lowers perplexity by 1.9 points on average."
    mentions = every_mention(s, **{"Llama-2-7B": "Model", "Llama-2-13B": "Model", "Llama-2-70B": "Model"})
    assert [r.model for r in find_results(s, mentions=mentions)] == [None]


def test_results_a_benchmark_that_sets_the_scene_before_a_claim_wins_over_a_nearer_one_after_it(every_mention):
    s = "On FooSet, ZipNet cuts latency by 52% with a 0.3% accuracy drop, and on BarSet it gains 1.1 points."
    found = [(r.value, r.dataset) for r in find_results(s, mentions=every_mention(s, FooSet="Dataset", BarSet="Dataset"))]
    assert found == [(52, "FooSet"), (0.3, "FooSet"), (1.1, "BarSet")]


def test_results_counts_of_parameters_and_flops_are_not_measured_on_a_device(every_mention):
    s = "ZipNet has 11x fewer parameters and 43% fewer FLOPs, and it runs 2.1x faster on an RTX 4090."
    found = [(r.value, r.hardware) for r in find_results(s, mentions=every_mention(s, **{"RTX 4090": "Hardware"}))]
    assert found == [(11, None), (43, None), (2.1, "RTX 4090")]
    s = "ZipTrain sustains 156 TFLOPS on an RTX 4090, against 45 TFLOPS for ZeRO-Infinity."  # a chip's rate is its own
    assert {r.hardware for r in find_results(s, mentions=every_mention(s, **{"RTX 4090": "Hardware"}))} == {"RTX 4090"}


def test_results_are_about_the_model_served_not_its_draft_teacher_or_backbone(every_mention):
    s = "ZipSpec decodes Llama-3-8B at 14.6 tokens/s with Llama-3.2-1B as the draft model, a 2.3x speedup over llama.cpp."
    mentions = every_mention(s, **{"Llama-3-8B": "Model", "Llama-3.2-1B": "Model"})
    assert {r.model for r in find_results(s, mentions=mentions)} == {"Llama-3-8B"}
    s = "A DeiT-Ti student distilled from ViT-L/16 reaches 75.8% top-1 accuracy."
    assert [r.model for r in find_results(s, mentions=every_mention(s, **{"DeiT-Ti": "Model", "ViT-L/16": "Model"}))] == ["DeiT-Ti"]
    # a helper named alone is still what the claim is about
    s = "With a 2-bit Llama-2-13B backbone, ZipQ improves MMLU accuracy by 4.8 points over LoftQ."
    assert [r.model for r in find_results(s, mentions=every_mention(s, **{"Llama-2-13B": "Model"}))] == ["Llama-2-13B"]
