"""What a number measures: "1.4x higher throughput", "reduces the computational cost by 3x".

Read from the words around the number in its own clause, most direct first;
a Metric mention inside those words names the measure, and the nearest
Metric mention is the last resort.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from kg.extract.gains import better_way
from kg.extract.quantities import FROM_WORDS, LIST_JOIN, QUANTITY, TO_WORDS, Quantity, Spans

#: a metric phrase is a few words; these end it ("50% FLOPs without ...", "10% on ImageNet")
_PHRASE_STOP = frozenset(
    "a an the of in on at for from with without by over than to compared across under while when and or as per "
    "is are was were be been being which that who its their our this these those it we they using via into within "
    "respectively only just up about around nearly approximately roughly each all both whereas but during despite "
    "due given after before through among between against versus vs like such where if since because so then "
    "can could may will would should has have had not pm sim approx i.e e.g even still also already again alone "
    "overall".split()
)
#: comparatives between a number and what it measures: "1.4x higher throughput"
_COMPARATIVES = frozenset(
    "higher lower fewer less more better worse smaller larger greater absolute relative average additional further "
    "overall original total entire whole faster slower cheaper longer shorter below above".split()
)
#: the change itself, not the measure: "28% latency reduction", "0.2% accuracy drop"
_CHANGE_NOUNS = frozenset(
    "reduction reductions drop drops improvement improvements gain gains increase increases decrease decreases "
    "saving savings degradation increment loss acceleration rise".split()
)
#: the same, as a regex alternative: "a 0.9 increase in perplexity", "a perplexity increase of 0.9"
_CHANGE_NOUN = "|".join(sorted(_CHANGE_NOUNS, key=len, reverse=True))
#: "73% in inference time", "a 3x saving in GPU hours": the measure follows
_IN_OR_OF = re.compile(rf"\s*(?:(?:{_CHANGE_NOUN})\s+)?(?:in|of)\s+(?:the\s+|its\s+|their\s+)?", re.IGNORECASE)
#: heads that keep their "of": "the number of parameters", "the length of generated sequences"
_OF_HEADS = frozenset("number amount length size count fraction percentage proportion".split())
#: words that say where a number sits, not what it measures: "in the range of 15%-50%"
#: nor what it is measured against: "within 1% of the teacher", "0.5% of the original model"
_NOT_MEASURES = frozenset(
    "range average factor order magnitude margin total model models baseline baselines teacher student method "
    "methods approach approaches".split()
)
#: parts of a model or its inputs that a number may count, whichever way is better: "43% of the layers"
_COUNTED = frozenset("layer layers expert experts head heads cache caches data token tokens weights channels".split())
#: the stems of verbs of change: "improves", "reduced", "saving"
_CHANGE_STEMS = "improv|reduc|increas|decreas|boost|lower|sav|accelerat|enhanc|rais|shrink"
#: a verb ends a phrase read backwards: "improves | classification accuracy by 1%"
_VERB_FORM = re.compile(
    rf"(?:{_CHANGE_STEMS}|achiev|yield|obtain|show|reach|attain|deliver|provid|maintain|keep|preserv|sustain|"
    r"requir|us|need|tak|run|get|giv|mak|demonstrat|report|outperform|surpass|exceed|ris|rose|fall|fell|grow|grew|"
    r"impli|imply|let|allow|enabl|permit|lead|led|bring|brought|suggest|indicat|translat)"
    r"(?:e|es|ed|ing|s|n)?",
    re.IGNORECASE,
)
#: "compresses ResNet-50 by", "compressing the KV cache by": a multiple is the compression ratio
_COMPRESS_VERB = re.compile(r"\bcompress(?:es|ed|ing)?\s+(?:[\w\-.]+\s+){0,4}$", re.IGNORECASE)
#: the verb (and its auxiliary) right before "by" when the measure is its subject: "is reduced", "falls"
_VERB_BEFORE = re.compile(
    rf"(?:\b(?:is|are|was|were|be|been|gets?|got)\s+)?\b(?:{_VERB_FORM.pattern}|drop(?:s|ped|ping)?)\s+$",
    re.IGNORECASE,
)
#: "improves X by 10%", "reduces the cost of Y by up to 3x"; the verb's object is the measure
_CHANGE_VERB = re.compile(rf"\b(?:{_CHANGE_STEMS}|speed(?:s|ing)?\s+up|cut)\w*\s+", re.IGNORECASE)
_QUALIFIERS = r"(?:(?:up to|over|more than|nearly|about|around|approximately|roughly|almost|at least|an average of|" \
    r"on average|as much as|a factor of|just|only|merely)\s+|(?:~|\\?sim\b)\s*)*"
_BY_END = re.compile(r"\bby\s+" + _QUALIFIERS + r"$", re.IGNORECASE)
#: "cuts the peak memory from 142 GB to 46 GB": the measure is the changed verb's object, as with "by"
#: (not "ranging from A to B", which names its measure before)
_FROM_TO_END = re.compile(FROM_WORDS + rf"(?:[\d.,]+\s*[^\s\d]*{TO_WORDS})?$", re.IGNORECASE)
_TO_END = re.compile(r"\b(?:down\s+|up\s+)?to\s+" + _QUALIFIERS + r"$", re.IGNORECASE)
_OF_END = re.compile(r"(?:\bof|=|:)\s*" + _QUALIFIERS + r"$", re.IGNORECASE)
#: which statistic of a measure, part of its name: "average accuracy", "P99 latency"
_STATISTIC = re.compile(r"\b(?:average|mean|median|peak|P\d{2}|tail|worst-case)\s+$", re.IGNORECASE)
_WORD = re.compile(r"(?:(?!--)[^\s,;:()\[\]{}—])+")
_DETERMINERS = frozenset("the a an its their our this these".split())
#: how many characters either side of a number its measure is looked for in
_READING = 200
#: "in the range of 15%-50%", "ranging from 2x": the measure is named before
_RANGE_INTRO = re.compile(r"(?:(?:in|within)\s+the\s+range\s+of|ranging\s+from)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A mention placed in the sentence's own offsets."""

    label: str
    text: str
    start: int
    end: int


