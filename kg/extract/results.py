"""Numeric results: "achieves 10.33x and 2.72x speedup over A and B, respectively".

A plain function over one sentence and the mentions found in it, so it can be
tested without a pipeline. Values keep the sign as written; the direction
comes from the words around the number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.records import Mention, Result

#: a number not glued to a word ("Llama-2", "v1.5"); after "sim" it is LaTeX's lost "\\sim3x"
_NUMBER = r"(?:(?<![\w.])(?<![A-Za-z]-)|(?<=sim))(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_QUANTITY = re.compile(
    _NUMBER
    + r"\s*(?:"
    + r"(?P<x>[x×X](?![\w-])|[x×](?=-)|-?fold\b|\s?times\b)"
    + r"|(?P<pct>\+?\\?%|\s?percent\b)"
    + r"|\s?(?P<unit>GB/s|TB/s|GB|MB|TB|ms|µs|us|seconds|tokens/s|tok/s|FPS|fps|petaflops|PFLOPS|TFLOPS|"
    + r"GPU[- ]hours|hours|days|watts|W|kWh|J|mAP|AP|GMACs|GFLOPs|points)(?![\w/])"
    + r")",
)
#: the low end of a range whose unit is written once, after the high end: "3-5x", "5-40 times",
#: "2 to 25 times", "108 / 74 FPS"
_RANGE_LOW = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:-|–|~|to|/|\\?sim)\s*$")
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|~|and|or|,|, and|/|\\?sim)\s*$")
#: where one claim's clause ends and the next begins: "..., while reducing", "; ", ", outperforming"
_CLAUSE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but)\s|,\s+(?:\w+ly\s+)?\w+ing\s|,\s+which\s")
#: "compared to A" holds for the whole sentence; "outperforms A" only for its own clause
_COMPARE_CUE = r"compared (?:to|with)|in comparison (?:to|with)|with respect to|than|relative to|versus|vs\.?"
_BASELINE = re.compile(
    rf"\b(?:(?P<compare>{_COMPARE_CUE})|over|against|outperform(?:s|ing)?|surpass(?:es|ing)?)\s+"
    r"(?:both\s+)?(?:the\s+|a\s+|an\s+)?(?P<what>[^,;.\[(]+?)"
    r"(?=(?:,|;|\.|\[|\(|\s+(?:on|in|with|while|and|at|by|across|for|when|that|which|who)\b|$))",
    re.IGNORECASE,
)
_RESPECTIVELY = re.compile(r"\b(?P<a>[\w\-.]+(?:\s[\w\-.]+)?)\s+and\s+(?P<b>[\w\-.]+(?:\s[\w\-.]+)?),?\s+respectively")

_INCREASE = ("speedup", "speed-up", "speeds up", "faster", "improv", "increas", "higher", "gain",
             "boost", "better", "accelerat", "outperform", "surpass", "exceed", "more")
_DECREASE = ("reduc", "decreas", "lower", "less", "fewer", "save", "saving", "cut", "drop",
             "smaller", "shrink", "eliminat", "degrad")

#: a metric phrase is a few words; these end it ("50% FLOPs without ...", "10% on ImageNet")
_PHRASE_STOP = frozenset(
    "a an the of in on at for from with without by over than to compared across under while when and or as per "
    "is are was were be been being which that who its their our this these those it we they using via into within "
    "respectively only just up about around nearly approximately roughly each all both whereas but during despite "
    "due given after before through among between against versus vs like such where if since because so then "
    "can could may will would should has have had not pm sim approx i.e. e.g.".split()
)
#: comparatives between a number and what it measures: "1.4x higher throughput"
_COMPARATIVES = frozenset(
    "higher lower fewer less more better worse smaller larger greater absolute relative average additional further "
    "overall original total entire whole".split()
)
#: the change itself, not the measure: "28% latency reduction", "0.2% accuracy drop"
_CHANGE_NOUNS = frozenset(
    "reduction reductions drop drops improvement improvements gain gains increase increases decrease decreases "
    "saving savings degradation increment loss acceleration".split()
)
#: heads that keep their "of": "the number of parameters", "the length of generated sequences"
_OF_HEADS = frozenset("number amount length size count fraction percentage proportion".split())
#: words that say where a number sits, not what it measures: "in the range of 15%-50%"
_NOT_MEASURES = frozenset("range average factor order magnitude margin total".split())
#: a verb of change ends a phrase read backwards: "improves | classification accuracy by 1%"
_VERB_FORM = re.compile(
    r"(?:improv|reduc|increas|decreas|boost|lower|sav|accelerat|enhanc|rais|shrink|achiev|yield|obtain|show|reach|"
    r"attain|deliver|provid|maintain|keep|preserv|sustain|requir|us|need|tak|run|get|giv|mak|demonstrat|report|"
    r"outperform|surpass|exceed)(?:e|es|ed|ing|s)?",
    re.IGNORECASE,
)
#: "improves X by 10%", "reduces the cost of Y by up to 3x"; the verb's object is the measure
_CHANGE_VERB = re.compile(
    r"\b(?:improv|reduc|increas|decreas|boost|lower|sav|accelerat|speed(?:s|ing)?\s+up|enhanc|rais|cut|shrink)\w*\s+",
    re.IGNORECASE,
)
_QUALIFIERS = r"(?:(?:up to|over|more than|nearly|about|around|approximately|roughly|almost|at least|an average of|" \
    r"on average|as much as|a factor of|just|only|merely)\s+)*"
_BY_END = re.compile(r"\bby\s+" + _QUALIFIERS + r"$", re.IGNORECASE)
_OF_END = re.compile(r"(?:\bof|=|:)\s*" + _QUALIFIERS + r"$", re.IGNORECASE)
_WORD = re.compile(r"(?:(?!--)[^\s,;:()\[\]{}—])+")
_DETERMINERS = frozenset("the a an its their our this these".split())
#: "in the range of 15%-50%", "ranging from 2x": the measure is named before
_RANGE_INTRO = re.compile(r"(?:(?:in|within)\s+the\s+range\s+of|ranging\s+from)\s*$", re.IGNORECASE)


def _value(text: str) -> float:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


def _direction(before: str, after: str) -> str | None:
    """The direction word nearest the number wins: "reducing 99.5%", "2x faster"."""
    best: tuple[int, str] | None = None
    for words, direction in ((_INCREASE, "increase"), (_DECREASE, "decrease")):
        for word in words:
            position = before.lower().rfind(word)
            if position >= 0:
                distance = len(before) - position
                if best is None or distance < best[0]:
                    best = (distance, direction)
            position = after.lower().find(word)
            # words after the number bind less: "by 10% while reducing" is an increase
            if position >= 0 and (best is None or 3 * position + 1 < best[0]):
                best = (3 * position + 1, direction)
    return best[1] if best else None


@dataclass(frozen=True)
class _Span:
    """A mention placed in the sentence's own offsets."""

    label: str
    text: str
    start: int
    end: int


