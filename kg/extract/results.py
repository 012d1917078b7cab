"""Numeric results: "achieves 10.33x and 2.72x speedup over A and B, respectively".

A plain function over one sentence and the mentions found in it, so it can be
tested without a pipeline. The numbers come from `quantities`, what each
measures from `measures`; here each gets its direction, the baseline it is
compared with, and the model, benchmark and hardware it is about. Values
keep the sign as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from kg.extract.gains import is_gain, is_lower_score
from kg.extract.measures import Span, bare_scores, metric_for
from kg.extract.quantities import FROM_WORDS, LIST_JOIN, TO_WORDS, Quantity, Spans, group_ends, quantities, value_of
from kg.records import Mention, Result

_DIGIT = re.compile(r"\d")
#: how far from a number (in characters) the names it may be about are looked for
_NEAR = 400
#: where one claim's clause ends and the next begins: "..., while reducing", "; ", ", outperforming"
_CLAUSE_BREAK = re.compile(
    r";|,?\s+(?:while|whereas|but|yet)\s|,\s+(?:\w+ly\s+)?\w+ing\s|,\s+which\s|,\s+and\s+(?:it|they|we|this|these|our)\s"
)
#: "compared to A" holds for the whole sentence; "outperforms A" only for its own clause
_COMPARE_CUE = r"compared (?:to|with)|in comparison (?:to|with)|with respect to|than|relative to|versus|vs\.?"
_WHAT = (
    r"(?:both\s+)?(?:th(?:at|ose)\s+of\s+)?(?:the\s+|a\s+|an\s+)?"  # "than that of EAGLE"
    r"(?P<what>(?:[^,;.\[(]|\.(?=\S))+?)"  # "Sheared-LLaMA-1.3B" keeps its dot
    r"(?=(?:,|;|\.(?!\S)|\[|\(|\s+(?:on|in|with|without|while|and|at|by|across|for|when|that|which|who|yet|but|"
    r"trained|evaluated|using|under)\b|$))"
)
_BASELINE = re.compile(
    rf"\b(?:(?P<compare>{_COMPARE_CUE})|over|against|outperform(?:s|ing)?|surpass(?:es|ing)?|"
    r"(?:match|reach|equal|exceed)(?:es|ed|ing|s)?\s+the\s+(?:[\w\-.]+\s+){1,5}?of|"  # "reach the perplexity of X"
    r"(?P<verb>exceed(?:s|ing)?(?:\s+that\s+of)?|beat(?:s|ing)?|trail(?:s|ing)?|lag(?:s|ging)?(?:\s+behind)?))\s+"
    rf"{_WHAT}",
    re.IGNORECASE,
)
#: the next name of a comparison after the first one's number: "over A by 0.9 points | and B by 2.2 points"
_AND_NEXT = re.compile(
    r"\s+by\s+[\d.]+\s*(?:\\?%|[x×])?(?:\s+(?!and\b)[\w\-@]+){0,3}?(?:,\s*(?:and\s+)?|\s+and\s+)(?:over\s+|than\s+)?"
    r"(?P<what>[^\s,;()][^,;()]*?)(?:\s*\([^)]*\))?(?=\s+by\s+[\d.])",
    re.IGNORECASE,
)
#: a gap above or below another's score, right after the number and its unit: "2.6 points above
#: RepQ-ViT", "only 0.011 below the teacher", "0.31 nats above the BF16 baseline", "2 points behind X"
_ABOVE_OR_BELOW = re.compile(
    r"\d(?:\s*(?:\\?%|[x×])|\s+[A-Za-z][\w\-@]*(?:\s+points?)?)?\s+(?P<cue>above|below|behind)\s+" + _WHAT, re.IGNORECASE
)
#: what a model is measured against without being named: its dense, full-precision, unpruned or
#: 16-bit self ("within 1% of dense attention", "96.1% of the FP16 average accuracy")
_REFERENCE = (
    r"(?:dense|full-[\w]+|unpruned|uncompressed|unquantized|(?:full|half|mixed)-precision|FP(?:16|32)|BF16"
    r"|(?:16|32)-bit)(?![\w-])"
)
#: a compared phrase that is such a reference, or the full thing ("within 0.4 points of full
#: attention", "of the full cache"), though a bare "full" names none
_REFERENCE_START = re.compile(rf"{_REFERENCE}|full\s+[\w\-]+", re.IGNORECASE)
#: a reference's measure, not part of its name: "within 10% of the FP16 | MT-Bench score"
_MEASURE_AFTER_REFERENCE = re.compile(r"\s.*\b(?:scores?|accuracy|performance|quality|perplexity|loss|metrics?)$", re.IGNORECASE)
#: a share of what another model has: "within 1% of the teacher", "12% of the FLOPs of ResNet-50"
_SHARE_OF = re.compile(
    rf"(?:\bwithin\s+(?:about\s+|only\s+)?[\d.]+(?:\s+and\s+[\d.]+)?\s*(?:\\?%|(?:[A-Za-z][\w\-&]*\s+)?points?|[A-Za-z][\w\-&]*)?"
    r"(?:\s+of\s+the(?:\s+[\w\-]+){1,3}?)?"  # "within 6% of the throughput of vLLM"
    r"|(?<![\d.])\d[\d.]*\s*\\?%\s+of\s+the\s+(?:[\w\-]+\s+){0,2}?[\w\-]+"
    # a multiple of another's measure: "1.4x that of Transformer++", "19.7x the throughput of the teacher"
    rf"|(?<![\d.])\d[\d.]*\s*(?:[x×]|\s+times)\s+(?:that|those|the(?:\s+[\w\-]+){{1,3}}?))\s+of\s+{_WHAT}"
    r"|(?<![\d.])\d[\d.]*\s*\\?%\s+of\s+(?:the\s+)?(?P<owner>(?:[\w\-.]+\s+){0,2}?[\w\-.]*\w)'s\s"  # "97.1% of BERT-base's GLUE score"
    # a share of the reference's own measure: "96.1% of the FP16 average zero-shot accuracy" (not
    # "30% of the full training set")
    rf"|(?<![\d.])\d[\d.]*\s*\\?%\s+of\s+(?:the\s+)?(?P<reference>{_REFERENCE})"
    r"(?=(?:\s+[\w\-]+){0,3}?\s+(?:accuracy|scores?|performance|quality|perplexity|results?|metrics?)\b)",
    re.IGNORECASE,
)
#: a share taken away from a model, not measured against it
_REMOVES = re.compile(
    r"\b(?:skip|prun|remov|drop|discard|evict|cut|eliminat)\w*\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
#: what the compared-with phrase of a share must be: a name, or a word for a model
_SHARE_OF_WHAT = re.compile(r"\b(?:model|teacher|baseline|counterpart|network|original|predecessor)s?$", re.IGNORECASE)
#: "of" right after a number: a share of one's own or the compared model's measure ("62% of its FLOPs")
_OF_WHOSE = re.compile(r"\s*of\s+(?P<whose>its|their|the)\b", re.IGNORECASE)
#: a memory size that names a device: "a single 24 GB GPU", "two 80GB A100 GPUs"
_DEVICE_AFTER = re.compile(r"(?:\s+[A-Z][\w-]*)?\s+(?:GPU|GPUs|card|cards|device|devices|accelerators?)\b")
#: rates a system is measured under ("at 4 requests per second"), as well as results it reaches
_LOADS = frozenset({"requests per second", "queries per second", "requests/s"})
_AT_LOAD = re.compile(r"\b(?:at|under|of)\s+(?:a\s+|an\s+)?(?:load\s+of\s+)?$", re.IGNORECASE)
#: what stands between a chip's name and its memory size: "an RTX 3060 (12 GB)"
_SPEC_AFTER = re.compile(r"\s*\(\s*")
#: what is left before a number that goes on a claim: "... by 3.4 over A and | by | 1.2 over B"
_AND_BY = re.compile(r"\s*by\s+", re.IGNORECASE)
#: a multiple of another's measure: "1.4x that of", "3.8 times the throughput of"
_MULTIPLE_OF = re.compile(r"\s*(?:that|those|the(?:\s+[\w\-]+){1,3}?)\s+of\b", re.IGNORECASE)
#: a time that is how long something takes: "in 0.9 s", "takes 0.31 s", "it is 0.41 s" (not "10 s
#: videos", "30 s audio clips")
_TAKES = re.compile(r"\b(?:in|takes?|taking|took|is|are|of)\s+(?:only\s+|about\s+|just\s+|under\s+)?$", re.IGNORECASE)
#: a rate of wins or preference measured against another: "a 58% win rate against DeepCache" (not
#: "62.1% robust accuracy against AutoAttack", an attack)
_AGAINST_AFTER = re.compile(r"\s*(?:[\w\-]+\s+){0,3}?(?:against|versus|vs\.?)\s+(?![\d$])", re.IGNORECASE)
_PREFERENCE = re.compile(r"\b(?:win|prefer)", re.IGNORECASE)
#: a number that is a share of something: "97% of BERT-base", "within 1% of the teacher"
_SHARE = re.compile(r"\s+of\b", re.IGNORECASE)
#: a gap below another's score: "within 0.4 points of the teacher", "within 1% of FP16"
_WITHIN = re.compile(r"\bwithin\s+(?:about\s+|only\s+)?(?:[\d.]+\s+and\s+)?$", re.IGNORECASE)
#: from the gap to what it is a gap to: "within 0.4 | BLEU of", "within 1.1 | points of", "within 1% | of"
_GAP_OF = re.compile(r"(?:\s+[A-Za-z][\w\-&]*)?(?:\s+points?)?\s+of\b", re.IGNORECASE)
#: a share kept is a level, not a change: "retains 97% of", "reaches 95% of"
_KEPT = re.compile(r"\b(?:retain|preserv|keep|kept|maintain|recover|match|reach)\w*\s+(?:up to\s+|over\s+|about\s+|nearly\s+)?$", re.IGNORECASE)
#: a kind word right before a name: "the baseline model Swin-T"
_APPOSITION = re.compile(
    r"\b(?:model|architecture|method|approach|baseline|system|framework|network|algorithm|backbone)s?\s+$",
    re.IGNORECASE,
)
#: "respectively" closing a compared name ("below SwinIR-light respectively") is no part of it
_RESPECTIVELY_AFTER = re.compile(r",?\s+respectively$")
_RESPECTIVELY = re.compile(r"\b(?P<a>[\w\-.]+(?:\s[\w\-.]+)?)\s+and\s+(?P<b>[\w\-.]+(?:\s[\w\-.]+)?),?\s+respectively")

#: words that say which way a number moved, each from a word's start ("execution" holds no "cut")
_INCREASE = re.compile(
    r"\b(?:speedup|speed-up|speeds up|faster|improv|increas|higher|gain|rais|rise|rising|rose\b|grow|grew\b|"
    r"boost|better|accelerat|outperform|surpass|exceed|more\b(?!\s+than)|longer|above)",  # "more than" qualifies
    re.IGNORECASE,
)
_DECREASE = re.compile(
    r"\b(?:reduc|decreas|lower|less\b(?!\s+than)|fewer|save|saving|cut\b|cuts|cutting|drop|fall|fell\b|smaller|shrink|"
    r"eliminat|degrad|remov|trail|lag(?:s|ged|ging)?\b|below|cheaper|shorter|los(?:e|es|ing)\b|at (?:a |the )?cost of)",
    re.IGNORECASE,
)

#: a comparative right after a number that names no "than" of its own: "while running 1.4x faster"
_BARE_COMPARATIVE = re.compile(
    r"\s*(?:faster|slower|smaller|larger|cheaper|fewer|less|lower|higher|more)\b(?!\s+\w+\s+than\b|\s+than\b)", re.IGNORECASE
)
#: right after a number, "more than" and "less than" compare ("6.7 points more than H2O"); before one
#: they qualify it ("more than 4x")
_MORE_OR_LESS_THAN = re.compile(r"\s*(more|less|fewer)\s+than\b", re.IGNORECASE)


def _direction(before: str, after: str) -> tuple[str, str] | None:
    """The direction word nearest the number wins: "reducing 99.5%", "2x faster"; with the word."""
    if comparative := _MORE_OR_LESS_THAN.match(after):  # "6.7 points more than H2O"
        return ("increase" if comparative.group(1).lower() == "more" else "decrease", comparative.group(1).lower())
    best: tuple[int, str, str] | None = None
    for words, direction in ((_INCREASE, "increase"), (_DECREASE, "decrease")):
        found = list(words.finditer(before))
        if found:
            last = found[-1]
            distance = len(before) - last.start()
            if best is None or distance < best[0]:
                best = (distance, direction, last.group().lower())
        first = words.search(after)
        # words after the number bind less: "by 10% while reducing" is an increase
        if first is not None and (best is None or 3 * first.start() + 1 < best[0]):
            best = (3 * first.start() + 1, direction, first.group().lower())
    return (best[1], best[2]) if best else None


def _directed(found: tuple[str, str] | None, metric: str | None) -> str | None:
    """The way the number moved: a better or worse score of a measure where lower is better is the
    other way round ("improves perplexity by 10%" is a decrease)."""
    if found is None:
        return None
    direction, word = found
    if is_lower_score(metric) and word.startswith(("improv", "better", "boost", "degrad", "outperform", "surpass")):
        return "decrease" if direction == "increase" else "increase"
    return direction


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return list(zip(bounds, bounds[1:]))


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
_SCORE_UNITS = frozenset({"", "%", "AP", "mAP", "points"})
#: the units of a gap "within" another's measure (not a budget: "fits within 16 GB of memory")
_GAP_UNITS = _SCORE_UNITS | {"x"}
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


def _benchmark(
    spans: Sequence[Span], position: int, claim: tuple[int, int], whole: tuple[int, int], away: tuple[int, int], listed: set[Span]
) -> str | None:
    """The benchmark a claim was measured on: the nearest in its own words, else the nearest named
    before it in the sentence ("On nuScenes, it cuts latency by 52%, while on Waymo ..."), else
    the nearest after it. None when that benchmark is one of a list: "31x on average across
    Mip-NeRF 360, Tanks and Temples and Deep Blending" is about none of them alone (a run of as
    many numbers pairs with the list in order, in `_respectively`)."""
    found = _nearest_span(spans, "Dataset", position, claim, away)
    if found is None:
        before = [s for s in spans if s.label == "Dataset" and s.end <= position and not (away[0] <= s.start < away[1])]
        found = max(before, key=lambda s: s.start) if before else _nearest_span(spans, "Dataset", position, whole, away)
    return None if found is None or found in listed else found.text


def _listed(sentence: str, spans: Sequence[Span]) -> set[Span]:
    """The benchmarks and models that are one of a list of their kind ("A, B and C"), in a sentence
    that does not pair lists with numbers by "respectively"."""
    if "respectively" in sentence:
        return set()
    return {name for label in ("Dataset", "Model") for names in _lists(sentence, [s for s in spans if s.label == label]) for name in names}


#: counts that are the same on every device: parameters, operations (not TFLOPS, a chip's rate), bits, storage
_DEVICE_FREE = re.compile(r"param|\b(?:[gm]?flops|macs|bit-?widths?|bits|storage|compression(?: ratio| rate)?)\b", re.IGNORECASE)
#: what makes such a count the device's after all: a rate or a share of the device's peak
_DEVICE_RATE = re.compile(r"utili[sz]ation|/s\b|per second", re.IGNORECASE)


#: hardware that holds, stores or moves data for a device, not the device a number is measured on,
#: unless its name also names a chip ("A100 PCIe GPUs", "H100 PCIe")
_NOT_A_DEVICE = re.compile(r"NVMe|SSD|HBM|DDR|CXL|Optane|NVLink|NVSwitch|InfiniBand|PCIe|PCI Express|Ethernet|RDMA", re.IGNORECASE)
_A_CHIP = re.compile(r"\b(?:GPU|TPU|CPU|NPU|FPGA|SoC)s?\b|\b[A-Z]{1,4}\d{2,}")


def _device(
    spans: Sequence[Span], position: int, *, claim: tuple[int, int], whole: tuple[int, int], away: tuple[int, int]
) -> str | None:
    """The device a claim was measured on: the nearest in its own words, else in its sentence; a
    GPU or chip before the memory, disk or link it is built with ("128 A100 GPUs connected by
    InfiniBand", "one RTX 4090, 256 GB of DDR5 memory and two NVMe SSDs")."""
    devices = [s for s in spans if s.label != "Hardware" or not _NOT_A_DEVICE.search(s.text) or _A_CHIP.search(s.text)]
    if len(devices) < len(spans) and any(s.label == "Hardware" for s in devices):
        spans = devices
    return _nearest(spans, "Hardware", position, claim, away) or _nearest(spans, "Hardware", position, whole, away)


def _measure_of_unit(unit: str, before: str) -> str | None:
    """What a number measures when no measure is named, by its unit and the words before it, named
    as the gold names them: a bare score is a score; tokens/s a decoding speed (a prefill speed
    after "prefill", a throughput in training); a time a number takes is a latency."""
    if unit == "":
        return "score"
    if unit == "tokens/s":
        return "prefill speed" if re.search(r"prefill", before, re.IGNORECASE) else (
            "throughput" if re.search(r"\b(?:train|fine-tun|pre-train)", before, re.IGNORECASE) else "decoding speed"
        )
    if unit in ("s", "ms") and _TAKES.search(before):
        return "latency"
    return None


def _device_free(metric: str | None) -> bool:
    """Whether a measure does not depend on the device it was measured on: "reduces parameters by
    11x ... on an H100" is about the model; "utilization" and FLOPs per second are the device's."""
    return bool(metric and _DEVICE_FREE.search(metric) and not _DEVICE_RATE.search(metric))


def _is_cost(result: Result) -> bool:
    """Whether a claim measures a cost (a speedup, memory, FLOPs, time) rather than a score."""
    return result.unit not in _SCORE_UNITS or bool(result.metric and _COST_MEASURE.search(result.metric))


def _costs_and_scores(sentence: str, results: list[Result], spans: Sequence[Span], offset: int) -> list[Result]:
    """What a cost and a score in one sentence each keep. A score is not measured on hardware:
    in "38.4 AP on COCO at 112 FPS on a Jetson Orin" the chip is the speed's. A cost is not
    measured on a benchmark that a score in the sentence owns: in "cuts latency by 35% with an
    accuracy drop of 0.4% on ImageNet" or "at the cost of a 0.12 increase in WikiText-2
    perplexity" the benchmark is the score's; in "2.8x faster on HumanEval" or "On CamVid, it
    saves 67% compute" it is the cost's too."""
    costs = [_is_cost(r) for r in results]
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


def _subject(
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
    (a run of as many numbers pairs with the list, in `_respectively`)."""
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


def find_results(
    sentence: str,
    *,
    offset: int = 0,
    mentions: Sequence[Mention] = (),
    inside_names: Sequence[tuple[int, int]] | Spans = (),
) -> list[Result]:
    """Quantities with a unit, and scores a measure names, in ``sentence``; ``offset`` places it
    in the paper's text.

    ``mentions`` are the entities found in the sentence (offsets in the paper's
    text); numbers that are part of a name ("Llama-2-7B") are passed over.
    Each number's metric, direction, model, dataset and hardware come from its
    own clause, so "..., while reducing 99.5% FLOPs" does not lend its words
    to the claim before it.
    """
    if not _DIGIT.search(sentence):
        return []  # most sentences: nothing more to read
    spans = sorted((Span(m.label, m.text, m.start - offset, m.end - offset) for m in mentions), key=lambda s: s.start)
    span_starts = [s.start for s in spans]

    def near(start: int, end: int) -> list[Span]:
        """The mentions within ``_NEAR`` characters: a long sentence's far names are not read."""
        return spans[bisect_left(span_starts, start - _NEAR) : bisect_left(span_starts, end + _NEAR)]

    matches = quantities(sentence)
    matches = sorted(matches + bare_scores(sentence, matches, spans), key=lambda q: q.start)
    if not matches:
        return []
    names = inside_names if isinstance(inside_names, Spans) else Spans(inside_names)
    clauses = _clauses(sentence)
    clause_starts = [start for start, _ in clauses]
    comparisons = _comparisons(sentence, spans, near)
    listed = _listed(sentence, spans)  # once a sentence, not once a number
    starts = [q.start for q in matches]
    results: list[Result] = []
    whole = (0, len(sentence))
    group_end_of = group_ends(sentence, matches)
    previous_end = 0  # where the previous claim (not this number's group) ends
    previous_metric: str | None = None
    for index, match in enumerate(matches):
        if index and group_end_of[index - 1] < match.start:
            previous_end = matches[index - 1].end
        group_end = group_end_of[index]
        next_claim = bisect_left(starts, group_end, index + 1)
        following = starts[next_claim] if next_claim < len(starts) else len(sentence)
        if match.start + offset in names or _superseded(sentence, matches, index):
            continue
        if match.unit in ("GB", "MB", "TB") and (
            _DEVICE_AFTER.match(sentence, match.end)
            or any(s.label == "Hardware" and _SPEC_AFTER.fullmatch(sentence, s.end, match.start) for s in near(match.start, match.end))
        ):
            continue  # "fits on a single 24 GB GPU", "an RTX 3060 (12 GB)": the device's size, not a result
        if match.unit in _LOADS and _AT_LOAD.search(sentence, max(0, match.start - 20), match.start):
            continue  # "falls by 61% at 4 requests per second": the load it was measured under
        clause = clauses[bisect_right(clause_starts, match.start) - 1]
        before = sentence[max(clause[0], match.start - 80) : match.start]
        # the words since the previous claim first ("a 1.56x speedup and a 1.9x memory reduction"),
        # then the clause's ("reduces it by 73% in time, 78% in computation")
        own = re.split(r",|\band\b", before[max(0, previous_end - match.start + len(before)) :])[-1]
        # the words after a number bind to it up to the next "and" or comma: "by 3.1x and improves ..."
        after = sentence[group_end : min(following, clause[1], group_end + 60)]
        after = re.split(r",|\band\b|\bwhile\b|\bat (?:a |the )?cost of\b", after, maxsplit=1)[0]
        value = value_of(match.number)
        if _MINUS.search(sentence, max(0, match.start - 4), match.start) and not _RANGE_DASH.search(
            sentence, max(0, match.start - 16), match.start
        ):
            value = -value  # "by -0.3", not the high end of "3 - 5x"
        share_of = comparisons.share(match.start)
        comparative = bool(_BARE_COMPARATIVE.match(sentence, group_end))
        baseline = share_of or _baseline(comparisons, clause, match.start, comparative)
        local = near(match.start, group_end)
        # a number whose measure is not named is what its unit measures: a score without a unit is a
        # benchmark's score ("55.1 on LongVideoBench"), tokens/s a decoding speed ("decodes at 9.8
        # tokens/s"), a time in seconds a latency ("a 4-step sample takes 0.31 s")
        metric = metric_for(sentence, match, group_end, clause, local, following) or _measure_of_unit(match.unit, before)
        if index and previous_metric and _RANGE_DASH.search(sentence, matches[index - 1].start, match.start):
            metric = previous_metric  # "in the range of 15%-50% across ...": a range measures one thing
        elif metric is None and index and previous_metric and group_end_of[index - 1] == group_end:
            metric = previous_metric  # "reduces memory by 4.1x, 3.9x and 3.6x": a list measures one thing
        previous_metric = metric
        found = _direction(own, after) or _direction(before, "")
        if found is None and results and _AND_BY.fullmatch(own) and results[-1].direction:
            # "improves mAP by 3.4 over A and by 1.2 over B": the verb holds for the second number too
            found = (results[-1].direction, "")
        if found is None and match.unit == "x" and value != 1 and _MULTIPLE_OF.match(sentence, match.end):
            # "1.4x that of Transformer++", "19.7x the throughput of the teacher": more, or less
            found = ("increase", "more") if value > 1 else ("decrease", "less")
        direction = _directed(found, metric)
        if direction is None and index and _starts_a_change(sentence, matches, index - 1):
            start = matches[index - 1]  # "from 94 s to 31 s": the numbers say which way
            if start.unit in (match.unit, "") and value_of(start.number) != value:
                direction = "decrease" if value < value_of(start.number) else "increase"
        if share := _OF_WHOSE.match(sentence, match.end):
            direction = None if _KEPT.search(before) else "decrease" if re.search(r"\bonly\s+$", before) else direction
            if baseline is None and share.group("whose").lower() != "the":
                baseline = comparisons.before(match.start)  # "... over DeiT-S while using only 62% of its FLOPs"
        away = baseline[1] if baseline else (0, 0)
        # the claim's own words: "accuracy on HumanEval by 4.7% | and on MBPP by 3.9%"
        claim = (match.start - len(own), group_end + len(after))
        gain = is_gain(metric, match.unit, direction, found[1] if found else None)
        if _WITHIN.search(before) and _GAP_OF.match(sentence, group_end) and match.unit in _GAP_UNITS:
            # a gap on the worse side: below a score, above an error rate
            direction, gain = "increase" if is_lower_score(metric) else "decrease", False
        # a level ("reaches 94.1% accuracy, 2.1% higher than ResNet-18") is not compared with the
        # baseline its sentence names, but a share is ("retains 97% of BERT-base", "within 1% of")
        compared = (
            direction is not None
            or gain is not None
            or bool(_SHARE.match(sentence, match.end))
            or bool(metric and _PREFERENCE.search(metric) and _AGAINST_AFTER.match(sentence, group_end))
            or bool(share_of)
        )
        results.append(
            Result(
                metric=metric,
                value=value,
                unit=match.unit,
                sentence=sentence,
                direction=direction,
                gain=gain,
                baseline=baseline[0] if baseline and compared else None,
                dataset=_benchmark(local, match.start, claim, whole, away, listed),
                model=_subject(sentence, local, (match.start, group_end), clause, away, comparisons.phrases, listed),
                hardware=None if _device_free(metric) else _device(local, match.start, claim=claim, whole=whole, away=away),
                start=match.start + offset,
                end=match.end + offset,
            )
        )
    return _costs_and_scores(sentence, _respectively(sentence, results, spans, offset), spans, offset)


#: "cuts FLOPs from 4.6 GFLOPs to 2.9 GFLOPs": the claim is the value reached (not "ranging from A to B")
_FROM = re.compile(FROM_WORDS + "$", re.IGNORECASE)
_TO = re.compile(TO_WORDS, re.IGNORECASE)
#: "5.8 → 5.72", "37.2 \rightarrow 23.3" (LaTeX, its backslash often lost): from one to the other
_ARROW = re.compile(r"\s*(?:→|->|\\?rightarrow\b)\s*")
#: "46.9 vs. 44.9 AP": the second number is the baseline's, not a claim of the paper
_VERSUS = re.compile(r"\d(?:\.\d+)?\s*(?:\\?%|[x×]|[A-Za-z]{1,6})?\s*(?:vs\.?|versus)\s+$", re.IGNORECASE)
#: a minus sign before a number ("by -0.3"), and the dash of a range ("3 - 5x") that is not one
_MINUS = re.compile(r"(?:^|[\s(\[])[-−]\s*$")
_RANGE_DASH = re.compile(r"\d\s*(?:\\?%|[x×])?\s*[-−]\s*$")


def _superseded(sentence: str, matches: Sequence[Quantity], index: int) -> bool:
    """A number that is not a claim itself: the starting value of "from A to B" or "A → B", or the
    baseline's value after "vs." ("46.9 vs. 44.9")."""
    here = matches[index]
    return _starts_a_change(sentence, matches, index) or bool(_VERSUS.search(sentence, max(0, here.start - 30), here.start))


def _starts_a_change(sentence: str, matches: Sequence[Quantity], index: int) -> bool:
    """The number is A in "from A to B" or "A → B"."""
    here = matches[index]
    following = matches[index + 1] if index + 1 < len(matches) else None
    if following is None:
        return False
    if _ARROW.fullmatch(sentence, here.end, following.start):
        return True
    start = _FROM.search(sentence, max(0, here.start - 20), here.start)
    return bool(start and not start.group("range") and _TO.fullmatch(sentence, here.end, following.start))


@dataclass
class _Comparisons:
    """Every "compared to X", "than X", "outperforms X" in a sentence, found once for all its
    numbers, in sentence order: (where the cue starts, what it names and where)."""

    found: list[tuple[int, tuple[str, tuple[int, int]]]] = field(default_factory=list)
    #: the ones that hold sentence-wide ("compared to", "than"), not only in their clause
    sentence_wide: list[tuple[int, tuple[str, tuple[int, int]]]] = field(default_factory=list)
    #: shares of another's measure, each for the one number inside it: "within 1% of the teacher"
    #: (where the share starts, where what it names starts, that)
    shares: list[tuple[int, int, tuple[str, tuple[int, int]]]] = field(default_factory=list)
    #: where the comparisons that continue another stand ("over A by 0.9 and | B by 2.2"): they hold
    #: only for the numbers after them
    continued: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        #: where the compared-against phrases stand
        self.phrases = Spans([where for _, (_, where) in self.found] + [where for _, _, (_, where) in self.shares])
        self.starts = [start for start, _ in self.found]
        self.wide_starts = [start for start, _ in self.sentence_wide]
        self.share_starts = [start for start, _, _ in self.shares]

    def share(self, position: int) -> tuple[str, tuple[int, int]] | None:
        """What the number at ``position`` is a share of, if it is one."""
        index = bisect_right(self.share_starts, position) - 1
        if index >= 0 and position < self.shares[index][1]:
            return self.shares[index][2]
        return None

    def before(self, position: int) -> tuple[str, tuple[int, int]] | None:
        """The last comparison made before ``position``, in any clause."""
        index = bisect_left(self.starts, position)
        return self.found[index - 1][1] if index else None


def _comparisons(sentence: str, spans: Sequence[Span], near: Callable[[int, int], list[Span]]) -> _Comparisons:
    found, sentence_wide, continued = [], [], set()
    for match in _BASELINE.finditer(sentence):
        what = match.start("what"), match.end("what")
        baseline = _compared_against(sentence, *what, near(*what))
        if baseline and match.group("verb") and not _names_a_model(baseline[0], near(*what), what[1]):
            continue  # a verb that is also a noun: "straggler lag by 30%", "beat tracking F1"
        if baseline:
            found.append((match.start(), baseline))
            if match.group("compare"):
                sentence_wide.append((match.start(), baseline))
            # "outperforms SR-STE by 0.9 points and ASP by 2.2 points": the cue holds for the next name too
            end = what[1]
            while (more := _AND_NEXT.match(sentence, end)) and (
                also := _compared_against(sentence, more.start("what"), more.end("what"), near(more.start("what"), more.end("what")))
            ):
                found.append((more.start("what"), also))
                continued.add(more.start("what"))
                end = more.end("what")
    for match in _ABOVE_OR_BELOW.finditer(sentence):
        what = match.start("what"), match.end("what")
        if baseline := _compared_against(sentence, *what, near(*what)):
            found.append((match.start("cue"), baseline))
    found.sort(key=lambda comparison: comparison[0])
    shares = []
    for match in _SHARE_OF.finditer(sentence):
        if _REMOVES.search(sentence, max(0, match.start() - 40), match.start()):
            continue  # "prunes 43% of the layers of Llama-2-13B": the model it is applied to
        what = next(group for group in ("owner", "reference", "what") if match.group(group))
        baseline = _compared_against(sentence, match.start(what), match.end(what), near(match.start(what), match.end(what)))
        if baseline and _names_a_model(baseline[0], spans, match.end(what)):
            shares.append((match.start(), match.start(what), baseline))
    return _Comparisons(found, sentence_wide, shares, frozenset(continued))


def _baseline(
    comparisons: _Comparisons, clause: tuple[int, int], position: int, comparative: bool = False
) -> tuple[str, tuple[int, int]] | None:
    """What the claim at ``position`` in ``clause`` is compared against, and where that phrase is.

    The comparison in the claim's own clause nearest after the number, else nearest before it
    ("a 23x gain over A and 1.7x over B"); failing that, a "compared to" or "than" anywhere in
    the sentence ("... by 2.7% compared to X, while saving 43%" is relative to X twice).
    """
    found, starts = comparisons.found, comparisons.starts
    index = bisect_left(starts, position)
    if index < len(found) and starts[index] < clause[1] and starts[index] not in comparisons.continued:
        return found[index][1]
    if index > 0 and starts[index - 1] >= clause[0]:
        return found[index - 1][1]
    wide = comparisons.sentence_wide
    if not wide:
        # "outperforming A by 1.7 AP while running 1.4x faster": a comparative with no "than" of its
        # own compares with the one compared before
        if comparative and index > 0:
            return found[index - 1][1]
        return None
    index = bisect_left(comparisons.wide_starts, position)
    return wide[index][1] if index < len(wide) else wide[-1][1]


#: where the name of what is compared against ends
_COMPARED_END = re.compile(
    r"\s+(?:is|are|was|were|never|does|do|did|can|cannot|remains?|stays?)\s"
    r"|\s+of\s+(?:the\s+)?(?:same|similar|equal|comparable|matched|equivalent)\b"
    r"|\s+(?:thanks to|owing to|because of|due to)\b",
    re.IGNORECASE,
)
_COMPARED_LEAD = re.compile(r"^(?:(?:with|for|to)\s+)?(?:the\s+)?(?:(?:its|their|our)\s+)?(?:corresponding|equivalent)?\s*", re.IGNORECASE)
#: words that point at a name said elsewhere, not a name
_NOT_COMPARED = frozenset("latter former it them this that these those others".split())


def _compared_against(sentence: str, start: int, end: int, spans: Sequence[Span]) -> tuple[str, tuple[int, int]] | None:
    what = sentence[start:end].strip()
    # "executing only the bigger model", "utilizing only a single GPU type"
    lead = re.match(r"\w+ing\s+(?:only\s+)?(?:the|a|an)\s+", what)
    what = what[lead.end() :] if lead else what
    # "existing solutions such as FlexGen": the named one
    what = re.split(r"\s+such as\s+", what)[-1]
    # "the speedup over cuBLAS is 1.2x": the phrase ends at the verb; "a detector of the same cost",
    # "SAM 2 thanks to fewer matches": what qualifies the compared one is not its name
    what = _COMPARED_END.split(what)[0]
    # "with the teacher", "its dense counterpart", "the corresponding Pythia baseline"
    what = _COMPARED_LEAD.sub("", what)
    what = _RESPECTIVELY_AFTER.sub("", what)
    if (reference := _REFERENCE_START.match(what)) and _MEASURE_AFTER_REFERENCE.fullmatch(what, reference.end()):
        # the measure's benchmark ("the FP16 MT-Bench score") stays free to be the claim's
        what = reference.group()
        start = sentence.find(what, start, end)
        end = start + len(what)
    # "the previous state-of-the-art architecture AmoebaNet-B", "the baseline model Swin-T": the name
    phrase_end = start + len(sentence[start:end].rstrip())
    names = [s for s in spans if s.label in ("Method", "Model") and start <= s.start and s.end == phrase_end]
    if names and what.endswith(names[-1].text) and _APPOSITION.search(what[: -len(names[-1].text)]):
        what = names[-1].text
    if not what or re.match(r"[\d$€£]", what) or len(what.split()) > 8 or what.lower() in _NOT_COMPARED:
        return None
    return what, (start, end)


def _names_a_model(what: str, spans: Sequence[Span], end: int) -> bool:
    """Whether a compared phrase (ending at ``end``) is a method or model: it ends with one's name
    ("the original SAM"), with a word for one ("the teacher"), or is a reference ("dense attention")."""
    return (
        any(s.label in ("Method", "Model") and s.end == end for s in spans)
        or bool(_SHARE_OF_WHAT.search(what) or _REFERENCE_START.match(what))
    )


def _respectively(sentence: str, results: list[Result], spans: Sequence[Span], offset: int = 0) -> list[Result]:
    """Pair "A and B ... 2x and 3x ..., respectively" in order: baselines, models, datasets, hardware.
    A list of names pairs with all the sentence's numbers, or with each run of as many numbers
    ("On arXiv and GovReport, it reaches 41.2 and 49.8, improving over LED by 1.5 and 2.3, respectively").
    Benchmarks and devices pair with a run of as many numbers without the word too: "On CIFAR-10,
    CIFAR-100 and Tiny-ImageNet, it improves accuracy by 1.8%, 2.6% and 3.9%"."""
    if len(results) < 2:
        return results
    said = "respectively" in sentence
    respectively = _RESPECTIVELY.search(sentence) if said else None
    if respectively and len(results) == 2:
        names = [respectively.group("a"), respectively.group("b")]
        names = [re.sub(r"^(?:to|with|than|over|the)\s+", "", n, flags=re.IGNORECASE) for n in names]
        if re.search(rf"\b(?:{_COMPARE_CUE}|over)\s", sentence[: respectively.start("a") + 1], re.IGNORECASE):
            results = [replace(r, baseline=n) for r, n in zip(results, names)]
    compared = re.compile(rf"(?:{_COMPARE_CUE}|over|against|outperform\w*|surpass\w*|exceed\w*|beat\w*)\s+(?:the\s+)?$", re.IGNORECASE)
    runs = _number_runs(sentence, results, offset)

    def pair(label: str, run: Sequence[int], names: list[Span]) -> None:
        if label in ("Model", "Method") and compared.search(sentence, max(0, names[0].start - 40), names[0].start):
            against = {n.text for n in names}
            for i, n in zip(run, names):
                results[i] = replace(results[i], baseline=n.text, model=None if results[i].model in against else results[i].model)
        elif label != "Method":
            for i, n in zip(run, names):
                results[i] = replace(results[i], **{label.lower(): n.text})

    for label in ("Model", "Method", "Dataset", "Hardware") if said else ("Dataset", "Hardware"):
        # a list pairs with all the numbers if it has as many, else each run takes the nearest list
        # of its length (by bisection: a long sentence of many lists stays near linear)
        others: dict[int, list[list[Span]]] = defaultdict(list)
        for names in _lists(sentence, [s for s in spans if s.label == label]):
            if said and len(names) == len(results):
                pair(label, range(len(results)), names)
            else:
                others[len(names)].append(names)
        starts = {length: [names[0].start for names in lists] for length, lists in others.items()}
        for run in runs:
            lists = others.get(len(run))
            if not lists:
                continue
            where = results[run[0]].start - offset
            index = bisect_left(starts[len(run)], where)
            nearest = min(lists[max(0, index - 1) : index + 1], key=lambda names: abs(names[0].start - where))
            pair(label, run, nearest)
    return results


def _number_runs(sentence: str, results: list[Result], offset: int) -> list[range]:
    """The runs of two or more numbers joined by commas and "and": "41.2 and 49.8", "2x, 3x and 4x"."""
    runs: list[range] = []
    first = 0
    for i in range(1, len(results) + 1):
        joined = i < len(results) and LIST_JOIN.fullmatch(sentence, results[i - 1].end - offset, results[i].start - offset)
        if not joined:
            if i - first > 1:
                runs.append(range(first, i))
            first = i
    return runs


def _lists(sentence: str, spans: list[Span]) -> list[list[Span]]:
    """Runs of mentions joined by commas and "and": "MotionBERT and MixSTE"."""
    runs: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if runs and re.fullmatch(r"\s*(?:,|and|, and|/)\s*", sentence[runs[-1][-1].end : span.start]):
            runs[-1].append(span)
        else:
            runs.append([span])
    return [run for run in runs if len(run) > 1]


#: a name an experiment is set up on: "using the Mistral-7B model", "utilizing DeepSeek-Coder models",
#: "on the GSM8K dataset"
_SETUP_BEFORE = re.compile(r"\b(?:us(?:e|es|ed|ing)|utiliz\w+|with|on|across|to)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
#: words of a sentence that says what the experiments were run on
_EXPERIMENT = re.compile(r"\b(?:evaluat|experiment|validat|test|benchmark|target model|appl(?:y|ied|ying)\b)", re.IGNORECASE)
_SETUP_KIND = {
    "Model": re.compile(r"\s+(?:models?|family|series|backbones?)\b", re.IGNORECASE),
    "Dataset": re.compile(r"\s+(?:datasets?|benchmarks?)\b", re.IGNORECASE),
}


def with_setup(
    text: str, sentences: Sequence[tuple[int, int]], mentions: Sequence[Mention], results: list[Result], *, since: int = 0
) -> list[Result]:
    """Results whose sentence names no model, benchmark or hardware take the one the abstract
    says its experiments were set up on, when it says exactly one: "Through analysis using the
    Mistral-7B model on the GSM8K dataset ... The combined approach results in 9.38% accuracy";
    "All experiments run on a single RTX 4090. ... 2.3x faster". A benchmark is a score's, a
    chip a cost's, as within a sentence. Only what is named from ``since`` (where the authors
    start to speak) sets the experiments up."""
    starts = [start for start, _ in sentences]

    def sentence_of(position: int) -> int:
        return bisect_right(starts, position) - 1

    named = {(sentence_of(m.start), m.label) for m in mentions}
    with_numbers = {sentence_of(r.start) for r in results}
    spoken = [m for m in mentions if m.start >= since]
    setup: dict[str, set[str]] = {}
    for label, kind in _SETUP_KIND.items():
        setup[label] = {
            m.text for m in spoken
            if m.label == label and kind.match(text, m.end) and _SETUP_BEFORE.search(text, max(0, m.start - 30), m.start)
        }
    # the one model the authors name is the one they measure, where they say they experiment on
    # it ("We evaluate X on Llama-3.1-8B", "Our target model is CodeLlama-34B"), unless they
    # compare with it
    models = {m.canonical: m for m in spoken if m.label == "Model"}
    if len(setup["Model"]) != 1 and len(models) == 1:
        model = next(iter(models.values()))
        if _EXPERIMENT.search(model.sentence) and not any(r.baseline == model.text for r in results):
            setup["Model"] = {model.text}
    # a chip named where no number is reported is where the experiments ran, if it is the only one
    chips = [m for m in spoken if m.label == "Hardware"]
    unquantified = [m for m in chips if sentence_of(m.start) not in with_numbers]
    if len({m.canonical for m in chips}) == 1 and unquantified:
        setup["Hardware"] = {unquantified[0].text}
    filled = []
    for r in results:
        cost = _is_cost(r)
        for label, names in setup.items():
            field_name = label.lower()
            if len(names) != 1 or getattr(r, field_name) is not None or (sentence_of(r.start), label) in named:
                continue
            if (label == "Dataset" and cost) or (label == "Hardware" and not cost):
                continue
            name = next(iter(names))
            if r.baseline != name:
                r = replace(r, **{field_name: name})
        filled.append(r)
    return filled