def _phrase(sentence: str, start: int, end: int, spans: Sequence[Span], *, forward: bool) -> str | None:
    """The few words after ``start`` (or before ``end``) that name a measure, up to a stop word.

    A Metric mention inside the words wins ("state-of-the-art accuracy" is
    accuracy); words that are another kind of name are not a measure.
    """
    start, end = (start, min(end, start + _READING)) if forward else (max(start, end - _READING), end)
    words = list(_WORD.finditer(sentence, start, end))
    if not forward:
        words.reverse()
    taken: list[re.Match[str]] = []
    boundary = start if forward else end
    skipped = ""
    for word in words:
        text = word.group().rstrip(".").lower()
        gap = sentence[boundary : word.start()] if forward else sentence[word.end() : boundary]
        if re.search(r"[,;:()\[\]—]|--", gap):
            break
        boundary = word.end() if forward else word.start()
        if not taken and forward and (text in _COMPARATIVES or text in _DETERMINERS):
            skipped = text
            continue
        # "0.9 points below the full-precision model", "0.19 above full-rank Adam": after a comparative
        # comes what is compared with
        if not taken and (skipped in _COMPARATIVES and text in _DETERMINERS | {"than"} or skipped in ("above", "below")):
            break
        # "the number of parameters", "energy consumption per token"
        if forward and taken and (text == "per" or text == "of" and taken[-1].group().lower() in _OF_HEADS):
            taken.append(word)
            continue
        if (
            text in _PHRASE_STOP
            or _VERB_FORM.fullmatch(text)
            or not re.match(r"[a-z@]", text)
        ):
            break
        taken.append(word)
        if len(taken) == 4 or word.group().endswith("."):
            break
    if not forward:
        taken.reverse()
    while taken and taken[-1].group().rstrip(".").lower() in _CHANGE_NOUNS | {"of", "per"}:
        taken.pop()
    if not taken:
        return None
    low, high = taken[0].start(), taken[-1].end()
    if any(w.group().lower().startswith(("speedup", "speed-up")) for w in taken):
        return "speedup"
    # "NVIDIA V100 GPUs" is hardware, but "GLUE score" is a measure named after a benchmark
    head = taken[-1].start()
    if any(s.label != "Metric" and s.start <= head < s.end for s in spans):
        return None
    # a Metric mention the stop words cut short wins whole: "time | to first token", "time to | first token"
    whole = [
        s for s in spans
        if s.label == "Metric" and s.start <= low < high <= s.end and (s.start, s.end) != (low, high)
        and (
            high < s.end and sentence[high : s.end].split()[0].lower() in _PHRASE_STOP
            or s.start < low and sentence[s.start : low].split()[-1].lower() in _PHRASE_STOP
        )
    ]
    if whole:
        return whole[-1].text
    metrics = [s for s in spans if s.label == "Metric" and low <= s.start and s.end <= high + 1]
    if metrics:
        statistic = _STATISTIC.search(sentence, max(0, metrics[-1].start - 20), metrics[-1].start)
        return sentence[statistic.start() : metrics[-1].end] if statistic else metrics[-1].text
    text = sentence[low:high].rstrip(".")
    # "the original model's capabilities": what is measured is after the possessive
    text = text.rsplit("'s ", 1)[-1]
    # words no one measures by are not a measure ("MMLU differs", "same token budget")
    head = text.lower().split()[-1]
    return None if head in _NOT_MEASURES or (better_way(text) is None and head not in _COUNTED) else text


