"""What a number is compared against (`kg.extract.baselines`), read through `find_results`."""

from __future__ import annotations

import pytest

from kg.extract.results import find_results


def test_results_parses_times_speedup_with_respectively_baselines(mention):
    s = "CoreInfer achieved a 10.33 times and 2.72 times speedup compared to the Huggingface implementation and PowerInfer, respectively."
    results = find_results(s, mentions=[mention(s, "speedup", "Metric")])
    assert [(r.value, r.unit, r.metric) for r in results] == [(10.33, "x", "speedup"), (2.72, "x", "speedup")]
    assert [r.baseline for r in results] == ["Huggingface implementation", "PowerInfer"]


def test_a_baseline_phrase_ends_at_its_verb(mention):
    s = "The speedup of our kernel over cuBLAS is 1.2x on average."
    (result,) = find_results(s, mentions=[mention(s, "cuBLAS", "Method")])
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
def test_what_a_gap_a_share_or_a_comparing_verb_is_measured_against(sentence, names, expected, mention):
    mentions = [mention(sentence, name, "Method") for name in names]
    assert [(r.value, r.baseline) for r in find_results(sentence, mentions=mentions)] == expected


def test_a_reference_keeps_its_measures_benchmark_free_for_the_claim(mention):
    s = "FooQ stays within 10% of the FP16 MT-Bench score at 2 bits."
    results = find_results(s, mentions=[mention(s, "MT-Bench", "Dataset")])
    assert [(r.value, r.baseline, r.dataset) for r in results if r.unit == "%"] == [(10, "FP16", "MT-Bench")]


def test_a_claim_that_goes_on_with_and_by_keeps_its_verb_and_compares_with_its_own_name(mention):
    s = "FooSAM improves mAP by 3.4 over BarSAM and by 1.2 over BazSAM, and stays within 1.5 mIoU of the original QuxSAM."
    names = [("mAP", "Metric"), ("mIoU", "Metric"), ("BarSAM", "Model"), ("BazSAM", "Model"), ("QuxSAM", "Model")]
    results = find_results(s, mentions=[mention(s, name, label) for name, label in names])
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
def test_what_is_not_a_baseline(sentence, names, expected, mention):
    mentions = [mention(sentence, name, "Model") for name in names]
    assert [(r.value, r.baseline) for r in find_results(sentence, mentions=mentions)] == expected


def test_results_respectively_pairs_names_with_numbers_in_order(claims):
    s = "LinGen gets a 50.5%, 52.1%, 49.1% win rate with respect to Gen-3, LumaLabs, and Kling, respectively."
    assert [b for _, _, _, b, *_ in claims(s, **{"Gen-3": "Model", "LumaLabs": "Model", "Kling": "Model"})] == ["Gen-3", "LumaLabs", "Kling"]
    s = "Compressed CodeBERT and GraphCodeBERT are 4.31 times and 4.15 times faster than the original model, respectively."
    assert [(m, model) for _, m, _, _, model, _ in claims(s, CodeBERT="Model", GraphCodeBERT="Model")] == [
        ("speedup", "CodeBERT"),
        ("speedup", "GraphCodeBERT"),
    ]


def test_results_the_compared_model_is_the_baseline_not_the_model(mention, claims):
    s = "SqueezeSAM is 50x faster and 100x smaller than SAM."
    mentions = [mention(s, "SqueezeSAM", "Model"), mention(s, "SAM", "Model", last=True)]
    assert [(r.baseline, r.model) for r in find_results(s, mentions=mentions)] == [("SAM", "SqueezeSAM")] * 2
    s = "It is 6x smaller than the previous state-of-the-art architecture AmoebaNet-B."
    assert [b for _, _, _, b, *_ in claims(s, **{"AmoebaNet-B": "Model"})] == ["AmoebaNet-B"]


def test_results_each_number_takes_the_comparison_nearest_it(mention):
    s = "PagedServe gives a 23x improvement over HuggingFace Transformers and 1.7x over vLLM."
    assert [r.baseline for r in find_results(s)] == ["HuggingFace Transformers", "vLLM"]
    s = "It gets a 3.5% absolute improvement over Sheared-LLaMA-1.3B."  # a dot inside a name
    assert [r.baseline for r in find_results(s)] == ["Sheared-LLaMA-1.3B"]
    s = "It is 4x faster relative to the original ViT and 2x faster than the baseline model Swin-T."
    mentions = [mention(s, "ViT", "Model"), mention(s, "Swin-T", "Model")]
    assert [r.baseline for r in find_results(s, mentions=mentions)] == ["original ViT", "Swin-T"]


