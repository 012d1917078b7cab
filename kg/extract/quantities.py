"""Numbers with a unit in a sentence: "10.33x", "99.5% FLOPs", "3-5x", "108 / 74 FPS", "2.9$\\times$".

The first step of reading a result: where the numbers are, what unit each
is in, and which numbers are written as one group ("2x to 5x", "10.33x and
2.72x speedup"), so the words after the group belong to all of them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

#: a number not glued to a word ("Llama-2", "v1.5"); after "sim" it is LaTeX's lost "\\sim3x"
_NUMBER = r"(?:(?<![\w.^])(?<![A-Za-z]-)|(?<=sim))(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"  # not an exponent ("10^4")
#: units are as written; an "s" glued to a number before "of" is a plural, not seconds ("10s of seconds")
QUANTITY = re.compile(
    _NUMBER
    + r"\s*(?:(?:absolute|relative)\s+)?(?:"  # "by 4.1 absolute AP"
    + r"(?P<x>[x×X](?![\w-])|[x×](?=-)|-?fold\b|\s?times\b|\s?\$?\s?\\times\b\s?\$?)"
    + r"|(?P<pct>\+?\\?%|\s?percent\b)"
    # "3.2 points", "a 2.3-point drop", "1 point", "1.9 AP points", "2 accuracy points"
    + r"|(?P<points>-?\s?(?:(?:[A-Z][\w\-&@.]*|accuracy|percentage)\s+)?points?\b(?!\s+clouds?))"
    + r"|\s?(?P<speed>tokens per second|tokens/s|tok/s)(?![\w/-])"
    + r"|\s?(?P<speed2>requests per second|queries per second|requests/s|images/s|frames/s)(?![\w/-])"
    # a count in thousands or millions of a small model's parameters, a compute count: "5.7M parameters",
    # "19.6G MACs" (billions of parameters are mostly a model's name for its size: "a 7B model")
    + r"|\s?(?P<count>[KkM](?=\s+(?:(?:trainable|active|total)\s+)?param(?:eter)?s\b)|[GT](?=\s+(?:MACs|FLOPs)\b))"
    + r"|\s?(?P<unit>GB/s|TB/s|GB|MB|KB|TB|ms|µs|us|seconds|FPS|fps|petaflops|PFLOPS|TFLOPS|TFLOPs/s|TFLOPs|TOPS/W|TOPS|"
    + r"dB|Hz|nats|mJ|µJ|uJ|MWh|Wh|mW|kW|mm|"
    + r"GPU[- ]hours|GPU[- ]days|hours|minutes|days|(?<=\d)s(?!\s+of\b)|(?<=\s)s|watts|W|kWh|J|mAP|AP|GMACs|GFLOPs|bits)(?![\w/-])"
    + r")",
)
#: "by a factor of 3.3": a multiple written in words
_FACTOR = re.compile(r"\ba\s+factor\s+of\s+(?:about\s+|up\s+to\s+|~\s*)?(\d+(?:\.\d+)?)(?![\d.,]*\s*(?:[x×%]|times|-fold))")
#: the low end of a range whose unit is written once, after the high end: "3-5x", "5-40 times",
#: "2 to 25 times", "3 or 4 bits", "108 / 74 FPS"; a claim set against the baseline's: "46.9 vs. 44.9 AP";
#: and a pair sharing its unit: "2.6 and 1.9 points above A and B, respectively"
_RANGE_LOW = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:-|–|~|to|or|(?P<pair>and)|/|\\?sim|vs\.?|versus)\s*$")
#: a number that belongs to the word before it ("Level 1 and 78.0%", "Llama 2 and 3%"), not to a pair
_NUMBERED_NAME = re.compile(r"[A-Z][\w-]*\s+$")
#: the words of "from A to B": before A ("ranging from" opens a range, not a change) and between A and B
FROM_WORDS = r"(?:\b(?P<range>range[sd]?|ranging|vary|varies|varying)\s+)?\bfrom\s+"
TO_WORDS = r"\s+(?:down\s+|up\s+)?to\s+"
#: what joins the numbers or names of a list: "41.2 and 49.8", "2x, 3x and 4x"
LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)")
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|~|and|or|,|, and|/|\\?sim)\s*$")


@dataclass(frozen=True)
class Quantity:
    """A number and its unit, at its place in the sentence."""

    start: int
    end: int
    number: str
    unit: str


def quantities(sentence: str) -> list[Quantity]:
    """The numbers with a unit, in order, and the low ends of ranges that write the unit once."""
    found: list[Quantity] = []
    for match in QUANTITY.finditer(sentence):
        unit = (
            "x" if match.group("x") else "%" if match.group("pct") else "points" if match.group("points")
            else "tokens/s" if match.group("speed") else match.group("speed2") or match.group("count") or match.group("unit")
        )
        unit = "FPS" if unit == "fps" else unit
        previous_end = found[-1].end if found else 0
        range_low = _RANGE_LOW.search(sentence, max(0, match.start() - 20), match.start())
        if range_low and range_low.group("pair") and _NUMBERED_NAME.search(sentence, max(0, range_low.start() - 40), range_low.start()):
            range_low = None
        if range_low and range_low.start() >= previous_end:  # not the previous quantity itself ("15%-50%")
            found.append(Quantity(range_low.start(1), range_low.end(1), range_low.group(1), unit))
        found.append(Quantity(match.start(), match.end(), match.group(1), unit))
    for match in _FACTOR.finditer(sentence):
        found.append(Quantity(match.start(1), match.end(1), match.group(1), "x"))
    return sorted(found, key=lambda q: q.start)


def group_ends(sentence: str, matches: list[Quantity]) -> list[int]:
    """Where each number's coordinated group ends: "10.33x and 2.72x speedup" share "speedup";
    numbers in different units are separate claims ("32 tokens/s, 2.4x faster"), and so are numbers
    without a unit that only a comma joins ("a perplexity of 15.21, 0.35 lower than GaLore")."""
    ends = [q.end for q in matches]
    for index in range(len(matches) - 2, -1, -1):
        same_unit = matches[index].unit == matches[index + 1].unit
        join = sentence[matches[index].end : matches[index + 1].start]
        if same_unit and _RANGE_JOIN.match(join) and (matches[index].unit or join.strip() != ","):
            ends[index] = ends[index + 1]
    return ends


def value_of(text: str) -> float:
    """The number as written, an int when it is one ("1,288" is 1288)."""
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() else value


class Spans:
    """Stretches of a text, asked whether they cover a position in logarithmic time: a long
    sentence's numbers each ask once ("is this 7 inside the name Llama-2-7B?")."""

    def __init__(self, pairs: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(pairs)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []  # the furthest end of any stretch starting at or before each start
        for _, end in ordered:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def __contains__(self, position: int) -> bool:
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.reach[index]

