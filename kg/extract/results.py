"""Numeric results: "achieves 10.33x and 2.72x speedup over A and B, respectively".

A plain function over one sentence and the mentions found in it, so it can be
tested without a pipeline. The numbers come from `quantities`, what each
measures from `measures`, the baseline each is compared with from
`baselines`, and the model, benchmark and hardware it is about from
`subjects`; here each gets its direction, and the pieces are put together
into a `Result`. Values keep the sign as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from kg.extract.baselines import baseline_of, find_comparisons, pair_respectively
from kg.extract.gains import is_gain, is_lower_score
from kg.extract.measures import Span, bare_scores, metric_for
from kg.extract.quantities import FROM_WORDS, TO_WORDS, Quantity, Spans, group_ends, quantities, value_of
from kg.extract.subjects import (
    SCORE_UNITS,
    benchmark_of,
    costs_and_scores,
    device_free,
    device_of,
    is_cost,
    listed_names,
    model_of,
)
from kg.records import Mention, Result

_DIGIT = re.compile(r"\d")
#: how far from a number (in characters) the names it may be about are looked for
_NEAR = 400
#: where one claim's clause ends and the next begins: "..., while reducing", "; ", ", outperforming"
_CLAUSE_BREAK = re.compile(
    r";|,?\s+(?:while|whereas|but|yet)\s|,\s+(?:\w+ly\s+)?\w+ing\s|,\s+which\s|,\s+and\s+(?:it|they|we|this|these|our)\s"
)
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
#: the units of a gap "within" another's measure (not a budget: "fits within 16 GB of memory")
_GAP_UNITS = SCORE_UNITS | {"x"}
#: a share kept is a level, not a change: "retains 97% of", "reaches 95% of"
_KEPT = re.compile(r"\b(?:retain|preserv|keep|kept|maintain|recover|match|reach)\w*\s+(?:up to\s+|over\s+|about\s+|nearly\s+)?$", re.IGNORECASE)

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
    comparisons = find_comparisons(sentence, spans, near)
    listed = listed_names(sentence, spans)  # once a sentence, not once a number
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
        baseline = share_of or baseline_of(comparisons, clause, match.start, comparative)
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
                dataset=benchmark_of(local, match.start, claim, whole, away, listed),
                model=model_of(sentence, local, (match.start, group_end), clause, away, comparisons.phrases, listed),
                hardware=None if device_free(metric) else device_of(local, match.start, claim=claim, whole=whole, away=away),
                start=match.start + offset,
                end=match.end + offset,
            )
        )
    return costs_and_scores(sentence, pair_respectively(sentence, results, spans, offset), spans, offset)


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
        cost = is_cost(r)
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