#: "within" right before a number: "within 0.3% of BF16"
_WITHIN_END = re.compile(r"\bwithin\s+$")
#: where the words after a number stop being its own: "by 2.7 points, and narrows ..."
_NEXT_CLAIM = re.compile(r",|;|\band\b")
#: the measure a number of points is written with
_POINTS_OF = re.compile(r"\s((?!percentage\b)[A-Za-z][\w\-&@.]*)\s+points?$")
#: units that name their own measure: "40 FPS", "36.3 AP", "156 TFLOPS"
_UNIT_MEASURES = ("FPS", "AP", "mAP", "GMACs", "GFLOPs", "TFLOPS", "PFLOPS")


#: what a number in a unit measures when no words say: "a latency of 4.7 ms", "draws 1.3 W", "0.7 dB"
#: (not tokens/s: decoding speed and throughput are both said)
_UNIT_DEFAULTS = {
    **dict.fromkeys(("frames/s", "images/s", "requests per second", "queries per second", "requests/s"), "throughput"),
    **dict.fromkeys(("ms", "µs", "us"), "latency"),
    **dict.fromkeys(("W", "mW", "kW", "watts"), "power"),
    **dict.fromkeys(("J", "mJ", "µJ", "uJ", "Wh", "kWh", "MWh"), "energy"),
    "dB": "PSNR",
    "nats": "loss",
}


#: what a larger or smaller number is, when it is a batch: "a 4x larger (micro-)batch", "batches 4 times larger"
_BATCH_AFTER = re.compile(r"\s+(?:micro-?)?batch", re.IGNORECASE)
_BATCH_BEFORE = re.compile(r"\bbatch(?:es)?\s+(?:up\s+to\s+)?$", re.IGNORECASE)