def _phrase(sentence: str, start: int, end: int, spans: Sequence[_Span], *, forward: bool) -> str | None:
    """The few words after ``start`` (or before ``end``) that name a measure, up to a stop word.

    A Metric mention inside the words wins ("state-of-the-art accuracy" is
    accuracy); words that are another kind of name are not a measure.
    """
    words = list(_WORD.finditer(sentence, start, end))
    if not forward:
        words.reverse()
    taken: list[re.Match[str]] = []
    boundary = start if forward else end
    for word in words:
        text = word.group().rstrip(".").lower()
        gap = sentence[boundary : word.start()] if forward else sentence[word.end() : boundary]
        if re.search(r"[,;:()\[\]—]|--", gap):
            break
        boundary = word.end() if forward else word.start()
        if not taken and forward and (text in _COMPARATIVES or text in _DETERMINERS):
            continue
        if text == "of" and forward and taken and taken[-1].group().lower() in _OF_HEADS:
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
    while taken and taken[-1].group().rstrip(".").lower() in _CHANGE_NOUNS | {"of"}:
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
    metrics = [s for s in spans if s.label == "Metric" and low <= s.start and s.end <= high + 1]
    if metrics:
        return metrics[-1].text
    text = sentence[low:high].rstrip(".")
    # "the original model's capabilities": what is measured is after the possessive
    text = text.rsplit("'s ", 1)[-1]
    return None if text.lower() in _NOT_MEASURES else text


