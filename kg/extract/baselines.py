"""What a number is compared against: "2.1% higher than ResNet-18", "outperforms SR-STE by 0.9
points and ASP by 2.2 points", "within 1% of the teacher", "97.1% of BERT-base's GLUE score".

Every comparison a sentence makes is found once, for all its numbers (`find_comparisons`); each
number then takes the one nearest it (`baseline_of`), since "compared to A" holds for the whole
sentence but "outperforms A" only for its own clause. Lists of names pair with runs of as many
numbers in order (`pair_respectively`): most such lists name what is compared against ("10.33x
and 2.72x over A and B, respectively"), the rest the models, benchmarks or devices measured.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from kg.extract.measures import Span
from kg.extract.quantities import LIST_JOIN, Spans
from kg.records import Result

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
#: a kind word right before a name: "the baseline model Swin-T"
_APPOSITION = re.compile(
    r"\b(?:model|architecture|method|approach|baseline|system|framework|network|algorithm|backbone)s?\s+$",
    re.IGNORECASE,
)
#: "respectively" closing a compared name ("below SwinIR-light respectively") is no part of it
_RESPECTIVELY_AFTER = re.compile(r",?\s+respectively$")
_RESPECTIVELY = re.compile(r"\b(?P<a>[\w\-.]+(?:\s[\w\-.]+)?)\s+and\s+(?P<b>[\w\-.]+(?:\s[\w\-.]+)?),?\s+respectively")


@dataclass
class Comparisons:
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


def find_comparisons(sentence: str, spans: Sequence[Span], near: Callable[[int, int], list[Span]]) -> Comparisons:
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
    return Comparisons(found, sentence_wide, shares, frozenset(continued))


def baseline_of(
    comparisons: Comparisons, clause: tuple[int, int], position: int, comparative: bool = False
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


def pair_respectively(sentence: str, results: list[Result], spans: Sequence[Span], offset: int = 0) -> list[Result]:
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
        for names in name_lists(sentence, [s for s in spans if s.label == label]):
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


def name_lists(sentence: str, spans: list[Span]) -> list[list[Span]]:
    """Runs of mentions joined by commas and "and": "MotionBERT and MixSTE"."""
    runs: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if runs and re.fullmatch(r"\s*(?:,|and|, and|/)\s*", sentence[runs[-1][-1].end : span.start]):
            runs[-1].append(span)
        else:
            runs.append([span])
    return [run for run in runs if len(run) > 1]