def metric_for(
    sentence: str, quantity: Quantity, group_end: int, clause: tuple[int, int], spans: Sequence[Span], high: int
) -> str | None:
    """What a number measures, by the words around it, most direct first.

    "10.33x and 2.72x speedup", "73% in inference time", "reduces the
    computational cost by 3x", "a compression ratio of 576x", "accuracy
    (32.03%)"; failing those, the nearest Metric mention in the clause.
    """
    # "1.9 AP points", "2 accuracy points": the points say whose
    if quantity.unit == "points" and (whose := _POINTS_OF.search(sentence, quantity.start, quantity.end)):
        return whose.group(1)
    # read no further than a few phrases either side, so a long sentence costs linear time
    clause_start, clause_end = max(clause[0], quantity.start - _READING), clause[1]
    after_end = min(high, clause_end, group_end + _READING)
    in_parentheses = sentence[clause_start : quantity.start].rstrip().endswith("(")
    if in_parentheses and (close := sentence.find(")", group_end, after_end)) >= 0:
        after_end = close
    following = sentence[group_end:after_end]
    if quantity.unit == "x" and re.match(r"\s*(?:faster|quicker|speed|acceleration)", following, re.IGNORECASE):
        return "speedup"
    if re.match(r"\s*(?:more|less)\s+accurate\b", following, re.IGNORECASE):
        return "accuracy"  # "1.5 points more accurate than STTS"
    if metric := _phrase(sentence, group_end, after_end, spans, forward=True):
        return metric
    if quantity.unit in ("x", "%") and (larger := re.match(r"\s*(?:smaller|larger|bigger)\b", following, re.IGNORECASE)):
        batch = _BATCH_AFTER.match(following, larger.end()) or _BATCH_BEFORE.search(sentence, max(0, quantity.start - 20), quantity.start)
        # "a 4x larger batch", "serve batches 4 times larger"; else "100x smaller than SAM"
        return "batch size" if batch else "model size"
    # "within 0.3% of BF16": what follows "of" is what the number is compared with
    in_of = None if _WITHIN_END.search(sentence, max(0, quantity.start - 8), quantity.start) else _IN_OR_OF.match(following)
    in_of_phrase = _phrase(sentence, group_end + in_of.end(), after_end, spans, forward=True) if in_of else None
    if in_of_phrase and any(s.label == "Metric" and s.text == in_of_phrase for s in spans):
        return in_of_phrase
    before = sentence[clause_start : quantity.start]
    by = _BY_END.search(before) or _FROM_TO_END.search(before)
    if by and not by.groupdict().get("range"):
        verbs = list(_CHANGE_VERB.finditer(before, 0, by.start()))
        verb = verbs[-1] if verbs and not QUANTITY.search(before, verbs[-1].end(), by.start()) else None
        if verb and re.match(r"speed|accelerat", verb.group(), re.IGNORECASE) and quantity.unit == "x":
            return "speedup"
        if quantity.unit == "x" and _COMPRESS_VERB.search(before, 0, by.start()):
            return "compression ratio"  # "compresses ResNet-50 by 8x"
        if verb and (obj := _phrase(sentence, clause_start + verb.end(), clause_start + by.start(), spans, forward=True)):
            return obj
        if metric := _phrase(sentence, clause_start, clause_start + by.start(), spans, forward=False):
            return metric
    # "energy falls by 3x", "latency is reduced by 2.8 ms", "peak memory drops to 22 GB": the measure
    # is the verb's subject, a Metric mention if one stands just before ("its word error rate on
    # LibriSpeech rises by")
    if (
        (change := by if by and not by.groupdict().get("range") else _TO_END.search(before))
        and (subject := _VERB_BEFORE.search(before, 0, change.start()))
        and (metric := _subject_measure(sentence, clause_start, clause_start + subject.start(), spans))
    ):
        return metric
    for intro in (_OF_END, _RANGE_INTRO):
        if (found := intro.search(before)) and (
            metric := _phrase(sentence, clause_start, clause_start + found.start(), spans, forward=False)
        ):
            return metric
    if quantity.unit in _UNIT_MEASURES:
        return quantity.unit
    if in_parentheses:
        opening = sentence.rindex("(", clause_start, quantity.start)
        if metric := _phrase(sentence, clause_start, opening, spans, forward=False):
            return metric
    if in_of_phrase:
        return in_of_phrase
    # the nearest named measure, not past the next "and" or comma: "by 2.7 points, and narrows the perplexity gap"
    next_claim = _NEXT_CLAIM.search(sentence, group_end, after_end)
    if nearest := _nearest_metric(spans, quantity.start, group_end, clause_start, next_claim.start() if next_claim else after_end):
        return nearest
    if quantity.unit == "x" and re.search(r"\b(?:speed(?:s|ing)?\s*up|accelerat)", before, re.IGNORECASE):
        return "speedup"
    return _UNIT_DEFAULTS.get(quantity.unit)


def _subject_measure(sentence: str, clause_start: int, verb_start: int, spans: Sequence[Span]) -> str | None:
    """The measure that is the subject of a verb of change: a Metric mention ending just before the
    verb (a prepositional phrase may stand between), else the words right before it."""
    named = [s for s in spans if s.label == "Metric" and clause_start <= s.start and verb_start - 60 <= s.end <= verb_start]
    if named:
        return named[-1].text
    return _phrase(sentence, clause_start, verb_start, spans, forward=False)


def _nearest_metric(spans: Sequence[Span], start: int, end: int, low: int, high: int) -> str | None:
    """The Metric mention nearest the number, no further than its clause and its neighbours."""
    best: tuple[int, Span] | None = None
    for s in spans:
        if s.label != "Metric":
            continue
        if end <= s.start < high and s.start - end <= 30:
            distance = s.start - end
        elif low < s.end <= start and start - s.end <= 60:
            distance = start - s.end + 1
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, s)
    return best[1].text if best else None