#: units that name their own measure: "40 FPS", "36.3 AP", "156 TFLOPS"
_UNIT_MEASURES = ("FPS", "AP", "mAP", "GMACs", "GFLOPs", "TFLOPS", "PFLOPS")


def _metric_for(
    sentence: str, quantity: _Quantity, group_end: int, clause: tuple[int, int], spans: Sequence[_Span], high: int
) -> str | None:
    """What a number measures, by the words around it, most direct first.

    "10.33x and 2.72x speedup", "73% in inference time", "reduces the
    computational cost by 3x", "a compression ratio of 576x", "accuracy
    (32.03%)"; failing those, the nearest Metric mention in the clause.
    """
    clause_start, clause_end = clause
    after_end = min(high, clause_end)
    in_parentheses = sentence[clause_start : quantity.start].rstrip().endswith("(")
    if in_parentheses and (close := sentence.find(")", group_end, after_end)) >= 0:
        after_end = close
    following = sentence[group_end:after_end]
    if quantity.unit == "x" and re.match(r"\s*(?:faster|quicker|speed|acceleration)", following, re.IGNORECASE):
        return "speedup"
    if metric := _phrase(sentence, group_end, after_end, spans, forward=True):
        return metric
    # "73% in inference time", "a 3x saving in GPU hours"
    in_of = re.match(rf"\s*(?:(?:{'|'.join(_CHANGE_NOUNS)})\s+)?(?:in|of)\s+(?:the\s+|its\s+|their\s+)?", following, re.IGNORECASE)
    in_of_phrase = _phrase(sentence, group_end + in_of.end(), after_end, spans, forward=True) if in_of else None
    if in_of_phrase and any(s.label == "Metric" and s.text == in_of_phrase for s in spans):
        return in_of_phrase
    if quantity.unit in _UNIT_MEASURES:
        return quantity.unit
    before = sentence[clause_start : quantity.start]
    if by := _BY_END.search(before):
        verbs = list(_CHANGE_VERB.finditer(before, 0, by.start()))
        verb = verbs[-1] if verbs and not _QUANTITY.search(before, verbs[-1].end(), by.start()) else None
        if verb and re.match(r"speed|accelerat", verb.group(), re.IGNORECASE) and quantity.unit == "x":
            return "speedup"
        if verb and (obj := _phrase(sentence, clause_start + verb.end(), clause_start + by.start(), spans, forward=True)):
            return obj
        if metric := _phrase(sentence, clause_start, clause_start + by.start(), spans, forward=False):
            return metric
    for intro in (_OF_END, _RANGE_INTRO):
        if (found := intro.search(before)) and (
            metric := _phrase(sentence, clause_start, clause_start + found.start(), spans, forward=False)
        ):
            return metric
    if in_parentheses:
        opening = sentence.rindex("(", clause_start, quantity.start)
        if metric := _phrase(sentence, clause_start, opening, spans, forward=False):
            return metric
    if in_of_phrase:
        return in_of_phrase
    if nearest := _nearest_metric(spans, quantity.start, group_end, clause_start, after_end):
        return nearest
    if quantity.unit == "x" and re.search(r"\b(?:speed(?:s|ing)?\s*up|accelerat)", before, re.IGNORECASE):
        return "speedup"
    return None


def _nearest_metric(spans: Sequence[_Span], start: int, end: int, low: int, high: int) -> str | None:
    """The Metric mention nearest the number, no further than its clause and its neighbours."""
    best: tuple[int, _Span] | None = None
    for s in spans:
        if s.label != "Metric":
            continue
        if end <= s.start < high and s.start - end <= 30:
            distance = s.start - end
        elif low <= s.end <= start and start - s.end <= 60:
            distance = start - s.end + 1
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, s)
    return best[1].text if best else None


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return list(zip(bounds, bounds[1:]))


