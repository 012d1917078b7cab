"""What a number is about: the model, benchmark and device a claim was measured on.

Each is the nearest such name in the claim's own words, else in its sentence, and never the one
the claim is compared against (its place comes from `baselines`). A cost and a score in one
sentence split what is named around them: in "38.4 AP on COCO at 112 FPS on a Jetson Orin" the
benchmark is the score's and the chip the speed's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from kg.extract.baselines import name_lists
from kg.extract.measures import Span
from kg.extract.quantities import Spans
from kg.records import Result


def _nearest(spans: Sequence[Span], label: str, position: int, clause: tuple[int, int], away: tuple[int, int]) -> str | None:
    """The nearest mention of ``label`` in the clause, outside the compared-against phrase ``away``."""
    found = _nearest_span(spans, label, position, clause, away)
    return found.text if found else None


def _nearest_span(spans: Sequence[Span], label: str, position: int, clause: tuple[int, int], away: tuple[int, int]) -> Span | None:
    candidates = [
        s for s in spans
        if s.label == label and clause[0] <= s.start < clause[1] and not (away[0] <= s.start < away[1])
    ]
    return min(candidates, key=lambda s: abs(s.start - position)) if candidates else None


#: what a cost measures (time, memory, compute, energy, size), as against a quality score
_COST_MEASURE = re.compile(
    r"(?:latenc|memory|flop|macs|\btime|runtime|cost|energy|power|parameter|size|footprint|throughput|speed|"
    r"compute|computation|overhead|\bfps|hours|days|bits|bandwidth|budget|tokens/s|utilization)",
    re.IGNORECASE,
)
#: the units of a score; every other unit quantities reads (x, GB, ms, FPS, GFLOPs, bits ...) is a cost's
SCORE_UNITS = frozenset({"", "%", "AP", "mAP", "points"})
#: from a score to the benchmark it was scored on: "38.4 AP on COCO", "97% of its performance on GLUE"
_SCORE_ON = re.compile(r"\s*(?:[\w\-]+\s+){0,4}?(?:on|in)\s+(?:the\s+)?", re.IGNORECASE)
#: how far (in characters) before a benchmark the score it owns may end
_SCORE_REACH = 40
#: from a measure to its benchmark: "accuracy on ImageNet", "ROUGE-L on CNN/DailyMail"
_MEASURE_ON = re.compile(r"\s+(?:on|in)\s+(?:the\s+)?", re.IGNORECASE)
#: from a benchmark to the score it names: "WikiText-2 perplexity", "ADE20K (+1.8 mIoU)"
_BENCHMARK_THEN = re.compile(r"\s*(?:\(\s*[+\-]?[\d.]*\s*)?")
#: a benchmark that opens the sentence sets the scene for every claim in it: "On CamVid, ..."
_OPENS = re.compile(r"\s*(?:\w+\s+)?(?:on|in|for|across)\s+(?:the\s+)?", re.IGNORECASE)


def benchmark_of(
    spans: Sequence[Span], position: int, claim: tuple[int, int], whole: tuple[int, int], away: tuple[int, int], listed: set[Span]
) -> str | None:
    """The benchmark a claim was measured on: the nearest in its own words, else the nearest named
    before it in the sentence ("On nuScenes, it cuts latency by 52%, while on Waymo ..."), else
    the nearest after it. None when that benchmark is one of a list: "31x on average across
    Mip-NeRF 360, Tanks and Temples and Deep Blending" is about none of them alone (a run of as
    many numbers pairs with the list in order, in `baselines.pair_respectively`)."""
    found = _nearest_span(spans, "Dataset", position, claim, away)
    if found is None:
        before = [s for s in spans if s.label == "Dataset" and s.end <= position and not (away[0] <= s.start < away[1])]
        found = max(before, key=lambda s: s.start) if before else _nearest_span(spans, "Dataset", position, whole, away)
    return None if found is None or found in listed else found.text


def listed_names(sentence: str, spans: Sequence[Span]) -> set[Span]:
    """The benchmarks and models that are one of a list of their kind ("A, B and C"), in a sentence
    that does not pair lists with numbers by "respectively"."""
    if "respectively" in sentence:
        return set()
    return {name for label in ("Dataset", "Model") for names in name_lists(sentence, [s for s in spans if s.label == label]) for name in names}


#: counts that are the same on every device: parameters, operations (not TFLOPS, a chip's rate), bits, storage
_DEVICE_FREE = re.compile(r"param|\b(?:[gm]?flops|macs|bit-?widths?|bits|storage|compression(?: ratio| rate)?)\b", re.IGNORECASE)
#: what makes such a count the device's after all: a rate or a share of the device's peak
_DEVICE_RATE = re.compile(r"utili[sz]ation|/s\b|per second", re.IGNORECASE)


#: hardware that holds, stores or moves data for a device, not the device a number is measured on,
#: unless its name also names a chip ("A100 PCIe GPUs", "H100 PCIe")
_NOT_A_DEVICE = re.compile(r"NVMe|SSD|HBM|DDR|CXL|Optane|NVLink|NVSwitch|InfiniBand|PCIe|PCI Express|Ethernet|RDMA", re.IGNORECASE)
_A_CHIP = re.compile(r"\b(?:GPU|TPU|CPU|NPU|FPGA|SoC)s?\b|\b[A-Z]{1,4}\d{2,}")


def device_of(
    spans: Sequence[Span], position: int, *, claim: tuple[int, int], whole: tuple[int, int], away: tuple[int, int]
) -> str | None:
    """The device a claim was measured on: the nearest in its own words, else in its sentence; a
    GPU or chip before the memory, disk or link it is built with ("128 A100 GPUs connected by
    InfiniBand", "one RTX 4090, 256 GB of DDR5 memory and two NVMe SSDs")."""
    devices = [s for s in spans if s.label != "Hardware" or not _NOT_A_DEVICE.search(s.text) or _A_CHIP.search(s.text)]
    if len(devices) < len(spans) and any(s.label == "Hardware" for s in devices):
        spans = devices
    return _nearest(spans, "Hardware", position, claim, away) or _nearest(spans, "Hardware", position, whole, away)


def device_free(metric: str | None) -> bool:
    """Whether a measure does not depend on the device it was measured on: "reduces parameters by
    11x ... on an H100" is about the model; "utilization" and FLOPs per second are the device's."""
    return bool(metric and _DEVICE_FREE.search(metric) and not _DEVICE_RATE.search(metric))


def is_cost(result: Result) -> bool:
    """Whether a claim measures a cost (a speedup, memory, FLOPs, time) rather than a score."""
    return result.unit not in SCORE_UNITS or bool(result.metric and _COST_MEASURE.search(result.metric))


def costs_and_scores(sentence: str, results: list[Result], spans: Sequence[Span], offset: int) -> list[Result]:
    """What a cost and a score in one sentence each keep. A score is not measured on hardware:
    in "38.4 AP on COCO at 112 FPS on a Jetson Orin" the chip is the speed's. A cost is not
    measured on a benchmark that a score in the sentence owns: in "cuts latency by 35% with an
    accuracy drop of 0.4% on ImageNet" or "at the cost of a 0.12 increase in WikiText-2
    perplexity" the benchmark is the score's; in "2.8x faster on HumanEval" or "On CamVid, it
    saves 67% compute" it is the cost's too."""
    costs = [is_cost(r) for r in results]
    # each benchmark looks only at the scores and measures ending just before it: linear time
    score_ends = sorted(r.end - offset for r, cost in zip(results, costs) if not cost)
    measures = sorted((s.end, s.start) for s in spans if s.label == "Metric" and not _COST_MEASURE.search(s.text))
    measure_ends = [end for end, _ in measures]
    measure_starts = {start for _, start in measures}
    owned = set()
    for d in spans if any(costs) else ():
        if d.label != "Dataset" or _OPENS.fullmatch(sentence, 0, d.start):
            continue
        scored = score_ends[bisect_left(score_ends, d.start - _SCORE_REACH) : bisect_right(score_ends, d.start)]
        measured = measure_ends[bisect_left(measure_ends, d.start - _SCORE_REACH) : bisect_right(measure_ends, d.start)]
        if (
            _BENCHMARK_THEN.match(sentence, d.end).end() in measure_starts
            or any(_SCORE_ON.fullmatch(sentence, end, d.start) for end in scored)
            or any(_MEASURE_ON.fullmatch(sentence, end, d.start) for end in measured)
        ):
            owned.add(d.text)
    kept = []
    for result, cost in zip(results, costs):
        if cost and result.dataset in owned:
            result = replace(result, dataset=None)
        elif not cost and result.hardware:
            result = replace(result, hardware=None)
        kept.append(result)
    return kept


#: a model that helps the one a claim is about: "with Llama-3.2-1B as the draft model", "a ResNet-50
#: backbone", "a T5-based TIGER model", "distilled from ViT-L/16", "Using GraphCast as the teacher"
_HELPER_AFTER = re.compile(
    r"(?:-based\b|\s+(?:as\s+(?:the\s+|a\s+|an\s+|its\s+)?)?(?:draft|teacher|backbone|encoder|reader|judge|verifier)s?\b)",
    re.IGNORECASE,
)
_HELPER_BEFORE = re.compile(
    r"\b(?:(?:distill\w*|initiali[sz]ed|transferred|learn\w*)\s+from|teacher)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE
)


#: from a number to the model it is for: "a 3.1x speedup for Llama-2-Chat-70B", "81.0% for Swin-T",
#: "48.3 tokens/s for the 3.9B BitNet b1.58 model"
_FOR_MODEL = re.compile(
    r"(?:\s+[\w\-/@%]+){0,3}?\s+for\s+(?:the\s+|a\s+|an\s+)?(?:(?![a-z]+ing\s)[\w.\-]+\s+)?$", re.IGNORECASE
)  # not "10x fewer tokens for distilling GPT-4"


def model_of(
    sentence: str,
    spans: Sequence[Span],
    number: tuple[int, int],
    clause: tuple[int, int],
    away: tuple[int, int],
    compared: Spans,
    listed: set[Span],
) -> str | None:
    """The model a claim is about: the one the number is said to be for ("81.0% for Swin-T"), else
    the nearest named before the number ("PanGu-7B achieves 10% ..., and
    PanGu-1B ..."), else the nearest after it in its clause; never the one it is compared against,
    nor one that another claim of the sentence is compared against ("improves over A by
    1.5, and it stays within 0.5 of B"), nor a helper (a draft model, a teacher, a backbone) when
    another model is named before the number. None when the model is one of a list: "Across
    Llama-2-7B, 13B and 70B, it lowers perplexity by 1.9 on average" is about none of them alone
    (a run of as many numbers pairs with the list, in `baselines.pair_respectively`)."""
    position, number_end = number
    models = [s for s in spans if s.label == "Model" and not (away[0] <= s.start < away[1])]
    named_for = next((s for s in models if s.start >= number_end and _FOR_MODEL.fullmatch(sentence, number_end, s.start)), None)
    if named_for is not None and named_for.start not in compared and named_for not in listed:
        return named_for.text
    before = [s for s in models if s.end <= position and s.start not in compared]
    main = [s for s in before if not _helper(sentence, s)] or before
    after = [s for s in models if s.start not in compared]
    found = max(main, key=lambda s: s.start) if main else _nearest_span(after, "Model", position, clause, away)
    return None if found is None or found in listed else found.text


def _helper(sentence: str, model: Span) -> bool:
    """Whether the sentence names ``model`` as a helper of another: a draft, a teacher, a backbone."""
    return bool(_HELPER_AFTER.match(sentence, model.end) or _HELPER_BEFORE.search(sentence, max(0, model.start - 30), model.start))
