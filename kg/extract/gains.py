"""Whether a result is good news: a 40% memory cut and a 0.4% accuracy drop are both decreases.

A user asking what a technique gains needs to tell them apart, and the direction alone cannot:
it takes knowing which way is better for the measure (lower latency, higher accuracy), which is
general knowledge about measures, kept here as head words. Some words settle it whatever the
measure ("improves", "faster", "degrades"), and some measures are gains by what they are (a
speedup, a compression ratio).
"""

from __future__ import annotations

import re

#: heads of scores where lower is better: errors and distances ("improves perplexity" lowers it)
_LOWER_SCORE_HEADS = frozenset(
    "perplexity perplexities ppl fid sfid fvd kid lpips error errors wer cer loss losses mse mae rmse mape nmse crps "
    "divergence distance regret forgetting".split()
)
#: heads of measures where lower is better: those scores, and costs
_LOWER_HEADS = _LOWER_SCORE_HEADS | frozenset(
    "latency latencies time times runtime run-time delay delays duration memory footprint overhead overheads cost "
    "costs energy power consumption usage flops gflops tflop macs gmacs bops parameter parameters param params size "
    "sizes hours computation computations compute samples tokens ttft tpot bits bitwidth bit-width bitrate "
    "emissions area storage traffic volume price dollars expense expenses nfe steps evaluations complexity draw "
    "sram dram slowdown slowdowns lagging".split()
)
#: heads of measures where higher is better: quality, speed, efficiency
_HIGHER_HEADS = frozenset(
    "accuracy accuracies acc throughput throughputs speedup speedups speed-up speed-ups speed speeds efficiency "
    "efficiencies utilization utilisation score scores f1 bleu rouge meteor cider psnr ssim ap map miou iou auc auroc "
    "recall precision quality fidelity performance goodput tflops tops fps qps gflops/s correlation return reward "
    "robustness consistency diversity agreement coverage attainment savings saving gain gains improvement "
    "improvements acceleration success elo mos top-1 top-5 top1 top5 dice frequency capability capabilities".split()
)
#: a rate or a ratio is good or bad by what it counts: "error rate", "win rate", "compression ratio"
_LOWER_RATES = frozenset("error errors hallucination collision miss false toxicity drop violation failure bit".split())
#: measures that are a gain by what they are, even with no word of change: "a 2.9x speedup"
_GAIN_MEASURES = re.compile(
    r"\b(?:speed-?ups?|acceleration|compression(?: ratio| rate)?|savings?|reduction|improvement|gains?)$", re.IGNORECASE
)
#: a unit says what kind of measure an unnamed one is: "0.8 points below", "cuts it to 45 ms"
_HIGHER_UNITS = frozenset("points AP mAP FPS tokens/s tok/s GB/s TB/s TFLOPS PFLOPS petaflops".split())
_LOWER_UNITS = frozenset(
    "ms µs us s seconds minutes hours days GPU-hours GPU-days J kWh W watts GMACs GFLOPs bits GB MB TB".split()
)
#: "the parameter count", "the number of parameters": what is counted says which way is better
_COUNTS = frozenset("count counts number numbers amount".split())
#: "FID score": what is scored says it; "CLIP score", "GLUE score": a score is better higher
_SCORES = frozenset("score scores value values".split())
#: words of change that say it is for the better or the worse whatever the measure
#: (prefixes of the direction words `results` finds)
_BETTER_WORDS = ("improv", "better", "boost", "faster", "speedup", "speed-up", "speeds up", "accelerat",
                 "outperform", "surpass", "exceed", "gain", "save", "saving", "cheaper")
_WORSE_WORDS = ("degrad", "trail", "at a cost of", "at the cost of", "at cost of")
#: taking away what the measure counts is a saving unless the measure is a quality: "removes 25% of the experts"
_REMOVAL_WORDS = ("remov", "eliminat", "cut")


def better_way(metric: str | None, unit: str | None = None) -> str | None:
    """"lower" or "higher": which way the measure is better, read from its head word ("inference
    time" -> lower, "energy efficiency" -> higher, "the number of parameters" -> lower), else from
    the unit (points of a score, milliseconds of a time); None when neither says."""
    way = _way_of_metric(metric) if metric else None
    if way is None and unit:
        unit = unit.replace(" ", "-")
        way = "higher" if unit in _HIGHER_UNITS else "lower" if unit in _LOWER_UNITS else None
    return way


def is_lower_score(metric: str | None) -> bool:
    """A score where lower is better (perplexity, FID, an error rate): "improves" it lowers it."""
    head = _head(metric) if metric else None
    if head in _LOWER_SCORE_HEADS:
        return True
    return head in ("rate", "rates") and _way_of_metric(metric or "") == "lower"  # "word error rate"


def _head(metric: str) -> str | None:
    """The word that says what is measured: "parameters" in "the number of parameters"."""
    words = _head_words(metric)
    return words[-1] if words else None


def _head_words(metric: str) -> list[str]:
    words = metric.lower().replace("\\", "").split()
    for word in ("per", "to"):  # "time per output token", "time to first token": a time
        if word in words:
            words = words[: words.index(word)]
    if "of" in words and words.index("of") < len(words) - 1:  # "number of parameters": what is counted
        words = words[words.index("of") + 1 :]
    if len(words) > 1 and (words[-1] in _COUNTS or words[-1] in _SCORES and words[-2] in _LOWER_HEADS | _HIGHER_HEADS):
        words = words[:-1]
    return words


def _way_of_metric(metric: str) -> str | None:
    words = metric.lower().split()
    if "per" in words and words[words.index("per") + 1 : words.index("per") + 2] in (["second"], ["sec"], ["s"]):
        return "higher"  # "tokens per second" is a speed
    words = _head_words(metric)
    if not words:
        return None
    head = words[-1]
    if head == "size" and words[-2:-1] in (["batch"], ["micro-batch"]):
        return "higher"  # a larger batch on the same device is more capacity, not more cost
    if head in ("rate", "rates", "ratio", "ratios"):
        return "lower" if any(w in _LOWER_RATES for w in words[:-1]) else "higher"
    if head in _HIGHER_HEADS or head.startswith("pass@"):
        return "higher"
    if head in _LOWER_HEADS:
        return "lower"
    return None


def _word_verdict(word: str | None) -> bool | None:
    """True or False when the word of change says better or worse by itself ("improves", "degrades")."""
    if not word:
        return None
    if word.startswith(_WORSE_WORDS):
        return False
    if word.startswith(_BETTER_WORDS):
        return True
    return None


def is_gain(metric: str | None, unit: str | None, direction: str | None, word: str | None) -> bool | None:
    """Whether the result is a change for the better (True), for the worse (False), or neither or
    unknown (None): a level such as "96.1% accuracy" is not a change."""
    if direction is None:
        return True if metric and _GAIN_MEASURES.search(metric) else None
    verdict = _word_verdict(word)
    if verdict is not None:
        return verdict
    way = better_way(metric, unit)
    if way is None:
        return True if direction == "decrease" and word and word.startswith(_REMOVAL_WORDS) else None
    return (direction == "increase") == (way == "higher")