def test_results_a_share_of_another_models_measure_names_it_as_baseline(claims):
    s = "With only 12% of the FLOPs of ResNet-50, MicroNet-M attains 71.6% top-1 accuracy."
    read = claims(s, FLOPs="Metric", **{"top-1 accuracy": "Metric", "ResNet-50": "Model"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(12, "decrease", "ResNet-50"), (71.6, None, None)]
    s = "The student runs 5.8x faster with a word error rate within 1% of the teacher."
    read = claims(s, **{"word error rate": "Metric"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(5.8, "increase", None), (1, "increase", "teacher")]
    # a share of the sample or of the layer is not a comparison with another model
    s = "Training on 10% of the samples of each class keeps 95% accuracy."
    assert [b for *_, b, _, _ in claims(s)] == [None, None]


def test_results_a_share_of_its_measure_refers_back_to_the_compared_model(claims):
    s = "EffiViT-S improves top-1 accuracy by 1.2% over DeiT-S while using only 62% of its FLOPs."
    read = claims(s, FLOPs="Metric", **{"top-1 accuracy": "Metric", "DeiT-S": "Model"})
    assert [(v, d, b) for v, _, d, b, *_ in read] == [(1.2, "increase", "DeiT-S"), (62, "decrease", "DeiT-S")]
    # a share kept is a level, not a change; "yet" starts another claim
    s = "The student has 3x fewer parameters than BERT-base yet retains 97% of its performance."
    assert [(v, d, b) for v, _, d, b, *_ in claims(s, **{"BERT-base": "Model"})] == [
        (3, "decrease", "BERT-base"),
        (97, None, "BERT-base"),
    ]


def test_results_reaching_or_keeping_another_models_measure_names_it(claims):
    s = "It takes 41% less wall-clock time to reach the validation perplexity of the standard recipe."
    assert [b for *_, b, _, _ in claims(s)] == ["standard recipe"]
    s = "The student retains 97.1% of BERT-base's GLUE score and is 2.7% more accurate than DeiT-Ti trained longer."
    assert [b for *_, b, _, _ in claims(s, **{"BERT-base": "Model", "DeiT-Ti": "Model"})] == ["BERT-base", "DeiT-Ti"]


def test_results_a_list_of_benchmarks_pairs_with_each_run_of_as_many_numbers(every_mention):
    s = (
        "On arXiv and GovReport, SpanWeave reaches ROUGE-L scores of 41.2 and 49.8, improving over LED-large "
        "by 1.5 and 2.3 ROUGE-L, respectively, and it stays within 0.5 ROUGE-1 of PEGASUS-X on PubMed."
    )
    labels = {"arXiv": "Dataset", "GovReport": "Dataset", "PubMed": "Dataset", "ROUGE-L": "Metric", "ROUGE-1": "Metric"}
    mentions = every_mention(s, **labels, **{"LED-large": "Model", "PEGASUS-X": "Model"})
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


def test_results_a_multiple_of_another_models_measure_names_it(every_mention):
    s = "The distilled DeiT-Ti processes 2,540 images/s, 19.7x the throughput of the teacher."
    assert [(r.value, r.baseline) for r in find_results(s)] == [(2540, None), (19.7, "teacher")]
    s = "Training throughput is 1.4x that of Transformer++ at 8K context."
    assert [r.baseline for r in find_results(s, mentions=every_mention(s, **{"Transformer++": "Model"}))] == ["Transformer++"]


def test_results_each_run_of_numbers_takes_the_nearest_list_of_its_length(every_mention):
    s = "On FooSet and BarSet it gains 1.5 and 2.3 points, and on BazSet and QuxSet by 3.1 and 4.2 points, respectively."
    mentions = every_mention(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset", QuxSet="Dataset")
    assert [(r.value, r.dataset) for r in find_results(s, mentions=mentions)] == [
        (1.5, "FooSet"), (2.3, "BarSet"), (3.1, "BazSet"), (4.2, "QuxSet")
    ]


def test_results_a_list_of_benchmarks_pairs_with_a_run_of_as_many_numbers_without_respectively(every_mention):
    s = "On FooSet, BarSet and BazSet, ZipNet improves accuracy over DATM by 1.8%, 2.6% and 3.9%, while using 4.5x less memory."
    mentions = every_mention(s, FooSet="Dataset", BarSet="Dataset", BazSet="Dataset")
    assert [(r.value, r.dataset) for r in find_results(s, mentions=mentions)] == [
        (1.8, "FooSet"), (2.6, "BarSet"), (3.9, "BazSet"), (4.5, None)  # the memory is about all three
    ]
    s = "ZipNet reaches 80.1% and 66.9% accuracy on FooSet and BarSet."
    assert [r.dataset for r in find_results(s, mentions=every_mention(s, FooSet="Dataset", BarSet="Dataset"))] == ["FooSet", "BarSet"]


def test_results_respectively_pairs_the_methods_a_claim_outperforms(every_mention):
    s = "ZipDrop keeps 97.3% of the accuracy, outperforming FastV and SparseVLM by 4.8 and 2.1 points respectively."
    mentions = every_mention(s, FastV="Method", SparseVLM="Method")
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)][1:] == [(4.8, "FastV"), (2.1, "SparseVLM")]


def test_results_a_comparison_carries_over_to_the_next_name_and_number(every_mention):
    s = "ZipSparse outperforms SR-STE by 0.9 points and ASP (Automatic SParsity) by 2.2 points."
    mentions = every_mention(s, **{"SR-STE": "Method", "ASP": "Method"})
    assert [(r.value, r.baseline) for r in find_results(s, mentions=mentions)] == [(0.9, "SR-STE"), (2.2, "ASP")]
    # neither compared model is what a claim is about
    s = "ZipDepth reaches an AbsRel of 0.071, outperforming MiDaS-S by 34% and FastDepth by 41%."
    found = find_results(s, mentions=every_mention(s, **{"MiDaS-S": "Model", "FastDepth": "Model"}))
    assert [(r.value, r.baseline, r.model) for r in found if r.unit == "%"] == [(34, "MiDaS-S", None), (41, "FastDepth", None)]
    # "accelerates A by 2.3x and B by 2.7x" compares nothing: A and B are what it is applied to
    s = "ZipCache accelerates Open-Sora by 2.3x and HunyuanVideo by 2.7x."
    found = find_results(s, mentions=every_mention(s, **{"Open-Sora": "Model", "HunyuanVideo": "Model"}))
    assert [(r.baseline, r.model) for r in found] == [(None, "Open-Sora"), (None, "HunyuanVideo")]
