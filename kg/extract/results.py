"""Numeric results: "achieves 10.33x and 2.72x speedup over A and B, respectively".

A plain function over one sentence and the mentions found in it, so it can be
tested without a pipeline. Values keep the sign as written; the direction
comes from the words around the number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|~|and|or|,|, and)\s*$")
_BASELINE = re.compile(
    r"\b(?:compared (?:to|with)|than|over|relative to|against|versus|vs\.?|outperform(?:s|ing)?|surpass(?:es|ing)?)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<what>[^,;.]+?)(?=(?:,|;|\.|\s+(?:on|in|with|while|and|at|by|across|for|when)\b|$))",
    re.IGNORECASE,
)
_RESPECTIVELY = re.compile(r"\b(?P<a>[\w\-.]+(?:\s[\w\-.]+)?)\s+and\s+(?P<b>[\w\-.]+(?:\s[\w\-.]+)?),?\s+respectively")

_INCREASE = ("speedup", "speed-up", "speeds up", "faster", "improv", "increas", "higher", "gain",
             "boost", "better", "accelerat", "outperform", "surpass", "exceed", "more")
_DECREASE = ("reduc", "decreas", "lower", "less", "fewer", "saving", "saves", "cut", "drop",
             "smaller", "shrink", "eliminat", "degrad")


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


def _nearest(mentions: Sequence[Mention], label: str, position: int) -> Mention | None:
    candidates = [m for m in mentions if m.label == label]
    if not candidates:
        return None
    return min(candidates, key=lambda m: abs(m.start - position))


def _metric_for(mentions: Sequence[Mention], start: int, end: int, low: int, high: int) -> str | None:
    """The metric nearest the number, looking no further than the neighbouring numbers."""
    best: tuple[int, Mention] | None = None
    for m in mentions:
        if m.label != "Metric":
            continue
        if end <= m.start < high and m.start - end <= 30:
            distance = m.start - end
        elif low <= m.end <= start and start - m.end <= 60:
            distance = start - m.end + 1
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, m)
    return best[1].text if best else None


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
    """
    results: list[Result] = []
    matches = _quantities(sentence)
    for index, match in enumerate(matches):
        low = matches[index - 1].end if index else 0
        following = index + 1
        # "10.33x and 2.72x speedup": coordinated numbers share the words after the last one
        while following < len(matches) and _RANGE_JOIN.match(sentence[matches[following - 1].end : matches[following].start]):
            following += 1
        high = matches[following].start if following < len(matches) else len(sentence)
        start, end = match.start + offset, match.end + offset
        if any(a <= start < b for a, b in inside_names):
            continue
        unit = match.unit
        before = sentence[max(low, match.start - 60) : match.start]
        after = sentence[match.end : min(high, match.end + 60)]
        value = _value(match.number)
        if before.rstrip().endswith(("-", "−")) and before.rstrip()[-2:-1] in (" ", "("):
            value = -value
        metric = _metric_for(mentions, start, end, low + offset, high + offset)
        if metric is None and unit == "x" and re.match(r"\s*(?:faster|speed|acceleration)", after, re.IGNORECASE):
            metric = "speedup"
        results.append(
            Result(
                metric=metric,
                value=value,
                unit=unit,
                sentence=sentence,
                direction=_direction(before, after),
                dataset=(d.text if (d := _nearest(mentions, "Dataset", start)) else None),
                model=(m.text if (m := _nearest(mentions, "Model", start)) else None),
                hardware=(h.text if (h := _nearest(mentions, "Hardware", start)) else None),
                start=start,
                end=end,
            )
        )
    return _with_baselines(sentence, results)


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


def _with_baselines(sentence: str, results: list[Result]) -> list[Result]:
    """Attach "compared to A and B, respectively" to the values in order."""
    if not results:
        return results
    respectively = _RESPECTIVELY.search(sentence)
    if respectively and len(results) == 2:
        names = [respectively.group("a"), respectively.group("b")]
        names = [re.sub(r"^(?:to|with|than|over|the)\s+", "", n, flags=re.IGNORECASE) for n in names]
        return [_replace(r, baseline=n) for r, n in zip(results, names)]
    baseline = _BASELINE.search(sentence)
    if baseline:
        what = baseline.group("what").strip()
        if not re.match(r"^\d", what) and len(what.split()) <= 8:
            return [_replace(r, baseline=what) for r in results]
    return results


def _replace(result: Result, **changes: object) -> Result:
    from dataclasses import replace

    return replace(result, **changes)