#: a number without a unit ("5.72", "82.4"), not glued to a word, a unit or a name ("2,400")
_BARE = re.compile(r"(?<![\w.,/\\@])(?<!\w-)(\d+(?:\.\d+)?)(?![\w%×]|[.,]\d|\s*(?:[x×%]|times|-fold))")
#: between a measure and its unitless value: "perplexity of 5.72", "FID = 11.8", "GLUE score (82.4",
#: "from 50 to 8" (the value reached)
_MEASURE_TO_VALUE = re.compile(
    rf"\s*(?:(?:{_CHANGE_NOUN}|scores?|values?)\s+)?"  # "perplexity increase of", "ROUGE-L scores of"
    r"(?:(?:on|in)\s+[\w\-.+]+(?:\s+[\w\-.+]+){0,2}\s+(?=from\b))?"  # "perplexity on WikiText-2 from 5.47 to"
    r"(?:\(|of|=|:|is|was|reaches|reaching|drops to|falls to|rises to|to|from\s+\d+(?:\.\d+)?\s+to|"
    r"(?:of\s+)?\d+(?:\.\d+)?\s*(?:→|->|\\?rightarrow\b))?\s*"
    + _QUALIFIERS
    + r"$",
    re.IGNORECASE,
)
#: what may follow a score: punctuation or a function word, not a unit the number is a count of ("3.4 tokens")
_AFTER_SCORE = re.compile(
    r"\s*(?:[,;.)]|$|(?:vs\.?|→|->|\\?rightarrow\b)|(?:on|in|at|for|with|and|or|while|when|compared|versus|than|over|under|using|"
    r"after|across|which|to|from|by|respectively)\b)",
    re.IGNORECASE,
)
#: the change of a score: "rises by only 0.3", "a 0.9 increase in perplexity"
_CHANGE_AFTER = re.compile(rf"\s+(?:{_CHANGE_NOUN})\s+in\b", re.IGNORECASE)
_SCORE_CHANGE = re.compile(rf"\b(?:{_CHANGE_STEMS}|ris|rose|drop|fall|fell|degrad|grow|grew)\w*\s", re.IGNORECASE)
#: a score's difference from another: "0.35 lower than GaLore", "only 0.4 below the full model",
#: "1.8 and 0.9 higher mIoU"
_COMPARATIVE_AFTER = re.compile(
    r"(?:\s+and\s+\d+(?:\.\d+)?)?\s+(?:points?\s+)?(?:higher|lower|better|worse|above|below)\b", re.IGNORECASE
)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: the next change of a pair: "by 3.4 over MobileSAM and by 1.2 over EfficientSAM-Ti"
_AND_BY = re.compile(r"(?:,|\band)\s+by\s+$")


def bare_scores(sentence: str, found: Sequence[Quantity], spans: Sequence[Span]) -> list[Quantity]:
    """Numbers without a unit that are results all the same, because a measure names them: "a
    perplexity of 5.72", "7.1 perplexity", "perplexity rises by 0.3", "an impressive 55.1 on
    LongVideoBench". A bare number anywhere else ("3 benchmarks", "in 2023") is not read as a result.
    Each number finds its neighbours by bisection, so a sentence of thousands of numbers stays linear."""
    taken = Spans([(q.start, q.end) for q in found] + [(s.start, s.end) for s in spans])  # "pass@1", "Llama-2-7B"
    metric_starts = sorted(s.start for s in spans if s.label == "Metric")
    metric_ends = sorted(s.end for s in spans if s.label == "Metric")
    datasets = {s.start for s in spans if s.label == "Dataset"}
    scores = []
    for match in _BARE.finditer(sentence):
        start, end = match.span(1)
        if start in taken or _YEAR.fullmatch(match.group(1)):
            continue
        before, after = sentence[max(0, start - 80) : start], sentence[end : end + 40]
        previous = bisect_right(metric_ends, start)
        named_before = (
            previous > 0 and _AFTER_SCORE.match(after) and _MEASURE_TO_VALUE.fullmatch(sentence, metric_ends[previous - 1], start)
        )
        # "7.1 perplexity", "23.3 in FID", "within 0.4 and 0.3 BLEU"
        gap = re.match(r"(?: and \d+(?:\.\d+)?)? (?:in |of )?", after)
        following = bisect_left(metric_starts, end + 1)
        named_after = gap is not None and following < len(metric_starts) and metric_starts[following] == end + gap.end()
        metric_near = bisect_left(metric_starts, end + 60) > bisect_left(metric_starts, start - 80)
        changed = metric_near and (
            _BY_END.search(before) and _SCORE_CHANGE.search(before) or _CHANGE_AFTER.match(after) or _COMPARATIVE_AFTER.match(after)
        )
        on = re.match(r"\s+on\s+(?:the\s+)?", after)
        on_benchmark = "." in match.group(1) and on is not None and end + on.end() in datasets
        # the next of a pair or list: "ROUGE-L scores of 41.2 and 49.8", "by 3.4 over A and by 1.2 over B"
        listed = scores and (LIST_JOIN.fullmatch(sentence, scores[-1].end, start) or _AND_BY.search(before)) and _AFTER_SCORE.match(after)
        if named_before or named_after or changed or on_benchmark or listed:
            scores.append(Quantity(start, end, match.group(1), ""))
    return scores