def _clause_of(clauses: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next((c for c in clauses if c[0] <= position < c[1]), clauses[-1])


def _nearest(spans: Sequence[_Span], label: str, position: int, clause: tuple[int, int], away: tuple[int, int]) -> str | None:
    """The nearest mention of ``label`` in the clause, outside the compared-against phrase ``away``."""
    candidates = [
        s for s in spans
        if s.label == label and clause[0] <= s.start < clause[1] and not (away[0] <= s.start < away[1])
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda s: abs(s.start - position)).text


def _subject(spans: Sequence[_Span], position: int, clause: tuple[int, int], away: tuple[int, int]) -> str | None:
    """The model a claim is about: the nearest named before the number ("PanGu-7B achieves 10% ..., and
    PanGu-1B ..."), else the nearest after it in its clause; never the one it is compared against."""
    models = [s for s in spans if s.label == "Model" and not (away[0] <= s.start < away[1])]
    before = [s for s in models if s.end <= position]
    if before:
        return max(before, key=lambda s: s.start).text
    return _nearest(models, "Model", position, clause, away)


def find_results(
    sentence: str,
    *,
    offset: int = 0,
    mentions: Sequence[Mention] = (),
    inside_names: Sequence[tuple[int, int]] = (),
) -> list[Result]:
    """Quantities with a unit in ``sentence``; ``offset`` places it in the paper's text.

    ``mentions`` are the entities found in the sentence (offsets in the paper's
    text); numbers that are part of a name ("Llama-2-7B") are passed over.
    Each number's metric, direction, model, dataset and hardware come from its
    own clause, so "..., while reducing 99.5% FLOPs" does not lend its words
    to the claim before it.
    """
    spans = [_Span(m.label, m.text, m.start - offset, m.end - offset) for m in mentions]
    clauses = _clauses(sentence)
    matches = _quantities(sentence)
    results: list[Result] = []
    whole = (0, len(sentence))
    group_end_of = _group_ends(sentence, matches)
    for index, match in enumerate(matches):
        group_end = group_end_of[index]
        following = next((q.start for q in matches[index + 1 :] if q.start >= group_end), len(sentence))
        if any(a <= match.start + offset < b for a, b in inside_names):
            continue
        clause = _clause_of(clauses, match.start)
        before = sentence[max(clause[0], match.start - 80) : match.start]
        # the words after a number bind to it up to the next "and" or comma: "by 3.1x and improves ..."
        after = sentence[group_end : min(following, clause[1], group_end + 60)]
        after = re.split(r",|\band\b|\bwhile\b", after, maxsplit=1)[0]
        value = _value(match.number)
        if before.rstrip().endswith(("-", "−")) and before.rstrip()[-2:-1] in (" ", "("):
            value = -value
        baseline = _baseline(sentence, clause, spans)
        away = baseline[1] if baseline else (0, 0)
        results.append(
            Result(
                metric=_metric_for(sentence, match, group_end, clause, spans, following),
                value=value,
                unit=match.unit,
                sentence=sentence,
                direction=_direction(before, after),
                baseline=baseline[0] if baseline else None,
                dataset=_nearest(spans, "Dataset", match.start, whole, away),
                model=_subject(spans, match.start, clause, away),
                hardware=_nearest(spans, "Hardware", match.start, whole, away),
                start=match.start + offset,
                end=match.end + offset,
            )
        )
    return _respectively(sentence, results, spans)


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    number: str
    unit: str


def _quantities(sentence: str) -> list[_Quantity]:
    """The numbers with a unit, in order, and the low ends of ranges that write the unit once."""
    found: list[_Quantity] = []
    for match in _QUANTITY.finditer(sentence):
        unit = "x" if match.group("x") else "%" if match.group("pct") else match.group("unit")
        unit = "FPS" if unit == "fps" else unit
        previous_end = found[-1].end if found else 0
        range_low = _RANGE_LOW.search(sentence, max(0, match.start() - 20), match.start())
        if range_low and range_low.start() >= previous_end:  # not the previous quantity itself ("15%-50%")
            found.append(_Quantity(range_low.start(1), range_low.end(1), range_low.group(1), unit))
        found.append(_Quantity(match.start(), match.end(), match.group(1), unit))
    return found


def _group_ends(sentence: str, matches: list[_Quantity]) -> list[int]:
    """Where each number's coordinated group ends: "10.33x and 2.72x speedup" share "speedup"."""
    ends = [q.end for q in matches]
    for index in range(len(matches) - 2, -1, -1):
        if _RANGE_JOIN.match(sentence[matches[index].end : matches[index + 1].start]):
            ends[index] = ends[index + 1]
    return ends


def _baseline(sentence: str, clause: tuple[int, int], spans: Sequence[_Span]) -> tuple[str, tuple[int, int]] | None:
    """What the claim in ``clause`` is compared against, and where that phrase is.

    Any comparison in the claim's own clause; failing that, a "compared to" or
    "than" anywhere in the sentence ("... by 2.7% compared to X, while saving
    43%" is relative to X twice).
    """
    for low, high, any_cue in ((clause[0], clause[1], True), (0, len(sentence), False)):
        for match in _BASELINE.finditer(sentence, low, high):
            if not (any_cue or match.group("compare")):
                continue
            if baseline := _compared_against(sentence, match.start("what"), match.end("what"), spans):
                return baseline
    return None


def _compared_against(sentence: str, start: int, end: int, spans: Sequence[_Span]) -> tuple[str, tuple[int, int]] | None:
    what = sentence[start:end].strip()
    # "executing only the bigger model", "utilizing only a single GPU type"
    lead = re.match(r"\w+ing\s+(?:only\s+)?(?:the|a|an)\s+", what)
    what = what[lead.end() :] if lead else what
    # "existing solutions such as FlexGen": the named one
    what = re.split(r"\s+such as\s+", what)[-1]
    what = re.sub(r"(?<=\S)\s+baselines?$", "", what)
    # "the previous state-of-the-art architecture AmoebaNet-B": the name
    phrase_end = start + len(sentence[start:end].rstrip())
    names = [s for s in spans if s.label in ("Method", "Model") and start <= s.start and s.end == phrase_end]
    if names and what.endswith(names[-1].text):
        what = names[-1].text
    if not what or re.match(r"\d", what) or len(what.split()) > 8:
        return None
    return what, (start, end)


def _respectively(sentence: str, results: list[Result], spans: Sequence[_Span]) -> list[Result]:
    """Pair "A and B ... 2x and 3x ..., respectively" in order: baselines, models, datasets, hardware."""
    if "respectively" not in sentence or len(results) < 2:
        return results
    respectively = _RESPECTIVELY.search(sentence)
    if respectively and len(results) == 2:
        names = [respectively.group("a"), respectively.group("b")]
        names = [re.sub(r"^(?:to|with|than|over|the)\s+", "", n, flags=re.IGNORECASE) for n in names]
        if re.search(r"\b(?:compared (?:to|with)|than|over|relative to|versus|vs\.?)\s", sentence[: respectively.start("a") + 1], re.IGNORECASE):
            results = [replace(r, baseline=n) for r, n in zip(results, names)]
    compared = re.compile(rf"(?:{_COMPARE_CUE}|over|against)\s+(?:the\s+)?$", re.IGNORECASE)
    for label, attribute in (("Model", "model"), ("Method", "model"), ("Dataset", "dataset"), ("Hardware", "hardware")):
        for names in _lists(sentence, [s for s in spans if s.label == label]):
            if len(names) != len(results):
                continue
            if label in ("Model", "Method") and compared.search(sentence, 0, names[0].start):
                compared_with = {n.text for n in names}
                results = [
                    replace(r, baseline=n.text, model=None if r.model in compared_with else r.model)
                    for r, n in zip(results, names)
                ]
            elif label != "Method":
                results = [replace(r, **{attribute: n.text}) for r, n in zip(results, names)]
    return results


def _lists(sentence: str, spans: list[_Span]) -> list[list[_Span]]:
    """Runs of mentions joined by commas and "and": "MotionBERT and MixSTE"."""
    runs: list[list[_Span]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if runs and re.fullmatch(r"\s*(?:,|and|, and|/)\s*", sentence[runs[-1][-1].end : span.start]):
            runs[-1].append(span)
        else:
            runs.append([span])
    return [run for run in runs if len(run) > 1]
